"""The HTML path beside the extractors of its field, on the 181 pages of
../shared/benchmarks/article-extraction-benchmark, all in one run:

    pip install -e ".[bench]"
    pip install readability-lxml newspaper4k resiliparse boilerpy3   # the `peers` extra; pip 23
                                                                     # cannot resolve it with .[bench]
    python bench/peers.py [--rounds 3] [--limit N] [--only cleaner,trafilatura]

Each page goes to every extractor in turn (interleaved, so the machine's load moves all alike),
`--rounds` times. F1 is html_eval's (4-token shingles against `articleBody`, precision and recall
as means over pages); time is CPU time a page (process_time), the min and the median over
rounds. An extractor that is not installed is left out and named; one that fails on a page
scores that page as empty."""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from html_eval import page_score, summary

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "benchmarks" / "article-extraction-benchmark"
Extract = Callable[[str, bytes, str | None], str]


def extractors() -> tuple[dict[str, Extract], list[str]]:
    found: dict[str, Extract] = {}
    missing: list[str] = []

    def add(name: str, make: Callable[[], Extract]) -> None:
        try:
            found[name] = make()
        except ImportError:
            missing.append(name)

    def cleaner() -> Extract:
        from cleaner import clean

        return lambda text, raw, url: clean(raw, url=url, format="html").text

    def trafilatura(**options: bool) -> Callable[[], Extract]:
        def make() -> Extract:
            import trafilatura as t

            return lambda text, raw, url: (
                t.extract(text, url=url, include_comments=False, include_tables=True, **options) or ""
            )

        return make

    def readability() -> Extract:
        import lxml.html
        from readability import Document

        return lambda text, raw, url: lxml.html.fromstring(Document(text).summary()).text_content()

    def newspaper() -> Extract:
        warnings.filterwarnings("ignore", module="newspaper")
        from newspaper import Article

        def run(text: str, raw: bytes, url: str | None) -> str:
            article = Article(url or "http://example.com/", fetch_images=False)  # no network
            article.download(input_html=text)
            article.parse()
            return article.text

        return run

    def resiliparse() -> Extract:
        from resiliparse.extract.html2text import extract_plain_text

        return lambda text, raw, url: extract_plain_text(text, main_content=True)

    def boilerpy3() -> Extract:
        from boilerpy3 import extractors as b

        article = b.ArticleExtractor(raise_on_failure=False)
        return lambda text, raw, url: article.get_content(text)

    def justext() -> Extract:
        import justext as j

        stop = j.get_stoplist("English")
        return lambda text, raw, url: "\n".join(p.text for p in j.justext(raw, stop) if not p.is_boilerplate)

    def floor() -> Extract:
        from selectolax.lexbor import LexborHTMLParser

        def run(text: str, raw: bytes, url: str | None) -> str:
            body = LexborHTMLParser(text).body
            return body.text(separator="\n") if body is not None else ""

        return run

    add("cleaner", cleaner)
    add("trafilatura (default)", trafilatura())
    add("trafilatura (favor_precision)", trafilatura(favor_precision=True))
    add("readability-lxml", readability)
    add("newspaper4k", newspaper)
    add("resiliparse (main content)", resiliparse)
    add("boilerpy3", boilerpy3)
    add("jusText (English stoplist)", justext)
    add("selectolax, all text (floor)", floor)
    return found, missing


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--only", default="", help="comma-separated name prefixes: run only these (cleaner,trafilatura)")
    args = ap.parse_args()
    if not BENCH.is_dir():
        sys.exit(f"{BENCH}: benchmark not found (see ../shared/benchmarks/README.md)")
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[: args.limit or None]
    pages = [gzip.decompress((BENCH / "html" / f"{pid}.html.gz").read_bytes()) for pid in ids]
    found, missing = extractors()
    if args.only:
        found = {n: run for n, run in found.items() if any(n.startswith(p) for p in args.only.split(","))}
    for run in found.values():  # warm: imports, models and caches are not the page's time
        for raw in pages[:3]:
            try:
                run(raw.decode("utf-8", "replace"), raw, None)
            except Exception:
                pass
    texts: dict[str, list[str]] = {name: [] for name in found}
    rounds: dict[str, list[float]] = {name: [] for name in found}
    for r in range(args.rounds):
        spent = dict.fromkeys(found, 0.0)
        for pid, raw in zip(ids, pages, strict=True):
            text, url = raw.decode("utf-8", "replace"), truth[pid].get("url")
            for name, run in found.items():
                t0 = time.process_time()
                try:
                    out = run(text, raw, url) or ""
                except Exception:  # a failure scores the page as empty
                    out = ""
                spent[name] += time.process_time() - t0
                if r == 0:
                    texts[name].append(out)
        for name in found:
            rounds[name].append(spent[name] / len(ids) * 1000)
    print(f"{len(ids)} pages, {args.rounds} rounds   precision  recall     F1   ms/page min  median")
    traf = statistics.median(rounds.get("trafilatura (default)", [float("nan")]))
    for name in found:
        scores = [page_score(t, truth[pid]["articleBody"]) for t, pid in zip(texts[name], ids, strict=True)]
        p, rec, f, _ = summary(scores)
        low, mid = min(rounds[name]), statistics.median(rounds[name])
        print(f"{name:<30} {p:9.3f} {rec:7.3f} {f:6.3f} {low:9.1f} {mid:7.1f}  ({mid / traf:.2f}x trafilatura)")
    if missing:
        print(f"not installed: {', '.join(missing)} (pip install readability-lxml newspaper4k resiliparse boilerpy3)")


if __name__ == "__main__":
    main()
