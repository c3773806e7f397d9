"""Shared by the readers: raw lines -> `SourceText`, with the checks every format needs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from briefing.chinese import han_count, han_share, is_traditional, to_simplified
from briefing.errors import InputError
from briefing.model import SourceFormat, SourceLine, SourceText
from briefing.xmlchars import remove_illegal

log = logging.getLogger(__name__)

# Whitespace that str.strip() does not remove, plus zero-width characters.
_EDGE_JUNK = "\ufeff\u200b\u200c\u200d\u2060"
_SPACE_RUN = re.compile(r"[ \t\u3000\xa0]+")

# At least this share of the letters must be Han characters.
MIN_HAN_SHARE = 0.5


def clean_line(text: str) -> str:
    """Strip the edges (indentation with ideographic spaces too) and make each run of
    inner spaces, of any width, one ASCII space."""
    text = text.strip().strip(_EDGE_JUNK).strip()
    return _SPACE_RUN.sub(" ", text)


def build_source(
    path: Path,
    fmt: SourceFormat,
    encoding: str | None,
    raw: list[tuple[str, str | None]],
    max_chars: int = 0,
) -> SourceText:
    """Number the lines (1-based), clean them, and attach the Simplified analysis copy.
    A text of more than `max_chars` characters (unless 0) is refused."""
    texts = [clean_line(text) for text in _without_illegal(path, [text for text, _ in raw])]
    whole = "\n".join(texts)
    if max_chars and len(whole) > max_chars:
        raise too_long(path, f"{len(whole):,} characters", max_chars)
    if not whole.strip():
        raise InputError(f"{path}: the file has no text", "pass a report with Chinese text in it")
    if "\ufffd" in whole:
        raise InputError(
            f"{path}: the text contains replacement characters (U+FFFD), so part of it was lost",
            "re-save the file as UTF-8 from the original source",
        )
    share = han_share(whole)
    if han_count(whole) == 0 or share < MIN_HAN_SHARE:
        raise InputError(
            f"{path}: this does not look like Chinese text "
            f"({share:.0%} of its letters are Chinese characters)",
            "pass a Chinese report; if it is one, check the file's encoding (save it as UTF-8)",
        )
    traditional = is_traditional(whole)
    lines = tuple(
        SourceLine(
            number=i,
            text=text,
            analysis=to_simplified(text) if traditional and text else text,
            style=style,
        )
        for i, (text, (_, style)) in enumerate(zip(texts, raw, strict=True), start=1)
    )
    return SourceText(
        path=str(path),
        format=fmt,
        encoding=encoding,
        script="traditional" if traditional else "simplified",
        lines=lines,
    )


def _without_illegal(path: Path, texts: list[str]) -> list[str]:
    """The lines without the characters a Word document cannot hold (control characters,
    U+FFFE, U+FFFF), with a warning that counts them and names the first line."""
    cleaned = [remove_illegal(text) for text in texts]
    removed = sum(count for _, count in cleaned)
    if removed:
        first = next(number for number, (_, count) in enumerate(cleaned, start=1) if count)
        log.warning(
            "%s: removed %d character%s a Word document cannot hold (control characters, "
            "U+FFFE, U+FFFF), the first on line %d", path, removed, "s" if removed > 1 else "",
            first,
        )
    return [text for text, _ in cleaned]


def cannot_read(path: Path, exc: OSError) -> InputError:
    """What every reader says of a file the system will not give it."""
    return InputError(f"{path}: cannot read the file ({exc.strerror})", "check its permissions")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise cannot_read(path, exc) from None


def too_long(path: Path, size: str, max_chars: int) -> InputError:
    return InputError(
        f"{path}: the report is too long ({size}; the limit is {max_chars:,} characters)",
        "split it, or raise the limit with --max-chars (0 for none)",
    )
