"""Site template found by repetition: within one batch, a line that recurs on many pages of
the same host (or, without URLs, the same pack) is template, whatever its words.

The count reads a bounded sample spread evenly over the batch, so time and memory stay
flat on any batch; the template keeps whole line strings (a hash collision must never remove
a line)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import CleanerError
from ..pipeline import page_group
from ..settings import PARAGRAPH_MIN_CHARS
from ..sources import read_beneath
from ..text.drops import is_paragraph


@dataclass(frozen=True)
class TemplateSettings:
    min_pages: int = 3  # a line must recur on at least this many pages...
    share: float = 0.3  # ...and on at least this share of its group's pages
    # pages counted, spread evenly over the batch: a template line is on 30% of its site's
    # pages, so a thousand pages find it for any site with a few dozen pages in the batch
    sample: int = 1000


@dataclass
class TemplateCounter:
    settings: TemplateSettings = field(default_factory=TemplateSettings)
    pages: Counter[str] = field(default_factory=Counter)
    lines: dict[str, Counter[str]] = field(default_factory=dict)

    def add(self, group: str, lines: Iterable[str]) -> None:
        self.pages[group] += 1
        self.lines.setdefault(group, Counter()).update({x for x in lines if x})

    def templates(self) -> dict[str, frozenset[str]]:
        out = {}
        for group, counts in self.lines.items():
            need = max(self.settings.min_pages, self.settings.share * self.pages[group])
            # article-like lines never count as template: copies of one story must keep it
            found = frozenset(
                line
                for line, n in counts.items()
                if n >= need and not is_paragraph(line, PARAGRAPH_MIN_CHARS["template"])
            )
            if found:
                out[group] = found
        return out


def count(
    root: str,
    walk: Callable[[], Iterable[Any]],
    settings: TemplateSettings,
    url: str | None,
    pack: str | None,
    options: Any,
    fmt: str = "auto",
) -> dict[str, frozenset[str]]:
    """The counting pass over a folder: a sample of pages spread evenly over the walk (one walk
    to count them, one to read the sample), each grouped, and what repeats kept. Pages are read
    as the cleaning pass reads them: beneath the root, no link followed, within the size limit."""
    total = sum(1 for _ in walk())
    step = max(1.0, total / settings.sample)
    counter = TemplateCounter(settings)
    next_pick = 0.0
    for n, entry in enumerate(walk()):
        if n < next_pick:
            continue
        next_pick += step
        try:
            found = page_group(read_beneath(root, entry.real, entry.rel, options.max_bytes), url, pack, options, fmt)
        except (CleanerError, OSError, ValueError, RecursionError):
            continue  # a bad page fails later, in the cleaning pass, with its own error
        if found is not None:
            counter.add(*found)
    return counter.templates()
