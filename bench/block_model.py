"""Train the block model of the HTML path (cleaner/html/score.py), and measure it on sites it
was not trained on.

    python bench/block_model.py [--bench DIR] [--folds 5] [--out rules/models/blocks.json]

The training pages are the HTML benchmark's (../shared/benchmarks/article-extraction-benchmark).
Every text block of a page's main block, as `score.judge` sees it, is labelled article when its
tokens run inside the page's ground truth (bench/line_model.label); the model is a logistic
regression over standardised features, each block weighed by its tokens and each page alike
(bench/line_model.fit).

Cross-validation by site: for each fold, a model trained on the other folds' sites cleans the
fold's pages through `clean()`, and the HTML path's F1 (html_eval's shingles) is reported per
fold and overall, with the share of pages the model decided alone (without trafilatura) and
that share's F1 beside trafilatura's on the same pages. The model shipped is then trained on
all the pages. bench/peers.py measures the shipped model on the pages it was trained on: this
script's figure is the one for outlets it never saw."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.html_eval import page_score, summary  # noqa: E402
from bench.line_model import Sample, fit, label  # noqa: E402
from bench.render_eval import _TOKEN, BENCH, fold_of  # noqa: E402
from cleaner import clean  # noqa: E402
from cleaner.html import score  # noqa: E402
from cleaner.pipeline import prepare  # noqa: E402


@dataclass
class Page:
    pid: str
    url: str
    site: str
    body: str
    html: bytes


def load(bench: Path, limit: int = 0) -> list[Page]:
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for pid in sorted(truth)[: limit or None]:
        url = truth[pid].get("url") or ""
        site = (urlsplit(url).hostname or pid).removeprefix("www.")
        html = gzip.decompress((bench / "html" / f"{pid}.html.gz").read_bytes())
        out.append(Page(pid, url, site, truth[pid]["articleBody"], html))
    return out


def collect(page: Page) -> Sample | None:
    """The page's main-block text blocks, feature rows and labels; None without a main block."""
    rec: list = []
    with score.recording(rec):
        clean(page.html, url=page.url or None, format="html")
    if not rec:
        return None
    lines, rows, language = rec[0]
    weights = np.array([len(_TOKEN.findall(line)) for line in lines], dtype=float)
    return Sample(page.pid, lines, rows, label(lines, page.body), weights, len(_TOKEN.findall(page.body)), language)


def train(samples: list[Sample]) -> score.Logistic:
    return fit(samples, [s.rows for s in samples], score.block_names())


def cross_validate(pages: list[Page], samples: dict[str, Sample], folds: int) -> None:
    import trafilatura

    rows, alone = [], []
    for k in range(folds):
        model = train([s for p in pages if fold_of(p.site, folds) != k and (s := samples.get(p.pid))])
        fold = []
        with score.using(model):
            for page in (p for p in pages if fold_of(p.site, folds) == k):
                doc = clean(page.html, url=page.url or None, format="html")
                fold.append(page_score(doc.text, page.body))
                prepared = prepare(page.html, url=page.url or None, format="html")
                if prepared is not None and prepared.html is not None and prepared.html.extractor.startswith("block"):
                    theirs = trafilatura.extract(
                        page.html.decode("utf-8", "replace"), url=page.url or None, include_comments=False,
                        include_tables=True,
                    )  # fmt: skip
                    alone.append((fold[-1], page_score(theirs or "", page.body)))
        p, r, f, _ = summary(fold)
        print(f"fold {k} ({len(fold)} pages)   P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
        rows += fold
    p, r, f, _ = summary(rows)
    print(f"unseen sites ({len(rows)} pages)   P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    if alone:
        mine, theirs = summary([a for a, _ in alone]), summary([b for _, b in alone])
        print(
            f"decided by the block model alone: {len(alone)} of {len(rows)} pages, F1 {mine[2]:.3f} "
            f"(trafilatura on the same pages {theirs[2]:.3f})"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=BENCH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", type=Path, default=score.MODEL)
    args = ap.parse_args()
    if not args.bench.is_dir():
        sys.exit(f"{args.bench}: benchmark not found; pass --bench DIR (see ../shared/benchmarks/README.md)")
    pages = load(args.bench, args.limit)
    samples = {p.pid: s for p in pages if (s := collect(p)) is not None}
    print(
        f"{len(samples)} of {len(pages)} pages have a main block; {sum(len(s.lines) for s in samples.values())} blocks"
    )
    if args.folds > 1:
        cross_validate(pages, samples, args.folds)
    args.out.write_text(score.to_json(train(list(samples.values()))) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
