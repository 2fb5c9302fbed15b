"""One pack file's tables to a Pack: every key checked against the schema, every pattern,
selector and date format compiled, with a did-you-mean for every mistake."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import regex

from ..errors import PackError
from .cache import Memo
from .kinds import KINDS
from .literals import compiled_pattern, inline_defs
from .model import FieldSpec, HtmlSpec, Pack, PackTest, Pattern, Rule, Signature, Where
from .schema import (
    DROP_KINDS,
    EXTRACT_GROUPS,
    EXTRACT_KEYS,
    FIELDS_KEYS,
    GUARD_KEYS,
    HTML_KEYS,
    MATCH_KEYS,
    SIGNATURE_KEYS,
    TEST_KEYS,
    TEXT_KEYS,
    TOP_KEYS,
    WHERE_KEYS,
    suggest,
    type_names,
)

SCHEMA_VERSION = 1
_DATE_PROBE = datetime(2023, 5, 24, 11, 41)
# a guard no pack of a chain sets
GUARD_DEFAULTS: dict[str, float | int] = {"max_removed_ratio": 0.6, "min_body_chars": 200}
# Equal regions share one Where object, so a page's view cache (keyed by identity) serves
# every rule with the same region.
_WHERES: dict[tuple[str, int | None, float, float], Where] = {}
# built-in finders an extract rule may name instead of a pattern (text/heuristics.py)
HEURISTICS = ("title",)
# experimental rules run like stable ones but need no test; a rule is retired by deleting it
RULE_STATUSES = ("stable", "experimental")
# [...] classes: a \n inside one ([^\n]) does not make a pattern multi-line
_CHAR_CLASS = regex.compile(r"\[\^?\]?(?:\\.|[^\]\\])*\]")


class Builder:
    def __init__(self, path: str, data: dict[str, Any], inherited: dict[str, str], memo: Memo | None = None) -> None:
        self.path = path
        self.memo = memo  # the patterns' prefilters of earlier loads (packs/cache.py)
        self.data = data
        self.inherited = inherited  # the bases' defs
        self.defs: dict[str, str] = {}
        self.pack_id = "?"

    # -- helpers -------------------------------------------------------------------------
    def fail(self, message: str, rule: str | None = None, key: str | None = None) -> PackError:
        return PackError(self.path, message, rule, key)

    def keys(self, table: Any, allowed: Mapping[str, Any], where: str, rule: str | None = None) -> dict[str, Any]:
        if not isinstance(table, dict):
            raise self.fail(f"{where} must be a table", rule)
        for key in table:
            if key not in allowed:
                raise self.fail(f"unknown key in {where}{suggest(key, allowed)}", rule, key)
        for key, spec in allowed.items():
            required, types = spec
            if key not in table:
                if required:
                    raise self.fail(f"{where} needs this key", rule, key)
                continue
            value = table[key]
            if isinstance(value, bool) and bool not in types:
                raise self.fail(f"expected {type_names(types)}, got a boolean", rule, key)
            if not isinstance(value, types):
                raise self.fail(f"expected {type_names(types)}, got {type(value).__name__}", rule, key)
        return table

    def line_pattern(self, source: str, rule: str | None, key: str, anywhere: bool = False) -> Pattern:
        """A whole-line pattern, or with `anywhere` one searched for inside lines."""
        flags = ""
        m = regex.match(r"\(\?([aiLmsux]+)\)", source)
        if m:  # a leading global flag group must stay at the very start
            flags, source = m.group(0), source[m.end() :]
        try:
            body = inline_defs(source, self.defs)
        except ValueError as exc:
            raise self.fail(str(exc), rule, key) from None
        # A literal \n before the line (not ^) lets the engine jump from line start to line
        # start with a fast scan: 5-15x faster on the long paragraphs of a page.
        compiled = f"{flags}(?:{body})" if anywhere else f"{flags}\\n(?:{body})(?=\\n)"
        try:
            rx = regex.compile(compiled, regex.MULTILINE | regex.V0)
        except (regex.error, OverflowError) as exc:
            raise self.fail(f"bad regular expression {source!r}: {exc}", rule, key) from None
        multiline = not anywhere and "\\n" in _CHAR_CLASS.sub("", body)
        return compiled_pattern(rx, source, multiline, flags + body, {}, anywhere, self.memo)

    def where(self, table: dict[str, Any], rule: str | None) -> Where:
        w = self.keys(table.get("where", {}), WHERE_KEYS, "where", rule)
        region = w.get("region", "all")
        if region not in ("head", "tail", "all"):
            raise self.fail(f"region must be head, tail or all, not {region!r}", rule, "where.region")
        lines = w.get("lines")
        if lines is not None and lines < 1:
            raise self.fail("lines must be at least 1", rule, "where.lines")
        if region != "all" and lines is None:
            raise self.fail(f"a {region} region needs `lines`", rule, "where.lines")
        after = float(table.get("after_fraction", 0.0))
        before = float(table.get("before_fraction", 1.0))
        if not 0.0 <= after < before <= 1.0:
            raise self.fail("need 0 <= after_fraction < before_fraction <= 1", rule, "after_fraction")
        return _WHERES.setdefault((region, lines, after, before), Where(region, lines, after, before))

    # -- the pack ------------------------------------------------------------------------
    def build(self) -> Pack:
        top = self.keys(self.data, TOP_KEYS, "the pack")
        if top["schema"] != SCHEMA_VERSION:
            raise self.fail(
                f"schema {top['schema']} is not supported (this cleaner reads {SCHEMA_VERSION})", key="schema"
            )
        self.pack_id = pid = top["id"]
        stem = Path(self.path).stem
        if pid != stem:
            raise self.fail(f"id {pid!r} must equal the file name {stem!r}", key="id")
        if not regex.fullmatch(r"_?[a-z0-9]+(?:_[a-z0-9]+)*", pid):
            raise self.fail("id must be lower_snake_case (a leading _ marks a base pack)", key="id")
        self.defs = dict(self.inherited)
        for name, pat in self.keys(top.get("defs", {}), {k: (False, str) for k in top.get("defs", {})}, "defs").items():
            self.line_pattern(pat, None, f"defs.{name}")  # defs may call the defs above them
            if regex.search(r"\(\?P?<\w+>", pat):
                raise self.fail("a def may not name groups (it is inlined where it is called)", key=f"defs.{name}")
            self.defs[name] = pat
        for name, words in self.keys(
            top.get("tokens", {}), {k: (False, (list,)) for k in top.get("tokens", {})}, "tokens"
        ).items():
            if not words or not all(isinstance(w, str) and w and "\n" not in w for w in words):
                raise self.fail("tokens must be a list of one-line strings", key=f"tokens.{name}")
            if name in self.defs and name not in self.inherited:
                raise self.fail(f"{name!r} is both a def and a token list", key=f"tokens.{name}")
            # longest first, so that a word is never cut short by a shorter one it starts with
            self.defs[name] = (
                "(?:" + "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w))) + ")"
            )
        match = self.keys(top.get("match", {}), MATCH_KEYS, "[match]")
        text = self.keys(top.get("text", {}), TEXT_KEYS, "[text]")
        guards = self.keys(top.get("guards", {}), GUARD_KEYS, "[guards]")
        extract = tuple(self.extract_rule(r) for r in text.get("extract", []))
        drop = tuple(self.drop_rule(r) for r in text.get("drop", []))
        ids = [i for r in extract + drop for i in (r.id, *r.aliases)]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise self.fail("rule ids must be unique within a pack", dupes[0], "id")
        return Pack(
            id=pid,
            name=top["name"],
            version=top["version"],
            path=self.path,
            language=top.get("language"),
            extends=tuple(top.get("extends", ())),
            disable=frozenset(top.get("disable", ())),
            hosts=tuple(h.lower() for h in match.get("hosts", ())),
            threshold=float(match.get("threshold", 1.0)),
            signatures=tuple(self.signature(s) for s in match.get("signature", [])),
            extract=extract,
            drop=drop,
            fields=tuple(self.field_spec(k, v) for k, v in top.get("fields", {}).items()),
            defs=tuple(self.defs.items()),
            guards=tuple(sorted(guards.items())),
            html=self.html(top.get("html", {})),
            tests=tuple(self.test(i, t) for i, t in enumerate(top.get("tests", []), 1)),
        )

    def status(self, table: dict[str, Any], rid: str) -> str:
        status = table.get("status", "stable")
        if status not in RULE_STATUSES:
            raise self.fail(
                f"status must be one of {', '.join(RULE_STATUSES)}{suggest(status, RULE_STATUSES)}", rid, "status"
            )
        return str(status)

    def rule_id(self, table: Any, where: str) -> str:
        rid = table.get("id") if isinstance(table, dict) else None
        for name in (
            rid,
            *(table.get("aliases", []) if isinstance(table, dict) and isinstance(table.get("aliases"), list) else []),
        ):
            if not isinstance(name, str) or not regex.fullmatch(r"[a-z0-9_]+\.[a-z0-9]+(?:-[a-z0-9]+)*", name):
                raise self.fail(
                    f"every {where} rule needs an id (and aliases) like 'prefix.kebab-slug', got {name!r}", key="id"
                )
        return str(rid)

    def extract_rule(self, table: Any) -> Rule:
        rid = self.rule_id(table, "[[text.extract]]")
        t = self.keys(table, EXTRACT_KEYS, "[[text.extract]]", rid)
        if "heuristic" in t:
            if t["heuristic"] not in HEURISTICS:
                raise self.fail(
                    f"heuristic must be one of {', '.join(HEURISTICS)}{suggest(t['heuristic'], HEURISTICS)}",
                    rid,
                    "heuristic",
                )
            if "pattern" in t:
                raise self.fail("a heuristic rule takes no pattern", rid, "pattern")
            return Rule(
                id=rid,
                kind="extract",
                pack=self.pack_id,
                where=self.where(t, rid),
                reason=t.get("reason", ""),
                status=self.status(t, rid),
                heuristic=t["heuristic"],
                consume=t.get("consume", False),
                aliases=tuple(t.get("aliases", ())),
            )
        if "pattern" not in t:
            raise self.fail("an extract rule needs a pattern (or a heuristic)", rid, "pattern")
        pattern = self.line_pattern(t["pattern"], rid, "pattern")
        names = set(pattern.rx.groupindex) - set(self.defs)
        bad = sorted(n for n in names if n not in EXTRACT_GROUPS and not n.startswith("_"))
        if bad:
            raise self.fail(f"group {bad[0]!r} is not a field{suggest(bad[0], EXTRACT_GROUPS)}", rid, "pattern")
        sets = t.get("set", {})
        for name, value in sets.items():
            if name not in EXTRACT_GROUPS or not isinstance(value, str):
                raise self.fail(f'set needs field = "text" pairs{suggest(name, EXTRACT_GROUPS)}', rid, f"set.{name}")
        if "above" in t and "after" in t:
            raise self.fail("use one of `above` and `after`", rid, "after")
        return Rule(
            id=rid,
            aliases=tuple(t.get("aliases", ())),
            kind="extract",
            pack=self.pack_id,
            where=self.where(t, rid),
            reason=t.get("reason", ""),
            status=self.status(t, rid),
            pattern=pattern,
            above=self.line_pattern(t["above"], rid, "above") if "above" in t else None,
            after=self.line_pattern(t["after"], rid, "after") if "after" in t else None,
            consume=t.get("consume", False),
            set=tuple(sorted(sets.items())),
        )

    def drop_rule(self, table: Any) -> Rule:
        """A drop rule, every value from its kind's schema (packs/kinds.py): set, or the default."""
        rid = self.rule_id(table, "[[text.drop]]")
        name = table.get("kind")
        if name not in KINDS:
            raise self.fail(f"kind must be one of {', '.join(KINDS)}{suggest(str(name), KINDS)}", rid, "kind")
        kind = KINDS[name]
        t = self.keys(table, DROP_KINDS[name], f"a {name!r} rule", rid)
        if kind.one_of and sum(k in t for k in kind.one_of) != 1:
            raise self.fail(
                f"a {name!r} rule needs exactly one of " + " and ".join(f"`{k}`" for k in kind.one_of),
                rid,
                kind.one_of[0],
            )
        values: dict[str, Any] = {}
        for key in kind.keys:
            value = t.get(key.name, key.default)
            if key.choices and value not in key.choices:
                raise self.fail(f"{key.name} must be one of {', '.join(key.choices)}", rid, key.name)
            if key.compile == "set":
                if not all(isinstance(x, str) and x and "\n" not in x for x in value):
                    raise self.fail(f"{key.name} must be non-empty one-line strings", rid, key.name)
                value = frozenset(value)
            elif key.compile and key.name in t:
                value = self.line_pattern(value, rid, key.name, anywhere=key.compile == "anywhere")
            values[key.name] = value
        if values.get("field") is not None and values["field"] not in EXTRACT_GROUPS:
            raise self.fail(f"unknown field{suggest(values['field'], EXTRACT_GROUPS)}", rid, "field")
        if values.get("model") is not None:
            values["model"] = self.model_file(values["model"], rid)
        return Rule(
            id=rid,
            kind=name,
            pack=self.pack_id,
            where=self.where(t, rid),
            reason=t.get("reason", ""),
            status=self.status(t, rid),
            aliases=tuple(t.get("aliases", ())),
            **values,
        )

    def model_file(self, name: str, rid: str) -> str:
        path = (Path(self.path).parent / name).resolve()
        if not path.is_file():
            raise self.fail(
                f"model file {name} not found beside the pack; train it with bench/line_model.py", rid, "model"
            )
        return str(path)

    def signature(self, table: Any) -> Signature:
        t = self.keys(table, SIGNATURE_KEYS, "[[match.signature]]")
        kinds = [k for k in ("line", "text", "html") if k in t]
        if len(kinds) != 1:
            raise self.fail("a signature needs exactly one of line, text, html", key="match.signature")
        kind = kinds[0]
        line = text = selector = None
        if kind == "html":
            selector = self.selector(t["html"], None, "match.signature.html")
        elif kind == "line":
            line = self.line_pattern(t["line"], None, "match.signature.line")
        else:
            try:
                rx = regex.compile(inline_defs(t["text"], self.defs), regex.MULTILINE | regex.V0)
            except (regex.error, ValueError) as exc:
                raise self.fail(f"bad regular expression: {exc}", key="match.signature.text") from None
            text = compiled_pattern(rx, t["text"], True, t["text"], self.defs, True, self.memo)
        return Signature(kind, line, text, selector, self.where(t, None), float(t.get("weight", 1)))

    def selector(self, css: str, rule: str | None, key: str) -> str:
        from selectolax.lexbor import LexborHTMLParser, SelectolaxError

        try:
            LexborHTMLParser("<p></p>").css(css)
        except SelectolaxError:
            raise self.fail(f"bad CSS selector {css!r}", rule, key) from None
        return css

    def field_spec(self, name: str, table: Any) -> tuple[str, FieldSpec]:
        if name not in EXTRACT_GROUPS:
            raise self.fail(f"unknown field{suggest(name, EXTRACT_GROUPS)}", key=f"fields.{name}")
        t = self.keys(table, FIELDS_KEYS, f"[fields.{name}]")
        for fmt in t.get("formats", []):
            try:
                if datetime.strptime(_DATE_PROBE.strftime(fmt), fmt).year != 2023 and "%Y" in fmt:
                    raise ValueError
            except ValueError:
                raise self.fail(f"bad date format {fmt!r}", key=f"fields.{name}.formats") from None
        return name, FieldSpec(tuple(t.get("formats", ())))

    def html(self, table: Any) -> HtmlSpec:
        t = self.keys(table, HTML_KEYS, "[html]")
        return HtmlSpec(
            body=tuple(self.selector(s, None, "html.body") for s in t.get("body", [])),
            strip=tuple(self.selector(s, None, "html.strip") for s in t.get("strip", [])),
            outside=tuple(self.selector(s, None, "html.outside") for s in t.get("outside", [])),
            fields=self.html_fields(t.get("fields", {}), "fields"),
            guess=self.html_fields(t.get("guess", {}), "guess"),
            extracted=t.get("extracted"),
        )

    def html_fields(self, table: Any, key: str) -> tuple[tuple[str, tuple[tuple[str, str | None], ...]], ...]:
        fields = []
        for name, specs in table.items():
            if name not in EXTRACT_GROUPS:
                raise self.fail(f"unknown field{suggest(name, EXTRACT_GROUPS)}", key=f"html.{key}.{name}")
            specs = specs if isinstance(specs, list) else [specs]
            items = []
            for spec in specs:
                s = self.keys(spec, {"css": (True, str), "attr": (False, str)}, f"[html.{key}.{name}]")
                items.append((self.selector(s["css"], None, f"html.{key}.{name}.css"), s.get("attr")))
            fields.append((name, tuple(items)))
        return tuple(fields)

    def test(self, index: int, table: Any) -> PackTest:
        t = self.keys(table, TEST_KEYS, f"[[tests]] #{index}")
        name = t.get("name", f"case-{index}")
        expect = self.keys(
            t.get("expect", {}),
            {k: (False, (str, int, list)) for k in (*EXTRACT_GROUPS, "text", "pack")},
            f"[[tests]] {name}: expect",
        )
        return PackTest(
            name=name,
            text=t["text"],
            url=t.get("url"),
            select=t.get("select", True),
            expect=tuple(expect.items()),
            must_contain=tuple(t.get("must_contain", ())),
            must_not_contain=tuple(t.get("must_not_contain", ())),
            fired=tuple(t.get("fired", ())),
            not_fired=tuple(t.get("not_fired", ())),
        )
