"""The line model's features: what each line of a page of an unknown outlet looks like,
content-agnostically (see `classify` for the model that reads them).

Per line: its length, sentence punctuation, the share of function words of the page's language
(or of function characters in a script without spaces), capitals, digits, repetition within the
page; the same of its neighbours; the text density around it, and just below and just above it;
the sentence a link's text is a piece of (`lines.sentences`); how much of its subject the page's
other prose shares; where it stands against the page's main run and its prose. The second pass
adds what the first pass made of the line and of the lines around it (`context_features`)."""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import filterfalse, repeat
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import regex

from .. import settings
from .language import function_chars, stopwords
from .lines import OPENS_LOWER, OPENS_PUNCT, ends_sentence, is_paragraph, main_cluster, sentences

_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_TOKEN_EDGES = "\"'“”‘’«»„()[]{}.,;:!?…—–-*•·|/"
_UNSPACED_CHAR = regex.compile(rf"[{_UNSPACED}]")
# The Unicode blocks that hold those scripts, as plain code point ranges: a first look over a
# whole page with the stdlib's `re`, three times faster than the classes by script; a page it
# finds nothing in has none of them (a test keeps it a superset of `_UNSPACED_CHAR`).
UNSPACED_BLOCKS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\u2e80-\u9fff\ua9e0-\uaa7f\uf900-\ufaff"
    "\uff66-\uff9f\U000116d0-\U000116ff\U00016fe0-\U00016fff\U0001aff0-\U0001b2ff\U0001f200-\U0001f2ff"
    "\U00020000-\U0003ffff]"
)
_DIGITS = "0123456789"
_WIDE_COMMA = regex.compile(r"[，、；]")
_SEPARATOR = re.compile(r"[|•·»›©®™]|\s[-–—/]\s|https?:|www\.|@\w")  # stdlib re: a third faster here
BULLET = ("- ", "• ", "* ", "· ")

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
FIRST_WINDOWS = (3, 10)
CONTEXT = (
    *FIRST, *(f"win{w}.{n}" for w in FIRST_WINDOWS for n in FIRST), "from_first_kept", "inside_first_kept",
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
    line: str,
    words: list[str],
    hanzi: list[str],
    stops: frozenset[str],
    particles: frozenset[str],
    seen: Counter[str],
) -> list[float]:
    """The BASE features of a line; `words`: its `words_of`; `hanzi`: its `unspaced_of`."""
    plain = line.isascii()
    unspaced = len(hanzi)
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
        float(bool(OPENS_LOWER.match(line))),
        float(bool(OPENS_PUNCT.match(line))),
        function_share,
        min(commas / max(n_words, 1), 1.0),
        (sum(map(line.count, _DIGITS)) if plain else sum(map(str.isdigit, line))) / chars,
        capitals / len(words) if words else 0.0,
        float(seen[line] > 1),
        float(bool(_SEPARATOR.search(line))),
        float(size >= settings.ARTICLE_LONG_LINE),
        float(line.startswith(BULLET)),
    ]


def _sentence_features(pieces: list[tuple[int, int]], base: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Per line, the features of the sentence it is a piece of (SENTENCE; `pieces`: the page's
    `sentences`), from its pieces' own (`base`) features and lengths."""
    groups = np.array(pieces)
    pieces = groups[:, 1] - groups[:, 0] + 1
    of = np.repeat(np.arange(len(groups)), pieces)  # each line's sentence
    words = np.expm1(base[:, BASE.index("log_words")])
    chars = np.bincount(of, weights=lengths) + pieces - 1
    n_words = np.bincount(of, weights=words)
    n_stops = np.bincount(of, weights=base[:, BASE.index("stopword_share")] * words)
    share = np.divide(n_stops, n_words, out=np.zeros(len(groups)), where=n_words > 0)
    ends = base[groups[:, 1], BASE.index("ends_sentence")]
    return np.column_stack([np.log1p(chars), ends, np.log1p(pieces - 1), share])[of]


def unspaced_of(lines: list[str]) -> list[list[str]]:
    """Each line's characters of scripts written without spaces; one search of the page first,
    since most pages have none (a page in Cyrillic or with accents is not ASCII either)."""
    if all(map(str.isascii, lines)) or UNSPACED_BLOCKS.search("\n".join(lines)) is None:
        return [[] for _ in lines]
    return [[] if line.isascii() else _UNSPACED_CHAR.findall(line) for line in lines]


def _content_sets(words: list[list[str]], hanzi: list[list[str]], stops: frozenset[str]) -> list[set[str]]:
    """Each line's content words: of three letters or more, not function words, lower-cased;
    in a script without spaces, its characters (`hanzi`: the lines' `unspaced_of`)."""
    out = []
    for own, chars in zip(words, hanzi, strict=True):
        kept = {w for w in map(str.lower, own) if len(w) > 2} - stops
        kept.update(chars)
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


def _means(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The mean of each column over the lines lo[i] to hi[i] - 1, for each line i; 0 where that
    range is empty."""
    sums = np.vstack([np.zeros((1, values.shape[1])), np.cumsum(values, axis=0)])
    return (sums[hi] - sums[lo]) / np.maximum(hi - lo, 1)[:, None]


def _side_means(values: np.ndarray, width: int, below: bool) -> np.ndarray:
    """The mean of each column over the `width` lines below each line (or above it), the line
    itself left out; 0 where there are none."""
    idx = np.arange(len(values))
    if below:
        return _means(values, idx + 1, np.minimum(idx + 1 + width, len(values)))
    return _means(values, np.maximum(idx - width, 0), idx)


def _window_means(values: np.ndarray, width: int) -> np.ndarray:
    """The mean of each column over the lines within `width` of each line."""
    idx = np.arange(len(values))
    return _means(values, np.maximum(idx - width, 0), np.minimum(idx + width + 1, len(values)))


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
    return page_rows(lines, language, cluster).rows


class PageRows(NamedTuple):
    rows: np.ndarray  # one row of features a line
    content: list[set[str]]  # each line's content words (`_content_sets`), for the second pass
    pieces: list[tuple[int, int]]  # the page's sentences cut at links (`lines.sentences`)


def page_rows(lines: list[str], language: str | None, cluster: tuple[int, int] | None) -> PageRows:
    """The feature rows, with what the model's later steps need of the same page."""
    n = len(lines)
    if not n:
        return PageRows(np.zeros((0, len(feature_names()))), [], [])
    stops = stopwords(language)
    seen = Counter(lines)
    particles = function_chars(language)
    words = list(map(words_of, lines))
    hanzi = unspaced_of(lines)
    base = np.array([line_features(*each, stops, particles, seen) for each in zip(lines, words, hanzi, strict=True)])
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
    pieces = sentences(lines)
    sentence = _sentence_features(pieces, base, lengths)
    content = _content_sets(words, hanzi, stops)
    topic = _shared_with(content, paragraph)  # TOPIC
    shape = np.column_stack([base[:, BASE.index("log_chars")], base[:, BASE.index("ends_sentence")], paragraph])
    ahead = [_side_means(shape, w, side) for w in AHEAD_WINDOWS for side in (True, False)]
    context = [sentence, _window_means(sentence, NEAR), topic, _window_means(topic, NEAR)]
    return PageRows(np.hstack([base, prev, after, *wins, page, *context, *ahead]), content, pieces)


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
        content = _content_sets(list(map(words_of, lines)), unspaced_of(lines), stopwords(language))
    shared = _shared_with(content, kept.tolist())
    return np.hstack([
        first, *(_window_means(first, w) for w in FIRST_WINDOWS),
        np.log1p(np.where(kept, 0, np.minimum(up, down)))[:, None], inside[:, None], shared,
        _window_means(shared, NEAR),
    ])  # fmt: skip


def line_sizes(rows: np.ndarray) -> list[float]:
    """The weight of each line in `decode`: one plus the log of its words."""
    return (1 + rows[:, BASE.index("log_words")]).tolist() if len(rows) else []
