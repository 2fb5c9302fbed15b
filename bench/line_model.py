"""Train the line model of the `article` drop kind (cleaner/text/classify.py; its features: cleaner/text/features.py).

    python bench/line_model.py [--bench DIR] [--out rules/models/lines.json]

The training pages are the HTML benchmark's, rendered both ways (bench/render_eval.py), and
the labelled full-page dumps of ../shared/corpus/dev: every line the `article` rule sees is
labelled article when its tokens run inside the page's ground truth. The model is two logistic
regressions over standardised features (numpy, Newton's method with an L2 penalty), each line
weighed by its tokens and each page alike: the second reads the first's scores around each line
(`classify.context_features`). The thresholds of the decoding pass are then chosen
on the same pages, through the rules that follow it (`classify.settle`), for the best F1 whose
recall holds the recall target.

bench/render_eval.py calls `train` once per fold, on the other folds' sites only."""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.render_eval import _TOKEN, BENCH, RENDERERS, Dump, load, tokens  # noqa: E402
from cleaner import clean, settings  # noqa: E402
from cleaner.text import classify  # noqa: E402
from cleaner.text.lines import main_cluster  # noqa: E402

RECALL_TARGET = 0.975
L2 = 1.0
# the decoding grid (log-odds)
SPAN = (-1.5, -1.0, -0.5, 0.0)
INSIDE = (-4.0, -3.0, -2.0, -1.5)
OUTSIDE = (1.0, 1.5, 2.0, 3.0)


@dataclass
class Sample:
    pid: str
    lines: list[str]
    rows: np.ndarray
    labels: np.ndarray  # 1: article
    weights: np.ndarray  # the line's tokens
    truth_tokens: int
    language: str | None = None

    @property
    def cluster(self) -> tuple[int, int] | None:
        return main_cluster(self.lines, settings.ARTICLE_MIN_CHARS, settings.ARTICLE_MAX_GAP)


_SEEN: dict[tuple[str, str], Sample | None] = {}


def _norm(text: str) -> str:
    return " " + " ".join(t.lower() for t in _TOKEN.findall(text)) + " "


def label(lines: list[str], body: str) -> np.ndarray:
    """1 for a line whose tokens run inside the ground truth; a short line (under four tokens)
    counts only beside such a long line, since "Home" or "the" run inside most bodies."""
    truth = _norm(body)
    inside = [_norm(line) in truth and _norm(line).strip() != "" for line in lines]
    long = [len(_TOKEN.findall(line)) >= 4 for line in lines]
    out = np.zeros(len(lines))
    for i, (hit, big) in enumerate(zip(inside, long, strict=True)):
        if hit and (big or any(inside[j] and long[j] for j in range(max(0, i - 2), min(len(lines), i + 3)) if j != i)):
            out[i] = 1
    return out


def collect(dump: Dump, key: str) -> Sample | None:
    if (key, dump.pid) in _SEEN:
        return _SEEN[key, dump.pid]
    rec: list = []
    with classify.recording(rec), classify.using(None):
        clean(dump.text, url=dump.url or None, format="text", pack="_generic")
    sample = None
    if rec:
        lines, rows, language = rec[0]
        w = np.array([len(_TOKEN.findall(line)) for line in lines], dtype=float)
        sample = Sample(dump.pid, lines, rows, label(lines, dump.body), w, sum(tokens(dump.body).values()), language)
    _SEEN[key, dump.pid] = sample
    return sample


def fit(
    samples: list[Sample], rows: list[np.ndarray] | None = None, names: list[str] | None = None
) -> classify.Logistic:
    """A logistic regression on the samples' rows (or on `rows`, one array per sample), whose
    features are `names` (by default the line model's, or its second pass's with `rows`)."""
    X = np.vstack(rows if rows is not None else [s.rows for s in samples])
    y = np.concatenate([s.labels for s in samples])
    # each page weighs the same; within a page, a line weighs its tokens
    w = np.concatenate([(s.weights + 1) / (s.weights.sum() + len(s.lines)) for s in samples])
    w = w / w.mean()
    mean, scale = X.mean(0), X.std(0)
    scale[scale == 0] = 1
    Z = np.hstack([(X - mean) / scale, np.ones((len(X), 1))])
    beta = np.zeros(Z.shape[1])
    penalty = np.full(Z.shape[1], L2)
    penalty[-1] = 0
    for _ in range(25):
        p = 1 / (1 + np.exp(-np.clip(Z @ beta, -30, 30)))
        grad = Z.T @ (w * (p - y)) + penalty * beta
        hess = (Z * (w * p * (1 - p))[:, None]).T @ Z + np.diag(penalty)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    names = names or (classify.feature_names() if rows is None else classify.context_names())
    as_floats = (tuple(map(float, v)) for v in (mean, scale, beta[:-1]))
    return classify.Logistic(tuple(names), *as_floats, float(beta[-1]))


def page_pr(sample: Sample, keep: list[bool]) -> tuple[float, float]:
    k = np.array(keep, dtype=bool)
    tp = float((sample.weights * sample.labels * k).sum())
    kept = float((sample.weights * k).sum())
    want = float((sample.weights * sample.labels).sum()) or 1.0
    return (tp / kept if kept else 0.0), tp / want


def train(dumps_by_renderer: list[Dump] | dict[str, list[Dump]]) -> classify.Model:
    if isinstance(dumps_by_renderer, list):
        dumps_by_renderer = {"given": dumps_by_renderer}
    samples = [s for key, dumps in dumps_by_renderer.items() for d in dumps if (s := collect(d, key)) is not None]
    first = fit(samples)
    # the second pass learns from the first's scores on the same pages (a logistic model
    # scores its own training pages about as it scores others)
    context = [
        np.hstack([s.rows, classify.context_features(s.lines, s.language, first.scores(s.rows))]) for s in samples
    ]
    second = fit(samples, context)
    scored = [
        (s, second.scores(rows), classify.line_sizes(s.rows), s.cluster)
        for s, rows in zip(samples, context, strict=True)
    ]
    best = None
    for params in itertools.product(SPAN, INSIDE, OUTSIDE):
        pr = [page_pr(s, classify.settle(s.lines, sc, sizes, cl, *params)) for s, sc, sizes, cl in scored]
        p = sum(a for a, _ in pr) / len(pr)
        r = sum(b for _, b in pr) / len(pr)
        f = 2 * p * r / (p + r) if p + r else 0
        key = (r >= RECALL_TARGET, f)
        if best is None or key > best[0]:
            best = (key, params)
    assert best is not None
    return classify.Model(first, second, *best[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", type=Path, default=BENCH)
    ap.add_argument("--out", type=Path, default=ROOT / "rules" / "models" / "lines.json")
    args = ap.parse_args()
    if not args.bench.is_dir():
        sys.exit(f"{args.bench}: benchmark not found; pass --bench DIR (see ../shared/benchmarks/README.md)")
    model = train({r: load(args.bench, r) for r in RENDERERS})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"wrote {args.out}: span {model.span}, inside {model.inside}, outside {model.outside}")


if __name__ == "__main__":
    main()
