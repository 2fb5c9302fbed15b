"""The literal prefilter: what it derives, and that it never changes a result."""

from __future__ import annotations

import pytest

from cleaner import Options, clean, load_packs
from cleaner.packs.literals import prefilter
from cleaner.packs.model import Pattern

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
