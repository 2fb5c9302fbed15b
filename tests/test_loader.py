"""The strict loader: each mistake is an error that names the file, the rule and the key."""

from __future__ import annotations

import pytest

from cleaner import PackError, load_packs
from cleaner.packs.loader import load_pack_file

RULE = """
[[text.drop]]
id = "t.x"
kind = "line"
pattern = 'x'
reason = "x"
"""


def _error(write_pack, body: str, extends: str = "[]") -> str:
    folder = write_pack("t", body, extends)
    with pytest.raises(PackError) as info:
        load_packs(str(folder))
    return str(info.value)


def test_unknown_key_suggests(write_pack):
    msg = _error(write_pack, RULE.replace("pattern =", "patern ="))
    assert "t.toml" in msg and "t.x" in msg and "'patern'" in msg and "did you mean 'pattern'" in msg


def test_unknown_top_key(write_pack):
    msg = _error(write_pack, "treshold = 2\n")
    assert "'treshold'" in msg


def test_bad_regex(write_pack):
    msg = _error(write_pack, RULE.replace("pattern = 'x'", "pattern = '(unclosed'"))
    assert "t.x" in msg and "'pattern'" in msg and "bad regular expression" in msg


def test_bad_kind(write_pack):
    msg = _error(write_pack, RULE.replace('kind = "line"', 'kind = "lines"'))
    assert "did you mean 'line'" in msg


def test_bad_selector(write_pack):
    msg = _error(write_pack, '[html]\nbody = ["div[["]\n')
    assert "bad CSS selector" in msg and "html.body" in msg


def test_bad_date_format(write_pack):
    msg = _error(write_pack, '[fields.date]\nformats = ["%Q %d"]\n')
    assert "bad date format" in msg


def test_extract_group_must_be_a_field(write_pack):
    body = "[[text.extract]]\nid = \"t.e\"\npattern = '(?P<titel>.+)'\n"
    msg = _error(write_pack, body)
    assert "did you mean 'title'" in msg


def test_unknown_base(write_pack):
    msg = _error(write_pack, "", extends='["_generc"]')
    assert "did you mean '_generic'" in msg


def test_wrong_type(write_pack):
    msg = _error(write_pack, RULE.replace('reason = "x"', "reason = 3"))
    assert "expected a string" in msg


def test_duplicate_rule_ids(write_pack):
    msg = _error(write_pack, RULE + RULE)
    assert "unique" in msg


def test_id_must_match_file(tmp_path):
    f = tmp_path / "other.toml"
    f.write_text('schema = 1\nid = "t"\nname = "T"\nversion = 1\n')
    with pytest.raises(PackError, match="must equal the file name"):
        load_pack_file(f)


def test_bad_toml(tmp_path):
    f = tmp_path / "t.toml"
    f.write_text("schema = \n")
    with pytest.raises(PackError, match="not valid TOML"):
        load_pack_file(f)


def test_builtin_packs_load():
    packs = load_packs()
    assert {"_common", "_generic", "kyiv_independent", "espreso_global"} <= set(packs)
    assert [p.id for p in packs["kyiv_independent"].chain] == ["kyiv_independent", "_common"]
    assert [p.id for p in packs["_generic"].chain] == ["_generic", "_common"]


def test_bad_status(write_pack):
    msg = _error(write_pack, RULE.replace('reason = "x"', 'reason = "x"\nstatus = "stabel"'))
    assert "did you mean 'stable'" in msg and "'status'" in msg


def test_def_may_not_name_groups(write_pack):
    msg = _error(write_pack, "[defs]\nmonth = '(?P<m>May|June)'\n")
    assert "defs.month" in msg and "may not name groups" in msg


def test_unknown_def_call_is_a_bad_regex(write_pack):
    msg = _error(write_pack, RULE.replace("pattern = 'x'", "pattern = '(?&nope) x'"))
    assert "t.x" in msg and "bad regular expression" in msg


def test_defs_are_inlined(write_pack):
    folder = write_pack(
        "t",
        "[defs]\nmonth = 'May|June'\nday = '\\d+ (?&month)'\n"
        + RULE.replace("pattern = 'x'", "pattern = 'On (?&day)'"),
    )
    rule = load_packs(str(folder))["t"].drop[0]
    assert rule.pattern.rx.pattern.count("(?&") == 0
    assert rule.pattern.rx.search("\nOn 5 June\n")


def test_disable_turns_off_an_inherited_rule(write_pack):
    from cleaner import Options, clean

    text = "The council met on Tuesday to vote on the new budget for the city's parks and schools.\n\nAdvertisement\n"
    write_pack("t", "[guards]\nmin_body_chars = 1\n", '["_common"]')
    rules = write_pack("u", 'disable = ["gen.ad-label"]\n[guards]\nmin_body_chars = 1\n', '["_common"]')
    opts = Options(rules_dirs=(str(rules),))
    assert "Advertisement" not in clean(text, pack="t", options=opts).text
    doc = clean(text, pack="u", options=opts)
    assert "Advertisement" in doc.text and "gen.ad-label" not in {r.rule for r in doc.removed}


def test_disable_names_only_inherited_rules(write_pack):
    msg = _error(write_pack, 'disable = ["gen.ad-lable"]\n', '["_common"]')
    assert "disable names 'gen.ad-lable'" in msg and "did you mean 'gen.ad-label'" in msg


def test_defs_work_in_text_signatures(write_pack):
    body = """
[defs]
outlet = 'Example (?:News|Daily)'

[match]
threshold = 1
[[match.signature]]
text = '(?&outlet) Ltd'
"""
    rules = write_pack("t", body)
    sig = load_packs(str(rules))["t"].signatures[0]
    assert sig.text.rx.search("\\n© Example Daily Ltd\\n") and not sig.text.rx.search("Example Weekly Ltd")


def test_a_def_keeps_its_spaces_in_a_verbose_pattern(write_pack):
    # defs are written without (?x): inlined into a verbose pattern, their spaces still count
    body = "[defs]\nday = '\\d+ (?:May|June)'\n" + RULE.replace("pattern = 'x'", "pattern = '''(?x) On\\ (?&day) '''")
    rule = load_packs(str(write_pack("t", body)))["t"].drop[0]
    assert rule.pattern.rx.search("\nOn 5 June\n") and not rule.pattern.rx.search("\nOn 5June\n")


def test_defs_inherit_through_extends_and_the_nearest_wins(write_pack):
    write_pack("_base", "[defs]\nmonth = 'May|June'\nday = '\\d+'\n")
    write_pack("mid", "[defs]\nmonth = 'Mai|Juni'\n", '["_base"]')
    rules = write_pack("t", RULE.replace("pattern = 'x'", "pattern = 'On (?&day) (?&month)'"), '["mid"]')
    rx = load_packs(str(rules))["t"].drop[0].pattern.rx
    assert rx.search("\nOn 5 Juni\n") and not rx.search("\nOn 5 June\n")


def test_guards_inherit_through_extends_key_by_key(write_pack):
    write_pack("_base", "[guards]\nmax_removed_ratio = 0.9\nmin_body_chars = 10\n")
    write_pack("mid", "[guards]\nmin_body_chars = 50\n", '["_base"]')
    write_pack("u", "")
    rules = write_pack("t", "", '["mid"]')
    packs = load_packs(str(rules))  # the cache is by folder: every pack is written before
    assert (packs["t"].max_removed_ratio, packs["t"].min_body_chars) == (0.9, 50)
    assert (packs["_base"].max_removed_ratio, packs["_base"].min_body_chars) == (0.9, 10)
    lone = packs["u"]
    assert (lone.max_removed_ratio, lone.min_body_chars) == (0.6, 200)  # nothing set anywhere: the defaults


def test_tokens_stand_in_for_an_alternation(write_pack):
    body = "[tokens]\nsection = ['News', 'Newsletter', 'Sport']\n" + RULE.replace(
        "pattern = 'x'", "pattern = '(?&section) \\| more'"
    )
    rx = load_packs(str(write_pack("t", body)))["t"].drop[0].pattern.rx
    assert rx.search("\nNewsletter | more\n") and rx.search("\nSport | more\n") and not rx.search("\nNew | more\n")


def test_an_alias_keeps_a_renamed_rule_reachable(write_pack):
    from cleaner import Options, clean

    text = "The council met on Tuesday to vote on the new budget for the city's parks and schools.\n\nSponsored\n"
    write_pack(
        "_b",
        '[[text.drop]]\nid = "b.ad-label"\naliases = ["b.ad"]\nkind = "line"\npattern = \'Sponsored\'\nreason = "ad"\n',
    )
    rules = write_pack("t", 'disable = ["b.ad"]\n[guards]\nmin_body_chars = 1\n', '["_b"]')
    doc = clean(text, pack="t", options=Options(rules_dirs=(str(rules),)))
    assert "Sponsored" in doc.text  # disabled by its former id
    assert load_packs(str(rules))["t"].disable == frozenset({"b.ad-label"})


def test_an_alias_may_not_repeat_an_id(write_pack):
    body = RULE + RULE.replace('id = "t.x"', 'id = "t.y"\naliases = ["t.x"]')
    assert "unique" in _error(write_pack, body)
