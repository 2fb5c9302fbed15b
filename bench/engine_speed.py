"""`clean DIR -o OUT -j 2` against `--engine ray -j 2` on batch_speed's corpus, in one run:
wall time (Ray's start included), peak memory of the whole process tree, identical outputs.

    python bench/engine_speed.py [--pages 20000] [--rounds 2]"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import batch_speed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20_000)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "in"
        batch_speed.build(src, args.pages)
        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.rounds):  # interleaved: the machine's load moves both alike
            for name, extra in (("local -j 2", ()), ("ray -j 2", ("--engine", "ray"))):
                t, m = batch_speed.run_clean(src, work / name.replace(" ", ""), 2, *extra)
                if name not in best or t < best[name][0]:
                    best[name] = (t, max(m, best.get(name, (0, 0))[1]))
        same = batch_speed.same_tree(work / "local-j2", work / "ray-j2")
    print(f"{args.pages:,} pages   seconds   pages/s   peak MB")
    for name, (t, m) in best.items():
        print(f"{name:<12} {t:9.2f} {args.pages / t:9,.0f} {m:9.0f}")
    print(f"outputs identical: {same}")


if __name__ == "__main__":
    main()
