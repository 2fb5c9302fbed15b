"""Field values from rule matches to Document values: ISO dates, integers, lists."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

_ISO = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?)?(Z|[+-]\d{2}:?\d{2})?")


_MERIDIEM = re.compile(r"\b([ap])\.m\.(?!\w)", re.IGNORECASE)  # AP style: `3:12 p.m.` is `3:12 PM` to strptime


def parse_date(value: str, formats: tuple[str, ...] = ()) -> str | None:
    """ISO 8601 at the precision the page gave: `2023-05`, `2023-05-24` or `2023-05-24T11:41`, with
    the time zone when the page gives one (`2023-05-24T11:41+03:00`; `Z` is `+00:00`)."""
    value = _MERIDIEM.sub(lambda m: m.group(1).upper() + "M", " ".join(value.split()))
    m = _ISO.fullmatch(value)
    if m:
        y, mo, d, hh, mm, zone = m.groups()
        if not 1 <= int(mo) <= 12:
            return None
        offset = "" if not (hh and zone) else "+00:00" if zone == "Z" else f"{zone[:3]}:{zone[-2:]}"
        return f"{y}-{mo}" + (f"-{d}" if d else "") + (f"T{hh}:{mm}{offset}" if hh else "")
    for fmt in formats:
        shape = _shape(fmt)
        if shape is not None and not shape.fullmatch(value):
            continue  # strptime would raise: a raise costs more than the parse itself
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        timed = "%H" in fmt or "%I" in fmt
        return parsed.strftime("%Y-%m-%dT%H:%M" if timed else "%Y-%m-%d")
    return None


@lru_cache(maxsize=256)
def _shape(fmt: str) -> re.Pattern[str] | None:
    """The regex strptime itself matches a format with (so skipping on it changes nothing)."""
    try:
        from _strptime import _TimeRE_cache  # type: ignore[attr-defined]

        return _TimeRE_cache.compile(fmt)
    except Exception:  # a private module: without it, strptime alone decides
        return None


def split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in re.split(r"[,;|]", value) if part.strip())


def to_int(value: str) -> int | None:
    digits = re.search(r"\d+", value)
    return int(digits.group()) if digits else None
