"""HTML to article text and fields.

Parse once with selectolax; read metadata (pack field selectors, then JSON-LD and meta tags,
then the packs' generic guesses) before anything is removed; strip the chrome selectors of the
pack chain; then take the pack's body selector. Without one, find the page's main block (the
element that holds its running text, html/blocks.py) and let the block model (html/score.py)
choose its text blocks; where the model is unsure, hand that block alone to trafilatura
(imported only here, only when needed), once. Every stripped element is recorded as a removal
of the rule `<pack>.html-strip`, every run of text blocks outside the main block as one of
`<pack>.html-block`, and every run left out inside it as one of `<pack>.html-model` (the block
model's) or `<pack>.html-extract` (the extractor's)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..document import Removal
from ..packs.model import Pack
from ..settings import (
    HTML_AUDIT_CHARS,
    HTML_AUDIT_PROBE,
    HTML_AUDIT_SEARCHES,
    HTML_AUDIT_STEP,
    HTML_AUDIT_WINDOW,
    HTML_BLOCK_SHARE,
    HTML_BODY_MIN_CHARS,
    HTML_DUMP_SHARE,
    HTML_STRIP_KEEP_CHARS,
    LARGE_HTML,
    MAX_STRIP_SHARE,
    PARSE_SAFE_TAGS,
)
from .blocks import BLOCKS, Main, describe, main_block, outermost
from .fields import clean_ws as _clean_ws
from .fields import read_fields
from .score import Verdict, judge

_NEVER_TEXT = "script, style, noscript, template, svg, iframe, object, embed, canvas, video, audio"
ALL_TEXT = "all text"  # no extractor ran: the text rules must find the article themselves


@dataclass
class HtmlResult:
    text: str
    fields: dict[str, str] = field(default_factory=dict)
    removals: list[Removal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extractor: str = "selector"


def parse(html: str) -> LexborHTMLParser:
    return LexborHTMLParser(html)


# An opening tag that can hold others (void and self-closing elements never nest), and a
# closing tag. Elements the parser closes by itself (p, li, td, option ...) are left out too.
# (Greedy attributes that end in anything but a slash: twice as fast as a lazy `[^<>]*?`.)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?:[^<>]*[^<>/])?(/?)>")
_NO_DEPTH = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li dt dd td th tr option".split()
)
# Elements whose content the parser reads as raw text: a `</div>` inside a script closes nothing.
_RAW_TEXT = re.compile(r"<(script|style|textarea|title|xmp|iframe|noembed|noframes)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_MARKUP = re.compile(r"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^<>]*>", re.S | re.I)


def too_deep(html: str, limit: int) -> bool:
    """Whether the page nests more than `limit` elements deep: the parser's time grows with
    the square of the depth. One linear scan, run only on pages with enough tags to be deep.
    A closing tag closes what the parser would close: the nearest open element of its name and
    all opened after it; one whose name is not open is ignored, as the parser ignores it (so
    `<div></x>` repeated is as deep as `<div>` repeated). A self-closing `<div/>` opens a
    `<div>` too, as it does in the parser; only inside SVG and MathML does `/>` close. What a
    script, a style or a textarea holds is text, not tags."""
    if html.count("<") <= limit:
        return False
    stack: list[str] = []
    open_names: Counter[str] = Counter()
    for close, name, selfclose in _TAG.findall(_RAW_TEXT.sub("", html)):
        name = name.lower()
        if name in _NO_DEPTH or (selfclose and (open_names["svg"] or open_names["math"])):
            continue  # `/>` closes only in SVG and MathML: the parser opens a `<div/>`
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


def parse_shallow(html: str, limit: int) -> LexborHTMLParser | None:
    """The parsed page, or None when it nests more than `limit` elements deep. A page of at most
    `PARSE_SAFE_TAGS` tags parses quickly however it nests, so its depth is read from the tree
    it gives; a larger page is scanned first (`too_deep`), since the parser's time grows with
    the square of the depth."""
    tags = html.count("<")
    if tags > PARSE_SAFE_TAGS and too_deep(html, limit):
        return None
    tree = parse(html)
    if limit < tags <= PARSE_SAFE_TAGS and _nests_over(tree, limit):
        return None
    return tree


def _nests_over(tree: LexborHTMLParser, limit: int) -> bool:
    depth: dict[int, int] = {}
    for node in tree.root.traverse() if tree.root is not None else ():
        up = node.parent
        level = depth[node.mem_id] = depth.get(up.mem_id, 0) + 1 if up is not None else 0
        if level > limit:
            return True
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


def extract(tree: LexborHTMLParser, pack: Pack, url: str | None, size: int | None = None) -> HtmlResult:
    """The article of a parsed page; `size`: the length of its HTML, when the caller knows it
    (else the tree is serialised to measure it)."""
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
    if (size if size is not None else len(tree.html or "")) > LARGE_HTML:
        for node in tree.css("script, style, noscript, template, svg"):
            node.decompose()
        size = len(tree.html or "") / 1e6
        result = _to_heuristics(
            tree.body,
            f"page is {size:.0f} MB of HTML, too large for main-content extraction; its text went to the text "
            "heuristics",
        )
        result.fields, result.removals = fields, removals
        return result
    main = main_block(tree, outside_selectors(pack))
    if main.element is not None:
        _drop_outermost(main, main.element.css(_NEVER_TEXT))
    verdict = judge(main, fields.get("language"))
    if verdict is not None and verdict.sure:
        result = HtmlResult(verdict.text(), extractor=f"block model on {main.where()}")
        scores = {b.mem_id: s for (b, _), s in zip(verdict.blocks, verdict.scores, strict=True)}
        dropped = _removals(main, _model_kept(main, verdict), pack.prefix, "html-model", scores)
    else:
        result = _trafilatura(tree, url, main)
        dropped = dropped_blocks(tree, result.text, main, pack.prefix)
    host = urlsplit(url).hostname if url else None
    if host and "sitename" not in fields:  # as trafilatura names a site that does not name itself
        fields["sitename"] = host.removeprefix("www.")
    result.fields, result.removals = fields, removals + result.removals + dropped
    return result


def _model_kept(main: Main, verdict: Verdict) -> list[tuple[LexborNode, str, bool]]:
    """The page's text blocks with whether the block model kept each (none outside the main block)."""
    kept = {b.mem_id for (b, _), k in zip(verdict.blocks, verdict.keep, strict=True) if k}
    return [(b, t, b.mem_id in kept) for b, t in main.texts()]


def dropped_blocks(tree: LexborHTMLParser, kept: str, main: Main, prefix: str) -> list[Removal]:
    """What the extractor left out, as removals (see `_removals`): the page's text blocks
    (paragraphs, headings, list items; innermost) that are not in its extract, `kept`.

    Linear in the page: a block is looked for a little ahead of where the last one was found
    (the extract keeps the page's order), else among the extract's line openings, else (at most
    `HTML_AUDIT_SEARCHES` times a page) in the whole extract."""
    if tree.body is None:
        return []
    body = "".join(kept.split())  # compared without spaces: inline tags add or take some
    openings = {"".join(line.split())[:HTML_AUDIT_PROBE] for line in kept.split("\n")}
    cursor, searches = 0, HTML_AUDIT_SEARCHES
    found = []
    for node, text in main.texts():
        probe = "".join(text.split())[:HTML_AUDIT_PROBE]
        at = body.find(probe, cursor, cursor + HTML_AUDIT_WINDOW + len(probe))
        if at >= 0 and len(probe) >= HTML_AUDIT_STEP:
            cursor = at + len(probe)  # a short probe ("Share") may be found anywhere: it moves nothing
        elif at < 0 and probe not in openings and searches:
            searches -= 1  # out of order: looked for in the whole extract, a bounded number of times
            at = body.find(probe)
        found.append((node, text, at >= 0 or probe in openings))
    return _removals(main, found, prefix, "html-extract")


def _removals(
    main: Main,
    blocks: list[tuple[LexborNode, str, bool]],
    prefix: str,
    inside_rule: str,
    scores: dict[int, float] | None = None,
) -> list[Removal]:
    """Each run of the page's text blocks that was not kept, as one removal, with where it
    stands (its container, as `tag.class`, and its place among the page's blocks) and its
    text. A run outside the main block is `<prefix>.html-block`; one inside it is
    `<prefix>.<inside_rule>` (the extractor's, or the block model's, with the highest of its
    blocks' `scores`). Without this the audit of an HTML page says nothing of most of what
    went."""
    inside = main.inside()
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
                rule = f"{prefix}.{inside_rule}"
                if scores:
                    where += f", score {max(scores.get(n.mem_id, 0.0) for _, n, _ in run):.1f}"
            else:
                where += f", outside the main block {main.where()}"
                rule = f"{prefix}.html-block"
            out.append(Removal(rule, (0, 0), f"{where}: {text[:HTML_AUDIT_CHARS]}"))
            run.clear()

    for i, (node, text, kept) in enumerate(blocks):
        if kept:
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
    """The nearest ancestor with a class or an id, as `tag#id.class` (else the block's tag)."""
    p = node.parent
    while p is not None and p.tag not in ("body", "html"):
        if p.attributes.get("class") or p.attributes.get("id"):
            return describe(p)
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


def _trafilatura(tree: LexborHTMLParser, url: str | None, main: Main) -> HtmlResult:
    """One call of trafilatura, on the main block alone when the page has one. The block goes in
    as an `<article>`: trafilatura then takes it as the article's container (or a container
    it knows inside it) and keeps its headings and lists. A page with no main block below
    `<body>` goes in whole, but for the subtrees the packs' `html.outside` selectors name
    (comment threads, menus, dialogs): a third of its time on such pages, and none of it article.
    Its default focus and its fast mode (no second opinion from readability and jusText): on the
    block, this keeps the most of the article (`bench/peers.py`). Metadata comes from the markup
    (read_fields), not from it."""
    import trafilatura  # a heavy import, paid only by pages that need it

    if main.element is not None:
        html = f"<html><body><article>{main.element.html or ''}</article></body></html>"
    else:  # the whole page, without its comment threads, menus and dialogs (`html.outside`)
        html = _without(tree.html or "", [node.html or "" for node in main.outside])
    doc: Any = trafilatura.bare_extraction(
        html, url=url, fast=True, with_metadata=False, include_comments=False, include_tables=True
    )
    text = (doc.text if doc is not None else "") or ""
    if not text.strip() and tree.body is not None:
        return _to_heuristics(tree.body, "trafilatura found no article; the page's text went to the text heuristics")
    if main.element is not None and _dumped(text, main.element, len(main.texts())):
        return _to_heuristics(
            main.element,
            f"trafilatura found no article in {main.where()} (it gave the block's text as one paragraph); "
            "the block's lines went to the text heuristics",
        )
    return HtmlResult(text, extractor=f"trafilatura on {main.where()}")


def _to_heuristics(node: LexborNode | None, warning: str) -> HtmlResult:
    """No extractor found the article: the element's text, a block a line, goes to the text
    heuristics (`ALL_TEXT`), with a warning saying why."""
    text = "\n".join(block_lines(node)) if node is not None else ""
    return HtmlResult(text, extractor=ALL_TEXT, warnings=[warning])


def _without(html: str, pieces: list[str]) -> str:
    """`html` without `pieces`: serialised subtrees of it, in the page's order and none inside
    another. One pass: each is looked for after the last one found (thousands of comments cost
    one scan of the page, not one each); from one that is not found on, all is left in (each
    miss would cost a scan of the rest)."""
    kept, at = [], 0
    for piece in filter(None, pieces):
        found = html.find(piece, at)
        if found < 0:
            break
        kept.append(html[at:found])
        at = found + len(piece)
    kept.append(html[at:])
    return "".join(kept)


def _dumped(text: str, block: LexborNode, blocks: int) -> bool:
    """Whether trafilatura's extract of `block` (of `blocks` text blocks) is its last resort:
    when its extractors find too little, it takes the text of the page's `<article>` (here the
    block itself) as one paragraph, headings, menus and all, which no line rule can take apart."""
    if blocks < 2 or "\n" in text.strip():
        return False
    return len(_clean_ws(text)) >= HTML_DUMP_SHARE * len(_clean_ws(block.text(separator=" ")))


def _drop_outermost(main: Main, nodes: list[LexborNode]) -> None:
    """Take `nodes` out of the tree (scripts, media: never article text), outermost only, and
    forget the text blocks they held (a `<video>`'s fallback `<p>`): no node is touched once
    its subtree is freed."""
    outer = outermost(nodes)
    held = {b.mem_id for n in outer for b in n.css(BLOCKS)}
    main.blocks = [b for b in main.blocks if b.mem_id not in held]
    for n in outer:
        n.decompose()
