"""The pack format as data: every table's keys, whether each is required, and its types.

The loader refuses any key not listed here (with a did-you-mean)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ..document import METADATA_FIELDS
from .kinds import KINDS, schema_of

# Groups an extract pattern may name: the Document's fields, plus `time` (joined to `date`)
# and `rest` (what stays of a consumed line). Groups named `_x` are ignored.
EXTRACT_GROUPS = frozenset(METADATA_FIELDS) - {"hostname", "url"} | {"time", "rest"}

S, I, F, B, L, T = (str,), (int,), (int, float), (bool,), (list,), (dict,)  # noqa: E741 - the schema's type letters
req, opt = True, False

TOP_KEYS = {
    "schema": (req, I),
    "id": (req, S),
    "name": (req, S),
    "version": (req, I),
    "language": (opt, S),
    "extends": (opt, L),
    "disable": (opt, L),  # ids of inherited rules this pack does not run
    "defs": (opt, T),
    "tokens": (opt, T),  # name = ["word", ...]: a list that stands in for a long alternation, as (?&name)
    "match": (opt, T),
    "text": (opt, T),
    "fields": (opt, T),
    "guards": (opt, T),
    "html": (opt, T),
    "tests": (opt, L),
}
MATCH_KEYS = {"hosts": (opt, L), "threshold": (opt, F), "signature": (opt, L)}
SIGNATURE_KEYS = {"line": (opt, S), "text": (opt, S), "html": (opt, S), "where": (opt, T), "weight": (opt, F)}
TEXT_KEYS = {"extract": (opt, L), "drop": (opt, L)}
WHERE_KEYS = {"region": (opt, S), "lines": (opt, I)}
GUARD_KEYS = {"max_removed_ratio": (opt, F), "min_body_chars": (opt, I)}
FIELDS_KEYS = {"formats": (opt, L)}
HTML_KEYS = {
    "body": (opt, L),
    "strip": (opt, L),
    "outside": (opt, L),  # elements that are never the article: their text does not place the main block
    "fields": (opt, T),
    "guess": (opt, T),  # like fields, but tried after JSON-LD and meta tags (generic selectors)
    "extracted": (opt, S),  # the pack that runs instead when the HTML extractor found the article
}
TEST_KEYS = {
    "name": (opt, S),
    "text": (req, S),
    "url": (opt, S),
    "select": (opt, B),
    "expect": (opt, T),
    "must_contain": (opt, L),
    "must_not_contain": (opt, L),
    "fired": (opt, L),
    "not_fired": (opt, L),  # rules that must not fire on this page (a must-not-fire case)
}

_RULE = {
    "id": (req, S),
    "reason": (opt, S),
    "status": (opt, S),
    "where": (opt, T),
    "after_fraction": (opt, F),
    "before_fraction": (opt, F),
    "aliases": (opt, L),  # the rule's former ids: `disable` and pack tests still find it by them
}
EXTRACT_KEYS = {
    **_RULE,
    "pattern": (opt, S),  # named groups become fields (required unless `heuristic`)
    "heuristic": (opt, S),  # a built-in finder instead of a pattern: "title"
    "consume": (opt, B),  # remove the matched lines (a `rest` group stays)
    "above": (opt, S),  # match the kept line just above the first line matching this
    "after": (opt, S),  # ... or just below it
    "set": (opt, T),  # constant fields set when the rule matches
}
# Each drop kind's keys, from the kinds' one schema (packs/kinds.py).
DROP_KINDS = {name: schema_of(kind) for name, kind in KINDS.items()}


def suggest(word: str, choices: Iterable[str]) -> str:
    """A did-you-mean for a misspelt key, kind or field."""
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def type_names(types: tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    return " or ".join(names.get(t, t.__name__) for t in types)
