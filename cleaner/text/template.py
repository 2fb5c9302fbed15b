"""Applying a site template found across a batch: the lines a counting pass (batch/template.py)
found repeated on many pages of one site go, as rule `batch.repeated` of the `exact` kind."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..packs.model import Rule
from .drops import DROP_KINDS
from .page import Page

RULE = Rule(
    id="batch.repeated",
    kind="exact",
    pack="batch",
    reason="A line repeated on many pages of the same site in this batch: site template",
)


def group_of(pack_id: str, host: str | None) -> str:
    return f"host:{host}" if host else f"pack:{pack_id}"


def apply(page: Page, template: frozenset[str]) -> None:
    """The template's lines go, by the `exact` drop kind."""
    DROP_KINDS["exact"](replace(RULE, lines=template), page)


def lookup(templates: Mapping[str, frozenset[str]], pack_id: str, host: str | None) -> frozenset[str]:
    return templates.get(group_of(pack_id, host), frozenset())
