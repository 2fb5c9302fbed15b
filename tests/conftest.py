from __future__ import annotations

import os
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
# ../shared beside the checkout holds the corpus and benchmarks; tests that need it skip without it
SHARED = Path(os.environ.get("CLEANER_SHARED", ROOT.parent / "shared"))


class _TopLevelSnapshot(SingleFileSnapshotExtension):
    """One reviewable file per test case in the top-level snapshots/ folder."""

    _write_mode = WriteMode.TEXT

    @classmethod
    def dirname(cls, *, test_location) -> str:
        return str(ROOT / "snapshots")


class TextSnapshot(_TopLevelSnapshot):
    file_extension = "txt"


class JsonSnapshot(_TopLevelSnapshot):
    file_extension = "json"


@pytest.fixture
def text_snapshot(snapshot):
    return snapshot.use_extension(TextSnapshot)


@pytest.fixture
def json_snapshot(snapshot):
    return snapshot.use_extension(JsonSnapshot)


@pytest.fixture
def write_pack(tmp_path: Path):
    """Write a pack TOML into a fresh rules folder and return the folder."""

    def write(pack_id: str, body: str, extends: str = "[]") -> Path:
        folder = tmp_path / "rules"
        folder.mkdir(exist_ok=True)
        head = f'schema = 1\nid = "{pack_id}"\nname = "Test {pack_id}"\nversion = 1\nextends = {extends}\n'
        (folder / f"{pack_id}.toml").write_text(head + body, encoding="utf-8")
        return folder

    return write


@pytest.fixture(autouse=True, scope="session")
def _plan_cache(tmp_path_factory):
    """The match plan's databases go to a folder of the run, not the user's cache."""
    if "CLEANER_CACHE_DIR" not in os.environ:
        os.environ["CLEANER_CACHE_DIR"] = str(tmp_path_factory.mktemp("plan-cache"))
    yield
