"""clean_many: clean_record over an iterable of records, in worker processes, for Python users."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from .. import settings
from .pool import ordered_map
from .record import RecordOptions
from .work import Job, Task, record_task


def clean_many(
    records: Any, *, jobs: int | None = None, page_timeout: float | None = None, options: RecordOptions | None = None
) -> Any:
    """clean_record over many records in worker processes: results in input order, memory
    bounded however many records come, each page within `page_timeout` seconds (a page past
    it comes back with `error`, as does one whose worker died). A generator: records are read
    as the workers need them."""
    opts = options or RecordOptions()
    job = Job(
        to="jsonl",
        pack=opts.pack,
        url=opts.url,
        input_format=opts.input_format,
        options=opts.options,
        page_timeout=page_timeout or settings.PAGE_TIMEOUT,
        fields=opts.fields,
        keep_raw=opts.keep_raw,
    )

    def tasks() -> Any:
        for n, rec in enumerate(records, 1):
            label = f"record {n}"
            if isinstance(rec, Mapping):
                yield record_task(dict(rec), label, opts.fields)
            else:
                yield Task(label, rid=label, record=True, error="not a mapping (a dict of fields)")

    for result in ordered_map(job, tasks(), jobs or os.cpu_count() or 1, live=True):
        yield json.loads(result.record or "{}")
