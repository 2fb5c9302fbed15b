"""Score the text path on full-page text dumps of outlets nobody tuned for.

    python bench/render_eval.py [--bench DIR] [--renderer all|nodes|blocks] [--folds 5] [--worst K]

The 181 pages of ../shared/benchmarks/article-extraction-benchmark are rendered into the text a
scraper saves as "the page's text", two ways, so that nothing is tuned to one renderer:

  nodes   as scrapling's get_all_text: every text node of <body> outside script, style,
          noscript, template and svg, stripped, the empty ones dropped, joined with "\\n"
  blocks  inscriptis (block-level line breaks, as a browser lays the text out)

Each dump goes to `clean(text, url=url, format="text")` and is scored beside keep-everything and
jusText (one <p> per line, the stoplist of the page's language) in the same run: bag-of-tokens
precision/recall per page against `articleBody`, macro-averaged, F1 from the two means. Scripts
written without spaces (Chinese, Japanese, Thai, ...) count one token per character.

Cross-validation by site: the sites are split into --folds folds by a hash of the host name; the
line model is trained on the other folds (bench/line_model.py) and scored on each fold, so every
figure is for sites the model never saw. `--shipped` scores the model in rules/ instead (trained
on every site: an in-sample figure, shown for comparison only)."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import regex

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "benchmarks" / "article-extraction-benchmark"
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_TOKEN = regex.compile(rf"[{_UNSPACED}]|[^\W{_UNSPACED}]+")
_SKIP = ("script", "style", "noscript", "template", "svg")


# -- renderers ----------------------------------------------------------------------------------
def render_nodes(html: str) -> str:
    """scrapling's get_all_text: the stripped, non-empty text nodes of <body>, one per line."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    body = tree.body
    if body is None:
        return ""
    for tag in _SKIP:
        for node in body.css(tag):
            node.decompose()
    out = []
    for node in body.traverse(include_text=True):
        if node.tag == "-text":
            text = (node.text_content or "").strip()
            if text:
                out.append(text)
    return "\n".join(out)


def render_blocks(html: str) -> str:
    """inscriptis: text laid out with block-level line breaks; blank lines dropped."""
    from inscriptis import get_text

    return "\n".join(line.strip() for line in get_text(html).splitlines() if line.strip())


RENDERERS: dict[str, Callable[[str], str]] = {"nodes": render_nodes, "blocks": render_blocks}


# -- scoring -------------------------------------------------------------------------------------
def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in _TOKEN.findall(text or ""))


def page_score(pred: str, truth: str) -> tuple[float, float]:
    p, t = tokens(pred), tokens(truth)
    tp = sum((p & t).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def summary(scores: list[tuple[float, float]]) -> tuple[float, float, float]:
    if not scores:
        return 0.0, 0.0, 0.0
    p = sum(s[0] for s in scores) / len(scores)
    r = sum(s[1] for s in scores) / len(scores)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


# -- the pages -----------------------------------------------------------------------------------
@dataclass
class Dump:
    pid: str
    url: str
    site: str
    body: str
    text: str


def fold_of(site: str, folds: int) -> int:
    return int(hashlib.sha1(site.encode()).hexdigest(), 16) % folds


def load(bench: Path, renderer: str, limit: int = 0) -> list[Dump]:
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    render = RENDERERS[renderer]
    out = []
    for pid in sorted(truth)[: limit or None]:
        html = gzip.decompress((bench / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8", "replace")
        url = truth[pid].get("url") or ""
        site = (urlsplit(url).hostname or pid).removeprefix("www.")
        out.append(Dump(pid, url, site, truth[pid]["articleBody"], render(html)))
    return out


def justext_text(text: str) -> str:
    """jusText on the dump, one <p> per line, with the stoplist of the page's language."""
    import html as htmllib

    import justext

    from cleaner.text.language import detect, stopwords

    stoplist = stopwords(detect(text)) or justext.get_stoplist("English")
    doc = "<html><body>" + "".join(f"<p>{htmllib.escape(line)}</p>" for line in text.splitlines()) + "</body></html>"
    return "\n".join(p.text for p in justext.justext(doc, stoplist) if not p.is_boilerplate)


def cleaner_text(d: Dump) -> str:
    from cleaner import clean

    try:
        return clean(d.text, url=d.url or None, format="text").text
    except Exception as exc:  # a failure scores zero, and is shown
        print(f"{d.pid}: {exc}", file=sys.stderr)
        return ""


def folds_models(
    dumps: dict[str, list[Dump]], folds: int
) -> Iterator[tuple[int, Callable[[], AbstractContextManager]]]:
    """(fold, a context in which the line model trained on the other folds' sites is used)."""
    from bench.line_model import train
    from cleaner.text import classify

    for k in range(folds):
        others = {r: [d for d in ds if fold_of(d.site, folds) != k] for r, ds in dumps.items()}
        model = train(others)
        yield k, lambda model=model: classify.using(model)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=BENCH)
    ap.add_argument("--renderer", choices=["all", *RENDERERS], default="all")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--shipped", action="store_true", help="score the shipped model (in-sample), no folds")
    ap.add_argument("--no-peers", action="store_true", help="skip keep-everything and jusText")
    ap.add_argument("--worst", type=int, default=0, help="list the K pages with the lowest F1")
    args = ap.parse_args()
    if not args.bench.is_dir():
        sys.exit(f"{args.bench}: benchmark not found; pass --bench DIR (see ../shared/benchmarks/README.md)")
    renderers = list(RENDERERS) if args.renderer == "all" else [args.renderer]
    dumps = {r: load(args.bench, r, args.limit) for r in renderers}
    plan = [(-1, nullcontext)] if args.shipped else list(folds_models(dumps, args.folds))
    for renderer in renderers:
        pages = dumps[renderer]
        print(f"\n== renderer {renderer}: {len(pages)} pages, {len({d.site for d in pages})} sites")
        print(f"{'':22} {'precision':>9} {'recall':>7} {'F1':>6} {'ms/page':>8}")
        mine_all: list[tuple[float, float]] = []
        rows = []
        spent = 0.0
        for k, model in plan:
            test = [d for d in pages if k < 0 or fold_of(d.site, args.folds) == k]
            with model():
                t0 = time.perf_counter()
                got = [cleaner_text(d) for d in test]
                spent += time.perf_counter() - t0
            mine = [page_score(g, d.body) for g, d in zip(got, test, strict=True)]
            mine_all += mine
            rows += [(d, s) for d, s in zip(test, mine, strict=True)]
            if k >= 0:
                p, r, f = summary(mine)
                print(f"  fold {k} ({len(test):3} pages)   {p:9.3f} {r:7.3f} {f:6.3f}")
        p, r, f = summary(mine_all)
        label = "cleaner (shipped)" if args.shipped else "cleaner, unseen sites"
        print(f"{label:22} {p:9.3f} {r:7.3f} {f:6.3f} {spent / len(pages) * 1000:8.1f}")
        if not args.no_peers:
            for name, fn in (("keep everything", lambda d: d.text), ("jusText", lambda d: justext_text(d.text))):
                t0 = time.perf_counter()
                peer = [page_score(fn(d), d.body) for d in pages]
                ms = (time.perf_counter() - t0) / len(pages) * 1000
                p, r, f = summary(peer)
                print(f"{name:22} {p:9.3f} {r:7.3f} {f:6.3f} {ms:8.1f}")
        if args.worst:
            rows.sort(key=lambda x: 2 * x[1][0] * x[1][1] / (x[1][0] + x[1][1] or 1))
            for d, (p, r) in rows[: args.worst]:
                print(f"  {d.pid[:12]} P {p:.2f} R {r:.2f}  {d.url[:80]}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
