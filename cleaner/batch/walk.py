"""The walk of a folder and the output path of each page."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

TEMP_PREFIX = ".clean-"


class Entry(NamedTuple):
    rel: str  # the page's path under the root, as the walk found it: its label and output name
    real: str  # where to read it under the root: rel, or the in-tree target of a link


def walk(root: str, glob: str = "*", exclude: Iterable[str] = ()) -> Iterator[Entry]:
    """Files under root, in a fixed order (a folder's files sorted, then its subfolders
    sorted), streamed: nothing is held but the folders being read. Only files that match glob
    and no exclude (as relative path or file name); a link only when it points at a file inside
    root, and then read at its target. Uses os.scandir, whose entries know their type without a
    stat call per file. Names that are not UTF-8 stay as the file system gave them (surrogate
    escapes), so outputs mirror them byte for byte."""
    top = os.path.realpath(root)
    want = None if glob == "*" else _matcher((glob,))
    skip = _matcher(tuple(exclude))

    def matches(rx: re.Pattern[str] | None, rel: str, name: str) -> bool:
        return rx is not None and (rx.match(rel) is not None or rx.match(name) is not None)

    def visit(path: str, rel_dir: str) -> Iterator[Entry]:
        try:
            with os.scandir(path) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            return  # an unreadable folder is skipped, as os.walk does
        folders = []
        for entry in entries:
            name = entry.name
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if entry.is_dir(follow_symlinks=False):
                if not matches(skip, rel, name):
                    folders.append((entry.path, rel))
                continue
            if name.startswith(TEMP_PREFIX) or matches(skip, rel, name):
                continue
            if want is not None and not matches(want, rel, name):
                continue
            real = rel
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if os.path.isdir(target) or not target.startswith(top + os.sep):
                    continue  # a link to a folder, or out of the tree
                real = os.path.relpath(target, top).replace(os.sep, "/")
            yield Entry(rel, real)
        for folder, rel in folders:
            yield from visit(folder, rel)

    yield from visit(top, "")


def _matcher(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex for a set of shell patterns (fnmatch's own translation), or None for none."""
    return re.compile("|".join(fnmatch.translate(p) for p in patterns)) if patterns else None


def excluded(rel: str, exclude: Iterable[str]) -> bool:
    """Whether a path under the root is left out of the walk by --exclude (itself or a folder
    above it)."""
    parts = rel.split("/")
    rx = _matcher(tuple(exclude))
    if rx is None:
        return False
    return any(rx.match("/".join(parts[: n + 1])) or rx.match(parts[n]) for n in range(len(parts)))


def output_path(rel: str, ext: str, taken: set[str]) -> str:
    """The output path of one input: its suffix replaced by the format's; when an earlier input
    (or one of the run's own files, such as errors.jsonl) took that path, this one keeps its
    suffix too (a.txt.txt). `taken` need only hold the current folder's outputs: only a
    folder's own files can collide. (String work, the rules of PurePath.with_suffix: this runs
    once per page.)"""
    head, _, name = rel.rpartition("/")
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name
    target = f"{head}/{stem}{ext}" if head else stem + ext
    if target in taken:
        target = f"{head}/{name}{ext}" if head else name + ext
        n = 1
        while target in taken:  # a.txt.txt was an input's name too
            n += 1
            target = f"{head}/{name}.{n}{ext}" if head else f"{name}.{n}{ext}"
    taken.add(target)
    return target
