"""`clean FILE|DIR|-`: one page, a folder, or a JSON-lines stream."""

from __future__ import annotations

import os
from typing import Any

import click

from .. import settings
from ..batch import LineSink, Plan, check_paths, write_atomic
from ..output import FORMATS, render
from ..sources import display, is_warc
from .exits import EXIT_USAGE, fail, guarded, say
from .options import given_options, only_for, page_options
from .pages import clean_outcome

FOLDER_ONLY = ("glob", "exclude", "resume", "template", "template_min_pages", "template_share")
STREAM_ONLY = ("id_field", "url_field", "text_field", "html_field", "keep_raw")
MANY_ONLY = ("jobs", "engine", "errors_path", "summary_path", "report_path", "compare", "fail_on_drift")


@click.command(name="clean", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("input_path", metavar="FILE|DIR|-", required=False)
@click.option("--to", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option(
    "-o",
    "--output",
    "out",
    type=click.Path(),
    help="Write here: a file for one page; a folder, or FILE.jsonl, for a folder.",
)
@click.option(
    "--jsonl-in", metavar="FILE|-", help="Stream: scraper records {id, url, text|html} in, cleaned records out."
)
@click.option(
    "--input-list", metavar="FILE", help="Clean the pages named in FILE, one path a line (to one JSONL or CSV output)."
)
@click.option("--glob", default="*", show_default=True, help="Folder: clean only files matching this.")
@click.option("--exclude", multiple=True, metavar="GLOB", help="Folder: skip paths matching this (repeatable).")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="cores",
    help="Worker processes.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Folder: skip pages whose output already exists (outputs are written whole or not at all).",
)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False),
    help="Where failures go as JSON lines [default: OUT/errors.jsonl].",
)
@click.option(
    "--template/--no-template",
    default=True,
    show_default=True,
    help="Folder: remove lines repeated across many pages of one site (rule batch.repeated).",
)
@click.option(
    "--template-min-pages",
    type=click.IntRange(min=2),
    default=3,
    show_default=True,
    help="Folder: a template line recurs on at least this many pages...",
)
@click.option(
    "--template-share",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=0.3,
    show_default=True,
    help="...and on at least this share of its site's pages.",
)
@click.option(
    "--page-timeout",
    type=click.FloatRange(min=0.1),
    default=settings.PAGE_TIMEOUT,
    show_default=True,
    help="Seconds one page may take.",
)
@click.option(
    "--summary",
    "summary_path",
    type=click.Path(dir_okay=False),
    help="Folder or stream: write the run's summary.json here [default: OUT/summary.json].",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False),
    help="Folder or stream: write report.html here [default: OUT/report.html].",
)
@click.option(
    "--compare",
    type=click.Path(dir_okay=False),
    metavar="SUMMARY",
    help="Folder or stream: flag template drift against an earlier run's summary.json.",
)
@click.option("--fail-on-drift", is_flag=True, help="With --compare: exit 4 when anything drifted.")
@click.option("--id-field", default="id", show_default=True, help="Stream: the record's id field.")
@click.option("--url-field", default="url", show_default=True, help="Stream: the record's URL field.")
@click.option("--text-field", default="text", show_default=True, help="Stream: the record's page-text field.")
@click.option("--html-field", default="html", show_default=True, help="Stream: the record's HTML field.")
@click.option(
    "--engine",
    default="local",
    show_default=True,
    metavar="local|ray[=ADDRESS]",
    help="Folder or stream: where the workers run (ray: a local Ray, or the cluster at ADDRESS).",
)
@click.option(
    "--keep-raw", is_flag=True, help="Stream: keep the record's page as raw_text / raw_html beside the cleaned text."
)
@page_options
@click.version_option(package_name="news-cleaner", prog_name="clean")
@guarded
def clean_command(
    input_path: str | None, fmt: str, out: str | None, jsonl_in: str | None, input_list: str | None, **kw: Any
) -> int:
    """Clean scraped news pages: a FILE (or - for stdin) to stdout or -o FILE; a DIR to a
    mirrored tree (-o OUT), one JSONL file (-o FILE.jsonl) or JSON lines on stdout (--to
    jsonl); a JSON-lines stream (--jsonl-in)."""
    from . import many, stream

    page_kw = {k: kw.pop(k) for k in ("url", "pack", "rules_dirs", "input_format")}
    if page_kw["url"] is not None:
        from ..errors import InputError
        from ..packs.match import hostname

        try:
            hostname(page_kw["url"])
        except InputError as exc:
            fail(f"--url: {exc.message}", EXIT_USAGE)
    if jsonl_in is not None:
        if input_path is not None:
            fail("give either FILE|DIR or --jsonl-in, not both", EXIT_USAGE)
        only_for("a folder", given_options(FOLDER_ONLY))
        return stream.stream(jsonl_in, out, page_kw, **kw)
    if input_list is not None:
        if input_path is not None:
            fail("give either FILE|DIR or --input-list, not both", EXIT_USAGE)
        only_for("a folder", given_options(("glob", "exclude", "resume")))
        only_for("a stream (--jsonl-in)", given_options(STREAM_ONLY))
        return many.listed(input_list, fmt, out, page_kw, **kw)
    if input_path is None:
        fail("nothing to clean: give a FILE, a DIR, - for stdin, or --jsonl-in FILE", EXIT_USAGE)
    only_for("a stream (--jsonl-in)", given_options(STREAM_ONLY))
    if input_path != "-" and os.path.isdir(input_path):
        return many.tree(input_path, fmt, out, page_kw, **kw)
    if input_path != "-" and is_warc(input_path):  # a WARC file is a stream of pages
        only_for("a folder", given_options(FOLDER_ONLY))
        return stream.stream(input_path, out, page_kw, **kw)
    only_for("a folder or a stream", given_options(FOLDER_ONLY + MANY_ONLY))
    return one_page(input_path, fmt, out, page_kw, kw["page_timeout"])


def one_page(path: str, fmt: str, out: str | None, page_kw: dict[str, Any], page_timeout: float) -> int:
    if out is not None and os.path.isdir(out):
        fail(f"{display(out)}: is a folder; for one page, -o takes a file name (a folder is for a folder of pages)")
    check_paths(
        Plan(
            read_files=[] if path == "-" else [path],
            write_files=[out] if out else [],
            stdin=path == "-",
            stdout=out is None,
        )
    )
    doc = clean_outcome(path, page_kw, page_timeout).document
    for warning in doc.warnings:
        say(f"warning: {doc.source}: {warning}")
    if out:
        write_atomic(out, render(doc, fmt))
    else:
        with LineSink(None) as sink:
            sink.write(render(doc, fmt))
    return 0
