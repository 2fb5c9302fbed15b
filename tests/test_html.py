"""The HTML path: outlet selectors without trafilatura, generic pages through it, encodings,
sniffing, and pages that must not crash or hang."""

from __future__ import annotations

import sys

import pytest

from cleaner import InputError, clean
from cleaner.html.extract import LARGE_HTML

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "html"
KI = (FIXTURES / "kyiv_independent.html").read_text(encoding="utf-8")
ESP = (FIXTURES / "espreso_global.html").read_text(encoding="utf-8")

GENERIC = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Council approves harbour plan - Example Gazette</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Council approves harbour plan", "datePublished": "2024-04-02T08:30:00+03:00",
 "author": [{"@type": "Person", "name": "Iryna Koval"}, {"@type": "Person", "name": "Taras Lenko"}],
 "publisher": {"@type": "Organization", "name": "Example Gazette"}}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Council approves harbour plan</h1>
<p>The city council approved the harbour reconstruction plan on Tuesday after a debate that lasted most of the day, officials said.</p>
<p>The plan includes new breakwaters, two cargo berths and a ferry terminal, to be built over the next four years with European funding.</p>
<p>Opposition members said the budget was too optimistic and asked for an independent review of the costs before construction begins.</p>
<p>Read also: Ferry operator adds summer routes</p>
<p>The mayor said the first tenders would be announced in June and the work should start in the autumn.</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Storm closes the coastal road</a></li><li><a href="/b">New school opens</a></li></ul></aside>
<footer>© 2024 Example Gazette. All rights reserved.</footer>
</body></html>"""


def test_outlet_pages_pick_their_pack_by_css_signature():
    assert clean(KI).pack == "kyiv_independent@2" and clean(KI).pack_reason == "signature"
    assert clean(ESP).pack == "espreso_global@3"
    assert clean(ESP, url="https://global.espreso.tv/x").pack_reason == "host"


def test_outlet_pages_clean_without_trafilatura(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # any import of it now fails
    ki, esp = clean(KI), clean(ESP)
    assert ki.format == esp.format == "html"
    assert ki.title == "Zelensky meets Baltic leaders in Vilnius to discuss air defense"
    assert ki.author == "Martin Fornusek and Kateryna Denisova"
    assert ki.date == "2024-03-05T15:12"
    assert ki.text.startswith("President Volodymyr Zelensky met the leaders")
    assert "- Latvia and Estonia pledged 30 million euros each." in ki.text
    assert ki.text.endswith("the Latvian delegation said.\n")
    for chrome in ("Become a member", "AI assistance", "Avatar", "Unrelated headline", "Show More", "©", "Podcasts"):
        assert chrome not in ki.text
    assert esp.title == "Drones attack refinery in Krasnodar region" and esp.date == "2026-01-30T23:00"
    assert esp.description and esp.text.startswith(esp.description)
    assert "- Ukraine's General Staff has not commented on the strike." in esp.text
    for chrome in ("Read also", "howitzers", "More news", "Telegram", "Exclusive", "Espreso. Global"):
        assert chrome not in esp.text


def test_strip_removals_are_attributed():
    rules = {r.rule for r in clean(KI).removed}
    assert "ki.html-strip" in rules
    strips = [r for r in clean(KI).removed if r.rule == "ki.html-strip"]
    assert any(".author-card" in r.text for r in strips)


def test_generic_page_goes_through_trafilatura_and_the_text_rules():
    doc = clean(GENERIC, url="https://example-gazette.com/news/harbour")
    assert (doc.pack, doc.format) == ("_generic@6", "html")
    assert doc.title == "Council approves harbour plan"
    assert doc.author == "Iryna Koval and Taras Lenko" and doc.sitename == "Example Gazette"
    assert doc.date == "2024-04-02T08:30+03:00"  # the page's time zone stays
    assert doc.text.startswith("The city council approved")  # the repeated <h1> title went
    assert "first tenders would be announced in June" in doc.text
    for chrome in ("Read also", "Storm closes", "All rights reserved", "Sport"):
        assert chrome not in doc.text


@pytest.mark.parametrize("codec", ["cp1251", "koi8_u"])
@pytest.mark.parametrize("declared", [True, False])
def test_cyrillic_html_decodes(codec, declared):
    body = (
        "Уряд затвердив нові правила бронювання працівників критичних підприємств, повідомило міністерство "
        "економіки в четвер."
    )
    meta = f'<meta charset="{codec.replace("_", "-")}">' if declared else ""
    html = f"<html><head>{meta}<title>Новини</title></head><body><article><p>{body}</p><p>{body}</p></article></body></html>"
    doc = clean(html.encode(codec))
    assert body in doc.text
    assert doc.encoding_reason == ("declared" if declared else "detected")


def test_sniffing_and_format_override():
    assert clean(GENERIC).format == "html"
    as_text = clean(GENERIC, format="text")
    assert as_text.format == "text" and "<p>" in as_text.text
    assert clean("A plain text page about <b> tags, with one sentence.\n").format == "text"


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        (
            "<html><body><div><p>Unclosed paragraph about the harbour plan and its budget for the coming four "
            "years<div><span>more text",
            "Unclosed paragraph about the harbour plan",
        ),
        (
            "<p>No html or body element at all, just a paragraph about the harbour plan that is long enough.</p>",
            "No html or body element at all, just a paragraph about the harbour plan",
        ),
        ("<html><head><title>Empty</title></head><body></body></html>", None),
        (
            "<html><body>" + "<div>" * 5000 + "deeply nested text" + "</div>" * 5000 + "</body></html>",
            "deeply nested text",
        ),
    ],
    ids=["malformed", "no-body", "empty-body", "deep"],
)
def test_bad_html_gives_a_document(html, kept):
    """Broken markup still gives a Document: its text where it has some, and no error."""
    doc = clean(html, format="html")
    assert doc.format == "html"
    if kept:
        assert kept in doc.text
    else:  # nothing worth keeping: an empty body, and a warning that says so
        assert doc.text == "" and any("nothing kept" in w for w in doc.warnings)


def test_binary_junk_named_html_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="binary"):
        clean(bytes(range(256)) * 100, source=str(tmp_path / "page.html"))


def test_huge_html_skips_the_extractor_with_a_warning():
    article = "".join(
        f"<p>Paragraph {j} of the article, a full sentence about the harbour plan and its budget.</p>"
        for j in range(30)
    )
    chrome = "<div class='teaser'><a href='#'>Another story</a></div>"
    html = (
        "<html><body><article>" + article + "</article>" + chrome * (LARGE_HTML // len(chrome) + 10) + "</body></html>"
    )
    doc = clean(html)
    assert any("too large for main-content extraction" in w for w in doc.warnings)
    assert "Paragraph 29 of the article" in doc.text


SENTENCE = "The discovery was announced on Monday in a journal article, the agency said."


def test_a_linked_sentence_inside_the_article_is_kept_in_its_place():
    # each paragraph in a card of its own, as news CMSs render them: a short card that is mostly
    # a link is still a sentence of the article (trafilatura's precision mode would drop it)
    card = '<div class="card"><div class="card-content"><p>{}</p></div></div>'
    body = [
        card.format(f"Paragraph {n} of the report tells what the officials found on the site, and what comes next.")
        for n in range(4)
    ]
    linked = card.format(
        'The findings were announced Monday in the <a href="https://example.org/a">journal Nature Astronomy</a>.'
    )
    html = (
        "<html><body><article><h1>Water on a "
        f"moon</h1>{''.join(body[:2])}{linked}{''.join(body[2:])}</article></body></html>"
    )
    text = clean(html).text
    assert "announced Monday in the journal Nature Astronomy." in text
    assert text.index("Paragraph 1") < text.index("Nature Astronomy") < text.index("Paragraph 2")


BODY_HTML = (
    "<article><p>Russian forces struck the city overnight, killing two people and injuring nine, the regional"
    " governor said on March 5.</p><p>Repair crews began work in the morning, and the operator expects to restore"
    " power within two days, officials said.</p></article>"
)


@pytest.mark.parametrize(
    ("head", "url", "pack"),
    [
        (
            '<link rel="canonical" href="https://kyivindependent.com/a-story/">',
            "https://kyivindependent.com/a-story/",
            "kyiv_independent@2",
        ),
        (
            '<meta property="og:url" content="https://global.espreso.tv/news-x">',
            "https://global.espreso.tv/news-x",
            "espreso_global@3",
        ),
        ('<link rel="canonical" href="/a-story/">', None, "_generic@6"),  # relative: says nothing
    ],
    ids=["canonical", "og-url", "relative"],
)
def test_the_pages_own_url_is_read_and_picks_the_pack(head, url, pack):
    doc = clean(f"<html><head>{head}<title>T</title></head><body>{BODY_HTML}</body></html>")
    assert (doc.url, doc.pack) == (url, pack)
    assert doc.hostname == (url.split("/")[2] if url else None)


def test_a_given_url_wins_over_the_declared_one():
    html = f'<html><head><link rel="canonical" href="https://kyivindependent.com/a/"></head><body>{BODY_HTML}</body></html>'
    assert clean(html, url="https://example.com/b").url == "https://example.com/b"


def test_dates_keep_their_time_zone_and_languages_are_bcp_47():
    head = '<meta property="article:published_time" content="2024-03-05T15:12:00+02:00"><title>T</title>'
    doc = clean(f'<html lang="en_US"><head>{head}</head><body>{BODY_HTML}</body></html>')
    assert (doc.date, doc.language) == ("2024-03-05T15:12+02:00", "en-US")


AUDITED = """<!doctype html><html lang="en"><head><title>Council votes on the budget</title></head><body>
<nav class="site-menu"><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<div class="story"><h1>Council votes on the budget</h1>
<p>The city council voted on Tuesday to approve the budget for next year, after a debate that lasted well
into the night and drew a large crowd.</p>
<p>Members of the council said the plan would fund new schools, repair roads and hire more staff for the
libraries, which have had shorter hours since spring.</p>
<p>The mayor, who proposed the budget in March, said she was pleased with the outcome and thanked residents
for their <em>patience</em> during the long process.</p>
<p>Opponents argued that the plan relies on optimistic revenue forecasts, and they warned that cuts might
follow if the economy slows next year.</p>
</div>
<div class="related-stories"><h3>More stories</h3><ul>
<li><a href="/a">Police close the main bridge for repairs this weekend</a></li>
<li><a href="/b">Local team wins the regional final after extra time</a></li></ul></div>
</body></html>"""


def test_the_audit_names_each_run_of_blocks_the_extractor_left_out():
    doc = clean(AUDITED, format="html")
    left = [r.text for r in doc.removed if r.rule == "gen.html-block"]
    assert left == [
        "nav.site-menu, block 1-3 of 11, outside the main block div.story: Home | News | Sport",
        "div.related-stories, block 9-11 of 11, outside the main block div.story: More stories | Police close the"
        " main bridge for repairs this weekend | Local team wins the regional final after extra time",
    ]
    assert "patience during the long process" in doc.text  # an inline tag does not make a kept block look dropped


def test_a_page_the_extractor_keeps_whole_has_no_extract_removals():
    page = AUDITED.split('<nav class="site-menu">')[0] + AUDITED.split("</nav>")[1].split('<div class="related')[0]
    doc = clean(page + "</body></html>", format="html")
    assert not [r for r in doc.removed if r.rule in ("gen.html-extract", "gen.html-block")]


def test_explain_shows_what_the_markup_lost(tmp_path):
    from click.testing import CliRunner

    from cleaner.cli import cleaner_group

    page = tmp_path / "page.html"
    page.write_text(AUDITED, encoding="utf-8")
    out = CliRunner().invoke(cleaner_group, ["explain", str(page)]).stdout
    assert " html gen.html-block" in out and "nav.site-menu, block 1-3 of 11, outside the main block" in out
