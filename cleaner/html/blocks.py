"""The page's main block: the element that holds its running text.

One walk of the parsed tree gives every element its *prose*: the characters of the text nodes
under it that read as running text (at least `HTML_PROSE_CHARS` long and not link text), and its
*link text*. From `<body>` down, the main block is the element none of whose children still
holds `HTML_MAIN_SHARE` of its prose. Subtrees the packs' `html.outside` selectors name (comment
threads) count nothing, so a long discussion never outweighs the article.

The extractor then works on that block alone: most of a page's markup (menus, sidebars,
footers, teaser grids) is never handed to it, which is where its time went. A page whose prose
is too thin to place (`HTML_MAIN_MIN_PROSE`) has no main block: the extractor sees it whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..settings import HTML_MAIN_MIN_PROSE, HTML_MAIN_SHARE, HTML_PROSE_CHARS

_TEXT = "-text"
# the elements that make the page's text blocks (paragraphs, headings, list items, cells)
BLOCK_TAGS = frozenset("p h1 h2 h3 h4 h5 h6 li blockquote pre figcaption dt dd td th".split())
_NOT_TEXT = frozenset({"script", "style", "noscript", "template", "textarea", "title"})


@dataclass
class Main:
    node: LexborNode | None  # None: the page's prose is too thin to place
    prose: int  # prose characters in the block
    page_prose: int  # prose characters in the whole page (outside `html.outside` subtrees)
    links: int  # link text characters in the block
    blocks: list[LexborNode] = field(default_factory=list)  # the page's innermost text blocks, in order

    @property
    def share(self) -> float:
        """How much of the page's prose the block holds."""
        return self.prose / self.page_prose if self.page_prose else 0.0

    def where(self) -> str:
        """The block as a selector-like name (`article.post-body`, `div#content`)."""
        if self.node is None:
            return "the whole page"
        return describe(self.node)


def describe(node: LexborNode) -> str:
    cls = (node.attributes.get("class") or "").split()
    ident = node.attributes.get("id")
    return node.tag + (f"#{ident}" if ident else "") + (f".{cls[0]}" if cls else "")


def main_block(tree: LexborHTMLParser, outside: tuple[str, ...] = ()) -> Main:
    body = tree.body
    if body is None:
        return Main(None, 0, 0, 0)
    skipped = {node.mem_id for css in outside for node in body.css(css)}
    prose: dict[int, int] = {}
    links: dict[int, int] = {}
    in_link: dict[int, bool] = {body.mem_id: False}
    order: list[tuple[int, int]] = []  # (element, its parent) in document order
    blocks: list[tuple[int, int, LexborNode]] = []  # block elements: (element, parent, node)
    for node in body.traverse(include_text=True):
        parent = node.parent
        if parent is None:
            continue
        up, tag = parent.mem_id, node.tag
        if tag != _TEXT:
            me = node.mem_id
            in_link[me] = tag == "a" or in_link.get(up, False)
            order.append((me, up))
            if tag in BLOCK_TAGS:
                blocks.append((me, up, node))
            continue
        size = len((node.text_content or "").strip())
        if not size or parent.tag in _NOT_TEXT:
            continue
        if in_link.get(up, False):
            links[up] = links.get(up, 0) + size
        elif size >= HTML_PROSE_CHARS:
            prose[up] = prose.get(up, 0) + size
    holds_block: set[int] = set()  # elements with a block element below them
    block_ids = {me for me, _, _ in blocks}
    for element, parent in reversed(order):  # children before parents: sums flow up
        if element in block_ids or element in holds_block:
            holds_block.add(parent)
        if element in skipped:
            prose.pop(element, None)
            continue
        if element in prose:
            prose[parent] = prose.get(parent, 0) + prose[element]
        if element in links:
            links[parent] = links.get(parent, 0) + links[element]
    innermost = [node for me, _, node in blocks if me not in holds_block]
    total = prose.get(body.mem_id, 0)
    if total < HTML_MAIN_MIN_PROSE:
        return Main(None, total, total, links.get(body.mem_id, 0), innermost)
    node = body
    while True:
        here = prose.get(node.mem_id, 0)
        child = next((c for c in node.iter() if prose.get(c.mem_id, 0) >= HTML_MAIN_SHARE * here), None)
        if child is None:
            return Main(node, here, total, links.get(node.mem_id, 0), innermost)
        node = child
