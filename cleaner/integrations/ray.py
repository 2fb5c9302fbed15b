"""Ray: `clean DIR -o OUT --engine ray[=ADDRESS]`, `clean --jsonl-in ... --engine ray`, and
`clean_dataset(ds)` for a Ray Data dataset.

The engine keeps the local pool's contract: the same worker function (clean_task) writes the
same bytes atomically, results come back in input order through a bounded window (so resume,
the errors file and the summary are the same code), and a worker that dies fails its pages
instead of the run. (A stream's answers go out as they are done, but only when a record comes
in or the stream ends: a client that waits for each answer wants the local pool.) `ray.init()`
with no address starts a local Ray, so the same command runs on a laptop and on a cluster
(where the input and output folders must be shared)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

import ray

from ..batch import RecordOptions, clean_record
from ..batch.work import Job, Result, Task, clean_task, failed, init_worker
from ..document import METADATA_FIELDS

CHUNK = 16  # tasks a call: a Ray call costs far more than a page
WINDOW = 8  # chunks in flight a worker


@ray.remote
class _Worker:
    def __init__(self, job: Job) -> None:
        init_worker(job)

    def clean(self, tasks: list[Task]) -> list[Result]:
        return [clean_task(t) for t in tasks]


def connect(address: str | None = None, num_cpus: int | None = None) -> None:
    if not ray.is_initialized():
        ray.init(
            address=address, num_cpus=num_cpus, ignore_reinit_error=True, log_to_driver=False, include_dashboard=False
        )


def ray_map(
    job: Job, tasks: Iterable[Task], jobs: int, live: bool = False, address: str | None = None
) -> Iterator[Result]:
    """ordered_map on Ray actors: `jobs` of them, at most WINDOW chunks in flight each."""
    connect(address, None if address else jobs)
    workers = [_Worker.remote(job) for _ in range(max(1, jobs))]
    pending: deque[tuple[Any, list[Task], int]] = deque()
    it = iter(tasks)
    n = 0

    def send(chunk: list[Task]) -> None:
        nonlocal n
        k = n % len(workers)
        pending.append((workers[k].clean.remote(chunk), chunk, k))
        n += 1

    def take() -> Iterator[Result]:
        ref, chunk, k = pending.popleft()
        try:
            yield from ray.get(ref)
        except ray.exceptions.RayError as exc:  # the actor died: its pages fail, a new one takes over
            for task in chunk:
                yield failed(task, f"the Ray worker cleaning it died ({type(exc).__name__}); skipped", "worker_died")
            workers[k] = _Worker.remote(job)

    chunk: list[Task] = []
    for task in it:
        chunk.append(task)
        if len(chunk) == CHUNK or live:
            send(chunk)
            chunk = []
            while len(pending) >= WINDOW * len(workers):
                yield from take()
            while live and pending and ray.wait([pending[0][0]], timeout=0)[0]:
                yield from take()  # a stream: what is done goes out before the next record is read
    if chunk:
        send(chunk)
    while pending:
        yield from take()
    for w in workers:
        ray.kill(w)


class _Cleaner:
    """A Ray Data callable class: the packs load once per actor, not once per batch."""

    def __init__(self, options: RecordOptions | None = None) -> None:
        self.options = options or RecordOptions()
        from ..packs.loader import load_packs

        load_packs(*self.options.options.rules_dirs)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        keys = list(batch)
        rows = [{k: _plain(batch[k][i]) for k in keys} for i in range(len(batch[keys[0]]) if keys else 0)]
        out = [clean_record(row, options=self.options) for row in rows]
        f = self.options.fields
        columns = [
            "id",
            "source",
            "text",
            *METADATA_FIELDS,
            "pack",
            "pack_reason",
            "format",
            "encoding",
            "encoding_reason",
            "removed",
            "warnings",
            "error",
        ]
        rest = [k for k in keys if k not in columns and k not in (f.id, f.text, f.html)]
        if self.options.keep_raw:
            rest += [f"raw_{k}" for k in (f.text, f.html) if k in keys]
        return {c: [o.get(c) for o in out] for c in columns + rest}


def clean_dataset(ds: Any, *, options: RecordOptions | None = None, concurrency: int = 2, batch_size: int = 64) -> Any:
    """The dataset's rows cleaned as clean_record cleans them: one output row per input row,
    with every Document field and `error` as columns (None where they do not apply)."""
    return ds.map_batches(
        _Cleaner,
        fn_constructor_kwargs={"options": options},
        concurrency=concurrency,
        batch_size=batch_size,
        batch_format="numpy",
    )


def _plain(value: Any) -> Any:
    """A numpy value as the Python value a scraper record holds."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value
