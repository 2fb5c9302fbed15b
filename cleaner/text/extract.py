"""Extract rules: named groups become fields; `consume` removes what matched."""

from __future__ import annotations

import regex

from ..packs.model import Rule
from ..packs.schema import EXTRACT_GROUPS
from .page import Page


def run_extract(rule: Rule, page: Page, depth: int) -> None:
    if rule.heuristic is not None:
        from .heuristics import HEURISTICS

        HEURISTICS[rule.heuristic](rule, page, depth)
        return
    assert rule.pattern is not None
    if rule.above is not None or rule.after is not None:
        anchor = rule.above if rule.above is not None else rule.after
        assert anchor is not None
        hit = page.first(rule, anchor, page.view(rule.where, include_removed=True))
        if hit is None:
            return
        target = page.neighbour(hit[0], -1) if rule.above is not None else page.neighbour(hit[1], 1)
        if target is None:
            return
        m = page.line_match(rule, rule.pattern, page.lines[target])
        if m is None:
            return
        first = last = target
        starts = {target: 1}  # the line was matched framed on its own
    else:
        found = page.first(rule, rule.pattern, page.view(rule.where))
        if found is None:
            return
        first, last, m = found
        starts = {i: page.start_of(i) for i in range(first, last + 1) if page.lines[i]}
    page.fired.add(rule.id)
    groups = {k: v.strip() for k, v in m.groupdict().items() if v and v.strip() and not k.startswith("_")}
    groups = {k: v for k, v in groups.items() if k in EXTRACT_GROUPS}
    if "time" in groups:
        time = groups.pop("time")
        if "date" in groups:
            groups["date"] += " " + time
    for name, value in (*groups.items(), *rule.set):
        if name != "rest":
            page.set_field(name, value, first, depth)
    if rule.consume:
        _consume(rule, page, m, first, last, starts)


def _consume(rule: Rule, page: Page, m: regex.Match[str], first: int, last: int, starts: dict[int, int]) -> None:
    rest = m.group("rest") if "rest" in m.re.groupindex else None
    if not rest or not rest.strip():
        page.remove(first, last, rule)
        return
    # the line holding `rest` keeps it; everything else the match covered goes
    holder = max(i for i in range(first, last + 1) if i in starts and starts[i] <= m.start("rest"))
    line = page.lines[holder]
    lo, hi = m.start("rest") - starts[holder], m.end("rest") - starts[holder]
    removed = (line[:lo] + " " + line[hi:]).strip()
    if holder > first:
        page.remove(first, holder - 1, rule)
    page.cut(holder, rest.strip(), removed, rule)
    if holder < last:
        page.remove(holder + 1, last, rule)
