"""Instructions a page, counted by valgrind (callgrind): the same figure on a busy machine.

    python bench/instructions.py [--pages 60] [--against REV]

Wall-clock timings on a shared 2-vCPU machine swing by a third between runs; an instruction
count does not. This cleans both seeds and --pages generated pages (batch_speed's corpus
shapes) twice under callgrind, subtracts a run that only starts up, and prints instructions
a page. With --against, the same pages are measured on a checkout of REV (a git worktree)
in the same run, for an A/B of a change. Needs valgrind (on every machine here)."""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Runs in the checkout under test: its own cleaner, its own packs.
WORKLOAD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from cleaner import clean
from cleaner.output import render
pages = [p.read_bytes() for p in sorted(Path(sys.argv[2]).glob("*.txt"))]
clean(pages[0])
for _ in range(int(sys.argv[3])):
    for page in pages:
        render(clean(page), "text")
"""


def instructions(checkout: Path, pages: Path, passes: int) -> int:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(WORKLOAD)
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, fh.name]
    run = subprocess.run([*cmd, str(checkout), str(pages), str(passes)], check=False, capture_output=True, text=True)
    Path(fh.name).unlink()
    found = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or found is None:
        sys.exit(f"valgrind run failed:\n{run.stderr[-2000:]}")
    return int(found.group(1))


def per_page(checkout: Path, pages: Path, count: int) -> float:
    return (instructions(checkout, pages, 2) - instructions(checkout, pages, 0)) / (2 * count)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=60, help="generated pages besides the two seeds")
    ap.add_argument("--against", metavar="REV", help="also measure this git revision")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt install valgrind)")
    sys.path.insert(0, str(ROOT / "bench"))
    from batch_speed import build

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        build(work / "gen", args.pages)
        pages = work / "pages"
        pages.mkdir()
        for n, path in enumerate([*sorted((ROOT / "seeds").glob("*.txt")), *sorted((work / "gen").rglob("*.txt"))]):
            shutil.copy(path, pages / f"{n:04d}.txt")
        count = len(list(pages.iterdir()))
        here = per_page(ROOT, pages, count)
        print(f"{count} pages (both seeds and {args.pages} generated): {here / 1e6:.2f}M instructions a page")
        if args.against:
            old = work / "against"
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "-q", "--detach", str(old), args.against], check=True
            )
            try:
                then = per_page(old, pages, count)
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
            print(f"{args.against}: {then / 1e6:.2f}M instructions a page; this checkout {here / then:.2f}x of it")


if __name__ == "__main__":
    main()
