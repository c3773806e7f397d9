"""Checks: flag the (Chinese, English) segment pairs whose English may be wrong. Pure.

Each check is a small function of the Chinese and the English that returns what it
found wrong, in words; `check_pair` runs them all and returns `Flag`s. They are built to
be precise as much as sensitive: a correct translation should come back clean.

| kind            | flags                                                              |
|-----------------|--------------------------------------------------------------------|
| empty           | no English, or only punctuation                                    |
| untranslated    | Chinese characters left in the English                             |
| number_mismatch | a number of the Chinese (or a counted numeral: 三大, 两个) missing  |
|                 | or mis-scaled in the English, or a number in digits the Chinese    |
|                 | does not have (`checks/numbers.py`)                                |
| omission        | English too short for the Chinese (by the length ratios of correct |
|                 | translations), or a clause whose numbers or Latin words are not in |
|                 | the English (`checks/text.py`), or, in a short English, whose words |
|                 | have no counterpart in it (`checks/clauses.py`, CC-CEDICT)          |
| repetition      | the English loops where the Chinese does not                       |
| term_missing    | a glossary term of the Chinese with none of its accepted English   |
| cut             | (made by the policy, not here) a number or word longer than the    |
|                 | model can read was cut in pieces (`briefing.translate.policy`)     |

A flag says which clause of the Chinese it is about (`Flag.clause`), where it is about one.

`CHECKS_VERSION` changes whenever what a check flags changes; it is part of the
briefing's signature.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from briefing.checks.base import Finding
from briefing.checks.clauses import dropped_clauses
from briefing.checks.numbers import number_findings
from briefing.checks.text import (
    MEDIAN_RATIO,
    empty_problems,
    english_size,
    omission_findings,
    repetition_problems,
    source_units,
    term_findings,
    untranslated_problems,
)
from briefing.model import FLAG_KINDS, Flag, FlagKind, count_by_kind

CHECKS_VERSION = "4"  # 2: numbers past MAX_DIGITS, the cut flag; 3: clauses, terms; 4: both
# what the checks flag (the parser adds unit_untranslated to the summary's values; the
# policy adds cut)
KINDS: tuple[FlagKind, ...] = tuple(
    k for k in FLAG_KINDS if k not in ("unit_untranslated", "cut")
)
__all__ = ["CHECKS_VERSION", "KINDS", "check_pair", "count_by_kind", "length_deviation"]

Check = Callable[[str, str], list[Finding]]


def _whole(check: Callable[[str, str], list[str]]) -> Check:
    """A check about the segment as a whole: its findings name no clause."""
    return lambda zh, en: [Finding(detail) for detail in check(zh, en)]


CHECKS: tuple[tuple[FlagKind, Check], ...] = (
    ("empty", _whole(empty_problems)),
    ("untranslated", _whole(untranslated_problems)),
    ("number_mismatch", number_findings),
    ("omission", omission_findings),
    ("repetition", _whole(repetition_problems)),
)


def check_pair(
    zh: str, en: str, terms: Mapping[str, str] | Mapping[str, Sequence[str]] | None = None
) -> tuple[Flag, ...]:
    """Every flag for one segment: `zh` as the model read it, `en` its English; `terms`
    maps glossary terms to their standard English (or to every accepted form).

    An empty English is only `empty`: the other checks would repeat it in other words.
    """
    flags: list[Flag] = []
    for kind, check in CHECKS:
        flags.extend(Flag(kind, detail, clause) for detail, clause in check(zh, en))
        if kind == "empty" and flags:
            return tuple(flags)
    judged = {f.clause for f in flags if f.kind == "omission"}  # by their numbers already
    dropped = dropped_clauses(zh, en, terms)
    flags.extend(Flag("omission", detail, clause) for detail, clause in dropped
                 if clause not in judged)  # fmt: skip
    if terms:
        flags.extend(Flag("term_missing", detail, clause)
                     for detail, clause in term_findings(zh, en, terms))  # fmt: skip
    return tuple(flags)


def length_deviation(zh: str, en: str) -> float:
    """How far the English's length is from that of a typical correct translation of
    `zh` (|log| of its ratio to the median ratio): 0 is typical, larger is less plausible."""
    units = max(source_units(zh), 1)
    return abs(math.log(max(english_size(en), 1) / units / MEDIAN_RATIO))
