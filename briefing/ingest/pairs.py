"""Read translation pairs for `briefing qa`: JSON Lines, one {"id", "zh", "en"} per line.

Blank lines are skipped. Anything else that is not such an object is an `InputError`
naming the line, so a user can fix the file; ids must be unique so results can be
matched back. ``-`` reads standard input.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import InputError

FIELDS = ("id", "zh", "en")
_ONE_PER_LINE = 'write one object per line: {"id": "p1", "zh": "…", "en": "…"}'


@dataclass(frozen=True)
class Pair:
    id: str
    zh: str
    en: str


def read_pairs(path: Path) -> list[Pair]:
    """The pairs of a JSON Lines file, in file order."""
    text = _read(path)
    pairs: list[Pair] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not a JSON object ({exc.msg})", _ONE_PER_LINE) from None
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
        pair_id = record["id"]
        if pair_id in seen:
            raise InputError(f"{where}: id {pair_id!r} was already used on line {seen[pair_id]}",
                             "give every pair its own id")  # fmt: skip
        seen[pair_id] = number
        pairs.append(Pair(pair_id, record["zh"], record["en"]))
    if not pairs:
        raise InputError(f"{path}: no pairs in the file", 'write one {"id", "zh", "en"} per line')
    return pairs


def _read(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    if not path.exists():
        raise InputError(f"{path}: no such file", "check the path and try again")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file", "pass a .jsonl file")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: not UTF-8 (byte {exc.start})", "save the file as UTF-8 JSON Lines"
        ) from None
