"""One page of a batch, in a worker: read it, clean it, write it or hand its record back."""

from __future__ import annotations

import json
import signal
from dataclasses import dataclass, field
from typing import Any

from .. import settings
from ..document import PageStats
from ..errors import CleanerError, InputError, OutputError, PageTimeout
from ..output import csv_row, render
from ..pipeline import Options, run
from ..sources import read_beneath, read_path
from .record import RecordOptions, StreamFields, dumps, enrich
from .write import write_atomic


@dataclass(frozen=True)
class Job:
    """What every page of a batch shares; sent to each worker once."""

    to: str = "text"
    pack: str | None = None
    url: str | None = None
    input_format: str = "auto"
    options: Options = field(default_factory=Options)
    out: str | None = None  # folder for a tree; None: records come back to the parent
    page_timeout: float = settings.PAGE_TIMEOUT
    fields: StreamFields = field(default_factory=StreamFields)  # stream records' field names
    keep_raw: bool = False  # stream records keep their page as raw_<field>

    def record_options(self) -> RecordOptions:
        return RecordOptions(self.fields, self.keep_raw, self.input_format, self.url, self.pack, self.options)


@dataclass(frozen=True)
class Task:
    source: str  # the label in records and errors (printable): the relative path, or the record id
    root: str | None = None  # read the page beneath this folder, at `path`, no link followed
    path: str = ""  # or, without a root, read it here (a file the user named)
    target: str | None = None  # write the output here; None: return it as a record
    url: str | None = None
    data: bytes | str | None = None
    fmt: str = "auto"
    rid: Any = None  # a stream record's id, echoed first in its output record (null too)
    record: bool = False  # a stream record: its output is one JSON line, `id` first, failed or not
    error: str | None = None  # a record that could not be read: fails without cleaning
    rec: dict[str, Any] | None = None  # a stream record, cleaned by clean_record
    page_keys: tuple[str, ...] = ()  # its id and page fields: what an error record leaves out


@dataclass(frozen=True)
class Result:
    source: str
    ok: bool
    pack: str | None = None
    fallback: bool = False
    warnings: tuple[str, ...] = ()
    error: str | None = None
    record: str | None = None  # the rendered output when it goes back to the parent
    empty: bool = False  # cleaned, but nothing was kept
    fatal: bool = False  # an output could not be written: the run stops
    stats: PageStats | None = None  # for the run's summary.json


_JOB: Job | None = None


def on_alarm(signum: int, frame: Any) -> None:
    raise PageTimeout("took longer than the page time limit")


def init_worker(job: Job) -> None:
    global _JOB
    _JOB = job
    signal.signal(signal.SIGALRM, on_alarm)


def clean_task(task: Task) -> Result:
    assert _JOB is not None
    job, source = _JOB, task.source
    if task.error is not None:
        return failed(task, task.error, "bad_record")
    signal.setitimer(signal.ITIMER_REAL, job.page_timeout)
    try:
        if task.rec is not None:
            out, stats = enrich(task.rec, job.record_options(), task.source)
            ok = stats.ok
            warned = tuple(out.get("warnings", ()))
            return Result(
                stats.source,
                ok,
                stats.pack,
                stats.reason in ("fallback", "guard"),
                warned,
                error=stats.error,
                record=dumps(out),
                empty=ok and not out.get("text"),
                stats=stats,
            )
        if task.data is not None:
            data = task.data
        elif task.root is not None:
            data = read_beneath(task.root, task.path, source, job.options.max_bytes)
        else:
            data = read_path(task.path, source, job.options.max_bytes)
        outcome = run(data, url=task.url or job.url, format=task.fmt, pack=job.pack, source=source, options=job.options)
        doc = outcome.document
        if task.record:
            text: str | None = json.dumps({"id": task.rid, **doc.to_dict()}, ensure_ascii=False) + "\n"
        elif job.to == "csv" and task.target is None:  # a row of one CSV file: its header is the sink's
            text = csv_row(doc.to_dict())
        else:
            text = render(doc, job.to)
        if task.target is not None:
            write_atomic(task.target, text or "")
            text = None
        fallback = doc.pack_reason in ("fallback", "guard")
        stats = PageStats.of(doc, outcome.guarded)
        return Result(source, True, doc.pack, fallback, doc.warnings, record=text, empty=not doc.text, stats=stats)
    except PageTimeout:
        return failed(task, f"took longer than the {job.page_timeout:g} s page time limit; skipped", "timeout")
    except OutputError as exc:  # a full disk stops the run; a name too long fails this page alone
        if exc.fatal:
            return Result(source, False, error=str(exc), fatal=True)
        return failed(task, str(exc), "output")
    except InputError as exc:
        return failed(task, exc.message, exc.kind)
    except CleanerError as exc:
        return failed(task, exc.message, "pack")
    except RecursionError:
        return failed(task, "page too deeply nested to process", "too_deep")
    except Exception as exc:  # a bug on one page must not stop the batch
        return failed(task, f"internal error ({type(exc).__name__}: {exc}); please report this page", "internal")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def failed(task: Task, error: str, kind: str) -> Result:
    stats = PageStats(task.source, ok=False, error=error, error_kind=kind)
    return Result(task.source, False, error=error, record=error_record(task, error), stats=stats)


def record_task(rec: dict[str, Any], label: str, fields: StreamFields) -> Task:
    """A stream record as a task: its id known up front, for an error record the parent writes
    (a page over its time limit, a worker that died)."""
    return Task(
        label, rec=rec, rid=rec.get(fields.id, label), record=True, page_keys=(fields.id, fields.text, fields.html)
    )


def error_record(task: Task, error: str) -> str | None:
    """A stream keeps one output record per input record, failed ones included, with the
    record's own fields."""
    if not task.record:
        return None
    rest = {k: v for k, v in (task.rec or {}).items() if k not in task.page_keys}
    return dumps({"id": task.rid, "error": error, **rest})
