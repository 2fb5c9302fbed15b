"""Strict loading of `rules/*.toml`: the folders' packs, each built after its bases (whose defs
it inherits; builder.py checks one file), then their chains, disabled rules and guards."""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import PackError
from .builder import GUARD_DEFAULTS, SCHEMA_VERSION, Builder
from .cache import Memo
from .model import Pack
from .schema import suggest

__all__ = ["SCHEMA_VERSION", "builtin_rules_dir", "load_pack_file", "load_packs"]


def builtin_rules_dir() -> Path:
    """`cleaner/_rules` in an installed wheel; the repository's `rules/` in a source checkout."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


def load_packs(*dirs: str | os.PathLike[str]) -> dict[str, Pack]:
    """Load the built-in packs, then packs from `dirs` (a pack with the same id replaces one)."""
    key = tuple(str(Path(d).resolve()) for d in dirs)
    return _load_cached(key)


@lru_cache(maxsize=8)
def _load_cached(dirs: tuple[str, ...]) -> dict[str, Pack]:
    files: dict[str, Path] = {}  # id (the file's stem) -> file; a later folder's pack replaces one
    for d in (str(builtin_rules_dir()), *dirs):
        path = Path(d)
        if not path.is_dir():
            raise PackError(d, "rules directory not found; pass an existing folder of *.toml packs")
        files.update((file.stem, file) for file in sorted(path.glob("*.toml")))
    raw: dict[str, Pack] = {}
    memo = Memo("prefilters.json")  # the patterns' analysis, kept between processes

    def build(pid: str, seen: tuple[str, ...]) -> Pack:
        """A pack, after its bases: it inherits their defs (its own, and nearer bases', win)."""
        if pid not in raw:
            data = _read(files[pid])
            inherited: dict[str, str] = {}
            for base in _extends(str(files[pid]), data):
                if base in seen:
                    raise PackError(
                        str(files[pid]), f"extends forms a cycle: {' -> '.join((*seen, base))}", key="extends"
                    )
                if base not in files:
                    raise PackError(
                        str(files[pid]), f"extends unknown pack {base!r}{suggest(base, files)}", key="extends"
                    )
                inherited = {**dict(build(base, (*seen, base)).defs), **inherited}
            raw[pid] = Builder(str(files[pid]), data, inherited, memo).build()
        return raw[pid]

    for pid in files:
        build(pid, (pid,))
    memo.save("prefilters.json")
    return _resolve(raw)


def _extends(path: str, data: dict[str, Any]) -> list[str]:
    bases = data.get("extends", [])
    if not isinstance(bases, list) or not all(isinstance(b, str) for b in bases):
        raise PackError(path, "expected a list of pack ids", key="extends")
    return bases


def load_pack_file(file: str | os.PathLike[str]) -> Pack:
    """One pack on its own (no base's defs): for checking a single file."""
    return Builder(str(file), _read(file), {}).build()


def _read(file: str | os.PathLike[str]) -> dict[str, Any]:
    path = str(file)
    try:
        with open(path, "rb") as fh:
            data = tomllib.loads(fh.read().decode("utf-8"))
    except OSError as exc:
        raise PackError(path, f"cannot read: {exc.strerror}; check the file and its permissions") from None
    except UnicodeDecodeError as exc:
        raise PackError(path, f"not UTF-8 (byte {exc.start}); save the pack as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise PackError(path, f"not valid TOML: {exc}") from None
    return data


def _resolve(raw: dict[str, Pack]) -> dict[str, Pack]:
    """Fill each pack's `chain` (itself, then its bases depth-first), refusing cycles."""
    out: dict[str, Pack] = {}

    def chain_of(pid: str, seen: tuple[str, ...]) -> list[Pack]:
        pack = raw[pid]
        result = [pack]
        for base in pack.extends:
            if base in seen:
                raise PackError(pack.path, f"extends forms a cycle: {' -> '.join((*seen, base))}", key="extends")
            if base not in raw:
                raise PackError(pack.path, f"extends unknown pack {base!r}{suggest(base, raw)}", key="extends")
            result += [p for p in chain_of(base, (*seen, base)) if p not in result]
        return result

    for pid, pack in raw.items():
        chain = tuple(chain_of(pid, (pid,)))
        for key, default in GUARD_DEFAULTS.items():  # a guard the pack does not set: its nearest base's
            value = next((dict(p.guards)[key] for p in chain if key in dict(p.guards)), default)
            object.__setattr__(pack, key, type(default)(value))
        inherited = {i: r.id for base in chain[1:] for r in base.rules() for i in (r.id, *r.aliases)}
        for rid in sorted(pack.disable - set(inherited)):
            raise PackError(
                pack.path,
                f"disable names {rid!r}, which no pack it extends has{suggest(rid, inherited)}",
                key="disable",
            )
        # a disabled alias: the rule's id now
        object.__setattr__(pack, "disable", frozenset(inherited[i] for i in pack.disable))
        swap = pack.html.extracted
        if swap is not None and swap not in raw:
            raise PackError(pack.path, f"unknown pack {swap!r}{suggest(swap, raw)}", key="html.extracted")
        object.__setattr__(pack, "chain", chain)
        out[pid] = pack
    return out
