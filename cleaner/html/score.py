"""Which text blocks of the main block are the article: a block model, and whether it is sure.

Every innermost text block of the main block (html/blocks.py) gets the line features of the
text path (text/features.py: its length, punctuation, function words, its neighbours, the text
density around it, the page's subject), computed on the blocks' texts as lines, beside what its
markup says: its tag, the share of its text in links, how deep it stands, and the tags and the
class and id words (`settings.HTML_CLASS_GROUPS`) of the elements between it and the main
block. A logistic model trained offline (bench/block_model.py, shipped as data in
`rules/models/blocks.json`) turns them into a score per block.

The model decides alone only where it is sure: when the blocks it scores within
`HTML_MODEL_MARGIN` of even, with the block's text that stands in no text block (bare text in
divs, which it does not see), hold at most `HTML_MODEL_UNSURE` of the block's text, and it
keeps at least `HTML_MODEL_MIN_KEPT` of the block's running text (the text the block was placed
by: a model that would drop most of it has misread the page). Elsewhere the caller hands the
block to trafilatura, once (html/extract.py). The page's declared language is normalised
(`en_US` reads as `en`); a page that declares none gets it detected, as a text page does."""

from __future__ import annotations

import json
import math
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import regex
from selectolax.lexbor import LexborNode

from ..errors import PackError
from ..packs.loader import builtin_rules_dir
from ..settings import (
    HTML_CLASS_GROUPS,
    HTML_MODEL_MARGIN,
    HTML_MODEL_MIN_KEPT,
    HTML_MODEL_UNSURE,
    HTML_PROSE_BLOCK_CHARS,
)
from ..text.classify import Logistic, pushed, read_model
from ..text.features import feature_names, page_rows
from ..text.language import detect, normalise, primary
from .blocks import BLOCK_TAGS, Main
from .fields import clean_ws

TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "td", "th", "pre", "dt", "dd")
assert frozenset(TAGS) == BLOCK_TAGS  # one feature for each kind of text block
ANCESTORS = ("figure", "a", "ul", "ol", "table", "form", "aside", "nav", "footer", "header", "section", "article")
OUTSIDE = "outside"  # the mark of an element an `html.outside` selector named (Main.left_out)
_WORD = regex.compile(r"\p{L}+")
_GROUPS = {group: frozenset(words.split()) for group, words in HTML_CLASS_GROUPS.items()}
MODEL = builtin_rules_dir() / "models" / "blocks.json"


def markup_names() -> list[str]:
    return [
        "link_share", "prev.link_share", "next.link_share", "depth", *(f"tag.{t}" for t in TAGS),
        *(f"in.{t}" for t in ANCESTORS), "in.outside", *(f"class.{g}" for g in HTML_CLASS_GROUPS),
    ]  # fmt: skip


def block_names() -> list[str]:
    return feature_names() + markup_names()


@dataclass
class Verdict:
    """The model's reading of a main block: its text blocks, which are the article's, and
    whether it is sure enough to decide without the extractor."""

    blocks: list[tuple[LexborNode, str]]  # (block, its text), in the page's order
    scores: list[float]
    keep: list[bool]
    unsure: float  # the share of the block's text the model cannot place

    @property
    def sure(self) -> bool:
        return self.unsure <= HTML_MODEL_UNSURE and any(self.keep)

    def text(self) -> str:
        """The kept blocks, one a line, list items as `- ` (as trafilatura writes them)."""
        kept = (("- " if b.tag == "li" else "") + t for (b, t), k in zip(self.blocks, self.keep, strict=True) if k)
        return "\n".join(kept)


def judge(main: Main, language: str | None) -> Verdict | None:
    """The model's verdict on the main block's text blocks; None when the page has no main
    block or it holds no text block. `language`: as the page declares it (`en_US`, `en-gb`),
    or None: then it is detected from the blocks' text, as for a text page."""
    top = main.element
    if top is None:
        return None
    inside = main.inside() or set()
    blocks = [(b, t) for b, t in main.texts() if b.mem_id in inside]
    if not blocks:
        return None
    sizes = np.array([len(t) for _, t in blocks], dtype=float)
    total = max(len(clean_ws(top.text(separator=" "))), sizes.sum())
    unseen = total - sizes.sum()  # text in no block: the model cannot judge it
    if unseen > HTML_MODEL_UNSURE * total and not _RECORD:
        return Verdict(blocks, [], [False] * len(blocks), float(unseen / total))
    language = primary(normalise(language)) or detect("\n".join(t for _, t in blocks))  # `en_US` or none: en
    rows = block_rows(main, blocks, language)
    if _RECORD:
        _RECORD[-1].append(([t for _, t in blocks], rows, language))
        if not _OVERRIDE:
            return None  # collecting training data: the extractor reads the page, as without a model
    model = _OVERRIDE[-1] if _OVERRIDE else _load(str(MODEL))
    scores = model.scores(rows)
    unplaced = sizes[np.abs(scores) < HTML_MODEL_MARGIN].sum() + unseen
    keep = [s > 0 for s in scores]
    prose = sizes * (sizes >= HTML_PROSE_BLOCK_CHARS)
    if prose.sum() and (prose * keep).sum() < HTML_MODEL_MIN_KEPT * prose.sum():
        unplaced = total  # it would drop most of the running text the block was placed by: not sure
    return Verdict(blocks, scores, keep, float(unplaced / total))


def block_rows(main: Main, blocks: list[tuple[LexborNode, str]], language: str | None) -> np.ndarray:
    top = main.element
    assert top is not None
    shared = page_rows([t for _, t in blocks], language, None).rows
    marks: dict[int, _Marks] = {top.mem_id: (frozenset(), frozenset(), 0)}
    links = _link_chars(top, {b.mem_id for b, _ in blocks})
    share = [min(1.0, links.get(b.mem_id, 0) / len(t)) for b, t in blocks]
    prev, after = [0.0, *share[:-1]], [*share[1:], 0.0]
    rows = []
    for i, (node, _) in enumerate(blocks):
        tags, groups, depth = _above(node, marks, main.left_out)
        groups = groups | _groups(node)  # the block's own class too (`<p class="caption">`)
        rows.append([
            share[i], prev[i], after[i], math.log1p(depth),
            *(float(node.tag == t) for t in TAGS), *(float(t in tags) for t in ANCESTORS), float(OUTSIDE in tags),
            *(float(g in groups) for g in HTML_CLASS_GROUPS),
        ])  # fmt: skip
    return np.hstack([shared, np.array(rows, dtype=float)])


def _link_chars(top: LexborNode, blocks: set[int]) -> dict[int, int]:
    """The characters of link text in each block, in one pass over the links under `top`."""
    out: dict[int, int] = {}
    for a in top.css("a"):
        up = a.parent
        while up is not None and up.mem_id not in blocks and up.mem_id != top.mem_id:
            up = up.parent
        if up is not None and up.mem_id in blocks:
            out[up.mem_id] = out.get(up.mem_id, 0) + len(clean_ws(a.text(separator=" ")))
    return out


_Marks = tuple[frozenset[str], frozenset[str], int]  # tags, class groups, elements up to the top


def _groups(element: LexborNode) -> frozenset[str]:
    """The class groups whose words the element's class or id holds."""
    attributes = element.attributes
    if not attributes:
        return frozenset()
    words = set(_WORD.findall(f"{attributes.get('class') or ''} {attributes.get('id') or ''}".lower()))
    return frozenset(g for g, vocabulary in _GROUPS.items() if words & vocabulary)


def _above(node: LexborNode, marks: dict[int, _Marks], left_out: frozenset[int]) -> _Marks:
    """The tags and class groups of the elements between `node` and the main block, and how
    many they are (an element of `left_out` adds the tag OUTSIDE); memoised by element
    (`marks` starts with the main block), since blocks share their ancestors."""
    chain = []
    up = node.parent
    while up is not None and up.mem_id not in marks:
        chain.append(up)
        up = up.parent
    tags, groups, depth = marks[up.mem_id] if up is not None else (frozenset(), frozenset(), 0)
    for element in reversed(chain):  # outermost first: each adds its own to what is above it
        tags, groups, depth = (
            tags | {element.tag or ""} | ({OUTSIDE} if element.mem_id in left_out else set()),
            groups | _groups(element),
            depth + 1,
        )
        marks[element.mem_id] = (tags, groups, depth)
    return tags, groups, depth


def to_json(model: Logistic) -> str:
    return json.dumps(asdict(model), indent=1)


@cache
def _load(path: str) -> Logistic:
    data = read_model(Path(path), "bench/block_model.py")
    stale = PackError(path, "the block model's features are not this version's; retrain it (bench/block_model.py)")
    try:
        model = Logistic(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
    except TypeError as exc:
        raise stale from exc
    if list(model.names) != block_names():
        raise stale
    return model


_OVERRIDE: list[Logistic] = []
_RECORD: list[list[tuple[list[str], np.ndarray, str | None]]] = []


def using(model: Logistic) -> AbstractContextManager[None]:
    """Run with this model in place of the shipped one (cross-validation in bench/)."""
    return pushed(_OVERRIDE, model)


def recording(into: list[tuple[list[str], np.ndarray, str | None]]) -> AbstractContextManager[None]:
    """Record each main block's block texts, feature rows and language (training data)."""
    return pushed(_RECORD, into)
