"""The match plan's benches, all in one run (ratios hold on a noisy machine), for both engines:

    python bench/plan_speed.py [--rounds 5] [--pages 300]

  per page   in-process clean() of the two seeds
  packs      2, 50 and 200 packs (the outlet packs copied under new ids and hosts into a
             temporary rules folder), pages of batch_speed's corpus with and without their URL,
             and pages of no pack with a URL of their own
  page size  text pages of 1 KB, 10 KB, 100 KB and 1 MB
  load       the built-in packs and their plan in a fresh process, with the plan's disk cache
             warm and cold

Each figure is the fastest of the rounds (process time a page). Every page's Document is the
same on both engines: the bench stops if not."""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_speed import build, paragraphs

from cleaner import clean
from cleaner.packs import plan
from cleaner.pipeline import Options

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = {"kyiv_independent": "kyivindependent.com", "espreso_global": "global.espreso.tv"}
ENGINES = ("hyperscan", "regex")


def copies(folder: Path, total: int) -> None:
    """`total` packs in all: the built-in outlet packs plus copies under new ids and hosts."""
    n = 0
    while 2 + n < total:
        for pid, host in OUTLETS.items():
            if 2 + n >= total:
                break
            text = (ROOT / "rules" / f"{pid}.toml").read_text(encoding="utf-8")
            new = f"copy{n:03d}"
            text = text.replace(f'id = "{pid}"', f'id = "{new}"').replace(host, f"outlet{n:03d}.example")
            (folder / f"{new}.toml").write_text(text, encoding="utf-8")
            n += 1


def timed(engine: str, pages: list[tuple[bytes, str | None]], opts: Options, rounds: int) -> tuple[float, list]:
    """The fastest round's process time a page, in µs, and the Documents."""
    os.environ["CLEANER_ENGINE"] = "auto" if engine == "hyperscan" else "regex"
    docs = [clean(data, url=url, options=opts) for data, url in pages]  # warm: packs and plan loaded
    best = float("inf")
    for _ in range(rounds):
        t0 = time.process_time()
        for data, url in pages:
            clean(data, url=url, options=opts)
        best = min(best, (time.process_time() - t0) / len(pages) * 1e6)
    return best, docs


def compare(label: str, pages: list[tuple[bytes, str | None]], opts: Options, rounds: int) -> dict[str, float]:
    out, docs = {}, {}
    for _ in range(2):  # interleaved: the machine's load moves both alike
        for engine in ENGINES:
            us, docs[engine] = timed(engine, pages, opts, max(1, rounds // 2))
            out[engine] = min(out.get(engine, float("inf")), us)
    if docs["hyperscan"] != docs["regex"]:
        sys.exit(f"{label}: the engines give different Documents")
    return out


def sized_page(rng: random.Random, body: list[str], kb: int, head: list[str] | None = None) -> bytes:
    """A page of about `kb` KB: a title (or the given head), paragraphs, a related list every 20."""
    lines = head or [rng.choice(body)[:80], ""]
    size = 0
    while size < kb * 1000:
        para = rng.choice(body)
        lines += [para, ""]
        size += len(para.encode()) + 2
        if len(lines) % 40 == 0:
            lines += ["Read also:", rng.choice(body)[:90], rng.choice(body)[:90], ""]
    return "\n".join(lines).encode("utf-8")


def load_time(cache: str | None) -> tuple[float, float]:
    env = dict(os.environ, CLEANER_ENGINE="auto")
    if cache:
        env["CLEANER_CACHE_DIR"] = cache
    code = (
        "import time; t=time.perf_counter(); import cleaner; from cleaner.packs.loader import load_packs; "
        "from cleaner.packs.plan import plan_for; u=time.perf_counter(); plan_for(load_packs()); "
        "print(u-t, time.perf_counter()-u)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pages", type=int, default=300)
    args = ap.parse_args()
    if plan.hyperscan is None:
        sys.exit("hyperscan is not installed: nothing to compare")
    seeds = [(p.read_bytes(), None) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    print("engine:             hyperscan   regex   ratio")

    def row(label: str, r: dict[str, float]) -> None:
        print(f"{label:<18} {r['hyperscan']:8.0f} µs {r['regex']:6.0f} µs  {r['hyperscan'] / r['regex']:5.2f}")

    row("seeds, per page", compare("seeds", seeds * 200, Options(), args.rounds))

    corpus = Path(tempfile.gettempdir()) / f"cleaner-bench/in-{args.pages}"
    build(corpus, args.pages)
    files = sorted(corpus.rglob("*.txt"))
    rng = random.Random(3)
    body, _ = paragraphs()
    no_pack = [(sized_page(rng, body, 3), f"https://news{i}.example/story") for i in range(40)]
    print("\npacks: µs a page      2 packs   50 packs   200 packs  (200 / 2)")
    table: dict[str, list[dict[str, float]]] = {}
    for total in (2, 50, 200):
        with tempfile.TemporaryDirectory() as tmp:
            copies(Path(tmp), total)
            opts = Options(rules_dirs=(tmp,)) if total > 2 else Options()
            plain = [(f.read_bytes(), None) for f in files]
            urls = {0: "https://kyivindependent.com/x", 1: "https://global.espreso.tv/x"}
            with_url = [(data, urls.get(i % 2)) for i, (data, _) in enumerate(plain)]
            for label, pages in (("no URL", plain), ("with URL", with_url), ("no pack, URL", no_pack)):
                table.setdefault(label, []).append(compare(f"{total} packs, {label}", pages, opts, args.rounds))
    for label, rows in table.items():
        for engine in ENGINES:
            cells = "".join(f"{r[engine]:10.0f}" for r in rows)
            print(
                f"{label + ', ' + engine:<22}{cells}   {rows[1][engine] / rows[0][engine]:.2f}x (50)"
                f" {rows[2][engine] / rows[0][engine]:.2f}x (200)"
            )

    print("\npage size              µs a page (hyperscan / regex)   µs a KB")
    ki_head = ["Russia strikes Kharkiv overnight", "", "by Martin Fornusek May 5, 2024 10:12 AM 3 min read"]
    ki_head += ["This audio is created with AI assistance", ""]
    for shape, head in (("Kyiv Independent", ki_head), ("no pack", None)):
        for kb in (1, 10, 100, 1000):
            pages = [(sized_page(rng, body, kb, head and list(head)), None)] * max(1, 200 // kb)
            r = compare(f"{kb} KB", pages, Options(), max(1, args.rounds // 2))
            print(
                f"{shape:<16} {kb:>5} KB {r['hyperscan']:10.0f} / {r['regex']:<10.0f}  "
                f"{r['hyperscan'] / kb:6.1f} / {r['regex'] / kb:.1f}"
            )

    with tempfile.TemporaryDirectory() as cold:
        first = load_time(cold)
        runs = [load_time(cold) for _ in range(3)]
        warm = (min(r[0] for r in runs), min(r[1] for r in runs))
    print(
        f"\nload in a fresh process (the built-in packs and their plan, imports apart): cold plan cache"
        f" {first[1] * 1000:.0f} ms, warm {warm[1] * 1000:.0f} ms; importing cleaner {warm[0] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
