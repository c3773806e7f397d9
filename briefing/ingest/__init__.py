"""Ingest: a file on disk -> `SourceText` (decoded lines with a Simplified analysis copy).

One reader per format, chosen by suffix; each imports its parser lazily. Bad input is
an `InputError` with a hint, never a guess: unknown encodings, replacement characters,
binary data and text that is not mostly Chinese are all refused.
"""

from __future__ import annotations

from pathlib import Path

from briefing.errors import InputError
from briefing.files import regular_file
from briefing.model import SourceText
from briefing.options import MAX_CHARS

# What the readers take, by suffix (anything else that is not listed below is read as text).
READABLE_SUFFIXES = frozenset({".txt", ".text", ".docx"})
# Formats we recognise but cannot read yet, with what to do instead.
_UNSUPPORTED = {
    ".doc": "save it as .docx (Word: File > Save As) and try again",
    ".pdf": "extract the text first (e.g. `pdftotext -layout`) and pass the .txt",
    ".html": "save the page as plain text (.txt) and try again",
    ".htm": "save the page as plain text (.txt) and try again",
    ".rtf": "save it as .docx or .txt and try again",
    ".odt": "save it as .docx or .txt and try again",
}


def read_source(path: str | Path, max_chars: int = MAX_CHARS) -> SourceText:
    """Read a report from disk, choosing the reader by the file's suffix. A report of more
    than `max_chars` characters (0: no limit) is refused, a large file before it is read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise InputError(f"{path}: {suffix} files are not supported", _UNSUPPORTED[suffix])
    regular_file(path, "a .txt or .docx report")  # not a pipe, device or folder
    if suffix == ".docx":
        from briefing.ingest.docx import read_docx

        return read_docx(path, max_chars)
    from briefing.ingest.text import read_text

    return read_text(path, max_chars)
