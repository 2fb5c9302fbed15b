"""`cleaner learn` on a generated folder of one made-up outlet's pages."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cleaner import clean
from cleaner.cli import cleaner_group
from cleaner.pipeline import Options

TOPICS = ["bridge", "school", "hospital", "railway", "port", "market", "library", "stadium", "tunnel"]


def page(i: int) -> str:
    t = TOPICS[i % len(TOPICS)]
    return "\n".join(
        [
            "Example Daily", "Home", "World", "Business", "Sport", "Search",
            f"New {t} plan approved in the region",
            f"March {i + 1}, 2024",
            f"The regional council approved the new {t} plan on Tuesday after a long debate, officials said.",
            f"Construction of the {t} is expected to begin in the summer and last about two years.",
            "Listen to the Example Daily podcast",
            f"Residents said they hoped the {t} would bring new jobs to the area, according to local media.",
            "Related stories:",
            f"Another story about the {TOPICS[(i + 1) % len(TOPICS)]}",
            f"Yet another story about the {TOPICS[(i + 2) % len(TOPICS)]}",
            "About us", "Contact", "Privacy policy", "© 2024 Example Daily",
        ]
    ) + "\n"


def learn(tmp_path: Path, n: int = 8):
    folder = tmp_path / "pages"
    folder.mkdir()
    for i in range(n):
        (folder / f"p{i}.txt").write_text(page(i))
    out = tmp_path / "rules" / "example_daily.toml"
    result = CliRunner().invoke(cleaner_group, ["learn", str(folder), "-o", str(out), "--host", "example-daily.com"])
    return result, out


def test_learn_drafts_a_pack_that_loads_and_cleans_unseen_pages(tmp_path):
    result, out = learn(tmp_path)
    assert result.exit_code == 0, result.stderr
    draft = out.read_text()
    for rule in ("example_daily.template-head", "example_daily.template-tail", "example_daily.end-marker", "example_daily.title"):
        assert f'id = "{rule}"' in draft
    assert 'hosts = ["example-daily.com"]' in draft and draft.count('status = "experimental"') >= 4
    check = CliRunner().invoke(cleaner_group, ["packs", "check", "--rules", str(out.parent)])
    assert check.exit_code == 0
    assert "p3.txt: keeps" in result.stdout and "in all:" in result.stdout

    unseen = page(8)  # a topic the folder never had
    doc = clean(unseen, options=Options(rules_dirs=(str(out.parent),)))
    assert (doc.pack, doc.pack_reason) == ("example_daily@1", "signature")
    assert doc.title == "New tunnel plan approved in the region"
    assert "The regional council approved the new tunnel plan" in doc.text
    assert "jobs to the area, according to local media." in doc.text
    for chrome in ("Example Daily", "Business", "podcast", "Related stories", "Another story", "Privacy policy", "©"):
        assert chrome not in doc.text


def test_learn_needs_pages_and_a_pack_id(tmp_path):
    result, _ = learn(tmp_path, n=2)
    assert result.exit_code == 2 and "at least 3" in result.stderr
    bad = CliRunner().invoke(cleaner_group, ["learn", str(tmp_path / "pages"), "-o", str(tmp_path / "Bad-Name.toml")])
    assert bad.exit_code == 2 and "lower_snake_case" in bad.stderr
