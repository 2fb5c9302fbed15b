"""Options shared by several commands, and the check that an option fits the mode it is used in."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import click

from ..errors import PackError
from ..packs.loader import load_packs
from .exits import EXIT_USAGE, fail

rules_option = click.option(
    "--rules",
    "rules_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Extra folder of *.toml packs (a pack with the same id replaces the built-in).",
)


def page_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that cleans pages."""
    for decorator in reversed(
        [
            click.option("--pack", metavar="ID", help="Use this pack instead of choosing by host or signature."),
            click.option("--url", metavar="URL", help="The page's URL: picks the pack by host, fills url/hostname."),
            rules_option,
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


def load(rules_dirs: tuple[str, ...]) -> Any:
    try:
        return load_packs(*rules_dirs)
    except PackError as exc:
        fail(str(exc), EXIT_USAGE)


def only_for(mode: str, given: Iterable[str]) -> None:
    """Refuse options that the mode would silently ignore."""
    names = sorted(given)
    if names:
        fail(f"{', '.join(names)} {'applies' if len(names) == 1 else 'apply'} only to {mode}", EXIT_USAGE)


def given_options(names: Iterable[str]) -> list[str]:
    """Which of these parameters the user gave on the command line (not their defaults)."""
    ctx = click.get_current_context()
    out = []
    for name in names:
        source = ctx.get_parameter_source(name)
        if source is not None and source.name == "COMMANDLINE":
            param = next(p for p in ctx.command.params if p.name == name)
            out.append(param.opts[-1] if param.opts else name)
    return out
