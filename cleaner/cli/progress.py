"""The run's lines on stderr: each failure (and its JSON line in the errors file), and a
progress line on a terminal that clears itself before any other message."""

from __future__ import annotations

import json
import sys
import time

from ..batch import LineSink, Result
from ..output import csv_row
from .exits import _before_say, say


class ErrorLog:
    """Each failure: one line on stderr, and a JSON line in the errors file (written as it goes,
    so a killed run keeps what it found)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.sink: LineSink | None = None

    def __enter__(self) -> ErrorLog:
        if self.path is not None:
            self.sink = LineSink(self.path)
        return self

    def add(self, result: Result) -> None:
        say(f"error: {result.source}: {result.error}")
        if self.sink is not None:
            self.sink.write(error_line(result, "jsonl"))

    def __exit__(self, *exc: object) -> None:
        if self.sink is not None:
            self.sink.close()


class Progress:
    """A one-line counter on stderr when it is a terminal; nothing otherwise. A message clears
    it first, so an error line never lands in the middle of it."""

    def __init__(self) -> None:
        self.on = sys.stderr is not None and sys.stderr.isatty()
        self.done = 0
        self.total: int | None = None
        self.started = self.shown = time.perf_counter()
        self.visible = False

    def __enter__(self) -> Progress:
        _before_say.append(self.clear)
        return self

    def add(self, n: int) -> None:
        self.done += n
        now = time.perf_counter()
        if self.on and now - self.shown > 0.2:
            self.shown = now
            rate = self.done / max(now - self.started, 1e-9)
            line = f"{self.done:,} pages, {rate:,.0f}/s"
            if self.total:
                left = max(self.total - self.done, 0) / max(rate, 1e-9)
                line = f"{self.done:,}/{self.total:,} pages, {rate:,.0f}/s, {_eta(left)} left"
            sys.stderr.write(f"\r{line:<60}")
            sys.stderr.flush()
            self.visible = True

    def set_total(self, total: int) -> None:
        self.total = total

    def clear(self) -> None:
        if self.visible:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()
            self.visible = False

    def __exit__(self, *exc: object) -> None:
        _before_say.remove(self.clear)
        self.clear()


def _eta(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def error_line(result: Result, fmt: str) -> str:
    """A JSONL or CSV output holds one record per page: a page that failed has `error` set."""
    if fmt == "csv":
        return csv_row({"source": result.source, "error": result.error})
    return json.dumps({"source": result.source, "error": result.error}, ensure_ascii=False) + "\n"
