"""`cleaner learn DIR -o rules/<id>.toml`: draft a pack from a folder of one outlet's pages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import click

from ..errors import PackError
from ..pipeline import Options
from ..sources import display
from .exits import EXIT_USAGE, fail, guarded, say
from .options import load


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The draft: rules/<id>.toml.")
@click.option("--host", "hosts", multiple=True, help="The outlet's host (repeatable).")
@click.option("--glob", default="*", show_default=True, help="Learn only from files matching this.")
@guarded
def learn(folder: str, out: str, hosts: tuple[str, ...], glob: str) -> None:
    """Draft a pack from a folder of one outlet's pages, check it, and show what it removes."""
    from ..batch import walk
    from ..learn import draft, gather, read_pages
    from ..packs.loader import load_pack_file
    from ..pipeline import run

    pack_id = Path(out).stem
    if not re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", pack_id):
        fail(f"{display(out)}: the file name is the pack id and must be lower_snake_case, like rules/my_outlet.toml", EXIT_USAGE)
    root = Path(folder)
    pages, problems = read_pages(root, [entry.real for entry in walk(str(root), glob)])
    for problem in problems:
        say(f"warning: skipped {problem}")
    if len(pages) < 3:
        fail(f"{display(folder)}: {len(pages)} readable pages; learning a template needs at least 3", EXIT_USAGE)
    text = draft(pack_id, gather([lines for _, lines in pages]), hosts, Path(folder).resolve().name)  # no absolute paths in a draft
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    try:
        load_pack_file(out)
        rules_dir = str(Path(out).parent)
        load((rules_dir,))
    except PackError as exc:  # a draft that does not load is this command's bug: say so plainly
        fail(f"the draft does not load ({exc}); please report this", EXIT_USAGE)
    say(f"wrote {display(out)}: drafted from {len(pages)} pages; it loads and passes `cleaner packs check`")
    total = Counter[str]()
    for rel, page in pages:
        outcome = run("\n".join(page), pack=pack_id, options=Options(rules_dirs=(rules_dir,)))
        by_rule = Counter(r.rule for r in outcome.document.removed for _ in r.text.split("\n"))
        total.update(by_rule)
        kept = len(outcome.page.kept)
        click.echo(f"{display(rel)}: keeps {kept} lines, removes " + (", ".join(f"{n} by {r}" for r, n in sorted(by_rule.items())) or "nothing"))
    click.echo("in all: " + ", ".join(f"{n} lines by {r}" for r, n in sorted(total.items())))
