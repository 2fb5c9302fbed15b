"""The one article-line policy: what counts as a sentence end, a paragraph, and the main run
of article text on a page. Every heuristic that keeps or drops lines asks these."""

from __future__ import annotations

import regex

from .. import settings

# A line that ends like a sentence; list-like and headline lines do not. A closing quote or
# bracket counts only after sentence punctuation: `...he said.”` does, `...Collection”` does not.
SENTENCE_END = tuple('.!?…;"”»)。！？')
_STOPS = ".!?…;。！？"
_CLOSERS = "\"'”’»)]」』）"
# how a line opens when it carries on the one above: in lower case, or with punctuation
OPENS_LOWER = regex.compile(r"[\p{Ll}]")
OPENS_PUNCT = regex.compile(r"[,.;:!?)\]»”’%]")

# A line this long is article text whatever its end (a lead often has no final period);
# ticker and related-story headlines stay well under it. The thresholds are settings.py's.
LONG_LINE = settings.LONG_LINE


def ends_sentence(line: str) -> bool:
    core = line.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _STOPS


def is_long_paragraph(line: str) -> bool:
    """What no heuristic may drop: a long line that ends like a sentence, or a very long line."""
    return (len(line) >= settings.LONG_SENTENCE and ends_sentence(line)) or len(line) >= LONG_LINE


def is_paragraph(line: str, min_chars: int) -> bool:
    """Article-like: a sentence of at least min_chars, or a long line. Menus, tickers,
    headlines and datelines are neither."""
    if line.startswith("- "):
        return False
    return (len(line) >= min_chars and ends_sentence(line)) or len(line) >= LONG_LINE


def main_cluster(lines: list[str], min_chars: int, max_gap: int) -> tuple[int, int] | None:
    """(first, last) positions of the cluster of paragraph-like lines with the most text, where
    at most `max_gap` other lines may stand between two of them; None without a paragraph."""
    paras = [k for k, line in enumerate(lines) if is_paragraph(line, min_chars)]
    if not paras:
        return None
    best: tuple[int, int, int] | None = None  # (chars, first, last)
    start = prev = paras[0]
    chars = 0
    for k in [*paras, None]:
        if k is None or k - prev - 1 > max_gap:
            if best is None or chars > best[0]:
                best = (chars, start, prev)
            if k is None:
                break
            start, chars = k, 0
        chars += len(lines[k])
        prev = k
    assert best is not None
    return best[1], best[2]


def runs(lines: list[int], kept: list[int]) -> list[tuple[int, int]]:
    """Group lines into spans of lines that are neighbours among the kept lines."""
    rank = {i: k for k, i in enumerate(kept)}
    spans: list[tuple[int, int]] = []
    for i in lines:
        if spans and rank[i] == rank[spans[-1][1]] + 1:
            spans[-1] = (spans[-1][0], i)
        else:
            spans.append((i, i))
    return spans


def opens_inside(line: str) -> bool:
    return bool(OPENS_LOWER.match(line) or OPENS_PUNCT.match(line))


def sentences(lines: list[str]) -> list[tuple[int, int]]:
    """The runs of lines that make one sentence: a scraper that writes each text node on its own
    line cuts a sentence at every link ("the photography exhibition" / "Home: Perspectives" /
    "opened on Monday."). A line carries on the one above when that one ends without sentence
    punctuation and this one opens in lower case or with punctuation; a short line between two
    such pieces (a link's text: a name in capitals) carries on too."""
    n = len(lines)
    open_end = [not ends_sentence(line) and not line.endswith(":") for line in lines]
    inside = [opens_inside(line) for line in lines]
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
