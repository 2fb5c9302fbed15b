"""Score the HTML path on ../shared/benchmarks/article-extraction-benchmark, with trafilatura run
side by side on the same pages in the same process.

    python bench/html_eval.py [--bench DIR] [--limit N] [--worst K]

Method (the benchmark's README): \\w+ tokens, 4-token shingles as multisets (a text under four
tokens is one shingle); per page tp/fp/fn divided by their sum; precision and recall are
means over pages, F1 from those means; accuracy is the share of pages whose token lists
match exactly. Also ms/page for each tool, and the speed of a pack page with a body selector."""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TOKEN = re.compile(r"\w+")


def shingles(text: str) -> tuple[Counter[tuple[str, ...]], list[str]]:
    toks = _TOKEN.findall(text or "")
    if len(toks) < 4:
        return Counter([tuple(toks)]), toks
    return Counter(tuple(toks[i : i + 4]) for i in range(len(toks) - 3)), toks


def page_score(pred: str, truth: str) -> tuple[float, float, bool]:
    p, ptoks = shingles(pred)
    t, ttoks = shingles(truth)
    tp = sum((p & t).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn or 1
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, ptoks == ttoks


def summary(scores: list[tuple[float, float, bool]]) -> tuple[float, float, float, float]:
    p = sum(s[0] for s in scores) / len(scores)
    r = sum(s[1] for s in scores) / len(scores)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0, sum(s[2] for s in scores) / len(scores)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--bench", type=Path, default=ROOT.parent / "shared" / "benchmarks" / "article-extraction-benchmark"
    )
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--worst", type=int, default=0, help="list the K pages where cleaner trails trafilatura most")
    args = ap.parse_args()
    if not args.bench.is_dir():
        sys.exit(f"{args.bench}: benchmark not found; pass --bench DIR (see ../shared/benchmarks/README.md)")
    import trafilatura

    from cleaner import clean

    truth = json.loads((args.bench / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[: args.limit or None]
    mine, theirs, rows = [], [], []
    t_mine = t_theirs = 0.0
    for pid in ids:
        html = gzip.decompress((args.bench / "html" / f"{pid}.html.gz").read_bytes())
        url, body = truth[pid].get("url"), truth[pid]["articleBody"]
        t0 = time.perf_counter()
        ref = (
            trafilatura.extract(html.decode("utf-8", "replace"), url=url, include_comments=False, include_tables=True)
            or ""
        )
        t1 = time.perf_counter()
        try:
            text = clean(html, url=url, format="html").text
        except Exception as exc:  # a failure scores zero, and is shown
            print(f"{pid}: {exc}", file=sys.stderr)
            text = ""
        t2 = time.perf_counter()
        t_theirs += t1 - t0
        t_mine += t2 - t1
        a, b = page_score(text, body), page_score(ref, body)
        mine.append(a)
        theirs.append(b)
        rows.append((pid, a, b))
    n = len(ids)
    print(f"{n} pages          precision  recall     F1   accuracy   ms/page")
    for label, scores, t in (("cleaner", mine, t_mine), ("trafilatura", theirs, t_theirs)):
        p, r, f, acc = summary(scores)
        print(f"{label:16} {p:9.3f} {r:7.3f} {f:6.3f} {acc:10.3f} {t / n * 1000:9.1f}")
    if args.worst:
        rows.sort(key=lambda x: (x[1][0] + x[1][1]) - (x[2][0] + x[2][1]))
        for pid, a, b in rows[: args.worst]:
            print(
                f"  {pid[:16]}  cleaner P {a[0]:.2f} R {a[1]:.2f}   trafilatura P {b[0]:.2f} R {b[1]:.2f}   "
                f"{truth[pid].get('url', '')[:70]}"
            )


if __name__ == "__main__":
    main()
