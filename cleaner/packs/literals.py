"""Literals a pattern's every match must contain, found at load so a rule whose literals are
not on the page skips its regex pass (most rules find nothing on most pages).

The pattern is parsed with the standard library's regex parser; `(?&name)` calls of pack
`defs` are inlined first. What it cannot parse, or where case folds, gets no prefilter."""

from __future__ import annotations

import re
from functools import lru_cache

# The standard library's own regex parser (private but stable since 3.11, which we require).
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import regex

from .cache import Memo
from .model import Pattern

# Each inner tuple: at least one of these strings is in every match. All inner tuples hold.
Needs = tuple[tuple[str, ...], ...]
# A group is worth a check only if each of its strings is this long: " " or ", " are on
# every page, and checking them costs a scan that never saves one.
MIN_LITERAL = 4
MAX_ALTERNATIVES = 12
MAX_LINE_ALTERNATIVES = 2  # for whole-line patterns, whose own pass is cheap (see the loader)
FOLDED_ALTERNATIVES = 3
# A larger case-insensitive group is compared with `in` on the page's folded text instead (one
# C-level substring search per string), when folding cannot change what its strings match.
LOWERED_ALTERNATIVES = 96
_CALL = re.compile(r"\(\?&(\w+)\)")
_REGEX_ONLY = re.compile(r"\[:\^?[a-z]+:\]|\{[^}]*[a-z<][^}]*\}")


def _as_group(fragment: str) -> str:
    return f"(?-x:{fragment})" if " " in fragment or "#" in fragment else f"(?:{fragment})"


def inline_defs(source: str, defs: dict[str, str]) -> str:
    """Replace each `(?&name)` call of a pack def by the def itself, as a group. The regex
    engine runs subroutine calls slowly and cannot optimize across them; defs are plain
    fragments (the loader refuses recursive ones), so inlining changes no match. A def is
    written without verbose mode, so its spaces count in a `(?x)` pattern too: one with spaces
    or `#` goes in as `(?-x:...)` (the others as `(?:...)`, which the literal finder sees into)."""
    for _ in range(10):  # defs may call defs
        inlined = _CALL.sub(lambda m: _as_group(defs[m.group(1)]) if m.group(1) in defs else m.group(0), source)
        if inlined == source:
            return source
        source = inlined
    raise ValueError("defs call each other more than ten levels deep (a recursive def?)")


def prefilter(
    source: str, defs: dict[str, str], most: int = MAX_ALTERNATIVES
) -> tuple[Needs, tuple[str, ...], tuple[str, ...]]:
    """What a pattern's every match holds: groups of strings compared exactly (one of each
    group), or else, for a case-insensitive pattern, one group of at most FOLDED_ALTERNATIVES
    strings in any letter case (each searched for on its own: the regex engine finds one
    case-insensitive literal fast, an alternation of them slowly), or else one larger group of
    folded strings (`fold`), one of which the page's folded text must hold."""
    tree = _parse(source, defs)
    if tree is None:
        return (), (), ()
    groups = [(fold, g) for fold, g in _seq(list(tree), bool(tree.state.flags & re.IGNORECASE)) if all(g)]
    exact = _most_selective({g for fold, g in groups if not fold}, most)
    if exact:
        return exact, (), ()
    long = [g for _, g in groups if min(map(len, g)) >= MIN_LITERAL]
    folded = [g for g in long if len(g) <= FOLDED_ALTERNATIVES]
    if folded:
        return (), max(folded, key=_selectivity), ()
    # two characters of a script without case (中文, 関連) are as rare on a page as four Latin ones
    lowered = [
        g
        for _, g in groups
        if len(g) <= LOWERED_ALTERNATIVES
        and all(len(x) >= MIN_LITERAL or (len(x) >= 2 and not x.isascii()) for x in g)
        and all(map(_fold_safe, g))
    ]
    return (), (), tuple(sorted({fold(s) for s in max(lowered, key=_selectivity)})) if lowered else ()


def _fold_safe(literal: str) -> bool:
    """Whether every case-insensitive match of the literal folds to `fold(literal)`: its
    characters are foldable ones, or have no case at all (CJK, Arabic, Thai)."""
    return all(c in _FOLDABLE or c in _LOWER_SAFE or c.lower() == c == c.upper() for c in literal)


def _parse(source: str, defs: dict[str, str]) -> Any:
    """The standard library's parse tree of a pattern, or None where the regex module may read
    it otherwise: syntax re refuses, and the two it reads as literals (POSIX classes like
    [[:alpha:]] and fuzzy counts like {e<=1})."""
    try:
        return _tree(inline_defs(source, defs))
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def _tree(source: str) -> Any:
    """Parsed once: the prefilter and the heads of a pattern both read its tree (not changed)."""
    if _REGEX_ONLY.search(source):
        return None
    try:
        return sre_parse.parse(source)
    except Exception:  # syntax only the regex module knows
        return None


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


# -- line heads -------------------------------------------------------------------------------
# A whole-line pattern can only match a line that starts one of a few ways: `(?i:read also|
# more news)` a line whose first letters are "read" or "more". The loader works out those
# starts, folded (`fold`), and a page holds the folded starts of its lines, so a rule with no
# such line on the page is skipped with one set operation (text.page.Page.absent).
HEAD = 4  # characters of a line's start that are compared
MAX_HEADS = 64  # more starts than this are cut shorter

# The characters the regex module matches, ignoring case, with an ASCII or Cyrillic letter
# although str.lower() does not make them equal (tests/test_literals.py checks this against
# the regex module over all of Unicode). Folding maps them to that letter.
SPECIAL_FOLDS = tuple(zip("İıſᲀᲁᲂᲃᲄᲅᲆᲇ", "iisвдосттъѣ", strict=True))
_SPECIAL = str.maketrans(dict(SPECIAL_FOLDS))
_HAS_SPECIAL = re.compile("[" + "".join(map(chr, _SPECIAL)) + "]")
# Beyond _FOLDABLE, for whole-literal checks: Latin Extended-A and B (Polish, Turkish, Czech,
# ...), whose case pairs `fold` maps together, and the special letters it translates
_LOWER_SAFE = frozenset(map(chr, range(0x100, 0x250))) | frozenset(map(chr, _SPECIAL))
# The characters a pattern's start may be folded from: whose every case-insensitive match
# `fold` maps to the same letter. Past any other character, a start is cut. ASCII, Latin-1
# (© « » ...; not µ or ß, which match a Greek mu and U+1DF95), Cyrillic, and general
# punctuation (quotes, dashes, bullets).
_LATIN1 = set(map(chr, range(0xA0, 0x100))) - {"µ", "ß"}
_FOLDABLE = frozenset(map(chr, [*range(0x20, 0x7F), *range(0x400, 0x500), *range(0x2010, 0x2060)])) | _LATIN1


def fold(text: str) -> str:
    """Letter case folded, as far as the regex module's IGNORECASE goes, for comparing starts."""
    if not text.isascii() and _HAS_SPECIAL.search(text):
        text = text.translate(_SPECIAL)
    return text.lower()


State = tuple[str, bool]  # (start so far, may it grow)


def heads(source: str, defs: dict[str, str]) -> tuple[tuple[int, frozenset[str]], ...] | None:
    """Folded starts, each at most HEAD characters, one of which every line the pattern
    matches starts with, grouped by length (longest first); None when a match may start with
    almost anything."""
    tree = _parse(source, defs)
    if tree is None:
        return None
    starts = {s for s, _ in _heads(list(tree), {("", True)})}
    if "" in starts or not starts:
        return None
    lengths = sorted({len(s) for s in starts}, reverse=True)
    return tuple((n, frozenset(s for s in starts if len(s) == n)) for n in lengths)


def _close(states: set[State]) -> set[State]:
    return {(s, False) for s, _ in states}


def _extend(states: set[State], chars: set[str] | None) -> set[State]:
    """Each growing start followed by one of the characters (None: by anything)."""
    if chars is None:
        return _close(states)
    out: set[State] = set()
    for s, grows in states:
        if not grows:
            out.add((s, False))
            continue
        for c in chars:
            t = s + c
            out.add((t, len(t) < HEAD))
    return out


def _chars(op: Any, arg: Any) -> set[str] | None:
    """The folded characters one item of a pattern matches, if few and all foldable."""
    if op is C.LITERAL:
        items = [(op, arg)]
    elif op is C.IN:
        items = arg
    else:
        return None
    out: set[str] = set()
    for kind, value in items:
        if kind is C.LITERAL:
            codes = [value]
        elif kind is C.RANGE and value[1] - value[0] < MAX_HEADS:
            codes = list(range(value[0], value[1] + 1))
        else:  # a negated set, a category (\d, \w), a wide range
            return None
        for code in codes:
            c = chr(code)
            if c not in _FOLDABLE or c == "\n":
                return None
            out.add(fold(c))
    return out if len(out) <= MAX_HEADS else None


def _heads(items: list[tuple[Any, Any]], states: set[State]) -> set[State]:
    for op, arg in items:
        if not any(grows for _, grows in states):
            break
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero width: lines that start otherwise are still candidates
        if op is C.SUBPATTERN:
            states = _heads(list(arg[3]), states)
        elif op is getattr(C, "ATOMIC_GROUP", None):
            states = _heads(list(arg), states)
        elif op is C.BRANCH:
            states = set().union(*(_heads(list(alt), states) for alt in arg[1]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
            low, high, sub = arg
            once = _heads(list(sub), states) if high else set()
            if high > 1:  # another may follow: what follows the first is unknown
                once = _close(once)
            states = (states | once) if low == 0 else once
        else:
            states = _extend(states, _chars(op, arg))
        while len(states) > MAX_HEADS:  # too many: compare fewer characters
            width = max(len(s) for s, _ in states) - 1
            states = {(s[:width], False) for s, _ in states}
    return states


# -- a compiled pattern with its prefilter ---------------------------------------------------
def compiled_pattern(
    rx: regex.Pattern[str],
    source: str,
    multiline: bool,
    body: str,
    defs: dict[str, str],
    anywhere: bool = False,
    memo: Memo | None = None,
) -> Pattern:
    """A compiled pattern with its prefilter (packs.literals) worked out from its body, or read
    from the memo of an earlier load (the analysis is a third of a load's time)."""
    # A pass of a whole-line pattern only tries line starts: it costs about what two or three
    # finds of an absent literal do, so a longer group of literals would cost more than it saves.
    most = MAX_ALTERNATIVES if anywhere or multiline else MAX_LINE_ALTERNATIVES
    key = f"{PREFILTER_VERSION}\0{most}\0{int(anywhere)}\0{inline_defs(body, defs)}"
    kept = memo.get(key) if memo is not None else None
    if kept is None:
        needs, folded, lowered = prefilter(body, defs, most)
        starts = None if anywhere else heads(body, defs)
        if memo is not None:
            memo.put(key, [needs, folded, lowered, None if starts is None else [[n, sorted(s)] for n, s in starts]])
    else:
        needs = tuple(map(tuple, kept[0]))
        folded, lowered = tuple(kept[1]), tuple(kept[2])
        starts = None if kept[3] is None else tuple((n, frozenset(s)) for n, s in kept[3])
    searches = tuple(regex.compile(regex.escape(s), regex.IGNORECASE | regex.V0) for s in folded)
    return Pattern(rx, source, multiline, needs, anywhere, searches, starts, lowered)


# Bump when packs.literals changes what it works out: memos of an older one are not read.
PREFILTER_VERSION = 1
