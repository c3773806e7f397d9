"""What the model reads: numbers it copies, and glossary terms it cannot garble. Pure.

Numbers: MarianMT copies digits reliably but mis-scales 万 and 亿, so number expressions
with a magnitude are rewritten before translation: 7万人 -> 70,000人, 4.6万 -> 46,000,
1.2亿元 -> 120 million yuan, 3—5万 -> 30,000—50,000, 三千二百万 -> 32,000,000. The
checks still read the original Chinese, so they compare the English with what the report
says.

Terms: each glossary term (and each person named in the report) is replaced by a
placeholder of capital letters (``XZA``, ``XZB``…), which the model copies like any Latin
token; `restore` puts the standard English in its place. A placeholder the model drops,
repeats or garbles makes `restore` fail, and the caller translates that sentence again
without protection: a placeholder never reaches the output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from string import ascii_uppercase

from briefing.numbers import core_value, format_number, mask_idioms, normalise, scaled_value

_DIGITS = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN = "[一二两三四五六七八九十百千零〇]"
_CN_NUMERAL = rf"{_CN}+(?:(?:万亿|[万亿]){_CN}*)+"  # 三千二百万, 五万五千, 十一万一千
_RANGE = r"\s*[—–\-~～至到]\s*"
_NUMBER_RE = re.compile(
    rf"(?<![\d.A-Za-z])(?<!\d,)(?:(?P<low>{_DIGITS}){_RANGE})?(?P<digits>{_DIGITS})(?P<mag>万亿|亿|万)"
    rf"|(?P<cn>(?<![{_CN[1:-1]}万亿]){_CN_NUMERAL})"
)
_YUAN_RE = re.compile(r"\s*元")


@dataclass(frozen=True)
class Rewrite:
    original: str
    replacement: str


def normalise_numbers(text: str) -> tuple[str, tuple[Rewrite, ...]]:
    """The text with magnitude numbers written out, and what was rewritten."""
    masked = normalise(text)  # same length: full-width digits, 萬 and 億 read as 万 and 亿
    masked = mask_idioms(masked)
    out: list[str] = []
    rewrites: list[Rewrite] = []
    position = 0
    for match in _NUMBER_RE.finditer(masked):
        if match["digits"]:
            ends = [match["low"], match["digits"]] if match["low"] else [match["digits"]]
            values = [scaled_value(digits, match["mag"]) for digits in ends]
            if None in values:
                continue  # too long to be a quantity: left as written
            replacement = "—".join(format_number(v) for v in values if v is not None)
        else:
            numeral = match["cn"]  # from the normalised copy, so 萬/億 read as 万/亿
            if not re.search("[一二两三四五六七八九]", numeral):
                continue  # 千万 ("by all means"), 亿万: not quantities
            value = core_value(numeral)
            if value is None:
                continue
            replacement = format_number(value)
        end = match.end()
        yuan = _YUAN_RE.match(masked, end)
        if yuan:
            replacement += " yuan"
            end = yuan.end()
        out.append(text[position : match.start()])
        out.append(replacement)
        rewrites.append(Rewrite(text[match.start() : end], replacement))
        position = end
    out.append(text[position:])
    return "".join(out), tuple(rewrites)


# --- placeholders ------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    token: str  # XZA
    zh: str
    en: str


@dataclass(frozen=True)
class Protected:
    text: str  # what the model reads
    slots: tuple[Slot, ...]


def placeholder(index: int) -> str:
    """XZA, XZB, … XZZ, XZAA, XZAB…: capitals only (no digits for the number check to
    read), starting with a pair no Chinese report writes."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = ascii_uppercase[rest] + letters
    return "XZ" + letters


def protect(text: str, terms: Mapping[str, str]) -> Protected:
    """Replace each occurrence of a term (longest first) with its own placeholder."""
    slots: list[Slot] = []
    pieces: list[tuple[str, Slot | None]] = [(text, None)]
    for zh in sorted(terms, key=len, reverse=True):
        if zh not in text:
            continue
        new: list[tuple[str, Slot | None]] = []
        for piece, slot in pieces:
            if slot is not None or zh not in piece:
                new.append((piece, slot))
                continue
            parts = piece.split(zh)
            for k, part in enumerate(parts):
                if part:
                    new.append((part, None))
                if k < len(parts) - 1:
                    made = Slot(placeholder(len(slots)), zh, terms[zh])
                    slots.append(made)
                    new.append((made.token, made))
        pieces = new
    # number the placeholders in reading order; a space around each keeps the model
    # from gluing it to a neighbour
    ordered: list[Slot] = []
    out: list[str] = []
    for piece, slot in pieces:
        if slot is None:
            out.append(piece)
            continue
        ordered.append(Slot(placeholder(len(ordered)), slot.zh, slot.en))
        out.append(f" {ordered[-1].token} ")
    return Protected(re.sub(r" {2,}", " ", "".join(out)).strip(), tuple(ordered))


_TOKEN_RE = re.compile(r"XZ[A-Z]+")


def restore(en: str, slots: tuple[Slot, ...]) -> tuple[str, list[str]]:
    """The English with each placeholder replaced by its term's English, and what went
    wrong (a placeholder dropped, repeated, garbled or invented); when anything did, the
    English must not be used."""
    problems: list[str] = []
    found = _TOKEN_RE.findall(en)
    for slot in slots:
        count = found.count(slot.token)
        if count == 0:
            problems.append(f"the model dropped or garbled the placeholder for {slot.zh}")
        elif count > 1:
            problems.append(f"the model repeated the placeholder for {slot.zh} {count} times")
    known = {slot.token for slot in slots}
    for token in sorted(set(found) - known):
        problems.append(f"the model wrote a placeholder that was not in the input ({token})")
    if re.search(r"\bXZ\b|XZ(?=[^A-Z])", en):
        problems.append("the model garbled a placeholder")
    if problems:
        return en, problems
    by_token = {slot.token: slot.en for slot in slots}
    restored = _TOKEN_RE.sub(lambda m: by_token[m.group(0)], en)
    return re.sub(r"\s+([,.;:!?])", r"\1", restored), []
