"""Is a `cleaner learn` draft worth using? Learn from 5 pages of one made-up outlet, score on others.

    python bench/learn_eval.py [--learn 5] [--unseen 40] [--seed 1] [--show]

Two outlets are templates written here. "The Harbour Post": masthead, navigation, a ticker
headline of another story, title, a byline whose author, date and reading time change per page,
an audio banner, share row, inline related links and ad labels, a "Most read" widget, a
newsletter appeal, an author bio and a footer, with the variations a real outlet has (no time,
two authors, no widget). "Valley Courier": single newlines, an `Author:` line and a numeric
date line, a photo credit, inline `Read also:` links, tags, a share column, a comment count, a
news list with times, and a footer. The articles are the `articleBody` texts of English pages of
../shared/benchmarks (read at run time; titles from their URL slugs), so no article text is
in the project.

Scores, token P/R/F1 against the article body, on the unseen pages:
- the draft, with the page's URL and without;
- `_generic` on the same pages.

Claims: the draft's folder next to the built-in packs, on every page of ../shared/corpus and on
the benchmark pages rendered as text; a page that picks the draft is a false claim."""

from __future__ import annotations

import argparse
import calendar
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from recognition import other_pages  # noqa: E402
from render_eval import BENCH, page_score, summary  # noqa: E402

from cleaner import Options, clean  # noqa: E402
from cleaner.text.language import detect  # noqa: E402

HOST = "harbourpost.example"
NAMES = [
    "Maria Lopez",
    "James Okafor",
    "Ingrid Solberg",
    "Tomasz Nowak",
    "Aiko Tanaka",
    "Samuel Reyes",
    "Leah Cohen",
    "Ravi Menon",
]
MONTHS = list(calendar.month_name)[1:]
SECTIONS = ["Local", "Business", "Sport", "Opinion", "Culture"]


def articles() -> list[tuple[str, str, list[str]]]:
    """(url slug title, body, paragraphs) of the benchmark's English articles."""
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for pid in sorted(truth):
        body = truth[pid]["articleBody"].strip()
        if len(body) < 600 or detect(body) != "en":
            continue
        slug = urlsplit(truth[pid].get("url") or "").path.rstrip("/").rsplit("/", 1)[-1]
        words = [w for w in slug.replace("_", "-").split("-") if w.isalpha()][:10]
        if len(words) < 3:
            continue
        paras = [p.strip() for p in body.split("\n") if p.strip()]
        out.append((" ".join(words).capitalize(), body, paras))
    return out


def page(rng: random.Random, title: str, paras: list[str], headlines: list[str], widget: list[str]) -> str:
    """One page of the outlet: the template around one article, with per-page variation."""
    authors = rng.sample(NAMES, 2 if rng.random() < 0.2 else 1)
    month, day, year = rng.choice(MONTHS), rng.randint(1, 28), rng.choice([2023, 2024, 2025])
    when = f"{month} {day}, {year}"
    if rng.random() < 0.7:
        when += f" {rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['a.m.', 'p.m.'])}"
    head = [
        "Skip to content",
        "The Harbour Post",
        "Home | " + " | ".join(SECTIONS) + " | Subscribe",
        f"Breaking: {rng.choice(headlines)}",
        rng.choice(SECTIONS),
        title,
        f"By {' and '.join(authors)} | {when} | {rng.randint(2, 12)} min read",
        "Listen to this article",
        "Share on Facebook | Share on X | Copy link",
    ]
    body: list[str] = []
    for k, p in enumerate(paras):
        body.append(p)
        if k == 2 and len(paras) > 5:
            body.append(f"Related: {rng.choice(headlines)}")
        if k == 4 and len(paras) > 7:
            body.append("Advertisement")
    tail = []
    if rng.random() < 0.8:
        tail += ["Most read"] + widget
    tail += [
        "Get The Harbour Post newsletter in your inbox every morning.",
        f"{authors[0]} is a reporter at The Harbour Post covering {rng.choice(SECTIONS).lower()} news.",
        f"© {year} The Harbour Post. All rights reserved.",
        "Privacy | Terms | Contact us",
    ]
    return "\n\n".join(["\n".join(head), *body, "\n".join(tail)]) + "\n"


def page_valley(rng: random.Random, title: str, paras: list[str], headlines: list[str], widget: list[str]) -> str:
    """The second outlet: single newlines, `Author:` and a numeric date line, a photo credit
    line, inline `Read also:` links, a tags line, a share column, comment count, a news list
    with times, and a two-line footer."""
    head = [
        "VALLEY COURIER",
        "Menu",
        "Search",
        "News / Politics / Economy / Sport / Culture",
        rng.choice(SECTIONS),
        title,
    ]
    head.append(f"Author: {rng.choice(NAMES)}")
    head.append(
        f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.choice([2023, 2024, 2025])}, "
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    )
    if rng.random() < 0.6:
        head.append(f"Photo: {rng.choice(NAMES)}/Courier")
    body: list[str] = []
    for k, p in enumerate(paras):
        body.append(p)
        if k == 1 and len(paras) > 4:
            body.append(f"Read also: {rng.choice(headlines)}")
    if rng.random() < 0.5:
        body.append("Subscribe to our Telegram channel")
    tail = [
        f"Tags: {', '.join(rng.sample([x.lower() for x in SECTIONS], 2))}",
        "Share:",
        "Facebook",
        "Twitter",
        "Telegram",
        f"Comments ({rng.randint(0, 40)})",
    ]
    if rng.random() < 0.8:
        tail.append("Latest news")
        for h in widget:
            tail += [h, f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"]
    tail += ["© Valley Courier, 2010–2025", "Reproduction of materials is permitted only with a link to the source."]
    return "\n".join([*head, *body, *tail]) + "\n"


def page_ledger(rng: random.Random, title: str, paras: list[str], headlines: list[str], widget: list[str]) -> str:
    """The third outlet, written after learn was last changed and measured once: a tagline,
    breadcrumbs, a `Published ... · Updated ...` line, `Written by <name>, <role>`, a
    photograph credit, capitalised ad labels, a briefing appeal, a topics list, a "More from"
    list, a closed-comments line and an address footer."""
    day = f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.choice([2023, 2024, 2025])}"
    head = [
        "Northern Ledger — independent news since 1998",
        "Sign in | Subscribe",
        f"Home › World › {rng.choice(SECTIONS)}",
        title,
        f"Published {day}" + (f" · Updated {day}" if rng.random() < 0.5 else ""),
        f"Written by {rng.choice(NAMES)}, {rng.choice(['Senior correspondent', 'Reporter', 'Economics editor'])}",
    ]
    if rng.random() < 0.7:
        head.append(f"Photograph: {rng.choice(NAMES)}/Reuters")
    body: list[str] = []
    for k, p in enumerate(paras):
        body.append(p)
        if k == 2:
            body.append("ADVERTISEMENT")
    if rng.random() < 0.5:
        body.append("Sign up for our morning briefing and get the Ledger in your inbox.")
    tail = [
        "Topics",
        *rng.sample(SECTIONS, 3),
        "More from Northern Ledger",
        *widget[:4],
        "Comments are closed.",
        "Northern Ledger Ltd, 12 Quay Street",
        f"© Northern Ledger {rng.choice([2024, 2025])}",
    ]
    return "\n\n".join(["\n".join(head), *body, "\n".join(tail)]) + "\n"


OUTLETS = {
    "harbour_post": ("harbourpost.example", page),
    "valley_courier": ("valleycourier.example", page_valley),
    "northern_ledger": ("northernledger.example", page_ledger),
}


def score(
    pages: list[tuple[str, str, str]], opts: Options | None, with_url: bool, pack: str | None = None
) -> tuple[float, float, float]:
    scores = []
    for url, text, truth in pages:
        doc = clean(text, url=url if with_url else None, pack=pack, options=opts or Options())
        scores.append(page_score(doc.text, truth))
    return summary(scores)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--learn", type=int, default=5, help="pages to learn from")
    ap.add_argument("--unseen", type=int, default=40, help="pages to score on")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", action="store_true", help="print the draft and the learn report")
    ap.add_argument("--outlet", action="append", choices=list(OUTLETS), help="only this made-up outlet (repeatable)")
    args = ap.parse_args()
    if not BENCH.is_dir():
        sys.exit("../shared/benchmarks is absent: nothing to build the outlet's pages from")
    pool = articles()
    others = other_pages()
    for outlet in args.outlet or list(OUTLETS):
        evaluate(outlet, pool, others, args)


def evaluate(
    outlet: str, pool: list[tuple[str, str, list[str]]], other: list[tuple[str, str]], args: argparse.Namespace
) -> None:
    host, make = OUTLETS[outlet]
    rng = random.Random(args.seed)
    pool = list(pool)
    rng.shuffle(pool)
    need = args.learn + args.unseen
    if len(pool) < need:
        sys.exit(f"only {len(pool)} English articles; asked for {need}")
    titles = [t for t, _, _ in pool]
    widget_day = rng.sample(titles, 5)  # the pages learned from were saved on one day
    made = []
    for n, (title, body, paras) in enumerate(pool[:need]):
        others = [t for t in titles if t != title]
        widget = widget_day if n < args.learn else rng.sample(others, 5)
        url = f"https://{host}/{rng.choice(SECTIONS).lower()}/{title.lower().replace(' ', '-')}"
        made.append((url, make(rng, title, paras, others, widget), body))
    learn, unseen = made[: args.learn], made[args.learn :]
    with tempfile.TemporaryDirectory() as tmp:
        folder, rules = Path(tmp, "pages"), Path(tmp, "rules")
        folder.mkdir()
        for k, (_url, text, _body) in enumerate(learn):
            (folder / f"page{k}.txt").write_text(text, encoding="utf-8")
        out = rules / f"{outlet}.toml"
        cmd = [sys.executable, "-m", "cleaner", "learn", str(folder), "-o", str(out), "--host", host]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode:
            sys.exit(f"learn failed: {proc.stderr.strip()}")
        if args.show:
            print(out.read_text(encoding="utf-8"))
            print(proc.stdout)
        opts = Options(rules_dirs=(str(rules),))
        rows = [
            ("draft, with the URL", score(unseen, opts, True)),
            ("draft, without a URL", score(unseen, opts, False)),
            ("_generic", score(unseen, None, True, pack="_generic")),
            (f"draft on its own {len(learn)} pages", score(learn, opts, True)),
            (f"_generic on those {len(learn)} pages", score(learn, None, True, pack="_generic")),
        ]
        print(f"{outlet}: {len(unseen)} unseen pages (learned from {len(learn)}):")
        print(f"{'':28} {'P':>6} {'R':>6} {'F1':>6}")
        for name, (p, r, f) in rows:
            print(f"{name:28} {p:6.3f} {r:6.3f} {f:6.3f}")
        docs = [clean(text, url=url, options=opts) for url, text, _b in unseen]
        titled = sum(
            d.title is not None and d.title.lower() in text.lower() and d.title in text.split("\n")
            for d, (_u, text, _b) in zip(docs, unseen, strict=True)
        )
        print(
            f"fields on the unseen pages: title {titled}, author "
            f"{sum(d.author in NAMES or ' and ' in (d.author or '') for d in docs)},"
            f" date {sum(d.date is not None for d in docs)} of {len(docs)}"
        )
        picked = sum(clean(text, options=opts).pack.startswith(outlet) for _u, text, _b in unseen)
        print(f"unseen pages that pick the draft without a URL: {picked}/{len(unseen)}")
        claimed = [name for name, text in other if clean(text, format="text", options=opts).pack.startswith(outlet)]
        for name in claimed:
            print(f"CLAIMED {name}")
        print(f"other outlets' pages claimed by the draft: {len(claimed)}/{len(other)}\n")


if __name__ == "__main__":
    main()
