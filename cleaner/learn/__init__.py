"""`cleaner learn`: draft a rule pack from a folder of one outlet's pages.

What repeats across the outlet's pages is its template: lines above and below the article, the
shape of its byline, `Label: ...` lines, phrases its bios and appeals share, the heading over
its related-stories list, and the lines specific enough to recognise the outlet by
(evidence.py). The draft (draft.py) is checked on the pages it came from: a rule that removes a
line that is article-like on any of them is taken out, and each page's result is compared with
what `_generic` does to it. The draft is a starting point for a person: every rule is
`experimental` and says what evidence it came from."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..decode import decode
from ..errors import CleanerError
from ..normalize import normalize_lines
from ..settings import LEARN_ROUNDS
from ..sources import display, read_beneath, unpack
from .draft import rules, write
from .evidence import Sample, gather, outlet_names, sample

__all__ = ["Comparison", "Draft", "learn_pack", "read_pages"]


@dataclass(frozen=True)
class Comparison:
    """What the draft does to one of its pages, next to what `_generic` does."""

    rel: str
    by_rule: dict[str, int]  # lines each rule removed
    draft_lines: int
    generic_lines: int
    only_draft: int  # lines the draft removes and _generic keeps
    only_generic: int
    fell_back: str | None  # why the draft's guard gave the page to _generic, if it did


@dataclass(frozen=True)
class Draft:
    text: str
    signatures: tuple[tuple[str, int], ...]  # (line, weight)
    taken_out: tuple[str, ...]  # rules that removed an article line on a page, and are not in the draft
    pages: tuple[Comparison, ...]


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


def learn_pack(
    pages: list[tuple[str, list[str]]],
    pack_id: str,
    hosts: tuple[str, ...],
    source: str,
    against: set[str] = frozenset(),
) -> Draft:
    """Draft `pack_id` from the pages, check it on them, and compare it with `_generic`."""
    from ..packs.loader import load_packs

    samples = [sample(rel, lines) for rel, lines in pages]
    ev = gather(samples, outlet_names(hosts))
    bases = [p for p in load_packs().values() if p.is_base]
    plan = rules(ev, pack_id, hosts, source, bases, set(against))
    taken_out: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(LEARN_ROUNDS):
            text = write(plan)
            bad = _article_removers(text, pack_id, samples, ev.article, tmp)
            if not bad:
                break
            taken_out += sorted(bad)
            plan = plan.without(bad)
        text = write(plan)
        compared = tuple(_compare(text, pack_id, samples, tmp))
    return Draft(text, tuple(plan.signatures), tuple(taken_out), compared)


def _run_draft(text: str, pack_id: str, tmp: str) -> tuple[str, ...]:
    """A rules folder holding only the draft: a new one each time (loaded packs are cached by folder)."""
    folder = Path(tempfile.mkdtemp(dir=tmp))
    (folder / f"{pack_id}.toml").write_text(text, encoding="utf-8")
    return (str(folder),)


def _article_removers(text: str, pack_id: str, samples: list[Sample], article: set[str], tmp: str) -> set[str]:
    """The draft's rules that remove a line that is article-like on some page."""
    from ..pipeline import Options, run

    opts = Options(rules_dirs=_run_draft(text, pack_id, tmp))
    bad = set()
    for s in samples:
        outcome = run("\n".join(s.lines), pack=pack_id, options=opts)
        for r in outcome.document.removed:
            if r.rule.startswith(pack_id + ".") and any(x in article for x in r.text.split("\n")):
                bad.add(r.rule)
    return bad


def _compare(text: str, pack_id: str, samples: list[Sample], tmp: str) -> list[Comparison]:
    from ..pipeline import Options, run

    opts = Options(rules_dirs=_run_draft(text, pack_id, tmp))
    out = []
    for s in samples:
        page = "\n".join(s.lines)
        mine = run(page, pack=pack_id, options=opts)
        generic = run(page, pack="_generic")
        gone = Counter(x for r in mine.document.removed for x in r.text.split("\n"))
        gone_generic = Counter(x for r in generic.document.removed for x in r.text.split("\n"))
        by_rule = Counter(r.rule for r in mine.document.removed for _ in r.text.split("\n"))
        fell = (
            None if mine.pack.id == pack_id else (mine.document.warnings[0] if mine.document.warnings else "fell back")
        )
        out.append(
            Comparison(
                s.rel,
                dict(sorted(by_rule.items())),
                sum(gone.values()),
                sum(gone_generic.values()),
                sum((gone - gone_generic).values()),
                sum((gone_generic - gone).values()),
                fell,
            )
        )
    return out
