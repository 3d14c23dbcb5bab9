"""The standard streams made safe to use: a closed stream, a full disk and a terminal that
cannot show Unicode each end in one clear line instead of a traceback.

:func:`guard` runs before every command. With three healthy UTF-8 streams it only wraps
stdout, so that a failed write is told apart from any other ``OSError``; the ASCII fallback
(:mod:`dlsolve.core.ascii_text`) is imported only for a stdout or stderr that is not UTF-8.
"""

from __future__ import annotations

import codecs
import errno
import os
import sys
from typing import Any, TextIO

STDOUT = "standard output"
STDIN = "standard input"


class StreamError(Exception):
    """Writing to or reading from a standard stream failed (closed, disk full, pipe closed)."""

    def __init__(self, stream: str, error: OSError) -> None:
        super().__init__(f"cannot {'read' if stream == STDIN else 'write to'} {stream}: {error.strerror or error}")
        self.errno = error.errno


class _Guarded:
    """``sys.stdout`` with its write failures raised as :class:`StreamError`; everything
    else (``isatty``, ``encoding``, ``fileno`` …) but ``buffer`` is the wrapped stream's."""

    def __init__(self, stream: TextIO) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        try:
            return self.wrapped.write(text)
        except OSError as error:
            raise StreamError(STDOUT, error) from None

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except OSError as error:
            raise StreamError(STDOUT, error) from None

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # hidden: click would write its help as UTF-8 bytes past the ASCII fallback
            raise AttributeError(name)
        return getattr(self.wrapped, name)


class _Closed:
    """Stands for a standard stream the shell closed (``>&-``, ``<&-``): Python gives
    ``None``, which every use would crash on; this fails each read or write clearly."""

    encoding, errors = "utf-8", "strict"

    def __init__(self, stream: str) -> None:
        self.stream = stream

    def isatty(self) -> bool:
        return False

    def flush(self) -> None:
        """Nothing was written: nothing to flush (Python flushes stdout at exit)."""

    def _fail(self, *_: Any) -> Any:
        raise StreamError(self.stream, OSError(errno.EBADF, "it is closed"))

    write = read = readline = fileno = _fail


def guard() -> None:
    """Make ``sys.stdin``/``sys.stdout``/``sys.stderr`` safe before a command runs (idempotent)."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # nowhere to report to; the exit code still tells
    if sys.stdin is None:
        sys.stdin = _Closed(STDIN)  # type: ignore[assignment]
    if sys.stdout is None:
        sys.stdout = _Closed(STDOUT)  # type: ignore[assignment]
    for stream in (sys.stdout, sys.stderr):
        if not _is_utf8(stream):
            from dlsolve.core.ascii_text import write_ascii_for_unencodable

            write_ascii_for_unencodable(stream)
    if not isinstance(sys.stdout, (_Guarded, _Closed)):
        sys.stdout = _Guarded(sys.stdout)  # type: ignore[assignment]


def _is_utf8(stream: Any) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def silence_stdout() -> None:
    """After stdout failed: point its file descriptor at /dev/null, so that the text still
    buffered does not fail again (a second message, exit 120) when Python exits."""
    stream = sys.stdout.wrapped if isinstance(sys.stdout, _Guarded) else sys.stdout
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError, StreamError):
        return  # not a file (a test's capture) or already closed: nothing will be flushed
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def flush_stdout() -> None:
    """Flush stdout now, inside the error handling, rather than at exit where a failure
    (a full disk) would print a traceback-like warning."""
    if sys.stdout is not None:
        sys.stdout.flush()
