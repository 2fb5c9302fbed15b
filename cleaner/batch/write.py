"""Every write of every mode: one atomic file write, one line sink, one check of the paths.

- A file output is written to a temp file in its folder and renamed: a reader (or a resumed
  run) sees the old file or the new one, never part of one.
- A line output (a JSONL file, errors.jsonl, stdout) is written a whole record per write call.
- Text is encoded as UTF-8 whatever it holds: a lone surrogate (a JSON string may carry one)
  is written as its JSON escape, so every output is valid UTF-8.
- Before anything is written, `check_paths` refuses an output that is, or lies inside, an
  input or another output, on resolved paths and file identity (a hard link or a symlink to
  the input is the input)."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import OutputError, PathConflict
from ..sources import display
from .walk import TEMP_PREFIX, excluded

_FOLDERS: set[str] = set()  # output folders this process has made or seen
_TEMPS = itertools.count()  # temp names: pid and a counter (short, whatever the target's name)


def encode(text: str) -> bytes:
    return text.encode("utf-8", "backslashreplace")


def write_atomic(path: Path | str, text: str) -> None:
    """Write via a temp file in the target's folder, then rename. The temp name is the pid and
    a counter: unique without random names or a retry loop, and short, so a target whose name
    is near the file system's limit still gets one. A failure is an OutputError."""
    target = os.fspath(path)
    folder = os.path.dirname(target) or "."
    tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{next(_TEMPS)}.tmp")
    try:
        if folder not in _FOLDERS:
            os.makedirs(folder, exist_ok=True)
            _FOLDERS.add(folder)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        except FileNotFoundError:  # the folder went away since we saw it
            os.makedirs(folder, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        try:
            _write_all(fd, encode(text))
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_problem(exc, target) from None
        raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_problem(exc: OSError, path: str) -> OutputError:
    """An OSError on an output as one line: the path, what happened, and what to do."""
    what = exc.strerror or str(exc)
    fatal = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        todo = "free some space, then run again (with --resume for a folder)"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        todo = "write to a folder you can write to (-o)"
    elif exc.errno in (errno.EISDIR, errno.ENOTDIR, errno.EEXIST):
        todo = "a folder stands where a file should (or the other way round); pick another output"
    elif exc.errno == errno.ENAMETOOLONG:
        todo = "the name is too long for the file system; use a shorter output folder"
    else:
        todo = "check the output path"
    return OutputError(f"cannot write ({what}); {todo}", display(path), fatal=fatal)


def remove_stale_temps(out: Path) -> None:
    """Temp files a killed run left behind (never a finished output)."""
    for tmp in out.rglob(f"{TEMP_PREFIX}*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


class LineSink:
    """Records written as they come, each whole in one write call, flushed: a pipeline
    downstream sees each at once, and a killed run leaves whole lines. path None: stdout."""

    def __init__(self, path: str | None, header: str = "") -> None:
        self.path = path
        self.label = display(path) if path else "stdout"
        self.stream = None
        self.gz: Any = None
        self.own = False
        if path is not None and path.endswith(".gz"):  # written whole: a temp file, renamed at close
            self._open_gzip(path)
            if header:
                self.write(header)
            return
        if path is None:
            self.fd, self.own = _stdout_fd(), False
            if self.fd < 0:  # a stdout with no file descriptor (captured, as in tests)
                import sys

                self.stream = sys.stdout.buffer
            return
        try:
            folder = os.path.dirname(path)
            if folder:
                os.makedirs(folder, exist_ok=True)
            self.fd, self.own = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666), True
        except OSError as exc:
            raise write_problem(exc, path) from None
        if header:
            self.write(header)

    def _open_gzip(self, path: str) -> None:
        import gzip

        folder = os.path.dirname(path) or "."
        self.tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-{next(_TEMPS)}.tmp")
        try:
            os.makedirs(folder, exist_ok=True)
            self.gz = gzip.open(self.tmp, "wb")
        except OSError as exc:
            raise write_problem(exc, path) from None

    def write(self, record: str) -> None:
        try:
            if self.gz is not None:
                self.gz.write(encode(record))
                return
            if self.stream is not None:
                self.stream.write(encode(record))
                self.stream.flush()
                return
            _write_all(self.fd, encode(record))
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise write_problem(exc, self.path or "stdout") from None

    def close(self) -> None:
        if self.gz is not None:
            try:
                self.gz.close()
                os.replace(self.tmp, self.path or "")
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.unlink(self.tmp)
                raise write_problem(exc, self.path or "") from None
            self.gz = None
        if self.own:
            os.close(self.fd)
            self.own = False

    def __enter__(self) -> LineSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _stdout_fd() -> int:
    import sys

    if sys.stdout is None:
        raise OutputError("stdout is closed; give -o FILE, or run with an open stdout")
    if getattr(sys.stdout, "closed", False):
        raise OutputError("stdout is closed; give -o FILE, or run with an open stdout")
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        if hasattr(sys.stdout, "buffer"):
            return -1
        raise OutputError("stdout is closed; give -o FILE, or run with an open stdout") from None
    try:
        os.fstat(fd)
    except OSError:
        raise OutputError("stdout is closed; give -o FILE, or run with an open stdout") from None
    return fd


def check_writable(folder: str) -> None:
    """Fail before the first page when an output folder cannot take a file."""
    probe = os.path.join(folder, f"{TEMP_PREFIX}{os.getpid()}-probe.tmp")
    try:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise write_problem(exc, folder) from None


@dataclass(frozen=True)
class Plan:
    """What a run reads and writes, for check_paths. A path None is stdin or stdout."""

    read_files: Sequence[str] = ()
    write_files: Sequence[str] = ()
    read_tree: str | None = None
    write_tree: str | None = None
    exclude: Iterable[str] = ()
    stdin: bool = False
    stdout: bool = False


def check_paths(plan: Plan) -> None:
    """Refuse, before anything is written, any output that is an input, lies inside the input
    folder (unless --exclude takes it out of the walk), holds the input folder, or is another
    output. Paths are compared resolved, and existing files by identity (device and inode)."""
    reads = [*plan.read_files, *_std_file(0, plan.stdin)]
    writes = [*plan.write_files, *_std_file(1, plan.stdout)]
    if plan.read_tree is not None and plan.write_tree is not None:
        src, out = Path(plan.read_tree).resolve(), Path(plan.write_tree).resolve()
        if src == out or src.is_relative_to(out):
            raise PathConflict(
                f"holds the input folder {display(plan.read_tree)}: outputs could overwrite pages; pick another folder",
                display(plan.write_tree),
            )
        if _inside(plan.write_tree, plan.read_tree, plan.exclude):
            rel = out.relative_to(src).as_posix()
            raise PathConflict(
                f"the output folder is inside {display(plan.read_tree)}; pick another folder or pass --exclude "
                f"'{display(rel)}'",
                display(plan.write_tree),
            )
        for r in reads:
            if _inside(r, plan.write_tree, ()):
                raise PathConflict(f"holds the input {display(r)}; pick another folder", display(plan.write_tree))
    for n, w in enumerate(writes):
        for r in reads:
            if _same(w, r):
                raise PathConflict(f"is also an input ({display(r)}); write the output somewhere else", display(w))
        for other in writes[:n]:
            if _same(w, other):
                raise PathConflict(f"is given for two outputs ({display(other)}); give each its own path", display(w))
        if plan.read_tree is not None and _inside(w, plan.read_tree, plan.exclude):
            raise PathConflict(
                f"lies inside the input folder {display(plan.read_tree)}, where the walk would read it; "
                "write it outside the folder",
                display(w),
            )
        if plan.write_tree is not None and _same(w, plan.write_tree):
            raise PathConflict("is the output folder itself; give a file path", display(w))


_STD = {0: "/dev/stdin", 1: "/dev/stdout"}


def _std_file(fd: int, used: bool) -> list[str]:
    """stdin or stdout as a path, when it is a regular file (a shell redirection): `< a.jsonl`
    and `>> a.jsonl` in one command must be refused like -o a.jsonl."""
    if not used:
        return []
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return [_STD[fd]] if os.path.exists(_STD[fd]) else []
    except OSError:
        pass
    return []


def _same(a: str, b: str) -> bool:
    try:
        sa, sb = os.stat(a), os.stat(b)
        return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def _inside(path: str, folder: str, exclude: Iterable[str]) -> bool:
    p, f = Path(path).resolve(), Path(folder).resolve()
    if p == f or not p.is_relative_to(f):
        return False
    return not excluded(p.relative_to(f).as_posix(), exclude)
