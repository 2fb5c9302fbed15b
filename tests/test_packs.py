"""Every pack's embedded [[tests]] (ids <pack>::<case>), with the invariants, and rule coverage."""

from __future__ import annotations

import re

import pytest

from cleaner import load_packs
from cleaner.qa.testing import run_case, stable_rules_not_fired

PACKS = load_packs()
CASES = [(pack, case) for pack in PACKS.values() for case in pack.tests]


@pytest.mark.parametrize(("pack", "case"), CASES, ids=[f"{p.id}::{c.name}" for p, c in CASES])
def test_pack_case(pack, case):
    result = run_case(pack, case)
    assert result.problems == ()


# black-style variants of every case: the same page as other scrapers save it
VARIANTS = {
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "nbsp": lambda t: t.replace(". ", ".\u00a0").replace(", ", ",\u00a0"),
    "blank-lines": lambda t: t.replace("\n\n", "\n\n\n"),
}


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("pack", "case"), CASES, ids=[f"{p.id}::{c.name}" for p, c in CASES])
def test_pack_case_variants_clean_the_same(pack, case, variant):
    """CRLF line ends, no-break spaces and doubled blank lines change nothing; the page under
    `_generic` does not crash and keeps the words of every line it keeps."""
    from cleaner import Options, clean

    forced = None if case.select and not pack.is_base else pack.id
    want = clean(case.text, url=case.url, pack=forced)
    got = clean(VARIANTS[variant](case.text), url=case.url, pack=forced)
    assert (got.text, got.pack, got.title, got.author, got.date) == (
        want.text,
        want.pack,
        want.title,
        want.author,
        want.date,
    )
    generic = clean(VARIANTS[variant](case.text), pack="_generic", options=Options())
    assert set(re.findall(r"\w+", generic.text)) <= set(re.findall(r"\w+", case.text))


@pytest.mark.parametrize("pack", list(PACKS.values()), ids=lambda p: p.id)
def test_every_stable_rule_is_exercised(pack):
    fired: set[str] = set()
    for case in pack.tests:
        fired |= run_case(pack, case).fired
    assert stable_rules_not_fired(pack, fired) == []


@pytest.mark.parametrize("pack", list(PACKS.values()), ids=lambda p: p.id)
def test_every_rule_documents_its_reason(pack):
    assert [r.id for r in pack.rules() if not r.reason] == []


def test_every_outlet_pack_has_tests():
    assert [p.id for p in PACKS.values() if len(p.tests) < 3] == []


def test_the_invariant_catches_a_removal_that_lies():
    from dataclasses import replace

    from cleaner import clean
    from cleaner.document import Removal
    from cleaner.qa.testing import invariant_problems

    text = "Home\n\nThe council approved the budget for the parks on Monday, officials said.\n\nAbout us\n"
    doc = clean(text, pack="_common")
    assert invariant_problems(text, doc, pack="_common") == []
    # a removal that names other lines than the ones it holds, and an output missing a line
    lying = replace(doc, removed=(Removal("gen.x", (3, 3), "Home"),))
    assert any("is not what lines 3-3 hold" in p for p in invariant_problems(text, lying, pack="_common"))
    short = replace(doc, text="The council approved the budget for the parks on Monday, officials said.\n")
    assert any("the input minus the removals" in p for p in invariant_problems(text, short, pack="_common"))
