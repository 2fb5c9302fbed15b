"""The block model of the HTML path (html/score.py): which blocks of the main block are the
article, and when it decides without trafilatura. Pages written here."""

from __future__ import annotations

import json
import re
import sys
from types import SimpleNamespace

import pytest

from cleaner import clean
from cleaner.errors import PackError
from cleaner.html import score
from cleaner.html.blocks import block_text, main_block
from cleaner.html.extract import ALL_TEXT, _without, extract, outside_selectors, parse
from cleaner.packs.loader import load_packs

from .test_blocks import COMMENTS, COOKIE, PAGE, STORY, TEASERS

GENERIC = load_packs()["_generic"]


def wrapped_page() -> str:
    """Article, teaser grid, comments and a cookie notice all in one wrapper: the main block is
    the wrapper, so the chrome inside it is the block model's to find."""
    teasers = "".join(f'<div class="card"><a href="/t{n}"><h3>{t}</h3></a></div>' for n, t in enumerate(TEASERS))
    comments = "".join(f'<li class="comment-item"><p>{c[:150]}</p></li>' for c in COMMENTS[:3])
    return (
        f"<html lang='en'><body><div id='page'><div class='cookie-notice'><p>{COOKIE}</p></div>"
        f"<h1>Dam to be rebuilt</h1>{''.join(f'<p>{p}</p>' for p in STORY)}"
        f"<div class='related-grid'><h2>More news</h2>{teasers}</div>"
        f"<div class='comments'><h2>Comments</h2><ul>{comments}</ul></div></div></body></html>"
    )


def verdict(html: str) -> score.Verdict:
    main = main_block(parse(html), outside_selectors(GENERIC))
    found = score.judge(main, "en")
    assert found is not None
    return found


def scores_of(v: score.Verdict) -> dict[str, float]:
    return {text[:40]: s for (_, text), s in zip(v.blocks, v.scores, strict=True)}


def test_the_model_scores_the_story_up_and_teasers_and_comments_down():
    v = verdict(wrapped_page())
    by_text = scores_of(v)
    assert all(by_text[p[:40]] > 0 for p in STORY)
    assert all(by_text[t[:40]] < 0 for t in TEASERS)
    assert all(by_text[c[:40]] < 0 for c in COMMENTS[:3])


def test_a_clear_article_is_decided_without_trafilatura(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # any import of it now fails
    result = extract(parse(PAGE), GENERIC, None)
    assert result.extractor == "block model on article.story-body"
    assert all(p in result.text for p in STORY)
    doc = clean(PAGE, format="html")
    assert all(p in doc.text for p in STORY)
    assert not any(chrome in doc.text for chrome in (COOKIE, TEASERS[0], COMMENTS[0][:60]))


def test_where_the_model_is_unsure_trafilatura_reads_the_block_once(monkeypatch):
    import trafilatura

    seen: list[str] = []
    real = trafilatura.bare_extraction
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda html, **o: seen.append(html) or real(html, **o))
    html = wrapped_page()
    assert not verdict(html).sure  # the cookie notice and the "More news" heading are near even
    doc = clean(html, format="html")
    assert len(seen) == 1 and STORY[0] in seen[0]
    assert all(p in doc.text for p in STORY)
    assert not any(chrome in doc.text for chrome in (COOKIE, TEASERS[0], COMMENTS[0][:60]))


def test_trafilaturas_dump_of_the_whole_block_goes_to_the_text_heuristics_line_by_line(monkeypatch):
    import trafilatura

    def dump(html: str, **options: object) -> SimpleNamespace:  # its last resort: the <article> as one text
        return SimpleNamespace(text=" ".join(parse(html).body.text(separator=" ").split()))

    monkeypatch.setattr(trafilatura, "bare_extraction", dump)
    html = wrapped_page()
    result = extract(parse(html), GENERIC, None)
    assert result.extractor == ALL_TEXT and "as one paragraph" in result.warnings[0]
    assert all(p in result.text.split("\n") for p in STORY)  # a line a block, as the page has them
    doc = clean(html, format="html")
    assert all(p in doc.text for p in STORY)
    assert not any(chrome in doc.text for chrome in (COOKIE, COMMENTS[0][:60]))


def test_an_extract_of_one_paragraph_that_is_not_the_whole_block_stands(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda html, **o: SimpleNamespace(text=STORY[0]))
    result = extract(parse(wrapped_page()), GENERIC, None)
    assert result.extractor.startswith("trafilatura on") and result.text == STORY[0]


def test_a_page_read_whole_by_trafilatura_goes_in_without_its_comment_thread_and_menu(monkeypatch):
    import trafilatura

    seen: list[str] = []
    real = trafilatura.bare_extraction
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda html, **o: seen.append(html) or real(html, **o))
    halves = "".join(
        f"<div class='part'>{''.join(f'<p>{p}</p>' for p in half)}</div>" for half in (STORY[:2], STORY[2:])
    )
    comments = "".join(f"<p>{c}</p>" for c in COMMENTS[:3])
    html = (
        "<html lang='en'><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<h1>Dam to be rebuilt</h1>{halves}<div class='comments'>{comments}</div></body></html>"
    )
    assert main_block(parse(html), outside_selectors(GENERIC)).element is None  # no block below <body> holds it
    doc = clean(html, format="html")
    assert len(seen) == 1 and all(p in seen[0] for p in STORY)
    assert COMMENTS[0][:60] not in seen[0] and "/news" not in seen[0]
    assert all(p in doc.text for p in STORY) and COMMENTS[0][:60] not in doc.text
    assert any(COMMENTS[0][:40] in r.text for r in doc.removed)  # what it never saw is in the audit


def test_subtrees_are_cut_from_the_page_in_one_pass_and_a_missing_one_stops_the_cutting():
    html = "<b>keep</b><i>x</i><b>keep</b><i>y</i><b>keep</b><i>z</i>"
    assert _without(html, ["<i>x</i>", "", "<i>y</i>", "<i>z</i>"]) == "<b>keep</b>" * 3
    assert _without(html, ["<i>y</i>", "<i>x</i>", "<i>z</i>"]) == html.replace("<i>y</i>", "")  # x: not after y
    comments = [f"<li>{n}</li>" for n in range(5000)]
    assert _without("<p>story</p>" + "".join(comments), comments) == "<p>story</p>"


def test_a_model_that_would_drop_most_of_the_running_text_is_not_sure():
    # a model that keeps short blocks and drops long ones, however sure of each: the main block
    # was placed by its running text, so dropping most of it means the model misread the page
    names = score.block_names()
    weights = [-4.0 if n == "log_chars" else 0.0 for n in names]
    upside_down = score.Logistic(tuple(names), (0.0,) * len(names), (1.0,) * len(names), tuple(weights), 14.0)
    with score.using(upside_down):
        v = verdict(PAGE)
        assert all(abs(s) > score.HTML_MODEL_MARGIN for s in v.scores) and not v.sure
        assert all(p in clean(PAGE, format="html").text for p in STORY)  # trafilatura read it
    assert verdict(PAGE).sure  # the shipped model keeps the story: it decides


def test_text_the_model_cannot_see_makes_it_unsure():
    # the story in bare divs (no <p>): the blocks it sees hold little of the main block's text
    story = "".join(f"<div class='para'>{p}<br></div>" for p in STORY)
    html = f"<html><body><article><h1>Dam to be rebuilt</h1><p>{STORY[0]}</p>{story}</article></body></html>"
    v = verdict(html)
    assert v.unsure > 0.5 and not v.sure
    assert all(p in clean(html, format="html").text for p in STORY)


def test_what_the_model_drops_is_in_the_audit():
    related = "".join(f"<li><a href='/r{n}'>{t}</a></li>" for n, t in enumerate(TEASERS))
    doc = clean(PAGE.replace("</article>", f"<ul class='related-links'>{related}</ul></article>"), format="html")
    model = [r.text for r in doc.removed if r.rule == "gen.html-model"]
    where = re.compile(r"ul\.related-links, block 7-9 of 21, score -\d+\.\d: Fire crews spend the night")
    assert any(where.match(r) for r in model)  # the run's place, its highest score (below zero), its words
    assert TEASERS[0] not in doc.text and all(p in doc.text for p in STORY)


def test_a_block_reads_its_inline_text_as_written_and_a_line_break_parts_words():
    tree = parse('<p>Announced in the <a href="/j">journal Nature</a>. Next<b>word</b></p><p>one<br>two</p>')
    first, second = tree.css("p")
    assert block_text(first) == "Announced in the journal Nature. Nextword"
    assert block_text(second) == "one two"


def test_a_model_of_other_features_is_refused(tmp_path):
    path = tmp_path / "blocks.json"
    data = json.loads(score.MODEL.read_text(encoding="utf-8"))
    data["names"] = data["names"][:-1]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PackError, match="retrain it"):
        score._load(str(path))


@pytest.mark.parametrize("content", [b"{bad", b"[1, 2]", b"\xff\xfe"])
def test_a_broken_model_file_is_a_clear_error_naming_it(tmp_path, content):
    path = tmp_path / "blocks.json"
    path.write_bytes(content)
    with pytest.raises(PackError, match="blocks.json .*reinstall cleaner, or retrain it"):
        score._load(str(path))
