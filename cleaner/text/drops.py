"""The drop kinds. Each is one function registered under its name; its keys are in
packs/schema.py. Spans are removed through Page.remove, so every removal is attributed."""

from __future__ import annotations

from collections.abc import Callable

from ..packs.model import Rule
from .page import Page

DropKind = Callable[[Rule, Page], None]
DROP_KINDS: dict[str, DropKind] = {}

# A line that ends like a sentence; list-like and headline lines do not.
SENTENCE_END = tuple(".!?…;\"”»)")


def drop_kind(name: str) -> Callable[[DropKind], DropKind]:
    def register(fn: DropKind) -> DropKind:
        DROP_KINDS[name] = fn
        return fn

    return register


@drop_kind("line")
def drop_line(rule: Rule, page: Page) -> None:
    """Every (multi-)line match of `pattern` in the region."""
    assert rule.pattern is not None
    for first, last, _ in page.matches(rule, rule.pattern, page.view(rule.where)):
        page.remove(first, last, rule)


@drop_kind("block")
def drop_block(rule: Rule, page: Page) -> None:
    """Whole paragraph blocks (lines with no blank line between) lying inside the region,
    `min_lines`..`max_lines` long, whose first line matches `start` when given."""
    view = page.view(rule.where)
    inside = set(view.indices)
    blocks: dict[int, list[int]] = {}
    for i in page.kept:
        blocks.setdefault(page.block[i], []).append(i)
    for lines in blocks.values():
        if not all(i in inside for i in lines):
            continue
        if not rule.min_lines <= len(lines) <= (rule.max_lines or len(lines)):
            continue
        if rule.start is not None and not page.line_match(rule, rule.start, page.lines[lines[0]]):
            continue
        page.remove(lines[0], lines[-1], rule)


@drop_kind("from")
def drop_from(rule: Rule, page: Page) -> None:
    """From the first marker line in the region to the end of the page; with `min_run`, only
    when at least that many short lines (<= max_chars) follow it (or all that follow are short)."""
    assert rule.start is not None
    hit = page.first(rule, rule.start, page.view(rule.where))
    if hit is None:
        return
    first, last, _ = hit
    if rule.min_run:
        following = page.kept_after(last)
        long_at = (n for n, i in enumerate(following) if len(page.lines[i]) > rule.max_chars)
        run = next(long_at, len(following))
        if not (run >= rule.min_run or (following and run == len(following))):
            return
    page.remove(first, len(page.lines) - 1, rule)


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
    matching `line`, or else not a `- ` item nor ending like a sentence) in the region; `anchor` ties the run to the region's start or end."""
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
