"""Checks on the shape of the English: `empty`, `untranslated`, `repetition`, `omission`,
`term_missing`. Each takes the Chinese and the English and returns what is wrong, as
short sentences (empty when nothing is). Pure.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence

from briefing.checks.base import CLAUSE_END_RE, Finding, clause_of
from briefing.checks.numbers import unrendered_clauses
from briefing.chinese import HAN, han_count

_HAN_RUN_RE = re.compile(f"[{HAN}]+")
_ALNUM_RE = re.compile(r"[^\W_]", re.UNICODE)
_EN_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_LATIN_TOKEN_RE = re.compile(r"[A-Za-z](?:[A-Za-z&.\-]*[A-Za-z])?")
_FUNCTION_WORDS = {"of", "and", "the", "for", "in", "on", "at", "to", "&"}


def empty_problems(zh: str, en: str) -> list[str]:
    if not _ALNUM_RE.search(zh):
        return []
    if not en.strip():
        return ["the English is empty"]
    if not _ALNUM_RE.search(en):
        return [f"the English is only punctuation: {en.strip()!r}"]
    return []


def untranslated_problems(zh: str, en: str) -> list[str]:
    runs = _HAN_RUN_RE.findall(en)
    if not runs:
        return []
    shown = "、".join(runs[:5]) + ("…" if len(runs) > 5 else "")
    return [f"Chinese left in the English ({sum(len(r) for r in runs)} characters): {shown}"]


# --- repetition ------------------------------------------------------------------------


# The longest phrase of the Chinese looked for said back to back (加油！加油！ is 2).
MAX_SOURCE_PERIOD = 32


def _runs(items: Sequence[str], n: int) -> Iterator[tuple[int, int]]:
    """(start, copies) of each maximal stretch where `n` items repeat back to back
    (items[j] == items[j + n] throughout), in one pass: copies of the n items at start."""
    start, same = 0, 0
    for j in range(len(items) - n + 1):
        if j + n < len(items) and items[j] == items[j + n]:
            if same == 0:
                start = j
            same += 1
            continue
        if same:
            yield start, same // n + 1
        same = 0


def _tandem(tokens: list[str]) -> tuple[tuple[str, ...], int] | None:
    """The longest-looping n-gram repeated back to back: ≥3 copies of 1–3 words, or ≥2
    copies of 4 words or more ("come on, come on, come on"; "the the the"). Linear: one
    pass over the tokens for each n."""
    best: tuple[tuple[str, ...], int] | None = None
    for n in range(1, min(12, len(tokens) // 2) + 1):
        for i, copies in _runs(tokens, n):
            if copies >= (3 if n <= 3 else 2) and (
                best is None or copies * n > best[1] * len(best[0])
            ):
                best = (tuple(tokens[i : i + n]), copies)
    return best


def _source_tandem(zh: str, copies: int) -> bool:
    """Whether the Chinese itself says something (of up to `MAX_SOURCE_PERIOD` characters)
    `copies` times back to back (加油！加油！)."""
    text = "".join(_HAN_RUN_RE.findall(zh))
    return any(
        found >= copies
        for n in range(1, min(MAX_SOURCE_PERIOD, len(text) // copies) + 1)
        for _, found in _runs(text, n)
    )


def _source_repeats(zh: str, times: int, length: int = 2) -> bool:
    """Whether some phrase of `length`+ characters occurs `times` times in the Chinese
    (坚持…坚持…坚持: parallel clauses that the English may rightly repeat)."""
    text = "".join(_HAN_RUN_RE.findall(zh))
    grams = Counter(text[i : i + length] for i in range(len(text) - length + 1))
    return any(count >= times for count in grams.values())


def repetition_problems(zh: str, en: str) -> list[str]:
    tokens = _EN_WORD_RE.findall(en.lower())
    loop = _tandem(tokens)
    if loop is not None:
        gram, copies = loop
        if not _source_tandem(zh, copies):
            return [f"the English loops: {' '.join(gram)!r} {copies} times in a row"]
    for n in (6, 5, 4):
        grams = Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
        for gram, count in grams.most_common(1):
            # a phrase said three times that fills a third of the English: a loop
            # spread out ("… to promote the …, to promote the …"), unless the Chinese
            # repeats itself too
            covers = count * n >= len(tokens) / 3
            if count >= 3 and covers and not _source_repeats(zh, count):
                return [f"the English repeats {' '.join(gram)!r} {count} times"]
    return []


# --- omission ---------------------------------------------------------------------------

# English letters and digits per unit of Chinese (a Han character, or a Latin word or
# number copied through), for correct human translations: the lower quantiles by source
# length. Measured on the corpora named in `briefing/checks/README.md`; a translation
# below the bound is shorter than all but LOW_QUANTILE of correct ones.
LOW_QUANTILE = 0.01
RATIO_FLOOR: tuple[tuple[int, float], ...] = ((8, 1.5), (20, 1.85), (40, 1.9))
MIN_UNITS = 8  # shorter sources vary too much to judge by length
MEDIAN_RATIO = 3.2  # the median of the same translations


def source_units(zh: str) -> int:
    latin = re.findall(r"[A-Za-z0-9]+(?:[.,][0-9]+)*", zh)
    return han_count(zh) + len(latin)


def english_size(en: str) -> int:
    return len(re.findall(r"[A-Za-z0-9]", en))


def ratio_floor(units: int) -> float | None:
    floor = None
    for minimum, value in RATIO_FLOOR:
        if units >= minimum:
            floor = value
    return floor


def omission_problems(zh: str, en: str) -> list[str]:
    return [finding.detail for finding in omission_findings(zh, en)]


def omission_findings(zh: str, en: str) -> list[Finding]:
    """The English too short for the Chinese, or a clause of the Chinese whose numbers or
    acronyms are all missing from it (`checks/clauses.py` judges clauses by their words)."""
    problems: list[Finding] = []
    units = source_units(zh)
    floor = ratio_floor(units)
    size = english_size(en)
    if floor is not None and size and size / units < floor:
        problems.append(Finding(
            f"the English is too short: {size} letters for {units} Chinese characters "
            f"(ratio {size / units:.2f}; correct translations are ≥ {floor:.2f} "
            f"in {1 - LOW_QUANTILE:.0%} of cases)"
        ))  # fmt: skip
    for clause in unrendered_clauses(zh, en):
        problems.append(Finding(f"a clause has no counterpart (none of its numbers is in the "
                                f"English): {clause}", clause))  # fmt: skip
    english = re.sub(r"[\s\-./]", "", en.lower())
    initials = _initials(en)
    for clause in CLAUSE_END_RE.split(zh):
        missing = [
            token
            for token in _LATIN_TOKEN_RE.findall(clause)
            if sum(ch.isupper() for ch in token) >= 2  # AI, GDP, BMA, WeChat; not names
            and re.sub(r"[\s\-./]", "", token.lower()) not in english
            and not (token.isupper() and token.lower() in initials)
        ]
        if missing:
            problems.append(Finding(
                f"a clause has no counterpart ({', '.join(missing)} is not in the English): "
                f"{clause.strip()}", clause.strip()
            ))  # fmt: skip
    return problems


def _initials(en: str) -> str:
    """The initials of the English's capitalised word runs ("British Medical Association"
    -> "bma"), so a spelled-out acronym counts as its counterpart."""
    runs: list[str] = []
    current = ""
    for word in re.findall(r"[A-Za-z&]+", en):
        if word[0].isupper():
            current += word[0].lower()
        elif word.lower() not in _FUNCTION_WORDS:
            runs.append(current)
            current = ""
    runs.append(current)
    return " ".join(runs)


# --- glossary terms ---------------------------------------------------------------------

# What a correct translation may change in a term's English without a listed variant:
# capitalisation, hyphens and dashes (as spaces), -isation for -ization, a leading article,
# and a regular plural of the last word. A rendering's parenthesised aside ("gross domestic
# product (GDP)") is left out, and is itself accepted ("GDP"). In a variant, "…" stands
# for one to four words (a name: "secretary of the … municipal committee").
_GAP = "…"


def _normal(text: str) -> str:
    """Lower case, hyphens as spaces, -isation as -ization, no "(CPC)"-style asides."""
    text = re.sub(r"\s*\([^)]*\)", "", text.lower())
    text = re.sub(r"isation", "ization", text.replace("’", "'"))
    return re.sub(r"[\s\-–—]+", " ", text).strip()


def _core(rendering: str) -> str:
    """What must appear: the rendering without a leading article ("the Two Upholds")."""
    return re.sub(r"^(?:the|a|an) ", "", _normal(rendering))


def _forms(rendering: str) -> list[str]:
    """The cores a rendering stands for: itself, and its parenthesised aside if it has one."""
    forms = [_core(rendering.replace("...", _GAP))]
    forms += [_core(aside) for aside in re.findall(r"\(([^)]+)\)", rendering)]
    return [form for form in forms if form.strip(f" {_GAP}")]


@functools.lru_cache(maxsize=4096)
def _form_re(form: str) -> re.Pattern[str]:
    words = form.split(" ")
    parts = []
    for word in words:
        if word == _GAP:
            parts.append(r"(?:[\w'’]+ ){0,3}[\w'’]+")
            continue
        piece = re.escape(word)
        if re.search(r"[a-z]$", word):  # a regular plural ("members of", "policies")
            plural = r"(?:ies|y)" if word.endswith("y") else "(?:e?s)?"
            piece = re.escape(word[:-1]) + plural if word.endswith("y") else piece + plural
        parts.append(piece)
    return re.compile(r"(?<![\w])" + " ".join(parts) + r"(?![\w])")


def term_forms(forms: str | Sequence[str]) -> tuple[str, ...]:
    """A term's accepted English: one rendering, or the standard one and its variants."""
    return (forms,) if isinstance(forms, str) else tuple(forms)


def term_problems(
    zh: str, en: str, terms: Mapping[str, str] | Mapping[str, Sequence[str]]
) -> list[str]:
    """Glossary terms of the Chinese none of whose accepted English forms is in the English
    (`terms`: zh -> its standard English, or the standard English and its variants)."""
    return [finding.detail for finding in term_findings(zh, en, terms)]


def term_findings(
    zh: str, en: str, terms: Mapping[str, str] | Mapping[str, Sequence[str]]
) -> list[Finding]:
    """`term_problems`, each with the clause the term is in."""
    english = _normal(en)
    problems: list[Finding] = []
    taken = zh
    for term in sorted(terms, key=len, reverse=True):
        if term in taken:
            taken = taken.replace(term, "□" * len(term))  # 新质生产力 hides 生产力
            renderings = term_forms(terms[term])
            if not any(
                _form_re(form).search(english) for r in renderings for form in _forms(r)
            ):
                others = "".join(f" or {r!r}" for r in renderings[1:])
                problems.append(Finding(f"{term} should be {renderings[0]!r}{others}",
                                        clause_of(zh, term)))  # fmt: skip
    return problems
