"""Checks for a pack's embedded [[tests]] and the invariants every cleaning keeps.

Used by `cleaner packs test` and by pytest, so both report the same failures."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..document import Document
from ..normalize import normalize_lines
from ..packs.model import Pack, PackTest

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class CaseResult:
    pack: str
    case: str
    problems: tuple[str, ...]
    fired: frozenset[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def run_case(pack: Pack, case: PackTest, rules_dirs: tuple[str, ...] = ()) -> CaseResult:
    from ..pipeline import Options, run

    opts = Options(rules_dirs=rules_dirs)
    forced = None if case.select and not pack.is_base else pack.id  # bases are never detected
    outcome = run(case.text, url=case.url, pack=forced, options=opts)
    doc = outcome.document
    problems: list[str] = []
    expected_pack = dict(case.expect).get("pack")  # a page of another outlet names the pack it gets
    if expected_pack is None and outcome.pack.id != pack.id:
        problems.append(f"page chose pack {doc.pack} ({doc.pack_reason}), not {pack.label}")
    values = doc.to_dict()
    for key, want in case.expect:
        if values.get(key) != want:
            problems.append(f"{key}: expected {want!r}, got {values.get(key)!r}")
    for s in case.must_contain:
        if s not in doc.text:
            problems.append(f"body lost {s!r}")
    for s in case.must_not_contain:
        if s in doc.text:
            problems.append(f"body still has {s!r}")
    rules = [r for p in (*(pack.chain or (pack,)), *(outcome.pack.chain or (outcome.pack,))) for r in p.rules()]
    named = {name: r.id for r in rules for name in (r.id, *r.aliases)}  # an alias names its rule
    problems += [
        f"fired/not_fired names {r}, which is no rule of {pack.label}"
        for r in (*case.fired, *case.not_fired)
        if r not in named
    ]
    for rule in case.fired:
        if named.get(rule, rule) not in outcome.page.fired:
            problems.append(f"rule {rule} did not fire")
    for rule in case.not_fired:
        if named.get(rule, rule) in outcome.page.fired:
            problems.append(f"rule {rule} fired, and must not on this page")
    problems += invariant_problems(case.text, doc, pack=outcome.pack.id, rules_dirs=rules_dirs)
    return CaseResult(pack.id, case.name, tuple(problems), frozenset(outcome.page.fired))


def invariant_problems(data: str | bytes, doc: Document, *, pack: str, rules_dirs: tuple[str, ...] = ()) -> list[str]:
    """Deletion-only, attributed and idempotent, judged from the Document alone. Idempotent means
    with the same pack: the output of an outlet's page no longer carries the outlet's
    signatures, so a second automatic pass may rightly pick `_generic` instead."""
    from ..decode import decode

    if doc.format == "html":  # the input is markup, not lines: only the second pass is judged
        return _second_pass_problems(doc, pack, rules_dirs)
    text = decode(data).text if isinstance(data, bytes) else data
    lines = normalize_lines(text)
    source = "\n".join(lines)
    problems = [
        f"output line not in the input: {p[:60]!r}"
        for p in doc.text.split("\n\n")
        if p.strip() and p.strip() not in source and not any(_deleted_from(p.strip(), x) for x in lines)
    ]
    before = Counter(_WORD.findall(source))
    after = Counter(_WORD.findall(doc.text)) + Counter(w for r in doc.removed for w in _WORD.findall(r.text))
    if before != after:
        lost = list((before - after).elements())[:5]
        extra = list((after - before).elements())[:5]
        problems.append(f"words not accounted for by output + removed: lost {lost}, extra {extra}")
    problems += _removal_problems(lines, doc)
    return problems + _second_pass_problems(doc, pack, rules_dirs)


def _second_pass_problems(doc: Document, pack: str, rules_dirs: tuple[str, ...]) -> list[str]:
    """Idempotent: a second pass with the same pack removes nothing."""
    from ..pipeline import Options, clean

    problems: list[str] = []
    opts = Options(rules_dirs=rules_dirs)
    if doc.text:
        again = clean(doc.text, pack=pack, options=opts)
        if again.text != doc.text:
            problems.append(f"not idempotent with pack {pack}: a second pass removed {[r.rule for r in again.removed]}")
        auto = clean(doc.text, options=opts)
        if auto.pack.split("@")[0] == pack and auto.text != doc.text:
            problems.append(f"not idempotent on re-detection ({auto.pack}): removed {[r.rule for r in auto.removed]}")
    return problems


def _removal_problems(lines: list[str], doc: Document) -> list[str]:
    """Every Removal points at the input lines whose text it holds, and the output is exactly
    the input's lines minus the removals: a line removed whole is gone, a line cut holds the
    rest, every other line is there as it was, in order."""
    problems, whole, cut = [], set(), set()
    for r in doc.removed:
        a, b = r.lines
        span = [x for x in lines[a - 1 : b] if x]
        pieces = r.text.split("\n")
        if not (1 <= a <= b <= len(lines)):
            problems.append(f"{r.rule}: lines {a}-{b} are not lines of the input")
        elif pieces == span or (len(span) > len(pieces) and _subsequence(pieces, span)):
            whole.update(i for i in range(a - 1, b) if lines[i] in pieces)
        elif a == b and all(p in lines[a - 1] for p in r.text.split(" ") if p):
            cut.add(a - 1)
        else:
            problems.append(f"{r.rule}: its text is not what lines {a}-{b} hold: {r.text[:60]!r}")
    for i in cut - whole:  # a line cut, then its rest removed too, is gone
        rest = Counter(_WORD.findall(lines[i])) - Counter(
            w for r in doc.removed if r.lines == (i + 1, i + 1) for w in _WORD.findall(r.text)
        )
        if not rest:
            whole.add(i)
    left = [(i, x) for i, x in enumerate(lines) if x and i not in whole]
    out = [x for x in doc.text.split("\n") if x]
    if len(out) != len(left):
        return [*problems, f"the output has {len(out)} lines, the input minus the removals {len(left)}"]
    for (i, want), got in zip(left, out, strict=True):
        if got != want and not (i in cut and _deleted_from(got, want)):
            problems.append(f"output line {got[:60]!r} is not input line {i + 1} minus its removals")
            break
    return problems


def _subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(x in it for x in short)


def _deleted_from(out: str, line: str) -> bool:
    """Whether `out` is `line` with some characters deleted (inline chrome cut out)."""
    it = iter(line)
    return len(out) <= len(line) and all(ch in it for ch in out)


def stable_rules_not_fired(pack: Pack, fired: set[str]) -> list[str]:
    return [r.id for r in pack.rules() if r.status == "stable" and r.id not in fired]
