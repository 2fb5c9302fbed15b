"""Which pack a page picks without a URL: the outlet packs' own pages against other outlets' pages.

    python bench/recognition.py [--show]

Own pages: every `[[tests]]` page of the outlet packs that sets no URL or whose pack check
is by signature (its URL is dropped here), and the seeds. These pages were written from
../shared/CHROME.md, so the rate is an in-sample figure: it says every shape there is
recognised, not how often real pages are.

Other outlets: every page of ../shared/corpus and the 181 HTML benchmark pages rendered as
full-page text both ways (bench/render_eval.py's renderers). Each must stay with a base pack
(`_generic`); a page that picks an outlet pack is a false claim, listed with its score."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from render_eval import BENCH, load  # noqa: E402

from cleaner.packs.loader import load_packs  # noqa: E402
from cleaner.pipeline import run  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SEED_PACK = {"000": "kyiv_independent", "001": "espreso_global"}


def chosen(text: str) -> tuple[str, str]:
    doc = run(text, format="text").document
    return doc.pack.split("@")[0], doc.pack_reason or ""


def own_pages() -> list[tuple[str, str, str]]:
    """(name, the pack it belongs to, text) for the outlet packs' test pages and the seeds."""
    out = []
    for pack in load_packs().values():
        if pack.is_base:
            continue
        for case in pack.tests:
            if case.select:  # a page of another outlet names the pack it must get
                want = str(dict(case.expect).get("pack", pack.id)).split("@")[0]
                out.append((f"{pack.id}::{case.name}", want, case.text))
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        out.append((f"seed {seed.name}", SEED_PACK[seed.name[:3]], seed.read_text(encoding="utf-8")))
    return out


def other_pages() -> list[tuple[str, str]]:
    out = []
    if CORPUS.is_dir():
        out += [
            (f"corpus {p.relative_to(CORPUS)}", p.read_text(encoding="utf-8")) for p in sorted(CORPUS.rglob("*.txt"))
        ]
    if BENCH.is_dir():
        for renderer in ("nodes", "blocks"):
            out += [(f"bench {renderer} {d.pid} ({d.site})", d.text) for d in load(BENCH, renderer)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="list every own page and its pick")
    args = ap.parse_args()
    own = own_pages()
    by_pack: dict[str, list[bool]] = {}
    for name, want, text in own:
        got, reason = chosen(text)
        by_pack.setdefault(want, []).append(got == want)
        if args.show or got != want:
            print(f"{'ok  ' if got == want else 'MISS'} {name}: {got} ({reason})")
    for pack, hits in sorted(by_pack.items()):
        what = "other outlets' test pages left to" if pack.startswith("_") else "own pack without a URL,"
        print(f"{what} {pack}: {sum(hits)}/{len(hits)}")
    others = other_pages()
    if not others:
        print("other outlets: ../shared is absent, not measured")
        return
    claimed = []
    for name, text in others:
        got, reason = chosen(text)
        if not got.startswith("_"):
            claimed.append((name, got, reason))
    for name, got, reason in claimed:
        print(f"CLAIMED {name}: {got} ({reason})")
    print(f"other outlets' pages claimed by an outlet pack: {len(claimed)}/{len(others)}")


if __name__ == "__main__":
    main()
