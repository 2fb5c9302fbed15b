"""Cleaning many pages: a folder tree to a mirrored tree or JSON lines, and JSON-lines streams.

Pages go to a process pool in a bounded window, so memory stays flat however many pages
there are, and results come back in input order, so the output is the same whatever --jobs.
Every output is written atomically (temp file in the target folder, then rename); a page
that fails is recorded and the batch goes on."""

from __future__ import annotations

import contextlib
import fnmatch
import itertools
import json
import os
import queue
import re
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import CleanerError
from .output import EXTENSIONS, render
from .pipeline import Options, clean
from .template import TemplateSettings
from .template import count as count_template

TEMP_PREFIX = ".clean-"


@dataclass(frozen=True)
class Job:
    """What every page of a batch shares; sent to each worker once."""

    to: str = "text"
    pack: str | None = None
    url: str | None = None
    input_format: str = "auto"
    options: Options = field(default_factory=Options)
    out: str | None = None  # folder for a tree; None: records come back to the parent
    page_timeout: float = 60.0


@dataclass(frozen=True)
class Result:
    source: str
    ok: bool
    pack: str | None = None
    fallback: bool = False
    warnings: int = 0
    error: str | None = None
    record: str | None = None  # the rendered output when it goes back to the parent


@dataclass
class Summary:
    pages: int = 0
    cleaned: int = 0
    skipped: int = 0
    failed: int = 0
    warnings: int = 0
    fallbacks: int = 0
    packs: Counter[str] = field(default_factory=Counter)
    template_lines: int = 0
    started: float = field(default_factory=time.perf_counter)

    def add(self, r: Result) -> None:
        self.pages += 1
        if r.ok:
            self.cleaned += 1
            self.packs[r.pack or "?"] += 1
            self.fallbacks += r.fallback
            self.warnings += r.warnings
        else:
            self.failed += 1

    def lines(self) -> list[str]:
        took = time.perf_counter() - self.started
        rate = self.cleaned / took if took > 0 else 0.0
        out = [
            (
                f"{self.pages + self.skipped} pages: {self.cleaned} cleaned, {self.failed} failed, "
                f"{self.skipped} skipped (already done); {self.warnings} warnings, "
                f"{self.fallbacks} fell back to _generic; {took:.1f} s, {rate:,.0f} pages/s"
            )
        ]
        if self.packs:
            out.append("packs: " + ", ".join(f"{p} {n}" for p, n in sorted(self.packs.items())))
        if self.template_lines:
            out.append(f"site template: {self.template_lines} repeated lines removed as batch.repeated")
        return out


# -- the walk ---------------------------------------------------------------------------------


def walk(root: Path, glob: str = "*", exclude: Iterable[str] = ()) -> Iterator[str]:
    """Files under root as relative paths, in a fixed order (a folder's files sorted, then its
    subfolders sorted), streamed: nothing is held but the folders being read. Only files that
    match glob and no exclude (as relative path or file name); never a symlink out of root.
    Uses os.scandir, whose entries know their type without a stat call per file."""
    root = root.resolve()
    top = str(root)
    want = None if glob == "*" else _matcher((glob,))
    skip = _matcher(tuple(exclude))

    def matches(rx: re.Pattern[str] | None, rel: str, name: str) -> bool:
        return rx is not None and (rx.match(rel) is not None or rx.match(name) is not None)

    def visit(path: str, rel_dir: str) -> Iterator[str]:
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return  # an unreadable folder is skipped, as os.walk does
        folders = []
        for entry in entries:
            name = entry.name
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if entry.is_dir(follow_symlinks=False):
                if not matches(skip, rel, name):
                    folders.append((entry.path, rel))
                continue
            if name.startswith(TEMP_PREFIX) or matches(skip, rel, name):
                continue
            if want is not None and not matches(want, rel, name):
                continue
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if os.path.isdir(target) or not (target == top or target.startswith(top + os.sep)):
                    continue  # a link to a folder, or out of the tree
            yield rel
        for folder, rel in folders:
            yield from visit(folder, rel)

    yield from visit(top, "")


def _matcher(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a set of shell patterns (fnmatch's own translation), or None for none."""
    return re.compile("|".join(fnmatch.translate(p) for p in patterns)) if patterns else None


def output_path(rel: str, ext: str, taken: set[str]) -> str:
    """The output path of one input: its suffix replaced by the format's; when an earlier input
    took that path (a.html before a.txt), this one keeps its suffix too (a.txt.txt). `taken`
    need only hold the current folder's outputs: only a folder's own files can collide.
    (String work, the rules of PurePath.with_suffix: this runs once per page.)"""
    head, _, name = rel.rpartition("/")
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name
    target = f"{head}/{stem}{ext}" if head else stem + ext
    if target in taken:
        target = f"{head}/{name}{ext}" if head else name + ext
    taken.add(target)
    return target


# -- writing ----------------------------------------------------------------------------------


_FOLDERS: set[str] = set()  # output folders this process has made or seen
_TEMPS = itertools.count()  # temp names: pid and a counter (short, whatever the target's name)


def write_atomic(path: Path | str, text: str) -> None:
    """Write via a temp file in the target's folder, then rename: a reader (or a resumed run)
    sees the old file or the new one, never part of one. The temp name is the pid and a
    counter: unique without random names or a retry loop, and short, so a target whose name
    is near the file system's limit still gets one."""
    target = os.fspath(path)
    folder = os.path.dirname(target) or "."
    if folder not in _FOLDERS:
        os.makedirs(folder, exist_ok=True)
        _FOLDERS.add(folder)
    tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{next(_TEMPS)}.tmp")
    data = text.encode("utf-8")
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        except FileNotFoundError:  # the folder went away since we saw it
            os.makedirs(folder, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_stale_temps(out: Path) -> None:
    """Temp files a killed run left behind (never a finished output)."""
    for tmp in out.rglob(f"{TEMP_PREFIX}*.tmp"):
        tmp.unlink(missing_ok=True)


# -- one page, in a worker --------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    source: str  # the label in records and errors: the relative path, or the record id
    path: str = ""  # read the page from here, unless data is given
    target: str | None = None  # write the output here; None: return it as a record
    url: str | None = None
    data: bytes | str | None = None
    fmt: str = "auto"
    rid: Any = None  # a stream record's id, echoed first in its output record
    error: str | None = None  # a record that could not be read: fails without cleaning


_JOB: Job | None = None


class PageTimeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise PageTimeout


def init_worker(job: Job) -> None:
    global _JOB
    _JOB = job
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C


def clean_task(task: Task) -> Result:
    assert _JOB is not None
    job, source = _JOB, task.source
    if task.error is not None:
        return Result(source, False, error=task.error, record=_error_record(task, task.error))
    signal.setitimer(signal.ITIMER_REAL, job.page_timeout)
    try:
        if task.data is not None:
            data = task.data
        else:
            with open(task.path, "rb") as fh:
                data = fh.read()
        doc = clean(
            data, url=task.url or job.url, format=task.fmt, pack=job.pack, source=source, options=job.options
        )
        if task.rid is not None:
            text: str | None = json.dumps({"id": task.rid, **doc.to_dict()}, ensure_ascii=False) + "\n"
        else:
            text = render(doc, job.to)
        if task.target is not None:
            write_atomic(task.target, text or "")
            text = None
        fallback = any("fell back" in w for w in doc.warnings)
        return Result(source, True, doc.pack, fallback, len(doc.warnings), record=text)
    except PageTimeout:
        error = f"took longer than the {job.page_timeout:g} s page time limit; skipped"
    except CleanerError as exc:
        error = str(exc).removeprefix(f"{source}: ")
    except OSError as exc:
        error = f"cannot read or write ({exc.strerror or exc}); check the file and its permissions"
    except RecursionError:
        error = "page too deeply nested to process"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return Result(source, False, error=error, record=_error_record(task, error))


def _error_record(task: Task, error: str) -> str | None:
    """A stream keeps one output record per input record, failed ones included."""
    if task.rid is None:
        return None
    return json.dumps({"id": task.rid, "error": error}, ensure_ascii=False) + "\n"


# -- running many -----------------------------------------------------------------------------


def ordered_map(job: Job, tasks: Iterable[Any], jobs: int, chunk: int = 16, live: bool = False) -> Iterator[Result]:
    """clean_task over tasks, results in input order, at most a few chunks per worker in flight.
    `live`: the tasks come from a stream that may pause (a pipe), see _live_map."""
    if jobs <= 1:
        init_worker(job)
        for task in tasks:
            yield clean_task(task)
        return
    window = jobs * 4
    with ProcessPoolExecutor(max_workers=jobs, initializer=init_worker, initargs=(job,)) as pool:
        if live:
            yield from _live_map(pool, tasks, jobs, chunk, window)
            return
        pending: list[Future[list[Result]]] = []
        batch: list[Any] = []
        for task in tasks:
            batch.append(task)
            if len(batch) == chunk:
                pending.append(pool.submit(_clean_chunk, batch))
                batch = []
                while len(pending) >= window or (pending and pending[0].done()):
                    yield from pending.pop(0).result()
        if batch:
            pending.append(pool.submit(_clean_chunk, batch))
        for fut in pending:
            yield from fut.result()


_WAKE, _END = object(), object()


def _live_map(
    pool: ProcessPoolExecutor, tasks: Iterable[Any], workers: int, chunk: int, window: int
) -> Iterator[Result]:
    """ordered_map for a stream whose next record may be long in coming: a thread reads the
    tasks; a chunk goes to the pool when it is full, or when no more tasks are waiting and a
    worker is free (full chunks while they pour in, single tasks when they trickle); a result
    is given as soon as it and those before it are done. So a client that waits for each
    answer before it sends the next record gets it. At most `window` chunks are read ahead
    of the results given, as in ordered_map."""
    events: queue.SimpleQueue[Any] = queue.SimpleQueue()  # tasks, then _END; _WAKE when a chunk is done
    room = threading.Semaphore(window * chunk)

    def read() -> None:
        try:
            for task in tasks:
                room.acquire()
                events.put(task)
        except BaseException as exc:  # noqa: BLE001 - handed to the main thread, raised there
            events.put(exc)
        events.put(_END)

    # the workers start before the reader thread: a process forked while that thread holds
    # stdin's lock inherits it held, and hangs when it closes its stdin
    pool.submit(int).result()
    threading.Thread(target=read, daemon=True).start()
    pending: deque[Future[list[Result]]] = deque()
    batch: list[Any] = []
    ended = False
    failure: BaseException | None = None
    while not ended or batch or pending:
        while pending and pending[0].done():
            for result in pending.popleft().result():
                room.release()
                yield result
        # a part chunk goes only when no more tasks are waiting and a worker would idle
        idle = sum(not f.done() for f in pending) < workers
        if batch and (ended or len(batch) == chunk or (idle and events.empty())):
            fut = pool.submit(_clean_chunk, batch)
            fut.add_done_callback(lambda _: events.put(_WAKE))
            pending.append(fut)
            batch = []
        elif not ended:
            item = events.get()
            if item is _END:
                ended = True
            elif isinstance(item, BaseException):
                failure = item  # raised once the tasks read before it are done
            elif item is not _WAKE:
                batch.append(item)
        elif pending:
            pending[0].result()  # nothing more to send: wait for the oldest chunk
    if failure is not None:
        raise failure


def _clean_chunk(tasks: list[Any]) -> list[Result]:
    return [clean_task(t) for t in tasks]


ErrorSink = Callable[[Result], None]


def clean_tree(
    root: Path,
    job: Job,
    *,
    jobs: int,
    glob: str = "*",
    exclude: Iterable[str] = (),
    resume: bool = False,
    template: TemplateSettings | None = None,
    on_error: ErrorSink,
    on_record: Callable[[str], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Clean every page under root: into job.out as a mirrored tree, or as records to on_record.
    The walk is streamed and tasks are made as the pool takes them: memory does not grow with
    the number of pages."""
    summary = Summary()
    if template is not None:  # over every page, done or not, so a resumed run finds the same
        found = count_template(
            root, lambda: walk(root, glob, exclude), template, job.url, job.pack, job.options, job.input_format
        )
        job = replace(job, options=replace(job.options, templates=found))
        summary.template_lines = sum(len(v) for v in found.values())
    out = Path(job.out) if job.out else None
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(out)

    out_dir, top = (str(out) if out is not None else None), str(root.resolve())

    def tasks() -> Iterator[Task]:
        taken: set[str] = set()
        folder = None
        ext = EXTENSIONS[job.to]
        for rel in walk(root, glob, exclude):
            if rel.rpartition("/")[0] != folder:
                folder, taken = rel.rpartition("/")[0], set()
            target = os.path.join(out_dir, output_path(rel, ext, taken)) if out_dir is not None else None
            if resume and target is not None and os.path.exists(target):
                summary.skipped += 1
                if progress:
                    progress(1)
                continue
            yield Task(rel, os.path.join(top, rel), target, fmt=job.input_format)

    return run_tasks(job, tasks(), jobs, summary, on_error=on_error, on_record=on_record, progress=progress)


def run_tasks(
    job: Job,
    tasks: Iterable[Task],
    jobs: int,
    summary: Summary,
    *,
    on_error: ErrorSink,
    on_record: Callable[[str], None] | None = None,
    progress: Callable[[int], None] | None = None,
    live: bool = False,
) -> Summary:
    for result in ordered_map(job, tasks, jobs, live=live):
        summary.add(result)
        if not result.ok:
            on_error(result)
        if on_record is not None and result.record is not None:
            on_record(result.record)
        if progress:
            progress(1)
    return summary


@dataclass(frozen=True)
class StreamFields:
    id: str = "id"
    url: str = "url"
    text: str = "text"
    html: str = "html"


def read_records(stream: Any, fields: StreamFields, input_format: str = "auto") -> Iterator[Task]:
    """Scraper records, one JSON object per line. Split on \\n only: str.splitlines also breaks
    on U+2028, which JSON strings may hold raw. A record that cannot be read fails alone."""
    for n, raw in enumerate(_byte_lines(stream), 1):
        if not raw.strip():
            continue
        label = f"record {n}"
        try:
            rec = json.loads(raw)
        except ValueError as exc:
            yield Task(label, rid=label, error=f"not valid JSON ({exc}); one JSON object per line")
            continue
        if not isinstance(rec, dict):
            yield Task(label, rid=label, error="not a JSON object; one JSON object per line")
            continue
        rid = rec.get(fields.id, label)
        url = rec.get(fields.url) if isinstance(rec.get(fields.url), str) else None
        if isinstance(rec.get(fields.html), str):
            yield Task(str(rid), url=url, data=rec[fields.html], fmt="html", rid=rid)
        elif isinstance(rec.get(fields.text), str):
            fmt = "text" if input_format == "auto" else input_format
            yield Task(str(rid), url=url, data=rec[fields.text], fmt=fmt, rid=rid)
        else:
            yield Task(
                str(rid), rid=rid, error=f"record has no {fields.text!r} or {fields.html!r} string field"
            )


def _byte_lines(stream: Any) -> Iterator[bytes]:
    buf = b""
    read = getattr(stream, "read1", stream.read)
    while chunk := read(1 << 16):
        buf += chunk
        *lines, buf = buf.split(b"\n")
        yield from lines
    if buf:
        yield buf
