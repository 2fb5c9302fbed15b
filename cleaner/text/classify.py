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
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from functools import cache, cached_property
from itertools import filterfalse, repeat
from operator import itemgetter
from pathlib import Path

import numpy as np
import regex

from .. import settings
from ..document import ARTICLE_LOST, Notice
from ..packs.model import Rule
from .language import detect, function_chars, stopwords
from .lines import ends_sentence, is_paragraph, main_cluster, runs
from .page import Page

_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_TOKEN_EDGES = "\"'“”‘’«»„()[]{}.,;:!?…—–-*•·|/"
_UNSPACED_CHAR = regex.compile(rf"[{_UNSPACED}]")
_DIGITS = "0123456789"
_WIDE_COMMA = regex.compile(r"[，、；]")
_SEPARATOR = regex.compile(r"[|•·»›©®™]|\s[-–—/]\s|https?:|www\.|@\w")
_OPENS_LOWER = regex.compile(r"[\p{Ll}]")
_OPENS_PUNCT = regex.compile(r"[,.;:!?)\]»”’%]")
_BULLET = ("- ", "• ", "* ", "· ")

# The per-line features, in the order the model's weights follow.
BASE = (
    "log_chars", "log_words", "ends_sentence", "ends_colon", "ends_bare", "opens_lower",
    "opens_punct", "stopword_share", "comma_rate", "digit_share",
    "capital_share", "repeated", "separator", "long", "bullet",
)  # fmt: skip
WINDOWED = ("log_chars", "ends_sentence", "stopword_share", "long")
WINDOWS = (3, 10, 25)
PAGE = (
    "position", "text_before", "in_main_run", "from_main_run", "log_lines", "prose_above",
    "prose_below", "from_prose_above", "from_prose_below", "short_run", "relative_length",
)  # fmt: skip
# The sentence a line is a piece of (see `sentences`): a link's text cut out of a sentence
# scores as the sentence does, not as a two-word line.
SENTENCE = ("sentence.log_chars", "sentence.ends_sentence", "sentence.log_pieces", "sentence.stopword_share")
# How many of a line's content words the page's other prose lines use too: an article keeps to
# its subject, while teasers of other stories, consent and legal text, and appeals do not.
TOPIC = ("topic.shared", "topic.log_uses")
# The lines just above and just below, apart: where an article ends, the text above is prose
# and the text below is not.
AHEAD = ("log_chars", "ends_sentence", "paragraph")
AHEAD_WINDOWS = (4, 15)
NEAR = 5  # the window of the sentence and topic features' means
# The second pass (auto-context): what the first pass made of a line and of the lines around
# it, how far it stands from what the first pass kept, and how much of its subject the lines
# the first pass kept share (a teaser beside the article shares little of it).
FIRST = ("first.score", "first.kept")
CONTEXT = (
    *FIRST, *(f"win{w}.{n}" for w in (3, 10) for n in FIRST), "from_first_kept", "inside_first_kept",
    "first.shared", "first.log_uses", f"win{NEAR}.first.shared", f"win{NEAR}.first.log_uses",
)  # fmt: skip


def feature_names() -> list[str]:
    own = list(BASE)
    near = [f"prev.{n}" for n in BASE] + [f"next.{n}" for n in BASE]
    win = [f"win{w}.{n}" for w in WINDOWS for n in WINDOWED]
    context = [*SENTENCE, *(f"win{NEAR}.{n}" for n in SENTENCE), *TOPIC, *(f"win{NEAR}.{n}" for n in TOPIC)]
    ahead = [f"{side}{w}.{n}" for w in AHEAD_WINDOWS for side in ("below", "above") for n in AHEAD]
    return own + near + win + list(PAGE) + context + ahead


def context_names() -> list[str]:
    """The second pass's features: the first's, then CONTEXT."""
    return feature_names() + list(CONTEXT)


def words_of(line: str) -> list[str]:
    """The whitespace-separated tokens of a line that hold a letter, without their punctuation
    (C-level maps and filters: this runs for every line of every page of no pack)."""
    return list(filterfalse(str.isdigit, filter(None, map(str.strip, line.split(), repeat(_TOKEN_EDGES)))))


def line_features(
    line: str, words: list[str], stops: frozenset[str], particles: frozenset[str], seen: Counter[str]
) -> list[float]:
    """The BASE features of a line; `words`: its `words_of`."""
    plain = line.isascii()
    unspaced = 0 if plain else len(_UNSPACED_CHAR.findall(line))
    n_words = len(words) + unspaced / 2
    chars = len(line) or 1
    last = line[-1:]
    commas = line.count(",") + line.count(";") + (0 if plain else len(_WIDE_COMMA.findall(line)))
    capitals = sum(map(str.isupper, map(itemgetter(0), words)))
    # a character of a script without spaces holds about what a Latin word of three letters does
    size = len(line) + settings.ARTICLE_UNSPACED_WEIGHT * unspaced
    if unspaced > len(words):
        function_share = min(
            1.0, settings.ARTICLE_FUNCTION_CHAR_SCALE * sum(map(particles.__contains__, line)) / unspaced
        )
    else:
        function_share = sum(map(stops.__contains__, map(str.lower, words))) / len(words) if words and stops else 0.0
    return [
        math.log1p(size),
        math.log1p(n_words),
        float(ends_sentence(line)),
        float(last == ":"),
        float(last.isalnum()),
        float(bool(_OPENS_LOWER.match(line))),
        float(bool(_OPENS_PUNCT.match(line))),
        function_share,
        min(commas / max(n_words, 1), 1.0),
        (sum(map(line.count, _DIGITS)) if plain else sum(map(str.isdigit, line))) / chars,
        capitals / len(words) if words else 0.0,
        float(seen[line] > 1),
        float(bool(_SEPARATOR.search(line))),
        float(size >= settings.ARTICLE_LONG_LINE),
        float(line.startswith(_BULLET)),
    ]


def _sentence_features(lines: list[str], base: np.ndarray) -> np.ndarray:
    """Per line, the features of the sentence it is a piece of (SENTENCE), from its pieces' own
    (`base`) features."""
    groups = np.array(sentences(lines))
    pieces = groups[:, 1] - groups[:, 0] + 1
    of = np.repeat(np.arange(len(groups)), pieces)  # each line's sentence
    words = np.expm1(base[:, BASE.index("log_words")])
    chars = np.bincount(of, weights=np.fromiter(map(len, lines), float, len(lines))) + pieces - 1
    n_words = np.bincount(of, weights=words)
    n_stops = np.bincount(of, weights=base[:, BASE.index("stopword_share")] * words)
    share = np.divide(n_stops, n_words, out=np.zeros(len(groups)), where=n_words > 0)
    ends = base[groups[:, 1], BASE.index("ends_sentence")]
    return np.column_stack([np.log1p(chars), ends, np.log1p(pieces - 1), share])[of]


def _content_sets(lines: list[str], words: list[list[str]], stops: frozenset[str]) -> list[set[str]]:
    """Each line's content words: of three letters or more, not function words, lower-cased;
    in a script without spaces, its characters."""
    out = []
    for line, own in zip(lines, words, strict=True):
        kept = {w for w in map(str.lower, own) if len(w) > 2} - stops
        if not line.isascii():
            kept.update(_UNSPACED_CHAR.findall(line))
        out.append(kept)
    return out


def _shared_with(content: list[set[str]], marked: list[bool]) -> np.ndarray:
    """Per line, the share of its content words that the other marked lines use, and the mean
    log of how many of them do."""
    uses: Counter[str] = Counter()
    for own, mark in zip(content, marked, strict=True):
        if mark:
            uses.update(own)
    out = np.zeros((len(content), 2))
    for i, (own, mark) in enumerate(zip(content, marked, strict=True)):
        if own:
            others = [uses[w] - mark for w in own]
            out[i] = (sum(map(bool, others)) / len(own), sum(map(math.log1p, others)) / len(own))
    return out


def _side_means(values: np.ndarray, width: int, below: bool) -> np.ndarray:
    """The mean of each column over the `width` lines below each line (or above it), the line
    itself left out; 0 where there are none."""
    n = len(values)
    sums = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    idx = np.arange(n)
    lo, hi = (idx + 1, np.minimum(idx + 1 + width, n)) if below else (np.maximum(idx - width, 0), idx)
    return (sums[hi] - sums[lo]) / np.maximum(hi - lo, 1)[:, None]


def _window_means(values: np.ndarray, width: int) -> np.ndarray:
    """The mean of each column over the lines within `width` of each line."""
    n = len(values)
    sums = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    lo = np.maximum(np.arange(n) - width, 0)
    hi = np.minimum(np.arange(n) + width + 1, n)
    return (sums[hi] - sums[lo]) / (hi - lo)[:, None]


def _distances(marks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lines from each line back to the nearest marked line above it, and on to the nearest below
    (the page's length where there is none)."""
    n = len(marks)
    at = np.flatnonzero(marks)
    idx = np.arange(n)
    if not len(at):
        return np.full(n, n), np.full(n, n)
    above = np.searchsorted(at, idx, side="left") - 1  # the last mark before each line
    below = np.searchsorted(at, idx, side="right")  # the first mark after each line
    up = np.where(above >= 0, idx - at[np.maximum(above, 0)], n)
    down = np.where(below < len(at), at[np.minimum(below, len(at) - 1)] - idx, n)
    return up, down


def _short_runs(short: np.ndarray) -> np.ndarray:
    """For each short line, the length of the run of short lines it stands in; 0 for others."""
    n = len(short)
    out = np.zeros(n)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], short.astype(int), [0]])))
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        out[start:end] = end - start
    return out


def page_features(lines: list[str], language: str | None, cluster: tuple[int, int] | None = None) -> np.ndarray:
    """The feature rows of a page's lines (see `feature_names`), one row per line; `cluster`: the
    page's main run (`lines.main_cluster`), when the caller has it already."""
    return _page_features(lines, language, cluster)[0]


def _page_features(
    lines: list[str], language: str | None, cluster: tuple[int, int] | None
) -> tuple[np.ndarray, list[set[str]]]:
    """The feature rows, and each line's content words (`_content_sets`, for the second pass)."""
    n = len(lines)
    if not n:
        return np.zeros((0, len(feature_names()))), []
    stops = stopwords(language)
    seen = Counter(lines)
    particles = function_chars(language)
    words = list(map(words_of, lines))
    base = np.array([line_features(*pair, stops, particles, seen) for pair in zip(lines, words, strict=True)])
    blank = np.zeros((1, len(BASE)))
    prev = np.vstack([blank, base[:-1]])
    after = np.vstack([base[1:], blank])
    windowed = base[:, [BASE.index(c) for c in WINDOWED]]
    wins = [_window_means(windowed, w) for w in WINDOWS]
    idx = np.arange(n)
    if cluster is None:
        cluster = main_cluster(lines, settings.ARTICLE_MIN_CHARS, settings.ARTICLE_MAX_GAP)
    if cluster is None:
        inside, away = np.zeros(n), np.full(n, math.log1p(n))
    else:
        inside = ((idx >= cluster[0]) & (idx <= cluster[1])).astype(float)
        away = np.log1p(np.maximum(np.maximum(cluster[0] - idx, idx - cluster[1]), 0))
    lengths = np.array([len(line) for line in lines], dtype=float)
    before = np.concatenate([[0.0], np.cumsum(lengths)[:-1]]) / (lengths.sum() or 1)
    # prose: paragraph-like lines; how much of it stands above and below each line, and how far
    paragraph = [is_paragraph(line, settings.ARTICLE_MIN_CHARS) for line in lines]
    prose = np.array(paragraph) * lengths
    total = prose.sum() or 1.0
    above = np.concatenate([[0.0], np.cumsum(prose)[:-1]])
    up, down = _distances(prose > 0)
    median = np.median(lengths) or 1.0
    page = np.column_stack([
        idx / n, before, inside, away, np.full(n, math.log1p(n)), above / total,
        (total - above - prose) / total, np.log1p(up), np.log1p(down),
        np.log1p(_short_runs(lengths < settings.ARTICLE_FRAGMENT_CHARS)), np.log((lengths + 1) / median),
    ])  # fmt: skip
    sentence = _sentence_features(lines, base)
    content = _content_sets(lines, words, stops)
    topic = _shared_with(content, paragraph)  # TOPIC
    shape = np.column_stack([base[:, BASE.index("log_chars")], base[:, BASE.index("ends_sentence")], paragraph])
    ahead = [_side_means(shape, w, side) for w in AHEAD_WINDOWS for side in (True, False)]
    context = [sentence, _window_means(sentence, NEAR), topic, _window_means(topic, NEAR)]
    return np.hstack([base, prev, after, *wins, page, *context, *ahead]), content


def context_features(
    lines: list[str], language: str | None, scores: list[float], content: list[set[str]] | None = None
) -> np.ndarray:
    """The CONTEXT rows of a page's lines, from the first pass's scores; `content`: the lines'
    content words, when the caller has them already."""
    n = len(lines)
    if not n:
        return np.zeros((0, len(CONTEXT)))
    first = np.column_stack([scores, np.greater(scores, 0.0)])
    kept = first[:, 1] > 0
    up, down = _distances(kept)
    at = np.flatnonzero(kept)
    idx = np.arange(n)
    inside = (idx >= at[0]) & (idx <= at[-1]) if len(at) else np.zeros(n, dtype=bool)
    if content is None:
        content = _content_sets(lines, list(map(words_of, lines)), stopwords(language))
    shared = _shared_with(content, kept.tolist())
    return np.hstack([
        first, *(_window_means(first, w) for w in (3, 10)),
        np.log1p(np.where(kept, 0, np.minimum(up, down)))[:, None], inside[:, None], shared,
        _window_means(shared, NEAR),
    ])  # fmt: skip


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
        data = json.loads(path.read_text(encoding="utf-8"))
        stale = ValueError(f"{path}: the model's features are not this version's; retrain it (bench/line_model.py)")
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


@cache
def _load(path: str) -> Model:
    return Model.from_file(Path(path))


_OVERRIDE: list[Model | None] = []
_RECORD: list[list[tuple[list[str], np.ndarray, str | None]]] = []


@contextmanager
def using(model: Model | None) -> Iterator[None]:
    """Run with this model in place of the shipped one (cross-validation in bench/); None runs
    no model (the rule only records, see `recording`)."""
    _OVERRIDE.append(model)
    try:
        yield
    finally:
        _OVERRIDE.pop()


@contextmanager
def recording(into: list[tuple[list[str], np.ndarray, str | None]]) -> Iterator[None]:
    """Record each page's lines, feature rows and language as the rule sees them (training data)."""
    _RECORD.append(into)
    try:
        yield
    finally:
        _RECORD.pop()


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


def line_sizes(rows: np.ndarray) -> list[float]:
    """The weight of each line in `decode`: one plus the log of its words."""
    return (1 + rows[:, BASE.index("log_words")]).tolist() if len(rows) else []


def _opens_inside(line: str) -> bool:
    return bool(_OPENS_LOWER.match(line) or _OPENS_PUNCT.match(line))


def sentences(lines: list[str]) -> list[tuple[int, int]]:
    """The runs of lines that make one sentence: a scraper that writes each text node on its own
    line cuts a sentence at every link ("the photography exhibition" / "Home: Perspectives" /
    "opened on Monday."). A line carries on the one above when that one ends without sentence
    punctuation and this one opens in lower case or with punctuation; a short line between two
    such pieces (a link's text: a name in capitals) carries on too."""
    n = len(lines)
    open_end = [not ends_sentence(line) and not line.endswith(":") for line in lines]
    inside = [_opens_inside(line) for line in lines]
    link = [False] * n  # link[k]: line k carries on line k - 1
    for k in range(1, n):
        link[k] = open_end[k - 1] and inside[k]
    for k in range(n - 2, 0, -1):
        if not link[k] and open_end[k - 1] and link[k + 1] and len(lines[k]) <= settings.ARTICLE_FRAGMENT_CHARS:
            link[k] = True
    out, start = [], 0
    for k in range(1, n + 1):
        if k == n or not link[k]:
            out.append((start, k - 1))
            start = k
    return out


def choose(lines: list[str], model: Model, language: str | None) -> list[bool]:
    """Which lines are the article."""
    cluster = main_cluster(lines, settings.ARTICLE_MIN_CHARS, settings.ARTICLE_MAX_GAP)
    rows, content = _page_features(lines, language, cluster)
    scores = model.scores(rows, lines, language, content)
    return settle(lines, scores, line_sizes(rows), cluster, model.span, model.inside, model.outside)


def settle(
    lines: list[str],
    scores: list[float],
    sizes: list[float],
    cluster: tuple[int, int] | None,
    span: float,
    inside: float,
    outside: float,
) -> list[bool]:
    """The lines' scores decoded into the article (`decode`), then what is never left to the
    model (see the module's docstring); bench/line_model.py tunes the decoding through this."""
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
            if (keep[i] or i <= last) and lines[i].endswith(":") and lines[i + 1].startswith(_BULLET):
                keep[i] = True
                k = i + 1
                while k < len(lines) and lines[k].startswith(_BULLET):
                    keep[k] = True
                    k += 1
        # a lead or a dateline alone above the article, or a closing line alone below it, is
        # no frame: a page that is already the article keeps them
        if first < settings.ARTICLE_MIN_HEAD:
            keep[:first] = [True] * first
        if len(lines) - 1 - last < settings.ARTICLE_MIN_TAIL:
            keep[last + 1 :] = [True] * (len(lines) - 1 - last)
    # a sentence cut into pieces stays whole when its longest piece stays
    for first, last in sentences(lines):
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
