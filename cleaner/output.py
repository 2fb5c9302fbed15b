"""Renderers: a Document as text, JSON, one JSON line, Markdown with front matter, or a CSV row
(for those who open results in a spreadsheet)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .document import METADATA_FIELDS, Document

EXTENSIONS = {"text": ".txt", "json": ".json", "jsonl": ".jsonl", "md": ".md", "csv": ".csv"}
# one row a page: the metadata, then the text (last, as it is the long one)
CSV_COLUMNS = ("source", *METADATA_FIELDS, "pack", "pack_reason", "format", "encoding", "warnings", "error", "text")
FORMATS = tuple(EXTENSIONS)


def render(doc: Document, fmt: str) -> str:
    if fmt == "text":
        return doc.text
    if fmt == "json":
        return json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return json.dumps(doc.to_dict(), ensure_ascii=False) + "\n"
    if fmt == "md":
        return _markdown(doc)
    if fmt == "csv":
        return csv_header() + csv_row(doc.to_dict())
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _markdown(doc: Document) -> str:
    meta = {k: getattr(doc, k) for k in ("title", "author", "date", "sitename", "url") if getattr(doc, k)}
    front = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items())
    head = f"---\n{front}---\n\n" if front else ""
    title = f"# {doc.title}\n\n" if doc.title else ""
    return head + title + doc.text


def csv_header() -> str:
    return _csv(CSV_COLUMNS)


def csv_row(values: dict[str, Any]) -> str:
    """One page as a CSV row: lists joined with "; ", a failed page with its `error`."""
    cells = []
    for name in CSV_COLUMNS:
        value = values.get(name)
        cells.append(
            "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else "" if value is None else str(value)
        )
    return _csv(cells)


def _csv(cells: Any) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()
