"""summary.json: what a run did, aggregated as it goes, in memory that does not grow with
the number of pages (counters, 1% histograms of the kept share, and two bounded heaps).

The schema is versioned (`schema`); the README documents every key."""

from __future__ import annotations

import heapq
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..document import PageStats

SCHEMA = 1
BINS = 100  # kept share histograms: one bin a percent
LISTED = 20  # pages in least_kept and most_kept


@dataclass
class _Pack:
    pages: int = 0
    fallbacks: Counter[str] = field(default_factory=Counter)
    shares: list[int] = field(default_factory=lambda: [0] * (BINS + 1))
    fired: Counter[str] = field(default_factory=Counter)  # rule -> pages it fired on


@dataclass
class _Host:
    pages: int = 0
    packs: Counter[str] = field(default_factory=Counter)
    shares: list[int] = field(default_factory=lambda: [0] * (BINS + 1))


class Aggregator:
    """Feed it each page's PageStats in order; `summary()` gives the summary.json dict."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.pages = self.cleaned = self.failed = self.skipped = self.warnings = self.empty = 0
        self.article_lost = 0
        self.packs: dict[str, _Pack] = {}
        self.rules: dict[str, list[int]] = {}  # rule -> [pages, lines, chars]
        self.hosts: dict[str, _Host] = {}
        self.errors: Counter[str] = Counter()
        self.least: list[tuple[float, int, str]] = []  # the LISTED pages that kept least...
        self.most: list[tuple[float, int, str]] = []  # ... and most (earlier pages win ties)
        self.order = 0

    def skip(self, n: int = 1) -> None:
        self.skipped += n

    def add(self, s: PageStats) -> None:
        self.pages += 1
        if not s.ok:
            self.failed += 1
            self.errors[s.error_kind or "other"] += 1
            return
        self.cleaned += 1
        self.warnings += s.warnings
        share = s.kept_share
        self.empty += s.kept_chars == 0
        self.article_lost += s.article_lost
        label = s.pack or "?"
        pack = self.packs.setdefault(label, _Pack())
        pack.pages += 1
        pack.shares[round(share * BINS)] += 1
        if s.reason == "fallback":
            pack.fallbacks["no pack matched"] += 1
        elif s.reason == "guard":
            pack.fallbacks[f"guard of {s.guarded}"] += 1
        for rule, lines, chars in s.rules:
            entry = self.rules.setdefault(rule, [0, 0, 0])
            entry[0] += 1
            entry[1] += lines
            entry[2] += chars
            pack.fired[rule] += 1
        host = self.hosts.setdefault(s.host or "(no url)", _Host())
        host.pages += 1
        host.packs[label] += 1
        host.shares[round(share * BINS)] += 1
        self.order += 1
        _keep_top(self.least, (-share, -self.order), s.source)
        _keep_top(self.most, (share, -self.order), s.source)

    def summary(self, compare: dict[str, Any] | None = None) -> dict[str, Any]:
        seconds = time.perf_counter() - self.started
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "pages": self.pages + self.skipped,
            "cleaned": self.cleaned,
            "failed": self.failed,
            "skipped": self.skipped,
            "warnings": self.warnings,
            "kept_nothing": self.empty,
            "article_may_be_lost": self.article_lost,
            "packs": {
                label: {
                    "pages": p.pages,
                    "fallbacks": dict(sorted(p.fallbacks.items())),
                    "fallback_rate": round(sum(p.fallbacks.values()) / p.pages, 4),
                    "kept_share": percentiles(p.shares),
                    "kept_share_histogram": p.shares,
                    "rules_fired": {rule: n for rule, n in sorted(p.fired.items())},
                }
                for label, p in sorted(self.packs.items())
            },
            "rules": {
                rule: {"pages": n[0], "lines": n[1], "chars": n[2]}
                for rule, n in sorted(self.rules.items(), key=lambda kv: (-kv[1][2], kv[0]))
            },
            "hosts": {
                host: {"pages": h.pages, "packs": dict(sorted(h.packs.items())), "kept_share": percentiles(h.shares)}
                for host, h in sorted(self.hosts.items(), key=lambda kv: (-kv[1].pages, kv[0]))
            },
            "errors": dict(sorted(self.errors.items())),
            "least_kept": [
                {"source": src, "kept_share": round(-neg, 4)} for neg, _, src in sorted(self.least, reverse=True)
            ],
            "most_kept": [
                {"source": src, "kept_share": round(share, 4)} for share, _, src in sorted(self.most, reverse=True)
            ],
            "seconds": round(seconds, 3),
            "pages_per_second": round(self.cleaned / seconds, 1) if seconds > 0 else 0.0,
        }
        if compare is not None:
            from .drift import drift

            out["drift"] = drift(compare, out)
        return out


def _keep_top(heap: list[tuple[float, int, str]], key: tuple[float, int], source: str) -> None:
    """Keep the LISTED entries with the largest keys: a min-heap, whose root goes first."""
    if len(heap) < LISTED:
        heapq.heappush(heap, (*key, source))
    elif key > heap[0][:2]:
        heapq.heapreplace(heap, (*key, source))


def percentiles(hist: list[int]) -> dict[str, float | None]:
    """p10, p50 and p90 of a 1% histogram (to the percent)."""
    total = sum(hist)
    if not total:
        return {"p10": None, "p50": None, "p90": None}
    out: dict[str, float | None] = {}
    for name, q in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
        need, seen = q * total, 0
        for i, n in enumerate(hist):
            seen += n
            if seen >= need:
                out[name] = i / BINS
                break
    return out


_NUMBERS = re.compile(r"\[\s*(-?\d[\d.,\s-]*?)\s*\]")


def to_json(summary: dict[str, Any]) -> str:
    """The summary as a file a person can read: indented, with number lists on one line."""
    text = json.dumps(summary, ensure_ascii=False, indent=1)
    return _NUMBERS.sub(lambda m: "[" + ", ".join(m.group(1).replace(",", " ").split()) + "]", text) + "\n"
