"""What the run report costs at scale: 100,000 pages' stats aggregated, summary.json and
report.html written, against the cleaning of the same pages.

    python bench/report_speed.py [--pages 100000]

The pages are batch_speed's corpus (outlet pages, pages of unknown outlets); 2,000 of them are
cleaned for real, and their stats are fed again under new names and hosts up to --pages. The
explain views (the 40 listed pages, cleaned once more) are timed on their own."""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import batch_speed

from cleaner import clean
from cleaner.document import PageStats
from cleaner.report.html import render
from cleaner.report.summary import Aggregator, to_json


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "in"
        batch_speed.build(root, 2000)
        datas = [p.read_bytes() for p in sorted(root.rglob("*.txt"))]
    started = time.process_time()
    stats = [PageStats.of(clean(d, source=f"p{n}.txt")) for n, d in enumerate(datas)]
    clean_ms = (time.process_time() - started) * 1000 / len(datas)
    started = time.process_time()
    agg = Aggregator()
    for n in range(args.pages):
        s = stats[n % len(stats)]
        agg.add(dataclasses.replace(s, source=f"d{n // 1000}/p{n}.txt", host=f"site{n % 300}.example"))
    aggregate = time.process_time() - started
    started = time.process_time()
    summary = agg.summary()
    summary_json = to_json(summary)
    report = render(summary, ())
    write = time.process_time() - started
    total = aggregate + write
    print(
        f"{args.pages:,} pages: aggregate {aggregate:.2f} s, summary.json + report.html {write * 1000:.0f} ms "
        f"({len(summary_json) / 1024:.0f} KiB + {len(report) / 1024:.0f} KiB)"
    )
    print(
        f"report work {total * 1e6 / args.pages:.1f} µs a page, against {clean_ms * 1000:.0f} µs a page of cleaning "
        f"({100 * total / (clean_ms / 1000 * args.pages):.1f}% of it)"
    )
    views = 2 * 20 * clean_ms  # the listed pages are cleaned once more for their explain views
    print(f"explain views: about {views:.0f} ms (40 pages cleaned again), whatever the run's size")


if __name__ == "__main__":
    main()
