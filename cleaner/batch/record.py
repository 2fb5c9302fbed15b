"""One scraper record in, the same record enriched out: the function behind `clean --jsonl-in`
and every integration (Scrapy, datatrove, Ray), so that they all give the same bytes.

- Every input field the cleaner does not produce passes through unchanged (`fetched_at`,
  `warc_id`, `meta` ...). A field the cleaner produces (`title`, `date` ...) takes the
  cleaner's value, unless the cleaner found none: then the scraper's value stays.
- The page itself (the text or html field) is replaced by the cleaned `text`; it is kept, as
  `raw_<field>`, only with `keep_raw`.
- A record that cannot be cleaned comes back with `error` set, never as an exception."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..document import Document, PageStats
from ..errors import CleanerError, InputError
from ..pipeline import Options, Outcome, run
from ..sources import display


@dataclass(frozen=True)
class StreamFields:
    """The record's field names."""

    id: str = "id"
    url: str = "url"
    text: str = "text"
    html: str = "html"


@dataclass(frozen=True)
class RecordOptions:
    fields: StreamFields = field(default_factory=StreamFields)
    keep_raw: bool = False
    input_format: str = "auto"  # for the text field: auto reads it as text (html has its own field)
    url: str | None = None  # for records without one
    pack: str | None = None
    options: Options = field(default_factory=Options)


def clean_record(
    record: Any, *, fields: StreamFields | None = None, options: RecordOptions | None = None, label: str = "record"
) -> dict[str, Any]:
    """The record, cleaned: `id` first, then the Document's fields, then the record's own."""
    opts = options or RecordOptions()
    if fields is not None:
        opts = replace(opts, fields=fields)
    return enrich(record, opts, label)[0]


def enrich(record: Any, opts: RecordOptions, label: str) -> tuple[dict[str, Any], PageStats]:
    """clean_record, and the page's stats for a run's summary."""
    f = opts.fields
    if not isinstance(record, Mapping):
        error = "not a JSON object; one JSON object per line"
        return {"id": label, "error": error}, PageStats(label, ok=False, error=error, error_kind="bad_record")
    rid = record.get(f.id, label)
    source = display(rid if isinstance(rid, str) else json.dumps(rid, ensure_ascii=False, default=str))
    try:
        outcome = _clean(record, opts, source)
    except InputError as exc:
        return _failed(record, rid, opts, exc.message, exc.kind, source)
    except CleanerError as exc:
        return _failed(record, rid, opts, exc.message, "pack", source)
    except RecursionError:
        return _failed(record, rid, opts, "page too deeply nested to process", "too_deep", source)
    doc = outcome.document
    return _merge(record, rid, opts, doc), PageStats.of(doc, outcome.guarded)


def _clean(record: Mapping[str, Any], opts: RecordOptions, source: str) -> Outcome:
    f = opts.fields
    url = record.get(f.url, opts.url)
    if url is not None and not isinstance(url, str):
        raise InputError(f"field {f.url!r} is a {type(url).__name__}, not a string", kind="bad_value")
    html, text = record.get(f.html), record.get(f.text)
    if isinstance(html, (str, bytes)) and html:
        data, fmt = html, "html"
    elif isinstance(text, (str, bytes)):
        data, fmt = text, ("text" if opts.input_format == "auto" else opts.input_format)
    else:
        raise InputError(f"record has no {f.text!r} or {f.html!r} string field", kind="bad_record")
    return run(data, url=url or opts.url, format=fmt, pack=opts.pack, source=source, options=opts.options)


def _merge(record: Mapping[str, Any], rid: Any, opts: RecordOptions, doc: Document) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rid}
    produced = doc.to_dict()
    for key, value in produced.items():
        mine = record.get(key)
        out[key] = mine if value in (None, [], "") and mine not in (None, "") and key != "text" else value
    _rest(record, opts, out)
    return out


def _failed(
    record: Mapping[str, Any], rid: Any, opts: RecordOptions, error: str, kind: str, source: str
) -> tuple[dict[str, Any], PageStats]:
    out: dict[str, Any] = {"id": rid, "error": error}
    _rest(record, opts, out)
    return out, PageStats(source, ok=False, error=error, error_kind=kind)


def _rest(record: Mapping[str, Any], opts: RecordOptions, out: dict[str, Any]) -> None:
    """The record's own fields after the cleaner's; the page only as raw_<field>, on request."""
    f = opts.fields
    for key, value in record.items():
        if key in (f.text, f.html):
            if opts.keep_raw:
                out[f"raw_{key}"] = value
        elif key not in out and key != f.id:
            out[key] = value


def dumps(record: dict[str, Any]) -> str:
    """A record as one JSON line: the stream's output format."""
    return json.dumps(record, ensure_ascii=False, default=str) + "\n"
