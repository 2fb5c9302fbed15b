"""Template drift: an outlet that changed its template shows as a rule that stopped firing,
a pack that falls back more, or a kept share that moved, between two runs' summaries.

Nothing fails when a byline moves; these flags are how a maintainer hears of it."""

from __future__ import annotations

from typing import Any

from .. import settings


def drift(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Flags for every pack present in both summaries (by id: a version bump is the same pack)."""
    old, new = _by_id(before), _by_id(after)
    flags: list[dict[str, Any]] = []
    for pid in sorted(old.keys() & new.keys()):
        a, b = old[pid], new[pid]
        if min(a["pages"], b["pages"]) < settings.DRIFT_MIN_PAGES:
            continue
        for rule, fired in sorted(a.get("rules_fired", {}).items()):
            rate_a = fired / a["pages"]
            rate_b = b.get("rules_fired", {}).get(rule, 0) / b["pages"]
            if rate_a >= settings.DRIFT_MIN_RATE and rate_b < rate_a * (1 - settings.DRIFT_RATE_DROP):
                flags.append(
                    _flag(
                        pid,
                        "rule",
                        rate_a,
                        rate_b,
                        f"rule {rule} fired on {rate_a:.0%} of pages, now {rate_b:.0%}",
                        rule=rule,
                    )
                )
        fa, fb = a.get("fallback_rate", 0.0), b.get("fallback_rate", 0.0)
        if fb - fa > settings.DRIFT_FALLBACK_RISE:
            flags.append(_flag(pid, "fallback", fa, fb, f"fell back on {fa:.0%} of pages, now {fb:.0%}"))
        ma, mb = a["kept_share"].get("p50"), b["kept_share"].get("p50")
        if ma is not None and mb is not None and abs(mb - ma) > settings.DRIFT_KEPT_SHIFT:
            flags.append(_flag(pid, "kept_share", ma, mb, f"median kept share moved from {ma:.0%} to {mb:.0%}"))
    return flags


def _by_id(summary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {label.partition("@")[0]: stats for label, stats in summary.get("packs", {}).items()}


def _flag(pack: str, kind: str, before: float, after: float, message: str, **extra: Any) -> dict[str, Any]:
    return {
        "pack": pack,
        "kind": kind,
        **extra,
        "before": round(before, 4),
        "after": round(after, 4),
        "message": f"{pack}: {message}",
    }
