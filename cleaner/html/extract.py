"""HTML to article text and fields.

Parse once with selectolax; read metadata (pack field selectors, then JSON-LD and meta tags,
then the packs' generic guesses) before anything is removed; strip the chrome selectors of the
pack chain; then take the pack's body selector. Without one, find the page's main block (the
element that holds its running text, html/blocks.py) and hand that block alone to trafilatura
(imported only here, only when needed), once. Every stripped element is recorded as a removal
of the rule `<pack>.html-strip`, every run of text blocks outside the main block as one of
`<pack>.html-block`, and every run the extractor left out inside it as one of
`<pack>.html-extract`."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..document import Removal
from ..packs.model import Pack
from ..settings import (
    FIELD_MAX_CHARS,
    HTML_AUDIT_CHARS,
    HTML_AUDIT_PROBE,
    HTML_BLOCK_SHARE,
    HTML_BODY_MIN_CHARS,
    HTML_STRIP_KEEP_CHARS,
    LARGE_HTML,
    MAX_STRIP_SHARE,
)
from .blocks import BLOCK_TAGS, Main, main_block

_NEVER_TEXT = "script, style, noscript, template, svg, iframe, object, embed, canvas, video, audio"
ALL_TEXT = "all text"  # no extractor ran: the text rules must find the article themselves
BLOCKS = ", ".join(sorted(BLOCK_TAGS))
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
    "sitename": ("og:site_name", "application-name", "twitter:site"),
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
# (Greedy attributes that end in anything but a slash: twice as fast as a lazy `[^<>]*?`.)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:[^<>]*[^<>/])?(/?)>")
_NO_DEPTH = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li dt dd td th tr option".split()
)
_MARKUP = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^<>]*>", re.S | re.I)


def too_deep(html: str, limit: int) -> bool:
    """Whether the page nests more than `limit` elements deep: the parser's time grows with
    the square of the depth. One linear scan, run only on pages with enough tags to be deep.
    A closing tag closes what the parser would close: the nearest open element of its name and
    all opened after it; one whose name is not open is ignored, as the parser ignores it (so
    `<div></x>` repeated is as deep as `<div>` repeated)."""
    if html.count("<") <= limit:
        return False
    stack: list[str] = []
    open_names: Counter[str] = Counter()
    for close, name, selfclose in _TAG.findall(html):
        if selfclose:
            continue
        name = name.lower()
        if name in _NO_DEPTH:
            continue
        if not close:
            stack.append(name)
            open_names[name] += 1
            if len(stack) > limit:
                return True
        elif open_names[name]:
            while stack:
                top = stack.pop()
                open_names[top] -= 1
                if top == name:
                    break
    return False


def without_markup(html: str) -> str:
    """The page's text with its tags, scripts and styles taken out, in one linear pass."""
    import html as entities

    return entities.unescape(_MARKUP.sub("\n", html))


def strip_selectors(pack: Pack) -> list[tuple[str, str]]:
    """(rule prefix, selector) for the whole chain: the bases' first, then the pack's own."""
    return [(member.prefix, css) for member in reversed(pack.chain or (pack,)) for css in member.html.strip]


def outside_selectors(pack: Pack) -> tuple[str, ...]:
    return tuple(css for member in (pack.chain or (pack,)) for css in member.html.outside)


def body_selectors(pack: Pack) -> tuple[str, ...]:
    return next((member.html.body for member in (pack.chain or (pack,)) if member.html.body), ())


def extract(tree: LexborHTMLParser, pack: Pack, url: str | None) -> HtmlResult:
    fields = read_fields(tree, pack)
    removals: list[Removal] = []
    strips = strip_selectors(pack)
    total = len(tree.body.text(separator=" ")) if tree.body is not None and strips else 0
    for owner, css in strips:
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
    main = main_block(tree, outside_selectors(pack))
    result = _trafilatura(tree, url, main)
    host = urlsplit(url).hostname if url else None
    if host and "sitename" not in fields:  # as trafilatura names a site that does not name itself
        fields["sitename"] = host.removeprefix("www.")
    dropped = dropped_blocks(tree, result.text, main, pack.prefix) if result.extractor != ALL_TEXT else []
    result.fields, result.removals = fields, removals + result.removals + dropped
    return result


def dropped_blocks(tree: LexborHTMLParser, kept: str, main: Main, prefix: str) -> list[Removal]:
    """What the extractor left out, as removals: each run of the page's text blocks
    (paragraphs, headings, list items; innermost) that is not in the extract, with where it
    stands (its container, as `tag.class`, and its place among the page's blocks) and its text.
    A run outside the main block is `<prefix>.html-block`, one inside it `<prefix>.html-extract`.
    Without this the audit of an HTML page says nothing of most of what went."""
    if tree.body is None:
        return []
    body = "".join(kept.split())  # compared without spaces: inline tags add or take some
    inside = {n.mem_id for n in main.node.css(BLOCKS)} if main.node is not None else None
    blocks = [(b, _clean_ws(b.text(separator=" "))) for b in main.blocks]
    blocks = [(b, t) for b, t in blocks if t]
    out: list[Removal] = []
    run: list[tuple[int, LexborNode, str]] = []
    run_inside = True

    def flush() -> None:
        if run:
            first, node, _ = run[0]
            where = f"{_container(node)}, block {first + 1}" + (f"-{run[-1][0] + 1}" if len(run) > 1 else "")
            where += f" of {len(blocks)}"
            text = " | ".join(t for _, _, t in run)
            if run_inside:
                rule = f"{prefix}.html-extract"
            else:
                where += f", outside the main block {main.where()}"
                rule = f"{prefix}.html-block"
            out.append(Removal(rule, (0, 0), f"{where}: {text[:HTML_AUDIT_CHARS]}"))
            run.clear()

    for i, (node, text) in enumerate(blocks):
        if "".join(text.split())[:HTML_AUDIT_PROBE] in body:
            flush()
            continue
        here = inside is None or node.mem_id in inside
        if run and here != run_inside:
            flush()
        run_inside = here
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
    """Pack field selectors first, then JSON-LD, then meta tags, then <title>, then the packs'
    generic guesses (`html.guess`: a byline's author link), then htmldate for a date."""
    out: dict[str, str] = {}
    chain = pack.chain or (pack,)
    _select_fields(tree, [spec for member in chain for spec in member.html.fields], out)
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
                out[name] = metas[key.lower()].lstrip("@")  # twitter:site is a handle
    title = tree.css_first("title")
    if "title" not in out and title is not None and _clean_ws(title.text()):
        out["title"] = _clean_ws(title.text())
    html = tree.css_first("html")
    if "language" not in out and html is not None and html.attributes.get("lang"):
        out["language"] = html.attributes["lang"] or ""
    _select_fields(tree, [spec for member in chain for spec in member.html.guess], out, FIELD_MAX_CHARS)
    if "date" not in out:
        date = _htmldate(tree)
        if date:
            out["date"] = date
    return out


def _select_fields(
    tree: LexborHTMLParser,
    specs: list[tuple[str, tuple[tuple[str, str | None], ...]]],
    out: dict[str, str],
    longest: int | None = None,
) -> None:
    """Fill the fields `out` lacks from (name, [(css, attr)]) specs: the first selector that
    finds a value wins; an author takes every name its selector finds (co-authors). A guess
    longer than `longest` is a paragraph the selector caught, not a field."""
    for name, selectors in specs:
        for css, attr in selectors:
            if name in out:
                break
            nodes = tree.css(css) if name == "author" else tree.css(css)[:1]
            values = [_clean_ws((n.attributes.get(attr) if attr else n.text(separator=" ")) or "") for n in nodes]
            values = list(dict.fromkeys(v for v in values if v and (longest is None or len(v) <= longest)))
            if values and name == "author" and longest is not None:
                values = _author_names(values)
            if values:
                out[name] = join_names(values) if name == "author" else values[0]


def _author_names(guesses: list[str]) -> list[str]:
    """The names in bylines a guess caught ("By A and B", "Text: A"), as trafilatura normalises
    its own author guesses (prefixes, handles, e-mail addresses and dates taken out)."""
    from trafilatura.json_metadata import normalize_authors

    names: list[str] = []
    for guess in guesses:
        for name in (normalize_authors(None, guess) or "").split("; "):
            if name and name not in names:
                names.append(name)
    return names


def _htmldate(tree: LexborHTMLParser) -> str | None:
    """The date htmldate finds in the page's markup and text (trafilatura's own date finder),
    asked only when no meta tag or JSON-LD gave one: it parses the page again."""
    try:
        from htmldate import find_date

        return find_date(tree.html or "", extensive_search=False, original_date=True)
    except Exception:
        return None


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


def _trafilatura(tree: LexborHTMLParser, url: str | None, main: Main) -> HtmlResult:
    """One call of trafilatura, on the main block alone when the page has one. The block goes in
    as an `<article>`: trafilatura then takes it as the article's container (or a container
    it knows inside it) and keeps its headings and lists. Its default focus and its fast mode
    (no second opinion from readability and jusText): on the block, this keeps the most of the
    article (`bench/peers.py`). Metadata comes from the markup (read_fields), not from it."""
    import trafilatura  # a heavy import, paid only by pages that need it

    if main.node is not None and main.node.tag != "body":
        _drop_outermost(main, main.node.css(_NEVER_TEXT))
        html = f"<html><body><article>{main.node.html or ''}</article></body></html>"
    else:
        html = tree.html or ""
    doc: Any = trafilatura.bare_extraction(
        html, url=url, fast=True, with_metadata=False, include_comments=False, include_tables=True
    )
    text = (doc.text if doc is not None else "") or ""
    if not text.strip() and tree.body is not None:
        return HtmlResult(
            "\n".join(block_lines(tree.body)),
            extractor=ALL_TEXT,
            warnings=["trafilatura found no article; the page's text went to the text heuristics"],
        )
    return HtmlResult(text, extractor=f"trafilatura on {main.where()}")


def _drop_outermost(main: Main, nodes: list[LexborNode]) -> None:
    """Take `nodes` out of the tree (scripts, media: never article text), outermost only, and
    forget the text blocks they held (a `<video>`'s fallback `<p>`): no node is touched once
    its subtree is freed."""
    ids = {n.mem_id for n in nodes}
    outer = []
    for n in nodes:
        up = n.parent
        while up is not None and up.mem_id not in ids:
            up = up.parent
        if up is None:
            outer.append(n)
    held = {b.mem_id for n in outer for b in n.css(BLOCKS)}
    main.blocks = [b for b in main.blocks if b.mem_id not in held]
    for n in outer:
        n.decompose()


def _clean_ws(text: str) -> str:
    return " ".join(text.split())
