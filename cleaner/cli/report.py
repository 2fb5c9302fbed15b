"""A run's summary.json and report.html, template drift (`--compare`), and `cleaner report
compare A.json B.json`."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from typing import Any

import click

from ..batch import Job, Result, write_atomic
from ..errors import CleanerError
from ..report.drift import drift
from ..report.html import View, render
from ..report.summary import Aggregator, to_json
from ..sources import display
from .exits import EXIT_DRIFT, EXIT_OK, EXIT_USAGE, fail, guarded, say


def run_files(folder_out: str | None, file_out: str | None) -> tuple[str | None, str | None]:
    """Where summary.json and report.html go by default: in OUT for a folder, beside a JSONL
    file (`all.jsonl` -> `all.summary.json`), nowhere for stdout."""
    if folder_out is not None:
        return os.path.join(folder_out, "summary.json"), os.path.join(folder_out, "report.html")
    if file_out is not None:
        stem = next((file_out[: -len(x)] for x in (".jsonl.gz", ".jsonl", ".csv") if file_out.endswith(x)), file_out)
        return stem + ".summary.json", stem + ".report.html"
    return None, None


def read_summary(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        fail(f"{display(path)}: cannot read a summary ({exc}); give the summary.json of an earlier run")
    if not isinstance(data, dict) or "packs" not in data:
        fail(f"{display(path)}: not a cleaner summary.json (no 'packs'); give the summary.json of an earlier run")
    return data


class RunReport:
    """Fed every result of a run; writes the summary and the report when the run ends."""

    def __init__(
        self, summary_path: str | None, report_path: str | None, compare: str | None, fail_on_drift: bool
    ) -> None:
        self.summary_path, self.report_path = summary_path, report_path
        self.previous = read_summary(compare) if compare else None
        self.fail_on_drift = fail_on_drift
        self.agg = Aggregator()

    def outputs(self) -> list[str]:
        return [p for p in (self.summary_path, self.report_path) if p]

    def add(self, result: Result) -> None:
        if result.stats is not None:
            self.agg.add(result.stats)

    def finish(self, skipped: int, views: Callable[[Sequence[str]], list[View]] | None = None) -> int:
        """Write what was asked for; print the drift flags. The exit code drift calls for."""
        self.agg.skipped = skipped
        data = self.agg.summary(self.previous)
        if self.summary_path:
            write_atomic(self.summary_path, to_json(data))
        if self.report_path:
            listed = list(dict.fromkeys(p["source"] for p in (*data["least_kept"], *data["most_kept"])))
            write_atomic(self.report_path, render(data, views(listed) if views else ()))
        flags = data.get("drift") or []
        for flag in flags:
            say(f"drift: {flag['message']}")
        return EXIT_DRIFT if flags and self.fail_on_drift else EXIT_OK


def views(root: str, glob: str, exclude: tuple[str, ...], job: Job | None, sources: Sequence[str]) -> list[View]:
    """The explain views of the pages a report lists, cleaned again as the run cleaned them
    (same options, same site template). Only these pages are read twice."""
    from ..batch import walk
    from ..pipeline import run
    from ..sources import read_beneath
    from .explain import view

    wanted = set(sources)
    found = {display(e.rel): e for e in walk(root, glob, exclude) if display(e.rel) in wanted}
    out = []
    for n, source in enumerate(sources, 1):
        entry = found.get(source)
        if entry is None or job is None:
            continue
        try:
            data = read_beneath(os.path.realpath(root), entry.real, source, job.options.max_bytes)
            outcome = run(data, url=job.url, format=job.input_format, pack=job.pack, source=source, options=job.options)
        except CleanerError:
            continue  # the page changed since it was cleaned: listed without its view
        out.append(view(outcome, f"page-{n}"))
    return out


@click.group()
def report() -> None:
    """Read the summaries of runs."""


@report.command(name="compare")
@click.argument("before", type=click.Path(dir_okay=False))
@click.argument("after", type=click.Path(dir_okay=False))
@click.option("--fail-on-drift", is_flag=True, help=f"Exit {EXIT_DRIFT} when anything drifted.")
@guarded
def compare(before: str, after: str, fail_on_drift: bool) -> int:
    """Flag template drift between two runs' summary.json: rules that stopped firing, packs
    that fall back more, kept shares that moved."""
    flags = drift(read_summary(before), read_summary(after))
    for flag in flags:
        click.echo(flag["message"])
    if not flags:
        say("no drift")
    return EXIT_DRIFT if flags and fail_on_drift else EXIT_OK


__all__ = ["EXIT_USAGE", "RunReport", "report", "run_files", "views"]
