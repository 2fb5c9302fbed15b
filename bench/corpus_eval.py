"""Score the cleaner on ../shared/corpus (labelled article bodies of outlets with no pack).

    python bench/corpus_eval.py [--corpus ../shared/corpus/dev] [--pages] [--show NAME]

Token precision/recall/F1 against the labelled body lines (optional lines count neither way),
the `with`/`without` snippet checks, and a keep-everything baseline in the same run, by kind
of page: full-page dumps (whole pages, menus and all) and already-extracted texts."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from cleaner import clean

ROOT = Path(__file__).resolve().parent.parent
FULL_PAGE = {"united24media", "mezha"}
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text))


def ws(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Score:
    precision: float
    recall: float
    with_hits: int
    with_total: int
    without_hits: int
    without_total: int


def lines_in(lines: list[str], ranges: list[list[int]]) -> str:
    return "\n".join(lines[a - 1 : b] and "\n".join(lines[a - 1 : b]) for a, b in ranges)


def score(output: str, gold: dict, lines: list[str]) -> Score:
    if gold.get("gold_text") is not None:
        body, optional = gold["gold_text"], " ".join(gold.get("optional_spans", []))
    else:
        body, optional = lines_in(lines, gold["body_lines"]), lines_in(lines, gold.get("optional_lines", []))
    pred, want, opt = tokens(output), tokens(body), tokens(optional)
    shared = sum((pred & want).values())
    extra = sum(((pred - want) - opt).values())  # predicted beyond the body, not explained by optional lines
    precision = shared / (shared + extra) if shared + extra else 1.0
    recall = shared / sum(want.values()) if want else 1.0
    flat, anchored = ws(output), "\n" + output
    withs = [s for s in gold.get("with", []) if ws(s) in flat]
    withouts = [s for s in gold.get("without", []) if (s in anchored if s.startswith("\n") else ws(s) in flat)]
    return Score(precision, recall, len(withs), len(gold.get("with", [])), len(withouts), len(gold.get("without", [])))


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "dev")
    ap.add_argument("--pages", action="store_true", help="print a line per page")
    ap.add_argument("--show", help="print the cleaned text of pages whose name contains this")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"{args.corpus}: corpus not found; pass --corpus DIR (see ../shared/corpus/README.md)")
    rows: list[tuple[str, str, Score, Score]] = []
    for gold_path in sorted(args.corpus.glob("*/*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        page = gold_path.with_name(gold["input"])
        raw = page.read_text(encoding="utf-8")
        lines = raw.split("\n")
        doc = clean(raw, url=gold.get("url"), source=page.name)
        mine, base = score(doc.text, gold, lines), score(raw, gold, lines)
        kind = "full-page" if gold_path.parent.name in FULL_PAGE else "extracted"
        rows.append((page.stem, kind, mine, base))
        if args.pages:
            print(
                f"{page.stem:34} {kind:9} P {mine.precision:.3f} R {mine.recall:.3f} F1 "
                f"{f1(mine.precision, mine.recall):.3f}"
                f"  with {mine.with_hits}/{mine.with_total} without {mine.without_hits}/{mine.without_total}"
                f"  (keep-all F1 {f1(base.precision, base.recall):.3f})  title={doc.title!r}"
            )
        if args.show and args.show in page.stem:
            print(doc.text)
    print(
        f"\n{'pages':12} {'n':>3}  {'cleaner P / R / F1':>22}   {'keep-all P / R / F1':>22}   with hits   without hits"
    )
    for label, sel in (("full-page", "full-page"), ("extracted", "extracted"), ("all", None)):
        part = [r for r in rows if sel is None or r[1] == sel]
        if not part:
            continue
        line = f"{label:12} {len(part):>3}"
        for i in (2, 3):
            p = sum(r[i].precision for r in part) / len(part)
            rc = sum(r[i].recall for r in part) / len(part)
            line += f"  {p:.3f} / {rc:.3f} / {f1(p, rc):.3f} "
        wh = sum(r[2].with_hits for r in part), sum(r[2].with_total for r in part)
        wo = sum(r[2].without_hits for r in part), sum(r[2].without_total for r in part)
        line += f"   {wh[0]:>3}/{wh[1]:<3}     {wo[0]:>3}/{wo[1]:<3} (false positives)"
        print(line)


if __name__ == "__main__":
    main()
