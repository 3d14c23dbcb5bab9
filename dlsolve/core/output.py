"""Writing a rendering to ``--output PATH``: all or nothing, and never over a file by surprise.

The text goes to a temporary file in the destination's folder, is flushed to disk, and
then takes the destination's name in one step: ``os.replace`` with ``--force``, else
``os.link``, which fails if the name was taken meanwhile. An error or interrupt leaves no
partial file behind (nor the temporary one).

``--force`` replaces a regular file, keeping its permissions (a private 0600 file stays
private) and, where the system lets us, its owner and group. It never replaces anything
else: a FIFO, a device (``-o /dev/null --force`` as root would replace /dev/null), a socket
or a folder is refused. A symbolic link is itself replaced by the new file: the name given
is what is written, and the file the link pointed to is left untouched (so a link planted
where the output goes cannot redirect the write).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from dlsolve.core.inputs import InputError

OPTION = "--output"


def check_destination(path: str, force: bool) -> None:
    """Refuse early (before any solving) a destination we could not or should not write."""
    if not path:
        raise InputError(OPTION, "empty path; give a file name")
    if "\x00" in path:  # pathlib answers "no such file" for it; the OS refuses it
        raise InputError(OPTION, f"{path!r} is not a valid file name")
    try:
        _check(Path(path), path, force)
    except OSError as error:  # a name too long, a folder we may not look into …
        raise InputError(OPTION, f"cannot write {path}: {error.strerror}") from None


def _existing(target: Path) -> os.stat_result | None:
    """What the name is now (a link itself, not what it points to), or None if it is free."""
    try:
        return os.lstat(target)
    except FileNotFoundError:
        return None


def _refuse_special(existing: os.stat_result, path: str) -> None:
    """--force replaces a file or a link, nothing else (a FIFO, a device, a socket)."""
    if not (stat.S_ISREG(existing.st_mode) or stat.S_ISLNK(existing.st_mode)):
        raise InputError(OPTION, f"{path} is not a regular file; --force replaces files only")


def _check(target: Path, path: str, force: bool) -> None:
    if target.is_dir():
        raise InputError(OPTION, f"{path} is a directory")
    if path.endswith(("/", os.sep)):  # Path() drops the separator: "newdir/" would write a file "newdir"
        raise InputError(OPTION, f"{path} ends in {path[-1]} but there is no such folder; give a file name")
    existing = _existing(target)
    if existing is not None:
        if not force:
            raise InputError(OPTION, f"{path} exists; add --force to overwrite it")
        _refuse_special(existing, path)
    folder = target.parent
    if not folder.is_dir():
        raise InputError(OPTION, f"folder {str(folder)!r} does not exist")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _take_over(temp: str, replaced: os.stat_result | None) -> None:
    """Give the new file the permissions (and owner, where allowed) of the regular file it
    replaces; a new name (or a replaced link) gets the usual 0666 less the umask."""
    if replaced is None or not stat.S_ISREG(replaced.st_mode):
        os.chmod(temp, 0o666 & ~_umask())
        return
    try:
        os.chown(temp, replaced.st_uid, replaced.st_gid)
    except PermissionError:  # another user's file in a folder we may write: ours now
        pass
    os.chmod(temp, stat.S_IMODE(replaced.st_mode))  # after chown, which may clear set-id bits


def _link_new(temp: str, target: Path, path: str) -> None:
    """Give ``temp`` the name ``target`` unless that name exists."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise InputError(OPTION, f"{path} exists; add --force to overwrite it") from None
    except OSError:  # a filesystem without hard links: check, then rename
        if os.path.lexists(target):
            raise InputError(OPTION, f"{path} exists; add --force to overwrite it") from None
        os.replace(temp, target)


def write_atomic(path: str, text: str | Callable[[TextIO], object], force: bool) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; ``text`` may be a function that writes
    to the stream it is given (a large rendering, written piece by piece)."""
    check_destination(path, force)
    target = Path(path)
    temp = None
    try:
        import tempfile  # (and random): only when a file is written, not on every run

        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            if isinstance(text, str):
                handle.write(text)
            else:
                text(handle)
            handle.flush()
            os.fsync(handle.fileno())
        replaced = _existing(target) if force else None
        if replaced is not None:
            _refuse_special(replaced, path)  # again: it may have become one while we solved
        _take_over(temp, replaced)
        if force:
            os.replace(temp, target)
        else:
            _link_new(temp, target, path)
    except OSError as error:  # no permission, a read-only or full filesystem, no inodes left …
        raise InputError(OPTION, f"cannot write {path}: {error.strerror or error}") from None
    finally:
        if temp is not None and os.path.lexists(temp):
            os.unlink(temp)
