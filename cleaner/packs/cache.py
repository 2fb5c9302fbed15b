"""The cleaner's cache folder: what loading packs works out once and can keep between processes
(the match plan's database, the patterns' literal prefilters). Plain data, never code: a
damaged or foreign file is ignored and built again, and a folder that cannot be written is no
error. `$XDG_CACHE_HOME/cleaner`, or `CLEANER_CACHE_DIR` (`0` turns the cache off)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .. import settings


def cache_file(name: str) -> Path | None:
    where = os.environ.get("CLEANER_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "cleaner"
    )
    return None if where in ("", "0") else Path(where) / name


def write(path: Path, data: bytes, pattern: str) -> None:
    """Write atomically, then keep only the newest PLAN_CACHE_FILES files named like `pattern`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
        old = sorted(path.parent.glob(pattern), key=lambda f: f.stat().st_mtime, reverse=True)
        for stale in old[settings.PLAN_CACHE_FILES :]:
            stale.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk: everything works without the cache
        pass


class Memo:
    """A JSON table of results by key, read once and written back when it grew."""

    def __init__(self, name: str) -> None:
        self.path = cache_file(name)
        self.table: dict[str, Any] = {}
        self.used: set[str] = set()
        self.grew = False
        if self.path is not None:
            try:
                loaded = json.loads(self.path.read_text(encoding="utf-8"))
                self.table = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                pass

    def get(self, key: str) -> Any:
        self.used.add(key)
        return self.table.get(key)

    def put(self, key: str, value: Any) -> None:
        self.table[key] = value
        self.grew = True

    def save(self, pattern: str) -> None:
        """Write back what grew; past MEMO_ENTRIES, only what this process used stays."""
        if len(self.table) > settings.MEMO_ENTRIES:
            self.table = {k: v for k, v in self.table.items() if k in self.used}
        if self.grew and self.path is not None:
            write(self.path, json.dumps(self.table, ensure_ascii=False).encode("utf-8"), pattern)
