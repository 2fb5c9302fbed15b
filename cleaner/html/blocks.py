"""The page's main block: the element that holds its running text.

One walk of the parsed tree's elements gives every element its *prose*: the characters of the
elements under it whose own text (without their children's) reads as running text (at least
`HTML_PROSE_CHARS` long, and not inside a link). From `<body>` down, the main block is the
element none of whose children still holds `HTML_MAIN_SHARE` of its prose
(nor `HTML_MAIN_FLOOR` of the page's: small losses at each level never add up to a lost lead).
Subtrees the packs' `html.outside` selectors name (comment threads, consent dialogs) count
nothing, so a long discussion never outweighs the article.

The extractor then works on that block alone: most of a page's markup (menus, sidebars,
footers, teaser grids) is never handed to it, which is where its time went. A page whose prose
is too thin to place (`HTML_MAIN_MIN_PROSE`) has no main block: the extractor sees it whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..settings import HTML_ARTICLE_MARKERS, HTML_MAIN_FLOOR, HTML_MAIN_MIN_PROSE, HTML_MAIN_SHARE, HTML_PROSE_CHARS
from .fields import clean_ws

# the elements that make the page's text blocks (paragraphs, headings, list items, cells)
BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote pre figcaption dt dd td th".split())
BLOCKS = ", ".join(sorted(BLOCK_TAGS))  # the selector of them all
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "textarea", "title"})


@dataclass
class Main:
    node: LexborNode | None  # None: the page's prose is too thin to place
    prose: int  # prose characters in the block
    page_prose: int  # prose characters in the whole page (outside `html.outside` subtrees)
    blocks: list[LexborNode] = field(default_factory=list)  # the page's innermost text blocks, in order
    left_out: frozenset[int] = frozenset()  # the `html.outside` subtrees whose text did not count
    outside: list[LexborNode] = field(default_factory=list)  # the outermost of them, in the page's order
    _texts: dict[int, str] = field(default_factory=dict, repr=False)
    _inside: set[int] | None = field(default=None, repr=False)
    _breaks: set[int] | None = field(default=None, repr=False)

    @property
    def element(self) -> LexborNode | None:
        """The main block as an element below `<body>`; None for a page too thin to place, or
        one whose running text only the whole body holds."""
        return self.node if self.node is not None and self.node.tag != "body" else None

    def inside(self) -> set[int] | None:
        """The block elements under the main block (None: the page has none, all is inside)."""
        if self.node is None:
            return None
        if self._inside is None:
            self._inside = {n.mem_id for n in self.node.css(BLOCKS)}
        return self._inside

    def texts(self) -> list[tuple[LexborNode, str]]:
        """The page's text blocks with their text (whitespace folded), those with any; each
        block's text is read once a page, whoever asks (the block model, the audit)."""
        if self._breaks is None:
            self._breaks = _with_breaks(self.blocks)
        out = []
        for b in self.blocks:
            text = self._texts.get(b.mem_id)
            if text is None:
                text = self._texts[b.mem_id] = block_text(b, b.mem_id in self._breaks)
            if text:
                out.append((b, text))
        return out

    @property
    def share(self) -> float:
        """How much of the page's prose the block holds."""
        return self.prose / self.page_prose if self.page_prose else 0.0

    def where(self) -> str:
        """The block as a selector-like name (`article.post-body`, `div#content`)."""
        if self.node is None:
            return "the whole page"
        return describe(self.node)


def block_text(node: LexborNode, breaks: bool | None = None) -> str:
    """A text block's text, whitespace folded. Its text nodes are joined as the page wrote them
    (`in the <a>journal</a>.` reads `in the journal.`), except in a block with line breaks
    (`breaks`, looked up when not given), where a break parts two words."""
    if breaks is None:
        breaks = node.css_first("br") is not None
    return clean_ws(node.text(separator=" " if breaks else ""))


def _with_breaks(blocks: list[LexborNode]) -> set[int]:
    """The blocks that hold a `<br>`: one query of the page, not one a block."""
    if not blocks:
        return set()
    ids = {b.mem_id for b in blocks}
    root = blocks[0]
    while root.parent is not None:
        root = root.parent
    out = set()
    for br in root.css("br"):
        up = br.parent
        while up is not None and up.mem_id not in ids:
            up = up.parent
        if up is not None:
            out.add(up.mem_id)
    return out


def describe(node: LexborNode) -> str:
    cls = (node.attributes.get("class") or "").split()
    ident = node.attributes.get("id")
    return node.tag + (f"#{ident}" if ident else "") + (f".{cls[0]}" if cls else "")


def main_block(tree: LexborHTMLParser, outside: tuple[str, ...] = ()) -> Main:
    body = tree.body
    if body is None:
        return Main(None, 0, 0)
    skipped = body.css(", ".join(outside)) if outside else []
    prose: dict[int, int] = {}  # an element's running text, its own first, then with its children's
    in_link: dict[int, bool] = {body.mem_id: False}
    order: list[tuple[int, int]] = []  # (element, its parent) in document order
    blocks: list[tuple[int, LexborNode]] = []  # the block elements
    for node in body.traverse(include_text=False):
        parent = node.parent
        if parent is None:
            continue
        up, tag, me = parent.mem_id, node.tag, node.mem_id
        link = in_link[me] = tag == "a" or in_link.get(up, False)
        order.append((me, up))
        if tag in BLOCK_TAGS:
            blocks.append((me, node))
        if link or tag in _NOT_TEXT:
            continue
        size = len(node.text(deep=False, strip=True))  # its own text, without its children's
        if size >= HTML_PROSE_CHARS:
            prose[me] = size
    holds_block: set[int] = set()  # elements with a block element below them
    block_ids = {me for me, _ in blocks}
    for element, parent in reversed(order):  # children before parents: sums flow up
        if element in block_ids or element in holds_block:
            holds_block.add(parent)
        if element in prose:
            prose[parent] = prose.get(parent, 0) + prose[element]
    innermost = [node for me, node in blocks if me not in holds_block]
    left_out = _leave_out(skipped, prose)
    outside = outermost([n for n in skipped if n.mem_id in left_out])
    total = prose.get(body.mem_id, 0)
    if total < HTML_MAIN_MIN_PROSE:
        return Main(None, total, total, innermost, left_out, outside)
    node = body
    while True:
        here = prose.get(node.mem_id, 0)
        need = max(HTML_MAIN_SHARE * here, HTML_MAIN_FLOOR * total)
        child = next((c for c in node.iter() if prose.get(c.mem_id, 0) >= need), None)
        if child is None:
            return Main(node, here, total, innermost, left_out, outside)
        node = child


def outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """The nodes none of whose ancestors is among them, in their order."""
    ids = {n.mem_id for n in nodes}
    out = []
    for node in nodes:
        up = node.parent
        while up is not None and up.mem_id not in ids:
            up = up.parent
        if up is None:
            out.append(node)
    return out


def _leave_out(nodes: list[LexborNode], prose: dict[int, int]) -> frozenset[int]:
    """Take the running text of `outside` subtrees out of their ancestors' sums, outermost
    first, and give the subtrees left out (those with no running text too). One that holds the
    article's own markers (`HTML_ARTICLE_MARKERS`: the headline, an `<article>`, `<main>`) is
    no comment box or banner but a wrapper whose class happens to match
    (`<div class="cookies-ok">` around the page): it keeps its text."""
    gone: set[int] = set()
    bare: set[int] = set()
    for node in nodes:  # document order: an ancestor comes before what it holds
        size = prose.get(node.mem_id, 0)
        if not size:
            bare.add(node.mem_id)
            continue
        if node.css_first(HTML_ARTICLE_MARKERS) is not None:
            continue
        ancestors = []
        up = node.parent
        while up is not None:
            if up.mem_id in gone:
                break
            ancestors.append(up.mem_id)
            up = up.parent
        else:
            gone.add(node.mem_id)
            prose[node.mem_id] = 0
            for a in ancestors:
                if a in prose:
                    prose[a] -= size
    return frozenset(gone | bare)
