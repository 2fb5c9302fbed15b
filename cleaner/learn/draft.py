"""A draft pack from the evidence: its rules as data, written out as TOML.

Every rule says what evidence it came from and is `experimental`. Signatures come only from
lines that are the outlet's own: repeated on most pages, no generic navigation or UI words, no
line a `_common` or `_generic` rule takes for chrome, none seen on the pages given as other
outlets' (`--against`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import regex

from ..packs.model import Pack
from ..settings import (
    LEARN_HEAD_MARGIN,
    LEARN_LABEL_CHARS,
    LEARN_MAX_SIGNATURES,
    LEARN_OPENER_AFTER,
    LEARN_PHRASE_LINE_CHARS,
    LEARN_SHAPE_CHARS,
    LEARN_SIGNATURE_CHARS,
    LEARN_SIGNATURE_SHARE,
    LEARN_TAIL_AFTER,
)
from .evidence import Evidence, date_source, is_generic, month_pattern, names_outlet, outlet_names


@dataclass
class DraftRules:
    """The draft as data: signatures, then rules in the order they run."""

    pack_id: str
    hosts: tuple[str, ...]
    source: str
    pages: int
    signatures: list[tuple[str, int]] = field(default_factory=list)  # (line, weight)
    extract: list[dict[str, Any]] = field(default_factory=list)
    drop: list[dict[str, Any]] = field(default_factory=list)

    def without(self, ids: set[str]) -> DraftRules:
        out = DraftRules(self.pack_id, self.hosts, self.source, self.pages, list(self.signatures))
        out.extract = [r for r in self.extract if r["id"] not in ids]
        out.drop = [r for r in self.drop if r["id"] not in ids and r.get("field") not in _fields_of(ids)]
        return out


def _fields_of(ids: set[str]) -> set[str]:
    return {"title"} if any(i.endswith(".title-above-byline") for i in ids) else set()


def _lit(text: str) -> str:
    return regex.escape(text, special_only=True, literal_spaces=True)


def rules(
    ev: Evidence, pack_id: str, hosts: tuple[str, ...], source: str, bases: list[Pack], against: set[str]
) -> DraftRules:
    d = DraftRules(pack_id, hosts, source, ev.pages)
    d.signatures = signatures(ev, hosts, bases, against)
    head = {"region": "head", "lines": ev.head_depth + LEARN_HEAD_MARGIN}
    evidence = f"on at least {ev.need} of {ev.pages} pages"
    if ev.author_label is not None:  # first: the title is found above the date line, not above this
        d.extract.append(
            {
                "id": f"{pack_id}.author-line",
                "pattern": f"{_lit(ev.author_label)}: (?P<author>[^\\n]{{2,120}})",
                "where": head,
                "consume": True,
                "reason": f"The author's line, `{ev.author_label}: <name>`, {evidence}",
            }
        )
    elif ev.author_words is not None:  # the name up to a comma (a role may follow), no digits
        d.extract.append(
            {
                "id": f"{pack_id}.author-line",
                "pattern": f"{_lit(ev.author_words)} (?P<author>[^,\\n\\d|•·]{{2,80}})(?:, [^\\n\\d]{{2,80}})?",
                "where": head,
                "consume": True,
                "reason": f"The author's line, `{ev.author_words} <name>[, <role>]`, {evidence}",
            }
        )
    if ev.byline is not None:
        byline = ev.byline.pattern()
        parts = [x for x in ("author", "date", "reading_time") if f"(?P<{x}>" in byline]
        d.extract.append(
            {
                "id": f"{pack_id}.byline",
                "pattern": byline,
                "where": head,
                "consume": True,
                "reason": f"The byline ({', '.join(parts).replace('_', ' ')}), in the shape seen on "
                f"{ev.byline.pages} of {ev.pages} pages",
            }
        )
        d.extract.append(
            {
                "id": f"{pack_id}.title-above-byline",
                "pattern": "(?P<title>[^\\n]{8,300})",
                "above": byline,
                "where": head,
                "consume": True,
                "reason": "The headline: the line above the byline",
            }
        )
        d.drop.append(
            {
                "id": f"{pack_id}.above-title",
                "kind": "until",
                "field": "title",
                "reason": "Everything above the headline: navigation, section label, other stories' headlines",
            }
        )
    d.extract.append(
        {
            "id": f"{pack_id}.title",
            "heuristic": "title",
            "where": head,
            "consume": True,
            "reason": "The headline when no byline gives it: the line above a dateline, or matching the URL slug",
        }
    )
    openers = sorted(x for x, n in ev.openers.items() if n >= ev.need and x not in ev.article)
    if openers:  # before the tail template, which would otherwise take the heading alone
        d.drop.append(
            {
                "id": f"{pack_id}.end-marker",
                "kind": "from",
                "start": "|".join(_lit(x) for x in openers),
                "after_fraction": LEARN_OPENER_AFTER,
                "stop_at_paragraph": True,
                "reason": "The heading that opens the related stories, and their headlines up to the next paragraph, "
                + evidence,
            }
        )
    zones = [("head", {"where": head}), ("tail", {"after_fraction": LEARN_TAIL_AFTER}), ("body", {})]
    for zone, where in zones:
        lines = ev.template(zone)
        if lines:
            d.drop.append(
                {
                    "id": f"{pack_id}.template-{zone}",
                    "kind": "exact",
                    "lines": lines,
                    **where,
                    "reason": f"Lines repeated in the {_place(zone)} {evidence}",
                }
            )
        shapes = sorted(ev.shapes[zone])
        if shapes:
            d.drop.append(
                {
                    "id": f"{pack_id}.shape-{zone}",
                    "kind": "line",
                    "pattern": "|".join(shapes),
                    "max_chars": LEARN_SHAPE_CHARS,
                    **where,
                    "reason": f"Lines that differ only in their numbers (a time, a count), in the {_place(zone)} "
                    + evidence,
                }
            )
        labels = sorted(x for x in ev.labels[zone] if x != ev.author_label or zone != "head")
        if labels:
            alt = "|".join(_lit(x) for x in labels)
            d.drop.append(
                {
                    "id": f"{pack_id}.label-{zone}",
                    "kind": "line",
                    "pattern": f"(?:{alt}): [^\\n]{{3,200}}",
                    "max_chars": LEARN_LABEL_CHARS,
                    **where,
                    "reason": f"`Label: ...` lines whose label repeats in the {_place(zone)} {evidence} "
                    "(the rest varies)",
                }
            )
        phrases = sorted(p for p, n in ev.phrases[zone].items() if n >= ev.need)
        if phrases and zone != "body":
            alt = "|".join(_lit(p) for p in phrases)
            d.drop.append(
                {
                    "id": f"{pack_id}.phrase-{zone}",
                    "kind": "line",
                    "contains": alt,
                    "max_chars": LEARN_PHRASE_LINE_CHARS,
                    **where,
                    "reason": f"Lines that differ but share a phrase, in the {_place(zone)} {evidence} "
                    "(a bio, an appeal)",
                }
            )
    return d


# what the `date` def matches, beyond the formats of _common (a comma before the time)
DATE_FORMATS = (
    "%d.%m.%Y, %H:%M",
    "%B %d, %Y, %I:%M %p",
    "%b %d, %Y, %I:%M %p",
    "%d %B %Y, %H:%M",
    "%B %d %Y",
    "%d %B, %Y, %H:%M",
)


def _place(zone: str) -> str:
    return {"head": "head above the article", "tail": "tail below the article", "body": "article, short lines only"}[
        zone
    ]


def signatures(ev: Evidence, hosts: tuple[str, ...], bases: list[Pack], against: set[str]) -> list[tuple[str, int]]:
    """(line, weight): lines specific to the outlet. A line naming it (the words of its host)
    weighs 2 and may be chrome every outlet prints (`© 2024 <Outlet>`); other lines weigh 1 and
    must be neither generic nor taken for chrome by the base packs."""
    need = max(2, LEARN_SIGNATURE_SHARE * ev.pages)
    found = []
    for zone in ("head", "tail"):
        for line in ev.template(zone):
            if ev.lines[zone][line] < need or len(line) < LEARN_SIGNATURE_CHARS or line in against or is_generic(line):
                continue
            naming = names_outlet(line, outlet_names(hosts))
            if naming or not _chrome_anywhere(line, bases):
                found.append((line, 2 if naming else 1))
    found.sort(key=lambda x: (-x[1], -len(x[0])))
    return found[:LEARN_MAX_SIGNATURES]


_VOCABULARY_KINDS = {"line", "from", "between", "span", "block", "until"}


def _chrome_anywhere(line: str, bases: list[Pack]) -> bool:
    """Whether a rule of the base packs takes this line for chrome: then other outlets print it too."""
    framed = f"\n{line}\n"
    for pack in bases:
        for rule in pack.drop:
            if rule.kind not in _VOCABULARY_KINDS:
                continue  # the shapes of runs and the line model take any short line
            for pattern in (rule.pattern, rule.contains, rule.start, rule.line):
                if pattern is not None and pattern.rx.search(framed):
                    return True
    return False


# -- writing -------------------------------------------------------------------------------------
def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return "[\n" + "".join(f"  {_string(x)},\n" for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {_string(x) if isinstance(x, str) else _value(x)}" for k, x in v.items()) + " }"
    text = str(v)
    if "\n" in text or "'" in text:
        return "'''" + text + "'''"
    return "'" + text + "'"


def _string(v: str) -> str:
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(d: DraftRules) -> str:
    out = [
        f"# Drafted by `cleaner learn` from {d.pages} pages in {d.source}. Every rule is experimental:",
        "# read each one, give the pack its real name, add [[tests]], then mark rules stable.",
        "schema = 1",
        f"id = {_string(d.pack_id)}",
        f"name = {_string(d.pack_id)}",
        "version = 1",
        'extends = ["_common"]',
        "",
        "[match]",
        f"hosts = [{', '.join(_string(h) for h in d.hosts)}]",
        "threshold = 2",
    ]
    if sum(w for _l, w in d.signatures) < 2:
        out.append("# no line was the outlet's own, or just one: only the URL picks this pack")
    else:
        for line, weight in d.signatures:
            out += ["[[match.signature]]", f"line = {_value(_lit(line))}", f"weight = {weight}"]
    out += ["", "[defs]", f"month = {_value(month_pattern())}", f"date = {_value(date_source('(?&month)'))}"]
    out += ["", "[fields.date]", "formats = [" + ", ".join(_string(f) for f in DATE_FORMATS) + "]"]
    out += ["", "[guards]", "max_removed_ratio = 0.8", "min_body_chars = 200"]
    for table, rules_ in (("text.extract", d.extract), ("text.drop", d.drop)):
        for rule in rules_:
            out += ["", f"[[{table}]]"]
            out += [
                f"{k} = {_string(v) if k in ('id', 'kind', 'heuristic', 'field', 'reason') else _value(v)}"
                for k, v in rule.items()
            ]
            out.append('status = "experimental"')
    return "\n".join(out) + "\n"
