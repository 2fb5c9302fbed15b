"""JSON-lines streams: scraper records in, one task per record, whatever a record holds.

Every input line that is not blank gives exactly one output record, in input order, `id`
first: a line that is not JSON, too long, nested too deep, or holds a field of the wrong type
gives an error record; nothing stops the stream."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from .. import settings
from .record import StreamFields
from .work import Task, record_task


def read_records(stream: Any, fields: StreamFields | None = None) -> Iterator[Task]:
    """Scraper records, one JSON object per line, as tasks for the workers (which run
    clean_record on them). Split on \\n only: str.splitlines also breaks on U+2028, which JSON
    strings may hold raw. A line that cannot be read is an error record of its own."""
    for n, raw in enumerate(byte_lines(stream, settings.MAX_RECORD_BYTES), 1):
        if raw is None:
            label = f"record {n}"
            yield Task(
                label,
                rid=label,
                record=True,
                error=f"longer than {settings.MAX_RECORD_BYTES // (1024 * 1024)} MiB; skipped",
            )
            continue
        if not raw.strip():
            continue
        yield _task(raw, f"record {n}", fields or StreamFields())


def _task(raw: bytes, label: str, fields: StreamFields) -> Task:
    try:
        rec = json.loads(raw, parse_constant=_no_constant)
    except RecursionError:
        return Task(label, rid=label, record=True, error="nested too deeply to read; one flat JSON object per line")
    except ValueError as exc:
        return Task(label, rid=label, record=True, error=f"not valid JSON ({exc}); one JSON object per line")
    if not isinstance(rec, dict):
        return Task(label, rid=label, record=True, error="not a JSON object; one JSON object per line")
    if _has_bad_number(rec):
        return Task(
            label, rid=label, record=True, error="holds a number JSON cannot carry (such as 1e999); fix the record"
        )
    return record_task(rec, label, fields)


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
