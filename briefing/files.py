"""Input files: only regular files are read, and what goes wrong says what it is.

Every file the user names (a report, a glossary, a pairs file) is checked here before it is
opened: a named pipe would block forever, a device never ends, a folder or a loop of
symbolic links is no file, and a file larger than a limit is refused before it is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from briefing.errors import InputError

_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def regular_file(
    path: Path, what: str, max_bytes: int | None = None, too_large: str = ""
) -> os.stat_result:
    """The status of `path` when it is a regular file (of at most `max_bytes`); otherwise
    an `InputError` naming the problem. `what` names what to pass instead ("a .jsonl
    file"); `too_large` is the hint for a file over `max_bytes`."""
    try:
        status = path.stat()
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if stat.S_ISDIR(status.st_mode):
        raise InputError(f"{path}: is a folder, not a file", f"pass {what}")
    if not stat.S_ISREG(status.st_mode):
        kind = next((name for test, name in _KINDS if test(status.st_mode)), "a special file")
        raise InputError(
            f"{path}: is {kind}, not a regular file",
            f"pass {what} (save what the pipe or device gives to a file first)",
        )
    if max_bytes is not None and status.st_size > max_bytes:
        raise InputError(
            f"{path}: the file is too large ({status.st_size:,} bytes; the limit is "
            f"{max_bytes:,})",
            too_large or "split it into smaller files",
        )
    return status


def read_bytes(path: Path, what: str) -> bytes:
    """The bytes of a regular file (see `regular_file`)."""
    regular_file(path, what)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from None


def _unreadable(path: Path, exc: OSError) -> InputError:
    if exc.errno == errno.ENOENT:
        return InputError(f"{path}: no such file", "check the path and try again")
    if exc.errno == errno.ELOOP:
        return InputError(f"{path}: a loop of symbolic links, not a file",
                          "check where the link points (ls -l)")  # fmt: skip
    if exc.errno == errno.ENOTDIR:
        return InputError(f"{path}: no such file (a part of the path is a file, not a folder)",
                          "check the path and try again")  # fmt: skip
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(f"{path}: cannot read the file (permission denied)",
                          "check its permissions")  # fmt: skip
    if exc.errno == errno.EISDIR:
        return InputError(f"{path}: is a folder, not a file", "pass a file")
    return InputError(f"{path}: cannot read the file ({exc.strerror})", "check the path")
