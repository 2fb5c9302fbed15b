"""The two seed pages: snapshots (text, JSON and the explain view), named by the outlet each
seed is a page of, plus what the issue expects of each."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import clean
from cleaner.output import render
from cleaner.qa.testing import invariant_problems

from .conftest import ROOT, SEEDS


def _clean(path):
    return clean(path.read_bytes(), source=str(path.relative_to(ROOT)))


# the seeds keep the names they were given; their snapshots are named by outlet
OUTLET = {"000": "kyiv_independent", "001": "espreso_global"}


def _outlet(path) -> str:
    return OUTLET[path.name[:3]]


@pytest.mark.parametrize("seed", SEEDS, ids=_outlet)
def test_seed_text(seed, text_snapshot):
    assert render(_clean(seed), "text") == text_snapshot


@pytest.mark.parametrize("seed", SEEDS, ids=_outlet)
def test_seed_json(seed, json_snapshot):
    assert render(_clean(seed), "json") == json_snapshot


@pytest.mark.parametrize("seed", SEEDS, ids=_outlet)
def test_seed_invariants(seed):
    doc = _clean(seed)
    assert invariant_problems(seed.read_bytes(), doc, pack=doc.pack.split("@")[0]) == []


@pytest.mark.parametrize("seed", SEEDS, ids=_outlet)
def test_seed_explain(seed, text_snapshot):
    # every input line and the rule that removed it, as `cleaner explain` prints it: the review
    # view of a rule change, read the way ruff's snapshots are
    from cleaner.cli import cleaner_group

    result = CliRunner().invoke(cleaner_group, ["explain", str(seed.relative_to(ROOT))], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout == text_snapshot


def test_seeds_are_the_same_under_any_hash_seed():
    # set and dict order must never reach the output: two processes, two hash seeds
    outputs = []
    for hash_seed in ("0", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        cmd = [str(Path(sys.executable).parent / "clean"), "seeds", "--to", "jsonl"]
        outputs.append(subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, check=True).stdout)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == len(SEEDS)


def test_kyiv_independent_seed():
    doc = _clean(ROOT / "seeds/000_6aa1473ee51530f9.txt")
    assert doc.pack == "kyiv_independent@2"
    assert (
        doc.title == "NYT: Ukrainian soldiers didn't enter Russia's Belgorod region but played support role at border"
    )
    assert doc.author == "The Kyiv Independent news desk"
    assert doc.date == "2023-05-24T11:41"
    assert doc.text.startswith("No Ukrainian soldier entered Russia's territory")
    assert doc.text.endswith("denied any involvement by Kyiv.\n")
    for chrome in ("date 2023", "Inside a prison", "min read", "AI assistance", "Anti-Kremlin fighters"):
        assert chrome not in doc.text


def test_espreso_seed():
    doc = _clean(ROOT / "seeds/001_f1b761cdafbe3bda.txt")
    assert doc.pack == "espreso_global@3"
    assert doc.title == "No Ukrainians enter Belgorod region on May 22"
    assert doc.date == "2023-05-24"
    assert doc.sitename == "Espreso Global"
    assert doc.text.startswith("The Ukrainian military didn't take part")
    assert doc.description and doc.text.startswith(doc.description)
    bullets = [p for p in doc.text.split("\n\n") if p.startswith("- ")]
    assert len(bullets) == 5
    assert doc.text.endswith("invaded the territory of Russia's Belgorod region.\n")
    for chrome in ("Espreso. Global", "Wednesday", "Read also", "More news", "2024, Saturday", "Putin is too old"):
        assert chrome not in doc.text
