"""report.html: one self-contained page (inline CSS and SVG, no script, no network) that shows
a run at a glance: the counts, the rules by characters removed, each pack's fallback rate and
kept-share histogram, the hosts, the errors, and the pages that kept least and most, each
linked to its explain view (removed lines struck through and labelled with their rule).

Built with the standard library's html.escape: the page is a few tables and bars, and no
template engine would make it shorter or safer. It stays small for any run: everything but
the listed pages' explain views is aggregated."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any, NamedTuple

HOSTS_SHOWN = 50
HIST_BINS = 20  # the kept-share histograms are drawn in 5% bars


class Row(NamedTuple):
    """One line of an explain view: its number, its text, and the rule that removed it (None
    for a kept line; a line with inline cuts has a row per cut)."""

    line: int
    text: str
    rule: str | None


class View(NamedTuple):
    anchor: str
    source: str
    pack: str
    rows: Sequence[Row]


CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222;padding:0 1em}
h1{font-size:1.6em;margin:0 0 .4em}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}
.cards{display:flex;flex-wrap:wrap;gap:.6em}
.card{border:1px solid #ddd;border-radius:6px;padding:.5em .9em;min-width:7em}
.card b{display:block;font-size:1.5em}.card.bad b{color:#b00020}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.25em .5em;border-bottom:1px solid #eee;vertical-align:top}
th{font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.flag{background:#fff3cd;border:1px solid #e0c060;border-radius:4px;padding:.3em .6em;margin:.2em 0}
svg text{font:12px system-ui,sans-serif}
.explain{display:none;border:1px solid #ccc;border-radius:6px;padding:.6em 1em;margin:1em 0}
.explain:target{display:block;position:fixed;inset:1.5em;overflow:auto;background:#fff;
  box-shadow:0 0 0 100vmax rgba(0,0,0,.35);z-index:2}
.explain .close{float:right;font-size:.9em}.explain ol{font:13px/1.4 ui-monospace,monospace;padding-left:4em}
.explain li.removed{color:#888}.explain li.removed del{color:#a33}
.rule{font:11px ui-monospace,monospace;background:#eef;border-radius:3px;padding:0 .3em;margin-left:.5em;color:#225}
"""


def render(summary: dict[str, Any], views: Sequence[View] = ()) -> str:
    """The whole page."""
    linked = {v.source: v.anchor for v in views}
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<meta name=viewport content='width=device-width,initial-scale=1'>",
        f"<title>cleaner report: {summary['pages']:,} pages</title><style>{CSS}</style></head><body>",
        f"<h1>cleaner report: {summary['pages']:,} pages</h1>",
        _cards(summary),
        _drift(summary.get("drift")),
        "<h2>Rules by characters removed</h2>",
        _rule_bars(summary["rules"]),
        "<h2>Packs</h2>",
        _packs(summary["packs"]),
        "<h2>Hosts</h2>",
        _hosts(summary["hosts"]),
        "<h2>Errors</h2>",
        _errors(summary["errors"]),
        "<h2>Pages that kept least</h2>",
        _pages(summary["least_kept"], linked),
        "<h2>Pages that kept most</h2>",
        _pages(summary["most_kept"], linked),
        *(_view(v) for v in views),
        "</body></html>\n",
    ]
    return "\n".join(p for p in parts if p)


def explain_page(view: View) -> str:
    """One page's explain view as a page of its own (`cleaner explain FILE --html OUT`)."""
    section = (
        _view(view).replace("class=explain", "class='explain shown'").replace("<a class=close href='#'>close</a>", "")
    )
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>explain: {escape(view.source)}</title><style>{CSS}.explain.shown{{display:block}}</style>"
        f"</head><body>{section}</body></html>\n"
    )


def _cards(s: dict[str, Any]) -> str:
    cards = [
        ("pages", s["pages"], False),
        ("cleaned", s["cleaned"], False),
        ("failed", s["failed"], s["failed"] > 0),
        ("skipped", s["skipped"], False),
        ("kept nothing", s["kept_nothing"], s["kept_nothing"] > 0),
        ("article may be lost", s.get("article_may_be_lost", 0), s.get("article_may_be_lost", 0) > 0),
        ("warnings", s["warnings"], False),
        ("pages/s", s["pages_per_second"], False),
        ("seconds", s["seconds"], False),
    ]
    body = "".join(
        f"<div class='card{' bad' if bad else ''}' data-count='{escape(name)}'><b>{_num(value)}</b>{escape(name)}</div>"
        for name, value, bad in cards
    )
    return f"<div class=cards>{body}</div>"


def _drift(flags: list[dict[str, Any]] | None) -> str:
    if flags is None:
        return ""
    if not flags:
        return "<h2>Template drift</h2><p>No drift against the compared run.</p>"
    return "<h2>Template drift</h2>" + "".join(f"<div class=flag>{escape(f['message'])}</div>" for f in flags)


def _rule_bars(rules: dict[str, dict[str, int]]) -> str:
    if not rules:
        return "<p>No rule removed anything.</p>"
    top = max(r["chars"] for r in rules.values()) or 1
    height, label_w, bar_w = 18, 230, 420
    rows = []
    for n, (rule, r) in enumerate(rules.items()):
        y = n * height
        w = max(1, round(bar_w * r["chars"] / top))
        rows.append(
            f"<g class=bar data-rule='{escape(rule)}'><text x='{label_w - 6}' y='{y + 13}' "
            f"text-anchor=end>{escape(rule)}</text>"
            f"<rect x='{label_w}' y='{y + 3}' width='{w}' height='{height - 6}' fill='#4a7bd0'>"
            f"<title>{escape(rule)}: {r['chars']:,} characters, {r['lines']:,} lines, on {r['pages']:,} "
            "pages</title></rect>"
            f"<text x='{label_w + w + 6}' y='{y + 13}'>{r['chars']:,} chars · {r['pages']:,} pages</text></g>"
        )
    total_h = height * len(rules)
    return (
        f"<svg class=rules width='{label_w + bar_w + 200}' height='{total_h}' role=img "
        f"aria-label='rules by characters removed'>{''.join(rows)}</svg>"
    )


def _histogram(hist: list[int]) -> str:
    step = len(hist) // HIST_BINS
    bins = [sum(hist[i * step : (i + 1) * step]) for i in range(HIST_BINS)]
    bins[-1] += sum(hist[HIST_BINS * step :])  # the 100% bin
    top = max(bins) or 1
    w, h = 8, 40
    bars = "".join(
        f"<rect x='{i * (w + 1)}' y='{h - round(h * n / top)}' width='{w}' height='{round(h * n / top)}' fill='#6a9'>"
        f"<title>kept {i * 5}-{i * 5 + 5}%: {n:,} pages</title></rect>"
        for i, n in enumerate(bins)
    )
    return f"<svg class=hist width='{HIST_BINS * (w + 1)}' height='{h}' role=img aria-label='kept share'>{bars}</svg>"


def _packs(packs: dict[str, dict[str, Any]]) -> str:
    rows = []
    for label, p in packs.items():
        reasons = ", ".join(f"{escape(k)}: {v:,}" for k, v in p["fallbacks"].items()) or "-"
        q = p["kept_share"]
        rows.append(
            f"<tr data-pack='{escape(label)}'><td>{escape(label)}</td><td class=n>{p['pages']:,}</td>"
            f"<td class=n>{p['fallback_rate']:.0%}</td><td>{reasons}</td>"
            f"<td class=n>{_pct(q['p10'])} / {_pct(q['p50'])} / {_pct(q['p90'])}</td>"
            f"<td>{_histogram(p['kept_share_histogram'])}</td></tr>"
        )
    head = (
        "<tr><th>pack</th><th>pages</th><th>fell back</th><th>why</th><th>kept p10 / p50 / p90</th><th>kept "
        "share</th></tr>"
    )
    return f"<table class=packs>{head}{''.join(rows)}</table>"


def _hosts(hosts: dict[str, dict[str, Any]]) -> str:
    shown = list(hosts.items())[:HOSTS_SHOWN]
    rows = "".join(
        f"<tr><td>{escape(host)}</td><td class=n>{h['pages']:,}</td>"
        f"<td>{escape(', '.join(f'{k} {v:,}' for k, v in h['packs'].items()))}</td><td "
        f"class=n>{_pct(h['kept_share']['p50'])}</td></tr>"
        for host, h in shown
    )
    more = f"<p>and {len(hosts) - HOSTS_SHOWN:,} more hosts (see summary.json)</p>" if len(hosts) > HOSTS_SHOWN else ""
    return f"<table class=hosts><tr><th>host</th><th>pages</th><th>packs</th><th>kept p50</th></tr>{rows}</table>{more}"


def _errors(errors: dict[str, int]) -> str:
    if not errors:
        return "<p>No page failed.</p>"
    rows = "".join(f"<tr><td>{escape(kind)}</td><td class=n>{n:,}</td></tr>" for kind, n in errors.items())
    return f"<table class=errors><tr><th>kind</th><th>pages</th></tr>{rows}</table>"


def _pages(pages: list[dict[str, Any]], linked: dict[str, str]) -> str:
    if not pages:
        return "<p>None.</p>"
    items = []
    for p in pages:
        name = escape(p["source"])
        anchor = linked.get(p["source"])
        label = f"<a href='#{anchor}'>{name}</a>" if anchor else name
        items.append(f"<li>{label} <span class=rule>kept {p['kept_share']:.0%}</span></li>")
    return f"<ol class=pages>{''.join(items)}</ol>"


def _view(view: View) -> str:
    lines = []
    for row in view.rows:
        text = escape(row.text)
        if row.rule is None:
            lines.append(f"<li value={row.line}>{text}</li>")
        else:
            lines.append(
                f"<li value={row.line} class=removed><del>{text}</del><span class=rule>{escape(row.rule)}</span></li>"
            )
    return (
        f"<section class=explain id='{escape(view.anchor)}'><a class=close href='#'>close</a><h3>{escape(view.source)} "
        f"<span class=rule>{escape(view.pack)}</span></h3><ol>{''.join(lines)}</ol></section>"
    )


def _num(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"
