"""Plain-text reader: bytes -> lines, with a strict encoding policy.

Order: a BOM (UTF-8, UTF-16) decides; else strict UTF-8; else charset-normalizer's
verdict, accepted only for the GB family (always decoded as GB18030, their superset;
GB2312 decoding would turn — into ―) and Big5. Anything else, a file detection cannot
place (often one cut in the middle of a character), or NUL bytes without a UTF-16 BOM,
is refused.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from briefing.errors import InputError
from briefing.ingest.lines import build_source, too_long
from briefing.model import SourceText

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
_BIG5_FAMILY = {"big5", "big5hkscs", "cp950"}
_NEWLINE = re.compile(r"\r\n|\r|\n")

_ENCODING_HINT = "re-save the file as UTF-8 (or pass it in GB18030, GBK or Big5)"


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return (text, encoding name) or raise `InputError`."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty", "pass a report with Chinese text in it")
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data:
        raise InputError(
            f"{name}: this is a binary file, not text",
            "pass a .txt or .docx report (UTF-16 text needs a byte-order mark)",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass

    import charset_normalizer  # lazy: only needed for non-UTF-8 input

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(
            f"{name}: cannot tell the text encoding (the file may be cut short or damaged)",
            _ENCODING_HINT,
        )
    verdict = best.encoding.lower().replace("-", "").replace("_", "")
    if verdict in _GB_FAMILY:
        encoding = "gb18030"
    elif verdict in _BIG5_FAMILY:
        encoding = "big5hkscs" if verdict == "big5hkscs" else "cp950"
    else:
        raise InputError(
            f"{name}: the text looks like {best.encoding}, which is not a Chinese encoding",
            _ENCODING_HINT,
        )
    return _strict(data, encoding, name), encoding


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: bytes at offset {exc.start} are not valid {encoding}",
            _ENCODING_HINT,
        ) from None


def split_lines(text: str) -> list[str]:
    """Split on LF, CRLF or CR only, so numbers match what an editor shows."""
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_text(path: Path, max_chars: int = 0) -> SourceText:
    # No encoding takes more than 4 bytes a character: a larger file is over the limit
    # for sure, and is refused before it is read.
    size = path.stat().st_size
    if max_chars and size > 4 * max_chars:
        raise too_long(path, f"{size:,} bytes", max_chars)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read the file ({exc.strerror})", "check its permissions"
        ) from None
    text, encoding = decode(data, str(path))
    lines: list[tuple[str, str | None]] = [(line, None) for line in split_lines(text)]
    return build_source(path, "txt", encoding, lines, max_chars)
