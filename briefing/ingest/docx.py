"""Word reader: body paragraphs in order, with their style names as structure hints.

Line numbers are 1-based paragraph numbers over all body paragraphs, empty ones
included, so they point at the same paragraph a user counts in Word.

Style names are looked up in a table built once (python-docx's `Paragraph.style` searches
the styles part for every paragraph, about 1 ms each: 50 s for 50,000 paragraphs), with
python-docx's rule: a style id that is missing or not a paragraph style means the default
paragraph style. A package whose parts unpack to more than the limits is refused before it
is parsed, and a broken one (damaged XML, no body) is "not a readable Word document".
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path
from typing import Any

from briefing.errors import InputError
from briefing.ingest.lines import build_source, cannot_read
from briefing.model import SourceText

_RESAVE = "open it in Word and save it again as .docx, or pass the text as .txt"
MAX_PACKAGE_BYTES = 512 * 2**20  # what all parts may unpack to (python-docx reads them all)
XML_BYTES_PER_CHAR = 100  # generous: Word's markup around each character of text


def read_docx(path: Path, max_chars: int = 0) -> SourceText:
    import docx  # lazy: python-docx is only needed for .docx input
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    try:
        _check_unpacked_size(path, max_chars)
        document = docx.Document(str(path))
        if document.element.body is None:
            raise InputError(f"{path}: not a readable Word document (it has no body)", _RESAVE)
        raw = _paragraphs(document)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise InputError(
            f"{path}: not a valid .docx file (it is not a Word zip package)", _RESAVE
        ) from None
    except (etree.XMLSyntaxError, zlib.error, EOFError) as exc:
        # damaged XML (cut short, not well-formed) or a damaged compressed part
        raise InputError(
            f"{path}: not a readable Word document (a part of it is damaged: "
            f"{str(exc).splitlines()[0][:120]})",
            _RESAVE,
        ) from None
    except OSError as exc:
        raise cannot_read(path, exc) from None
    return build_source(path, "docx", None, raw, max_chars)


def _check_unpacked_size(path: Path, max_chars: int) -> None:
    """Refuse a package (a zip bomb, or a report far over --max-chars) before parsing it."""
    if not max_chars:
        return
    with zipfile.ZipFile(path) as package:
        parts = package.infolist()
    total = sum(part.file_size for part in parts)
    body = sum(part.file_size for part in parts if part.filename == "word/document.xml")
    if total > MAX_PACKAGE_BYTES or body > XML_BYTES_PER_CHAR * max_chars:
        raise InputError(
            f"{path}: the Word document unpacks to {total:,} bytes ({body:,} of text and "
            f"markup), more than a report of {max_chars:,} characters can",
            "split it, or raise the limit with --max-chars (0 for none)",
        )


def _paragraphs(document: Any) -> list[tuple[str, str | None]]:
    from docx.enum.style import WD_STYLE_TYPE

    names: dict[str, str | None] = {}
    for style in document.styles:
        if style.type == WD_STYLE_TYPE.PARAGRAPH:
            names.setdefault(style.style_id, style.name)
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    default_name = default.name if default is not None else None
    raw: list[tuple[str, str | None]] = []
    for p in document.element.body.p_lst:
        style_id = p.style
        style = names.get(style_id, default_name) if style_id else default_name
        # A manual line break inside a paragraph is layout, not a new paragraph.
        raw.append((p.text.replace("\n", " ").replace("\t", " "), style))
    return raw
