"""The fallback for outlets with no pack (`_generic`): its line model, the sentences it never cuts,
its vocabulary in many languages, and the language of every page. Each decision has a page where
it must act and one where it must not. All pages here are written for these tests."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import clean
from cleaner.errors import PackError
from cleaner.text import classify, features
from cleaner.text.language import detect, normalise, stopwords

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks" / "article-extraction-benchmark"

MENU = "Home\nNews\nWorld\nBusiness\nSport\nCulture\nOpinion\nSearch\n"
FOOTER = "About us\nContact\nCareers\nAdvertise\nPrivacy policy\nTerms of use\n"
BODY = [
    "The city council approved a new plan on Tuesday to rebuild the old river bridge by the end of next year.",
    "Engineers said the work would close one lane at a time, so that traffic could keep moving during the repairs.",
    "Residents of the east bank had asked for the repairs for more than a decade, the mayor told reporters.",
    "The council will publish the full schedule of the works next month, after a final vote on the budget.",
]


def page(*parts: str) -> str:
    return "\n".join(p.strip("\n") for p in parts) + "\n"


def removed_by(doc, rule: str) -> str:
    return "\n".join(r.text for r in doc.removed if r.rule == rule)


# -- the line model ----------------------------------------------------------------------------
def test_model_drops_the_frame_and_keeps_the_article():
    doc = clean(
        page(MENU, "Bridge repairs approved", *BODY, FOOTER), url="https://city-paper.example/bridge-repairs-approved"
    )
    assert doc.pack == "_generic@6"
    for line in BODY:
        assert line in doc.text
    for chrome in ("Business", "Opinion", "Careers", "Terms of use"):
        assert chrome not in doc.text and chrome in removed_by(doc, "gen.article")


def test_model_leaves_an_extracted_article_alone():
    text = page("Bridge repairs approved", "", "\n\n".join(BODY), "", "More to follow")
    doc = clean(text)
    assert doc.text.splitlines()[0] == "Bridge repairs approved" and doc.text.rstrip().endswith("More to follow")
    assert not removed_by(doc, "gen.article")


def test_the_main_run_always_stays_whatever_the_model_scores(monkeypatch):
    # a model that calls every line chrome still leaves the page's main run of paragraphs
    real = classify.Model.scores
    monkeypatch.setattr(classify.Model, "scores", lambda self, rows, *rest: [x - 50 for x in real(self, rows, *rest)])
    doc = clean(page(MENU, *BODY, FOOTER))
    for line in BODY:
        assert line in doc.text
    assert "Careers" not in doc.text


def test_warning_when_almost_no_sentence_is_kept(monkeypatch):
    # the main run is one paragraph; a model that drops the other sentences leaves a warning
    lines = [BODY[0], *MENU.split(), *(b + " Then more words follow here." for b in BODY[1:]), FOOTER]
    real = classify.choose
    monkeypatch.setattr(classify, "choose", lambda ls, *_: [False] * len(ls))
    doc = clean(page(*lines))
    assert any("the article may be lost" in w for w in doc.warnings)
    # the warning is a value: the batch summary counts it by its kind, not by its text
    from cleaner.document import PageStats
    from cleaner.report.summary import Aggregator

    runs = Aggregator()
    runs.add(PageStats.of(doc))
    monkeypatch.setattr(classify, "choose", real)
    fine = clean(page(*lines))
    assert not any("the article may be lost" in w for w in fine.warnings)
    runs.add(PageStats.of(fine))
    assert runs.summary()["article_may_be_lost"] == 1


def test_decode_finds_the_best_run():
    scores = [-3.0, -2.0, 4.0, -0.5, 3.0, -4.0, -4.0, 5.0]
    sizes = [1.0] * len(scores)
    # the run is lines 2-4; line 3 stays inside it, line 7 stays outside it only over `outside`
    assert classify.decode(scores, sizes, span=0.0, inside=-1.0, outside=6.0) == [
        False,
        False,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    assert classify.decode(scores, sizes, span=0.0, inside=-1.0, outside=4.5)[-1] is True
    assert classify.decode([], [], 0.0, 0.0, 0.0) == []


def test_the_quick_look_for_unspaced_scripts_misses_none_of_their_characters():
    # the page-wide first look (plain ranges) must find every character the by-script classes do
    from cleaner.text.features import _UNSPACED_CHAR, UNSPACED_BLOCKS

    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    missed = [c for c in _UNSPACED_CHAR.findall(chars) if not UNSPACED_BLOCKS.match(c)]
    assert missed == []
    assert UNSPACED_BLOCKS.search("Київ, “quotes” — and é") is None  # Cyrillic, punctuation, accents: no


def _column(rows, name):
    return rows[:, classify.feature_names().index(name)]


def test_a_page_of_a_line_or_two_has_no_frame_and_a_longer_one_does():
    # however low the model scores them, a page of two lines stays; a menu of six lines goes
    drop = [-9.0] * 6
    assert classify.settle(["Harbour plan", "approved"], drop[:2], [1.0] * 2, None, 0.0, -1.0, 3.0) == [True, True]
    menu = MENU.split()[:6]
    assert classify.settle(menu, drop, [1.0] * 6, None, 0.0, -1.0, 3.0) == [False] * 6


def test_the_main_runs_prose_counts_as_inside_the_article():
    # lines 0-2 are the model's run; line 4 is prose of the main run (lines 0-4) past it: it
    # stays over the `inside` threshold and goes under it; the menu line 3 goes either way
    lines = [*BODY[:3], "Sport", BODY[3]]
    sizes = [1.0] * 5
    cluster = classify.main_cluster(lines, 40, 12)
    assert cluster == (0, 4)
    over = classify.settle(lines, [3.0, 3.0, 3.0, -9.0, -1.0], sizes, cluster, -0.5, -2.0, 3.0)
    under = classify.settle(lines, [3.0, 3.0, 3.0, -9.0, -3.0], sizes, cluster, -0.5, -2.0, 3.0)
    assert over == [True, True, True, False, True]
    assert under == [True, True, True, False, False]


def test_a_link_piece_scores_as_its_sentence_and_a_headline_as_itself():
    lines = [*LINKED, "Headline about the port"]
    rows = classify.page_features(lines, "en")
    piece, headline = 1, len(lines) - 1  # "Home: Perspectives"; a headline of no sentence
    joined = " ".join(LINKED[:3])
    assert _column(rows, "sentence.log_chars")[piece] == pytest.approx(math.log1p(len(joined)))
    assert _column(rows, "sentence.ends_sentence")[piece] == 1.0 and _column(rows, "sentence.log_pieces")[piece] > 0
    assert _column(rows, "sentence.log_chars")[headline] == pytest.approx(math.log1p(len(lines[headline])))
    assert _column(rows, "sentence.log_pieces")[headline] == 0.0


def test_a_line_on_the_articles_subject_shares_its_words_and_a_teaser_does_not():
    lines = [*HARBOUR, "Scientists find a new species of orchid growing wild in the northern mountains."]
    shared = _column(classify.page_features(lines, "en"), "topic.shared")
    assert min(shared[:3]) > 0.3  # the harbour, the cranes: words the other paragraphs use
    assert shared[3] == 0.0


HARBOUR = [
    "The harbour authority bought four electric cranes from a Finnish maker on Monday.",
    "The cranes will replace diesel machines that have worked at the harbour since 1987.",
    "Dock workers said the electric cranes were quieter, and the harbour expects lower costs.",
]


def test_the_second_pass_sees_what_the_first_kept_and_its_subject():
    # the first pass kept the article and a teaser below it; the teaser shares none of the
    # article's subject, the article's lines do; the menu line stands two lines from the kept ones
    teaser = "Scientists find a new species of orchid growing wild in the northern mountains."
    lines = [*HARBOUR, teaser, "Sport", "Weather"]
    ctx = classify.context_features(lines, "en", [3.0, 3.0, 3.0, 1.0, -4.0, -4.0])
    col = {n: ctx[:, i] for i, n in enumerate(features.CONTEXT)}
    assert min(col["first.shared"][:3]) > 0.3 and col["first.shared"][3] == 0.0
    assert list(col["first.kept"]) == [1, 1, 1, 1, 0, 0] and list(col["inside_first_kept"]) == [1, 1, 1, 1, 0, 0]
    assert col["from_first_kept"][5] == pytest.approx(math.log1p(2)) and col["from_first_kept"][0] == 0.0
    # a model without a second pass scores as its first
    first = classify.Model.from_file(ROOT / "rules" / "models" / "lines.json").first
    rows = classify.page_features(lines, "en")
    assert classify.Model(first, None, 0, 0, 0).scores(rows, lines, "en") == first.scores(rows)


def test_the_lines_below_the_articles_end_are_no_prose_and_those_above_are():
    lines = [*BODY, *FOOTER.split("\n")[:-1]]
    rows = classify.page_features(lines, "en")
    end = len(BODY) - 1
    assert _column(rows, "above4.paragraph")[end] == 1.0 and _column(rows, "below4.paragraph")[end] == 0.0
    assert _column(rows, "below4.paragraph")[0] == 0.75  # three paragraphs, then the footer


# -- sentences cut at links --------------------------------------------------------------------
LINKED = [
    "Earlier this year, the photography exhibition",
    "Home: Perspectives",
    "opened at the city museum, and it drew more visitors in its first week than any show before it.",
    "According to the",
    "ministry of culture",
    ", the museum will now stay open until nine in the evening on Fridays.",
]


def test_a_sentence_split_into_link_lines_stays_whole(monkeypatch):
    # a model that keeps only long lines would cut the link texts out of their sentences
    monkeypatch.setattr(classify.Model, "scores", lambda self, rows, *_: [5.0 if r[0] > 4.1 else -5.0 for r in rows])
    doc = clean(page(MENU, "Museum extends its hours", *BODY[:2], *LINKED, *BODY[2:], FOOTER))
    for piece in LINKED:
        assert piece in doc.text, piece
    assert "Careers" not in doc.text and "Museum extends" not in doc.text


def test_sentences_groups_pieces_but_not_headlines():
    lines = [*LINKED, "Headline about the port", "Another headline about trains"]
    groups = classify.sentences(lines)
    assert (0, 2) in groups and (3, 5) in groups
    # short lines without a continuation are no sentence pieces: a menu or a headline list
    assert (6, 6) in groups and (7, 7) in groups


# -- vocabulary in many languages ----------------------------------------------------------------
def test_appeal_in_full_sentences_goes_and_an_article_about_donations_stays():
    appeal = "If you value independent reporting, please consider supporting our journalism with a monthly donation."
    doc = clean(page(MENU, *BODY, appeal, FOOTER))
    assert appeal in removed_by(doc, "gen.appeal-sentence")
    reported = "The charity said donations rose by a third this year, and it will open two more shelters in the spring."
    doc = clean(page(MENU, *BODY[:2], reported, *BODY[2:], FOOTER))
    assert reported in doc.text


def test_consent_text_goes_and_an_article_about_cookies_stays():
    banner = "We use cookies to improve your experience on our site and to show you personalised advertising."
    doc = clean(page(banner, "Accept", MENU, *BODY, FOOTER))
    assert banner in removed_by(doc, "gen.consent")
    bakery = "The bakery sold more than two thousand cookies on the first day, its owner said on Saturday."
    assert bakery in clean(page(MENU, *BODY[:2], bakery, *BODY[2:], FOOTER)).text


def test_disclaimer_goes_and_a_quote_of_permission_stays():
    notice = "This material may not be published, broadcast, rewritten or redistributed without permission."
    doc = clean(page(MENU, *BODY, notice, FOOTER))
    assert notice in removed_by(doc, "gen.disclaimer")
    quote = "The court ruled that the photos had been published without permission, and it fined the magazine."
    assert quote in clean(page(MENU, *BODY[:2], quote, *BODY[2:], FOOTER)).text


def test_a_byline_line_goes_and_a_sentence_starting_with_by_stays():
    doc = clean(page(MENU, "Bridge repairs approved", "By Jane Doe and John Roe", "(ASSOCIATED PRESS)", *BODY, FOOTER))
    assert "Jane Doe" in removed_by(doc, "gen.byline-line") and "ASSOCIATED PRESS" not in doc.text
    sentence = "By the end of the year the council expects to open the bridge to trams as well."
    assert sentence in clean(page(MENU, *BODY[:2], sentence, *BODY[2:], FOOTER)).text


RELATED = [
    "Regional government announces new grants for school textbooks in public schools",
    "Central library to open on Sundays from October because of high demand from students",
    "Swimming pool in the south closes for repairs for the whole summer, council says",
]


def test_a_related_list_of_long_headlines_goes_in_spanish_and_english():
    es = clean(page(MENU, *BODY, "Noticias relacionadas", *RELATED, FOOTER))
    assert RELATED[0] in removed_by(es, "gen.end-heading")
    en = clean(page(MENU, *BODY, "Related articles", *RELATED, FOOTER))
    assert all(h not in en.text for h in RELATED)
    # the same headings inside a sentence, and long lines after them, stay
    kept = clean(
        page(MENU, *BODY[:2], "Noticias relacionadas con el puente fueron publicadas ayer por la tarde.", *BODY[2:])
    )
    assert "Noticias relacionadas con el puente" in kept.text


def test_a_related_list_without_a_heading_goes():
    # long headlines after the article, no heading over them: the model sees them as a list
    late = "Tram line to the airport opens two years late after a long dispute over its cost"
    doc = clean(page(MENU, "Bridge repairs approved", *BODY, *RELATED, late, FOOTER))
    assert all(line in doc.text for line in BODY)
    assert all(h not in doc.text for h in [*RELATED, late])


def test_a_list_introduced_by_a_kept_sentence_stays_and_a_footer_list_goes():
    intro = "The council listed the three districts where the works will start first:"
    items = ["- Podil", "- Obolon", "- Darnytsia"]
    doc = clean(page(MENU, *BODY[:2], intro, *items, *BODY[2:], FOOTER))
    assert all(line in doc.text for line in [intro, *items])
    social = clean(page(MENU, *BODY, "Follow us:", "- Facebook", "- Telegram", "- YouTube", FOOTER))
    assert "Telegram" not in social.text and "Follow us" not in social.text


ES = [
    "El pleno aprobó el martes la apertura de tres nuevas bibliotecas de barrio, que funcionarán también como salas de "
    "estudio.",
    "Según la concejala de Cultura, las obras comenzarán en primavera y costarán unos cuatro millones de euros.",
    "Los vecinos de los barrios del norte llevaban años pidiendo un espacio de lectura cerca de sus casas.",
]
DE = [
    "Die Stadtwerke senken zum ersten Januar die Strompreise für Haushaltskunden um durchschnittlich acht Prozent.",
    "Grund seien die gesunkenen Einkaufspreise an der Börse, sagte ein Sprecher des Unternehmens am Montag.",
    "Die Verbraucherzentrale begrüßte den Schritt, forderte aber, dass auch die Gaspreise bald sinken.",
]
JA = [
    "市内で十五年ぶりとなる新しい駅が土曜日に開業し、朝から多くの利用者が訪れた。",
    "駅の周辺には商業施設や公園も整備され、市は年間で約三百万人の利用を見込んでいる。",
    "開業を祝う式典では、市長が「地域の発展につながる大きな一歩だ」と述べた。",
]
ZH = [
    "市政府周二宣布，将在明年年底前完成老城区三座桥梁的维修工程，以改善交通状况。",
    "工程师表示，施工期间将每次只封闭一条车道，以便车辆能够继续通行。",
    "市长对记者说，东岸居民要求维修桥梁已经有十多年了，这次终于得到了回应。",
]


@pytest.mark.parametrize(
    ("lang", "body", "menu", "chrome"),
    [
        (
            "es",
            ES,
            "Portada\nSociedad\nEconomía\nDeportes\n",
            "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
        ),
        (
            "de",
            DE,
            "Startseite\nPolitik\nWirtschaft\nSport\n",
            "© Zeitung Beispiel. Alle Rechte vorbehalten. Nachdruck nur mit Genehmigung.",
        ),
        ("ja", JA, "ホーム\n社会\n経済\nスポーツ\n", "記事の無断転載を禁じます。"),
        ("zh", ZH, "首页\n新闻\n财经\n体育\n", "版权所有，未经许可不得转载。"),
    ],
)
def test_pages_in_other_languages(lang, body, menu, chrome):
    doc = clean(page(menu, *body, chrome, menu))
    assert doc.language == lang
    for line in body:
        assert line in doc.text
    assert chrome not in doc.text
    assert menu.split()[1] not in doc.text


# -- language --------------------------------------------------------------------------------------
def test_language_is_detected_for_text_and_normalised_for_html():
    assert detect("\n".join(DE)) == "de" and detect("\n".join(ZH)) == "zh"
    assert detect("Home\nNews") is None  # too little text to tell
    # BCP 47, as trafilatura users expect: region and script kept, in their canonical case
    assert normalise("en_US") == "en-US" and normalise("uk-ua") == "uk-UA" and normalise("EN") == "en"
    assert normalise("zh-hant-tw") == "zh-Hant-TW" and "the" in stopwords("en-GB")
    assert normalise("") is None and normalise("x") is None
    html = '<html lang="pt-BR"><body><article><p>' + "</p><p>".join(ES) + "</p></article></body></html>"
    assert clean(html, format="html").language == "pt-BR"  # what the page declares, normalised
    assert clean(page(*ES)).language == "es"
    assert "the" in stopwords("en") and stopwords("xx") == frozenset()


def test_language_is_the_same_across_hash_seeds(tmp_path):
    # the detector and the model are deterministic: the same output under other hash seeds
    script = (
        "import sys, json; from cleaner import clean; d = clean(sys.stdin.read()); print(json.dumps([d.text, "
        "d.language]))"
    )
    text = page(MENU, *BODY, *LINKED, FOOTER)
    outs = {
        subprocess.run(
            [sys.executable, "-c", script], input=text, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("0", "1", "12345")
    }  # fmt: skip
    assert len(outs) == 1 and json.loads(outs.pop())[1] == "en"


# -- the model file ----------------------------------------------------------------------------------
def test_a_missing_model_is_a_pack_error(write_pack):
    from cleaner import Options
    from cleaner.errors import PackError

    rules = write_pack("t", '[[text.drop]]\nid = "t.a"\nkind = "article"\nmodel = "nowhere.json"\n')
    with pytest.raises(PackError, match="model file nowhere.json not found"):
        clean("x", pack="t", options=Options(rules_dirs=(str(rules),)))


def test_a_model_of_other_features_is_refused(tmp_path):
    bad = tmp_path / "m.json"
    one = {"names": ["x"], "mean": [0], "scale": [1], "weights": [1], "bias": 0}
    decoding = {"span": 0, "inside": 0, "outside": 0}
    for shape in ({"first": one, "second": None, **decoding}, {**one, **decoding}):  # this version's, an older one
        bad.write_text(json.dumps(shape))
        with pytest.raises(PackError, match="retrain it"):
            classify.Model.from_file(bad)
    shipped = classify.Model.from_file(ROOT / "rules" / "models" / "lines.json")
    assert shipped.second is not None and list(shipped.second.names) == classify.context_names()


# -- the instrument ----------------------------------------------------------------------------------
@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/benchmarks is not here")
def test_render_eval_runs_on_a_few_pages():
    pytest.importorskip("inscriptis")
    out = subprocess.run(
        [sys.executable, "bench/render_eval.py", "--limit", "12", "--folds", "2", "--no-peers"],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.count("cleaner, unseen sites") == 2 and "fold 1" in out.stdout
