"""Cleaning many pages: folders, JSONL files and streams, in worker processes.

Pages go to the workers in a bounded window, so memory stays flat however many pages there
are, and results come back in input order, so the output is the same whatever --jobs.
Every output is written atomically; a page that fails is recorded and the batch goes on."""

from __future__ import annotations

from .many import clean_many
from .pool import ordered_map
from .record import RecordOptions, StreamFields, clean_record
from .stream import read_records
from .tree import RUN_FILES, Summary, clean_tree, run_tasks
from .walk import Entry, output_path, walk
from .work import Job, Result, Task, clean_task, init_worker
from .write import LineSink, Plan, check_paths, write_atomic

__all__ = [
    "RUN_FILES",
    "Entry",
    "Job",
    "LineSink",
    "Plan",
    "RecordOptions",
    "Result",
    "StreamFields",
    "Summary",
    "Task",
    "check_paths",
    "clean_many",
    "clean_record",
    "clean_task",
    "clean_tree",
    "init_worker",
    "ordered_map",
    "output_path",
    "read_records",
    "run_tasks",
    "walk",
    "write_atomic",
]
