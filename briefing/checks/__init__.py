"""Checks: flag the (Chinese, English) segment pairs whose English may be wrong. Pure.

Each check is a small function of the Chinese and the English that returns what it
found wrong, in words; `check_pair` runs them all and returns `Flag`s. They are built to
be precise as much as sensitive: a correct translation should come back clean.

| kind            | flags                                                              |
|-----------------|--------------------------------------------------------------------|
| empty           | no English, or only punctuation                                    |
| untranslated    | Chinese characters left in the English                             |
| number_mismatch | a number of the Chinese missing or mis-scaled in the English, or a |
|                 | number in digits the Chinese does not have (`checks/numbers.py`)   |
| omission        | English too short for the Chinese (by the length ratios of correct |
|                 | translations), or a clause whose Latin words are not in the English |
| repetition      | the English loops where the Chinese does not                       |
| term_missing    | a glossary term of the Chinese without its standard English        |

`CHECKS_VERSION` changes whenever what a check flags changes; it is part of the
briefing's signature.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from briefing.checks.numbers import number_problems
from briefing.checks.text import (
    empty_problems,
    omission_problems,
    repetition_problems,
    term_problems,
    untranslated_problems,
)
from briefing.model import Flag

CHECKS_VERSION = "1"
KINDS = ("empty", "untranslated", "number_mismatch", "omission", "repetition", "term_missing")

Check = Callable[[str, str], list[str]]
CHECKS: tuple[tuple[str, Check], ...] = (
    ("empty", empty_problems),
    ("untranslated", untranslated_problems),
    ("number_mismatch", number_problems),
    ("omission", omission_problems),
    ("repetition", repetition_problems),
)


def check_pair(zh: str, en: str, terms: Mapping[str, str] | None = None) -> tuple[Flag, ...]:
    """Every flag for one segment: `zh` as the model read it, `en` its English.

    An empty English is only `empty`: the other checks would repeat it in other words.
    """
    flags: list[Flag] = []
    for kind, check in CHECKS:
        flags.extend(Flag(kind, detail) for detail in check(zh, en))
        if kind == "empty" and flags:
            return tuple(flags)
    if terms:
        flags.extend(Flag("term_missing", detail) for detail in term_problems(zh, en, terms))
    return tuple(flags)


def count_by_kind(flags: list[Flag] | tuple[Flag, ...]) -> dict[str, int]:
    """{kind: count} in the order of KINDS, kinds with no flag left out."""
    counts = {kind: 0 for kind in KINDS}
    for flag in flags:
        counts[flag.kind] += 1
    return {kind: n for kind, n in counts.items() if n}
