"""Word reader: body paragraphs in order, with their style names as structure hints.

Line numbers are 1-based paragraph numbers over all body paragraphs, empty ones
included, so they point at the same paragraph a user counts in Word.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from briefing.errors import InputError
from briefing.ingest.lines import build_source
from briefing.model import SourceText


def read_docx(path: Path) -> SourceText:
    import docx  # lazy: python-docx is only needed for .docx input
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError(
            f"{path}: not a valid .docx file (it is not a Word zip package)",
            "open it in Word and save it again as .docx, or pass the text as .txt",
        ) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read the file ({exc.strerror})", "check its permissions"
        ) from None
    raw: list[tuple[str, str | None]] = []
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else None
        # A manual line break inside a paragraph is layout, not a new paragraph.
        text = paragraph.text.replace("\n", " ").replace("\t", " ")
        raw.append((text, style))
    return build_source(path, "docx", None, raw)
