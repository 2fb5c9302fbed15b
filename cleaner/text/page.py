"""A page being cleaned: its lines, what is still kept, what was removed and by which rule."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import regex

from ..document import Removal
from ..packs.model import Rule, Where


@dataclass(frozen=True)
class View:
    """The kept non-blank lines of a region, joined by newlines so one regex pass covers them
    (and a pattern with \\n spans consecutive lines)."""

    indices: tuple[int, ...]
    text: str
    starts: tuple[int, ...]

    def span(self, m: regex.Match[str]) -> tuple[int, int]:
        """The first and last line index a match covers."""
        first = bisect_right(self.starts, m.start()) - 1
        last = bisect_right(self.starts, max(m.start(), m.end() - 1)) - 1
        return self.indices[first], self.indices[last]


@dataclass
class Field:
    value: str
    line: int | None
    depth: int  # 0 for the page's own pack, 1+ for its bases: own beats base


class Page:
    def __init__(self, lines: list[str], timeout: float = 1.0) -> None:
        self.original = lines
        self.lines = list(lines)
        self.removed_by: list[str | None] = [None] * len(lines)
        self.removals: list[Removal] = []
        self.fields: dict[str, Field] = {}
        self.fired: set[str] = set()
        self.warnings: list[str] = []
        self.cuts: dict[int, list[tuple[str, str]]] = {}  # line -> (rule, text cut from it)
        self.timeout = timeout
        self._version = 0
        self._cache: dict[tuple[Where, bool], tuple[int, View]] = {}
        # where each line starts, as a share of the page's characters (for after_fraction)
        total = sum(len(x) for x in lines) or 1
        acc, self.position = 0, []
        for x in lines:
            self.position.append(acc / total)
            acc += len(x)
        # paragraph blocks of the input: lines with no blank line between them share an id
        block, self.block = 0, []
        for x in lines:
            block += not x
            self.block.append(block)

    # -- reading ---------------------------------------------------------------------------
    def is_kept(self, i: int) -> bool:
        return bool(self.lines[i]) and self.removed_by[i] is None

    def kept_indices(self) -> list[int]:
        return [i for i in range(len(self.lines)) if self.is_kept(i)]

    def view(self, where: Where, include_removed: bool = False) -> View:
        key = (where, include_removed)
        hit = self._cache.get(key)
        if hit and hit[0] == self._version:
            return hit[1]
        pos = self.position
        idx = [
            i
            for i, x in enumerate(self.lines)
            if x
            and (include_removed or self.removed_by[i] is None)
            and where.after_fraction <= pos[i] < where.before_fraction
        ]
        if where.region == "head":
            idx = idx[: where.lines]
        elif where.region == "tail":
            idx = idx[-where.lines :] if where.lines else idx
        starts, acc = [], 0
        for i in idx:
            starts.append(acc)
            acc += len(self.lines[i]) + 1
        view = View(tuple(idx), "\n".join(self.lines[i] for i in idx), tuple(starts))
        self._cache[key] = (self._version, view)
        return view

    def matches(self, rule: Rule, pattern: regex.Pattern[str], text: str) -> list[regex.Match[str]]:
        """All non-empty matches; a pattern that times out is reported and skipped."""
        try:
            return [m for m in pattern.finditer(text, timeout=self.timeout) if m.end() > m.start()]
        except TimeoutError:
            self.warnings.append(f"rule {rule.id}: pattern timed out after {self.timeout}s; skipped on this page")
            return []

    def first(self, rule: Rule, pattern: regex.Pattern[str], view: View) -> tuple[int, int, regex.Match[str]] | None:
        try:
            m = pattern.search(view.text, timeout=self.timeout)
        except TimeoutError:
            self.warnings.append(f"rule {rule.id}: pattern timed out after {self.timeout}s; skipped on this page")
            return None
        if m is None:
            return None
        a, b = view.span(m)
        return a, b, m

    def neighbour(self, i: int, step: int) -> int | None:
        """The nearest kept non-blank line above (step -1) or below (step 1) line i."""
        i += step
        while 0 <= i < len(self.lines):
            if self.is_kept(i):
                return i
            i += step
        return None

    def kept_chars(self) -> int:
        return sum(len(self.lines[i]) for i in self.kept_indices())

    # -- changing --------------------------------------------------------------------------
    def remove(self, first: int, last: int, rule: Rule) -> None:
        gone = [i for i in range(first, last + 1) if self.is_kept(i)]
        if not gone:
            return
        for i in gone:
            self.removed_by[i] = rule.id
        text = "\n".join(self.lines[i] for i in gone)
        self.removals.append(Removal(rule.id, (first + 1, last + 1), text))
        self.fired.add(rule.id)
        self._version += 1

    def cut(self, i: int, keep: str, removed: str, rule: Rule) -> None:
        """Remove part of line i, keeping `keep` as its content (judged on its own after)."""
        self.lines[i] = keep
        self.cuts.setdefault(i, []).append((rule.id, removed))
        self.removals.append(Removal(rule.id, (i + 1, i + 1), removed))
        self.fired.add(rule.id)
        self._version += 1

    def set_field(self, name: str, value: str, line: int | None, depth: int) -> None:
        old = self.fields.get(name)
        if old is None or depth < old.depth:
            self.fields[name] = Field(value, line, depth)
