"""The `article` drop kind: which lines of a page of an unknown outlet are its article.

Each kept line gets content-agnostic features (its length, sentence punctuation, the share of
function words of the page's language, capitals, digits, repetition within the page, its
position) beside the same features of its neighbours, the text density around it and just
below and above it, the sentence a link's text is a piece of, and how much of its subject the
page's other prose shares. A logistic model trained offline (bench/line_model.py, shipped as
data in `rules/models/`) turns them into a score per line; a second one reads the first's
scores around each line and the subject of what it kept (auto-context). The decoding pass
(`decode`) takes the one run of lines with the most article score, drops what scores low
inside it and keeps what scores high outside it.

Never left to the model:
- the main run of article-like text (`lines.main_cluster`) always stays: where the model keeps
  less than a share of its prose (it found another article, or none), all its prose stays,
  and elsewhere its paragraphs count as inside the article's run;
- a line that continues a kept sentence stays (a scraper that writes each text node on its own
  line cuts a sentence at every link: "According to the" / "ministry" / "the cranes ...");
- a page of a line or two has no frame to remove;
- a page where the model keeps almost none of the sentence-like text gets a warning."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass, fields
from functools import cache, cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np

from .. import settings
from ..document import ARTICLE_LOST, Notice
from ..errors import PackError
from ..packs.model import Rule
from .features import BULLET, context_features, context_names, feature_names, line_sizes, page_features, page_rows
from .language import detect
from .lines import is_paragraph, main_cluster, runs, sentences
from .page import Page

T = TypeVar("T")


@dataclass(frozen=True)
class Logistic:
    """A logistic model over standardised features."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float

    @cached_property
    def _linear(self) -> tuple[np.ndarray, float]:
        """The weights and bias over raw (unstandardised) features."""
        w = np.array(self.weights) / np.array(self.scale)
        return w, self.bias - float(w @ np.array(self.mean))

    def scores(self, rows: np.ndarray) -> list[float]:
        w, b = self._linear
        return (rows @ w + b).tolist() if len(rows) else []


@dataclass(frozen=True)
class Model:
    """Two logistic passes (the second reads the first's scores around each line, see
    `context_features`), and the decoding policy trained with them."""

    first: Logistic
    second: Logistic | None
    span: float  # log-odds over which a line adds to the article's run (see `decode`)
    inside: float  # log-odds under which a line inside the run is chrome
    outside: float  # log-odds over which a line outside the run is article

    def scores(
        self, rows: np.ndarray, lines: list[str], language: str | None, content: list[set[str]] | None = None
    ) -> list[float]:
        """Each line's log-odds of being the article's (`content`: see `context_features`)."""
        scores = self.first.scores(rows)
        if self.second is None or not len(rows):
            return scores
        return self.second.scores(np.hstack([rows, context_features(lines, language, scores, content)]))

    def to_json(self) -> str:
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out |= {k: asdict(out[k]) if out[k] is not None else None for k in ("first", "second")}
        return json.dumps(out, indent=1)

    @classmethod
    def from_file(cls, path: Path) -> Model:
        data = read_model(path, "bench/line_model.py")
        stale = PackError(str(path), "the model's features are not this version's; retrain it (bench/line_model.py)")
        try:
            first, second = (
                Logistic(**{f: tuple(v) if isinstance(v, list) else v for f, v in data[k].items()}) if data[k] else None
                for k in ("first", "second")
            )
            model = cls(first, second, data["span"], data["inside"], data["outside"])  # type: ignore[arg-type]
        except (KeyError, TypeError, AttributeError) as exc:  # a file of another version's shape
            raise stale from exc
        if list(model.first.names) != feature_names() or (
            model.second is not None and list(model.second.names) != context_names()
        ):
            raise stale
        return model


def read_model(path: Path, trainer: str) -> dict:
    """A model file's JSON object; a file that is missing, unreadable or not a model is a clear
    error naming it and what to do (`trainer`: the script that writes it)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise PackError(
            str(path), f"model file {path.name} unreadable ({why}); reinstall cleaner, or retrain it ({trainer})"
        ) from exc
    if not isinstance(data, dict):
        raise PackError(str(path), f"{path.name} is not a model file; reinstall cleaner, or retrain it ({trainer})")
    return data


@cache
def _load(path: str) -> Model:
    return Model.from_file(Path(path))


_OVERRIDE: list[Model | None] = []
_RECORD: list[list[tuple[list[str], np.ndarray, str | None]]] = []


@contextmanager
def pushed(stack: list[T], value: T) -> Iterator[None]:
    """`value` on top of `stack` for the `with` block: a model's override or recording, which
    the model reads as `stack[-1]` (nested blocks stack, and each ends with its own)."""
    stack.append(value)
    try:
        yield
    finally:
        stack.pop()


def using(model: Model | None) -> AbstractContextManager[None]:
    """Run with this model in place of the shipped one (cross-validation in bench/); None runs
    no model (the rule only records, see `recording`)."""
    return pushed(_OVERRIDE, model)


def recording(into: list[tuple[list[str], np.ndarray, str | None]]) -> AbstractContextManager[None]:
    """Record each page's lines, feature rows and language as the rule sees them (training data)."""
    return pushed(_RECORD, into)


def decode(scores: list[float], sizes: list[float], span: float, inside: float, outside: float) -> list[bool]:
    """Article (True) or chrome for each line. The article is the one run of lines whose scores
    over `span`, each weighed by its size, add up to the most; inside that run a line stays
    unless it scores under `inside`, outside it a line stays only when it scores over `outside`."""
    best, first, last = -math.inf, 0, -1
    run, start = 0.0, 0
    for i, (score, size) in enumerate(zip(scores, sizes, strict=True)):
        if run <= 0:
            run, start = 0.0, i
        run += (score - span) * size
        if run > best:
            best, first, last = run, start, i
    return [score > (inside if first <= i <= last else outside) for i, score in enumerate(scores)]


def choose(lines: list[str], model: Model, language: str | None) -> list[bool]:
    """Which lines are the article."""
    cluster = main_cluster(lines, settings.ARTICLE_MIN_CHARS, settings.ARTICLE_MAX_GAP)
    rows, content, pieces = page_rows(lines, language, cluster)
    scores = model.scores(rows, lines, language, content)
    return settle(lines, scores, line_sizes(rows), cluster, model.span, model.inside, model.outside, pieces)


def settle(
    lines: list[str],
    scores: list[float],
    sizes: list[float],
    cluster: tuple[int, int] | None,
    span: float,
    inside: float,
    outside: float,
    pieces: list[tuple[int, int]] | None = None,
) -> list[bool]:
    """The lines' scores decoded into the article (`decode`), then what is never left to the
    model (see the module's docstring); bench/line_model.py tunes the decoding through this.
    `pieces`: the page's `sentences`, when the caller has them already."""
    if len(lines) < settings.ARTICLE_MIN_LINES:  # too few lines to hold a frame
        return [True] * len(lines)
    keep = decode(scores, sizes, span, inside, outside)
    if cluster is not None:
        first, last = cluster
        prose = [i for i in range(first, last + 1) if is_paragraph(lines[i], settings.ARTICLE_MIN_CHARS)]
        held = sum(len(lines[i]) for i in prose if keep[i])
        # the model found another article, or none: the main run's prose stays whole; else
        # the main run's prose counts as inside the article's run
        whole = held < settings.ARTICLE_GUARD_SHARE * sum(len(lines[i]) for i in prose)
        for i in prose:
            keep[i] = keep[i] or whole or scores[i] > inside
        # a list that a kept sentence introduces ("The main buyers were:") is the article's
        for i in range(first, len(lines) - 1):
            if (keep[i] or i <= last) and lines[i].endswith(":") and lines[i + 1].startswith(BULLET):
                keep[i] = True
                k = i + 1
                while k < len(lines) and lines[k].startswith(BULLET):
                    keep[k] = True
                    k += 1
        # a lead or a dateline alone above the article, or a closing line alone below it, is
        # no frame: a page that is already the article keeps them
        if first < settings.ARTICLE_MIN_HEAD:
            keep[:first] = [True] * first
        if len(lines) - 1 - last < settings.ARTICLE_MIN_TAIL:
            keep[last + 1 :] = [True] * (len(lines) - 1 - last)
    # a sentence cut into pieces stays whole when its longest piece stays
    for first, last in sentences(lines) if pieces is None else pieces:
        if first < last:
            longest = max(range(first, last + 1), key=lambda k: len(lines[k]))
            if keep[longest]:
                keep[first : last + 1] = [True] * (last - first + 1)
    return keep


def drop_article(rule: Rule, page: Page) -> None:
    """Remove the lines the model scores as chrome (see the module's docstring)."""
    kept = page.view(rule.where).indices
    if not kept:
        return
    lines = [page.lines[i] for i in kept]
    language = detect("\n".join(lines))
    if language and "language" not in page.fields:
        page.set_field("language", language, None, 0)
    if _RECORD:
        _RECORD[-1].append((lines, page_features(lines, language), language))
    model = _OVERRIDE[-1] if _OVERRIDE else _load(rule.model) if rule.model else None
    if model is None:
        return
    keep = choose(lines, model, language)
    prose = [len(line) if is_paragraph(line, settings.ARTICLE_MIN_CHARS) else 0 for line in lines]
    total, held = sum(prose), sum(p for p, k in zip(prose, keep, strict=True) if k)
    if total and held < settings.ARTICLE_WARN_SHARE * total:
        page.warnings.append(
            Notice(
                f"rule {rule.id}: kept {held} of {total} characters of sentence-like text;"
                " the article may be lost (check the page, or write a pack for its outlet)",
                ARTICLE_LOST,
            )
        )
    gone = [i for i, k in zip(kept, keep, strict=True) if not k]
    page.remove_spans(runs(gone, kept), rule)
