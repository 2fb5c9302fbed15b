"""Built-in finders for what a pattern cannot say: the title of a page of an unknown outlet.

A title is taken only on evidence, never guessed: the page's <title>-like first line repeated
as a later line, a line matching the URL's slug, or the line just above a dateline."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..packs.model import Rule
from ..settings import (
    SLUG_MIN_WORDS,
    SLUG_PRECISION,
    SLUG_PREFIXED_RECALL,
    SLUG_RECALL,
    TITLE_MAX_CHARS,
    TITLE_MIN_CHARS,
)
from .page import Page

# "Headline | Site", "Headline — Site", "Headline - #Site": the document title of a full dump
_SITE_SUFFIX = re.compile(r"\s+(?:[|—–]|-\s)\s*[^|—–]{2,60}$")
_WORD = re.compile(r"\w+")
# date lines as news sites print them: "Feb 27, 2026 16:51", "Saturday, 28 February 2026, 00:34"
_DATELINE = re.compile(
    r"(?:\w+, )?(?:\d{1,2} \w+ \d{4}|\w{3,9}\.? \d{1,2}, \d{4}|\d{1,2}\.\d{1,2}\.\d{4})(?:,? \d{1,2}:\d{2}(?: "
    r"?[AP]M)?)?",
    re.IGNORECASE,
)


def find_title(rule: Rule, page: Page, depth: int) -> None:
    view = page.view(rule.where)
    idx = view.indices
    if not idx or "title" in page.fields:
        return
    finders = (_repeated_document_title, _slug_match, _above_dateline)
    # the first finder with evidence (a line index: 0 is a line too)
    found = next((i for i in (find(page, idx) for find in finders) if i is not None), None)
    if found is None:
        return
    page.fired.add(rule.id)
    page.set_field("title", page.lines[found], found, depth)
    if rule.consume:
        page.remove(found, found, rule)


def _repeated_document_title(page: Page, idx: list[int]) -> int | None:
    first = page.lines[idx[0]]
    m = _SITE_SUFFIX.search(first)
    if not m:
        return None
    head = first[: m.start()].strip()
    return next((i for i in idx[1:] if page.lines[i] == head), None)


def _slug_match(page: Page, idx: list[int]) -> int | None:
    url = page.url
    if not url:
        return None
    slug = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    words = _words(slug.replace("-", " "))
    if len(words) < 3:
        return None
    best: tuple[float, int] | None = None
    for i in idx:
        line = page.lines[i]
        if len(line) > TITLE_MAX_CHARS:
            continue
        have = _words(line)
        common = len(words & have)
        recall, precision = common / len(words), common / (len(have) or 1)
        # most of the slug is on the line; or the line is nearly all slug, and the slug has a
        # prefix the title lacks (a section: "russia-ukraine-war-", "news-")
        if recall >= SLUG_RECALL or (
            precision >= SLUG_PRECISION and common >= SLUG_MIN_WORDS and recall >= SLUG_PREFIXED_RECALL
        ):
            score = recall + precision
            if best is None or score > best[0]:
                best = (score, i)
    return best[1] if best else None


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if not w.isdigit()}


def _above_dateline(page: Page, idx: list[int]) -> int | None:
    for k in range(1, len(idx)):
        if _DATELINE.fullmatch(page.lines[idx[k]]):
            above = page.lines[idx[k - 1]]
            if (
                TITLE_MIN_CHARS <= len(above) <= TITLE_MAX_CHARS
                and not above.endswith((".", ":"))
                and not _DATELINE.fullmatch(above)
            ):
                return idx[k - 1]
    return None


HEURISTICS = {"title": find_title}
