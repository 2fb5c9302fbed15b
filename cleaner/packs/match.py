"""Choosing a pack: explicit, then the URL's host, then content signatures, then `_generic`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from ..document import Reason
from ..errors import CleanerError, InputError
from ..settings import REGEX_TIMEOUT
from .model import Pack, Where
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


def by_host(packs: dict[str, Pack], host: str) -> Pack | None:
    best: tuple[int, str] | None = None
    for pack in packs.values():
        for h in pack.hosts:
            # the most specific host wins
            if (host == h or host.endswith("." + h)) and (best is None or len(h) > best[0]):
                best = (len(h), pack.id)
    return packs[best[1]] if best else None


def signature_score(
    pack: Pack, full_text: str, line_found: LineFound, css_found: CssFound, warnings: list[str] | None = None
) -> float:
    """The sum of the weights of the pack's signatures found on the page. A `text` signature
    that runs past the regex time limit counts as not found, with a warning."""
    score = 0.0
    for n, sig in enumerate(pack.signatures, 1):
        if sig.text is not None:
            try:
                found = (
                    sig.text.may_match(full_text) and sig.text.rx.search(full_text, timeout=REGEX_TIMEOUT) is not None
                )
            except TimeoutError:
                found = False
                if warnings is not None:
                    warnings.append(f"signature {n} of pack {pack.id} took over {REGEX_TIMEOUT:g} s and was skipped")
        elif sig.line is not None:
            found = line_found(sig.line, sig.where)
        else:
            found = sig.selector is not None and css_found(sig.selector)
        if found:
            score += sig.weight
    return score


def choose(
    packs: dict[str, Pack],
    text: str,
    url: str | None,
    explicit: str | None,
    line_found: LineFound = _no_lines,
    css_found: CssFound = _no_css,
    warnings: list[str] | None = None,
) -> tuple[Pack, Reason]:
    """The pack for a page and why: explicit, host, signature or fallback. Text pages pass
    `line_found`; HTML pages pass their visible text and `css_found`."""
    if explicit:
        if explicit not in packs:
            raise CleanerError(f"unknown pack {explicit!r}{suggest(explicit, packs)}; see `cleaner packs list`")
        return packs[explicit], Reason.EXPLICIT
    host = hostname(url)
    if host:
        pack = by_host(packs, host)
        if pack is not None:
            return pack, Reason.HOST
    best: tuple[float, str] | None = None
    for pack in packs.values():
        if pack.is_base or not pack.signatures:
            continue
        score = signature_score(pack, text, line_found, css_found, warnings)
        if score >= pack.threshold and (best is None or score > best[0]):
            best = (score, pack.id)
    if best:
        return packs[best[1]], Reason.SIGNATURE
    return packs[GENERIC], Reason.FALLBACK
