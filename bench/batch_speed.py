"""Batch throughput and memory, measured in one run so the ratios hold on a noisy machine.

    python bench/batch_speed.py [--pages 20000] [--big 100000] [--rounds 2] [--workdir /tmp/cleaner-bench]

Builds a corpus of seed-sized text pages varied from the two seeds' structure (Kyiv
Independent and Espreso shapes with shuffled paragraphs, other authors, dates and chrome,
plus pages of no known outlet), then times:
  floor    read and write the same files in Python, no cleaning
  jobs 1   `clean DIR -o OUT -j 1`
  jobs 2   `clean DIR -o OUT -j 2`
in interleaved rounds (each keeps its fastest), and the peak memory of the whole process tree
(sampled from /proc), at --pages and --big."""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUTHORS = ["The Kyiv Independent news desk", "Martin Fornusek", "Oleg Sukhov and Asami Terajima", "Daria Shulzhenko"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def paragraphs() -> tuple[list[str], list[str]]:
    """Body paragraphs and short headline-like lines from the seeds (the project's own copies)."""
    body, short = [], []
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        for line in seed.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            (body if len(line) > 160 else short).append(line) if len(line) > 30 else None
    return body, short


def ki_page(rng: random.Random, body: list[str], short: list[str]) -> str:
    y, m, d = rng.randint(2022, 2025), rng.randint(1, 12), rng.randint(1, 28)
    head = []
    if rng.random() < 0.6:
        head.append(
            f" date {y}-{m:02d}-{d:02d} " + rng.choice([rng.choice(short), "This audio is created with AI assistance"])
        )
    title = rng.choice(short)
    head += [
        title,
        "",
        f"by {rng.choice(AUTHORS)} {MONTHS[m - 1]} {d}, {y} {rng.randint(1, 12)}:{rng.randint(0, 59):02d} "
        f"{rng.choice('AP')}M {rng.randint(1, 9)} min read",
    ]
    head += ["This audio is created with AI assistance", ""]
    paras = rng.sample(body, rng.randint(6, 12))
    tail = ["", rng.choice(short), rng.choice(body)] if rng.random() < 0.5 else []
    return "\n".join(head) + "\n\n".join(paras) + "\n" + "\n".join(tail)


def espreso_page(rng: random.Random, body: list[str], short: list[str]) -> str:
    y, m, d = rng.randint(2022, 2025), rng.randint(1, 12), rng.randint(1, 28)
    head = ["Espreso. Global", ""] + (["Exclusive", ""] if rng.random() < 0.4 else [])
    head += [rng.choice(short) + "\u00a0", "", f"{d} {MONTHS[m - 1]}, {y} {rng.choice(DAYS)}", ""]
    if rng.random() < 0.8:
        head += [f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}", ""]
    paras = rng.sample(body, rng.randint(5, 10)) + [f"  \u2022 {p}" for p in rng.sample(body, rng.randint(0, 4))]
    widget = ["Read also:", "  \u2022 News", f"{y + 1}, {rng.choice(DAYS)}", f"{d} {MONTHS[m - 1]}"]
    widget += rng.sample(short, min(len(short), rng.randint(10, 40))) + ["More news"]
    return "\n".join(head) + "\n\n".join(paras) + "\n\n" + "\n".join(widget)


def plain_page(rng: random.Random, body: list[str], short: list[str]) -> str:
    return (
        rng.choice(short)
        + "\n\n"
        + "\n\n".join(rng.sample(body, rng.randint(6, 12)))
        + "\n\nTags\nUkraine\nRussia\nWar\n"
    )


def build(root: Path, n: int, seed: int = 7) -> int:
    if root.exists() and len(list(root.rglob("*.txt"))) == n:
        return sum(p.stat().st_size for p in root.rglob("*.txt"))
    shutil.rmtree(root, ignore_errors=True)
    rng = random.Random(seed)
    body, short = paragraphs()
    size = 0
    for i in range(n):
        make = rng.choices([ki_page, espreso_page, plain_page], [0.45, 0.45, 0.1])[0]
        path = root / f"d{i % 100:02d}" / f"p{i:06d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = make(rng, body, short).encode("utf-8")
        path.write_bytes(data)
        size += len(data)
    return size


def floor(src: Path, out: Path) -> float:
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    for path in sorted(src.rglob("*.txt")):
        target = out / path.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    return time.perf_counter() - t0


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def clean_cmd(src: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(out), "-j", str(jobs), *extra]


def run_clean(src: Path, out: Path, jobs: int, *extra: str) -> tuple[float, float]:
    """Wall time and peak tree memory (MB) of one `clean` run."""
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        clean_cmd(src, out, jobs, *extra), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    took = time.perf_counter() - t0
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"clean failed ({proc.returncode}):\n{err}")
    return took, peak / 1024


RUN_FILES = ("summary.json", "report.html")  # they hold the run's timings


def same_tree(a: Path, b: Path) -> bool:
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.name not in RUN_FILES)
    return files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and p.name not in RUN_FILES) and all(
        (a / f).read_bytes() == (b / f).read_bytes() for f in files
    )


def _spin(seconds: float) -> int:
    n, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        n += sum(range(200))
    return n


def machine_scaling() -> float:
    """How much faster two processes do pure-Python work than one, on this machine right now:
    the ceiling for any --jobs 2 speedup (shared machines often fall well short of 2x)."""
    import multiprocessing as mp

    with mp.get_context("fork").Pool(2) as pool:
        one = pool.apply(_spin, (2.0,))
        two = sum(pool.map(_spin, [2.0, 2.0]))
    return two / one


def workload_scaling(src: Path, work: Path) -> float:
    """How much faster this machine does this very work in two processes than in one: two
    `clean -j 1` runs on the two halves of the corpus at once, against one half alone. Shared
    vCPUs slow each other down more on real work (caches, memory) than on a spin loop; this is
    the ceiling for what --jobs 2 can reach here."""
    halves = [("--exclude", "d[5-9]*"), ("--exclude", "d[0-4]*")]

    def start(k: int) -> subprocess.Popen[bytes]:
        out = work / f"out-half{k}"
        shutil.rmtree(out, ignore_errors=True)
        return subprocess.Popen(
            clean_cmd(src, out, 1, *halves[k]), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    t0 = time.perf_counter()
    start(0).wait()
    alone = time.perf_counter() - t0
    t0 = time.perf_counter()
    for proc in [start(0), start(1)]:
        proc.wait()
    both = time.perf_counter() - t0
    return 2 * alone / both


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=20_000)
    ap.add_argument("--big", type=int, default=100_000, help="corpus for the memory-flatness run (0: skip)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/cleaner-bench"))
    ap.add_argument("--rounds", type=int, default=2, help="floor, jobs 1, jobs 2 each this many times")
    args = ap.parse_args()
    work = args.workdir
    src = work / f"in-{args.pages}"
    size = build(src, args.pages)
    print(f"corpus: {args.pages:,} pages, {size / args.pages / 1024:.1f} KiB a page on average")
    # Rounds interleave the three so a slow minute of the shared machine does not fall on one
    # of them alone; each keeps its fastest round (the least disturbed) and its highest peak.
    t_floor = t1 = t2 = float("inf")
    m1 = m2 = 0.0
    for _ in range(args.rounds):
        t_floor = min(t_floor, floor(src, work / "out-floor"))
        t, m = run_clean(src, work / "out-1", 1)
        t1, m1 = min(t1, t), max(m1, m)
        t, m = run_clean(src, work / "out-2", 2)
        t2, m2 = min(t2, t), max(m2, m)
    n = args.pages
    print(f"fastest of {args.rounds} interleaved rounds")
    print(f"{'':10} {'seconds':>8} {'pages/s':>9} {'vs floor':>9} {'peak MB':>8}")
    print(f"{'floor':10} {t_floor:8.2f} {n / t_floor:9,.0f} {1:9.1f}x {'':>8}")
    print(f"{'jobs 1':10} {t1:8.2f} {n / t1:9,.0f} {t1 / t_floor:9.1f}x {m1:8.0f}")
    print(f"{'jobs 2':10} {t2:8.2f} {n / t2:9,.0f} {t2 / t_floor:9.1f}x {m2:8.0f}")
    print(
        f"jobs 2 is {t1 / t2:.2f}x faster than jobs 1; outputs identical: {same_tree(work / 'out-1', work / 'out-2')}"
    )
    print(f"this machine runs two CPU-bound processes {machine_scaling():.2f}x as fast as one (a spin loop),")
    print(f"and two `clean -j 1` on the corpus's halves {workload_scaling(src, work):.2f}x as fast as one")
    if args.big:
        big = work / f"in-{args.big}"
        build(big, args.big, seed=8)
        tb, mb = run_clean(big, work / "out-big", 2)
        print(
            f"memory: {m2:.0f} MB at {n:,} pages, {mb:.0f} MB at {args.big:,} pages (jobs 2, {args.big / tb:,.0f} "
            "pages/s)"
        )


if __name__ == "__main__":
    main()
