"""The values the cleaner returns: a Document and its audit trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self


class Reason(StrEnum):
    """Why a page got its pack. `fallback`: no pack matched, `_generic` ran; `guard`: the
    chosen pack removed too much or left too little, so `_generic` ran instead."""

    EXPLICIT = "explicit"
    HOST = "host"
    SIGNATURE = "signature"
    FALLBACK = "fallback"
    GUARD = "guard"

    def __str__(self) -> str:
        return self.value


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
    pack: str = "_generic@5"
    pack_reason: str = Reason.FALLBACK
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
            pack_reason=str(self.pack_reason),
            format=self.format,
            encoding=self.encoding,
            encoding_reason=self.encoding_reason,
            removed=[r.to_dict() for r in self.removed],
            warnings=list(self.warnings),
        )
        return out


class Notice(str):
    """A warning as a value: its text (what a user reads, and what outputs hold) and its kind,
    which a run's summary counts without reading the text."""

    kind: str

    def __new__(cls, text: str, kind: str = "other") -> Self:
        notice = super().__new__(cls, text)
        notice.kind = kind
        return notice

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return Notice, (str(self), self.kind)


ARTICLE_LOST = "article-lost"  # the fallback kept almost none of a page's sentence-like text


@dataclass(frozen=True)
class PageStats:
    """What a run's summary needs of one page, small enough to send back from a worker."""

    source: str
    ok: bool = True
    host: str | None = None
    pack: str | None = None  # the label of the pack that cleaned it
    reason: str | None = None  # a Reason
    guarded: str | None = None  # with Reason.GUARD: the pack whose guard fired
    kept_chars: int = 0
    removed_chars: int = 0
    rules: tuple[tuple[str, int, int], ...] = ()  # (rule, lines, characters) it removed
    warnings: int = 0
    article_lost: bool = False  # a warning of kind ARTICLE_LOST
    error: str | None = None
    error_kind: str | None = None

    @property
    def kept_share(self) -> float:
        total = self.kept_chars + self.removed_chars
        return self.kept_chars / total if total else 0.0

    @classmethod
    def of(cls, doc: Document, guarded: str | None = None) -> PageStats:
        rules: dict[str, list[int]] = {}
        removed = 0
        for r in doc.removed:
            entry = rules.setdefault(r.rule, [0, 0])
            entry[0] += r.lines[1] - r.lines[0] + 1
            entry[1] += len(r.text)
            removed += len(r.text)
        return cls(
            source=doc.source or "",
            host=doc.hostname,
            pack=doc.pack,
            reason=str(doc.pack_reason),
            guarded=guarded,
            kept_chars=len(doc.text),
            removed_chars=removed,
            rules=tuple((rule, n[0], n[1]) for rule, n in rules.items()),
            warnings=len(doc.warnings),
            article_lost=any(getattr(w, "kind", None) == ARTICLE_LOST for w in doc.warnings),
        )
