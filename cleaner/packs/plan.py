"""One scan of a page for every pattern of every loaded pack (the match plan).

Each compiled pattern is rewritten as a Hyperscan expression that matches a superset of what
the `regex` module matches: lookarounds, anchors and word boundaries are dropped, back-references
match anything, wide repeats lose their bound, and `\\w`-like classes widen to what surely holds
them. All go into one multi-pattern database, and one scan of the page says which patterns can
match at all. A pattern the scan did not report cannot match: its rule is not run. One it did
report is still run by `regex`, which finds the exact spans and groups. So the output is the same
as without the plan (tests/test_plan.py checks both engines on every test page), only cheaper.

The plan is built once per set of loaded packs and kept on disk by its content's hash (the
database of a few hundred patterns takes a second or more to compile). Without the `hyperscan`
wheel, or with CLEANER_ENGINE=regex, there is no plan and every rule keeps its literal prefilter
(packs.literals)."""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .. import settings
from .cache import cache_file, write
from .model import Pack, Pattern
from .rewrite import superset

try:  # an optional speed-up: the pure regex path gives the same output
    import hyperscan
except ImportError:  # pragma: no cover - exercised by CLEANER_ENGINE=regex in the tests
    hyperscan = None


class Plan:
    """The database of the loaded packs' patterns, and which slot each pattern has in it."""

    def __init__(self, database: Any, slots: dict[int, int], packs: list[Pack], skipped: list[str]) -> None:
        self.database = database
        self.slots = slots  # id(Pattern) -> its expression's slot (duplicates share one)
        self.skipped = skipped  # sources the scan cannot take (they keep their literal prefilter)
        self._local = threading.local()  # a scratch per thread: a scan may not share one
        self.every = frozenset(slots.values())
        # Pack choice. Packs that score alike (copies of a pack: the same slots, regions,
        # weights, selectors and threshold) are one shape, scored once, by its first pack,
        # which wins the tie anyway. A shape is scored when the scan reported one of its slots.
        # Always scored: a pack with a signature the scan cannot take, or a threshold of zero;
        # on HTML pages, a shape with a CSS signature too.
        self.order = {pack.id: n for n, pack in enumerate(packs)}
        self.by_slot: dict[int, set[str]] = {}
        first: dict[tuple[Any, ...], str] = {}
        always: dict[bool, set[str]] = {False: set(), True: set()}
        for pack in packs:
            if pack.is_base or not pack.signatures:
                continue
            patterns = [sig.text or sig.line for sig in pack.signatures]
            if pack.threshold <= 0 or any(p is not None and id(p) not in slots for p in patterns):
                always[False].add(pack.id)
                continue
            shape = (pack.threshold,) + tuple(
                (None if p is None else slots[id(p)], id(sig.where), sig.weight, sig.selector)
                for p, sig in zip(patterns, pack.signatures, strict=True)
            )
            rep = first.setdefault(shape, pack.id)
            for p in patterns:
                if p is None:
                    always[True].add(rep)
                else:
                    self.by_slot.setdefault(slots[id(p)], set()).add(rep)
        self.always = {False: frozenset(always[False]), True: frozenset(always[False] | always[True])}

    def candidates(self, hits: frozenset[int], html: bool) -> list[str]:
        """The packs to score on a page with these hits (one of each shape), in load order."""
        found = set(self.always[html])
        for slot in hits:
            found.update(self.by_slot.get(slot, ()))
        return sorted(found, key=self.order.__getitem__)

    def scan(self, text: str) -> frozenset[int]:
        """The slots whose expression matches somewhere in the text. A text that is not valid
        Unicode (a lone surrogate, which the pipeline replaces but a caller of Page may not) has
        no UTF-8 that Hyperscan may read: every slot counts as reported, and `regex` decides."""
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            return self.every
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self.database)
        hits: list[int] = []
        self.database.scan(data, _on_match, context=hits, scratch=scratch)
        return frozenset(hits)


def _on_match(slot: int, start: int, end: int, flags: int, hits: list[int]) -> None:
    hits.append(slot)


PATTERN_KEYS = ("pattern", "start", "end", "line", "above", "after", "contains")


def patterns_of(packs: Iterable[Pack]) -> list[Pattern]:
    """Every compiled pattern of the packs: rules' and signatures'."""
    found: list[Pattern] = []
    for pack in packs:
        for rule in pack.rules():
            found += (p for p in map(rule.__getattribute__, PATTERN_KEYS) if isinstance(p, Pattern))
        for sig in pack.signatures:
            found += (p for p in (sig.line, sig.text) if p is not None)
    return found


def explain(packs: Any) -> list[str]:
    """For `cleaner packs check --explain-speed`: the engine, the plan's size, and the rules a
    page pays for whatever it holds: patterns the scan cannot take (run behind their literal
    prefilter), and rules with no pattern to be ruled out by (they run on every page)."""
    import time

    t0 = time.perf_counter()
    the_plan = plan_for(packs)
    took = time.perf_counter() - t0
    found = patterns_of(packs.values())
    if the_plan is None:
        why = "CLEANER_ENGINE=regex" if hyperscan is not None else "the hyperscan wheel is not installed"
        lines = [f"engine: regex ({why}): each of {len(found)} patterns is searched behind its literal prefilter"]
    else:
        size = len(hyperscan.dumpb(the_plan.database)) / 1e6
        lines = [
            f"engine: hyperscan: {len(found)} patterns, {len(set(the_plan.slots.values()))} distinct, in one scan"
            f" ({size:.1f} MB database, ready in {took * 1000:.0f} ms)"
        ]
    slow: list[str] = []
    for pack in packs.values():
        for rule in pack.rules():
            keys = [k for k in PATTERN_KEYS if isinstance(getattr(rule, k), Pattern)]
            for key in keys:
                pattern = getattr(rule, key)
                if the_plan is not None and id(pattern) not in the_plan.slots:
                    slow.append(f"  {rule.id} ({key}): the scan cannot take {pattern.source.strip()[:70]!r}")
            if rule.trigger is None:
                slow.append(f"  {rule.id}: no pattern it needs, so it runs on every page ({rule.kind})")
        for n, sig in enumerate(pack.signatures, 1):
            pattern = sig.text or sig.line
            if the_plan is not None and pattern is not None and id(pattern) not in the_plan.slots:
                slow.append(f"  {pack.id} signature {n}: the scan cannot take {pattern.source.strip()[:70]!r}")
    lines.append(f"{len(slow)} rules and signatures cost something on every page:" if slow else "no slow rules")
    return lines + slow


def engine() -> str:
    """`hyperscan` when the plan can be used, else `regex` (forced with CLEANER_ENGINE=regex)."""
    wanted = os.environ.get("CLEANER_ENGINE", "auto").strip().lower()
    return "regex" if wanted == "regex" or hyperscan is None else "hyperscan"


_PLANS: dict[int, tuple[object, Plan | None]] = {}
_LOCK = threading.Lock()


def plan_for(packs: Any) -> Plan | None:
    """The plan of a set of loaded packs (built once, then kept), or None on the regex engine."""
    if engine() == "regex":
        return None
    kept = _PLANS.get(id(packs))
    if kept is None or kept[0] is not packs:
        with _LOCK:
            kept = _PLANS.get(id(packs))
            if kept is None or kept[0] is not packs:
                kept = _PLANS[id(packs)] = (packs, build(list(packs.values())))
    return kept[1]


# Bump when the rewriting changes: a cached database of an older one is not used.
_REWRITE_VERSION = 1


def build(packs: list[Pack]) -> Plan | None:
    """The plan of the packs: one slot for each distinct compiled pattern, in the order found.
    The database is read from the disk cache when one of the same patterns is there."""
    found = patterns_of(packs)
    sources: dict[str, int] = {}
    for pattern in found:
        sources.setdefault(pattern.rx.pattern, len(sources))
    key = "\0".join([str(_REWRITE_VERSION), hyperscan.__version__, str(settings.PLAN_MAX_REPEAT), *sources])
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cached = _read_cache(digest)
    if cached is None:
        expressions = {slot: superset(source) for source, slot in sources.items()}
        usable = {slot: e for slot, e in expressions.items() if e is not None}
        database, refused = _compile(usable) if usable else (None, set(usable))
        dead = {slot for slot, e in expressions.items() if e is None} | refused
        _write_cache(digest, database, dead)
    else:
        database, dead = cached
    if database is None:
        return None
    slots = {id(p): sources[p.rx.pattern] for p in found if sources[p.rx.pattern] not in dead}
    skipped = sorted({p.source for p in found if sources[p.rx.pattern] in dead})
    return Plan(database, slots, packs, skipped)


def _flags() -> int:
    # no HS_FLAG_UCP or CASELESS: the rewriting spells out classes and case itself
    return (
        hyperscan.HS_FLAG_UTF8
        | hyperscan.HS_FLAG_PREFILTER
        | hyperscan.HS_FLAG_SINGLEMATCH
        | hyperscan.HS_FLAG_ALLOWEMPTY
    )


def _database(expressions: dict[int, str]) -> Any:
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(
        expressions=[e.encode() for e in expressions.values()],
        ids=list(expressions),
        elements=len(expressions),
        flags=[_flags()] * len(expressions),
    )
    return db


def _compile(expressions: dict[int, str]) -> tuple[Any, set[int]]:
    """The database of the expressions, leaving out those Hyperscan refuses (found by halving:
    its error does not say which one it was)."""
    try:
        return _database(expressions), set()
    except hyperscan.error:
        pass
    refused: set[int] = set()

    def find(part: dict[int, str]) -> None:
        try:
            _database(part)
        except hyperscan.error:
            if len(part) == 1:
                refused.update(part)
                return
            items = list(part.items())
            find(dict(items[: len(items) // 2]))
            find(dict(items[len(items) // 2 :]))

    find(expressions)
    rest = {k: v for k, v in expressions.items() if k not in refused}
    return (_database(rest) if rest else None), refused


def _cache_file(key: str) -> Path | None:
    return cache_file(f"plan-{key}.hsdb")


def _read_cache(key: str) -> tuple[Any, set[int]] | None:
    path = _cache_file(key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
        head, _, body = data.partition(b"\n")
        dead = {int(x) for x in head.split()}
        return (hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK) if body else None), dead
    except Exception:  # none yet, or from another Hyperscan or CPU: built again
        return None


def _write_cache(key: str, database: Any, dead: set[int]) -> None:
    """Keep the database for the next process; only the newest few are kept (each set of packs
    a user loads, `--rules` folders included, has its own)."""
    path = _cache_file(key)
    if path is None:
        return
    try:
        body = hyperscan.dumpb(database) if database else b""
    except hyperscan.error:
        return
    write(path, " ".join(map(str, sorted(dead))).encode() + b"\n" + body, "plan-*.hsdb")
