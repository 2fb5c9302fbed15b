"""Clean both seed pages N times (default 1,000) in one process and report the time.

    python bench/seeds_speed.py [N]

The first call loads the packs; it is timed apart so the loop measures cleaning only."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cleaner import clean

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    pages = [p.read_bytes() for p in sorted((ROOT / "seeds").glob("*.txt"))]
    t0 = time.perf_counter()
    first = [clean(p) for p in pages]
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(n):
        for p in pages:
            clean(p)
    total = time.perf_counter() - t0
    count = n * len(pages)
    print(f"first call (loads packs): {warm * 1000:.1f} ms for {len(pages)} pages ({', '.join(d.pack for d in first)})")
    print(
        f"{count} cleanings in {total:.2f} s: {total / count * 1e3:.3f} ms/page, {count / total:,.0f} pages/s on one "
        "core"
    )


if __name__ == "__main__":
    main()
