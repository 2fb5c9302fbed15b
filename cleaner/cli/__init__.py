"""The command line: `clean` and `cleaner`, thin commands over the library.

stdout carries data only; diagnostics go to stderr, one line each; exits.py maps every
outcome to its exit code."""

from __future__ import annotations

import click

from .clean import clean_command
from .explain import explain
from .learn import learn
from .packs import packs
from .report import report


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="news-cleaner", prog_name="cleaner")
def cleaner_group() -> None:
    """Clean scraped news pages with per-outlet rule packs."""


for command in (clean_command, explain, packs, learn, report):
    cleaner_group.add_command(command)


def clean_main() -> None:
    clean_command(prog_name="clean")


def cleaner_main() -> None:
    cleaner_group(prog_name="cleaner")


__all__ = ["clean_command", "clean_main", "cleaner_group", "cleaner_main"]
