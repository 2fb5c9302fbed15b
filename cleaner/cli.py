"""`clean FILE|-` and `cleaner packs|explain`: thin commands over the library.

stdout carries data only; diagnostics go to stderr. Exit codes: 0 all pages cleaned,
1 some pages failed, 2 usage or rule-pack error."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from .errors import CleanerError, InputError, PackError
from .output import FORMATS, render
from .packs.loader import load_packs
from .pipeline import Options, run

EXIT_OK, EXIT_PAGES_FAILED, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def page_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that cleans pages."""
    for decorator in reversed(
        [
            click.option("--pack", metavar="ID", help="Use this pack instead of choosing by host or signature."),
            click.option("--url", metavar="URL", help="The page's URL: picks the pack by host, fills url/hostname."),
            click.option(
                "--rules",
                "rules_dirs",
                multiple=True,
                type=click.Path(file_okay=False),
                metavar="DIR",
                help="Extra folder of *.toml packs (a pack with the same id replaces the built-in).",
            ),
            click.option(
                "--format",
                "input_format",
                type=click.Choice(["auto", "text", "html"]),
                default="auto",
                show_default=True,
                help="How to read the input.",
            ),
        ]
    ):
        fn = decorator(fn)
    return fn


def read_input(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    p = Path(path)
    if not p.exists():
        fail(f"{path}: no such file; check the path", EXIT_USAGE)
    if p.is_dir():
        fail(f"{path}: is a folder; pass a file (or -o OUT to clean a whole folder)", EXIT_USAGE)
    try:
        return p.read_bytes(), path
    except OSError as exc:
        fail(f"{path}: cannot read ({exc.strerror}); check its permissions", EXIT_PAGES_FAILED)


def clean_one(path: str, *, url: str | None, pack: str | None, rules_dirs: tuple[str, ...], input_format: str):
    data, source = read_input(path)
    try:
        return run(data, url=url, format=input_format, pack=pack, source=source, options=Options(rules_dirs=rules_dirs))
    except PackError as exc:
        fail(str(exc), EXIT_USAGE)
    except InputError as exc:
        fail(str(exc), EXIT_PAGES_FAILED)
    except CleanerError as exc:
        fail(f"{source}: {exc}", EXIT_USAGE)


@click.command(name="clean", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("input_path", metavar="FILE|-")
@click.option("--to", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@page_options
def clean_command(input_path: str, fmt: str, **kw: Any) -> None:
    """Clean a scraped news page and print the article body (or JSON with metadata and audit)."""
    outcome = clean_one(input_path, **kw)
    for warning in outcome.document.warnings:
        click.echo(f"warning: {outcome.document.source}: {warning}", err=True)
    click.echo(render(outcome.document, fmt), nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cleaner_group() -> None:
    """Clean scraped news pages with per-outlet rule packs."""


cleaner_group.add_command(clean_command)


@cleaner_group.command()
@click.argument("input_path", metavar="FILE|-")
@page_options
def explain(input_path: str, **kw: Any) -> None:
    """Show every input line; removed ones are marked with the rule that removed them."""
    outcome = clean_one(input_path, **kw)
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
    fields = ", ".join(f"{k}={v!r}" for k, v in doc.to_dict().items() if k in ("title", "author", "date", "description", "sitename") and v)
    kept = len(page.kept)
    click.echo(click.style(f"kept {kept} lines, {len(doc.removed)} removals; {fields}", bold=True))
    for warning in doc.warnings:
        click.echo(f"warning: {warning}", err=True)


def _explain_line(i: int, rule: str | None, text: str, width: int) -> str:
    if rule is None:
        return f"{i + 1:>5} {'':<{width}} | {text}"
    return f"{i + 1:>5} " + click.style(f"{rule:<{width}}", fg="yellow") + " | " + click.style(text, fg="red", dim=True)


@cleaner_group.group()
def packs() -> None:
    """List, check, test and show rule packs."""


def _load(rules_dirs: tuple[str, ...]):
    try:
        return load_packs(*rules_dirs)
    except PackError as exc:
        fail(str(exc), EXIT_USAGE)


rules_option = click.option("--rules", "rules_dirs", multiple=True, type=click.Path(file_okay=False), metavar="DIR", help="Extra folder of *.toml packs.")


@packs.command(name="list")
@rules_option
def packs_list(rules_dirs: tuple[str, ...]) -> None:
    """One line per pack: id@version, name, hosts, rule count."""
    for pack in _load(rules_dirs).values():
        hosts = ",".join(pack.hosts) or "-"
        click.echo(f"{pack.label:<24} {pack.name:<24} {len(pack.rules()):>3} rules  {hosts}")


@packs.command(name="check")
@rules_option
def packs_check(rules_dirs: tuple[str, ...]) -> None:
    """Load every pack strictly; report the first error with file, rule and key."""
    loaded = _load(rules_dirs)
    click.echo(f"ok: {len(loaded)} packs, {sum(len(p.rules()) for p in loaded.values())} rules", err=True)


@packs.command(name="test")
@click.argument("pack_ids", nargs=-1, metavar="[ID]...")
@rules_option
def packs_test(pack_ids: tuple[str, ...], rules_dirs: tuple[str, ...]) -> None:
    """Run the packs' embedded [[tests]] with the invariants, and check every stable rule fired."""
    from .packs.testing import run_case, stable_rules_not_fired

    loaded = _load(rules_dirs)
    unknown = [p for p in pack_ids if p not in loaded]
    if unknown:
        fail(f"unknown pack {unknown[0]!r}; see `cleaner packs list`", EXIT_USAGE)
    failed = total = 0
    for pack in loaded.values():
        if pack_ids and pack.id not in pack_ids:
            continue
        fired: set[str] = set()
        for case in pack.tests:
            result = run_case(pack, case, rules_dirs)
            fired |= result.fired
            total += 1
            failed += not result.ok
            mark = click.style("PASS", fg="green") if result.ok else click.style("FAIL", fg="red")
            click.echo(f"{mark} {pack.id}::{case.name}")
            for problem in result.problems:
                click.echo(f"     {problem}")
        missing = stable_rules_not_fired(pack, fired)
        if missing:
            failed += 1
            click.echo(click.style("FAIL", fg="red") + f" {pack.id}: stable rules no test exercises: {', '.join(missing)}")
    click.echo(f"{total - failed} passed, {failed} failed", err=True)
    sys.exit(EXIT_PAGES_FAILED if failed else EXIT_OK)


@packs.command(name="show")
@click.argument("pack_id", metavar="ID")
@rules_option
def packs_show(pack_id: str, rules_dirs: tuple[str, ...]) -> None:
    """A pack's rules in the order they run, with their reasons."""
    loaded = _load(rules_dirs)
    if pack_id not in loaded:
        fail(f"unknown pack {pack_id!r}; see `cleaner packs list`", EXIT_USAGE)
    pack = loaded[pack_id]
    click.echo(f"{pack.label}  {pack.name}  ({pack.path})")
    click.echo(f"extends: {' -> '.join(p.id for p in pack.chain)}")
    click.echo(f"hosts: {', '.join(pack.hosts) or '-'}; signatures: {len(pack.signatures)} (threshold {pack.threshold})")
    click.echo(f"guards: max_removed_ratio {pack.max_removed_ratio}, min_body_chars {pack.min_body_chars}")
    for member in reversed(pack.chain):
        for rule in member.extract:
            click.echo(f"  extract  {rule.id:<28} {rule.status:<12} {rule.reason}")
    for member in pack.chain:
        for rule in member.drop:
            click.echo(f"  {rule.kind:<8} {rule.id:<28} {rule.status:<12} {rule.reason}")


def clean_main() -> None:
    clean_command(prog_name="clean")


def cleaner_main() -> None:
    cleaner_group(prog_name="cleaner")
