"""Small facts about Chinese text shared by several stages (pure functions)."""

from __future__ import annotations

import re
from functools import lru_cache

# CJK Unified Ideographs, Extension A, compatibility ideographs, and the supplementary planes.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN_RE = re.compile(f"[{HAN}]")

# A sentence ends at one of these (either width), optionally followed by closing quotes
# or brackets.
SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’」』》）)】〕\"'"
ENDS_SENTENCE_RE = re.compile(f"[{SENTENCE_END}][{CLOSERS}]*$")
# Punctuation of either width and symbols: used to ask "is there anything but punctuation".
PUNCT_RE = re.compile(r"[\s\W_]+", re.UNICODE)


def is_han(ch: str) -> bool:
    return bool(HAN_RE.fullmatch(ch))


def han_count(text: str) -> int:
    return len(HAN_RE.findall(text))


def han_share(text: str) -> float:
    """Share of Han characters among all letters (Han + Latin + other scripts)."""
    letters = sum(1 for ch in text if ch.isalpha())
    return han_count(text) / letters if letters else 0.0


def ends_sentence(text: str) -> bool:
    return bool(ENDS_SENTENCE_RE.search(text))


def is_punctuation_only(text: str) -> bool:
    return not PUNCT_RE.sub("", text)


@lru_cache(maxsize=2)
def _converter(config: str):  # type: ignore[no-untyped-def]
    import opencc  # lazy: only needed when text is analysed

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return str(_converter("t2s").convert(text))


def is_traditional(text: str) -> bool:
    """True when converting to Simplified changes a noticeable share of the Han characters.

    Simplified text converts to itself almost everywhere; Traditional text changes on
    a large share of characters (about a quarter in press text).
    """
    han = han_count(text)
    if not han:
        return False
    simplified = to_simplified(text)
    changed = sum(1 for a, b in zip(text, simplified, strict=False) if a != b)
    return changed / han > 0.02


_CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def small_number(text: str) -> int | None:
    """Parse a small integer written in Arabic, full-width or Chinese numerals (< 100).

    Enough for dates and list numbering: 7, ７, 七, 十, 十二, 二十, 二十三, 〇 digits.
    """
    text = text.translate(_FULLWIDTH_DIGITS).strip()
    if text.isdigit():
        return int(text)
    if text and all(ch in _CN_DIGITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    if "十" in text and text.count("十") == 1:
        tens, _, ones = text.partition("十")
        if (tens == "" or tens in _CN_DIGITS) and (ones == "" or ones in _CN_DIGITS):
            return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return None


_NUM = r"[\d０-９〇零○一二两三四五六七八九十]"
DATE_RE = re.compile(
    rf"(?P<y>{_NUM}{{4}})\s*[年\-/.．]\s*(?P<m>{_NUM}{{1,3}})\s*[月\-/.．]\s*(?P<d>{_NUM}{{1,3}})\s*日?"
)


def parse_date(text: str) -> str | None:
    """The first full date (year, month, day) in `text` as ISO 8601, or None.

    Accepts 2024年5月7日, 2024-05-07, 2024/5/7, 2024.05.07 and 二〇二四年五月七日.
    """
    match = DATE_RE.search(text)
    if not match:
        return None
    year = small_number_digits(match["y"])
    month, day = small_number(match["m"]), small_number(match["d"])
    if year is None or month is None or day is None:
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1900 <= year <= 2100):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def small_number_digits(text: str) -> int | None:
    """A number written digit by digit (years): 2024, ２０２４, 二〇二四."""
    text = text.translate(_FULLWIDTH_DIGITS)
    if text.isdigit():
        return int(text)
    if all(ch in _CN_DIGITS for ch in text):
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    return None
