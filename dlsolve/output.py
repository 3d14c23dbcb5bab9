"""Writing a rendering to ``--output PATH``: all or nothing, and never over a file by surprise.

The text goes to a temporary file in the destination's folder, is flushed to disk, and
then takes the destination's name in one step: ``os.replace`` with ``--force``, else
``os.link``, which fails if the name was taken meanwhile. An error or interrupt leaves no
partial file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dlsolve.inputs import InputError

OPTION = "--output"


def check_destination(path: str, force: bool) -> None:
    """Refuse early (before any solving) a destination we could not or should not write."""
    if "\x00" in path:  # pathlib answers "no such file" for it; the OS refuses it
        raise InputError(OPTION, f"{path!r} is not a valid file name")
    try:
        _check(Path(path), path, force)
    except OSError as error:  # a name too long, a folder we may not look into …
        raise InputError(OPTION, f"cannot write {path}: {error.strerror}") from None


def _check(target: Path, path: str, force: bool) -> None:
    if target.is_dir():
        raise InputError(OPTION, f"{path} is a directory")
    if target.exists() and not force:
        raise InputError(OPTION, f"{path} exists; add --force to overwrite it")
    folder = target.parent
    if not folder.is_dir():
        raise InputError(OPTION, f"folder {str(folder)!r} does not exist")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _link_new(temp: str, target: Path, path: str) -> None:
    """Give ``temp`` the name ``target`` unless that name exists."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise InputError(OPTION, f"{path} exists; add --force to overwrite it") from None
    except OSError:  # a filesystem without hard links: check, then rename
        if target.exists():
            raise InputError(OPTION, f"{path} exists; add --force to overwrite it") from None
        os.replace(temp, target)


def write_atomic(path: str, text: str, force: bool) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    check_destination(path, force)
    target = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        if force:
            os.replace(temp, target)
        else:
            _link_new(temp, target, path)
    except OSError as error:
        raise InputError(OPTION, f"cannot write {path}: {error.strerror}") from None
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
