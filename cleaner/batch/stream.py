"""JSON-lines streams: scraper records in, one task per record, whatever a record holds.

Every input line that is not blank gives exactly one output record, in input order, `id`
first: a line that is not JSON, too long, nested too deep, or holds a field of the wrong type
gives an error record; nothing stops the stream."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import settings
from ..sources import display
from .work import Task


@dataclass(frozen=True)
class StreamFields:
    id: str = "id"
    url: str = "url"
    text: str = "text"
    html: str = "html"


def read_records(stream: Any, fields: StreamFields, input_format: str = "auto") -> Iterator[Task]:
    """Scraper records, one JSON object per line. Split on \\n only: str.splitlines also breaks
    on U+2028, which JSON strings may hold raw. A record that cannot be read fails alone."""
    for n, raw in enumerate(byte_lines(stream, settings.MAX_RECORD_BYTES), 1):
        if raw is None:
            label = f"record {n}"
            yield Task(label, rid=label, record=True, error=f"longer than {settings.MAX_RECORD_BYTES // (1024 * 1024)} MiB; skipped")
            continue
        if not raw.strip():
            continue
        yield _task(raw, f"record {n}", fields, input_format)


def _task(raw: bytes, label: str, fields: StreamFields, input_format: str) -> Task:
    try:
        rec = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        return Task(label, rid=label, record=True, error="nested too deeply to read; one flat JSON object per line")
    except ValueError as exc:
        return Task(label, rid=label, record=True, error=f"not valid JSON ({exc}); one JSON object per line")
    if not isinstance(rec, dict):
        return Task(label, rid=label, record=True, error="not a JSON object; one JSON object per line")
    rid = rec.get(fields.id, label)
    if _has_bad_number(rid):
        rid = label
    source = display(rid if isinstance(rid, str) else json.dumps(rid, ensure_ascii=False))
    url = rec.get(fields.url)
    if url is not None and not isinstance(url, str):
        return Task(source, rid=rid, record=True, error=f"field {fields.url!r} is a {type(url).__name__}, not a string")
    if isinstance(rec.get(fields.html), str):
        return Task(source, url=url, data=rec[fields.html], fmt="html", rid=rid, record=True)
    if isinstance(rec.get(fields.text), str):
        fmt = "text" if input_format == "auto" else input_format
        return Task(source, url=url, data=rec[fields.text], fmt=fmt, rid=rid, record=True)
    return Task(source, rid=rid, record=True, error=f"record has no {fields.text!r} or {fields.html!r} string field")


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _has_bad_number(value: Any) -> bool:
    """A number JSON cannot carry back (1e999 reads as infinity)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_has_bad_number(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_bad_number(v) for v in value)
    return False


def byte_lines(stream: Any, limit: int) -> Iterator[bytes | None]:
    """The stream's lines, split on \\n only, in time linear in their length; a line longer
    than `limit` is given as None and its bytes are skipped, never held."""
    read = getattr(stream, "read1", stream.read)
    parts: list[bytes] = []
    size = 0
    skipping = False
    while chunk := read(settings.READ_CHUNK):
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            if skipping:
                skipping = False
                yield None
            else:
                parts.append(chunk[start:end])
                yield b"".join(parts)
            parts, size = [], 0
            start = end + 1
        if skipping:
            continue
        rest = chunk[start:]
        size += len(rest)
        if size > limit:
            parts, size, skipping = [], 0, True
        elif rest:
            parts.append(rest)
    if skipping:
        yield None
    elif parts:
        yield b"".join(parts)
