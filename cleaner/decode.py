"""Bytes to str: BOM, then a declared charset, then UTF-8, then likely code pages only."""

from __future__ import annotations

import codecs
import re

from .errors import InputError

# Ukrainian and Russian pages still arrive in these; a wider guess invites mojibake.
LIKELY_CODEPAGES = ("cp1251", "koi8_u", "koi8_r", "cp1252", "iso8859_5", "cp866")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE
)
# Bytes that never occur in text: NUL and the C0 controls other than \t \n \v \f \r and ESC.
_BINARY = bytes([*range(0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
# ... and every other byte, for bytes.translate to delete (a C loop, 10x a regex's speed)
_TEXT_BYTES = bytes(b for b in range(256) if b not in _BINARY)


def decode(data: bytes, source: str | None = None) -> tuple[str, str, str]:
    """Return (text, encoding, how) where how is bom | declared | utf-8 | detected."""
    if not data:
        raise InputError("empty input: nothing to clean", source)
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(name, errors="replace")
            if text.count("\ufffd") > len(text) // 20:
                raise InputError(f"cannot decode: the {name} byte-order mark does not fit the bytes after it; re-save the page as UTF-8", source)
            return text, name, "bom"
    head = data[:8192]
    if len(head.translate(None, _TEXT_BYTES)) > max(2, len(head) // 200):
        raise InputError("binary data, not a text dump or HTML page; pass the page as saved text or HTML", source)
    declared = _declared_charset(head)
    if declared:
        try:
            return data.decode(declared), declared, "declared"
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; fall through to evidence
    try:
        return data.decode("utf-8"), "utf-8", "utf-8"
    except UnicodeDecodeError:
        pass
    return _detect(data, source)


def _declared_charset(head: bytes) -> str | None:
    if b"charset" not in head.lower():  # most pages: no declaration to look for
        return None
    m = _DECLARED.search(head)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return None


def _detect(data: bytes, source: str | None) -> tuple[str, str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=list(LIKELY_CODEPAGES)).best()
    if best is None or best.chaos > 0.3:
        raise InputError(
            "cannot decode: not UTF-8 and no likely code page "
            f"({', '.join(LIKELY_CODEPAGES)}) fits; re-save the page as UTF-8",
            source,
        )
    name = codecs.lookup(best.encoding).name
    return data.decode(name, errors="replace"), name, "detected"
