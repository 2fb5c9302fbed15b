"""Text normalization: NFC, one kind of space, stripped lines, `- ` list markers.

Line count is preserved (blank lines stay blank), so line numbers in the audit are the
input's own line numbers.
"""

from __future__ import annotations

import re
import unicodedata

_TRANSLATE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None),
    **dict.fromkeys(map(ord, "\t\u00a0\u1680\u2007\u202f\u205f\u3000\u2028\v\f"), " "),
    **{c: " " for c in range(0x2000, 0x200B)},
    **{c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0B, 0x0C)},
    0x7F: None,
    0x2029: "\n",
}
# (char, replacement): an `in` test per character is a fast C scan; str.translate with a dict
# and a regex over the whole page both cost far more on every page.
_REPLACE = [(chr(c), r or "") for c, r in _TRANSLATE.items()]
_REPLACE_ASCII = [(ch, r) for ch, r in _REPLACE if ch.isascii()]  # for pure-ASCII pages
# Bullets scrapers emit for <li>; `*` and `–` only when a space follows, so "*Note" stays.
# (`- ` itself stays as it is). Matched after a newline: the engine jumps from line to line.
_LIST_MARKER = re.compile(r"\n(?:[•·▪◦‣●] ?|[*–] )(?=\S)")
# The bullets of nested lists in a text layout (inscriptis writes `* `, then `+ `, then `o `):
# a bullet only on two lines in a row, before a word that is not in lower case, since a line
# may open with the Portuguese or Italian article ("o presidente", "o Brasil").
_NESTED_MARKERS = ("o ", "+ ")


def normalize_lines(text: str) -> list[str]:
    """The page as normalized lines, one per input line."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():  # isascii is O(1) on str; ASCII is NFC already
        text = unicodedata.normalize("NFC", text)
    for ch, repl in _REPLACE_ASCII if text.isascii() else _REPLACE:
        if ch in text:
            text = text.replace(ch, repl)
    while "  " in text:
        text = text.replace("  ", " ")
    # at most one space is left at either end of a line: strip them all in C, not per line
    text = "\n" + text.replace("\n ", "\n").replace(" \n", "\n").strip(" ") + "\n"
    text = _LIST_MARKER.sub("\n- ", text)
    lines = text[1:-1].split("\n")
    if "\no " in text or "\n+ " in text:
        _nested_bullets(lines)
    return lines


def _nested_bullets(lines: list[str]) -> None:
    """Rewrite the nested lists' bullets (`_NESTED_MARKERS`) as `- `, in place."""
    marks = ["", *(line[0] if line[:2] in _NESTED_MARKERS and line[2:3].isupper() else "" for line in lines), ""]
    for i in range(len(lines)):
        mark = marks[i + 1]
        if mark and mark in (marks[i], marks[i + 2]):
            lines[i] = "- " + lines[i][2:]


def join_paragraphs(lines: list[str]) -> str:
    """Paragraphs separated by exactly one blank line, one final newline."""
    body = "\n\n".join(line for line in lines if line)
    return body + "\n" if body else ""


def normalize(text: str) -> str:
    return join_paragraphs(normalize_lines(text))
