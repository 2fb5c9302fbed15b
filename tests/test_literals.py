"""The literal prefilter: what it derives, and that it never changes a result."""

from __future__ import annotations

import pytest

from cleaner import clean, load_packs
from cleaner.packs.literals import required_literals
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
    got = required_literals(source, {"m": "May"})
    if source.startswith(r"\p"):
        assert got in ((), needs)
    else:
        assert got == needs


def test_prefilter_changes_nothing(monkeypatch):
    pages = [p.read_bytes() for p in SEEDS] + [c.text for pack in load_packs().values() for c in pack.tests]
    with_filter = [clean(p).to_dict() for p in pages]
    monkeypatch.setattr(Pattern, "may_match", lambda self, *a: True)
    assert [clean(p).to_dict() for p in pages] == with_filter
