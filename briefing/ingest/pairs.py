"""Read translation pairs for `briefing qa`: JSON Lines, one {"id", "zh", "en"} per line.

Blank lines are skipped. Anything else that is not such an object is an `InputError`
naming the line, so a user can fix the file; ids must be unique so results can be
matched back. ``-`` reads standard input.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import InputError
from briefing.files import read_bytes

FIELDS = ("id", "zh", "en")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_ONE_PER_LINE = 'write one object per line: {"id": "p1", "zh": "…", "en": "…"}'


@dataclass(frozen=True)
class Pair:
    id: str
    zh: str
    en: str


def read_pairs(path: Path) -> list[Pair]:
    """The pairs of a JSON Lines file, in file order.

    The bytes are split at line feeds only (a U+2028, U+0085 or vertical tab inside valid
    JSON is no line end, as `str.splitlines` had it) and each line is decoded strictly, so
    every error names the line it is on; a UTF-8 BOM is skipped, on stdin too."""
    data = _read(path)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    pairs: list[Pair] = []
    seen: dict[str, int] = {}
    offset = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        where = f"{path}:{number}"
        line = _decode(raw, where, offset)
        offset += len(raw) + 1
        if not line.strip():
            continue
        record = _parse(line, where)
        pair_id = record["id"]
        if pair_id in seen:
            raise InputError(f"{where}: id {pair_id!r} was already used on line {seen[pair_id]}",
                             "give every pair its own id")  # fmt: skip
        seen[pair_id] = number
        pairs.append(Pair(pair_id, record["zh"], record["en"]))
    if not pairs:
        raise InputError(f"{path}: no pairs in the file", 'write one {"id", "zh", "en"} per line')
    return pairs


def _decode(raw: bytes, where: str, offset: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8 (byte {offset + exc.start})",
                         "save the file as UTF-8 JSON Lines") from None  # fmt: skip


def _parse(line: str, where: str) -> dict[str, str]:
    """One line's object, with string id, zh and en that are text (no lone surrogates)."""
    try:
        # numbers are not used: read as floats, a 5,000-digit integer cannot fail
        record = json.loads(line, parse_int=float)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not a JSON object ({exc.msg})", _ONE_PER_LINE) from None
    except RecursionError:
        raise InputError(f"{where}: not a JSON object (nested too deeply to read)",
                         _ONE_PER_LINE) from None  # fmt: skip
    if not isinstance(record, dict):
        raise InputError(f"{where}: a JSON {type(record).__name__}, not an object",
                         _ONE_PER_LINE)  # fmt: skip
    missing = [field for field in FIELDS if field not in record]
    if missing:
        raise InputError(f"{where}: no {', '.join(missing)} field",
                         "every line needs id, zh and en")  # fmt: skip
    wrong = [field for field in FIELDS if not isinstance(record[field], str)]
    if wrong:
        raise InputError(f"{where}: {', '.join(wrong)} must be a string",
                         'quote ids too: {"id": "7", …}')  # fmt: skip
    for field in FIELDS:
        surrogate = _SURROGATE_RE.search(record[field])
        if surrogate:
            raise InputError(
                f"{where}: {field} has a lone surrogate (U+{ord(surrogate.group()):04X}), "
                "which is not a character",
                "escape characters beyond U+FFFF as a pair (\\ud83d\\ude00) or write them as "
                "UTF-8",
            )
    return {field: record[field] for field in FIELDS}


def _read(path: Path) -> bytes:
    if str(path) == "-":
        return sys.stdin.buffer.read()
    return read_bytes(path, "a .jsonl file")
