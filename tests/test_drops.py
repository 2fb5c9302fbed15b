"""Each drop kind: a page where it must fire and a page where it must leave everything alone."""

from __future__ import annotations

import pytest

from cleaner import Options, clean
from cleaner.normalize import normalize
from cleaner.packs.loader import builtin_rules_dir

MODEL = (builtin_rules_dir() / "models" / "lines.json").as_posix()

ARTICLE = """The committee met on Tuesday to review the plan for the new bridge across the river.

Engineers presented three designs, and the members asked for cost estimates for each of them.

A decision is expected at the next meeting in June, the chair said after the session.
"""


def _clean(write_pack, body: str, text: str):
    rules = write_pack("t", body)
    return clean(text, pack="t", options=Options(rules_dirs=(str(rules),)))


CASES = {
    "repeated-field": """
[[text.extract]]
id = "t.title"
pattern = '(?P<title>Bridge plan moves ahead[^\\n]*)'
where = { region = "head", lines = 1 }

[[text.drop]]
id = "t.repeat"
kind = "repeated-field"
field = "title"
where = { region = "head", lines = 3 }
reason = "headline again"
""",
    "exact": """
[[text.drop]]
id = "t.exact"
kind = "exact"
lines = ["Home", "Subscribe to our newsletter"]
reason = "template"
""",
    "line": """
[[text.drop]]
id = "t.promo"
kind = "line"
pattern = 'Subscribe to our newsletter'
reason = "promo"
""",
    "block": """
[[text.drop]]
id = "t.card"
kind = "block"
start = 'Related:.*'
min_lines = 2
max_lines = 3
reason = "card"
""",
    "from": """
[[text.drop]]
id = "t.tail"
kind = "from"
start = 'More stories'
after_fraction = 0.3
min_run = 2
reason = "tail"
""",
    "until": """
[[text.drop]]
id = "t.head"
kind = "until"
end = 'Home > News'
inclusive = true
reason = "head"
""",
    "between": """
[[text.drop]]
id = "t.box"
kind = "between"
start = 'ADVERTISEMENT'
end = 'END OF ADVERTISEMENT'
max_lines = 4
reason = "box"
""",
    "run": """
[[text.drop]]
id = "t.tags"
kind = "run"
min_lines = 3
max_chars = 30
anchor = "end"
reason = "tags"
""",
    "frame": """
[[text.drop]]
id = "t.frame"
kind = "frame"
min_chars = 25
min_head = 3
min_tail = 2
reason = "frame"
""",
    "article": f"""
[[text.drop]]
id = "t.article"
kind = "article"
model = "{MODEL}"
reason = "frame"
""",
    "span": """
[[text.drop]]
id = "t.credit"
kind = "span"
pattern = '\\(Photo: [^)]+\\)'
reason = "credit"
""",
}

FIRES = {
    "line": ("Subscribe to our newsletter\n\n" + ARTICLE, ["Subscribe"]),
    "block": (ARTICLE + "\nRelated: Bridge plans\nCity approves budget\n", ["Related", "City approves"]),
    "from": (ARTICLE + "\nMore stories\nFirst\nSecond\nThird\n", ["More stories", "Second"]),
    "until": ("Menu\nSearch\nHome > News\n\n" + ARTICLE, ["Menu", "Home > News"]),
    "between": (
        "The committee met on Tuesday.\n\nADVERTISEMENT\nBuy a car\nEND OF ADVERTISEMENT\n\n" + ARTICLE,
        ["ADVERTISEMENT", "Buy a car"],
    ),
    "run": (ARTICLE + "\nBridges\nCity council\nTransport\n", ["Bridges", "Transport"]),
    "frame": ("Home\nNews\nSport\nWeather\n\n" + ARTICLE + "\nAbout us\nContact\n", ["Sport", "Contact"]),
    "article": (
        "Home\nNews\nSport\nWeather\n\n" + ARTICLE + "\nAbout us\nContact\nPrivacy policy\nCareers\n",
        ["Sport", "Contact", "Careers"],
    ),
    "span": (ARTICLE.replace("river.", "river (Photo: City archive)."), ["Photo:", "archive"]),
    "exact": ("Home\n" + ARTICLE + "\nSubscribe to our newsletter\n", ["Home", "Subscribe"]),
    "repeated-field": (
        "Bridge plan moves ahead | City News\n\nBridge plan moves ahead\n\n" + ARTICLE,
        ["Bridge plan moves ahead\n"],
    ),
}

# Near misses: the kind's marker words used as article text, or its shape without its marker.
NOOPS = {
    "line": ARTICLE + "\nReaders can subscribe to our newsletter for updates on the project.\n",
    "block": ARTICLE + "\nRelated: the chair said the plan was final.\n",
    "from": ARTICLE
    + "\nMore stories about the bridge will follow as the committee publishes its report on the designs.\n",
    "until": "Home and News were the two words on the old sign over the bridge, residents recall.\n\n" + ARTICLE,
    "between": "ADVERTISEMENT\n\n" + ARTICLE,
    "run": ARTICLE + "\n- cost estimates\n- designs\n- schedule\n",
    # a lead and a dateline above the paragraphs, one short line below: too little to be a frame
    "frame": "Bridge plan moves ahead as engineers present three designs\n\nMay 2, 2024\n\n"
    + ARTICLE
    + "\nMore to follow\n",
    # the same, for the model: a page that is already the article keeps its lead and last line
    "article": "Bridge plan moves ahead as engineers present three designs\n\nMay 2, 2024\n\n"
    + ARTICLE
    + "\nMore to follow\n",
    "span": ARTICLE + "\nThe photo (Photo credit lines are rare in print) shows the river.\n",
    # the lines inside longer lines: only equal lines go
    # the headline once, and a line that starts like it but goes on as a sentence
    "repeated-field": "Bridge plan moves ahead\n\nBridge plan moves ahead of schedule, the council said on Friday.\n\n"
    + ARTICLE,
    "exact": "Home page\n\n" + ARTICLE + "\nSubscribe to our newsletter today and save on the print edition.\n",
}


@pytest.mark.parametrize("kind", CASES)
def test_kind_fires(kind, write_pack):
    text, gone = FIRES[kind]
    doc = _clean(write_pack, CASES[kind], text)
    for s in gone:
        assert s not in doc.text
    assert "A decision is expected at the next meeting in June" in doc.text
    assert {r.rule.split(".")[0] for r in doc.removed} == {"t"}


@pytest.mark.parametrize("kind", CASES)
def test_kind_noop(kind, write_pack):
    doc = _clean(write_pack, CASES[kind], NOOPS[kind])
    assert doc.removed == ()
    assert doc.text == normalize(NOOPS[kind])


def test_every_kind_has_cases():
    from cleaner.packs.schema import DROP_KINDS

    assert set(CASES) == set(DROP_KINDS) == set(FIRES) == set(NOOPS)


def test_span_cut_reads_naturally(write_pack):
    doc = _clean(write_pack, CASES["span"], FIRES["span"][0])
    assert "across the river." in doc.text
    assert doc.removed[0].text == "(Photo: City archive)"


def test_frame_keeps_the_biggest_cluster(write_pack):
    teasers = "\n".join(f"Teaser number {n} about another story entirely." for n in range(3))
    text = ARTICLE + "\n" + "\n".join(f"link {n}" for n in range(14)) + "\n" + teasers + "\n"
    doc = _clean(write_pack, CASES["frame"], text)
    assert "A decision is expected at the next meeting in June" in doc.text
    assert "Teaser number" not in doc.text and "link 3" not in doc.text


def test_from_respects_after_fraction(write_pack):
    text = "More stories\nFirst\nSecond\nThird\n\n" + ARTICLE
    doc = _clean(write_pack, CASES["from"], text)
    assert "More stories" in doc.text


PROSE_ABOVE = """
[[text.drop]]
id = "t.comments"
kind = "from"
start = '(?i:comments|\\d+ comments)'
prose_above = 150
reason = "comments"
"""


def test_from_with_prose_above_cuts_below_the_story_not_at_a_button_above_it(write_pack):
    # a share row's "Comments" button above the body, then the thread's heading below it
    thread = "\n".join(f"reader{n}\nI think the bridge is a waste of money, number {n}." for n in range(6))
    text = "Share\nComments\n\n" + ARTICLE + "\n12 comments\n" + thread + "\n"
    doc = _clean(write_pack, PROSE_ABOVE, text)
    assert "The committee met on Tuesday" in doc.text and "A decision is expected" in doc.text
    assert "12 comments" not in doc.text and "reader3" not in doc.text
    assert doc.removed[0].text.startswith("12 comments")


def test_from_with_prose_above_leaves_a_page_with_no_story_above_the_marker(write_pack):
    text = "Comments\n\n" + ARTICLE
    doc = _clean(write_pack, PROSE_ABOVE, text)
    assert doc.removed == ()


def test_between_needs_its_end_marker(write_pack):
    text = "ADVERTISEMENT\nBuy a car\n\n" + ARTICLE
    doc = _clean(write_pack, CASES["between"], text)
    assert "Buy a car" in doc.text


def test_extract_consume_keeps_rest_of_line(write_pack):
    body = """
[[text.extract]]
id = "t.stamp"
pattern = 'Posted (?P<date>\\d{4}-\\d{2}-\\d{2})(?: (?P<rest>.*))?'
consume = true
where = { region = "head", lines = 1 }
reason = "stamp"
"""
    doc = _clean(write_pack, body, "Posted 2024-01-02 The committee met on Tuesday.\n\n" + ARTICLE)
    assert doc.date == "2024-01-02"
    assert doc.text.startswith("The committee met on Tuesday.\n")
    assert doc.removed[0].text == "Posted 2024-01-02"


def test_timeout_is_reported_and_skipped(write_pack):
    body = """
[[text.drop]]
id = "t.slow"
kind = "line"
pattern = '(?:a|aa)+$b'
reason = "catastrophic"
"""
    rules = write_pack("t", body)
    text = "a" * 5000 + "b\n\n" + ARTICLE  # a line the match plan cannot rule out
    doc = clean(text, pack="t", options=Options(rules_dirs=(str(rules),), timeout=0.01))
    assert any("t.slow" in w and "timed out" in w for w in doc.warnings)
    assert "A decision is expected" in doc.text


def test_negated_class_does_not_span_lines(write_pack):
    # [^.]* also matches a newline; without an explicit \n a match must stay on one line
    body = """
[[text.drop]]
id = "t.tags"
kind = "line"
pattern = 'Tags:[^.]*'
reason = "tags"
"""
    doc = _clean(write_pack, body, ARTICLE + "\nTags: bridges\n" + "Tags: and then\nthe last line of the article\n")
    assert "Tags" not in doc.text
    assert "the last line of the article" in doc.text


def test_multiline_pattern_spans_adjacent_lines(write_pack):
    body = """
[[text.drop]]
id = "t.pair"
kind = "line"
pattern = 'Photo:[^\\n]*\\nSource:[^\\n]*'
reason = "credit pair"
"""
    doc = _clean(write_pack, body, ARTICLE + "\nPhoto: bridge at dawn\nSource: city archive\n")
    assert "Photo:" not in doc.text and "Source:" not in doc.text
    assert doc.removed[0].lines[1] - doc.removed[0].lines[0] == 1


def test_span_pattern_timeout_is_reported(write_pack):
    body = """
[[text.drop]]
id = "t.slowspan"
kind = "span"
pattern = '(?:a|aa)+$b'
reason = "catastrophic"
"""
    rules = write_pack("t", body)
    doc = clean("a" * 5000 + "b\n\n" + ARTICLE, pack="t", options=Options(rules_dirs=(str(rules),), timeout=0.01))
    assert any("t.slowspan" in w and "timed out" in w for w in doc.warnings)
    assert "A decision is expected" in doc.text


CONTAINS = """
[[text.drop]]
id = "t.appeal"
kind = "line"
contains = '(?i)your support (?:keeps|helps)'
max_chars = 100
reason = "appeal"
"""


def test_contains_takes_short_lines_holding_the_phrase(write_pack):
    text = ARTICLE + "\nWe report from the front. Your support keeps us there.\n\nYOUR SUPPORT HELPS\n"
    doc = _clean(write_pack, CONTAINS, text)
    assert "Your support" not in doc.text and "YOUR SUPPORT" not in doc.text
    assert [r.lines for r in doc.removed] == [(7, 7), (9, 9)]
    assert "A decision is expected" in doc.text


def test_contains_leaves_long_lines_and_near_misses(write_pack):
    long = "The mayor said that your support keeps the shelters open, " + "and the city thanked donors " * 3 + "."
    text = ARTICLE + f"\n{long}\n\nYour support was noted.\n"
    doc = _clean(write_pack, CONTAINS, text)
    assert doc.removed == ()


def test_contains_hit_across_a_line_break_is_judged_per_line(write_pack):
    body = """
[[text.drop]]
id = "t.share"
kind = "line"
contains = 'Share\\s+this'
reason = "share"
"""
    # \\s+ could run across the break ("Share" ends one line, "this" starts the next): neither
    # line holds the phrase, so neither goes; the line that does hold it goes
    text = ARTICLE + "\nShare\nthis story was edited.\n\nPlease Share this\n"
    doc = _clean(write_pack, body, text)
    assert "this story was edited." in doc.text and "Share\n" in doc.text
    assert "Please Share this" not in doc.text


def test_line_rule_needs_pattern_or_contains(write_pack):
    from cleaner import PackError

    both = CONTAINS.replace("contains = ", "pattern = 'x'\ncontains = ")
    for body in (both, CONTAINS.replace("contains = '(?i)your support (?:keeps|helps)'\n", "")):
        rules = write_pack("t", body)
        with pytest.raises(PackError, match="exactly one of `pattern`"):
            clean(ARTICLE, pack="t", options=Options(rules_dirs=(str(rules),)))


def test_span_hit_across_a_line_break_cuts_nothing_twice(write_pack):
    body = """
[[text.drop]]
id = "t.credit"
kind = "span"
pattern = '\\(Ph[^)]*\\)'
reason = "credit"
"""
    # no literal long enough to find the lines first: the page is searched in one pass, and
    # [^)]* runs across the line break into the next line: that hit is no hit, and the hit
    # before it on the same line is cut once
    text = ARTICLE + "\nBridge (Photo: City) at dusk (Photo: Ann\nLee) and more words here.\n"
    doc = _clean(write_pack, body, text)
    assert "Bridge at dusk (Photo: Ann" in doc.text
    assert "Lee) and more words here." in doc.text
    assert [r.text for r in doc.removed] == ["(Photo: City)"]


BLOCK_IN_TAIL = """
[[text.drop]]
id = "t.card"
kind = "block"
min_lines = 1
max_lines = 2
where = { region = "tail", lines = 3 }
reason = "card"
"""


def test_block_takes_only_whole_blocks_inside_its_region(write_pack):
    """The tail's three lines are the last of a three-line block and a two-line card: the
    card goes, the block reaching above the region stays whole."""
    text = ARTICLE + "\nFirst line\nSecond line\nThird line\n\nCard title\nCard text\n"
    doc = _clean(write_pack, BLOCK_IN_TAIL, text)
    assert [r.text for r in doc.removed] == ["Card title\nCard text"]
    assert all(line in doc.text for line in ("First line", "Second line", "Third line"))


@pytest.mark.parametrize(
    ("anchor", "gone"),
    [("start", ["Home", "Sport"]), ("end", ["Tags", "Bridges"]), ("any", ["Home", "Sport", "Tags", "Bridges"])],
)
def test_run_anchor_picks_which_runs_go(anchor, gone, write_pack):
    body = f"""
[[text.drop]]
id = "t.run"
kind = "run"
min_lines = 3
anchor = "{anchor}"
reason = "runs"
"""
    text = "Home\nNews\nSport\n\n" + ARTICLE + "\nTags\nCouncil\nBridges\n"
    doc = _clean(write_pack, body, text)
    removed = "\n".join(r.text for r in doc.removed)
    for word in ("Home", "Sport", "Tags", "Bridges"):
        assert (word in removed) == (word in gone), word
    assert "A decision is expected" in doc.text


NOTICE = """
[[text.drop]]
id = "t.notice"
kind = "span"
pattern = 'This is a developing story\\.?'
reason = "notice"
"""


@pytest.mark.parametrize(
    ("line", "kept", "gone"),
    [
        # the hit is a whole sentence: it alone goes
        (
            "Two people were hurt, the governor said. This is a developing story.",
            "Two people were hurt, the governor said.",
            "This is a developing story.",
        ),
        # the hit is the head of a sentence whose rest is a fragment: the sentence goes
        (
            "Editor's note: This is a developing story and is being updated.",
            None,
            "Editor's note: This is a developing story and is being updated.",
        ),
        # the hit is inside a long sentence: cutting it would leave a broken sentence, so
        # nothing goes
        (
            "This is a developing story in the sense that the council has not yet voted on any of the three designs.",
            "This is a developing story in the sense that the council has not yet voted on any of the three designs.",
            None,
        ),
    ],
)
def test_span_never_leaves_a_fragment(write_pack, line, kept, gone):
    doc = _clean(write_pack, NOTICE, ARTICLE + "\n" + line + "\n")
    removed = [r.text for r in doc.removed]
    assert removed == ([gone] if gone else [])
    if kept:
        assert kept in doc.text
    for part in ("and is being updated", "Editor's note:"):
        if part in line and gone:
            assert part not in doc.text
    assert ARTICLE.strip().splitlines()[0] in doc.text


def test_span_after_the_sentence_subject_stays(write_pack):
    # the hit is the sentence's predicate: the words before it are the article's own
    text = ARTICLE + "\nReporters agreed that This is a developing story.\n"
    doc = _clean(write_pack, NOTICE, text)
    assert "Reporters agreed that This is a developing story." in doc.text and doc.removed == ()


@pytest.mark.parametrize(("last", "gone"), [("Card text ends here.", True), ("Card text runs on", False)])
def test_block_end_must_match_its_last_line(write_pack, last, gone):
    body = BLOCK_IN_TAIL.replace("min_lines = 1", "min_lines = 2").replace(
        'reason = "card"', "end = '.*\\.'\nreason = \"card\""
    )
    doc = _clean(write_pack, body, ARTICLE + f"\nCard title\n{last}\n")
    assert [r.text for r in doc.removed] == ([f"Card title\n{last}"] if gone else [])


def test_exact_lines_must_be_one_line_strings(write_pack):
    from cleaner.errors import PackError

    rules = write_pack("t", CASES["exact"].replace('"Home", ', '"Home\\nPage", '))
    with pytest.raises(PackError, match="non-empty one-line strings"):
        clean(ARTICLE, pack="t", options=Options(rules_dirs=(str(rules),)))
