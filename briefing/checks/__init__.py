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
| cut             | (made by the policy, not here) a number or word longer than the    |
|                 | model can read was cut in pieces (`briefing.translate.policy`)     |

`CHECKS_VERSION` changes whenever what a check flags changes; it is part of the
briefing's signature.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from briefing.checks.numbers import number_problems
from briefing.checks.text import (
    MEDIAN_RATIO,
    empty_problems,
    english_size,
    omission_problems,
    repetition_problems,
    source_units,
    term_problems,
    untranslated_problems,
)
from briefing.model import FLAG_KINDS, Flag, FlagKind, count_by_kind

CHECKS_VERSION = "2"  # 2: numbers past MAX_DIGITS are no numbers; the cut flag
KINDS = FLAG_KINDS
__all__ = ["CHECKS_VERSION", "KINDS", "check_pair", "count_by_kind", "length_deviation"]

Check = Callable[[str, str], list[str]]
CHECKS: tuple[tuple[FlagKind, Check], ...] = (
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


def length_deviation(zh: str, en: str) -> float:
    """How far the English's length is from that of a typical correct translation of
    `zh` (|log| of its ratio to the median ratio): 0 is typical, larger is less plausible."""
    units = max(source_units(zh), 1)
    return abs(math.log(max(english_size(en), 1) / units / MEDIAN_RATIO))
