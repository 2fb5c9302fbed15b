"""The language of a page, and the function words of a language.

Detection is py3langid's (a maintained fork of langid.py: 97 languages, including Chinese,
Japanese and Thai, a model of 4 MB shipped in the wheel, plain Python and numpy, no network and
no native build; about a millisecond for a page's sample, so it runs on every page). Function
words are jusText's stoplists, named for each language in `rules/lang/languages.toml`."""

from __future__ import annotations

import tomllib
from functools import cache

import regex

from .. import settings
from ..packs.loader import builtin_rules_dir

_LETTER = regex.compile(r"\p{L}")
# a BCP 47 tag as pages declare it: language, then an optional script and region (`zh-Hant-TW`)
_TAG = regex.compile(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|\d{3}))?(?=$|[-_.;,\s])")


@cache
def _identifier():  # py3langid's LanguageIdentifier
    from py3langid import langid

    return langid._get_identifier()  # the module's own shared, lazily loaded model


def detect(text: str) -> str | None:
    """The ISO 639 code of the page's language, or None when there is too little text to tell.
    The sample is the page's longest lines: article text, not menus."""
    lines = sorted(text.splitlines(), key=len, reverse=True)
    sample, size = [], 0
    for line in lines:
        if size >= settings.LANGUAGE_SAMPLE_CHARS:
            break
        sample.append(line)
        size += len(line)
    joined = "\n".join(sample)
    if len(_LETTER.findall(joined[: settings.LANGUAGE_SAMPLE_CHARS])) < settings.LANGUAGE_MIN_LETTERS:
        return None
    code, _ = _identifier().classify(joined)
    return None if code == "zxx" else str(code)


def normalise(tag: str | None) -> str | None:
    """A declared language as BCP 47 writes it (`en_US` -> `en-US`, `EN` -> `en`, `zh-hant-tw` ->
    `zh-Hant-TW`), or None for a value that is not a language tag."""
    m = _TAG.match((tag or "").strip())
    if not m:
        return None
    lang, script, region = m.groups()
    return "-".join(x for x in (lang.lower(), script and script.title(), region and region.upper()) if x)


def primary(code: str | None) -> str:
    """The language subtag of a tag (`en` of `en-US`): what the word lists are kept by."""
    return (code or "").split("-")[0]


@cache
def _table() -> dict:
    with open(builtin_rules_dir() / "lang" / "languages.toml", "rb") as fh:
        return tomllib.load(fh)


def _stoplist_names() -> dict[str, str]:
    return dict(_table()["stoplists"])


@cache
def function_chars(code: str | None) -> frozenset[str]:
    """The function characters of a language written without spaces (ja, zh, th); else empty."""
    return frozenset(_table().get("function_chars", {}).get(primary(code), ""))


@cache
def stopwords(code: str | None) -> frozenset[str]:
    """The function words of a language (lower case); empty for one jusText has no list for."""
    name = _stoplist_names().get(primary(code))
    if not name:
        return frozenset()
    import justext

    return frozenset(w.lower() for w in justext.get_stoplist(name))
