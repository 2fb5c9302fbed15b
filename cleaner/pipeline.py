"""decode -> sniff -> normalize -> choose pack -> extract -> drop -> guards -> Document."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import settings
from .decode import decode
from .document import Document, Reason, Removal
from .errors import BadArgument, InputError
from .fields import parse_date, split_list, to_int
from .html.extract import ALL_TEXT
from .normalize import join_paragraphs, normalize_lines
from .packs.loader import load_packs
from .packs.match import GENERIC, choose, hostname
from .packs.model import Pack
from .packs.plan import plan_for
from .sources import unpack
from .text.drops import DROP_KINDS
from .text.extract import run_extract
from .text.language import detect, normalise
from .text.page import Page
from .text.template import apply as apply_template
from .text.template import group_of, lookup


@dataclass(frozen=True)
class Options:
    """Everything that tunes a run, passed as one value (not loose keyword arguments)."""

    rules_dirs: tuple[str, ...] = ()
    timeout: float = settings.REGEX_TIMEOUT  # per regex call; a pattern over it is skipped for that page
    max_bytes: int = settings.MAX_PAGE_BYTES
    # site template found across a batch (template.py): group -> repeated lines
    templates: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class Outcome:
    """A Document plus what `packs test` and `explain` need: the page state (its removals,
    cuts and the rules that fired) and the pack that ran."""

    document: Document
    page: Page
    pack: Pack
    guarded: str | None = None  # the pack whose guard fired (pack_reason "guard"), if one did


def clean(
    data: str | bytes,
    *,
    url: str | None = None,
    format: str = "auto",
    pack: str | None = None,
    source: str | None = None,
    options: Options | None = None,
) -> Document:
    """Clean one page (a text dump or HTML, as str or bytes) and return its Document."""
    return run(data, url=url, format=format, pack=pack, source=source, options=options).document


@dataclass
class Prepared:
    """A page up to the rules: read, its kind told, its HTML extracted, its lines normalized,
    its pack chosen. `run()` goes on from here; a batch's template count stops here."""

    packs: Mapping[str, Pack]
    url: str | None  # as given, else the one an HTML page declares (canonical, og:url)
    kind: str  # "text" or "html"
    encoding: str | None
    encoding_reason: str | None
    warnings: list[str]
    html: Any  # the HTML extraction (html/extract.py), or None for a text page
    page: Page
    pack: Pack
    reason: Reason


def prepare(
    data: str | bytes,
    *,
    url: str | None = None,
    format: str = "auto",
    pack: str | None = None,
    source: str | None = None,
    options: Options | None = None,
    text_only: bool = False,
) -> Prepared | None:
    """The first half of a page's cleaning, up to the rules; with `text_only`, None for an
    HTML page (before its markup is parsed)."""
    opts = options or Options()
    packs = load_packs(*opts.rules_dirs)
    hostname(url)  # a URL that does not parse fails here, before any work
    text, encoding, how, warnings = read(data, format, opts, source)
    kind = sniff(text) if format == "auto" else format
    if kind == "html" and text_only:
        return None
    html = chosen = reason = None
    if kind == "html":
        from .html.extract import extract, parse_shallow, without_markup
        from .html.fields import page_url

        tree = parse_shallow(text, settings.MAX_HTML_DEPTH)  # the parser's time grows with depth squared
        if tree is None:
            warnings.append(
                f"HTML nested over {settings.MAX_HTML_DEPTH} elements deep: read as text without its markup"
            )
            text = without_markup(text)
        else:
            url = url or page_url(tree)  # the host it names picks the pack, as a given URL does
            visible = tree.body.text(separator="\n") if tree.body is not None else ""
            chosen, reason = choose(
                packs, visible, url, pack, css_found=lambda css: tree.css_first(css) is not None, warnings=warnings
            )
            html = extract(tree, chosen, url, size=len(text))
            text = html.text
    page = Page(normalize_lines(text), opts.timeout, url, plan_for(packs))
    if chosen is None or reason is None:
        chosen, reason = choose(packs, page.text, url, pack, page.found, warnings=warnings, hits=page.hits)
    return Prepared(packs, url, kind, encoding, how, warnings, html, page, chosen, reason)


def run(
    data: str | bytes,
    *,
    url: str | None = None,
    format: str = "auto",
    pack: str | None = None,
    source: str | None = None,
    options: Options | None = None,
) -> Outcome:
    opts = options or Options()
    p = prepare(data, url=url, format=format, pack=pack, source=source, options=opts)
    assert p is not None
    html, first = p.html, p.pack
    page, chosen, reason, guard_warnings = apply_rules(p.packs, p.page, p.pack, p.reason, html, opts)
    doc = build_document(
        page,
        chosen,
        reason,
        url=p.url,
        source=source,
        encoding=p.encoding,
        encoding_reason=p.encoding_reason,
        format=p.kind,
        removed=html.removals if html else [],
        warnings=p.warnings + guard_warnings + (html.warnings if html else []) + page.warnings,
    )
    return Outcome(doc, page, chosen, first.label if reason == Reason.GUARD else None)


# control characters never in text (a str holding bytes), as bytes: in UTF-8 an ASCII character
# is its own byte and no other character's bytes are ASCII, so they are counted on the encoding
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _controls(text: str) -> int:
    """How many control characters the text holds (bytes.translate: three times faster than a
    regex's findall)."""
    raw = text.encode("utf-8", "surrogatepass")
    return len(raw) - len(raw.translate(None, _CONTROL_BYTES))


def _writes_as_utf8(text: str) -> bool:
    """Whether the text holds no lone surrogate: the codec's C loop finds one five times faster
    than a regex search of the page."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read(
    data: str | bytes, format: str, opts: Options, source: str | None
) -> tuple[str, str | None, str | None, list[str]]:
    """The page as text, with its encoding, how it was decided (None for str input) and the
    warnings of reading it. Compressed bytes are unpacked (judged by their magic bytes)."""
    if format not in ("auto", "text", "html"):
        raise BadArgument(f"format must be auto, text or html, not {format!r}")
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, (str, bytes)):
        raise BadArgument(f"a page is str or bytes, not {type(data).__name__}", source)
    if len(data) > opts.max_bytes:
        raise InputError(
            f"page is {len(data) // 1_000_000} MB, over the {opts.max_bytes // 1_000_000} MB limit; "
            "split it or raise max_bytes",
            source,
            "too_large",
        )
    warnings: list[str] = []
    if isinstance(data, bytes):
        data = unpack(data, source, opts.max_bytes)
        if data.startswith(b"WARC/"):
            raise InputError(
                "a WARC file holds many pages; name it .warc or .warc.gz in a folder, or clean it on its own (clean "
                "crawl.warc.gz)",
                source,
                "warc",
            )
        text, encoding, how, found = decode(data, source)
        warnings.extend(found)
    else:
        text, encoding, how = data, None, None
        head = text[: settings.SNIFF_BYTES]
        if _controls(head) > max(2, len(head) * settings.BINARY_SHARE):
            raise InputError("binary data (control characters), not a text dump or HTML page", source, "binary")
        if not text.isascii() and not _writes_as_utf8(text):  # lone surrogates cannot be written as UTF-8
            text = _SURROGATE.sub("\ufffd", text)
            warnings.append("lone surrogate code points replaced with U+FFFD")
    if not text.strip():
        raise InputError("empty page: nothing to clean", source, "empty")
    return text, encoding, how, warnings


def apply_rules(
    packs: dict[str, Pack], page: Page, chosen: Pack, reason: Reason, html: Any, opts: Options
) -> tuple[Page, Pack, Reason, list[str]]:
    """Run the pack on the page; when a guard fires, run `_generic` on a fresh page instead."""
    host = hostname(page.url)

    def attempt(pack: Pack, page: Page) -> Page:
        if html is not None:
            for name, value in html.fields.items():
                page.set_field(name, value, None, -1)  # structured metadata beats text heuristics
        # When an extractor found the article it did the frame's work: a pack may name the pack
        # to run then instead (`_generic`'s `[html] extracted = "_common"`: vocabulary, no frame)
        extracted = html is not None and html.extractor != ALL_TEXT
        rules = packs[pack.html.extracted] if extracted and pack.html.extracted else pack
        run_pack(rules, page, lookup(opts.templates, pack.id, host))
        return page

    attempt(chosen, page)
    if chosen.is_base or not (problem := guard_problem(chosen, page)):
        return page, chosen, reason, []
    warning = f"pack {chosen.label} {problem}; fell back to {GENERIC}"
    generic = packs[GENERIC]
    return attempt(generic, Page(page.original, opts.timeout, page.url, page.plan)), generic, Reason.GUARD, [warning]


def sniff(text: str) -> str:
    """HTML if it looks like markup: a doctype or html/body tag near the start, or many tags."""
    head = text[:4096]
    if "<" not in head:  # most text dumps: no markup at all
        return "text"
    head = head.lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<head" in head:
        return "html"
    return "html" if head.count("</") >= 8 and head.count("<") > len(head) / 200 else "text"


def run_pack(pack: Pack, page: Page, template: frozenset[str] = frozenset()) -> None:
    chain = pack.chain or (pack,)
    absent = page.absent  # a rule whose trigger cannot match here does nothing: skipped
    off = frozenset().union(*(p.disable for p in chain))
    for depth in range(len(chain) - 1, -1, -1):  # bases first; the pack's own values win
        for rule in chain[depth].extract:
            if rule.id not in off and (rule.trigger is None or not absent(rule.trigger)):
                run_extract(rule, page, depth)
    for member in chain:  # the pack's own drops first, then its bases'
        for rule in member.drop:
            if rule.id not in off and (rule.trigger is None or not absent(rule.trigger)):
                DROP_KINDS[rule.kind](rule, page)
    if template:
        apply_template(page, template)


def page_group(
    data: str | bytes, url: str | None, pack: str | None, opts: Options, format: str = "auto"
) -> tuple[str, list[str]] | None:
    """The template group of a text page (its host, or the pack it would get) and its lines,
    for the counting pass of a batch; None for HTML, whose markup lines never reach the text
    rules (its selectors and the extractor deal with its template)."""
    p = prepare(data, url=url, format=format, pack=pack, options=opts, text_only=True)
    return None if p is None else (group_of(p.pack.id, hostname(url)), p.page.original)


def guard_problem(pack: Pack, page: Page) -> str | None:
    total = sum(map(len, page.original))
    kept = page.kept_chars()
    if total and (total - kept) / total > pack.max_removed_ratio:
        return f"removed {100 * (total - kept) / total:.0f}% of the page (max_removed_ratio {pack.max_removed_ratio})"
    if kept < min(pack.min_body_chars, total):
        return f"left {kept} characters of body (min_body_chars {pack.min_body_chars})"
    return None


def build_document(
    page: Page,
    pack: Pack,
    reason: str,
    *,
    url: str | None,
    source: str | None,
    encoding: str | None = None,
    encoding_reason: str | None = None,
    format: str = "text",
    removed: list[Removal] | None = None,  # before the text rules (the HTML stage's)
    warnings: list[str] | None = None,
) -> Document:
    values = {name: f.value for name, f in page.fields.items()}
    warnings = list(warnings or [])
    text = join_paragraphs([page.lines[i] for i in page.kept])
    if not text:
        warnings.append(
            f"nothing kept: {pack.label} removed every line; the page may hold no article (an index or a menu)"
        )
    date = None
    if "date" in values:
        date = parse_date(values["date"], pack.field_formats("date"))
        if date is None:
            warnings.append(f"date {values['date']!r} matches none of the pack's date formats")
    return Document(
        text=text,
        title=values.get("title"),
        author=values.get("author"),
        date=date,
        description=values.get("description"),
        sitename=values.get("sitename") or (None if pack.is_base else pack.name),
        hostname=hostname(url),
        url=url,
        language=normalise(values.get("language")) or pack.language or detect(text),
        categories=split_list(values.get("categories", "")),
        tags=split_list(values.get("tags", "")),
        reading_time=to_int(values["reading_time"]) if "reading_time" in values else None,
        pack=pack.label,
        pack_reason=reason,
        source=source,
        encoding=encoding,
        encoding_reason=encoding_reason,
        format=format,
        removed=(*(removed or ()), *sorted(page.removals, key=_audit_order)),
        warnings=tuple(warnings),
    )


def _audit_order(removal: Removal) -> tuple[tuple[int, int], str]:
    return removal.lines, removal.rule
