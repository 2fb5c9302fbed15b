"""The match plan (packs/plan.py): one Hyperscan scan a page, a superset of what `regex`
matches, so the fast engine and the pure `regex` one give the same Document on every page."""

from __future__ import annotations

import gzip
import json
import os
import sys
import threading

import pytest
import regex

from cleaner import clean
from cleaner.packs import plan, rewrite
from cleaner.packs.loader import load_packs
from cleaner.pipeline import Options

from .conftest import ROOT, SHARED

hyperscan = pytest.importorskip("hyperscan")
# CI runs the whole suite again on the regex engine (CLEANER_ENGINE=regex): these tests compare the two
pytestmark = pytest.mark.skipif(os.environ.get("CLEANER_ENGINE") == "regex", reason="the suite's regex-engine run")


def documents(pages, monkeypatch, engine, **kwargs):
    monkeypatch.setenv("CLEANER_ENGINE", engine)
    return [clean(p, **kwargs) for p in pages]


def both_engines(pages, monkeypatch, **kwargs):
    """Each page's Document on the plan and on the pure regex engine, which must be equal."""
    assert plan.engine() == "hyperscan"
    fast = documents(pages, monkeypatch, "auto", **kwargs)
    pure = documents(pages, monkeypatch, "regex", **kwargs)
    monkeypatch.setenv("CLEANER_ENGINE", "auto")
    for page, a, b in zip(pages, fast, pure, strict=True):
        assert a == b, f"the engines differ on {str(page)[:80]!r}"
    return fast


def pack_test_pages():
    """Every pack test's page, as written and with CRLF line ends."""
    texts = [t.text for pack in load_packs().values() for t in pack.tests]
    return texts + [t.replace("\n", "\r\n") for t in texts]


def test_both_engines_agree_on_seeds_and_every_pack_test(monkeypatch):
    pages = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))] + pack_test_pages()
    assert len(pages) > 150
    docs = both_engines(pages, monkeypatch)
    assert {d.pack.split("@")[0] for d in docs} >= {"kyiv_independent", "espreso_global", "_generic"}


def test_both_engines_agree_on_html_fixtures(monkeypatch):
    pages = [p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures").rglob("*.html"))]
    assert pages
    both_engines(pages, monkeypatch)


CORPUS = SHARED / "corpus" / "dev"
BENCH = SHARED / "benchmarks" / "article-extraction-benchmark"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside this checkout")
def test_both_engines_agree_on_the_corpus(monkeypatch):
    pages = []
    for gold_path in sorted(CORPUS.glob("*/*.gold.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        pages.append(gold_path.with_name(gold["input"]).read_bytes())
    both_engines(pages, monkeypatch)


@pytest.mark.skipif(not BENCH.is_dir(), reason="../shared/benchmarks is not beside this checkout")
def test_both_engines_agree_on_the_benchmark_as_html_and_as_text(monkeypatch):
    sys.path.insert(0, str(ROOT / "bench"))
    from render_eval import render_nodes

    files = sorted((BENCH / "html").glob("*.html.gz"))
    assert files
    html = [gzip.decompress(f.read_bytes()) for f in files]
    both_engines(html, monkeypatch)
    both_engines([render_nodes(h.decode("utf-8", "replace")) for h in html], monkeypatch, format="text")


def framed(text: str) -> str:
    """A page's non-blank lines framed by newlines, as the Page scans them."""
    return "\n" + "\n".join(line for line in text.splitlines() if line.strip()) + "\n"


def test_the_scan_reports_every_pattern_regex_finds():
    """The superset property, pattern by pattern: wherever `regex` finds a match, the scan
    reports the pattern's slot."""
    packs = load_packs()
    the_plan = plan.plan_for(packs)
    pages = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))] + pack_test_pages()
    patterns = [p for p in plan.patterns_of(packs.values()) if id(p) in the_plan.slots]
    assert len(patterns) == len(plan.patterns_of(packs.values())), "every built-in pattern is in the plan"
    found = 0
    for page in pages:
        text = framed(page)
        hits = the_plan.scan(text)
        for p in patterns:
            if p.rx.search(text) is not None:
                found += 1
                assert the_plan.slots[id(p)] in hits, f"{p.source!r} matches but the scan missed it"
    assert found > 300


CASES = [
    # (pattern, a text regex matches it in)
    (r"(?<![.!?])\nRead also\b(?=:)", "x\nRead also: y"),
    (r"(?P<a>\w+) (?P=a)", "the the"),
    (r"(?P<t>a)|(?P<t>b)c", "bc"),
    (r"\p{Lu}\p{Ll}+ [^\P{L}x]", "Київ б"),
    (r"(?i)ПРИВІТ світ", "привіт СВІТ"),
    (r"(?i)straße", "STRAẞE"),
    (r"(?i)σοφία", "ΣΟΦΊΑ".lower()),
    (r"(?i)[a-f]{3}\d", "FAB٣"),
    (r"(?i)k", "\u212a"),
    (r"(?i)\u0130stanbul", "istanbul"),
    (r"(?>ab|a)c", "abc"),
    (r"a{2,900}b", "a" * 950 + "b"),
    (r"[^\W\d_]{3}", "жжж"),
    (r"\w+\s\S\W\D", "x1 y!z"),
    (r"(?s)a.b", "a\nb"),
    (r"(?x) a \s+ b  # a comment", "a   b"),
    (r"(?:(a)|b)(?(1)c|d)", "bd"),
    (r"\bфу\b", "a фу b"),
    (r"\d+ min", "٣ min"),
    (r"C:\\pb", "C:\\pb"),  # a backslash, then p: no property
    (r"\\k<x> (?P<x>\w)", "\\k<x> a"),
    (r"a -- b", "a -- b"),
]


@pytest.mark.parametrize(("pattern", "text"), CASES)
def test_a_rewritten_pattern_matches_wherever_regex_does(pattern, text):
    assert regex.search(pattern, text, regex.MULTILINE | regex.V0), "the case itself is wrong"
    expression = rewrite.superset(pattern)
    assert expression is not None, pattern
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[expression.encode()], ids=[0], elements=1, flags=[plan._flags()])
    hits: list[int] = []
    db.scan(text.encode(), plan._on_match, context=hits)
    assert hits, f"{pattern!r} as {expression!r} misses {text!r}"


@pytest.mark.parametrize(
    ("pattern", "text"),
    [(r"\nRead also\n", "\nRead more\n"), (r"(?i)привіт", "пока"), (r"\d{4}-\d\d", "May 5"), (r"[^\W\d]x", "1x")],
)
def test_a_rewritten_pattern_still_rules_pages_out(pattern, text):
    expression = rewrite.superset(pattern)
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(expressions=[expression.encode()], ids=[0], elements=1, flags=[plan._flags()])
    hits: list[int] = []
    db.scan(text.encode(), plan._on_match, context=hits)
    assert not hits


def test_case_variants_hold_every_character_regex_matches_ignoring_case():
    """Over every cased character: what `(?i)c` matches in `regex` is among c's variants."""
    cased = [
        chr(c) for c in range(rewrite._CASED_BELOW) if chr(c).lower() != chr(c).upper() or chr(c).casefold() != chr(c)
    ]
    everything = "".join(cased)
    for c in cased:
        matched = {m for m in regex.findall("(?i)" + regex.escape(c), everything) if len(m) == 1}
        assert matched <= {chr(v) for v in rewrite._variants(ord(c))}, c


FUZZY = """
[[text.drop]]
id = "t.fuzzy"
kind = "line"
pattern = '(?:Read alsu){e<=1}'
reason = "a fuzzy match, which only the regex module knows"
"""


def test_patterns_hyperscan_cannot_take_keep_their_literal_prefilter(write_pack, monkeypatch, tmp_path):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    rules = write_pack("t", FUZZY)
    packs = load_packs(rules)
    the_plan = plan.plan_for(packs)
    assert any("{e<=1}" in s for s in the_plan.skipped)
    page = "Read also\n\nCouncil news. " + "The council met on Monday to vote on the city budget. " * 5
    doc = clean(page, pack="t", options=Options(rules_dirs=(str(rules),)))
    assert "Read also" not in doc.text and [r.rule for r in doc.removed] == ["t.fuzzy"]


def test_without_hyperscan_the_regex_engine_runs(monkeypatch):
    pages = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    fast = [clean(p) for p in pages]
    monkeypatch.setattr(plan, "hyperscan", None)  # as when the import failed
    assert plan.engine() == "regex" and plan.plan_for(load_packs()) is None
    assert [clean(p) for p in pages] == fast
    monkeypatch.undo()
    monkeypatch.setenv("CLEANER_ENGINE", "regex")
    assert plan.engine() == "regex" and [clean(p) for p in pages] == fast


def test_the_database_is_cached_on_disk_and_a_bad_cache_is_rebuilt(monkeypatch, tmp_path):
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    packs = list(load_packs().values())
    first = plan.build(packs)
    (cached,) = tmp_path.glob("plan-*.hsdb")
    again = plan.build(packs)
    assert again.slots == first.slots and again.skipped == first.skipped
    text = framed((ROOT / "seeds").glob("*.txt").__next__().read_text(encoding="utf-8"))
    assert again.scan(text) == first.scan(text)
    cached.write_bytes(b"0\nnot a database")
    assert plan.build(packs).scan(text) == first.scan(text)


def test_an_unwritable_cache_is_no_error(monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file, not a folder")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocked / "cache"))
    assert plan.build(list(load_packs().values())) is not None


def test_threads_scan_at_once():
    the_plan = plan.plan_for(load_packs())
    text = framed(sorted((ROOT / "seeds").glob("*.txt"))[0].read_text(encoding="utf-8"))
    want = the_plan.scan(text)
    got: list[frozenset[int]] = []

    def work() -> None:
        got.extend(the_plan.scan(text) for _ in range(200))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 800 and all(g == want for g in got)


def test_pack_choice_scores_only_packs_whose_signatures_the_scan_reported(tmp_path, monkeypatch):
    """Copies of an outlet pack under other ids and hosts: a page of no outlet scores none of
    them; a page of the outlet scores the pack once for all its copies, and gets the first
    loaded (as the engine without a plan chooses); by URL, a copy's host picks the copy."""
    rules = tmp_path / "rules"
    rules.mkdir()
    source = (ROOT / "rules" / "kyiv_independent.toml").read_text(encoding="utf-8")
    for n in range(5):
        text = source.replace('id = "kyiv_independent"', f'id = "copy{n}"').replace("kyivindependent.com", f"c{n}.test")
        (rules / f"copy{n}.toml").write_text(text, encoding="utf-8")
    opts = Options(rules_dirs=(str(rules),))
    scored: list[list[str]] = []
    real = plan.Plan.candidates
    monkeypatch.setattr(
        plan.Plan, "candidates", lambda self, hits, html: scored.append(real(self, hits, html)) or scored[-1]
    )
    other = "Council news\n\n" + "The council met on Monday to vote on the city budget. " * 5
    assert clean(other, options=opts).pack.startswith("_generic")
    assert scored == [[]]
    seed = sorted((ROOT / "seeds").glob("*.txt"))[0].read_bytes()
    assert clean(seed, options=opts).pack.startswith("kyiv_independent@")
    assert scored[-1] == ["kyiv_independent"]
    assert clean(seed, url="https://www.c3.test/news/x", options=opts).pack.startswith("copy3@")
    monkeypatch.setenv("CLEANER_ENGINE", "regex")
    assert clean(seed, options=opts).pack.startswith("kyiv_independent@")


def test_packs_check_explains_speed(write_pack, monkeypatch):
    from click.testing import CliRunner

    from cleaner.cli import cleaner_group

    rules = write_pack("t", FUZZY)
    out = CliRunner().invoke(cleaner_group, ["packs", "check", "--rules", str(rules), "--explain-speed"]).stdout
    assert out.startswith("engine: hyperscan:") and "t.fuzzy (pattern): the scan cannot take" in out
    assert "gen.article: no pattern it needs" in out
    monkeypatch.setenv("CLEANER_ENGINE", "regex")
    out = CliRunner().invoke(cleaner_group, ["packs", "check", "--explain-speed"]).stdout
    assert out.startswith("engine: regex (CLEANER_ENGINE=regex)")


def test_only_the_newest_databases_stay_in_the_cache(monkeypatch, tmp_path):
    from cleaner import settings

    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(settings, "PLAN_CACHE_FILES", 2)
    for n in range(4):
        (tmp_path / f"plan-old{n}.hsdb").write_bytes(b"\n")
        os.utime(tmp_path / f"plan-old{n}.hsdb", (n, n))
    plan.build(list(load_packs().values()))
    assert len(list(tmp_path.glob("plan-*.hsdb"))) == 2 and (tmp_path / "plan-old3.hsdb").exists()


def test_prefilters_read_from_the_memo_equal_the_ones_worked_out(monkeypatch, tmp_path):
    from cleaner.packs.loader import _load_cached

    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    fresh = _load_cached.__wrapped__(())
    assert (tmp_path / "prefilters.json").exists()
    memo = _load_cached.__wrapped__(())

    def prefilters(packs):
        return [
            (p.source, p.needs, p.lowered, p.heads, [f.pattern for f in p.folded])
            for p in plan.patterns_of(packs.values())
        ]

    assert prefilters(fresh) == prefilters(memo) and len(prefilters(fresh)) > 50
    (tmp_path / "prefilters.json").write_text("{not json")
    assert prefilters(_load_cached.__wrapped__(())) == prefilters(fresh)


def test_a_text_that_is_not_valid_unicode_leaves_every_pattern_to_regex():
    from cleaner.text.page import Page

    the_plan = plan.plan_for(load_packs())
    assert the_plan.scan("Read also:\ud800\n") == the_plan.every
    page = Page(["Read also:\ud800", "Body."], plan=the_plan)
    assert page.hits == the_plan.every
