"""The lint gate: ruff's rules in pyproject.toml (pycodestyle with E501 at the declared line
length, pyflakes, bugbear, import order, pyupgrade, no stale noqa), and its formatter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

RUFF = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
pytestmark = pytest.mark.skipif(not Path(RUFF).exists(), reason="ruff is not installed (pip install -e '.[test]')")


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(command):
    done = subprocess.run([RUFF, *command, "cleaner", "bench", "tests"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
