"""`cleaner learn`: draft a rule pack from a folder of one outlet's pages.

What repeats across the outlet's pages is its template: lines above the article (navigation,
mastheads), lines below it (footers), headings that open the related-stories block, and the
lines frequent enough to recognise the outlet by. The draft is a starting point for a person:
every rule is `experimental` and says what evidence it came from."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .decode import decode
from .errors import CleanerError
from .normalize import normalize_lines
from .sources import display, read_beneath, unpack
from .text.drops import is_paragraph

_MARKER = re.compile(r"(?i)^(?:read also|read more|related|more|other|useful|recommended|see also|tags|читайте|більше|больше|по темі|по теме|теги|теґи).{0,40}:?$|^.{2,40}:$")


@dataclass
class Evidence:
    pages: int = 0
    head: Counter[str] = field(default_factory=Counter)  # repeated lines seen above the article
    tail: Counter[str] = field(default_factory=Counter)  # ... below it
    body: Counter[str] = field(default_factory=Counter)  # ... inside it
    markers: Counter[str] = field(default_factory=Counter)  # headings that open the tail
    head_depth: int = 0  # how deep in the page head lines were seen


def gather(pages: list[list[str]]) -> Evidence:
    ev = Evidence(pages=len(pages))
    for lines in pages:
        kept = [x for x in lines if x]
        paras = [k for k, x in enumerate(kept) if is_paragraph(x, 25)]
        if not paras:
            continue
        first, last = paras[0], paras[-1]
        for k, line in enumerate(dict.fromkeys(kept)):
            pos = kept.index(line)
            if pos < first:
                ev.head[line] += 1
                ev.head_depth = max(ev.head_depth, pos + 1)
            elif pos > last:
                ev.tail[line] += 1
            elif not is_paragraph(line, 60):
                ev.body[line] += 1
        tail = kept[last + 1 :]
        opener = next((x for x in tail if _MARKER.match(x)), None)
        if opener:
            ev.markers[opener] += 1
    return ev


def repeated(counts: Counter[str], pages: int, share: float = 0.3) -> list[str]:
    need = max(2, share * pages)
    return sorted(line for line, n in counts.items() if n >= need and not is_paragraph(line, 60))


def _toml_str(text: str) -> str:
    return "'" + text + "'" if "'" not in text and "\n" not in text else "'''" + text + "'''"


def _alternation(lines: list[str]) -> str:
    from regex import escape

    # escape() writes a space as "\\ ", which (?x) mode needs
    return "(?x)\n    " + "\n  | ".join(escape(x, special_only=True) for x in lines) + "\n"


def draft(pack_id: str, ev: Evidence, hosts: tuple[str, ...], source: str) -> str:
    from regex import escape

    prefix = pack_id
    head, tail, body = repeated(ev.head, ev.pages), repeated(ev.tail, ev.pages), repeated(ev.body, ev.pages)
    markers = [m for m, n in ev.markers.most_common() if n >= max(2, 0.3 * ev.pages)]
    signs = [x for x, n in ev.head.most_common(12) if n >= 0.6 * ev.pages and len(x) >= 4][:3]
    out = [
        f"# Drafted by `cleaner learn` from {ev.pages} pages in {source}. Every rule is experimental:",
        "# read each one, give the pack its real name, add [[tests]], then mark rules stable.",
        "schema = 1",
        f'id = "{pack_id}"',
        f'name = "{pack_id}"',
        "version = 1",
        'extends = ["_common"]',
        "",
        "[match]",
        f"hosts = [{', '.join(repr(h).replace(chr(39), chr(34)) for h in hosts)}]",
        f"threshold = {min(2, len(signs)) or 1}",
    ]
    for line in signs:
        out += ["[[match.signature]]", f"line = {_toml_str(escape(line, special_only=True, literal_spaces=True))}",
                f'where = {{ region = "head", lines = {max(ev.head_depth, 1) + 5} }}', "weight = 1"]
    out += ["", "[guards]", "max_removed_ratio = 0.8", "min_body_chars = 200"]
    out += ["", "[[text.extract]]", f'id = "{prefix}.title"', 'heuristic = "title"',
            f'where = {{ region = "head", lines = {max(ev.head_depth, 1) + 5} }}', "consume = true",
            'reason = "The headline: the line above a dateline, or matching the URL slug"', 'status = "experimental"']
    if markers:  # before the tail template, which would otherwise take the heading itself
        start = "|".join(escape(m, special_only=True, literal_spaces=True) for m in markers)
        out += ["", "[[text.drop]]", f'id = "{prefix}.end-marker"', 'kind = "from"', f"start = {_toml_str(start)}",
                "after_fraction = 0.4", f'reason = "Heading that opens the tail on at least 30% of {ev.pages} pages"',
                'status = "experimental"']
    rules = [
        ("template-head", head, f'where = {{ region = "head", lines = {max(ev.head_depth, 1) + 5} }}',
         f"Lines repeated above the article on at least 30% of {ev.pages} pages"),
        ("template-tail", tail, "after_fraction = 0.3", f"Lines repeated below the article on at least 30% of {ev.pages} pages"),
        ("template-inline", body, None, f"Short lines repeated inside the article on at least 30% of {ev.pages} pages"),
    ]
    for slug, lines, where, reason in rules:
        if not lines:
            continue
        out += ["", "[[text.drop]]", f'id = "{prefix}.{slug}"', 'kind = "line"',
                f"pattern = '''{_alternation(lines)}'''"]
        out += [where] if where else []
        out += [f'reason = "{reason}"', 'status = "experimental"']
    return "\n".join(out) + "\n"


def read_pages(root: Path, rels: list[str]) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """(relative path, normalized lines) of every page that reads, and a problem line for
    each one that does not: pages are read as a batch reads them (bounded, no link followed)."""
    pages, problems = [], []
    for rel in rels:
        try:
            data = unpack(read_beneath(str(root), rel, display(rel)), display(rel))
            pages.append((rel, normalize_lines(decode(data, display(rel)).text)))
        except CleanerError as exc:
            problems.append(str(exc))
    return pages, problems
