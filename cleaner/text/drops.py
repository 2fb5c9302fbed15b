"""The drop kinds. Each is one function registered under its name; its keys are in
packs/schema.py. Spans are removed through Page.remove, so every removal is attributed."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

import regex

from ..packs.model import Rule
from ..settings import REPEATED_TITLE_MIN_CHARS, SPAN_FRAGMENT_WORDS, SPAN_LABEL_WORDS
from .classify import drop_article
from .lines import SENTENCE_END, ends_sentence, is_long_paragraph, is_paragraph, main_cluster
from .lines import runs as spans_of
from .page import Page, View

__all__ = ["DROP_KINDS", "ends_sentence", "is_long_paragraph", "is_paragraph"]

DropKind = Callable[[Rule, Page], None]
# a sentence ends at . ! ? … (or 。！？) followed by a space or the line's end
_SENTENCE_BREAK = regex.compile(r"[.!?…。！？](?=\s|$)")
DROP_KINDS: dict[str, DropKind] = {}


def drop_kind(name: str) -> Callable[[DropKind], DropKind]:
    def register(fn: DropKind) -> DropKind:
        DROP_KINDS[name] = fn
        return fn

    return register


@drop_kind("line")
def drop_line(rule: Rule, page: Page) -> None:
    """Every (multi-)line match of `pattern`, or every line holding `contains`, in the region;
    with `max_chars`, a longer line is never removed (so vocabulary rules cannot take a
    paragraph that uses their words)."""
    pattern = rule.pattern or rule.contains
    assert pattern is not None
    spans = [(a, b) for a, b, _ in page.matches(rule, pattern, page.view(rule.where))]
    page.remove_spans([(a, b) for a, b in spans if a != b or len(page.lines[a]) <= rule.max_chars], rule)


@drop_kind("exact")
def drop_exact(rule: Rule, page: Page) -> None:
    """Every kept line of the region equal to one of `lines`."""
    page.remove_spans([(i, i) for i in page.view(rule.where).indices if page.lines[i] in rule.lines], rule)


_SITE_SEPARATORS = "|-–—:"  # what stands between a headline and the site's name


@drop_kind("repeated-field")
def drop_repeated_field(rule: Rule, page: Page) -> None:
    """The first line of the region, other than the field's own, that repeats the field's value
    (case and spacing aside), or is its start where the value goes on with a site separator."""
    assert rule.field is not None
    found = page.fields.get(rule.field)
    if found is None:
        return
    want = " ".join(found.value.split()).casefold()
    for i in page.view(rule.where).indices:
        if i == found.line:
            continue  # the line the value came from is no repetition of it
        line = " ".join(page.lines[i].split()).casefold()
        if line == want or (
            len(line) >= REPEATED_TITLE_MIN_CHARS
            and want.startswith(line)
            and want[len(line) :].lstrip()[:1] in _SITE_SEPARATORS
        ):
            page.remove(i, i, rule)
            return


@drop_kind("block")
def drop_block(rule: Rule, page: Page) -> None:
    """Whole paragraph blocks (lines with no blank line between) lying inside the region,
    `min_lines`..`max_lines` long, whose first line matches `start` and last line `end` when
    given (a card's headline and its one-sentence teaser, say)."""
    view = page.view(rule.where)
    if not view.indices:
        return
    inside = set(view.indices)
    # only blocks with a line in the view can lie inside it: the kept lines from the block of
    # its first line through the block of its last (a block's lines are consecutive)
    kept, block = page.kept, page.block
    lo, hi = bisect_left(kept, view.indices[0]), bisect_right(kept, view.indices[-1])
    while lo > 0 and block[kept[lo - 1]] == block[kept[lo]]:
        lo -= 1
    while hi < len(kept) and block[kept[hi]] == block[kept[hi - 1]]:
        hi += 1
    blocks: dict[int, list[int]] = {}
    for i in kept[lo:hi]:
        blocks.setdefault(block[i], []).append(i)
    spans = []
    for lines in blocks.values():
        if not all(i in inside for i in lines):
            continue
        if not rule.min_lines <= len(lines) <= (rule.max_lines or len(lines)):
            continue
        if rule.start is not None and not page.line_match(rule, rule.start, page.lines[lines[0]]):
            continue
        if rule.end is not None and not page.line_match(rule, rule.end, page.lines[lines[-1]]):
            continue
        spans.append((lines[0], lines[-1]))
    page.remove_spans(spans, rule)


@drop_kind("from")
def drop_from(rule: Rule, page: Page) -> None:
    """From the first marker line in the region to the end of the page; with `min_run`, only
    when at least that many short lines (<= max_chars) follow it (or all that follow are short);
    with `stop_at_paragraph`, only up to the next paragraph-like line (a weak marker is not
    proof that everything after it is chrome); with `prose_above`, the first marker that has
    that much paragraph-like text kept above it (a comment section's heading stands below the
    story; a "Comments" button in a share row above it is no heading)."""
    assert rule.start is not None
    view = page.view(rule.where)
    hit = page.first(rule, rule.start, view) if not rule.prose_above else _below_prose(rule, page, view)
    if hit is None:
        return
    first, last, _ = hit
    following = page.kept_after(last)
    if rule.min_run:
        long_at = (n for n, i in enumerate(following) if len(page.lines[i]) > rule.max_chars)
        run = next(long_at, len(following))
        if not (run >= rule.min_run or (following and run == len(following))):
            return
    end = len(page.lines) - 1
    if rule.stop_at_paragraph:
        para = next((i for i in following if is_paragraph(page.lines[i], rule.min_chars)), None)
        end = end if para is None else para - 1
    page.remove(first, end, rule)


def _below_prose(rule: Rule, page: Page, view: View) -> tuple[int, int, regex.Match[str]] | None:
    """The first marker in the view with `prose_above` characters of paragraph-like lines
    kept above it."""
    assert rule.start is not None
    for hit in page.matches(rule, rule.start, view):
        above = (page.lines[i] for i in page.kept[: bisect_left(page.kept, hit[0])])
        if sum(len(line) for line in above if is_paragraph(line, rule.min_chars)) >= rule.prose_above:
            return hit
    return None


@drop_kind("until")
def drop_until(rule: Rule, page: Page) -> None:
    """From the top of the page to the marker (`end`, or the line a `field` came from);
    the marker itself only when `inclusive`."""
    if rule.field is not None:
        found = page.fields.get(rule.field)
        if found is None or found.line is None:
            return
        first = last = found.line
    else:
        assert rule.end is not None
        hit = page.first(rule, rule.end, page.view(rule.where, include_removed=True))
        if hit is None:
            return
        first, last, _ = hit
    stop = last if rule.inclusive else first - 1
    if stop >= 0:
        page.remove(0, stop, rule)


@drop_kind("between")
def drop_between(rule: Rule, page: Page) -> None:
    """From a `start` marker through the next `end` marker (the markers too when `inclusive`);
    nothing when the end is missing or more than `max_lines` lines away."""
    assert rule.start is not None and rule.end is not None
    view = page.view(rule.where, include_removed=True)
    hit = page.first(rule, rule.start, view)
    if hit is None:
        return
    first, last, _ = hit
    rest = view.indices.index(last) + 1
    for n, i in enumerate(view.indices[rest:], 1):
        if rule.max_lines is not None and n > rule.max_lines:
            return
        if page.line_match(rule, rule.end, page.lines[i]):
            if rule.inclusive:
                page.remove(first, i, rule)
            elif i - 1 > last:
                page.remove(last + 1, i - 1, rule)
            return


def _list_like(rule: Rule, page: Page, line: str) -> bool:
    if len(line) > rule.max_chars:
        return False  # checked first: paragraphs never reach the regex
    if rule.line is not None:
        return page.line_match(rule, rule.line, line) is not None
    # `- ` items are the article's own lists; chrome runs are bare lines
    return not line.endswith(SENTENCE_END) and not line.startswith("- ")


@drop_kind("run")
def drop_run(rule: Rule, page: Page) -> None:
    """Runs of at least `min_lines` consecutive list-like lines (at most `max_chars` long, and
    matching `line`, or else not a `- ` item nor ending like a sentence) in the region; `anchor`
    ties the run to the region's start or end."""
    view = page.view(rule.where)
    idx = view.indices
    if not idx:
        return
    listed = {i for i in idx if _list_like(rule, page, page.lines[i])}
    runs: list[list[int]] = [[]]
    for i in idx:
        if i in listed:
            runs[-1].append(i)
        else:
            runs.append([])
    if rule.anchor == "end":
        runs = [r for r in runs[-1:] if r and r[-1] == idx[-1]]
    elif rule.anchor == "start":
        runs = [r for r in runs[:1] if r and r[0] == idx[0]]
    for run in runs:
        if len(run) >= max(rule.min_lines, 1):
            page.remove(run[0], run[-1], rule)


@drop_kind("frame")
def drop_frame(rule: Rule, page: Page) -> None:
    """The article is the cluster of paragraph-like lines (`is_paragraph`) with the most text,
    where at most `max_gap` other lines may stand between two of them. The lines above it go
    when there are at least `min_head` of them (a lead or a dateline alone stays), those below
    when there are at least `min_tail` (a short closing line stays); `- ` items right after the
    last paragraph belong to the article. Long paragraphs outside the cluster stay: only an
    explicit marker (a `from` rule) may remove those."""
    kept = page.view(rule.where).indices
    found = main_cluster([page.lines[i] for i in kept], rule.min_chars, rule.max_gap)
    if found is None:
        return
    first, last = found
    while last + 1 < len(kept) and page.lines[kept[last + 1]].startswith("- "):
        last += 1
    outside = []
    if first >= rule.min_head:
        outside += kept[:first]
    if len(kept) - 1 - last >= rule.min_tail:
        outside += kept[last + 1 :]
    # a long sentence-ending paragraph never goes without an explicit marker
    gone = [i for i in outside if not is_long_paragraph(page.lines[i])]
    page.remove_spans(spans_of(gone, kept), rule)


def _join_cut(left: str, right: str) -> str:
    """Join what stands either side of a cut: one space, none before punctuation."""
    left, right = left.rstrip(), right.strip()
    if not left or not right:
        return left or right
    return left + right if right[0] in ".,;:!?)]»”" else f"{left} {right}"


def _sentence_around(line: str, a: int, b: int) -> tuple[int, int]:
    """The bounds of the sentence(s) of `line` that hold line[a:b]: from just after the last
    sentence end before `a` to the first sentence end at or after `b` (or the line's ends)."""
    start = max((m.end() for m in _SENTENCE_BREAK.finditer(line, 0, a)), default=0)
    end = next((m.start() + 1 for m in _SENTENCE_BREAK.finditer(line, max(b - 1, 0))), len(line))
    return start, end


def _clean_cut(line: str, a: int, b: int) -> bool:
    """Whether cutting line[a:b] leaves whole sentences: the hit is a bracketed aside, or it
    starts a sentence and ends one (or the line), so nothing is left without its subject, verb
    or opening words."""
    hit, left, right = line[a:b].strip(), line[:a].rstrip(), line[b:].lstrip()
    if hit[:1] in "([" and hit[-1:] in ")]":
        return True
    starts = not left or left.endswith(SENTENCE_END)
    ends = not right or (hit.endswith(SENTENCE_END) and not right[0].islower())
    return starts and ends


def _whole_cuts(line: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The cuts a span rule may make in `line`: each hit as it is when the cut is clean, else
    its whole sentence when the hit opens it and what it leaves of it is a fragment of at most
    SPAN_FRAGMENT_WORDS words (`Editor's note: and is being updated.`), else nothing."""
    cuts = []
    for a, b in found:
        if _clean_cut(line, a, b):
            cuts.append((a, b))
            continue
        start, end = _sentence_around(line, a, b)
        before = line[start:a].split()
        # the hit opens its sentence, after at most a label (`Editor's note:`): a hit after
        # the sentence's own subject is the article's words, and stays
        opens = not before or (before[-1].endswith(":") and len(before) <= SPAN_LABEL_WORDS)
        if opens and len(before) + len(line[b:end].split()) <= SPAN_FRAGMENT_WORDS:
            cuts.append((start, end))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(cuts):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


@drop_kind("span")
def drop_span(rule: Rule, page: Page) -> None:
    """Inline chrome: every match of `pattern` inside a kept line is cut out of it (photo
    credits, "story is being updated"); a line left empty goes whole. A cut never leaves a
    fragment: when the hit is part of a sentence, the whole sentence goes if little else is
    in it, or nothing does."""
    assert rule.pattern is not None
    hits: dict[int, list[tuple[int, int]]] = {}
    for i, _, m in page.matches(rule, rule.pattern, page.view(rule.where)):
        at = page.start_of(i)
        hits.setdefault(i, []).append((m.start() - at, m.end() - at))
    for i, found in hits.items():
        line = page.lines[i]
        cuts = _whole_cuts(line, found)
        if not cuts:
            continue
        rest, at = "", 0
        for a, b in cuts:
            rest = _join_cut(rest, line[at:a])
            at = b
        rest = _join_cut(rest, line[at:])
        if rest:
            page.cut(i, rest, " ".join(line[a:b].strip() for a, b in cuts), rule)
        else:
            page.remove(i, i, rule)


DROP_KINDS["article"] = drop_article
