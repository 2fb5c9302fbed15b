"""`cleaner learn DIR -o rules/<id>.toml`: draft a pack from a folder of one outlet's pages."""

from __future__ import annotations

import re
from pathlib import Path

import click

from ..errors import PackError
from ..settings import LEARN_MIN_PAGES
from ..sources import display
from .exits import EXIT_USAGE, fail, guarded, say
from .options import load


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option(
    "-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The draft: rules/<id>.toml."
)
@click.option("--host", "hosts", multiple=True, help="The outlet's host (repeatable).")
@click.option("--glob", default="*", show_default=True, help="Learn only from files matching this.")
@click.option(
    "--against",
    type=click.Path(exists=True, file_okay=False),
    help="A folder of other outlets' pages: no line seen there becomes a signature.",
)
@guarded
def learn(folder: str, out: str, hosts: tuple[str, ...], glob: str, against: str | None) -> None:
    """Draft a pack from a folder of one outlet's pages, check it on them, and compare each
    page with what `_generic` does to it."""
    from ..batch import walk
    from ..learn import learn_pack, read_pages
    from ..packs.loader import load_pack_file

    pack_id = Path(out).stem
    if not re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", pack_id):
        fail(
            f"{display(out)}: the file name is the pack id and must be lower_snake_case, like rules/my_outlet.toml",
            EXIT_USAGE,
        )
    root = Path(folder)
    pages, problems = read_pages(root, [entry.real for entry in walk(str(root), glob)])
    for problem in problems:
        say(f"warning: skipped {problem}")
    if len(pages) < LEARN_MIN_PAGES:
        fail(
            f"{display(folder)}: {len(pages)} readable pages; learning a template needs at least {LEARN_MIN_PAGES}",
            EXIT_USAGE,
        )
    others: set[str] = set()
    if against:
        other_pages, skipped = read_pages(Path(against), [e.real for e in walk(against, "*")])
        others = {line for _, lines in other_pages for line in lines if line}
        for problem in skipped:
            say(f"warning: --against: skipped {problem}")
    draft = learn_pack(pages, pack_id, hosts, root.resolve().name, others)  # no absolute paths in a draft
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(draft.text, encoding="utf-8")
    try:
        load_pack_file(out)
        load((str(Path(out).parent),))
    except PackError as exc:  # a draft that does not load is this command's bug: say so plainly
        fail(f"the draft does not load ({exc}); please report this", EXIT_USAGE)
    say(f"wrote {display(out)}: drafted from {len(pages)} pages; it loads and passes `cleaner packs check`")
    if sum(w for _l, w in draft.signatures) < 2:
        say("note: no line is this outlet's own, so the draft has no signatures: give its pages their --url")
    for rule in draft.taken_out:
        say(f"note: {rule} removed an article line on one of the pages, so it is not in the draft")
    for c in draft.pages:
        rules_ = ", ".join(f"{n} by {r}" for r, n in c.by_rule.items()) or "nothing"
        fell = f"; FELL BACK to _generic: {c.fell_back}" if c.fell_back else ""
        click.echo(
            f"{display(c.rel)}: removes {c.draft_lines} lines ({rules_}); _generic removes {c.generic_lines}; "
            f"{c.only_draft} only the draft, {c.only_generic} only _generic{fell}"
        )
    fell_back = sum(c.fell_back is not None for c in draft.pages)
    click.echo(
        f"in all: the draft removes {sum(c.draft_lines for c in draft.pages)} lines, _generic "
        f"{sum(c.generic_lines for c in draft.pages)}; {fell_back} of {len(draft.pages)} pages fell back"
    )
