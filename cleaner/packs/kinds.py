"""The drop kinds as data: each kind's keys, with their types, defaults and what they do.

This is the one source of a kind's keys and defaults: the loader reads a rule with it, the
Rule gets every value from it, `cleaner packs kinds` prints it as the README's table, and
`cleaner packs show` describes rules with it. The function that runs a kind is in
text/drops.py, registered under the kind's name (Packs are data: they never import Text).

Adding a kind: one `Kind` here and one function in text/drops.py, with its cases in
tests/test_drops.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..settings import PARAGRAPH_MIN_CHARS

S, I, F, B = (str,), (int,), (int, float), (bool,)  # noqa: E741 - the schema's type letters
NO_LIMIT = 1_000_000  # a length no line reaches


@dataclass(frozen=True)
class Key:
    name: str
    types: tuple[type, ...]
    default: Any
    doc: str
    required: bool = False
    compile: str | None = None  # "line": a whole-line pattern; "anywhere": searched inside lines; "set": exact strings
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    name: str
    doc: str
    keys: tuple[Key, ...]
    trigger: tuple[str, ...] = ()  # the pattern keys without whose match the rule does nothing
    one_of: tuple[str, ...] = ()  # a rule sets exactly one of these keys

    def key(self, name: str) -> Key | None:
        return next((k for k in self.keys if k.name == name), None)


# keys every rule has (the `where` table and the fractions are read into one Where)
COMMON = {
    "id": "`<prefix>.<kebab-slug>`, unique; part of the output (`removed[].rule`)",
    "reason": "what the rule removes and why: its documentation, shown by `explain` and `packs show`",
    "status": "`stable` (the default: a pack test must fire it) or `experimental`",
    "where": '`{ region = "head" | "tail" | "all", lines = N }`: the first or last N kept lines',
    "after_fraction": "the match starts after this share of the page's characters (default 0)",
    "before_fraction": "... and before this share (default 1)",
    "aliases": "the rule's former ids: `disable` and pack tests still find it by them",
}


def _start(required: bool = False, doc: str = "the first line's pattern") -> Key:
    return Key("start", S, None, doc, required=required, compile="line")


def _max_chars(default: int, doc: str) -> Key:
    return Key("max_chars", I, default, doc)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "line",
            "every line (or multi-line span) matching `pattern`, or holding `contains` anywhere",
            (
                Key("pattern", S, None, "the whole line (a pattern with `\\n` spans lines)", compile="line"),
                Key("contains", S, None, "found anywhere in the line", compile="anywhere"),
                _max_chars(NO_LIMIT, "a longer line is never removed (so vocabulary cannot take a paragraph)"),
            ),
            trigger=("pattern", "contains"),
            one_of=("pattern", "contains"),
        ),
        Kind(
            "exact",
            "every line equal to one of `lines`, as written (no pattern: a set lookup, fast for long lists)",
            (Key("lines", (list,), None, "the lines", required=True, compile="set"),),
        ),
        Kind(
            "repeated-field",
            "a line in the region that repeats a field's value: the headline again among the body's first lines, "
            "alone or with the site's name after a separator",
            (Key("field", S, None, "the field (`title`)", required=True),),
        ),
        Kind(
            "block",
            "whole paragraph blocks (no blank line inside) lying in the region",
            (
                _start(doc="the block's first line must match it"),
                Key("end", S, None, "the block's last line must match it", compile="line"),
                Key("min_lines", I, 1, "the fewest lines a block has"),
                Key("max_lines", I, None, "the most (none: any)"),
            ),
            trigger=("start",),
        ),
        Kind(
            "from",
            "from the first `start` line in the region to the end of the page",
            (
                _start(required=True, doc="the marker line"),
                Key("min_run", I, 0, "only when at least this many short lines follow (or all that follow are short)"),
                _max_chars(120, "what counts as a short line for `min_run`"),
                Key(
                    "stop_at_paragraph",
                    B,
                    False,
                    "stop before the next paragraph-like line (a weak marker is no proof)",
                ),
                Key(
                    "min_chars",
                    I,
                    PARAGRAPH_MIN_CHARS["rule"],
                    "a sentence this long is paragraph-like, for `stop_at_paragraph` and `prose_above`",
                ),
                Key(
                    "prose_above",
                    I,
                    0,
                    "only a marker with at least this many characters of paragraph-like lines kept above it"
                    " (a heading below the article, not a button above it)",
                ),
            ),
            trigger=("start",),
        ),
        Kind(
            "until",
            "from the top of the page to the `end` line, or to the line a `field` came from",
            (
                Key("end", S, None, "the marker line", compile="line"),
                Key("field", S, None, "the field whose line is the marker (`title`)"),
                Key("inclusive", B, False, "the marker goes too"),
            ),
            trigger=("end",),  # none with `field`: the field's line is the marker
            one_of=("end", "field"),
        ),
        Kind(
            "between",
            "from a `start` line through the next `end` line",
            (
                _start(required=True, doc="the opening marker"),
                Key("end", S, None, "the closing marker", required=True, compile="line"),
                Key("max_lines", I, None, "nothing goes when the end is further than this (none: any)"),
                Key("inclusive", B, True, "the markers go too"),
            ),
            trigger=("start",),
        ),
        Kind(
            "run",
            "runs of at least `min_lines` short list-like lines (`- ` items never)",
            (
                Key(
                    "line", S, None, "the lines of the run (default: short, not ending like a sentence)", compile="line"
                ),
                Key("min_lines", I, 1, "the shortest run"),
                _max_chars(120, "a longer line ends the run"),
                Key(
                    "anchor",
                    S,
                    "end",
                    "`end` / `start`: only the run at the region's end / start; `any`: every run",
                    choices=("any", "start", "end"),
                ),
            ),
            trigger=("line",),
        ),
        Kind(
            "frame",
            "lines outside the largest cluster of paragraph-like lines",
            (
                Key("min_chars", I, PARAGRAPH_MIN_CHARS["rule"], "a sentence this long is paragraph-like"),
                Key("max_gap", I, 12, "other lines that may stand between two paragraphs of the cluster"),
                Key("min_head", I, 3, "fewer lines than this above the cluster stay"),
                Key("min_tail", I, 2, "fewer lines than this below it stay"),
            ),
        ),
        Kind(
            "article",
            'lines a trained line model scores as chrome (see "Outlets with no pack")',
            (Key("model", S, None, "the model file beside the pack (written by bench/line_model.py)"),),
        ),
        Kind(
            "span",
            "inline matches of `pattern` inside lines (the rest of the line stays); never a fragment: a hit "
            "that is not whole sentences takes its sentence when it opens it and leaves at most 6 words of it, "
            "else nothing goes",
            (Key("pattern", S, None, "searched inside the kept lines", required=True, compile="anywhere"),),
            trigger=("pattern",),
        ),
    )
}


def schema_of(kind: Kind) -> dict[str, tuple[bool, tuple[type, ...]]]:
    """The kind's keys as the loader checks them: (required, types)."""
    common = {
        "id": (True, S),
        "kind": (True, S),
        "reason": (False, S),
        "status": (False, S),
        "where": (False, (dict,)),
        "after_fraction": (False, F),
        "before_fraction": (False, F),
        "aliases": (False, (list,)),
    }
    return {**common, **{k.name: (k.required, k.types) for k in kind.keys}}


def markdown() -> str:
    """The README's table of drop kinds and their keys, defaults included."""
    rows = ["| kind | removes | keys (default) |", "|---|---|---|"]
    for kind in KINDS.values():
        keys = []
        for k in kind.keys:
            default = (
                "required"
                if k.required
                else "none"
                if k.default is None
                else "no limit"
                if k.default == NO_LIMIT
                else repr(k.default).lower()
                if isinstance(k.default, bool)
                else repr(k.default).replace("'", '"')
            )
            keys.append(f"`{k.name}` ({default}): {k.doc}")
        one = f" One of {' and '.join(f'`{k}`' for k in kind.one_of)}." if kind.one_of else ""
        rows.append(f"| `{kind.name}` | {kind.doc}.{one} | " + "<br>".join(keys) + " |")
    return "\n".join(rows)
