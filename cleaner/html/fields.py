"""An HTML page's fields (title, author, date, description, site name, language, tags) and its
own URL, read from the parsed tree before anything is removed: the pack's field selectors first,
then JSON-LD, then meta tags, then `<title>`, then the packs' generic guesses (`html.guess`),
then htmldate for a date."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from ..packs.model import Pack
from ..settings import FIELD_MAX_CHARS

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
            metas[key] = clean_ws(node.attributes["content"] or "")
    for name, keys in _META.items():
        for key in keys:
            if metas.get(key.lower()) and name not in out:
                out[name] = metas[key.lower()].lstrip("@")  # twitter:site is a handle
    title = tree.css_first("title")
    if "title" not in out and title is not None and clean_ws(title.text()):
        out["title"] = clean_ws(title.text())
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
            values = [clean_ws((n.attributes.get(attr) if attr else n.text(separator=" ")) or "") for n in nodes]
            values = list(dict.fromkeys(v for v in values if v and (longest is None or len(v) <= longest)))
            if values and name == "author" and longest is not None:
                values = _author_names(values)
            if values:
                out[name] = join_names(values) if name == "author" else values[0]


def _author_names(guesses: list[str]) -> list[str]:
    """The names in bylines a guess caught ("By A and B", "Text: A"), as trafilatura normalises
    its own author guesses (prefixes, handles, e-mail addresses and dates taken out). Where that
    helper is not there (it is not trafilatura's documented API), the guesses stand as found."""
    try:
        from trafilatura.json_metadata import normalize_authors
    except ImportError:
        return guesses
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
                        out[name] = clean_ws(item[key])
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


def clean_ws(text: str) -> str:
    """Runs of whitespace as one space, none at the ends."""
    return " ".join(text.split())
