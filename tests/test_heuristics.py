"""The title finder of pages whose outlet has no title rule: on evidence only."""

from __future__ import annotations

from cleaner.packs.model import Rule, Where
from cleaner.text.heuristics import find_title
from cleaner.text.page import Page

RULE = Rule(id="t.title", kind="extract", pack="t", heuristic="title", where=Where("head", 5))
BODY = [
    "Moscow expects Western support for Ukraine to fade as the war drags on, analysts say",
    "The Kremlin has planned its budget for at least two more years of fighting, officials said.",
]


def _title(lines: list[str], url: str | None) -> str | None:
    page = Page(lines, url=url)
    find_title(RULE, page, 0)
    found = page.fields.get("title")
    return found.value if found else None


def test_slug_title_on_the_first_line():
    url = "https://news.example/kremlin-counts-on-western-fatigue"
    assert _title(["Kremlin counts on Western fatigue", *BODY], url) == "Kremlin counts on Western fatigue"


def test_slug_with_a_section_prefix():
    """The slug holds words the title lacks ("russia-ukraine-war-"): a line nearly all slug
    words is the title, not a lead that shares some of them."""
    url = "https://news.example/russia-ukraine-war-kremlin-counts-on-western-fatigue-analyst-novak"
    lines = [
        "Kremlin counts on Western fatigue – analyst Novak",
        "Kremlin counts on Western fatigue, says analyst Novak Petrov today",
    ]
    assert _title([*lines, *BODY], url) == lines[0]
    assert _title([*reversed(lines), *BODY], url) == lines[0]


def test_no_title_without_evidence():
    assert _title(["Kremlin counts on Western fatigue", *BODY], None) is None
    # a line sharing a few of the slug's words is not its title
    assert (
        _title(["Western support fades", *BODY], "https://news.example/kremlin-counts-on-western-fatigue-analyst-novak")
        is None
    )
