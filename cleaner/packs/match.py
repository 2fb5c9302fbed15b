"""Choosing a pack: explicit, then the URL's host, then content signatures, then `_generic`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ..document import Reason
from ..errors import CleanerError, InputError
from ..settings import REGEX_TIMEOUT
from .model import Pack, Pattern, Where
from .plan import Plan, plan_for
from .schema import suggest

# Whether a whole-line pattern matches in a region of the page, and whether a CSS selector
# matches the HTML (passed in by the pipeline, to keep packs/ free of text/ and html/).
LineFound = Callable[[Any, Where], bool]
CssFound = Callable[[str], bool]


def _no_lines(pattern: Any, where: Where) -> bool:
    return False


def _no_css(selector: str) -> bool:
    return False


GENERIC = "_generic"
COMMON = "_common"


def hostname(url: str | None) -> str | None:
    """The URL's host, lowercased; a URL that does not parse is an InputError."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError as exc:
        raise InputError(
            f"the URL {url!r} does not parse ({exc}); give a URL like https://host/path", kind="bad_value"
        ) from None
    return host.lower().rstrip(".") if host else None


_HOSTS: dict[int, tuple[object, dict[str, str]]] = {}


def by_host(packs: dict[str, Pack], host: str) -> Pack | None:
    """The pack of the host or of the nearest domain above it (the most specific host wins;
    between packs of one host, the first loaded). A lookup per label, however many packs."""
    kept = _HOSTS.get(id(packs))
    if kept is None or kept[0] is not packs:
        index: dict[str, str] = {}
        for pack in packs.values():
            for h in pack.hosts:
                index.setdefault(h, pack.id)
        kept = _HOSTS[id(packs)] = (packs, index)
    index = kept[1]
    labels = host.split(".")
    for n in range(len(labels)):
        pid = index.get(".".join(labels[n:]))
        if pid is not None:
            return packs[pid]
    return None


class Scoring:
    """What scoring the packs of one page shares: the plan's hits (a signature it did not report
    is not found, unrun) and each signature pattern's verdict, found once for every pack that
    has it (copies of a pack share their patterns' slots)."""

    def __init__(self, plan: Plan | None, hits: frozenset[int] | None) -> None:
        self.plan, self.hits = plan, hits
        self.verdicts: dict[tuple[int, int], bool] = {}

    def slot(self, pattern: Pattern) -> int | None:
        return self.plan.slots.get(id(pattern)) if self.plan is not None else None


def signature_score(
    pack: Pack,
    full_text: str,
    line_found: LineFound,
    css_found: CssFound,
    warnings: list[str] | None = None,
    scoring: Scoring | None = None,
) -> float:
    """The sum of the weights of the pack's signatures found on the page. A `text` signature
    that runs past the regex time limit counts as not found, with a warning."""
    score = 0.0
    for n, sig in enumerate(pack.signatures, 1):
        pattern = sig.text or sig.line
        slot = scoring.slot(pattern) if scoring is not None and pattern is not None else None
        if slot is not None and scoring is not None:
            if slot not in scoring.hits:  # type: ignore[operator]
                continue
            found = scoring.verdicts.get((slot, id(sig.where)))
            if found is None:
                found = scoring.verdicts[slot, id(sig.where)] = _found(pack, n, sig, full_text, line_found, warnings)
        elif sig.text is not None or sig.line is not None:
            found = _found(pack, n, sig, full_text, line_found, warnings)
        else:
            found = sig.selector is not None and css_found(sig.selector)
        if found:
            score += sig.weight
    return score


def _found(pack: Pack, n: int, sig: Any, full_text: str, line_found: LineFound, warnings: list[str] | None) -> bool:
    if sig.line is not None:
        return line_found(sig.line, sig.where)
    try:
        return sig.text.may_match(full_text) and sig.text.rx.search(full_text, timeout=REGEX_TIMEOUT) is not None
    except TimeoutError:
        if warnings is not None:
            warnings.append(f"signature {n} of pack {pack.id} took over {REGEX_TIMEOUT:g} s and was skipped")
        return False


def choose(
    packs: dict[str, Pack],
    text: str,
    url: str | None,
    explicit: str | None,
    line_found: LineFound = _no_lines,
    css_found: CssFound = _no_css,
    warnings: list[str] | None = None,
    hits: frozenset[int] | None = None,
) -> tuple[Pack, Reason]:
    """The pack for a page and why: explicit, host, signature or fallback. Text pages pass
    `line_found` and the plan's `hits` on their text; HTML pages pass their visible text and
    `css_found`. With a plan, only packs one of whose signatures the scan reported are scored,
    so the cost does not grow with the number of packs."""
    if explicit:
        if explicit not in packs:
            raise CleanerError(f"unknown pack {explicit!r}{suggest(explicit, packs)}; see `cleaner packs list`")
        return packs[explicit], Reason.EXPLICIT
    host = hostname(url)
    if host:
        pack = by_host(packs, host)
        if pack is not None:
            return pack, Reason.HOST
    plan = plan_for(packs)
    if plan is not None and hits is None:
        hits = plan.scan(text)
    scoring = Scoring(plan, hits)
    html = css_found is not _no_css
    candidates = plan.candidates(hits, html) if plan is not None and hits is not None else None
    best: tuple[float, str] | None = None
    for pack in packs.values() if candidates is None else map(packs.__getitem__, candidates):
        if pack.is_base or not pack.signatures:
            continue
        score = signature_score(pack, text, line_found, css_found, warnings, scoring)
        if score >= pack.threshold and (best is None or score > best[0]):
            best = (score, pack.id)
    if best:
        return packs[best[1]], Reason.SIGNATURE
    return packs[GENERIC], Reason.FALLBACK
