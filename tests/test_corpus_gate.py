"""A gate on the labelled corpus in ../shared (skipped on a clone without it): the generic
fallback must keep the issue's figures, so a rule change that loses article text fails here."""

from __future__ import annotations

import sys

import pytest

from .conftest import ROOT, SHARED

CORPUS = SHARED / "corpus" / "dev"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")


def _figures():
    sys.path.insert(0, str(ROOT / "bench"))
    import json

    from corpus_eval import FULL_PAGE, score

    from cleaner import clean

    rows = []
    for gold_path in sorted(CORPUS.glob("*/*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = gold_path.with_name(gold["input"]).read_text(encoding="utf-8")
        doc = clean(raw, url=gold.get("url"))
        rows.append((gold_path.parent.name in FULL_PAGE, score(doc.text, gold, raw.split("\n"))))
    return rows


def _prf(scores):
    p = sum(s.precision for s in scores) / len(scores)
    r = sum(s.recall for s in scores) / len(scores)
    return p, r, 2 * p * r / (p + r)


def test_corpus_figures_hold():
    rows = _figures()
    _, full_r, full_f1 = _prf([s for full, s in rows if full])
    _, all_r, all_f1 = _prf([s for _, s in rows])
    assert full_f1 >= 0.92 and full_r >= 0.97, (full_f1, full_r)
    assert all_f1 >= 0.96 and all_r >= 0.98, (all_f1, all_r)
    assert sum(s.with_hits for _, s in rows) >= 0.97 * sum(s.with_total for _, s in rows)
