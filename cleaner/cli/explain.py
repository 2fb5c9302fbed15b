"""`cleaner explain FILE`: every input line; removed ones marked with the rule that removed them."""

from __future__ import annotations

from typing import Any

import click

from ..batch import Plan, check_paths, write_atomic
from ..pipeline import Outcome
from ..report.html import Row, View, explain_page
from ..sources import display
from .exits import guarded, say
from .options import page_options
from .pages import clean_outcome


def rows(outcome: Outcome) -> list[Row]:
    """Every input line in order, with the rule that removed it (an inline cut is a row of its
    own, before the rest of its line); a blank line is a row with no text. An HTML page's
    removals from its markup (stripped selectors, what the extractor left out) come first, as
    rows of line 0: they stand before the text the lines are numbered in."""
    page = outcome.page
    out = [Row(0, r.text, r.rule) for r in outcome.document.removed if r.lines == (0, 0)]
    for i, content in enumerate(page.original):
        for rule, text in page.cuts.get(i, ()):
            out.append(Row(i + 1, text, rule))
        if page.lines[i]:
            out.append(Row(i + 1, page.lines[i], page.removed_by[i]))
        elif not content:
            out.append(Row(i + 1, "", None))
    return out


def view(outcome: Outcome, anchor: str = "page") -> View:
    doc = outcome.document
    return View(anchor, doc.source or "", f"{doc.pack} ({doc.pack_reason})", rows(outcome))


@click.command()
@click.argument("input_path", metavar="FILE|-")
@click.option(
    "--html", "html_out", type=click.Path(dir_okay=False), help="Write the view as a self-contained HTML page here."
)
@page_options
@guarded
def explain(input_path: str, html_out: str | None, **kw: Any) -> None:
    """Show every input line; removed ones are marked with the rule that removed them."""
    outcome = clean_outcome(input_path, kw)
    page, doc = outcome.page, outcome.document
    if html_out is not None:
        check_paths(Plan(read_files=[] if input_path == "-" else [input_path], write_files=[html_out]))
        write_atomic(html_out, explain_page(view(outcome)))
        say(f"wrote {display(html_out)}")
        return
    click.echo(click.style(f"pack {doc.pack} ({doc.pack_reason})", bold=True))
    width = max((len(r.rule) for r in doc.removed), default=4)
    for row in rows(outcome):
        click.echo(_explain_line(row.line - 1, row.rule, row.text, width) if row.text else f"{row.line:>5}")
    fields = ", ".join(
        f"{k}={v!r}"
        for k, v in doc.to_dict().items()
        if k in ("title", "author", "date", "description", "sitename") and v
    )
    kept = len(page.kept)
    click.echo(click.style(f"kept {kept} lines, {len(doc.removed)} removals; {fields}", bold=True))
    for warning in doc.warnings:
        say(f"warning: {doc.source}: {warning}")


def _explain_line(i: int, rule: str | None, text: str, width: int) -> str:
    where = "html" if i < 0 else i + 1  # a removal from the markup, before the text's lines
    if rule is None:
        return f"{where:>5} {'':<{width}} | {text}"
    return f"{where:>5} " + click.style(f"{rule:<{width}}", fg="yellow") + " | " + click.style(text, fg="red", dim=True)
