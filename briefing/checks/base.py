"""What every check returns, and the clauses a Chinese segment is judged by. Pure."""

from __future__ import annotations

import re
from typing import NamedTuple

# Clause boundaries: Chinese clause punctuation, or a half-width comma not in 30,000 or
# colon not in 9:30.
CLAUSE_END_RE = re.compile(r"(?<=[，；：。！？;!?])|(?<=,)(?!\d{3})|(?<=:)(?!\d)")


class Finding(NamedTuple):
    """One thing a check found: in words, and the Chinese clause it is about (None: the
    segment as a whole)."""

    detail: str
    clause: str | None = None


def clauses(zh: str) -> list[str]:
    """The clauses of a Chinese segment, split after ，；：。！？ (and their half-width
    forms), each with its punctuation, without surrounding space; empty ones left out."""
    return [c.strip() for c in CLAUSE_END_RE.split(zh) if c.strip()]


def clause_of(zh: str, text: str) -> str | None:
    """The first clause of `zh` that contains `text` (None when none does)."""
    return next((c for c in clauses(zh) if text in c), None)
