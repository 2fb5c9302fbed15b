"""One page cleaned in this process: read it (bounded, stdin too) and clean it within its time limit."""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from .. import settings
from ..batch.work import on_alarm
from ..errors import PageTimeout
from ..pipeline import Options, Outcome, run
from ..sources import display, read_path, read_stream
from .exits import EXIT_PAGES_FAILED, EXIT_USAGE, fail, stdin_closed


def read_input(path: str, limit: int = settings.MAX_PAGE_BYTES) -> tuple[bytes, str]:
    """A page the user named, or stdin: bounded, whatever it is."""
    if path == "-":
        if stdin_closed():
            fail("stdin is closed; pipe a page in (clean - < page.txt) or give a FILE", EXIT_USAGE)
        return read_stream(sys.stdin.buffer, "<stdin>", limit), "<stdin>"
    if not os.path.lexists(path):
        fail(f"{display(path)}: no such file; check the path", EXIT_USAGE)
    return read_path(path, display(path), limit), display(path)


def clean_outcome(path: str, page_kw: dict[str, Any], page_timeout: float = settings.PAGE_TIMEOUT) -> Outcome:
    """One page cleaned in this process, within its time limit (SIGALRM: Python code stops
    between bytecodes; the HTML path bounds the parser's input, so no C call runs for long)."""
    data, source = read_input(path)
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, page_timeout)
    try:
        return run(
            data,
            url=page_kw["url"],
            format=page_kw["input_format"],
            pack=page_kw["pack"],
            source=source,
            options=Options(rules_dirs=page_kw["rules_dirs"]),
        )
    except PageTimeout:
        fail(f"{source}: took longer than the {page_timeout:g} s page time limit (--page-timeout)", EXIT_PAGES_FAILED)
    except RecursionError:
        fail(f"{source}: page too deeply nested to process", EXIT_PAGES_FAILED)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
