"""Cleaning many pages: a folder tree to a mirrored tree, to one JSONL file or to records, and
the run's summary."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import CleanerError
from ..output import EXTENSIONS
from ..sources import display
from .pool import ordered_map
from .template import TemplateSettings
from .template import count as count_template
from .walk import output_path as output_path
from .walk import walk
from .work import Job, Result, Task
from .write import check_writable, remove_stale_temps

# The files a run writes into OUT itself: a page never takes their names.
RUN_FILES = ("errors.jsonl", "summary.json", "report.html")


@dataclass
class Summary:
    pages: int = 0
    cleaned: int = 0
    skipped: int = 0
    failed: int = 0
    warnings: int = 0
    empty: int = 0  # cleaned, but nothing kept
    fallbacks: int = 0
    packs: Counter[str] = field(default_factory=Counter)
    template_lines: int = 0
    started: float = field(default_factory=time.perf_counter)
    stopped: str | None = None  # why the run stopped early, if it did
    job: Job | None = None  # the job as it ran (with the site template found)

    def add(self, r: Result) -> None:
        self.pages += 1
        if r.ok:
            self.cleaned += 1
            self.packs[r.pack or "?"] += 1
            self.fallbacks += r.fallback
            self.warnings += len(r.warnings)
            self.empty += r.empty
        else:
            self.failed += 1

    def lines(self) -> list[str]:
        took = time.perf_counter() - self.started
        rate = self.cleaned / took if took > 0 else 0.0
        out = [
            (
                f"{self.pages + self.skipped} pages: {self.cleaned} cleaned, {self.failed} failed, "
                f"{self.skipped} skipped (already done); {self.empty} kept nothing, {self.warnings} warnings, "
                f"{self.fallbacks} fell back to _generic; {took:.1f} s, {rate:,.0f} pages/s"
            )
        ]
        if self.packs:
            out.append("packs: " + ", ".join(f"{p} {n}" for p, n in sorted(self.packs.items())))
        if self.template_lines:
            out.append(f"site template: {self.template_lines} repeated lines removed as batch.repeated")
        if self.stopped:
            out.append(f"stopped early: {self.stopped}")
        return out


ResultSink = Callable[[Result], None]
# clean_task over tasks, results in input order: the local pool (ordered_map), or Ray's
Mapper = Callable[[Job, Iterable[Task], int, bool], Iterator[Result]]


def clean_tree(
    root: Path,
    job: Job,
    *,
    jobs: int,
    summary: Summary,
    on_result: ResultSink,
    glob: str = "*",
    exclude: Iterable[str] = (),
    resume: bool = False,
    template: TemplateSettings | None = None,
    reserved: Iterable[str] = RUN_FILES,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
    mapper: Mapper = ordered_map,
) -> Summary:
    """Clean every page under root: into job.out as a mirrored tree, or as records handed to
    on_result. The walk is streamed and tasks are made as the pool takes them: memory does not
    grow with the number of pages. `reserved`: paths under OUT that no page may take."""
    top = os.path.realpath(root)
    if on_total is not None:  # a walk of names only: the progress line can show an ETA
        on_total(sum(1 for _ in walk(top, glob, exclude)))
    if template is not None:  # over every page, done or not, so a resumed run finds the same
        found = count_template(
            top, lambda: walk(top, glob, exclude), template, job.url, job.pack, job.options, job.input_format
        )
        job = replace(job, options=replace(job.options, templates=found))
        summary.template_lines = sum(len(v) for v in found.values())
    summary.job = job
    out = job.out
    if out is not None:
        check_writable(out)
        remove_stale_temps(Path(out))
    reserved = set(reserved)

    def tasks() -> Iterator[Task]:
        taken: set[str] = set(reserved)
        folder = ""
        ext = EXTENSIONS[job.to]
        for entry in walk(top, glob, exclude):
            if entry.rel.endswith(WARC_NAMES) and job.input_format == "auto":
                yield from warc_tasks(top, entry, out, ext, resume, summary, progress)
                continue
            here = entry.rel.rpartition("/")[0]
            if here != folder:
                folder, taken = here, {r for r in reserved if r.rpartition("/")[0] == here}
            target = os.path.join(out, output_path(entry.rel, ext, taken)) if out is not None else None
            if resume and target is not None and os.path.exists(target):
                summary.skipped += 1
                if progress:
                    progress(1)
                continue
            yield Task(display(entry.rel), root=top, path=entry.real, target=target, fmt=job.input_format)

    try:
        return run_tasks(job, tasks(), jobs, summary, on_result=on_result, progress=progress, mapper=mapper)
    finally:
        if out is not None:
            remove_stale_temps(Path(out))  # a page stopped mid-write (^C, a killed worker)


WARC_NAMES = (".warc", ".warc.gz", ".warc.zst")


def warc_tasks(
    top: str,
    entry: Any,
    out: str | None,
    ext: str,
    resume: bool,
    summary: Summary,
    progress: Callable[[int], None] | None,
) -> Iterator[Task]:
    """A WARC file in a folder: each response record a page of its own, labelled `crawl.warc.gz#n`
    with the record's target URI as its URL, written (with a folder output) to
    `OUT/crawl/n.txt`. The file is read as a stream here, a record at a time."""
    from ..sources import open_beneath, open_stream, warc_records

    label = display(entry.rel)
    base = entry.rel
    for suffix in WARC_NAMES:
        if base.endswith(suffix):
            base = base[: -len(suffix)]
            break
    try:
        with open_beneath(top, entry.real, label) as fh:
            stream, kind = open_stream(fh, label)
            if kind != "warc":
                yield Task(label, error="named like a WARC file but is not one; rename it")
                return
            for n, rec in enumerate(warc_records(stream, label, ("id", "url", "text", "html")), 1):
                target = os.path.join(out, base, f"{n:06d}{ext}") if out is not None else None
                if resume and target is not None and os.path.exists(target):
                    summary.skipped += 1
                    if progress:
                        progress(1)
                    continue
                page, fmt = (rec["html"], "html") if "html" in rec else (rec["text"], "text")
                yield Task(f"{label}#{n}", target=target, url=rec["url"], data=page, fmt=fmt)
    except (CleanerError, OSError, ValueError, EOFError) as exc:  # a damaged WARC: what was read stands
        yield Task(f"{label}#end", error=f"the WARC file cannot be read further ({getattr(exc, 'message', exc)})")


def run_tasks(
    job: Job,
    tasks: Iterable[Task],
    jobs: int,
    summary: Summary,
    *,
    on_result: ResultSink,
    progress: Callable[[int], None] | None = None,
    live: bool = False,
    mapper: Mapper = ordered_map,
) -> Summary:
    """Each result to the summary and to on_result, in input order. A result whose output could
    not be written stops the run (OutputError from on_result, or a fatal result)."""
    from ..errors import OutputError

    for result in mapper(job, tasks, jobs, live):
        if result.fatal:
            raise OutputError(result.error or "an output could not be written")
        summary.add(result)
        on_result(result)
        if progress:
            progress(1)
    return summary
