"""One exception root; every message names the file (and rule, key) and says what to do.

`message` is the text alone and `source` the page it is about, kept apart so that nothing
downstream has to strip one off the other."""

from __future__ import annotations


class CleanerError(Exception):
    """Base of every error the cleaner raises on purpose."""

    def __init__(self, message: str, source: str | None = None) -> None:
        self.message, self.source = message, source
        super().__init__(f"{source}: {message}" if source else message)


class InputError(CleanerError):
    """A page cannot be cleaned: empty, binary, undecodable, too large, too deep, not a file,
    or a bad value (a URL that does not parse, a field of the wrong type). `kind` names the
    class of problem for a run's summary (empty, binary, undecodable, too_large, unreadable,
    not_a_file, bad_value, damaged)."""

    def __init__(self, message: str, source: str | None = None, kind: str = "input") -> None:
        self.kind = kind
        super().__init__(message, source)


class PageTimeout(InputError):
    """A page took longer than its time limit."""

    def __init__(self, message: str, source: str | None = None) -> None:
        super().__init__(message, source, "timeout")


class OutputError(CleanerError):
    """An output cannot be written (read-only, disk full, a folder where a file should be),
    or would overwrite an input or another output. `fatal`: every later page would fail the
    same way (a full disk, a read-only folder), so the run stops, losing nothing written."""

    def __init__(self, message: str, source: str | None = None, fatal: bool = True) -> None:
        self.fatal = fatal
        super().__init__(message, source)


class PathConflict(OutputError):
    """An output that is, or lies inside, an input or another output: refused before anything
    is written (a usage error)."""


class PackError(CleanerError):
    """A rule pack is broken: unreadable, not UTF-8, bad TOML, unknown key, bad regex or selector."""

    def __init__(self, path: str, message: str, rule: str | None = None, key: str | None = None):
        self.path, self.rule, self.key = path, rule, key
        where = path
        if rule:
            where += f": rule {rule}"
        if key:
            where += f": key {key!r}"
        super().__init__(message, where)


class BadArgument(CleanerError, TypeError):
    """The API was called with a value of the wrong type (a page that is neither str nor bytes)."""
