"""`clean FILE|-` and `cleaner packs|explain`: thin commands over the library.

stdout carries data only; diagnostics go to stderr. Exit codes: 0 all pages cleaned,
1 some pages failed, 2 usage or rule-pack error."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, NoReturn, Self

import click

from .document import Document
from .errors import CleanerError, InputError, PackError
from .output import FORMATS, render
from .packs.loader import load_packs
from .pipeline import Options, Outcome, run

EXIT_OK, EXIT_PAGES_FAILED, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def page_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by every command that cleans pages."""
    for decorator in reversed(
        [
            click.option(
                "--pack", metavar="ID", help="Use this pack instead of choosing by host or signature."
            ),
            click.option(
                "--url", metavar="URL", help="The page's URL: picks the pack by host, fills url/hostname."
            ),
            click.option(
                "--rules",
                "rules_dirs",
                multiple=True,
                type=click.Path(file_okay=False),
                metavar="DIR",
                help="Extra folder of *.toml packs (a pack with the same id replaces the built-in).",
            ),
            click.option(
                "--format",
                "input_format",
                type=click.Choice(["auto", "text", "html"]),
                default="auto",
                show_default=True,
                help="How to read the input.",
            ),
        ]
    ):
        fn = decorator(fn)
    return fn


def read_input(path: str) -> tuple[bytes, str]:
    if path == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    p = Path(path)
    if not p.exists():
        fail(f"{path}: no such file; check the path", EXIT_USAGE)
    if p.is_dir():
        fail(f"{path}: is a folder; pass a file (or -o OUT to clean a whole folder)", EXIT_USAGE)
    try:
        return p.read_bytes(), path
    except OSError as exc:
        fail(f"{path}: cannot read ({exc.strerror}); check its permissions", EXIT_PAGES_FAILED)


def clean_one(
    path: str, *, url: str | None, pack: str | None, rules_dirs: tuple[str, ...], input_format: str
) -> Document:
    return clean_outcome(path, url=url, pack=pack, rules_dirs=rules_dirs, input_format=input_format).document


def clean_outcome(
    path: str, *, url: str | None, pack: str | None, rules_dirs: tuple[str, ...], input_format: str
) -> Outcome:
    data, source = read_input(path)
    try:
        return run(
            data,
            url=url,
            format=input_format,
            pack=pack,
            source=source,
            options=Options(rules_dirs=rules_dirs),
        )
    except PackError as exc:
        fail(str(exc), EXIT_USAGE)
    except InputError as exc:
        fail(str(exc), EXIT_PAGES_FAILED)
    except CleanerError as exc:
        fail(f"{source}: {exc}", EXIT_USAGE)
    except RecursionError:
        fail(f"{source}: page too deeply nested to process", EXIT_PAGES_FAILED)


@click.command(name="clean", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("input_path", metavar="FILE|DIR|-", required=False)
@click.option(
    "--to", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format."
)
@click.option(
    "-o", "--output", "out", type=click.Path(), help="Write here: a file for one page, a folder for a folder."
)
@click.option(
    "--jsonl-in",
    metavar="FILE|-",
    help="Stream: scraper records {id, url, text|html} in, cleaned records out.",
)
@click.option("--glob", default="*", show_default=True, help="Folder: clean only files matching this.")
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Folder: skip paths matching this (repeatable)."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=os.cpu_count() or 1,
    show_default="cores",
    help="Worker processes.",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Folder: skip pages whose output already exists (outputs are written whole or not at all).",
)
@click.option(
    "--errors",
    "errors_path",
    type=click.Path(dir_okay=False),
    help="Where failures go as JSON lines [default: OUT/errors.jsonl].",
)
@click.option(
    "--template/--no-template",
    default=True,
    show_default=True,
    help="Folder: remove lines repeated across many pages of one site (rule batch.repeated).",
)
@click.option(
    "--template-min-pages",
    type=click.IntRange(min=2),
    default=3,
    show_default=True,
    help="Folder: a template line recurs on at least this many pages...",
)
@click.option(
    "--template-share",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=0.3,
    show_default=True,
    help="...and on at least this share of its site's pages.",
)
@click.option(
    "--page-timeout",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Seconds one page may take.",
)
@click.option("--id-field", default="id", show_default=True, help="Stream: the record's id field.")
@click.option("--url-field", default="url", show_default=True, help="Stream: the record's URL field.")
@click.option("--text-field", default="text", show_default=True, help="Stream: the record's page-text field.")
@click.option("--html-field", default="html", show_default=True, help="Stream: the record's HTML field.")
@page_options
def clean_command(input_path: str | None, fmt: str, out: str | None, jsonl_in: str | None, **kw: Any) -> None:
    """Clean scraped news pages: a FILE (or - for stdin) to stdout or -o FILE; a DIR to a
    mirrored tree (-o OUT) or to JSON lines (--to jsonl); a JSON-lines stream (--jsonl-in)."""
    page_kw = {k: kw.pop(k) for k in ("url", "pack", "rules_dirs", "input_format")}
    if jsonl_in is not None:
        if input_path is not None:
            fail("give either FILE|DIR or --jsonl-in, not both", EXIT_USAGE)
        sys.exit(_stream(jsonl_in, out, page_kw, **kw))
    if input_path is None:
        fail("nothing to clean: give a FILE, a DIR, - for stdin, or --jsonl-in FILE", EXIT_USAGE)
    if input_path != "-" and Path(input_path).is_dir():
        sys.exit(_tree(Path(input_path), fmt, out, page_kw, **kw))
    doc = clean_one(input_path, **page_kw)
    for warning in doc.warnings:
        click.echo(f"warning: {doc.source}: {warning}", err=True)
    if out:
        from .batch import write_atomic

        write_atomic(Path(out), render(doc, fmt))
    else:
        click.echo(render(doc, fmt), nl=False)


def _job(fmt: str, out: str | None, page_kw: dict[str, Any], page_timeout: float) -> Any:
    from .batch import Job

    packs = _load(page_kw["rules_dirs"])  # a broken pack stops the batch before it starts (exit 2)
    if page_kw["pack"] and page_kw["pack"] not in packs:
        fail(f"unknown pack {page_kw['pack']!r}; see `cleaner packs list`", EXIT_USAGE)
    return Job(
        to=fmt,
        pack=page_kw["pack"],
        url=page_kw["url"],
        input_format=page_kw["input_format"],
        options=Options(rules_dirs=page_kw["rules_dirs"]),
        out=out,
        page_timeout=page_timeout,
    )


def _tree(
    root: Path,
    fmt: str,
    out: str | None,
    page_kw: dict[str, Any],
    *,
    glob: str,
    exclude: tuple[str, ...],
    jobs: int,
    resume: bool,
    errors_path: str | None,
    page_timeout: float,
    template: bool,
    template_min_pages: int,
    template_share: float,
    **_: Any,
) -> int:
    from .batch import clean_tree
    from .template import TemplateSettings

    if out is None and fmt != "jsonl":
        fail(
            f"{root}: cleaning a folder needs -o OUT (a mirrored tree) or --to jsonl (records on stdout)",
            EXIT_USAGE,
        )
    if out is not None:
        rel = os.path.relpath(Path(out).resolve(), root.resolve())
        if not rel.startswith("..") and not any(fnmatch(rel, p) or fnmatch(rel + "/", p) for p in exclude):
            fail(
                f"{out}: the output folder is inside {root}; pick another folder or pass --exclude '{rel}'",
                EXIT_USAGE,
            )
        if Path(out).exists() and not Path(out).is_dir():
            fail(f"{out}: exists and is not a folder; -o takes a folder when cleaning a folder", EXIT_USAGE)
    job = _job(fmt, out, page_kw, page_timeout)
    errors = Path(errors_path) if errors_path else (Path(out) / "errors.jsonl" if out else None)
    with _ErrorLog(errors) as log, _Progress() as progress:
        summary = clean_tree(
            root,
            job,
            jobs=jobs,
            glob=glob,
            exclude=exclude,
            resume=resume,
            template=TemplateSettings(template_min_pages, template_share) if template else None,
            on_error=log.add,
            on_record=None if out else _echo_record,
            progress=progress.add,
        )
    return _finish(summary)


def _stream(
    source: str,
    out: str | None,
    page_kw: dict[str, Any],
    *,
    jobs: int,
    errors_path: str | None,
    page_timeout: float,
    id_field: str,
    url_field: str,
    text_field: str,
    html_field: str,
    **_: Any,
) -> int:
    from .batch import StreamFields, Summary, read_records, run_tasks

    job = _job("jsonl", None, page_kw, page_timeout)
    fields = StreamFields(id_field, url_field, text_field, html_field)
    if source == "-":
        stream = sys.stdin.buffer
    else:
        try:
            stream = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            fail(f"{source}: cannot read ({exc.strerror}); check the path", EXIT_USAGE)
    sink = open(out, "w", encoding="utf-8") if out else None  # noqa: SIM115

    def write(record: str) -> None:  # flushed per record: a pipeline downstream sees each at once
        if sink is None:
            _echo_record(record)
        else:
            sink.write(record)
            sink.flush()

    try:
        with _ErrorLog(Path(errors_path) if errors_path else None) as log:
            summary = run_tasks(
                job,
                read_records(stream, fields, page_kw["input_format"]),
                jobs,
                Summary(),
                on_error=log.add,
                on_record=write,
                live=True,
            )
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
        if sink:
            sink.close()
    return _finish(summary)


def _finish(summary: Any) -> int:
    """The batch summary on stderr, and the exit code it calls for."""
    for line in summary.lines():
        click.echo(line, err=True)
    return EXIT_PAGES_FAILED if summary.failed else EXIT_OK


def _echo_record(record: str) -> None:
    sys.stdout.write(record)
    sys.stdout.flush()


class _ErrorLog:
    """Each failure: one line on stderr, and a JSON line in the errors file (written as it goes,
    so a killed run keeps what it found)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.fh: Any = None

    def __enter__(self) -> Self:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.path, "w", encoding="utf-8")
        return self

    def add(self, result: Any) -> None:
        click.echo(f"error: {result.source}: {result.error}", err=True)
        if self.fh is not None:
            self.fh.write(
                json.dumps({"source": result.source, "error": result.error}, ensure_ascii=False) + "\n"
            )
            self.fh.flush()

    def __exit__(self, *exc: object) -> None:
        if self.fh is not None:
            self.fh.close()


class _Progress:
    """A one-line counter on stderr when it is a terminal; nothing otherwise."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.done = 0
        self.started = self.shown = time.perf_counter()

    def __enter__(self) -> Self:
        return self

    def add(self, n: int) -> None:
        self.done += n
        now = time.perf_counter()
        if self.on and now - self.shown > 0.2:
            self.shown = now
            rate = self.done / max(now - self.started, 1e-9)
            click.echo(f"\r{self.done:,} pages, {rate:,.0f}/s", err=True, nl=False)

    def __exit__(self, *exc: object) -> None:
        if self.on:
            click.echo("\r" + " " * 40 + "\r", err=True, nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cleaner_group() -> None:
    """Clean scraped news pages with per-outlet rule packs."""


cleaner_group.add_command(clean_command)


@cleaner_group.command()
@click.argument("input_path", metavar="FILE|-")
@page_options
def explain(input_path: str, **kw: Any) -> None:
    """Show every input line; removed ones are marked with the rule that removed them."""
    outcome = clean_outcome(input_path, **kw)
    page, doc = outcome.page, outcome.document
    click.echo(click.style(f"pack {doc.pack} ({doc.pack_reason})", bold=True))
    width = max((len(r.rule) for r in doc.removed), default=4)
    for i, content in enumerate(page.original):
        for rule, text in page.cuts.get(i, ()):
            click.echo(_explain_line(i, rule, text, width))
        if page.lines[i]:
            click.echo(_explain_line(i, page.removed_by[i], page.lines[i], width))
        elif not content:
            click.echo(f"{i + 1:>5}")
    fields = ", ".join(
        f"{k}={v!r}"
        for k, v in doc.to_dict().items()
        if k in ("title", "author", "date", "description", "sitename") and v
    )
    kept = len(page.kept)
    click.echo(click.style(f"kept {kept} lines, {len(doc.removed)} removals; {fields}", bold=True))
    for warning in doc.warnings:
        click.echo(f"warning: {warning}", err=True)


def _explain_line(i: int, rule: str | None, text: str, width: int) -> str:
    if rule is None:
        return f"{i + 1:>5} {'':<{width}} | {text}"
    return (
        f"{i + 1:>5} "
        + click.style(f"{rule:<{width}}", fg="yellow")
        + " | "
        + click.style(text, fg="red", dim=True)
    )


@cleaner_group.group()
def packs() -> None:
    """List, check, test and show rule packs."""


def _load(rules_dirs: tuple[str, ...]):
    try:
        return load_packs(*rules_dirs)
    except PackError as exc:
        fail(str(exc), EXIT_USAGE)


rules_option = click.option(
    "--rules",
    "rules_dirs",
    multiple=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Extra folder of *.toml packs.",
)


@packs.command(name="list")
@rules_option
def packs_list(rules_dirs: tuple[str, ...]) -> None:
    """One line per pack: id@version, name, hosts, rule count."""
    for pack in _load(rules_dirs).values():
        hosts = ",".join(pack.hosts) or "-"
        click.echo(f"{pack.label:<24} {pack.name:<24} {len(pack.rules()):>3} rules  {hosts}")


@packs.command(name="check")
@rules_option
def packs_check(rules_dirs: tuple[str, ...]) -> None:
    """Load every pack strictly; report the first error with file, rule and key."""
    loaded = _load(rules_dirs)
    click.echo(f"ok: {len(loaded)} packs, {sum(len(p.rules()) for p in loaded.values())} rules", err=True)


@packs.command(name="test")
@click.argument("pack_ids", nargs=-1, metavar="[ID]...")
@rules_option
def packs_test(pack_ids: tuple[str, ...], rules_dirs: tuple[str, ...]) -> None:
    """Run the packs' embedded [[tests]] with the invariants, and check every stable rule fired."""
    from .packs.testing import run_case, stable_rules_not_fired

    loaded = _load(rules_dirs)
    unknown = [p for p in pack_ids if p not in loaded]
    if unknown:
        fail(f"unknown pack {unknown[0]!r}; see `cleaner packs list`", EXIT_USAGE)
    failed = total = 0
    for pack in loaded.values():
        if pack_ids and pack.id not in pack_ids:
            continue
        fired: set[str] = set()
        for case in pack.tests:
            result = run_case(pack, case, rules_dirs)
            fired |= result.fired
            total += 1
            failed += not result.ok
            mark = click.style("PASS", fg="green") if result.ok else click.style("FAIL", fg="red")
            click.echo(f"{mark} {pack.id}::{case.name}")
            for problem in result.problems:
                click.echo(f"     {problem}")
        missing = stable_rules_not_fired(pack, fired)
        if missing:
            failed += 1
            click.echo(
                click.style("FAIL", fg="red")
                + f" {pack.id}: stable rules no test exercises: {', '.join(missing)}"
            )
    click.echo(f"{total - failed} passed, {failed} failed", err=True)
    sys.exit(EXIT_PAGES_FAILED if failed else EXIT_OK)


@packs.command(name="show")
@click.argument("pack_id", metavar="ID")
@rules_option
def packs_show(pack_id: str, rules_dirs: tuple[str, ...]) -> None:
    """A pack's rules in the order they run, with their reasons."""
    loaded = _load(rules_dirs)
    if pack_id not in loaded:
        fail(f"unknown pack {pack_id!r}; see `cleaner packs list`", EXIT_USAGE)
    pack = loaded[pack_id]
    click.echo(f"{pack.label}  {pack.name}  ({pack.path})")
    click.echo(f"extends: {' -> '.join(p.id for p in pack.chain)}")
    click.echo(
        f"hosts: {', '.join(pack.hosts) or '-'}; signatures: {len(pack.signatures)} (threshold {pack.threshold})"
    )
    click.echo(f"guards: max_removed_ratio {pack.max_removed_ratio}, min_body_chars {pack.min_body_chars}")
    for member in reversed(pack.chain):
        for rule in member.extract:
            click.echo(f"  extract  {rule.id:<28} {rule.status:<12} {rule.reason}")
    for member in pack.chain:
        for rule in member.drop:
            click.echo(f"  {rule.kind:<8} {rule.id:<28} {rule.status:<12} {rule.reason}")


@cleaner_group.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False), help="The draft: rules/<id>.toml.")
@click.option("--host", "hosts", multiple=True, help="The outlet's host (repeatable).")
@click.option("--glob", default="*", show_default=True, help="Learn only from files matching this.")
def learn(folder: str, out: str, hosts: tuple[str, ...], glob: str) -> None:
    """Draft a pack from a folder of one outlet's pages, check it, and show what it removes."""
    from .batch import walk
    from .learn import draft, gather, read_pages
    from .packs.loader import load_pack_file

    pack_id = Path(out).stem
    if not re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", pack_id):
        fail(f"{out}: the file name is the pack id and must be lower_snake_case, like rules/my_outlet.toml", EXIT_USAGE)
    root = Path(folder)
    paths = [root / rel for rel in walk(root, glob)]
    pages, problems = read_pages(paths)
    for problem in problems:
        click.echo(f"warning: skipped {problem}", err=True)
    if len(pages) < 3:
        fail(f"{folder}: {len(pages)} readable pages; learning a template needs at least 3", EXIT_USAGE)
    text = draft(pack_id, gather(pages), hosts, Path(folder).resolve().name)  # no absolute paths in a draft
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    try:
        load_pack_file(out)
        rules_dir = str(Path(out).parent)
        _load((rules_dir,))
    except PackError as exc:  # a draft that does not load is this command's bug: say so plainly
        fail(f"the draft does not load ({exc}); please report this", EXIT_USAGE)
    click.echo(f"wrote {out}: drafted from {len(pages)} pages; it loads and passes `cleaner packs check`", err=True)
    from .pipeline import run

    total = Counter[str]()
    for path, page in zip(paths, pages):
        outcome = run("\n".join(page), pack=pack_id, options=Options(rules_dirs=(rules_dir,)))
        by_rule = Counter(r.rule for r in outcome.document.removed for _ in r.text.split("\n"))
        total.update(by_rule)
        kept = len(outcome.page.kept)
        click.echo(f"{path.relative_to(root)}: keeps {kept} lines, removes " + (", ".join(f"{n} by {r}" for r, n in sorted(by_rule.items())) or "nothing"))
    click.echo("in all: " + ", ".join(f"{n} lines by {r}" for r, n in sorted(total.items())))


def clean_main() -> None:
    clean_command(prog_name="clean")


def cleaner_main() -> None:
    cleaner_group(prog_name="cleaner")
