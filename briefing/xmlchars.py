"""Characters a Word document cannot hold, and what to do with them. Pure.

A .docx is XML 1.0, which allows tab, line feed and carriage return but no other C0
control character (U+0000–U+001F), no UTF-16 surrogate (U+D800–U+DFFF: what Python makes
of bytes that are not UTF-8 in a file name or argument) and neither U+FFFE nor U+FFFF.
python-docx refuses such text only when the briefing is written, after the translation,
so every way in is checked where text enters: reports are cleaned at ingest (with a
warning), option values and glossary entries are refused, and the model's English is
cleaned where it is made.
"""

from __future__ import annotations

import re

_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def first_illegal(text: str) -> str | None:
    """The first character of `text` that XML cannot hold, or None."""
    match = _ILLEGAL_RE.search(text)
    return match.group(0) if match else None


def remove_illegal(text: str) -> tuple[str, int]:
    """`text` without the characters XML cannot hold, and how many there were."""
    return _ILLEGAL_RE.subn("", text)


def replace_illegal(text: str, by: str = "\ufffd") -> str:
    """`text` with each character XML cannot hold replaced (for showing a file name)."""
    return _ILLEGAL_RE.sub(by, text)


def code_point(char: str) -> str:
    """U+0001."""
    return f"U+{ord(char):04X}"
