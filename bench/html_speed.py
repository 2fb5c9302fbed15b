"""Speed of a pack page with a body selector against trafilatura.extract on the same page.

    python bench/html_speed.py [N]

Pages: the outlet fixtures in tests/fixtures/html (about 10-13 KB), and the same pages at a
real news page's weight (about 150 KB: more scripts and teaser lists, the article unchanged).
Both tools run in this process, alternately, N times each; the ratio is what counts."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def heavier(html: str, target: int = 150_000) -> str:
    """The page with its chrome repeated until it weighs `target` bytes (article untouched)."""
    scripts = "".join(re.findall(r"<script>.*?</script>", html))
    teasers = "".join(re.findall(r'<article class="post-card">.*?</article>', html)) or "<li>teaser</li>" * 20
    extra = ""
    while len(html) + len(extra) < target:
        extra += scripts + f'<aside class="more-stories">{teasers}</aside>'
    return html.replace("</body>", extra + "</body>")


def timed(fn, n: int) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


def main() -> None:
    import trafilatura

    from cleaner import clean

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    print(f"{'page':38} {'KB':>5} {'cleaner ms':>11} {'trafilatura ms':>15} {'ratio':>6}")
    for path in sorted((ROOT / "tests" / "fixtures" / "html").glob("*.html")):
        base = path.read_text(encoding="utf-8")
        for label, html in ((path.name, base), (path.name + " (150 KB)", heavier(base))):
            doc = clean(html)  # warm: packs loaded, pack chosen by its selectors
            assert "selector" not in doc.pack and not doc.pack.startswith("_"), doc.pack
            trafilatura.extract(html)
            mine = timed(lambda html=html: clean(html), n)
            theirs = timed(lambda html=html: trafilatura.extract(html, include_comments=False, include_tables=True), n)
            print(f"{label:38} {len(html) / 1000:5.0f} {mine * 1000:11.2f} {theirs * 1000:15.2f} {theirs / mine:5.1f}x")


if __name__ == "__main__":
    main()
