"""The one article-line policy: what counts as a sentence end, a paragraph, and the main run
of article text on a page. Every heuristic that keeps or drops lines asks these."""

from __future__ import annotations

from .. import settings

# A line that ends like a sentence; list-like and headline lines do not. A closing quote or
# bracket counts only after sentence punctuation: `...he said.”` does, `...Collection”` does not.
SENTENCE_END = tuple('.!?…;"”»)。！？')
_STOPS = ".!?…;。！？"
_CLOSERS = "\"'”’»)]」』）"

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
