"""`cleaner packs list|check|test|show`: manage and test rule packs."""

from __future__ import annotations

import click

from .exits import EXIT_OK, EXIT_PAGES_FAILED, EXIT_USAGE, fail, guarded
from .options import load, rules_option


@click.group()
def packs() -> None:
    """List, check, test and show rule packs."""


@packs.command(name="list")
@rules_option
@guarded
def packs_list(rules_dirs: tuple[str, ...]) -> None:
    """One line per pack: id@version, name, hosts, rule count."""
    for pack in load(rules_dirs).values():
        hosts = ",".join(pack.hosts) or "-"
        click.echo(f"{pack.label:<24} {pack.name:<24} {len(pack.rules()):>3} rules  {hosts}")


@packs.command(name="check")
@rules_option
@click.option(
    "--explain-speed", is_flag=True, help="Also say which engine runs and which rules every page pays for, and why."
)
@guarded
def packs_check(rules_dirs: tuple[str, ...], explain_speed: bool) -> None:
    """Load every pack strictly; report the first error with file, rule and key."""
    loaded = load(rules_dirs)
    click.echo(f"ok: {len(loaded)} packs, {sum(len(p.rules()) for p in loaded.values())} rules", err=True)
    if explain_speed:
        from ..packs.plan import explain

        for line in explain(loaded):
            click.echo(line)


@packs.command(name="test")
@click.argument("pack_ids", nargs=-1, metavar="[ID]...")
@rules_option
@guarded
def packs_test(pack_ids: tuple[str, ...], rules_dirs: tuple[str, ...]) -> None:
    """Run the packs' embedded [[tests]] with the invariants, and check every stable rule fired."""
    from ..qa.testing import run_case, stable_rules_not_fired

    loaded = load(rules_dirs)
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
            click.echo(
                click.style("FAIL", fg="red") + f" {pack.id}: stable rules no test exercises: {', '.join(missing)}"
            )
    click.echo(f"{total - failed} passed, {failed} failed", err=True)
    return EXIT_PAGES_FAILED if failed else EXIT_OK


@packs.command(name="kinds")
def packs_kinds() -> None:
    """The drop kinds and their keys, with defaults, as the README's Markdown table."""
    from ..packs.kinds import markdown

    click.echo(markdown())


@packs.command(name="show")
@click.argument("pack_id", metavar="ID")
@rules_option
@guarded
def packs_show(pack_id: str, rules_dirs: tuple[str, ...]) -> None:
    """A pack's rules in the order they run, with their reasons."""
    loaded = load(rules_dirs)
    if pack_id not in loaded:
        fail(f"unknown pack {pack_id!r}; see `cleaner packs list`", EXIT_USAGE)
    pack = loaded[pack_id]
    click.echo(f"{pack.label}  {pack.name}  ({pack.path})")
    click.echo(f"extends: {' -> '.join(p.id for p in pack.chain)}")
    click.echo(
        f"hosts: {', '.join(pack.hosts) or '-'}; signatures: {len(pack.signatures)} (threshold {pack.threshold})"
    )
    click.echo(f"guards: max_removed_ratio {pack.max_removed_ratio}, min_body_chars {pack.min_body_chars}")
    for member in reversed(pack.chain):
        for rule in member.extract:
            click.echo(f"  extract  {rule.id:<28} {rule.status:<12} {rule.reason}")
    from ..packs.kinds import KINDS

    for member in pack.chain:
        for rule in member.drop:
            click.echo(f"  {rule.kind:<8} {rule.id:<28} {rule.status:<12} {rule.reason}")
            for key in KINDS[rule.kind].keys:  # what the rule sets beyond its kind's defaults
                value = getattr(rule, key.name)
                if not key.compile and value != key.default and key.name != "model":
                    click.echo(f"{'':12}{key.name} = {value}: {key.doc}")
