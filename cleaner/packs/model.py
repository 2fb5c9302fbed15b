"""Rule packs as frozen values, ready to run: every pattern is compiled at load."""

from __future__ import annotations

import dataclasses  # dataclasses.field inside Rule, whose own `field` hides the name
from dataclasses import dataclass, field
from typing import Any

import regex

from .kinds import KINDS


@dataclass(frozen=True)
class Pattern:
    """A whole-line pattern, compiled as `\\n(?:source)(?=\\n)` over newline-framed lines;
    or, when `anywhere`, a pattern searched for inside lines (`contains`, span rules).

    A match may span adjacent lines only when the source names \\n itself; otherwise a match
    that crosses a line break (a negated class like [^.] does) is not a match."""

    rx: regex.Pattern[str]
    source: str
    multiline: bool
    # literals every match contains (packs.literals): when one group is absent, skip the pass
    needs: tuple[tuple[str, ...], ...] = ()
    anywhere: bool = False
    # for a case-insensitive pattern: one of these (each a literal, searched ignoring case)
    folded: tuple[regex.Pattern[str], ...] = ()
    # for a whole-line pattern: the folded starts (packs.literals.heads) one of which every
    # line it matches has, grouped by length; None when any line may match
    heads: tuple[tuple[int, frozenset[str]], ...] | None = None
    # for a case-insensitive pattern with many alternatives: folded strings (packs.literals.fold),
    # one of which the folded page text holds wherever the pattern matches
    lowered: tuple[str, ...] = ()

    def may_match(self, text: str, pos: int = 0, endpos: int | None = None, folded: str | None = None) -> bool:
        end = len(text) if endpos is None else endpos
        if self.lowered and folded is not None:
            for lit in self.lowered:
                if folded.find(lit, pos, end) >= 0:
                    break
            else:
                return False
        for group in self.needs:  # plain loops: this runs for every rule on every page
            for lit in group:
                if text.find(lit, pos, end) >= 0:
                    break
            else:
                return False
        if self.folded:
            for rx in self.folded:
                if rx.search(text, pos, end) is not None:
                    return True
            return False
        return True


@dataclass(frozen=True)
class Where:
    """Where a rule may fire: a region of the kept lines, and a window of the page by characters."""

    region: str = "all"  # head | tail | all
    lines: int | None = None  # size of the head/tail region, in kept non-blank lines
    after_fraction: float = 0.0  # the match starts after this share of the page's characters
    before_fraction: float = 1.0


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str  # "extract" or a drop kind
    pack: str
    where: Where = Where()
    reason: str = ""
    status: str = "stable"
    aliases: tuple[str, ...] = ()  # former ids, which `disable` and pack tests still accept
    # patterns (whole-line, multi-line when they contain \n)
    pattern: Pattern | None = None
    start: Pattern | None = None
    end: Pattern | None = None
    line: Pattern | None = None
    above: Pattern | None = None
    after: Pattern | None = None
    # other options: a drop rule gets each from its kind's schema (packs/kinds.py), set or default
    field: str | None = None
    consume: bool = False
    set: tuple[tuple[str, str], ...] = ()
    inclusive: bool = False
    min_lines: int = 1
    max_lines: int | None = None
    max_chars: int = 120
    min_run: int = 0
    anchor: str = "any"
    min_chars: int = 50
    stop_at_paragraph: bool = False
    prose_above: int = 0
    max_gap: int = 12
    min_head: int = 3
    min_tail: int = 2
    heuristic: str | None = None
    model: str | None = None  # `article` rules: the path of the line model
    contains: Pattern | None = None  # `line` rules: a line holding this (anywhere) goes
    lines: frozenset[str] = frozenset()  # `exact` rules: lines that go as they are
    # the pattern without whose match the rule does nothing (set from the kind): a page where
    # it cannot match skips the rule
    trigger: Pattern | None = dataclasses.field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "trigger", self._trigger())

    def _trigger(self) -> Pattern | None:
        if self.kind == "extract":
            return None if self.heuristic else (self.above or self.after or self.pattern)
        kind = KINDS.get(self.kind)
        found = (getattr(self, k) for k in (kind.trigger if kind else ()))
        return next((p for p in found if p is not None), None)


@dataclass(frozen=True)
class Signature:
    kind: str  # line | text | html
    line: Pattern | None
    text: Pattern | None  # searched anywhere in the page (compiled as written, not framed)
    selector: str | None
    where: Where
    weight: float


@dataclass(frozen=True)
class FieldSpec:
    formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class HtmlSpec:
    body: tuple[str, ...] = ()
    strip: tuple[str, ...] = ()
    outside: tuple[str, ...] = ()  # never the article: their text does not place the main block
    fields: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...] = ()
    guess: tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...] = ()  # after JSON-LD and meta tags
    extracted: str | None = None  # the pack whose rules run when the extractor found the article


@dataclass(frozen=True)
class PackTest:
    name: str
    text: str
    url: str | None = None
    select: bool = True
    expect: tuple[tuple[str, Any], ...] = ()
    must_contain: tuple[str, ...] = ()
    must_not_contain: tuple[str, ...] = ()
    fired: tuple[str, ...] = ()
    not_fired: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pack:
    id: str
    name: str
    version: int
    path: str
    language: str | None = None
    extends: tuple[str, ...] = ()
    disable: frozenset[str] = frozenset()  # inherited rule ids this pack does not run
    hosts: tuple[str, ...] = ()
    threshold: float = 1.0
    signatures: tuple[Signature, ...] = ()
    extract: tuple[Rule, ...] = ()
    drop: tuple[Rule, ...] = ()
    fields: tuple[tuple[str, FieldSpec], ...] = ()
    # the guards the pack sets; the loader fills the two below from them, else from its bases
    guards: tuple[tuple[str, float], ...] = ()
    max_removed_ratio: float = 0.6
    min_body_chars: int = 200
    # the pack's defs, its bases' included (a pack extending it inherits them)
    defs: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)
    html: HtmlSpec = HtmlSpec()
    tests: tuple[PackTest, ...] = ()
    # the resolved chain, this pack first then its bases (filled by the loader)
    chain: tuple[Pack, ...] = field(default=(), repr=False, compare=False)

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def prefix(self) -> str:
        """The prefix of the pack's rule ids (`ki` for `ki.byline`), for rules the engine adds."""
        rules = self.rules()
        return rules[0].id.split(".", 1)[0] if rules else self.id.strip("_")

    @property
    def is_base(self) -> bool:
        return self.id.startswith("_")

    def rules(self) -> tuple[Rule, ...]:
        return self.extract + self.drop

    def field_formats(self, name: str) -> tuple[str, ...]:
        out: list[str] = []
        for pack in self.chain or (self,):
            out.extend(fmt for key, spec in pack.fields if key == name for fmt in spec.formats)
        return tuple(out)
