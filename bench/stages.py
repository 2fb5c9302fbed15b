"""Where a page's time goes: process time a page for each stage of the text pipeline, on
batch_speed's corpus, against the budget the batch targets leave.

    python bench/stages.py [--pages 2000] [--workdir /tmp/cleaner-bench]

Stages as pipeline.run calls them for a text page: prepare (read and decode, normalize, frame,
the match plan's scan, choose the pack), rules, document, render; prepare's parts are timed again on their own. Each
page's Document is checked against `clean()`, so the split cannot drift from the pipeline. For reference it also times a
naive engine's least work: every pattern of the page's pack (and its bases) searched once
over the page, with no prefilter; the rules stage is what the real engine spends after its
prefilters skip most of them."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import regex

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_speed import build

from cleaner.normalize import normalize_lines
from cleaner.output import render
from cleaner.packs.loader import load_packs
from cleaner.packs.match import choose
from cleaner.packs.model import Pack, Pattern
from cleaner.packs.plan import PATTERN_KEYS, plan_for
from cleaner.pipeline import Options, apply_rules, build_document, clean, prepare, read
from cleaner.text.page import Page


def patterns(pack: Pack) -> list[regex.Pattern[str]]:
    """The compiled patterns of every rule of a pack and its bases."""
    found = []
    for member in pack.chain or (pack,):
        for rule in (*member.extract, *member.drop):
            for key in PATTERN_KEYS:
                value = getattr(rule, key, None)
                if isinstance(value, Pattern):
                    found.append(value.rx)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/cleaner-bench"))
    args = ap.parse_args()
    src = args.workdir / f"in-{args.pages}"
    build(src, args.pages)
    datas = [p.read_bytes() for p in sorted(src.rglob("*.txt"))]
    opts, packs = Options(), load_packs()
    for data in datas[:50]:
        clean(data)  # warm: packs loaded, caches filled
    spent: dict[str, float] = {}
    parts: dict[str, float] = {}
    naive = 0.0
    by_kind: dict[str, float] = {}  # the rules stage of pages of a pack, and of no pack
    count: dict[str, int] = {}
    clock = time.process_time
    for data in datas:
        t = clock()
        marks = [t]
        p = prepare(data, options=opts)
        marks.append(clock())
        page, chosen, reason, warnings = apply_rules(p.packs, p.page, p.pack, p.reason, None, opts)
        marks.append(clock())
        doc = build_document(
            page,
            chosen,
            reason,
            url=None,
            source=None,
            encoding=p.encoding,
            encoding_reason=p.encoding_reason,
            format=p.kind,
            warnings=p.warnings + warnings + page.warnings,
        )
        marks.append(clock())
        render(doc, "text")
        marks.append(clock())
        for name, a, b in zip(("prepare", "rules", "document", "render"), marks[:-1], marks[1:], strict=True):
            spent[name] = spent.get(name, 0.0) + b - a
        kind = "rules, no pack" if chosen.is_base else "rules, a pack"
        by_kind[kind] = by_kind.get(kind, 0.0) + marks[2] - marks[1]
        count[kind] = count.get(kind, 0) + 1
        if doc != clean(data):
            sys.exit("the stages no longer compose to clean(): update this script with pipeline.run")
        # prepare's own parts, timed again on their own (not part of the sum)
        text = read(data, "auto", opts, None)[0]
        t = clock()
        lines = normalize_lines(text)
        t2 = clock()
        framed = Page(lines, opts.timeout, None, plan_for(packs))
        t3 = clock()
        hits = framed.hits  # the match plan's one scan (None on the regex engine)
        t4 = clock()
        choose(packs, framed.text, None, None, framed.found, hits=hits)
        t5 = clock()
        for name, took in (("normalize", t2 - t), ("page", t3 - t2), ("scan", t4 - t3), ("choose", t5 - t4)):
            parts[name] = parts.get(name, 0.0) + took
        t = clock()
        framed_text = page.original and Page(page.original).text
        for rx in patterns(chosen):
            rx.search(framed_text)
        naive += clock() - t
    n = len(datas)
    total = sum(spent.values())
    print(f"{n:,} pages of batch_speed's corpus; process time a page, in microseconds")
    for name, took in spent.items():
        print(f"  {name:10} {took / n * 1e6:7.0f}")
    print(f"  {'total':10} {total / n * 1e6:7.0f}  ({n / total:,.0f} pages/s on one core, no file I/O)")
    print(
        "prepare's parts (read and decode are the rest): "
        + ", ".join(f"{k} {v / n * 1e6:.0f}" for k, v in parts.items())
    )
    print(
        "the rules stage a page: "
        + ", ".join(f"{k} {v / count[k] * 1e6:.0f} ({count[k]} pages)" for k, v in by_kind.items())
    )
    print(f"every pattern of the page's pack searched once (a naive engine's least work): {naive / n * 1e6:.0f}")
    print("budget: 2,000 pages/s a core is 500 a page, reading and writing included")


if __name__ == "__main__":
    main()
