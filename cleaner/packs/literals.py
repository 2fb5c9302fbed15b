"""Literals a pattern's every match must contain, found at load so a rule whose literals are
not on the page skips its regex pass (most rules find nothing on most pages).

The pattern is parsed with the standard library's regex parser; `(?&name)` calls of pack
`defs` are inlined first. What it cannot parse, or where case folds, gets no prefilter."""

from __future__ import annotations

import re

# The standard library's own regex parser (private but stable since 3.11, which we require).
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# Each inner tuple: at least one of these strings is in every match. All inner tuples hold.
Needs = tuple[tuple[str, ...], ...]
# A group is worth a check only if each of its strings is this long: " " or ", " are on
# every page, and checking them costs a scan that never saves one.
MIN_LITERAL = 4
MAX_ALTERNATIVES = 12
MAX_LINE_ALTERNATIVES = 2  # for whole-line patterns, whose own pass is cheap (see the loader)
FOLDED_ALTERNATIVES = 3
_CALL = re.compile(r"\(\?&(\w+)\)")


def inline_defs(source: str, defs: dict[str, str]) -> str:
    """Replace each `(?&name)` call of a pack def by the def itself, as a group. The regex
    engine runs subroutine calls slowly and cannot optimize across them; defs are plain
    fragments (the loader refuses recursive ones), so inlining changes no match."""
    for _ in range(10):  # defs may call defs
        inlined = _CALL.sub(lambda m: f"(?:{defs[m.group(1)]})" if m.group(1) in defs else m.group(0), source)
        if inlined == source:
            return source
        source = inlined
    raise ValueError("defs call each other more than ten levels deep (a recursive def?)")


def prefilter(source: str, defs: dict[str, str], most: int = MAX_ALTERNATIVES) -> tuple[Needs, tuple[str, ...]]:
    """What a pattern's every match holds: groups of strings compared exactly (one of each
    group), or else, for a case-insensitive pattern, one group of at most FOLDED_ALTERNATIVES
    strings in any letter case (each searched for on its own: the regex engine finds one
    case-insensitive literal fast, an alternation of them slowly)."""
    try:
        source = inline_defs(source, defs)
        tree = sre_parse.parse(source)
    except Exception:  # noqa: BLE001 - syntax only the regex module knows: no prefilter
        return (), ()
    groups = [(fold, g) for fold, g in _seq(list(tree), bool(tree.state.flags & re.IGNORECASE)) if all(g)]
    exact = _most_selective({g for fold, g in groups if not fold}, most)
    if exact:
        return exact, ()
    folded = [g for _, g in groups if min(map(len, g)) >= MIN_LITERAL and len(g) <= FOLDED_ALTERNATIVES]
    return (), max(folded, key=_selectivity) if folded else ()


def _selectivity(group: tuple[str, ...]) -> tuple[int, int, tuple[str, ...]]:
    """Longest shortest string first, then fewest strings (the likeliest to be absent)."""
    return min(map(len, group)), -len(group), group


def _most_selective(groups: set[tuple[str, ...]], most: int) -> Needs:
    """The one group most likely to be absent from a page: longest shortest string, then fewest."""
    useful = [g for g in groups if min(map(len, g)) >= MIN_LITERAL and len(g) <= most]
    return (max(useful, key=_selectivity),) if useful else ()


Group = tuple[bool, tuple[str, ...]]  # (compared case-insensitively, strings)


def _seq(items: list[tuple[Any, Any]], fold: bool) -> list[Group]:
    """AND-list of OR-groups for a sequence: runs of literal characters, plus what groups need."""
    needs: list[Group] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            needs.append((fold, ("".join(run),)))
            run.clear()

    for op, arg in items:
        if op is C.LITERAL:
            run.append(chr(arg))
            continue
        flush()
        if op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = arg
            inner = (fold or bool(add_flags & re.IGNORECASE)) and not del_flags & re.IGNORECASE
            needs += _seq(list(sub), inner)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            low, _high, sub = arg
            if low >= 1:
                needs += _seq(list(sub), fold)
        elif op is C.BRANCH:
            alternatives: list[Group] = []
            for alt in arg[1]:
                best = max(
                    (g for g in _seq(list(alt), fold) if all(g[1])),
                    key=lambda g: (min(map(len, g[1])), -len(g[1])),
                    default=None,
                )
                if best is None:
                    break  # an alternative that needs nothing: the branch needs nothing
                alternatives.append(best)
            else:
                strings = tuple(sorted({s for _, g in alternatives for s in g}))
                needs.append((any(f for f, _ in alternatives), strings))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            needs += _seq(list(arg), fold)
    flush()
    return needs
