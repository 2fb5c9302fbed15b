"""A gate on the labelled corpus in ../shared (skipped on a clone without it), pinned to a
baseline file as trafilatura's eval_gate.py does: no figure may fall below the baseline (by
more than a rounding tolerance), and no more `without` snippets (chrome that must go) may be
kept. A change that improves the figures updates the baseline on purpose:

    CLEANER_WRITE_BASELINE=1 pytest tests/test_corpus_gate.py"""

from __future__ import annotations

import json
import os
import sys

import pytest

from .conftest import ROOT, SHARED

CORPUS = SHARED / "corpus" / "dev"
BASELINE = ROOT / "tests" / "baselines" / "corpus_gate.json"
TOLERANCE = 0.002  # figures are means over a few pages: this much is rounding, not a change
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")


def _figures() -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus_eval import FULL_PAGE, score

    from cleaner import clean

    rows = []
    for gold_path in sorted(CORPUS.glob("*/*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        raw = gold_path.with_name(gold["input"]).read_text(encoding="utf-8")
        doc = clean(raw, url=gold.get("url"))
        rows.append((gold_path.parent.name in FULL_PAGE, score(doc.text, gold, raw.split("\n"))))
    out: dict[str, float] = {}
    for name, part in (("full_page", [s for full, s in rows if full]), ("all", [s for _, s in rows])):
        p = sum(s.precision for s in part) / len(part)
        r = sum(s.recall for s in part) / len(part)
        out |= {
            f"{name}_precision": round(p, 4),
            f"{name}_recall": round(r, 4),
            f"{name}_f1": round(2 * p * r / (p + r), 4),
        }
    out["with_kept"] = sum(s.with_hits for _, s in rows)  # body snippets kept: higher is better
    out["without_kept"] = sum(s.without_hits for _, s in rows)  # chrome snippets kept: lower is better
    return out


def test_corpus_figures_hold_against_the_baseline():
    figures = _figures()
    if os.environ.get("CLEANER_WRITE_BASELINE"):
        BASELINE.parent.mkdir(exist_ok=True)
        BASELINE.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert set(figures) == set(baseline), "the baseline's figures differ from the gate's: rewrite it"
    worse = [
        f"{k}: {figures[k]} against {v}"
        for k, v in baseline.items()
        if (figures[k] > v if k == "without_kept" else figures[k] < v - (TOLERANCE if isinstance(v, float) else 0))
    ]
    assert worse == [], "worse than tests/baselines/corpus_gate.json: " + "; ".join(worse)


def test_the_baseline_keeps_the_issues_floor():
    # the baseline itself may never drift below what the issues promised
    b = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert b["full_page_f1"] >= 0.92 and b["full_page_recall"] >= 0.97
    assert b["all_f1"] >= 0.96 and b["all_recall"] >= 0.98
