"""`clean --jsonl-in FILE|-` and `clean crawl.warc.gz`: a stream of records in, a record per
record out, in input order."""

from __future__ import annotations

import os
import stat
import sys
from contextlib import nullcontext
from dataclasses import replace
from typing import Any

from ..batch import LineSink, Plan, Result, StreamFields, Summary, check_paths, read_records, run_tasks
from ..batch.work import record_task
from ..sources import display, open_stream, warc_records
from .exits import EXIT_USAGE, fail, stdin_closed
from .many import _finish, _job, _run, mapper
from .progress import ErrorLog
from .report import RunReport, run_files


def stream(
    source: str,
    out: str | None,
    page_kw: dict[str, Any],
    *,
    jobs: int,
    errors_path: str | None,
    page_timeout: float,
    id_field: str,
    url_field: str,
    text_field: str,
    html_field: str,
    keep_raw: bool,
    engine: str,
    summary_path: str | None,
    report_path: str | None,
    compare: str | None,
    fail_on_drift: bool,
    **_: Any,
) -> int:
    if out is not None and os.path.isdir(out):
        fail(f"{display(out)}: is a folder; a stream writes one JSONL file (-o FILE.jsonl) or stdout")
    default_summary, default_report = run_files(None, out)
    run = RunReport(summary_path or default_summary, report_path or default_report, compare, fail_on_drift)
    check_paths(
        Plan(
            read_files=[] if source == "-" else [source],
            write_files=[p for p in (out, errors_path, *run.outputs()) if p],
            stdin=source == "-",
            stdout=out is None,
        )
    )
    job = replace(
        _job("jsonl", None, page_kw, page_timeout),
        fields=StreamFields(id_field, url_field, text_field, html_field),
        keep_raw=keep_raw,
    )
    summary = Summary()
    with _open_stream(source) as raw, ErrorLog(errors_path) as log, LineSink(out) as sink:
        stream, kind = open_stream(raw, display(source))

        def on_result(result: Result) -> None:
            run.add(result)
            if not result.ok:
                log.add(result)
            if result.record is not None:
                sink.write(result.record)

        if kind == "warc":
            f = job.fields
            recs = warc_records(stream, display(source), (f.id, f.url, f.text, f.html))
            tasks = (record_task(rec, f"record {n}", f) for n, rec in enumerate(recs, 1))
        else:
            tasks = read_records(stream, job.fields)
        _run(
            summary,
            run,
            lambda: run_tasks(job, tasks, jobs, summary, on_result=on_result, live=True, mapper=mapper(engine)),
        )
    drift_code = run.finish(summary.skipped)  # a stream keeps no page: its report links no views
    return _finish(summary) or drift_code


def _open_stream(source: str) -> Any:
    if source == "-":
        if stdin_closed():
            fail("stdin is closed; pipe records in (clean --jsonl-in - < records.jsonl) or give a FILE", EXIT_USAGE)
        return nullcontext(sys.stdin.buffer)  # stdin: used, left open
    try:
        fh = open(source, "rb")  # closed by the with block
    except OSError as exc:
        fail(f"{display(source)}: cannot read ({exc.strerror}); check the path", EXIT_USAGE)
    info = os.fstat(fh.fileno())
    if stat.S_ISDIR(info.st_mode) or (
        stat.S_ISCHR(info.st_mode) and not os.isatty(fh.fileno()) and not os.path.samefile(source, os.devnull)
    ):
        fh.close()
        fail(f"{display(source)}: is not a file or a pipe of records; give a JSONL file or -", EXIT_USAGE)
    return fh
