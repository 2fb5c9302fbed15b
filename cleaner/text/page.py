"""A page being cleaned: its lines, what is still kept, what was removed and by which rule.

The page's non-blank lines are held once as one text, each line framed by newlines; a rule
searches the window of that text its region covers (patterns are compiled as
`\\n(?:pattern)(?=\\n)`, see packs.loader) and matches touching a removed line are skipped.
So a rule costs one regex pass over its region, and a pattern with \\n spans adjacent lines.
Before that, `absent` tells from the lines' folded starts (packs.literals.heads) or a literal
every match holds that a pattern cannot match here: then the rule is not run at all.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate, compress
from typing import NamedTuple

import regex

from ..document import Removal
from ..packs.literals import HEAD, fold
from ..packs.model import Pattern, Rule, Where
from ..packs.plan import Plan


def line_heads(lines: list[str]) -> list[str]:
    """The folded start (HEAD characters, or the whole line if shorter) of each line."""
    return fold("\n".join([line[:HEAD] for line in lines])).split("\n")


class View(NamedTuple):  # a tuple: made a few dozen times a page
    """A region: the line indices it holds and the window of the page text they span."""

    indices: list[int]
    pos: int
    endpos: int
    include_removed: bool


@dataclass
class Field:
    value: str
    line: int | None
    depth: int  # 0 for the page's own pack, 1+ for its bases: own beats base


class Page:
    def __init__(
        self, lines: list[str], timeout: float = 1.0, url: str | None = None, plan: Plan | None = None
    ) -> None:
        self.original = lines
        self.plan = plan
        self._hits: tuple[str, frozenset[int]] | None = None
        self.url = url
        self.lines = list(lines)
        self.removed_by: list[str | None] = [None] * len(lines)
        self.removals: list[Removal] = []
        self.fields: dict[str, Field] = {}
        self.fired: set[str] = set()
        self.warnings: list[str] = []
        self._folded: tuple[str, str] | None = None
        self.cuts: dict[int, list[tuple[str, str]]] = {}  # line -> (rule, text cut from it)
        self.timeout = timeout
        self.nonblank = list(compress(range(len(lines)), lines))
        self.kept = self.nonblank  # sorted indices of the non-blank lines still kept
        # many rules share a region; keyed by the Where's identity (a pack's Where objects live
        # as long as the pack), since hashing a dataclass on every lookup is slow
        self._views: dict[int, View] = {}  # regions of the kept lines: change on every removal
        self._views_all: dict[int, View] = {}  # regions of all lines: change only on a cut
        self._heads: dict[int, set[str]] = {}  # see _heads_of_length()
        self._frame()

    @cached_property
    def offsets(self) -> list[int]:
        """Where each line starts, in characters of the page (for the *_fraction windows);
        non-decreasing, so a window of the page is a bisect away."""
        return list(accumulate(map(len, self.original[:-1]), initial=0))

    @cached_property
    def total_chars(self) -> int:
        return sum(map(len, self.original)) or 1

    @cached_property
    def block(self) -> list[int]:
        """Paragraph blocks of the input: lines with no blank line between them share an id."""
        return list(accumulate(int(not x) for x in self.original))

    @cached_property
    def _firsts(self) -> list[str]:
        return line_heads([self.lines[i] for i in self.nonblank])

    def _heads_of_length(self, n: int) -> set[str]:
        """The first n characters of the folded starts of the non-blank lines (as they are or
        were: a cut adds its line's new start)."""
        heads = self._heads.get(n)
        if heads is None:
            firsts = self._firsts
            heads = self._heads[n] = set(firsts) if n == HEAD else {h[:n] for h in firsts}
        return heads

    @property
    def hits(self) -> frozenset[int] | None:
        """The plan's slots that match somewhere in `text` (one scan, again after a cut); None
        without a plan."""
        if self.plan is None:
            return None
        text = self.text
        if self._hits is None or self._hits[0] is not text:
            self._hits = (text, self.plan.scan(text))
        return self._hits[1]

    def unreported(self, pattern: Pattern) -> bool:
        """Whether the plan's scan says the pattern cannot match here (False without a plan)."""
        slot = self.plan.slots.get(id(pattern)) if self.plan is not None else None
        return slot is not None and slot not in self.hits  # type: ignore[operator]

    def absent(self, pattern: Pattern) -> bool:
        """Whether the pattern certainly matches nowhere on the page: the plan's scan did not
        report it; or, for a pattern the scan cannot take, no line starts as its matches must
        (packs.literals.heads), or a literal they all hold is missing."""
        slot = self.plan.slots.get(id(pattern)) if self.plan is not None else None
        if slot is not None:
            return slot not in self.hits  # type: ignore[operator]
        if pattern.heads is not None:
            for n, starts in pattern.heads:  # a plain loop: this runs for most rules on every page
                if not starts.isdisjoint(self._heads.get(n) or self._heads_of_length(n)):
                    break
            else:
                return True
        return not pattern.may_match(self.text, folded=self.folded_text if pattern.lowered else None)

    def _frame(self) -> None:
        """(Re)build the framed text and the offset where each non-blank line starts."""
        lines = list(map(self.lines.__getitem__, self.nonblank))
        # each line starts one past the end of the one before (C-level: this runs per page)
        starts = list(accumulate(map((1).__add__, map(len, lines)), initial=1))
        starts.pop()
        self._starts = starts
        self._text = "\n" + "\n".join(lines) + "\n"
        self._framed = True

    @property
    def folded_text(self) -> str:
        """`text` with its letter case folded (packs.literals.fold), the same length."""
        text = self.text
        if self._folded is None or self._folded[0] is not text:
            self._folded = (text, fold(text))
        return self._folded[1]

    @property
    def text(self) -> str:
        """The non-blank lines, each framed by newlines (rebuilt after a cut, when next read)."""
        if not self._framed:
            self._frame()
        return self._text

    @property
    def starts(self) -> list[int]:
        if not self._framed:
            self._frame()
        return self._starts

    # -- reading ---------------------------------------------------------------------------
    def view(self, where: Where, include_removed: bool = False) -> View:
        views = self._views_all if include_removed else self._views
        view = views.get(id(where))
        if view is None:
            view = views[id(where)] = self._view(where, include_removed)
        return view

    def _view(self, where: Where, include_removed: bool) -> View:
        idx = self.nonblank if include_removed else self.kept
        if where.after_fraction > 0.0 or where.before_fraction < 1.0:
            lo = bisect_left(idx, bisect_left(self.offsets, where.after_fraction * self.total_chars))
            hi = bisect_left(idx, bisect_left(self.offsets, where.before_fraction * self.total_chars))
            idx = idx[lo:hi]
        if where.region == "head":
            idx = idx[: where.lines]
        elif where.region == "tail" and where.lines:
            idx = idx[-where.lines :]
        if not idx:
            return View(idx, 0, 0, include_removed)
        first = self.starts[bisect_left(self.nonblank, idx[0])]
        last = bisect_left(self.nonblank, idx[-1])
        return View(idx, first - 1, self.starts[last] + len(self.lines[idx[-1]]) + 1, include_removed)

    def start_of(self, i: int) -> int:
        """Where non-blank line i starts in the framed text."""
        return self.starts[bisect_left(self.nonblank, i)]

    def span(self, m: regex.Match[str]) -> tuple[int, int]:
        """The first and last line index a match covers."""
        first = bisect_right(self.starts, m.start() + 1) - 1
        last = bisect_right(self.starts, max(m.start() + 1, m.end() - 1)) - 1
        return self.nonblank[first], self.nonblank[last]

    def _scan(self, rule: Rule | None, pattern: Pattern, view: View) -> Iterator[tuple[int, int, regex.Match[str]]]:
        if view.endpos <= view.pos:
            return
        # a literal that every match holds: the lines holding it are the candidates (the
        # search for them is the prefilter); else the pass runs if the literals are there
        if self.plan is not None and self.unreported(pattern):
            return
        targeted = bool(pattern.needs) and not pattern.multiline
        folded = self.folded_text if pattern.lowered else None
        if not targeted and not pattern.may_match(self.text, view.pos, view.endpos, folded):
            return
        try:
            if targeted:
                lines = self._lines_with(pattern.needs[0], view)
                if lines is not None:  # few lines hold the literal: match just those
                    for k in lines:
                        yield from self._match_line(pattern, k, view)
                    return
            if pattern.anywhere:
                yield from self._search(pattern, view)
                return
            for m in pattern.rx.finditer(self.text, view.pos, view.endpos, timeout=self.timeout):
                if m.end() <= m.start() + 1:
                    continue
                a, b = self.span(m)
                if a == b or pattern.multiline:
                    if view.include_removed or all(self.removed_by[i] is None for i in range(a, b + 1)):
                        yield a, b, m
                    continue
                # A single-line pattern crossed a line break (a greedy [^.]* does): match each
                # line of that span on its own instead.
                for k in range(bisect_left(self.nonblank, a), bisect_left(self.nonblank, b) + 1):
                    yield from self._match_line(pattern, k, view)
        except TimeoutError:
            what = f"rule {rule.id}" if rule else f"signature {pattern.source!r}"
            self.warnings.append(f"{what}: pattern timed out after {self.timeout}s; skipped on this page")

    def _search(self, pattern: Pattern, view: View) -> Iterator[tuple[int, int, regex.Match[str]]]:
        """Every non-empty hit of an `anywhere` pattern inside the view's lines, in order."""
        starts, nonblank, removed_by = self.starts, self.nonblank, self.removed_by
        done = -1  # the last line rank searched on its own
        done_to = 0  # where the last hit given ends
        for m in pattern.rx.finditer(self.text, view.pos, view.endpos, timeout=self.timeout):
            if m.end() == m.start():
                continue
            first = bisect_right(starts, m.start()) - 1
            last = bisect_right(starts, m.end() - 1) - 1
            if first == last >= 0 and m.end() <= starts[first] + len(self.lines[nonblank[first]]):
                i = nonblank[first]
                if first > done and (view.include_removed or removed_by[i] is None):
                    done_to = m.end()
                    yield i, i, m
                continue
            # the hit crossed a line break: search each line it touched on its own (the
            # hits already given on the first of them excepted)
            for k in range(max(first, done + 1, 0), last + 1):
                for hit in self._match_line(pattern, k, view):
                    if hit[2].start() >= done_to:
                        yield hit
            done = last

    def _lines_with(self, literals: tuple[str, ...], view: View, most: int = 24) -> list[int] | None:
        """Ranks (in nonblank) of the lines in the view's window holding any of the literals;
        None when there are more than `most` (then one pass over the window is cheaper)."""
        found: set[int] = set()
        text, end = self.text, view.endpos
        for lit in literals:
            at = text.find(lit, view.pos, end)
            while at >= 0:
                found.add(bisect_right(self.starts, at) - 1)
                if len(found) > most:
                    return None
                at = text.find(lit, at + 1, end)
        return sorted(found)

    def _match_line(self, pattern: Pattern, k: int, view: View) -> Iterator[tuple[int, int, regex.Match[str]]]:
        i = self.nonblank[k]
        if not view.include_removed and self.removed_by[i] is not None:
            return
        start = self.starts[k]
        if pattern.anywhere:
            for m in pattern.rx.finditer(self.text, start, start + len(self.lines[i]), timeout=self.timeout):
                if m.end() > m.start():
                    yield i, i, m
            return
        m = pattern.rx.match(self.text, start - 1, start + len(self.lines[i]) + 1, timeout=self.timeout)
        if m is not None:
            yield i, i, m

    def matches(self, rule: Rule, pattern: Pattern, view: View) -> list[tuple[int, int, regex.Match[str]]]:
        """Every match in the region; a pattern that times out is reported and skipped."""
        return list(self._scan(rule, pattern, view))

    def first(self, rule: Rule, pattern: Pattern, view: View) -> tuple[int, int, regex.Match[str]] | None:
        return next(self._scan(rule, pattern, view), None)

    def found(self, pattern: Pattern, where: Where) -> bool:
        """Whether a whole-line pattern matches anywhere in a region (for pack signatures)."""
        if self.absent(pattern):
            return False
        return next(self._scan(None, pattern, self.view(where, include_removed=True)), None) is not None

    def line_match(self, rule: Rule, pattern: Pattern, line: str) -> regex.Match[str] | None:
        """Match one line (framed as the compiled patterns expect); None on a timeout too."""
        try:
            return pattern.rx.match(f"\n{line}\n", timeout=self.timeout)
        except TimeoutError:
            self.warnings.append(f"rule {rule.id}: pattern timed out after {self.timeout}s; skipped on this page")
            return None

    def neighbour(self, i: int, step: int) -> int | None:
        """The nearest kept non-blank line above (step -1) or below (step 1) line i."""
        k = bisect_left(self.kept, i) if step < 0 else bisect_right(self.kept, i)
        k = k - 1 if step < 0 else k
        return self.kept[k] if 0 <= k < len(self.kept) else None

    def kept_after(self, i: int) -> list[int]:
        """The kept non-blank lines below line i."""
        return self.kept[bisect_right(self.kept, i) :]

    def kept_chars(self) -> int:
        return sum(map(len, map(self.lines.__getitem__, self.kept)))

    # -- changing --------------------------------------------------------------------------
    def remove(self, first: int, last: int, rule: Rule) -> None:
        self.remove_spans([(first, last)], rule)

    def remove_spans(self, spans: list[tuple[int, int]], rule: Rule) -> None:
        """Remove the kept lines of each (first, last) span, one Removal per span that removed
        anything. The kept list is sorted, so a span's kept lines are one slice of it."""
        kept = self.kept
        for first, last in spans:
            lo, hi = bisect_left(kept, first), bisect_right(kept, last)
            if lo == hi:
                continue
            gone = kept[lo:hi]
            for i in gone:
                self.removed_by[i] = rule.id
            self.removals.append(Removal(rule.id, (first + 1, last + 1), "\n".join([self.lines[i] for i in gone])))
            kept = kept[:lo] + kept[hi:]  # a new list: views may hold the old one
        if kept is not self.kept:
            self.kept = kept
            self._views.clear()
            self.fired.add(rule.id)

    def cut(self, i: int, keep: str, removed: str, rule: Rule) -> None:
        """Remove part of line i, keeping `keep` as its content (judged on its own after)."""
        self.lines[i] = keep
        self.cuts.setdefault(i, []).append((rule.id, removed))
        self.removals.append(Removal(rule.id, (i + 1, i + 1), removed))
        self.fired.add(rule.id)
        if self._heads:  # the line's new start is added (the old one is harmless)
            first = line_heads([keep])[0]
            for n, heads in self._heads.items():
                heads.add(first[:n])
        self._framed = False  # many cuts in a row rebuild the text once, when it is next read
        self._views.clear()
        self._views_all.clear()

    def set_field(self, name: str, value: str, line: int | None, depth: int) -> None:
        old = self.fields.get(name)
        if old is None or depth < old.depth:
            self.fields[name] = Field(value, line, depth)
