"""What one outlet's pages share: the evidence a draft pack is written from.

Every page is cut into three zones around its article (the main run of paragraphs, as the
text fallback finds it): the head above it, the body, the tail below it. What repeats in the
head and tail, on enough pages, is template; what varies is learned as a shape (a byline, a
`Label: ...` line, a phrase shared by lines that differ) rather than as the lines themselves.
A line that is article-like on any page (a paragraph inside its article) is never evidence."""

from __future__ import annotations

import math
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ..packs.loader import builtin_rules_dir
from ..settings import (
    ARTICLE_MAX_GAP,
    ARTICLE_MIN_CHARS,
    LEARN_BYLINE_CHARS,
    LEARN_EDGE_LINES,
    LEARN_HEADLINE_WORDS,
    LEARN_OPENER_CHARS,
    LEARN_OPENER_LOOK,
    LEARN_PHRASE_LINE_CHARS,
    LEARN_PHRASE_WORDS,
    LEARN_SHARE,
)
from ..text.lines import ends_sentence, is_paragraph, main_cluster

_SEPARATORS = regex.compile(r"\s*(?:[|•·/,]|\s[-–—]\s)\s*")
_LABEL = regex.compile(r"([^\W\d][\w’' ]{1,24}): \S.{2,200}")
_DIGITS = regex.compile(r"\d+")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, list[str]]:
    with open(builtin_rules_dir() / "lang" / "learn.toml", "rb") as fh:
        return tomllib.load(fh)


def month_pattern() -> str:
    return "(?:" + "|".join(sorted(vocabulary()["months"], key=len, reverse=True)) + r")\.?"


@lru_cache(maxsize=1)
def date_rx() -> regex.Pattern[str]:
    """The dates a byline prints: `May 24, 2023`, `24 May 2023`, `24.05.2023`, `2023-05-24`, with
    an optional time (`11:41 AM`, `3:12 p.m.`, `17:09`)."""
    return regex.compile(date_source(month_pattern()))


def date_source(month: str) -> str:
    """The date pattern, with `month` for the month names (a pattern or a def call)."""
    day = (
        rf"(?:{month} \d{{1,2}},? \d{{4}}|\d{{1,2}} {month},? "
        rf"\d{{4}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    )
    return day + r"(?:,? \d{1,2}:\d{2}(?: ?[AaPp]\.?[Mm]\.?)?)?"


def digit_shape(line: str) -> str:
    """A line as a pattern with its numbers generalised: `Comments (12)` -> `Comments \\(\\d+\\)`."""
    parts = _DIGITS.split(line)
    return r"\d+".join(regex.escape(p, special_only=True, literal_spaces=True) for p in parts)


def names_outlet(line: str, names: tuple[str, ...]) -> bool:
    squashed = regex.sub(r"\W", "", line.lower())
    return any(n and n in squashed for n in names)


def outlet_names(hosts: tuple[str, ...]) -> tuple[str, ...]:
    """The outlet's name as its host spells it: `harbourpost` for www.harbourpost.com."""
    return tuple(regex.sub(r"\W", "", h.split(".")[-2] if h.count(".") else h).lower() for h in hosts)


def is_headline(line: str) -> bool:
    """A story's headline: a title-like line of several words that ends like no sentence.
    Other stories' headlines repeat across pages saved on one day; they are never template."""
    if len(_SEPARATORS.split(line)) > 1 or ends_sentence(line):
        return False
    return len(line.split()) >= LEARN_HEADLINE_WORDS and line[:1].isupper()


def is_generic(line: str) -> bool:
    """A line every outlet prints: all its parts are navigation or UI words."""
    generic = set(vocabulary()["generic"])
    parts = [p.strip(" .:!").lower() for p in _SEPARATORS.split(line)]
    return all(not p or p in generic for p in parts)


@dataclass
class Sample:
    """One page as learn sees it: its non-empty lines and where its article lies among them."""

    rel: str
    lines: list[str]
    span: tuple[int, int] | None = None

    def zone(self, k: int) -> str:
        if self.span is None:
            return "head"
        first, last = self.span
        return "head" if k < first else "tail" if k > last else "body"

    def zoned(self) -> dict[str, list[str]]:
        """Each zone's lines, each line once (where it is first seen)."""
        out: dict[str, list[str]] = {"head": [], "body": [], "tail": []}
        seen: set[str] = set()
        for k, line in enumerate(self.lines):
            if line not in seen:
                seen.add(line)
                out[self.zone(k)].append(line)
        return out

    def find_span(self, template: set[str]) -> None:
        """The article: the main run of paragraphs among the lines that are not template (a
        sentence every page repeats, such as an appeal, is no article's)."""
        own = [k for k, x in enumerate(self.lines) if x not in template]
        found = main_cluster([self.lines[k] for k in own], ARTICLE_MIN_CHARS, ARTICLE_MAX_GAP)
        self.span = None if found is None else (own[found[0]], own[found[1]])


def sample(rel: str, lines: list[str]) -> Sample:
    return Sample(rel, [x for x in lines if x])


@dataclass
class Byline:
    """A learned byline shape: literal words before the author, whether an author stands
    between them and the date, and what follows the date (digits generalised)."""

    lead: tuple[str, ...]
    author: bool
    sep: tuple[str, ...]
    suffix: str
    pages: int

    def pattern(self) -> str:
        head = " ".join(regex.escape(w) for w in self.lead)
        if self.author:
            head = (head + " " if head else "") + r"(?P<author>[^\n]{2,120}?)"
        if self.sep:
            head += " " + " ".join(regex.escape(w) for w in self.sep)
        out = (head + " " if head else "") + "(?P<date>(?&date))"
        return out + self.suffix


@dataclass
class Evidence:
    pages: int
    need: int  # pages a template line must be seen on
    lines: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # zone -> line -> pages
    article: set[str] = field(default_factory=set)  # article-like lines of any page
    labels: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # zone -> label -> pages
    author_label: str | None = None  # `Author: <name>` in the head
    author_words: str | None = None  # `Written by <name>[, <role>]` in the head
    phrases: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # zone -> phrase -> pages
    shapes: dict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )  # zone -> digit shape -> pages
    openers: Counter[str] = field(default_factory=Counter)  # headings over a list of headlines
    byline: Byline | None = None
    head_depth: int = 1

    names: tuple[str, ...] = ()  # the outlet's names (its host's words)

    def template(self, zone: str) -> list[str]:
        """Lines of a zone repeated on enough pages, never article-like, never a headline
        (unless it names the outlet: `Listen to the <Outlet> podcast`)."""
        return sorted(
            x
            for x, n in self.lines[zone].items()
            if n >= self.need and x not in self.article and (not is_headline(x) or names_outlet(x, self.names))
        )


def gather(samples: list[Sample], names: tuple[str, ...] = ()) -> Evidence:
    """The evidence of the pages; `names` are the outlet's names (its host's words), which let
    a line at the article's very end count as the outlet's (a bio, an appeal naming it)."""
    ev = Evidence(pages=len(samples), need=max(2, math.ceil(LEARN_SHARE * len(samples))), names=names)
    seen: Counter[str] = Counter()
    for s in samples:
        seen.update(set(s.lines))
    repeated = {x for x, n in seen.items() if n >= ev.need}
    for s in samples:
        s.find_span(repeated)
    phrased = _learn_phrases(ev, samples, repeated, names)
    for s in samples:  # again, now that the lines sharing a template phrase are known
        s.find_span(repeated | phrased)
        if s.span is None:
            continue
        zones = s.zoned()
        ev.article.update(
            x for x in zones["body"] if is_paragraph(x, ARTICLE_MIN_CHARS) and x not in repeated and x not in phrased
        )
        ev.head_depth = max(ev.head_depth, s.span[0])
        for zone, lines in zones.items():
            ev.lines[zone].update(lines)
            ev.labels[zone].update(
                {m.group(1) for x in lines if not is_paragraph(x, ARTICLE_MIN_CHARS) and (m := _LABEL.fullmatch(x))}
            )
        ev.openers.update(_openers(s))
        for zone in ("head", "tail"):
            ev.shapes[zone].update(
                {
                    digit_shape(x)
                    for x in zones[zone]
                    if _DIGITS.search(x) and not is_paragraph(x, ARTICLE_MIN_CHARS) and not date_rx().search(x)
                }
            )
    variants: dict[str, set[str]] = defaultdict(set)
    for s in samples:
        for x in s.lines:
            if _DIGITS.search(x):
                variants[digit_shape(x)].add(x)
    for zone in ev.shapes:  # a shape is template when its lines differ; one line is learned as it is
        ev.shapes[zone] = Counter(
            {
                k: n
                for k, n in ev.shapes[zone].items()
                if n >= ev.need and len(variants[k]) > 1 and not any(regex.fullmatch(k, a) for a in ev.article)
            }
        )
    ev.byline = _learn_byline(ev, samples)
    authors = {w.lower() for w in vocabulary()["author_labels"]}
    ev.author_label = next(
        (k for k, _n in ev.labels["head"].most_common() if k.lower() in authors and _n >= ev.need), None
    )
    if ev.author_label is None:  # `Written by <name>, <role>`: the label with no colon
        ev.author_words = _learn_author_words(ev, samples)
    # a label that opens an article line anywhere is the article's own ("Zelensky: ...")
    for zone in ev.labels:
        ev.labels[zone] = Counter(
            {
                k: n
                for k, n in ev.labels[zone].items()
                if n >= ev.need and not any(a.startswith(k + ": ") for a in ev.article)
            }
        )
    return ev


@lru_cache(maxsize=1)
def _opener_words() -> regex.Pattern[str]:
    words = "|".join(regex.escape(w) for w in vocabulary()["openers"])
    return regex.compile(rf"(?i:{words})\b.{{0,{LEARN_OPENER_CHARS}}}")


def _openers(s: Sample) -> set[str]:
    """Short tail lines that open the related-stories part: a heading with two headlines among
    the four lines under it (`Most read`), or one of the usual headings (`Related stories:`)."""
    assert s.span is not None
    tail = s.lines[s.span[1] + 1 :]
    out = set()
    for k, line in enumerate(tail):
        if len(line) > LEARN_OPENER_CHARS or is_headline(line) or ends_sentence(line):
            continue
        under = tail[k + 1 : k + 1 + LEARN_OPENER_LOOK]  # headlines, maybe each with its time or date line
        if sum(map(is_headline, under)) >= 2 or _opener_words().fullmatch(line):
            out.add(line)
    return out


def _learn_phrases(ev: Evidence, samples: list[Sample], repeated: set[str], names: tuple[str, ...]) -> set[str]:
    """Word runs that lines at the page's edges (the head, the tail, and the article's last
    lines when they name the outlet) share on enough pages while the lines differ (`<Name> is a
    reporter at <Outlet> covering <beat>`): each shared run becomes a phrase of its zone.
    Articles end alike too (`... did not respond to a request for comment.`), so a line of the
    article's own end counts only when it names the outlet. Returns the lines holding one."""
    n = LEARN_PHRASE_WORDS
    grams: Counter[tuple[str, ...]] = Counter()
    edges: list[tuple[str, str, list[str], int]] = []  # (zone, line, words, page)
    middle: list[str] = []  # lines no phrase may come from
    for number, s in enumerate(samples):
        if s.span is None:
            continue
        first, last = s.span
        page: set[tuple[str, ...]] = set()
        for k, x in enumerate(s.lines):
            zone = (
                "head"
                if k < first
                else "tail"
                if k > last or (k > last - LEARN_EDGE_LINES and names_outlet(x, names))
                else "body"
            )
            if zone == "body":
                middle.append(x)
                continue
            if (
                x in repeated
                or len(x) > LEARN_PHRASE_LINE_CHARS
                or date_rx().search(x)
                or is_headline(x)
                or _LABEL.fullmatch(x)
            ):
                continue  # exact lines, bylines, headlines and labels are learned as such
            words = x.split()
            edges.append((zone, x, words, number))
            page.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
        grams.update(page)
    inside = "\n".join(middle)
    runs: dict[str, set[str]] = defaultdict(set)  # zone -> maximal shared runs of its lines
    for zone, _line, words, _n in edges:
        shared = [i for i in range(len(words) - n + 1) if grams[tuple(words[i : i + n])] >= ev.need]
        run: list[int] = []
        for i in [*shared, None]:
            if run and (i is None or i != run[-1] + 1):
                phrase = " ".join(words[run[0] : run[-1] + n])
                if phrase not in inside:
                    runs[zone].add(phrase)
                run = []
            if i is not None:
                run.append(i)
    # a run is a phrase when lines of enough pages hold it; the shortest such runs are kept
    # (`... covering local news.` and `... covering sport news.` share `... covering`)
    holders = set()
    for zone, found in runs.items():
        lines = [(number, line) for z, line, _w, number in edges if z == zone]
        support = {p: {number for number, line in lines if p in line} for p in found}
        kept = sorted((p for p in found if len(support[p]) >= ev.need), key=len)
        for p in kept:
            if not any(q in p for q in ev.phrases[zone]):
                ev.phrases[zone][p] = len(support[p])
        holders.update(line for _k, line in lines if any(p in line for p in ev.phrases[zone]))
    return holders


def _learn_author_words(ev: Evidence, samples: list[Sample]) -> str | None:
    """The author label that opens an undated head line without a colon, on enough pages."""
    labels = sorted(vocabulary()["author_labels"], key=len, reverse=True)
    seen: Counter[str] = Counter()
    for s in samples:
        if s.span is None:
            continue
        found: set[str] = set()
        for line in s.lines[: s.span[0]]:
            if date_rx().search(line):
                continue  # a dated line is a byline, learned as one
            label = next(
                (w for w in labels if line.startswith(w + " ") and line[len(w) + 1 : len(w) + 2].isupper()), None
            )
            if label is not None:
                found.add(label)
        seen.update(found)
    return next((w for w, n in seen.most_common() if n >= ev.need), None)


def _learn_byline(ev: Evidence, samples: list[Sample]) -> Byline | None:
    """The most common shape of the dated line above each article."""
    shapes: Counter[tuple[tuple[str, ...], tuple[str, ...], str]] = Counter()
    authors: Counter[tuple[tuple[str, ...], tuple[str, ...], str]] = Counter()
    for s in samples:
        if s.span is None:
            continue
        for line in s.lines[: s.span[0]]:
            m = date_rx().search(line)
            if m is None or len(line) > LEARN_BYLINE_CHARS:
                continue
            before, after = line[: m.start()].split(), line[m.end() :]
            lead = tuple(w for w in before[:1] if w.islower() or w in vocabulary()["byline_leads"])
            sep = tuple(before[-1:]) if len(before) > len(lead) and not before[-1][:1].isalnum() else ()
            middle = before[len(lead) : len(before) - len(sep)]
            key = (lead, sep, _suffix(after))
            shapes[key] += 1
            authors[key] += bool(middle)
            break
    if not shapes:
        return None
    key, pages = shapes.most_common(1)[0]
    if pages < ev.need:
        return None
    lead, sep, suffix = key
    return Byline(lead, authors[key] * 2 >= pages, sep, suffix, pages)


def _suffix(after: str) -> str:
    """What follows a byline's date, as a pattern: digits generalised, a reading time named."""
    out, at = [], 0
    words = "|".join(regex.escape(w) for w in sorted(vocabulary()["reading_time"], key=len, reverse=True))
    for m in regex.finditer(rf"(\d+)(?= (?:{words})\b)|\d+", after):
        out.append(regex.escape(after[at : m.start()], literal_spaces=True))
        out.append(r"(?P<reading_time>\d+)" if m.group(1) and "reading_time" not in "".join(out) else r"\d+")
        at = m.end()
    out.append(regex.escape(after[at:], literal_spaces=True))
    return "".join(out)
