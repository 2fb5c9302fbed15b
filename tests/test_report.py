"""summary.json, report.html, template drift and explain --html, on pages written here."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import clean_command, cleaner_group
from cleaner.document import PageStats
from cleaner.report.summary import LISTED, Aggregator, percentiles

from .conftest import SEEDS

BODY = (
    "The harbour authority approved a new dredging plan on Tuesday after two years of talks.\n\n"
    "Fishermen had warned that the silt was closing the eastern channel to larger boats.\n\n"
    "Work is to begin in spring and last four months, the authority said in a statement.\n"
)
PACK = """schema = 1
id = "example_news"
name = "Example News"
version = 1
extends = ["_common"]
[match]
hosts = ["example-news.test"]
[[text.drop]]
id = "exn.byline"
kind = "line"
pattern = 'By [A-Z][a-z]+ [A-Z][a-z]+, Staff Writer'
where = { region = "head", lines = 3 }
reason = "The byline under the headline"
status = "experimental"
"""
NAMES = [
    "Anna Smith",
    "Piotr Nowak",
    "Maria Lopez",
    "John Brown",
    "Olena Koval",
    "Ravi Patel",
    "Sara Berg",
    "Tom Hardy",
]


def cli(*args: str):
    return CliRunner().invoke(clean_command, list(args))


def outlet(root: Path, byline_at_top: bool = True, n: int = 8) -> Path:
    """Pages of one made-up outlet; the template puts the byline under the headline, or (a
    redesign) at the foot of the article."""
    root.mkdir(parents=True)
    for i in range(n):
        byline = f"By {NAMES[i % len(NAMES)]}, Staff Writer"
        body = BODY.replace("Tuesday", ["Monday", "Tuesday", "Friday"][i % 3])
        page = (
            f"Harbour story number {i}\n\n{byline}\n\n{body}"
            if byline_at_top
            else f"Harbour story number {i}\n\n{body}\n{byline}\n"
        )
        (root / f"story{i}.txt").write_text(page)
    return root


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "example_news.toml").write_text(PACK)
    return folder


def _mixed_folder(tmp_path):
    """An input folder of the two seeds, a menu-only page and an empty file."""
    root = tmp_path / "in"
    root.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, root / seed.name)
    (root / "menu.txt").write_text("Home\nNews\nSport\nWeather\nContact\n")
    (root / "empty.txt").write_bytes(b"")
    return root


def test_the_summary_agrees_with_the_pages_it_summarises(tmp_path):
    root = _mixed_folder(tmp_path)
    (root / "plain.txt").write_text("Harbour plan approved\n\n" + BODY)
    (root / "binary.txt").write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "out"
    r = cli(str(root), "-o", str(out), "--to", "json", "-j", "2")
    assert r.exit_code == 1
    summary = json.loads((out / "summary.json").read_text())
    docs = [json.loads(p.read_text()) for p in out.glob("*.json") if p.name != "summary.json"]
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text().splitlines()]
    assert (summary["pages"], summary["cleaned"], summary["failed"]) == (
        len(docs) + len(errors),
        len(docs),
        len(errors),
    )
    assert summary["kept_nothing"] == sum(not d["text"] for d in docs) == 1
    assert summary["errors"] == {"binary": 1, "empty": 1}
    assert {p: s["pages"] for p, s in summary["packs"].items()} == dict(Counter(d["pack"] for d in docs))
    generic = summary["packs"]["_generic@6"]
    assert sum(generic["fallbacks"].values()) == sum(d["pack_reason"] in ("fallback", "guard") for d in docs)
    rules: dict[str, list[int]] = {}
    for d in docs:
        for rule in {r["rule"] for r in d["removed"]}:
            rules.setdefault(rule, [0, 0, 0])[0] += 1
        for r in d["removed"]:
            rules[r["rule"]][1] += r["lines"][1] - r["lines"][0] + 1
            rules[r["rule"]][2] += len(r["text"])
    assert {k: [v["pages"], v["lines"], v["chars"]] for k, v in summary["rules"].items()} == rules
    assert list(summary["rules"]) == sorted(rules, key=lambda k: (-rules[k][2], k))  # by characters
    assert summary["least_kept"][0]["source"] == "menu.txt" and summary["least_kept"][0]["kept_share"] == 0.0
    assert summary["schema"] == 1 and summary["hosts"]["(no url)"]["pages"] == len(docs)


def test_least_and_most_kept_stay_bounded_and_ordered():
    agg = Aggregator()
    for n in range(500):
        agg.add(PageStats(f"p{n}", kept_chars=n % 100, removed_chars=100 - n % 100, pack="x@1"))
    s = agg.summary()
    assert len(s["least_kept"]) == len(s["most_kept"]) == LISTED
    assert [p["source"] for p in s["least_kept"][:3]] == ["p0", "p100", "p200"]  # earlier pages first on ties
    assert s["most_kept"][0]["kept_share"] == 0.99
    assert percentiles([0] * 50 + [1] + [0] * 50) == {"p10": 0.5, "p50": 0.5, "p90": 0.5}


def test_a_moved_byline_is_flagged_as_drift_and_no_change_is_not(tmp_path, rules):
    args = ["--rules", str(rules), "--pack", "example_news", "-j", "1"]
    before = outlet(tmp_path / "before")
    assert cli(str(before), "-o", str(tmp_path / "run1"), *args).exit_code == 0
    first = tmp_path / "run1" / "summary.json"
    assert json.loads(first.read_text())["rules"]["exn.byline"]["pages"] == 8
    same = cli(str(before), "-o", str(tmp_path / "run2"), *args, "--compare", str(first), "--fail-on-drift")
    assert same.exit_code == 0 and "drift" not in same.stderr
    assert json.loads((tmp_path / "run2" / "summary.json").read_text())["drift"] == []
    after = outlet(tmp_path / "after", byline_at_top=False)
    moved = cli(str(after), "-o", str(tmp_path / "run3"), *args, "--compare", str(first))
    assert (
        moved.exit_code == 0 and "drift: example_news: rule exn.byline fired on 100% of pages, now 0%" in moved.stderr
    )
    flags = json.loads((tmp_path / "run3" / "summary.json").read_text())["drift"]
    assert [(f["pack"], f["kind"], f.get("rule")) for f in flags][0] == ("example_news", "rule", "exn.byline")
    strict = cli(str(after), "-o", str(tmp_path / "run4"), *args, "--compare", str(first), "--fail-on-drift")
    assert strict.exit_code == 4
    r = CliRunner().invoke(cleaner_group, ["report", "compare", str(first), str(tmp_path / "run3" / "summary.json")])
    assert r.exit_code == 0 and "exn.byline" in r.stdout
    r = CliRunner().invoke(cleaner_group, ["report", "compare", str(first), str(tmp_path / "run2" / "summary.json")])
    assert r.exit_code == 0 and r.stdout == ""


def test_compare_refuses_what_is_not_a_summary(tmp_path):
    (tmp_path / "x.json").write_text("[1, 2]")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Harbour plan approved\n\n" + BODY)
    r = cli(str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--compare", str(tmp_path / "x.json"))
    assert r.exit_code == 2 and "not a cleaner summary.json" in r.stderr and not (tmp_path / "out").exists()


def test_streams_and_jsonl_files_get_a_summary_beside_them(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": n, "text": f"Story {n}\n\n{BODY}"}) + "\n" for n in range(3)) + "{bad\n")
    out = tmp_path / "clean.jsonl"
    r = cli("--jsonl-in", str(src), "-o", str(out), "-j", "1")
    assert r.exit_code == 1
    summary = json.loads((tmp_path / "clean.summary.json").read_text())
    assert (summary["pages"], summary["cleaned"], summary["errors"]) == (4, 3, {"bad_record": 1})
    assert (tmp_path / "clean.report.html").read_text().startswith("<!doctype html>")
    r = cli("--jsonl-in", str(src), "-j", "1", "--summary", str(tmp_path / "s.json"))
    assert json.loads((tmp_path / "s.json").read_text())["cleaned"] == 3


def test_explain_html_marks_the_removed_lines(tmp_path):
    out = tmp_path / "view.html"
    r = CliRunner().invoke(cleaner_group, ["explain", str(SEEDS[0]), "--html", str(out)])
    assert r.exit_code == 0
    html = out.read_text()
    assert "<del>date 2023-05-24</del><span class=rule>gen.date-header</span>" in html
    assert "<del>" not in html.split("No Ukrainian soldier")[1].split("</li>")[0]  # the body is kept


def _browser():
    webdriver = pytest.importorskip(
        "selenium.webdriver", reason="selenium is not installed (pip install -e '.[browser]')"
    )
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("no system chromium and chromedriver (apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1300,1800",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver), options=options)


def test_the_report_in_a_real_browser(tmp_path):
    root = _mixed_folder(tmp_path)
    outlet(root / "outlet")
    out = tmp_path / "out"
    assert cli(str(root), "-o", str(out), "-j", "1").exit_code == 1
    summary = json.loads((out / "summary.json").read_text())
    browser = _browser()
    try:
        from selenium.webdriver.common.by import By

        browser.get((out / "report.html").as_uri())
        cards = {
            c.get_attribute("data-count"): c.find_element(By.TAG_NAME, "b").text
            for c in browser.find_elements(By.CSS_SELECTOR, ".card")
        }
        for key in ("pages", "cleaned", "failed", "skipped", "warnings"):
            assert cards[key] == f"{summary[key]:,}"
        assert cards["kept nothing"] == str(summary["kept_nothing"])
        bars = browser.find_elements(By.CSS_SELECTOR, "svg.rules g.bar")
        assert [b.get_attribute("data-rule") for b in bars] == list(summary["rules"])
        link = browser.find_element(By.CSS_SELECTOR, "ol.pages a")
        assert link.text == summary["least_kept"][0]["source"] == "menu.txt"
        view = browser.find_element(By.ID, link.get_attribute("href").split("#")[1])
        assert not view.is_displayed()
        link.click()
        assert view.is_displayed()
        removed = view.find_elements(By.CSS_SELECTOR, "li.removed")
        assert [li.find_element(By.TAG_NAME, "del").text for li in removed] == [
            "Home",
            "News",
            "Sport",
            "Weather",
            "Contact",
        ]
        assert all(li.find_element(By.CSS_SELECTOR, ".rule").text for li in removed)
        shots = Path(os.environ.get("CLEANER_ARTEFACTS", tmp_path))
        shots.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(shots / "report-explain.png"))
    finally:
        browser.quit()
