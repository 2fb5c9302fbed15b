"""The one map from what went wrong to the exit code and the one-line message a user sees.

0 every page cleaned; 1 some pages failed (a batch goes on); 2 usage or rule-pack error;
3 an output could not be written (the run stopped; what was written is whole); 4 template
drift found, with --fail-on-drift; 70 an
internal error (a bug: one line, and the traceback only with CLEANER_DEBUG=1); 130 ^C;
141 stdout closed early (| head); 143 SIGTERM."""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, NoReturn

from ..errors import CleanerError, InputError, OutputError, PackError, PathConflict
from ..sources import display

EXIT_OK, EXIT_PAGES_FAILED, EXIT_USAGE, EXIT_OUTPUT, EXIT_DRIFT = 0, 1, 2, 3, 4
EXIT_INTERNAL, EXIT_INTERRUPT, EXIT_PIPE, EXIT_TERM = 70, 130, 141, 143


class Fail(Exception):
    def __init__(self, message: str, code: int) -> None:
        self.message, self.code = message, code
        super().__init__(message)


class Terminated(BaseException):
    """SIGTERM, raised in the main thread like KeyboardInterrupt for ^C."""


# the first kind an error is decides its code (PathConflict is an OutputError: it goes first)
_CODES: tuple[tuple[type[CleanerError], int], ...] = (
    (PathConflict, EXIT_USAGE),
    (OutputError, EXIT_OUTPUT),
    (PackError, EXIT_USAGE),
    (InputError, EXIT_PAGES_FAILED),
    (CleanerError, EXIT_USAGE),
)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    raise Fail(message, code)


_before_say: list[Callable[[], None]] = []  # e.g. the progress line clears itself first


def say(line: str) -> None:
    """One line on stderr, whatever it holds: newlines escaped, valid UTF-8, and no traceback
    when stderr is closed."""
    for hook in _before_say:
        hook()
    data = (display(line) + "\n").encode("utf-8", "backslashreplace")
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
            sys.stderr.buffer.write(data) if hasattr(sys.stderr, "buffer") else sys.stderr.write(data.decode())
            sys.stderr.flush()
    except (OSError, ValueError):
        pass


def stdin_closed() -> bool:
    """Whether there is no stdin to read (`clean - <&-`); a captured stdin with no descriptor
    (tests, embeddings) is open."""
    import io

    stream = sys.stdin
    if stream is None or getattr(stream, "closed", False):
        return True
    try:
        os.fstat(stream.fileno())
    except io.UnsupportedOperation:
        return False
    except (OSError, ValueError):
        return True
    return False


def _on_term(signum: int, frame: Any) -> None:
    raise Terminated


def guarded(fn: Callable[..., int | None]) -> Callable[..., NoReturn]:
    """A command's body run under the map: its return value, or what it raised, becomes the
    exit code and at most one line on stderr."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> NoReturn:
        try:
            signal.signal(signal.SIGTERM, _on_term)
        except ValueError:
            pass  # not the main thread (an embedding): SIGTERM keeps its default
        try:
            code = fn(*args, **kwargs) or EXIT_OK
        except Fail as exc:
            say(f"error: {exc.message}")
            code = exc.code
        except CleanerError as exc:
            say(f"error: {exc}")
            code = next(code for kind, code in _CODES if isinstance(exc, kind))
        except KeyboardInterrupt:
            code = EXIT_INTERRUPT
        except Terminated:
            code = EXIT_TERM
        except BrokenPipeError:
            _silence_stdout()
            code = EXIT_PIPE
        except Exception as exc:  # a bug: one line, never a traceback
            if os.environ.get("CLEANER_DEBUG"):
                raise
            say(f"internal error: {type(exc).__name__}: {exc}; please report it (CLEANER_DEBUG=1 shows the traceback)")
            code = EXIT_INTERNAL
        sys.exit(code)

    return wrapper


def _silence_stdout() -> None:
    """After a closed pipe, point stdout at /dev/null so that the interpreter's last flush
    raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
