"""Ingest: a file on disk -> `SourceText` (decoded lines with a Simplified analysis copy).

One reader per format in a small registry, chosen by the file's suffix or, where the suffix
does not say (.txt, none, or one we cannot read such as .doc), by what its first bytes are:
a PDF (``%PDF-``) or a web page (the HTML signatures of the WHATWG sniffing rules); a
".html" file with no markup in its first kilobyte is read as the text it is. Each
reader imports its parser lazily and produces the same `SourceText`. What a line is:

- .txt: a line of the file (blank lines counted), as an editor numbers them;
- .docx: a body paragraph (empty ones counted), as Word counts them;
- .html: the n-th block the reader extracted from the article: the title, a byline, 来源
  or date line, a heading, a paragraph (a <p>, or a run of text between <br>s), a caption,
  a list item or a table row; nothing is counted outside the article;
- .pdf: the n-th block of the text layer: a paragraph's part within one column of one page,
  or a page's running header, footer or page number; pages and columns in reading order.

Bad input is an `InputError` with a hint, never a guess: unknown encodings, replacement
characters, binary data and text that is not mostly Chinese are all refused.
"""

from __future__ import annotations

import codecs
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import InputError
from briefing.files import regular_file
from briefing.ingest.lines import cannot_read
from briefing.model import SourceFormat, SourceText
from briefing.options import MAX_CHARS


@dataclass(frozen=True)
class Reader:
    format: SourceFormat
    suffixes: tuple[str, ...]
    function: str  # "module:function", imported when the reader is first used

    def read(self, path: Path, max_chars: int) -> SourceText:
        module, name = self.function.split(":")
        reader: Callable[[Path, int], SourceText] = getattr(importlib.import_module(module), name)
        return reader(path, max_chars)


READERS = (
    Reader("txt", (".txt", ".text"), "briefing.ingest.text:read_text"),
    Reader("docx", (".docx",), "briefing.ingest.docx:read_docx"),
    Reader("html", (".html", ".htm", ".shtml", ".xhtml", ".tpl"), "briefing.ingest.html:read_html"),
    Reader("pdf", (".pdf",), "briefing.ingest.pdf:read_pdf"),
)
_BY_FORMAT = {reader.format: reader for reader in READERS}
_BY_SUFFIX = {suffix: reader for reader in READERS for suffix in reader.suffixes}
# Suffixes whose reader decides by content: a page saved as .txt or served as .doc.
_SNIFFED = {".txt", ".text", ""}
# What the readers take by suffix alone (see `readable` for files whose bytes decide).
READABLE_SUFFIXES = frozenset(_BY_SUFFIX)

# Formats we recognise but cannot read, with what to do instead (unless the bytes are a
# web page or a PDF: Chinese sites often serve HTML as .doc).
_UNSUPPORTED = {
    ".doc": "save it as .docx (Word: File > Save As) and try again",
    ".rtf": "save it as .docx or .txt and try again",
    ".odt": "save it as .docx or .txt and try again",
    ".wps": "save it as .docx (WPS: File > Save As) and try again",
}

SNIFF_BYTES = 1024
# WHATWG MIME sniffing, "identifying a resource with an unknown MIME type": these tags,
# after leading whitespace, followed by a space or ">".
_HTML_TAGS = (
    b"!doctype html", b"html", b"head", b"script", b"iframe", b"h1", b"div", b"font",
    b"table", b"a", b"style", b"title", b"b", b"body", b"br", b"p", b"meta",
)  # fmt: skip
_HTML_START_RE = re.compile(
    rb"<(?:" + b"|".join(re.escape(tag) for tag in _HTML_TAGS) + rb")[ \t\n\f\r>]|<!--",
    re.IGNORECASE,
)
_XML_DECLARATION_RE = re.compile(rb"<\?xml[^>]{0,200}\?>\s*", re.IGNORECASE)


def sniff(head: bytes) -> SourceFormat | None:
    """What the first bytes of a file say it is: "pdf", "html", or None (text, or
    something else)."""
    if b"%PDF-" in head[:SNIFF_BYTES]:
        return "pdf"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(codec, errors="ignore").encode("ascii", "ignore")
            break
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    head = head.lstrip(b" \t\n\f\r")
    match = _XML_DECLARATION_RE.match(head)
    if match:  # XHTML: <?xml …?> then the page
        head = head[match.end() :]
    return "html" if _HTML_START_RE.match(head) else None


def readable(path: Path) -> bool:
    """Whether `read_source` has a reader for this file: by its suffix, or, for a file
    with no suffix or one we cannot read (.doc), by its first bytes being a page or a
    PDF. Used to pick reports out of a folder; says nothing about whether it will parse."""
    suffix = path.suffix.lower()
    if suffix in READABLE_SUFFIXES:
        return True
    if suffix and suffix not in _UNSUPPORTED:
        return False
    try:
        with path.open("rb") as file:
            return sniff(file.read(SNIFF_BYTES)) is not None
    except OSError:
        return False


def unsupported_hint(suffix: str) -> str | None:
    """What to do with a file of a format we recognise but cannot read (.doc, .rtf …)."""
    return _UNSUPPORTED.get(suffix.lower())


def read_source(path: str | Path, max_chars: int = MAX_CHARS) -> SourceText:
    """Read a report from disk, choosing the reader by the file's suffix (or its first
    bytes, see `sniff`). A report of more than `max_chars` characters (0: no limit) is
    refused, a large file before it is read."""
    path = Path(path)
    suffix = path.suffix.lower()
    regular_file(path, "a .txt, .docx, .html or .pdf report")  # not a pipe, device or folder
    reader = _BY_SUFFIX.get(suffix)
    if reader is not None and reader.format == "html" and b"<" not in _head(path):
        reader = _BY_FORMAT["txt"]  # text saved under a page's name: no markup at all
    elif reader is None or suffix in _SNIFFED:
        sniffed = sniff(_head(path))
        if sniffed is not None:
            reader = _BY_FORMAT[sniffed]
        elif suffix in _UNSUPPORTED:
            raise InputError(f"{path}: {suffix} files are not supported", _UNSUPPORTED[suffix])
    return (reader or _BY_FORMAT["txt"]).read(path, max_chars)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(SNIFF_BYTES)
    except OSError as exc:
        raise cannot_read(path, exc) from None
