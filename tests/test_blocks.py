"""The main block (html/blocks.py) and the one extractor call on it: pages written here."""

from __future__ import annotations

import json
import sys

import pytest

from cleaner import clean
from cleaner.html.blocks import main_block
from cleaner.html.extract import extract, outside_selectors, parse
from cleaner.packs.loader import load_packs

STORY = [
    "The regional water board approved a plan on Thursday to rebuild the old reservoir dam, which"
    " engineers have called unsafe since the floods of last spring.",
    "Work is to begin in April and take two years; the board said the town's supply would not be"
    " cut while the crews replace the spillway and the gates.",
    "Residents who spoke at the hearing asked for a public report every quarter, and the board"
    " agreed to publish one on its website.",
    "The cost, about 40 million euros, will be shared between the region and a national fund for"
    " flood defences, the chair of the board said.",
]
COOKIE = (
    "We use cookies and similar technologies to improve your experience on our website, to show"
    " you personalised content and to analyse our traffic."
)
TEASERS = [
    "Fire crews spend the night fighting a blaze at the old paper mill",
    "The new tram line opens to passengers a month ahead of schedule",
    "A local bakery wins the national prize for the best rye bread",
]
COMMENTS = [
    f"Comment {n}: I have lived next to that reservoir for thirty years and nobody ever told us it"
    " was unsafe, so I would like to know why this took so long to be decided." * 2
    for n in range(6)
]


def page(story: str, *, with_article_tag: bool = True, head: str = "") -> str:
    teaser = "".join(f'<div class="card"><a href="/t{n}"><h3>{t}</h3></a></div>' for n, t in enumerate(TEASERS))
    comments = "".join(f'<li class="comment"><p>{c}</p></li>' for c in COMMENTS)
    wrap = "article" if with_article_tag else "div"
    return (
        f"<!doctype html><html lang='en'><head><title>Dam to be rebuilt</title>{head}</head><body>"
        f'<div class="cookie-dialog" role="dialog"><p>{COOKIE}</p><button>Accept</button></div>'
        '<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>'
        f'<main><{wrap} class="story-body"><h1>Dam to be rebuilt</h1>{story}</{wrap}>'
        f'<section class="teaser-grid"><h2>More news</h2>{teaser}</section>'
        f'<section id="comments"><h2>Comments</h2><ol>{comments}</ol></section></main>'
        "<footer><p>© 2026 The Valley Courier. All rights reserved.</p></footer></body></html>"
    )


PAGE = page("".join(f"<p>{p}</p>" for p in STORY))
GENERIC = load_packs()["_generic"]


def test_the_main_block_is_the_article_not_the_longer_comment_thread():
    tree = parse(PAGE)
    main = main_block(tree, outside_selectors(GENERIC))
    assert main.where() == "article.story-body"
    assert main.share == 1.0  # the comments count nothing, the rest holds no running text


def test_without_the_outside_vocabulary_the_thread_would_win():
    # must-not-fire side of the vocabulary: the same page, no `html.outside`, places the block
    # above the article (the comment thread holds more running text than the story)
    main = main_block(parse(PAGE))
    assert main.where() != "article.story-body"


def test_block_scoring_keeps_the_article_and_drops_teasers_comments_and_the_cookie_dialog():
    doc = clean(PAGE, format="html")
    for sentence in STORY:
        assert sentence in doc.text
    for chrome in [COOKIE, *TEASERS, COMMENTS[0][:60], "All rights reserved"]:
        assert chrome not in doc.text
    outside = [r.text for r in doc.removed if r.rule == "gen.html-block"]
    assert any("We use cookies" in r for r in outside)
    assert any("Fire crews spend the night" in r for r in outside)
    assert all("outside the main block article.story-body" in r for r in outside)


def test_a_page_with_no_article_element():
    doc = clean(page("".join(f"<p>{p}</p>" for p in STORY), with_article_tag=False), format="html")
    assert all(s in doc.text for s in STORY)
    assert TEASERS[0] not in doc.text and COOKIE not in doc.text


def test_a_page_with_json_ld_article_body():
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Dam to be rebuilt",
        "datePublished": "2026-03-05T09:30:00+01:00",
        "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"@type": "Person", "name": "Tom Berg"}],
        "articleBody": " ".join(STORY),
    }
    head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    doc = clean(page("".join(f"<p>{p}</p>" for p in STORY), head=head), format="html")
    assert (doc.title, doc.author, doc.date) == ("Dam to be rebuilt", "Ana Ruiz and Tom Berg", "2026-03-05T09:30+01:00")
    assert all(s in doc.text for s in STORY) and '"articleBody"' not in doc.text


def test_the_extractor_sees_the_main_block_alone_once(monkeypatch):
    import trafilatura

    from cleaner.html import score

    monkeypatch.setattr(score, "HTML_MODEL_UNSURE", -1.0)  # the block model is never sure: the extractor reads
    seen: list[str] = []
    real = trafilatura.bare_extraction

    def spy(html, **options):
        seen.append(html)
        return real(html, **options)

    monkeypatch.setattr(trafilatura, "bare_extraction", spy)
    result = extract(parse(PAGE), GENERIC, None)
    assert len(seen) == 1 and STORY[0] in seen[0]
    assert COOKIE not in seen[0] and TEASERS[0] not in seen[0] and "Comment 1" not in seen[0]
    assert result.extractor == "trafilatura on article.story-body"


def test_a_page_too_thin_to_place_goes_to_the_extractor_whole(monkeypatch):
    import trafilatura

    seen: list[str] = []
    real = trafilatura.bare_extraction
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda html, **o: seen.append(html) or real(html, **o))
    thin = "<html><body><div class='a'><p>Short note.</p></div><div class='b'><p>Another one.</p></div></body></html>"
    assert main_block(parse(thin)).node is None
    clean(thin, format="html")
    assert len(seen) == 1 and 'class="b"' in seen[0] and 'class="a"' in seen[0]


def test_a_pack_body_selector_page_never_calls_the_extractor(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # any import of it now fails
    html = (
        '<html><head><link rel="canonical" href="https://kyivindependent.com/a-story/"></head><body>'
        '<article><div class="post-content">' + "".join(f"<p>{p}</p>" for p in STORY) + "</div></article></body></html>"
    )
    doc = clean(html, format="html")
    assert doc.pack.startswith("kyiv_independent") and STORY[0] in doc.text


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ('<p class="byline">By <a rel="author" href="/author/ana-ruiz/">Ana Ruiz</a></p>', "Ana Ruiz"),
        ('<span itemprop="author"><span itemprop="name">Tom Berg</span></span>', "Tom Berg"),
        ("<p>Ana Ruiz wrote this.</p>", None),  # a name in running text is no byline
    ],
)
def test_an_author_is_guessed_from_byline_markup_only_when_the_meta_tags_have_none(byline, author):
    doc = clean(page(byline + "".join(f"<p>{p}</p>" for p in STORY)), format="html")
    assert doc.author == author
    meta = '<meta name="author" content="Desk Editor">'
    assert clean(page(byline + "".join(f"<p>{p}</p>" for p in STORY), head=meta), format="html").author == "Desk Editor"


def test_the_extract_gets_the_fallbacks_vocabulary_but_not_its_frame():
    appeal = "Sign up for our free morning newsletter and get the region's news in your inbox every day."
    reported = "The board said residents could sign up for text alerts about the works on its website."
    story = "".join(f"<p>{p}</p>" for p in STORY[:2]) + f"<p>{appeal}</p><p>{reported}</p>"
    doc = clean(page(story + "".join(f"<p>{p}</p>" for p in STORY[2:])), format="html")
    assert appeal not in doc.text and reported in doc.text  # an appeal to the reader, a reported fact
    assert [r.rule for r in doc.removed if r.text.startswith("Sign up for our free")] == ["gen.appeal-sentence"]
    assert not [r for r in doc.removed if r.rule in ("gen.article", "gen.title", "gen.byline")]


def test_a_wrapper_whose_class_matches_the_outside_vocabulary_still_counts():
    # `[class*=cookie]` names consent banners; a page wrapped in `<div class="cookies-ok">` (a
    # CMS state class) holds the headline and the article, so its text still places the block
    wrapped = PAGE.replace("<main>", '<main><div class="cookies-ok">').replace("</main>", "</div></main>")
    main = main_block(parse(wrapped), outside_selectors(GENERIC))
    assert main.where() == "article.story-body"
    assert all(s in clean(wrapped, format="html").text for s in STORY)


def test_a_masthead_with_sentences_does_not_pull_the_block_up():
    blurb = "<p>The Valley Courier has reported on the towns of the upper valley since 1921, every day.</p>" * 3
    mast = PAGE.replace("<header>", f'<div id="site-header">{blurb}</div><header>')
    assert main_block(parse(mast), outside_selectors(GENERIC)).where() == "article.story-body"
    assert "since 1921" not in clean(mast, format="html").text


def test_small_losses_at_each_level_never_add_up_to_a_lost_lead():
    # Each level holds 90% of its parent's running text, but four levels down the block would
    # hold under 80% of the page's: the descent stops where the standfirsts are still inside.
    lead = (
        "The standfirst of the story sums it up in one sentence of its own, above the body, as the"
        " editors write it for the front page."
    )
    inner = "".join(f"<p>{p}</p>" for p in STORY) * 3
    html = inner
    for n in range(4):
        html = f'<div class="l{n}"><p>{lead}</p><div class="w{n}">{html}</div></div>'
    tree = parse(f"<html><body>{html}</body></html>")
    main = main_block(tree)
    assert main.share >= 0.8 and lead in main.node.text()


def test_media_fallback_text_in_the_block_is_neither_extracted_nor_audited():
    media = (
        "<video><p>Your browser does not support the video tag, please try another one.</p></video>"
        "<noscript><div><p>Please enable JavaScript to see the interactive map of the works.</p></div></noscript>"
    )
    paragraphs = [f"<p>{p}</p>" for p in STORY]
    doc = clean(page("".join(paragraphs[:2]) + media + "".join(paragraphs[2:])), format="html")
    assert "does not support the video" not in doc.text and "enable JavaScript" not in doc.text
    assert not [r for r in doc.removed if "does not support" in r.text or "enable JavaScript" in r.text]
    assert all(s in doc.text for s in STORY)


def test_author_guesses_stand_as_found_without_trafilaturas_normaliser(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura.json_metadata", None)  # its import now fails
    byline = '<span itemprop="author"><span itemprop="name">Tom Berg</span></span>'
    assert clean(page(byline + "".join(f"<p>{p}</p>" for p in STORY)), format="html").author == "Tom Berg"
