"""Writing outputs atomically: a finished file replaces the old one, or nothing changes.

The temporary file beside the output is named after the output, this machine and this
process (``.briefing.docx.<host>-<pid>.<random>.part``). A run that is killed outright
(SIGKILL, a power cut) cannot remove its own; the next write of the same output removes
those of processes that are gone, and any older than a day (another machine's, or one
named before the process was recorded).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.errors import OutputError

log = logging.getLogger(__name__)

_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
# What the temporary name adds to the output's: "." + "." + host + "-" + a pid of up to 7
# digits + "." + 8 random characters + ".part".
TEMPORARY_NAME_EXTRA = 2 + 8 + 1 + 7 + 1 + 8 + 5
STALE_AFTER_S = 24 * 3600


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`.

    On any failure, Ctrl-C and SIGTERM included, the temporary file is removed and an
    existing `path` is left untouched. Stale temporary files of `path` are removed first.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep_stale(path)
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}.{_HOST}-{os.getpid()}.", suffix=".part", dir=path.parent
        )
    except OSError as exc:
        raise OutputError(
            f"cannot write {path}: {exc.strerror}",
            "check that its folder exists and is writable, or pass another -o",
        ) from None
    os.close(fd)
    temporary = Path(name)
    # mkstemp makes the file private (0600); give it the mode a new file normally gets.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def sweep_stale(path: Path) -> list[Path]:
    """Remove the temporary files of `path` left by runs that are gone; say which."""
    pattern = re.compile(
        rf"\.{re.escape(path.name)}\.(?:(?P<host>[0-9a-f]{{8}})-(?P<pid>\d{{1,7}})\.)?[^.]+\.part"
    )
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        try:
            if not _stale(match, entry.stat(follow_symlinks=False).st_mtime):
                continue
            os.unlink(entry.path)
        except OSError:
            continue  # gone already, or not ours to remove
        log.info("removed %s, left by a run that did not finish", entry.path)
        removed.append(Path(entry.path))
    return removed


def _stale(match: re.Match[str], mtime: float) -> bool:
    if match["host"] == _HOST and int(match["pid"]) != os.getpid():
        return not _alive(int(match["pid"]))
    return time.time() - mtime > STALE_AFTER_S


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
