"""Writing outputs atomically: a finished file replaces the old one, or nothing changes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.errors import OutputError


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`.

    On any failure, Ctrl-C included, the temporary file is removed and an existing
    `path` is left untouched.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
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
