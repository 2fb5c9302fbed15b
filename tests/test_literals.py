"""The literal prefilter: what it derives, and that it never changes a result."""

from __future__ import annotations

import pytest
import regex

from cleaner import Options, clean, load_packs
from cleaner.packs.literals import _FOLDABLE, HEAD, fold, heads, prefilter
from cleaner.packs.model import Pattern, Rule
from cleaner.text.page import Page

from .conftest import SEEDS


@pytest.mark.parametrize(
    ("source", "needs"),
    [
        ("Read also:", (("Read also:",),)),
        (", ", ()),  # too short to be worth a scan
        ("Show More|Editors['’] Picks", (("Editors", "Show More"),)),
        ("(?i:more news)", ()),
        ("(?i)more news", ()),
        ("(?:Tags)?xyzw", (("xyzw",),)),
        ("by (?P<author>.+) (?&m)", ((" May",),)),
        ("Avatar|Show More (?&m)", (("Avatar", "Show More May"),)),
        (r"\p{Lu}\w+ said", ((" said",),)),  # regex-only syntax: the re parser gives up... or not
        ("a|", ()),
    ],
)
def test_required_literals(source, needs):
    got = prefilter(source, {"m": "May"})[0]
    if source.startswith(r"\p"):
        assert got in ((), needs)
    else:
        assert got == needs


def test_prefilter_changes_nothing(monkeypatch):
    pages = [p.read_bytes() for p in SEEDS] + [c.text for pack in load_packs().values() for c in pack.tests]
    with_filter = [clean(p).to_dict() for p in pages]
    monkeypatch.setattr(Pattern, "may_match", lambda self, *a: True)
    monkeypatch.setattr(Page, "absent", lambda self, pattern: False)
    assert [clean(p).to_dict() for p in pages] == with_filter


@pytest.mark.parametrize(
    ("source", "folded"),
    [
        ("(?i)more news", ("more news",)),
        ("(?i:more news|show more)", ("more news", "show more")),
        ("(?i:a|b|c|d)", ()),  # too short
        ("(?i:alpha|bravo|charlie|delta)", ()),  # too many to search for one by one
        ("Read also", ()),  # an exact group already filters it
        ("(?i)(?:share|поділитися)(?: on)?", ("share", "поділитися")),
        ("(?i)x(?-i:ZEBRA)", ()),  # exact again inside (?-i:...): the exact group wins
        (r"(?i)(?:we use|uses) cookies\b|\bcookie policy\b", (" cookies", "cookie policy")),
    ],
)
def test_folded_literals(source, folded):
    assert prefilter(source, {})[1] == folded


def test_folded_prefilter_matches_any_case(write_pack):
    body = """
[[text.drop]]
id = "t.more"
kind = "line"
pattern = '(?i)more news'
reason = "button"
"""
    rules = write_pack("t", body)
    text = "The council met on Tuesday to approve the new budget for the year ahead.\n\nMORE NEWS\n"
    doc = clean(text, pack="t", options=Options(rules_dirs=(str(rules),)))
    assert [r.text for r in doc.removed] == ["MORE NEWS"]


def test_whole_line_patterns_keep_only_short_groups(write_pack):
    """A whole-line pass costs about two or three finds: a longer group of literals is not
    worth checking first; a pattern searched anywhere in lines keeps it."""
    words = "Alpha one|Bravo two|Charlie three"
    body = f"""
[[text.drop]]
id = "t.whole"
kind = "line"
pattern = '{words}'
reason = "x"

[[text.drop]]
id = "t.inside"
kind = "line"
contains = '{words}'
reason = "x"
"""
    rules = write_pack("t", body)
    pack = load_packs(str(rules))["t"]
    whole, inside = pack.drop
    assert whole.pattern.needs == ()
    assert inside.contains.needs == (("Alpha one", "Bravo two", "Charlie three"),)


@pytest.mark.parametrize(
    ("source", "starts"),
    [
        ("Read also:", {"read"}),
        ("(?i:more news|show more)", {"more", "show"}),
        ("(?:- )?Print", {"- pr", "prin"}),
        ("[Tt]ags", {"tags"}),
        ("Ab", {"ab"}),  # a start shorter than HEAD: the whole match
        ("Читайте також", {"чита"}),
        ("(?&m) \\d+", {"may "}),
        ("(?!- )Tags", {"tags"}),  # a lookahead takes no characters
        ("A\nB", {"a"}),  # the first line of a multi-line match
        ("[A-Z]{3}", set("abcdefghijklmnopqrstuvwxyz")),  # 26**3 starts: cut to one letter
        ("\\d+ min read", None),  # any digit: too many to list
        (".*read", None),
        ("(?:Tags)?\n", None),  # may start with the line break: an empty start
        ("«Quote", {"«quo"}),
        ("© 2024", {"© 20"}),
        ("µg", None),  # a character whose case the fold does not know (it matches Greek mu)
        ("Tags{e<=1}", None),  # regex-only syntax the standard parser misreads
        ("[[:alpha:]]+", None),
    ],
)
def test_line_heads(source, starts):
    got = heads(source, {"m": "May"})
    assert (None if got is None else {s for _, group in got for s in group}) == starts
    if got is not None:
        assert all(len(s) == n <= HEAD for n, group in got for s in group)


def test_fold_agrees_with_the_regex_module():
    """Every character the regex module matches, ignoring case, with a character a start may
    be folded from folds to the same thing: so skipping a rule by its line starts never
    misses a line the pattern matches."""
    everything = "".join(chr(c) for c in range(0x20, 0x110000) if not 0xD800 <= c < 0xE000)
    # one pass over all of Unicode for what matches any of them, then each on its own
    any_of = "[" + "".join(map(regex.escape, sorted(_FOLDABLE))) + "]"
    matching = "".join(regex.findall(any_of, everything, regex.IGNORECASE | regex.V0))
    assert len(matching) >= len(_FOLDABLE)
    for c in sorted(_FOLDABLE):
        for m in regex.finditer(regex.escape(c), matching, regex.IGNORECASE | regex.V0):
            assert fold(m.group()) == fold(c), (c, m.group())


def _variants(line: str) -> list[str]:
    return [line, line.upper(), line.lower(), line.swapcase(), line.title()]


def test_no_line_a_pattern_matches_is_skipped():
    """For every whole-line pattern of the shipped packs with known starts, and every line of
    the seeds and the packs' tests in any letter case: a line it matches is never absent."""
    packs = load_packs()
    patterns = {
        id(p): p
        for pack in packs.values()
        for rule in pack.rules()
        for p in (rule.pattern, rule.start, rule.end, rule.line, rule.above, rule.after)
        if p is not None and p.heads is not None and not p.multiline
    }
    assert len(patterns) > 20
    texts = [p.read_text(encoding="utf-8") for p in SEEDS] + [c.text for pack in packs.values() for c in pack.tests]
    lines = {v for t in texts for line in t.split("\n") if line.strip() for v in _variants(line.strip())}
    checked = 0
    for line in lines:
        page = Page([line])
        for p in patterns.values():
            if p.rx.match(f"\n{line}\n"):
                checked += 1
                assert not page.absent(p), (p.source, line)
    assert checked > 50


def test_a_cut_line_is_found_by_its_new_start():
    """A span rule's cut gives a line a new start: whole-line rules after it must see it."""
    source = "Read also:.*"
    pattern = Pattern(regex.compile(f"\\n(?:{source})(?=\\n)"), source, False, heads=heads(source, {}))
    page = Page(["Photo: AP Read also: the rest", "Body text here."])
    assert page.absent(pattern)
    page.cut(0, "Read also: the rest", "Photo: AP", Rule(id="t.credit", kind="span", pack="t"))
    assert not page.absent(pattern)


def test_a_start_on_the_page_still_needs_the_literal():
    """Lines starting "The ..." are on most pages: a pattern whose start they share but
    whose literal is missing is absent all the same."""
    source = "Avatar|The Kyiv Independent news desk"
    pattern = Pattern(
        regex.compile(f"\\n(?:{source})(?=\\n)"),
        source,
        False,
        needs=prefilter(source, {})[0],
        heads=heads(source, {}),
    )
    assert pattern.needs and pattern.heads
    assert Page(["The council met on Tuesday.", "Body."]).absent(pattern)
    assert not Page(["The Kyiv Independent news desk", "Body."]).absent(pattern)
    assert not Page(["Avatar", "Body."]).absent(pattern)


@pytest.mark.parametrize(
    ("source", "lowered"),
    [
        ("(?i:alpha|bravo|charlie|delta)", ("alpha", "bravo", "charlie", "delta")),
        (
            "(?i:zapisz się|ÇEREZ POLİTİKASI|版权所有|関連記事)",
            ("zapisz się", "çerez politikasi", "版权所有", "関連記事"),
        ),
        ("(?i:alpha|bravo|charlie|ab)", ()),  # one is too short to be worth a search
        ("(?i:alpha|bravo|charlie|δέλτα)", ()),  # Greek folds in ways `fold` does not follow
        ("(?i:more news|show more)", ()),  # few enough for the folded searches
    ],
)
def test_lowered_literals(source, lowered):
    assert prefilter(source, {})[2] == lowered


def test_lowered_prefilter_skips_absent_and_keeps_any_case(write_pack):
    body = (
        '[[text.drop]]\nid = "t.x"\nkind = "line"\ncontains = \'(?i:alpha team|bravo team|charlie team|delta team)\'\n'
    )
    # the pack's own result stands however short (no fall-back to _generic's line model)
    rules = write_pack("t", body + "[guards]\nmin_body_chars = 1\n")
    pack = load_packs(str(rules))["t"]
    assert pack.drop[0].contains.lowered == ("alpha team", "bravo team", "charlie team", "delta team")
    opts = Options(rules_dirs=(str(rules),))
    doc = clean("The first line stays.\nBRAVO TEAM wins\nCharlie Team\n", pack="t", options=opts)
    assert doc.text == "The first line stays.\n"
    assert clean("Nothing of it here.\n", pack="t", options=opts).text == "Nothing of it here.\n"
