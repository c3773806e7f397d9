"""Plain-text reader: bytes -> lines, with a strict encoding policy.

Order: a BOM (UTF-8, UTF-16) decides; else strict UTF-8; else GB18030 when a strict
decode reads as Chinese (`gb_reading`: charset-normalizer takes a title alone for cp949,
cp874 or Big5); else charset-normalizer's verdict, accepted only for the GB family (always
decoded as GB18030, their superset; GB2312 decoding would turn — into ―) and Big5.
Anything else, a file detection cannot place (often one cut in the middle of a
character), or NUL bytes without a UTF-16 BOM, is refused.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from briefing.errors import InputError
from briefing.ingest.lines import build_source, read_bytes, too_long
from briefing.model import SourceText

_GB_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936"}
_BIG5_FAMILY = {"big5", "big5hkscs", "cp950"}
_KOREAN = {"cp949", "euckr", "johab", "iso2022kr", "uhc"}

# General punctuation, CJK symbols and punctuation, full-width forms
_PUNCTUATION_RE = re.compile("[\u2000-\u206f\u3000-\u303f\uff00-\uffef]")
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
            "pass a .txt, .docx, .html or .pdf report (UTF-16 text needs a byte-order mark)",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass

    import charset_normalizer  # lazy: only needed for non-UTF-8 input

    best = charset_normalizer.from_bytes(data).best()
    verdict = best.encoding.lower().replace("-", "").replace("_", "") if best else None
    if verdict not in _GB_FAMILY:
        gb = gb_reading(data, verdict)  # detection is unreliable on a title alone
        if gb is not None:
            return gb, "gb18030"
    if best is None:
        raise InputError(
            f"{name}: cannot tell the text encoding (the file may be cut short or damaged)",
            _ENCODING_HINT,
        )
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


def gb_reading(data: bytes, verdict: str | None) -> str | None:
    """The text as GB18030 when that reads as Chinese, whatever the detector said: a strict
    decode whose non-ASCII characters are nearly all in GB2312 (Big5, Shift-JIS or UTF-8
    misread as GB18030 land in its rare and private-use ranges) with no kana (EUC-JP keeps
    its kana). EUC-KR Hangul reads as GB2312 characters too, in the rows B0–C8: with a
    Korean verdict, some character must lie in GB2312's other Han rows (C9–F7)."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    wide = [ch for ch in text if ord(ch) > 0x7F and not ch.isspace()]
    if not wide or any("\u3040" <= ch <= "\u30ff" for ch in wide):
        return None
    common = 0
    beyond_hangul = False
    for ch in wide:
        if _PUNCTUATION_RE.match(ch):
            common += 1  # — is U+2014 in GB18030, U+2015 in Python's GB2312
            continue
        try:
            code = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
        beyond_hangul = beyond_hangul or 0xC9 <= code[0] <= 0xF7
    if common < 0.9 * len(wide):
        return None
    if verdict in _KOREAN and not beyond_hangul:
        return None
    return text


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
    data = read_bytes(path)
    text, encoding = decode(data, str(path))
    lines: list[tuple[str, str | None]] = [(line, None) for line in split_lines(text)]
    return build_source(path, "txt", encoding, lines, max_chars)
