"""The CLI through click's CliRunner: data on stdout, one-line errors on stderr, exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from cleaner.cli import clean_command, cleaner_group

from .conftest import ROOT

ESP = str(ROOT / "seeds/001_f1b761cdafbe3bda.txt")
KI = str(ROOT / "seeds/000_6aa1473ee51530f9.txt")


@pytest.fixture
def runner():
    return CliRunner()


def test_clean_prints_body_only(runner):
    r = runner.invoke(clean_command, [ESP])
    assert r.exit_code == 0
    assert r.stdout.startswith("The Ukrainian military didn't take part")
    assert "Read also" not in r.stdout and "Espreso. Global" not in r.stdout


def test_clean_json_has_metadata_and_audit(runner):
    r = runner.invoke(clean_command, [ESP, "--to", "json"])
    d = json.loads(r.stdout)
    assert d["title"] == "No Ukrainians enter Belgorod region on May 22"
    assert d["pack"] == "espreso_global@3"
    assert {x["rule"] for x in d["removed"]} >= {"esp.masthead", "esp.read-also-widget"}


def test_clean_jsonl_and_md(runner):
    line = runner.invoke(clean_command, [KI, "--to", "jsonl"]).stdout
    assert line.count("\n") == 1 and json.loads(line)["author"] == "The Kyiv Independent news desk"
    md = runner.invoke(clean_command, [KI, "--to", "md"]).stdout
    assert md.startswith("---\ntitle: ") and "\n# NYT: Ukrainian soldiers" in md


def test_clean_stdin(runner):
    with open(KI, "rb") as fh:
        r = runner.invoke(clean_command, ["-"], input=fh.read())
    assert r.exit_code == 0 and r.stdout.startswith("No Ukrainian soldier")


def test_url_and_pack_options(runner, tmp_path):
    page = tmp_path / "p.txt"
    page.write_text("Title line\n\nA body paragraph that is long enough to be kept by every rule here.\n")
    r = runner.invoke(clean_command, [str(page), "--to", "json", "--url", "https://global.espreso.tv/x"])
    assert json.loads(r.stdout)["pack_reason"] == "host"
    r = runner.invoke(clean_command, [str(page), "--pack", "nope"])
    assert r.exit_code == 2 and "unknown pack 'nope'" in r.stderr


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        (None, 2, "no such file"),
        (b"", 1, "empty"),
        (bytes(range(256)) * 8, 1, "binary"),
        (b"\xff\xfe\x00\x00" + bytes(range(128, 256)) * 3, 1, "cannot decode"),
        (bytes(range(128, 256)) * 20, 1, "cannot decode"),
    ],
    ids=["missing", "empty", "binary", "bad-bom", "undecodable"],
)
def test_bad_input_one_line_error(runner, tmp_path, content, code, message):
    path = tmp_path / "page.txt"
    if content is not None:
        path.write_bytes(content)
    r = runner.invoke(clean_command, [str(path)])
    assert r.exit_code == code
    assert r.stderr.count("\n") == 1 and str(path) in r.stderr and "Traceback" not in r.stderr
    assert message in r.stderr


def test_broken_pack_is_exit_2(runner, tmp_path):
    (tmp_path / "bad.toml").write_text('schema = 1\nid = "bad"\nname = "B"\nversion = 1\nfoo = 1\n')
    r = runner.invoke(clean_command, [KI, "--rules", str(tmp_path)])
    assert r.exit_code == 2
    assert "bad.toml" in r.stderr and "'foo'" in r.stderr and r.stderr.count("\n") == 1


def test_explain_marks_rules(runner):
    r = runner.invoke(cleaner_group, ["explain", KI])
    assert r.exit_code == 0
    assert "gen.date-header" in r.stdout and "ki.byline" in r.stdout and "ki.related-card" in r.stdout
    line4 = next(x for x in r.stdout.splitlines() if x.strip().startswith("4 "))
    assert "ki.byline" in line4 and "by The Kyiv Independent news desk" in line4
    assert "\x1b[" not in r.stdout  # no colour when not a terminal


def test_packs_commands(runner, tmp_path):
    assert "kyiv_independent@2" in runner.invoke(cleaner_group, ["packs", "list"]).stdout
    assert runner.invoke(cleaner_group, ["packs", "check"]).exit_code == 0
    r = runner.invoke(cleaner_group, ["packs", "test"])
    assert r.exit_code == 0 and "FAIL" not in r.stdout and "PASS kyiv_independent::" in r.stdout
    show = runner.invoke(cleaner_group, ["packs", "show", "espreso_global"]).stdout
    assert "esp.read-also-widget" in show and "gen.date-header" in show


def test_packs_test_reports_failure(runner, tmp_path):
    (tmp_path / "t.toml").write_text(
        'schema = 1\nid = "t"\nname = "T"\nversion = 1\nextends = ["_generic"]\n'
        '[[tests]]\nname = "c"\nselect = false\ntext = "Some body text here."\nmust_contain = ["absent"]\n'
    )
    r = runner.invoke(cleaner_group, ["packs", "test", "t", "--rules", str(tmp_path)])
    assert r.exit_code == 1 and "FAIL t::c" in r.stdout and "body lost 'absent'" in r.stdout
