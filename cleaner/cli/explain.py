"""`cleaner explain FILE`: every input line; removed ones marked with the rule that removed them."""

from __future__ import annotations

from typing import Any

import click

from .clean import clean_outcome
from .exits import guarded, say
from .options import page_options


@click.command()
@click.argument("input_path", metavar="FILE|-")
@page_options
@guarded
def explain(input_path: str, **kw: Any) -> None:
    """Show every input line; removed ones are marked with the rule that removed them."""
    outcome = clean_outcome(input_path, kw)
    page, doc = outcome.page, outcome.document
    click.echo(click.style(f"pack {doc.pack} ({doc.pack_reason})", bold=True))
    width = max((len(r.rule) for r in doc.removed), default=4)
    for i, content in enumerate(page.original):
        for rule, text in page.cuts.get(i, ()):
            click.echo(_explain_line(i, rule, text, width))
        if page.lines[i]:
            click.echo(_explain_line(i, page.removed_by[i], page.lines[i], width))
        elif not content:
            click.echo(f"{i + 1:>5}")
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
    if rule is None:
        return f"{i + 1:>5} {'':<{width}} | {text}"
    return (
        f"{i + 1:>5} "
        + click.style(f"{rule:<{width}}", fg="yellow")
        + " | "
        + click.style(text, fg="red", dim=True)
    )
