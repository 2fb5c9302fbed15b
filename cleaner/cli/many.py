"""`clean DIR` and `clean --jsonl-in`: many pages, the errors file, progress and the summary.

On ^C or SIGTERM the run stops within seconds: the workers are killed, only whole files are
left, and the summary so far is printed (exit 130 or 143)."""

from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from ..batch import (
    RUN_FILES,
    Job,
    LineSink,
    Plan,
    Result,
    Summary,
    check_paths,
    clean_tree,
    run_tasks,
)
from ..batch.template import TemplateSettings
from ..errors import OutputError
from ..output import csv_header
from ..pipeline import Options
from ..sources import display
from .exits import (
    EXIT_OK,
    EXIT_PAGES_FAILED,
    EXIT_USAGE,
    Terminated,
    fail,
    say,
)
from .options import given_options, load
from .progress import ErrorLog, Progress, error_line
from .report import RunReport, run_files, views


def mapper(engine: str) -> Any:
    """The engine's map of clean_task: the local pool, or Ray (at ADDRESS, or a local Ray)."""
    from ..batch import ordered_map

    if engine == "local":
        return ordered_map
    name, _, address = engine.partition("=")
    if name != "ray":
        fail(f"--engine {engine!r}: give local, ray, or ray=ADDRESS", EXIT_USAGE)
    try:
        from ..integrations.ray import ray_map
    except ImportError:
        fail("--engine ray needs Ray: pip install 'news-cleaner[ray]'", EXIT_USAGE)
    return lambda job, tasks, jobs, live: ray_map(job, tasks, jobs, live, address or None)


def _job(fmt: str, out: str | None, page_kw: dict[str, Any], page_timeout: float) -> Job:
    packs = load(page_kw["rules_dirs"])  # a broken pack stops the batch before it starts (exit 2)
    if page_kw["pack"] and page_kw["pack"] not in packs:
        fail(f"unknown pack {page_kw['pack']!r}; see `cleaner packs list`", EXIT_USAGE)
    if page_kw["url"]:
        from ..packs.match import hostname

        hostname(page_kw["url"])  # a URL that does not parse is one error, not one per page
    from ..packs.plan import plan_for

    plan_for(packs)  # built (or read from its cache) once, before the workers fork and share it
    return Job(
        to=fmt,
        pack=page_kw["pack"],
        url=page_kw["url"],
        input_format=page_kw["input_format"],
        options=Options(rules_dirs=page_kw["rules_dirs"]),
        out=out,
        page_timeout=page_timeout,
    )


def listed(list_path: str, fmt: str, out: str | None, page_kw: dict[str, Any], **kw: Any) -> int:
    """--input-list FILE: the pages named in FILE, one path a line, to one JSONL or CSV output."""
    return tree(list_path, fmt, out, page_kw, input_list=True, **kw)


def _list_tasks(list_path: str, fmt: str) -> Any:
    from ..batch import Task
    from ..sources import read_path

    data = read_path(list_path, display(list_path))
    for line in data.split(b"\n"):
        path = os.fsdecode(line.rstrip(b"\r"))
        if path.strip():
            yield Task(display(path), path=path, fmt=fmt)


def tree(
    root: str,
    fmt: str,
    out: str | None,
    page_kw: dict[str, Any],
    *,
    glob: str,
    exclude: tuple[str, ...],
    jobs: int,
    resume: bool,
    errors_path: str | None,
    page_timeout: float,
    template: bool,
    template_min_pages: int,
    template_share: float,
    summary_path: str | None,
    report_path: str | None,
    compare: str | None,
    fail_on_drift: bool,
    input_list: bool = False,
    engine: str = "local",
    **_: Any,
) -> int:
    """A folder (or, with input_list, the pages a list file names) cleaned."""
    one_file, fmt = single_file(out, fmt)
    if input_list and out is not None and not one_file:
        fail(f"{display(out)}: --input-list writes one file (-o FILE.jsonl, .jsonl.gz or .csv) or stdout")
    if one_file and resume:
        fail("--resume needs a folder output (-o OUT); a single output file is written anew", EXIT_USAGE)
    if out is None and fmt not in ("jsonl", "csv"):
        fail(
            f"{display(root)}: cleaning a folder needs -o OUT (a mirrored tree), -o FILE.jsonl (or .jsonl.gz, .csv), "
            "or --to jsonl|csv (on stdout)"
        )
    if out is not None and not one_file and os.path.exists(out) and not os.path.isdir(out):
        fail(f"{display(out)}: exists and is not a folder; -o takes a folder (or FILE.jsonl) when cleaning a folder")
    folder_out = out if out is not None and not one_file else None
    errors = errors_path or (os.path.join(folder_out, "errors.jsonl") if folder_out else None)
    default_summary, default_report = run_files(folder_out, out if one_file else None)
    run = RunReport(summary_path or default_summary, report_path or default_report, compare, fail_on_drift)
    check_paths(
        Plan(
            write_files=[p for p in (out if one_file else None, errors, *run.outputs()) if p],
            read_files=[root] if input_list else [],
            read_tree=None if input_list else root,
            write_tree=folder_out,
            exclude=exclude,
            stdout=out is None,
        )
    )
    job = _job(fmt, folder_out, page_kw, page_timeout)
    settings = TemplateSettings(template_min_pages, template_share) if template else None
    summary = Summary()
    header = csv_header() if fmt == "csv" else ""
    with (
        ErrorLog(errors) as log,
        nullcontext() if folder_out else LineSink(out, header) as sink,
        Progress() as progress,
    ):

        def on_result(result: Result) -> None:
            run.add(result)
            if not result.ok:
                log.add(result)
            if sink is not None:
                sink.write(result.record if result.ok and result.record else error_line(result, fmt))

        if input_list:
            _run(
                summary,
                run,
                lambda: run_tasks(
                    job,
                    _list_tasks(root, job.input_format),
                    jobs,
                    summary,
                    on_result=on_result,
                    progress=progress.add,
                    mapper=mapper(engine),
                ),
            )
        else:
            _run(
                summary,
                run,
                lambda: clean_tree(
                    Path(root),
                    job,
                    jobs=jobs,
                    summary=summary,
                    on_result=on_result,
                    glob=glob,
                    exclude=exclude,
                    resume=resume,
                    template=settings,
                    reserved=RUN_FILES,
                    progress=progress.add,
                    on_total=progress.set_total,
                    mapper=mapper(engine),
                ),
            )
    drift_code = run.finish(
        summary.skipped, None if input_list else lambda sources: views(root, glob, exclude, summary.job, sources)
    )
    return _finish(summary) or drift_code


def single_file(out: str | None, fmt: str) -> tuple[bool, str]:
    """Whether -o names one output file for many pages (FILE.jsonl, FILE.jsonl.gz, FILE.csv),
    and the format then: the name's, unless --to asks for another (then OUT is a folder)."""
    if out is None or os.path.isdir(out):
        return False, fmt
    named = "csv" if out.endswith(".csv") else "jsonl" if out.endswith((".jsonl", ".jsonl.gz")) else None
    if named is None or (fmt != named and given_options(["fmt"])):
        return False, fmt
    return True, named


def _run(summary: Summary, report: RunReport, work: Any) -> None:
    """Run the batch; whatever stops it early, the summary so far is printed and written."""
    try:
        work()
    except (KeyboardInterrupt, Terminated, OutputError) as exc:
        why = {KeyboardInterrupt: "interrupted (^C)", Terminated: "terminated (SIGTERM)"}.get(type(exc), str(exc))
        summary.stopped = f"{why}; the outputs written so far are whole"
        _print_summary(summary)
        if not isinstance(exc, OutputError):  # with a full disk, there is no room for it
            report.finish(summary.skipped)
        raise


def _print_summary(summary: Summary) -> None:
    for line in summary.lines():
        say(line)


def _finish(summary: Summary) -> int:
    """The batch summary on stderr, and the exit code it calls for."""
    _print_summary(summary)
    return EXIT_PAGES_FAILED if summary.failed else EXIT_OK
