"""Renderers: a Document as text, JSON, one JSON line, or Markdown with front matter."""

from __future__ import annotations

import json

from .document import Document

EXTENSIONS = {"text": ".txt", "json": ".json", "jsonl": ".jsonl", "md": ".md"}
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
    raise ValueError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _markdown(doc: Document) -> str:
    meta = {k: getattr(doc, k) for k in ("title", "author", "date", "sitename", "url") if getattr(doc, k)}
    front = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items())
    head = f"---\n{front}---\n\n" if front else ""
    title = f"# {doc.title}\n\n" if doc.title else ""
    return head + title + doc.text
