"""One exception root; every message names the file (and rule, key) and says what to do."""

from __future__ import annotations


class CleanerError(Exception):
    """Base of every error the cleaner raises on purpose."""


class InputError(CleanerError):
    """A page cannot be cleaned: empty, binary, undecodable, too large."""

    def __init__(self, message: str, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class PackError(CleanerError):
    """A rule pack is broken: bad TOML, unknown key, bad regex, bad selector."""

    def __init__(self, path: str, message: str, rule: str | None = None, key: str | None = None):
        self.path, self.rule, self.key = path, rule, key
        where = path
        if rule:
            where += f": rule {rule}"
        if key:
            where += f": key {key!r}"
        super().__init__(f"{where}: {message}")
