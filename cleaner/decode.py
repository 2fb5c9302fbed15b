"""Bytes to str: BOM, then a declared charset, then UTF-8, then likely code pages only.

A page that is UTF-8 but for a few bad bytes stays UTF-8: the bad bytes become U+FFFD and
the Document says so. Guessing a code page for it would turn every curly quote of the page
into mojibake (`вЂњ`) with no sign that anything went wrong."""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from . import settings
from .errors import InputError
from .sources import compression

# Ukrainian and Russian pages still arrive in these; a wider guess invites mojibake.
LIKELY_CODEPAGES = ("cp1251", "koi8_u", "koi8_r", "cp1252", "iso8859_5", "cp866")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
# Bytes that never occur in text: NUL and the C0 controls other than \t \n \v \f \r and ESC.
_BINARY = bytes([*range(0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
# ... and every other byte, for bytes.translate to delete (a C loop, 10x a regex's speed)
_TEXT_BYTES = bytes(b for b in range(256) if b not in _BINARY)
_MULTIBYTE = re.compile(r"[^\x00-\x7f\ufffd]")
# what a binary page most likely is, for a message that names it
_FILE_TYPES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x7fELF", "a program"),
)


class Decoded(NamedTuple):
    text: str
    encoding: str
    how: str  # bom | declared | utf-8 | detected
    warnings: tuple[str, ...] = ()


def decode(data: bytes, source: str | None = None) -> Decoded:
    if not data:
        raise InputError("empty input: nothing to clean", source, "empty")
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(name, errors="replace")
            if text.count("\ufffd") > len(text) // 20:
                raise InputError(
                    f"cannot decode: the {name} byte-order mark does not fit the bytes after it; re-save the page as "
                    "UTF-8",
                    source,
                    "undecodable",
                )
            return Decoded(text, name, "bom")
    head = data[: settings.SNIFF_BYTES]
    utf16 = _utf16_without_bom(head)
    if utf16:
        return Decoded(data.decode(utf16, errors="replace"), utf16, "detected")
    if len(head.translate(None, _TEXT_BYTES)) > max(2, len(head) * settings.BINARY_SHARE):
        raise InputError(_binary_message(head), source, "binary")
    declared = _declared_charset(head)
    if declared:
        try:
            return Decoded(data.decode(declared), declared, "declared")
        except UnicodeDecodeError:
            pass  # a wrong declaration is common; fall through to evidence
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    return _detect(data, source)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with U+FFFD for its few bad bytes, when its valid multi-byte characters (curly
    quotes, accents, Cyrillic) outnumber the bad bytes: a code page never decodes that way."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid = len(_MULTIBYTE.findall(text))
    if valid < settings.UTF8_VALID_PER_INVALID * bad:
        return None
    noun = "byte that is" if bad == 1 else "bytes that are"
    warning = f"{bad} {noun} not UTF-8 replaced with U+FFFD; the rest of the page decoded as UTF-8"
    return Decoded(text, "utf-8", "utf-8", (warning,))


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: text whose every other byte is mostly NUL."""
    pairs = len(head) // 2
    if pairs < 4 or head.count(0) < pairs * settings.UTF16_NUL_SHARE:
        return None
    even, odd = head[0 : pairs * 2 : 2].count(0), head[1 : pairs * 2 : 2].count(0)
    if odd >= pairs * settings.UTF16_NUL_SHARE and even < pairs * 0.05:
        name = "utf-16-le"
    elif even >= pairs * settings.UTF16_NUL_SHARE and odd < pairs * 0.05:
        name = "utf-16-be"
    else:
        return None
    sample = head[: pairs * 2].decode(name, errors="replace")
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in sample)
    return name if printable >= 0.95 * len(sample) else None


def _binary_message(head: bytes) -> str:
    kind = compression(head)
    if kind:
        return f"{kind}-compressed data that did not unpack to a page; decompress it and check what it holds"
    for magic, name in _FILE_TYPES:
        if head.startswith(magic):
            return f"{name}, not a text dump or HTML page; pass the page as saved text or HTML"
    return "binary data (not text), not a text dump or HTML page; pass the page as saved text or HTML"


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


def _detect(data: bytes, source: str | None) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=list(LIKELY_CODEPAGES)).best()
    if best is None or best.chaos > 0.3:
        raise InputError(
            "cannot decode: not UTF-8 and no likely code page "
            f"({', '.join(LIKELY_CODEPAGES)}) fits; re-save the page as UTF-8",
            source,
            "undecodable",
        )
    name = codecs.lookup(best.encoding).name
    return Decoded(data.decode(name, errors="replace"), name, "detected")
