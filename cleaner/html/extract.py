"""HTML to article text and fields.

Parse once with selectolax; read metadata (pack field selectors, then meta tags and JSON-LD)
before anything is removed; strip the chrome selectors of the pack chain; then take the pack's
body selector, or hand the stripped page to trafilatura (imported only here, only when
needed). Every stripped element is recorded as a removal of the rule `<pack>.html-strip`, and
every run of text blocks the extractor left out as one of `<pack>.html-extract`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..document import Removal
from ..packs.model import Pack
from ..settings import (
    HTML_AUDIT_CHARS,
    HTML_AUDIT_PROBE,
    HTML_BLOCK_SHARE,
    HTML_BODY_MIN_CHARS,
    HTML_DEFAULT_WINS,
    HTML_STRIP_KEEP_CHARS,
    LARGE_HTML,
    MAX_STRIP_SHARE,
    PARAGRAPH_MIN_CHARS,
    SHORT_EXTRACT,
)
from ..text.drops import is_paragraph

ALL_TEXT = "all text"  # no extractor ran: the text rules must find the article themselves
BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, dt, dd, td, th"
_META = {
    "title": ("og:title", "twitter:title"),
    "description": ("og:description", "description", "twitter:description"),
    "author": ("author", "article:author", "parsely-author", "dc.creator"),
    "date": (
        "article:published_time",
        "datePublished",
        "pubdate",
        "publishdate",
        "date",
        "dc.date",
        "parsely-pub-date",
    ),
    "sitename": ("og:site_name", "application-name"),
    "tags": ("article:tag", "keywords", "news_keywords"),
    "categories": ("article:section",),
    "language": ("og:locale", "language", "content-language"),
}


@dataclass
class HtmlResult:
    text: str
    fields: dict[str, str] = field(default_factory=dict)
    removals: list[Removal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extractor: str = "selector"


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


def page_url(tree: LexborHTMLParser) -> str | None:
    """The page's own URL as it declares it: `<link rel=canonical>`, else `og:url`; an absolute
    http(s) URL only (a relative or broken one says nothing)."""
    for css, attr in (("link[rel=canonical]", "href"), ('meta[property="og:url"]', "content")):
        node = tree.css_first(css)
        value = (node.attributes.get(attr) or "").strip() if node is not None else ""
        try:
            parts = urlsplit(value)
        except ValueError:
            continue
        if parts.scheme in ("http", "https") and parts.hostname:
            return value
    return None


# An opening tag that can hold others (void and self-closing elements never nest), and a
# closing tag. Elements the parser closes by itself (p, li, td, option ...) are left out too.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(/?)>")
_NO_DEPTH = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li dt dd td th tr option".split()
)
_MARKUP = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^<>]*>", re.S | re.I)


def too_deep(html: str, limit: int) -> bool:
    """Whether the page nests more than `limit` elements deep: the parser's time grows with
    the square of the depth. One linear scan, run only on pages with enough tags to be deep."""
    if html.count("<") <= limit:
        return False
    depth = 0
    for close, name, selfclose in _TAG.findall(html):
        if selfclose or name.lower() in _NO_DEPTH:
            continue
        depth = depth - 1 if close else depth + 1
        if depth > limit:
            return True
    return False


def without_markup(html: str) -> str:
    """The page's text with its tags, scripts and styles taken out, in one linear pass."""
    import html as entities

    return entities.unescape(_MARKUP.sub("\n", html))


def strip_selectors(pack: Pack) -> list[tuple[str, str]]:
    """(rule prefix, selector) for the whole chain: the bases' first, then the pack's own."""
    return [(member.prefix, css) for member in reversed(pack.chain or (pack,)) for css in member.html.strip]


def body_selectors(pack: Pack) -> tuple[str, ...]:
    return next((member.html.body for member in (pack.chain or (pack,)) if member.html.body), ())


def extract(tree: LexborHTMLParser, pack: Pack, url: str | None) -> HtmlResult:
    fields = read_fields(tree, pack)
    removals: list[Removal] = []
    total = len(tree.body.text(separator=" ")) if tree.body is not None else 0
    for owner, css in strip_selectors(pack):
        for node in tree.css(css):
            text = _clean_ws(node.text(separator=" "))
            if len(text) > MAX_STRIP_SHARE * total and len(text) > HTML_STRIP_KEEP_CHARS:
                continue  # a selector that matched the article's own container: never strip that
            if text:
                removals.append(Removal(f"{owner}.html-strip", (0, 0), f"{css}: {text[:200]}"))
            node.decompose()
    for css in body_selectors(pack):
        nodes = tree.css(css)
        if nodes:
            lines = [line for node in nodes for line in block_lines(node)]
            if sum(map(len, lines)) >= HTML_BODY_MIN_CHARS:
                return HtmlResult("\n\n".join(lines), fields, removals, extractor=f"selector {css}")
    if len(tree.html or "") > LARGE_HTML:
        for node in tree.css("script, style, noscript, template, svg"):
            node.decompose()
        size = len(tree.html or "") / 1e6
        return HtmlResult(
            "\n".join(block_lines(tree.body)) if tree.body is not None else "",
            fields,
            removals,
            [
                f"page is {size:.0f} MB of HTML, too large for main-content extraction; its text went to the text "
                "heuristics"
            ],
            extractor=ALL_TEXT,
        )
    result = _trafilatura(tree, url)
    for key, value in result.fields.items():
        fields.setdefault(key, value)
    dropped = dropped_blocks(tree, result.text, f"{pack.prefix}.html-extract") if result.extractor != ALL_TEXT else []
    result.fields, result.removals = fields, removals + result.removals + dropped
    return result


def dropped_blocks(tree: LexborHTMLParser, kept: str, rule: str) -> list[Removal]:
    """What the extractor left out, as removals of `rule`: each run of the page's text blocks
    (paragraphs, headings, list items; innermost) that is not in the extract, with where it
    stands (its container, as `tag.class`, and its place among the page's blocks) and its text.
    Without this the audit of an HTML page says nothing of most of what went."""
    if tree.body is None:
        return []
    body = "".join(kept.split())  # compared without spaces: inline tags add or take some
    blocks = [(b, _clean_ws(b.text(separator=" "))) for b in tree.body.css(BLOCKS) if len(b.css(BLOCKS)) == 1]
    blocks = [(b, t) for b, t in blocks if t]
    out: list[Removal] = []
    run: list[tuple[int, LexborNode, str]] = []

    def flush() -> None:
        if run:
            first, node, _ = run[0]
            where = f"{_container(node)}, block {first + 1}" + (f"-{run[-1][0] + 1}" if len(run) > 1 else "")
            text = " | ".join(t for _, _, t in run)
            out.append(Removal(rule, (0, 0), f"{where} of {len(blocks)}: {text[:HTML_AUDIT_CHARS]}"))
            run.clear()

    for i, (node, text) in enumerate(blocks):
        if "".join(text.split())[:HTML_AUDIT_PROBE] in body:
            flush()
        else:
            run.append((i, node, text))
    flush()
    return out


def _container(node: LexborNode) -> str:
    """The nearest ancestor with a class or an id, as `tag.class` or `tag#id` (else the tag)."""
    p = node.parent
    while p is not None and p.tag not in ("body", "html"):
        cls = (p.attributes.get("class") or "").split()
        ident = p.attributes.get("id")
        if cls:
            return f"{p.tag}.{cls[0]}"
        if ident:
            return f"{p.tag}#{ident}"
        p = p.parent
    return node.tag or "?"


def block_lines(node: LexborNode) -> list[str]:
    """The text of an element as one line per block (paragraph, heading, list item...), list
    items as `- `; text outside any block element comes as lines of its own."""
    # innermost blocks only (a node's css() includes the node itself when it matches)
    blocks = [b for b in node.css(BLOCKS) if len(b.css(BLOCKS)) == 1]
    total = _clean_ws(node.text(separator=" "))
    lines = []
    for b in blocks:
        text = _clean_ws(b.text(separator=" "))
        if text:
            lines.append(("- " if b.tag == "li" else "") + text)
    if sum(map(len, lines)) < HTML_BLOCK_SHARE * len(total):  # text in bare divs: take it line by line
        lines = [_clean_ws(x) for x in node.text(separator="\n").split("\n") if x.strip()]
    return lines


def read_fields(tree: LexborHTMLParser, pack: Pack) -> dict[str, str]:
    """Pack field selectors first, then JSON-LD, then meta tags, then <title>."""
    out: dict[str, str] = {}
    for member in pack.chain or (pack,):
        for name, specs in member.html.fields:
            for css, attr in specs:
                nodes = tree.css(css) if name == "author" else tree.css(css)[:1]  # co-authors: every name
                values = [_clean_ws((n.attributes.get(attr) if attr else n.text(separator=" ")) or "") for n in nodes]
                values = list(dict.fromkeys(v for v in values if v))
                if values and name not in out:
                    out[name] = join_names(values) if name == "author" else values[0]
    for key, value in _json_ld(tree).items():
        out.setdefault(key, value)
    metas: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        key = (
            node.attributes.get("property") or node.attributes.get("name") or node.attributes.get("itemprop") or ""
        ).lower()
        if key and key not in metas and node.attributes.get("content"):
            metas[key] = _clean_ws(node.attributes["content"] or "")
    for name, keys in _META.items():
        for key in keys:
            if metas.get(key.lower()) and name not in out:
                out[name] = metas[key.lower()]
    title = tree.css_first("title")
    if "title" not in out and title is not None and _clean_ws(title.text()):
        out["title"] = _clean_ws(title.text())
    html = tree.css_first("html")
    if "language" not in out and html is not None and html.attributes.get("lang"):
        out["language"] = html.attributes["lang"] or ""
    return out


def _json_ld(tree: LexborHTMLParser) -> dict[str, str]:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text())
        except ValueError:
            continue
        for item in _flatten(data):
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(
                k in ("NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle")
                for k in kinds
            ):
                out = {}
                for name, key in (("title", "headline"), ("date", "datePublished"), ("description", "description")):
                    if isinstance(item.get(key), str):
                        out[name] = _clean_ws(item[key])
                author = item.get("author")
                people = author if isinstance(author, list) else [author]
                named = [a.get("name") if isinstance(a, dict) else a for a in people]
                names: list[str] = [n for n in named if isinstance(n, str) and n.strip()]
                if names:
                    out["author"] = join_names(names)
                publisher = item.get("publisher")
                if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                    out["sitename"] = publisher["name"]
                return out
    return {}


def join_names(names: list[str]) -> str:
    """Co-authors as a byline writes them: "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _flatten(data: Any) -> list[dict[str, Any]]:
    if isinstance(data, list):
        return [x for d in data for x in _flatten(d)]
    if isinstance(data, dict):
        return [data, *_flatten(data.get("@graph", []))]
    return []


def _trafilatura(tree: LexborHTMLParser, url: str | None) -> HtmlResult:
    import trafilatura  # a heavy import, paid only by pages that need it

    html = tree.html or ""
    options: dict[str, Any] = {"url": url, "include_comments": False, "include_tables": True, "with_metadata": True}
    # Precision mode first: on the extraction benchmark it beats the default (F1 0.965 vs
    # 0.960). When it keeps little, it may have cut the article: the default mode decides,
    # or, when it is not much longer, gives back the sentences precision cut mid-article.
    doc: Any = trafilatura.bare_extraction(html, favor_precision=True, **options)
    if doc is None or len(doc.text or "") < SHORT_EXTRACT:
        default: Any = trafilatura.bare_extraction(html, **options)
        if default is not None and len(default.text or "") > HTML_DEFAULT_WINS * len(
            (doc.text if doc is not None else "") or ""
        ):
            doc = default
        elif doc is not None and doc.text and default is not None and default.text:
            doc.text = restore_gaps(doc.text, default.text)
    if doc is None or not (doc.text or "").strip():
        # a page trafilatura finds nothing in may still hold text: favour recall, then take it all
        doc = trafilatura.bare_extraction(html, favor_recall=True, **options)
    fields = {}
    if doc is not None:
        for name in ("title", "author", "date", "description", "sitename", "language"):
            value = getattr(doc, name, None)
            if isinstance(value, str) and value.strip():
                fields[name] = value.strip()
    text = (doc.text if doc is not None else "") or ""
    if not text.strip() and tree.body is not None:
        return HtmlResult(
            "\n".join(block_lines(tree.body)),
            fields,
            extractor=ALL_TEXT,
            warnings=["trafilatura found no article; the page's text went to the text heuristics"],
        )
    return HtmlResult(text, fields, extractor="trafilatura")


def restore_gaps(kept: str, fuller: str, most: int = 3) -> str:
    """Precision mode also drops a paragraph inside the article when its links weigh too much
    (a sentence that cites its source with a link). Lines of the fuller extract that stand
    between two lines precision kept, in a gap of at most `most` lines, come back when they
    read as sentences; what stands before the first or after the last kept line does not."""
    fuller_lines = fuller.split("\n")
    where: dict[str, list[int]] = {}
    for i, line in enumerate(fuller_lines):
        where.setdefault(line, []).append(i)
    out: list[str] = []
    prev: int | None = None  # where the last kept line stands in the fuller extract
    for line in kept.split("\n"):
        at = next((i for i in where.get(line, ()) if prev is None or i > prev), None)
        if at is not None:
            if prev is not None and 1 < at - prev <= most + 1:
                out += [x for x in fuller_lines[prev + 1 : at] if is_paragraph(x, PARAGRAPH_MIN_CHARS["extract"])]
            prev = at
        out.append(line)
    return "\n".join(out)


def _clean_ws(text: str) -> str:
    return " ".join(text.split())
