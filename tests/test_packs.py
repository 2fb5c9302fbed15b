"""Every pack's embedded [[tests]] (ids <pack>::<case>), with the invariants, and rule coverage."""

from __future__ import annotations

import pytest

from cleaner import load_packs
from cleaner.qa.testing import run_case, stable_rules_not_fired

PACKS = load_packs()
CASES = [(pack, case) for pack in PACKS.values() for case in pack.tests]


@pytest.mark.parametrize(("pack", "case"), CASES, ids=[f"{p.id}::{c.name}" for p, c in CASES])
def test_pack_case(pack, case):
    result = run_case(pack, case)
    assert result.problems == ()


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
