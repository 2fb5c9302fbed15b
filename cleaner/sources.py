"""Bytes in: the one place every mode opens, reads and unpacks a page.

- Reads are bounded: no mode reads more than the size limit (plus one byte, to know it is
  over), whatever the input is: a 1 GB file, /dev/zero, a pipe that never ends.
- Inside a folder batch a page is opened beneath the folder without following links, one
  path component at a time (a file swapped for a link after the walk is refused, not
  followed), and only a regular file is read (a FIFO or a device fails alone, at once).
- Compressed pages (gzip, bzip2, xz, zstd) are judged by their magic bytes, not their names,
  and unpacked within the same limit, so a small bomb cannot fill memory.
- `display()` makes any name printable on one line and encodable as UTF-8."""

from __future__ import annotations

import bz2
import lzma
import os
import re
import stat
import zlib
from collections.abc import Callable
from typing import Any, BinaryIO

from . import settings
from .errors import InputError

_MAGIC = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)
# a control character (a newline in a file name) would break a one-line message
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def display(name: str) -> str:
    """A name as it can be printed: bytes that were not UTF-8 (surrogate escapes from the file
    system) as \\xNN, control characters as escapes. Valid UTF-8, one line."""
    if not name.isascii() and _SURROGATE.search(name):
        name = _SURROGATE.sub(_escape, name)
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], name)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def compression(data: bytes) -> str | None:
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def read_path(path: str, source: str, limit: int = settings.MAX_PAGE_BYTES) -> bytes:
    """A page the user named: links followed (the user chose it), any kind of file, bounded."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(_os_problem(exc), source, "unreadable") from None
    return _read_fd(fd, source, limit, regular_only=False)


def read_beneath(root: str, rel: str, source: str, limit: int = settings.MAX_PAGE_BYTES) -> bytes:
    """A page of a folder batch: `rel` opened beneath `root` with no link followed at any
    component, and read only if it is a regular file."""
    return _read_fd(_open_beneath(root, rel, source), source, limit, regular_only=True)


def open_beneath(root: str, rel: str, source: str) -> BinaryIO:
    """A file of a folder batch opened as read_beneath opens it, to read as a stream (a WARC)."""
    fd = _open_beneath(root, rel, source)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise InputError(f"is not a regular file ({_kind(info.st_mode)}); skipped", source, "not_a_file")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def _open_beneath(root: str, rel: str, source: str) -> int:
    nofollow = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | nofollow)
    except OSError as exc:
        raise InputError(f"cannot open its folder ({exc.strerror})", source, "unreadable") from None
    try:
        *folders, name = rel.split("/")
        for part in folders:
            sub = os.open(part, os.O_RDONLY | os.O_DIRECTORY | nofollow, dir_fd=fd)
            os.close(fd)
            fd = sub
        page = os.open(name, os.O_RDONLY | os.O_NONBLOCK | nofollow, dir_fd=fd)
    except OSError as exc:
        raise InputError(_os_problem(exc, beneath=True), source, "unreadable") from None
    finally:
        os.close(fd)
    return page


def read_stream(stream: BinaryIO, source: str, limit: int = settings.MAX_PAGE_BYTES) -> bytes:
    """A page from a pipe or stdin, bounded: a stream that never ends fails at the limit."""
    read: Callable[[int], bytes] = getattr(stream, "read1", stream.read)
    parts, size = [], 0
    while chunk := read(settings.READ_CHUNK):
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            raise InputError(_too_large(limit), source, "too_large")
    return b"".join(parts)


def _read_fd(fd: int, source: str, limit: int, *, regular_only: bool) -> bytes:
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(
                "is a folder, not a page; pass a file, or -o OUT to clean a whole folder", source, "not_a_file"
            )
        regular = stat.S_ISREG(info.st_mode)
        if not regular and regular_only:
            raise InputError(f"is not a regular file ({_kind(info.st_mode)}); skipped", source, "not_a_file")
        if regular and info.st_size > limit:
            raise InputError(_too_large(limit), source, "too_large")  # refused before a byte is read
        if not regular:
            os.set_blocking(fd, True)  # opened non-blocking only so that opening a FIFO cannot hang
        parts, size = [], 0
        while chunk := os.read(fd, settings.READ_CHUNK if not regular else max(info.st_size + 1, 1)):
            parts.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputError(_too_large(limit), source, "too_large")
        return b"".join(parts)
    except OSError as exc:
        raise InputError(_os_problem(exc), source, "unreadable") from None
    finally:
        os.close(fd)


def unpack(data: bytes, source: str | None, limit: int = settings.MAX_PAGE_BYTES) -> bytes:
    """The page inside gzip, bzip2, xz or zstd bytes (judged by magic bytes), within the size
    limit; other bytes as they are."""
    kind = compression(data)
    if kind is None:
        return data
    try:
        if kind == "zstd":
            out = _unzstd(data, limit, source)
        else:
            out = _unstream(data, kind, limit)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as exc:
        raise InputError(
            f"{kind}-compressed data that does not unpack ({exc}); the file is damaged or cut short", source, "damaged"
        ) from None
    if len(out) > limit:
        raise InputError(_too_large(limit, unpacked=True), source, "too_large")
    return out


def _unstream(data: bytes, kind: str, limit: int) -> bytes:
    """Concatenated members too (gzip -c a b > c), stopping one byte past the limit."""
    parts, size = [], 0
    while data and size <= limit:
        if kind == "gzip":
            d: object = zlib.decompressobj(wbits=31)
        elif kind == "bzip2":
            d = bz2.BZ2Decompressor()
        else:
            d = lzma.LZMADecompressor()
        chunk = d.decompress(data, limit + 1 - size)  # type: ignore[attr-defined]
        parts.append(chunk)
        size += len(chunk)
        if kind == "gzip":
            if not d.eof:  # type: ignore[attr-defined]
                if size > limit:
                    break
                raise EOFError("the compressed stream ends early")
            data = d.unused_data  # type: ignore[attr-defined]
        else:
            if not d.eof:  # type: ignore[attr-defined]
                if size > limit or not d.needs_input:  # type: ignore[attr-defined]
                    break
                raise EOFError("the compressed stream ends early")
            data = d.unused_data  # type: ignore[attr-defined]
    return b"".join(parts)


def _unzstd(data: bytes, limit: int, source: str | None) -> bytes:
    try:
        import zstandard
    except ImportError:
        raise InputError(
            "zstd-compressed; install zstd support (pip install zstandard) or decompress it first (unzstd)",
            source,
            "unreadable",
        ) from None
    import io

    with zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True) as reader:
        return reader.read(limit + 1)


def _too_large(limit: int, unpacked: bool = False) -> str:
    what = "unpacks to more than" if unpacked else "is larger than"
    return f"{what} the {limit // (1024 * 1024)} MiB page limit; split it, or pass a smaller page"


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return name
    return "not a plain file"


def _os_problem(exc: OSError, beneath: bool = False) -> str:
    import errno

    if exc.errno == errno.ENOENT:
        return "no such file; check the path"
    if exc.errno in (errno.ELOOP, errno.ENOTDIR) and beneath:
        return "became a symbolic link after the folder was walked; links are not followed, skipped"
    if exc.errno == errno.EACCES:
        return "cannot read (permission denied); check its permissions"
    if exc.errno == errno.EISDIR:
        return "is a folder, not a page; pass a file"
    return f"cannot read ({exc.strerror or exc}); check the file"


# -- streams of records: compressed JSONL and WARC ---------------------------------------------


def open_stream(fh: BinaryIO, source: str) -> tuple[BinaryIO, str]:
    """A stream of records, unpacked as it is read when it is compressed (judged by its magic
    bytes), and what it holds: "warc" or "jsonl"."""
    import io

    buffered = fh if hasattr(fh, "peek") else io.BufferedReader(fh)  # type: ignore[arg-type]
    kind = compression(buffered.peek(8)[:8])  # type: ignore[attr-defined]
    stream: BinaryIO = buffered
    if kind == "gzip":
        import gzip

        stream = gzip.GzipFile(fileobj=buffered)  # type: ignore[assignment]
    elif kind == "bzip2":
        stream = bz2.BZ2File(buffered)  # type: ignore[assignment]
    elif kind == "xz":
        stream = lzma.LZMAFile(buffered)  # type: ignore[assignment]
    elif kind == "zstd":
        try:
            import zstandard
        except ImportError:
            raise InputError(
                "zstd-compressed; install zstd support (pip install zstandard) or decompress it first", source
            ) from None
        stream = zstandard.ZstdDecompressor().stream_reader(buffered, read_across_frames=True)  # type: ignore[assignment]
    if kind is not None:
        stream = io.BufferedReader(stream)  # type: ignore[arg-type]
    try:
        head = stream.peek(8)[:8]  # type: ignore[attr-defined]
    except (OSError, EOFError, lzma.LZMAError) as exc:
        raise InputError(f"{kind}-compressed data that does not unpack ({exc})", source, "damaged") from None
    return stream, "warc" if head.startswith(b"WARC/") else "jsonl"


def is_warc(path: str) -> bool:
    """Whether a file the user named is a WARC file (plain or compressed)."""
    try:
        with open(path, "rb") as fh:
            return open_stream(fh, path)[1] == "warc"
    except (OSError, InputError):
        return False


def warc_records(stream: BinaryIO, source: str, fields: tuple[str, str, str, str]) -> Any:
    """Each `response` record of a WARC file as a scraper record: its record id as the id, its
    target URI as the URL, its body as the page, decoded by the HTTP charset when the response
    names one. FastWARC reads it: the fastest WARC reader for Python, and it skips the records
    that are not responses without parsing them."""
    try:
        from fastwarc.warc import ArchiveIterator, WarcRecordType
    except ImportError:
        raise InputError("a WARC file; install WARC support (pip install 'news-cleaner[warc]')", source) from None
    id_key, url_key, text_key, html_key = fields
    for rec in ArchiveIterator(stream, record_types=WarcRecordType.response, parse_http=True):
        body = rec.reader.read()
        charset = getattr(rec, "http_charset", None)
        page: str | bytes = body
        if charset:
            try:
                page = body.decode(charset, errors="replace")
            except LookupError:
                pass  # an unknown charset: the page's own declaration or the bytes decide
        ctype = (rec.http_headers.get("Content-Type") if rec.http_headers else None) or ""
        yield {
            id_key: rec.record_id,
            url_key: rec.headers.get("WARC-Target-URI"),
            text_key if ctype.startswith("text/plain") else html_key: page,
            "warc_date": rec.headers.get("WARC-Date"),
            "http_content_type": ctype or None,
        }
