"""The values the cleaner returns: a Document and its audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Removal:
    """One firing of one rule: the lines it removed (1-based, inclusive) and their text."""

    rule: str
    lines: tuple[int, int]
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "lines": list(self.lines), "text": self.text}


# Field names follow trafilatura's JSON output where one exists, so pipelines read ours as-is.
METADATA_FIELDS = (
    "title",
    "author",
    "date",
    "description",
    "sitename",
    "hostname",
    "url",
    "language",
    "categories",
    "tags",
    "reading_time",
)


@dataclass(frozen=True)
class Document:
    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None
    description: str | None = None
    sitename: str | None = None
    hostname: str | None = None
    url: str | None = None
    language: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    reading_time: int | None = None
    pack: str = "_generic@1"
    pack_reason: str = "fallback"
    source: str | None = None
    encoding: str | None = None
    encoding_reason: str | None = None
    format: str = "text"
    removed: tuple[Removal, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "text": self.text}
        for name in METADATA_FIELDS:
            value = getattr(self, name)
            out[name] = list(value) if isinstance(value, tuple) else value
        out.update(
            pack=self.pack,
            pack_reason=self.pack_reason,
            format=self.format,
            encoding=self.encoding,
            encoding_reason=self.encoding_reason,
            removed=[r.to_dict() for r in self.removed],
            warnings=list(self.warnings),
        )
        return out
