"""Patterns rewritten for Hyperscan: each compiled `regex` pattern as an expression that
matches a superset of what `regex` matches (packs/plan.py puts them in one database).

Lookarounds, anchors and word boundaries are dropped, back-references match anything, wide
repeats lose their bound, classes like `\\w` widen to what surely holds them (only ASCII is
compared exactly), and each letter of a case-insensitive part becomes the class of its case
variants. Syntax only the regex module knows (fuzzy matching, set operations) is not
rewritten: such a pattern keeps its literal prefilter (packs/literals.py)."""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from .. import settings
from .literals import SPECIAL_FOLDS

# Syntax only the regex module reads (POSIX classes, fuzzy counts, \X and friends, version and
# branch-reset flags; set operations need V1, which such a flag turns on): not rewritten.
_REGEX_ONLY = re.compile(r"\[:\^?[a-z]+:\]|\{[^}]*[a-z<][^}]*\}|\\[XmMGK]|\(\?[|V&r]")
# Before parsing, one pass over the source's tokens (an escape is one token, so `\\p` is a
# backslash and a p): a Unicode property (\p{Lu}, \P{Cyrillic}) becomes one stand-in character,
# which the rewriting takes as any character (a superset of every property); a back-reference by
# name matches anything; group names are dropped, so that a name the regex module allows twice
# parses.
_TOKEN = re.compile(r"\\[pP](?:\{[^}]*\}|[A-Za-z])|\\[kg]<\w+>|\(\?P=\w+\)|\\.|\(\?P?<(?![=!])\w+>", re.S)
_STAND_IN = 0x10FFFD


def _token(m: re.Match[str]) -> str:
    token = m.group()
    if token[:2] in ("\\p", "\\P"):
        return f"\\U{_STAND_IN:08x}"
    if token[:2] in ("\\k", "\\g") or token.startswith("(?P="):
        return "(?s:.*)"
    return "(" if token.startswith("(?") else token


# What surely holds every character a `regex` class matches. Only ASCII is compared exactly:
# any other character may be in `\w`, `\d` or `\s` (the Unicode tables of the two engines need
# not agree). Inside a negated class the other way round: what surely lies inside the category,
# so that the complement is a superset too.
_ANY_WIDE = r"\x{80}-\x{10ffff}"
_WIDE = {
    C.CATEGORY_WORD: r"0-9A-Za-z_" + _ANY_WIDE,
    C.CATEGORY_NOT_WORD: r"\x{0}-/:-@\[-\^\x{60}\{-\x{10ffff}",
    C.CATEGORY_SPACE: r"\t-\r\x{1c}-\x{20}" + _ANY_WIDE,
    C.CATEGORY_NOT_SPACE: r"\x{0}-\x{8}\x{e}-\x{1f}\x{21}-\x{10ffff}",
    C.CATEGORY_DIGIT: r"0-9" + _ANY_WIDE,
    C.CATEGORY_NOT_DIGIT: r"\x{0}-/:-\x{10ffff}",
    C.CATEGORY_LINEBREAK: r"\n",
    C.CATEGORY_NOT_LINEBREAK: r"\x{0}-\x{9}\x{b}-\x{10ffff}",
}
_NARROW = {
    C.CATEGORY_WORD: r"0-9A-Za-z_",
    C.CATEGORY_NOT_WORD: r"\x{0}-/:-@\[-\^\x{60}\{-\x{7f}",
    C.CATEGORY_SPACE: r"\t-\r ",
    C.CATEGORY_NOT_SPACE: r"\x{21}-\x{7e}",
    C.CATEGORY_DIGIT: r"0-9",
    C.CATEGORY_NOT_DIGIT: r"\x{0}-/:-\x{7f}",
    C.CATEGORY_LINEBREAK: r"\n",
    C.CATEGORY_NOT_LINEBREAK: r"\x{0}-\x{9}\x{b}-\x{7f}",
}
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None))
# Cased letters all lie below this code point (the last cased script, Adlam, ends at U+1E95F).
_CASED_BELOW = 0x1F000
_CASE_RANGE = 256  # a case-insensitive range of more characters than this matches any non-ASCII


class Unsupported(Exception):
    """A construct with no safe superset here: the pattern keeps its literal prefilter."""


def superset(source: str) -> str | None:
    """A Hyperscan expression matching at least what `regex` matches for `source` (compiled with
    MULTILINE | V0); None when the pattern cannot be rewritten. Case is never left to Hyperscan,
    whose folding misses some pairs the `regex` module makes: each letter of a case-insensitive
    part becomes the class of its case variants."""
    source = _TOKEN.sub(_token, source)
    if _REGEX_ONLY.search(source):
        return None
    try:
        tree = sre_parse.parse(source)
        flags = tree.state.flags
        return "".join(_emit(list(tree), bool(flags & re.IGNORECASE), bool(flags & re.DOTALL)))
    except (Unsupported, re.error, RecursionError, OverflowError, ValueError):
        return None


def _char(code: int) -> str:
    return f"\\x{{{code:x}}}"


@lru_cache(maxsize=1)
def _folds() -> dict[str, frozenset[str]]:
    """Each cased character's case variants: the characters that lower, upper or fold to the
    same one (σ, ς, Σ; k, K, the Kelvin sign)."""
    groups: dict[str, set[str]] = {}  # by folded or lowered form (which may be longer: ΰ)
    for code in range(_CASED_BELOW):
        ch = chr(code)
        if ch.casefold() != ch or ch.lower() != ch or ch.upper() != ch:
            for key in {ch.casefold(), ch.lower()}:
                groups.setdefault(key, {key} if len(key) == 1 else set()).add(ch)
    for ch, to in SPECIAL_FOLDS:
        groups.setdefault(to, {to}).add(ch)
    parent: dict[str, str] = {}  # union-find: the variants of a character are one class

    def root(ch: str) -> str:
        while parent.setdefault(ch, ch) != ch:
            ch = parent[ch]
        return ch

    for members in groups.values():
        for ch in list(members):
            members |= {v for v in (ch.lower(), ch.upper(), ch.title(), ch.casefold()) if len(v) == 1}
        first, *rest = members or {""}
        for ch in rest:
            parent[root(ch)] = root(first)
    classes: dict[str, set[str]] = {}
    for ch in parent:
        classes.setdefault(root(ch), set()).add(ch)
    return {ch: frozenset(members) for members in classes.values() for ch in members}


def _variants(code: int) -> list[int]:
    return sorted({code, *map(ord, _folds().get(chr(code), ()))})


def _emit(items: list[tuple[Any, Any]], fold: bool, dotall: bool) -> list[str]:
    out: list[str] = []
    for op, arg in items:
        if op is C.LITERAL and arg == _STAND_IN:
            out.append(r"[\x{0}-\x{10ffff}]")
        elif op is C.LITERAL:
            codes = _variants(arg) if fold else [arg]
            out.append(_char(arg) if len(codes) == 1 else "[" + "".join(map(_char, codes)) + "]")
        elif op is C.NOT_LITERAL:  # ignoring case makes it match less: compared as written
            out.append(f"[^{_char(arg)}]")
        elif op is C.ANY:
            out.append(r"[\x{0}-\x{10ffff}]" if dotall else r"[^\n]")
        elif op is C.IN:
            out.append(_class(arg, fold))
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # zero width: without it the pattern matches more
        elif op is C.SUBPATTERN:
            _group, add, remove, sub = arg
            inner = (fold or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            inner_dot = (dotall or bool(add & re.DOTALL)) and not remove & re.DOTALL
            out.append("(?:" + "".join(_emit(list(sub), inner, inner_dot)) + ")")
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.append("(?:" + "".join(_emit(list(arg), fold, dotall)) + ")")
        elif op is C.BRANCH:
            out.append("(?:" + "|".join("".join(_emit(list(a), fold, dotall)) for a in arg[1]) + ")")
        elif op in _REPEATS:
            low, high, sub = arg
            body = "(?:" + "".join(_emit(list(sub), fold, dotall)) + ")"
            low = min(low, settings.PLAN_MAX_REPEAT)  # fewer repeats, or no bound: still a superset
            if high == C.MAXREPEAT or high > settings.PLAN_MAX_REPEAT:
                out.append(f"{body}{{{low},}}")
            else:
                out.append(f"{body}{{{low},{high}}}")
        elif op is C.GROUPREF_EXISTS:
            _ref, yes, no = arg
            alts = ["".join(_emit(list(yes), fold, dotall)), "".join(_emit(list(no), fold, dotall)) if no else ""]
            out.append("(?:" + "|".join(alts) + ")")
        elif op is C.GROUPREF:
            out.append(r"[\x{0}-\x{10ffff}]*")  # a back-reference: anything
        else:
            raise Unsupported(str(op))
    return out


def _class(items: list[tuple[Any, Any]], fold: bool) -> str:
    negated = bool(items) and items[0][0] is C.NEGATE
    if negated:
        items = items[1:]
        fold = False  # ignoring case makes a negated class match less, never more
    table = _NARROW if negated else _WIDE
    parts: list[str] = []
    for kind, value in items:
        if kind is C.LITERAL and value == _STAND_IN:  # a property: any character, or (negated) none
            parts += () if negated else [r"\x{0}-\x{10ffff}"]
        elif kind is C.LITERAL:
            parts += map(_char, _variants(value) if fold else [value])
        elif kind is C.RANGE:
            lo, hi = value
            parts.append(f"{_char(lo)}-{_char(hi)}")
            if fold and hi - lo > _CASE_RANGE:
                parts.append("A-Za-z" + _ANY_WIDE)
            elif fold:
                parts += (_char(v) for c in range(lo, hi + 1) for v in _variants(c) if not lo <= v <= hi)
        elif kind is C.CATEGORY:
            if value not in table:
                raise Unsupported(str(value))
            parts.append(table[value])
        else:
            raise Unsupported(str(kind))
    body = "".join(parts)
    if negated:
        return f"[^{body}]" if body else r"[\x{0}-\x{10ffff}]"
    if not body:
        raise Unsupported("empty class")
    return f"[{body}]"
