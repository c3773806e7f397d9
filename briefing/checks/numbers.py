"""`number_mismatch`: every number the Chinese states must be in the English. Pure.

What the Chinese must have in the English (`expected_numbers`):
- every number written with a digit: 7万 (70,000), 1.2亿元 (120 million), 3—5万 (both
  ends), 5% (a percentage), 3个百分点 (percentage points, not percent), 2025年 (2025),
  codes and hotlines (12345);
- dates: 5月7日 is May 7 or 7 May; 1—4月 is January–April (or "the first four months");
- a Chinese numeral of two or more with a classifier, measure, 大, 届 or 次 after it
  (三千二百万, 六大工程 -> six major projects, 八届十二次 -> 12th … of the 8th, 第二);
  百分之五 is 5 percent; 三分之二 is two thirds;
- “十五五” (the 15th Five-Year Plan) and its siblings.

What is not checked, because a correct translation may leave it implicit: 一 (a, an, one);
numerals that are only magnitude characters (千家万户, 百年, 上万); neighbouring digits
that mean "three or four" (三四个); 几十, 数十; and idioms with numerals (`IDIOMS`).

What the English may write for a number (`english_numbers`): digits (70,000; 4.6), digits
or words with a scale (70 thousand, 1.2 billion, one hundred million), number words and
ordinals (six, twelfth, 15th), month names, "twice", "both", "half", "decade", "century".
A number the English writes in digits that the Chinese has nowhere is flagged too (an
invented year, a mis-scaled amount).

Linear in the length of the pair: every pattern that starts at a number starts only at
the first character of a run of digits or numerals, the text is masked once per pattern,
the words around a count are read within `WINDOW` characters, and the English numbers are
indexed by value, so each number of the Chinese is looked up in logarithmic time. Runs of
digits too long to be quantities (`briefing.numbers.MAX_DIGITS`) are no numbers here either.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from briefing.checks.base import CLAUSE_END_RE, Finding, clause_of
from briefing.numbers import (
    CLASSIFIERS,
    CN_DIGITS,
    LIMIT,
    MAGNITUDES,
    MEASURES,
    Quantity,
    arabic_value,
    chinese_integer,
    core_value,
    mask_idioms,
    normalise,
)

_DIGIT_CHARS = "零〇○一二两三四五六七八九"
_CN = f"[{_DIGIT_CHARS}十百千]+"
_NUM = rf"(?:\d+(?:\.\d+)?|{_CN})"
# _NUM where nothing anchors its start: only at the first character of a run, so that a
# long run is tried once, not once per character (which made the check quadratic).
_RUN_NUM = rf"(?:(?<!\d)\d+(?:\.\d+)?|(?<![{_DIGIT_CHARS}十百千]){_CN})"
# How far before and after a count its list is looked for (`_enumerated`).
WINDOW = 300
_RANGE = r"\s*[—–\-~～至到]{1,2}\s*"

_FIVE_YEAR_RE = re.compile(
    rf"(?<![{_DIGIT_CHARS}十百千万亿\d])十([一二三四五六七八九])五(?![{_DIGIT_CHARS}十百千万亿个])"
)
_YEAR_RE = re.compile(rf"(\d{{4}}|[{_DIGIT_CHARS}]{{4}})(?=年)")
_DATE_RE = re.compile(
    rf"(?<![\d{_DIGIT_CHARS}十])({_NUM})(?:{_RANGE}({_NUM}))?月份?(?:({_NUM})[日号])?"
)
_DAY_RE = re.compile(rf"(?<![\d{_DIGIT_CHARS}十个月年])(\d{{1,2}})日")
_PERCENT_WORD_RE = re.compile(rf"百分之({_NUM}(?:点[{_DIGIT_CHARS}]+)?)")
_FRACTION_RE = re.compile(rf"({_RUN_NUM})分之({_NUM})")
_TIME_RE = re.compile(r"(?<!\d)(\d{1,2})[:：](\d{2})(?!\d)")
_ORDINAL_RE = re.compile(rf"第({_CN})")
# What may follow a Chinese numeral for it to count (beyond the classifiers and measures).
_COUNTERS = (*CLASSIFIERS, *MEASURES, "届", "轮", "季度", "级", "大", "方面", "周年", "代",
             "星级", "批次", "阶段")  # fmt: skip
_VAGUE_BEFORE = ("几", "数", "上", "成", "好")
# 好 is "quite" (好两天) except after a verb it completes: 打好三大攻坚战, 做好两个维护
_DONE_WELL = "打抓做办用守管建走讲干搞落开备把写配服选带当护看育种养学答"

_LIST_SEPARATOR_RE = re.compile(r"、|以及|和|与|及")
_DECADE_RE = re.compile(r"(?:(\d{2}|[一二]十一?|十九|上|本)世纪)?(\d0|[一二三四五六七八九]十)年代")
_CENTURIES = {"19": 1800.0, "十九": 1800.0, "20": 1900.0, "二十": 1900.0, "上": 1900.0,
              "21": 2000.0, "二十一": 2000.0, "本": 2000.0}  # fmt: skip
_COLLOQUIAL_RE = re.compile(rf"({_RUN_NUM})个(万亿|亿)(?!元?以上)")  # not 20个亿元以上项目
_TENTHS_RE = re.compile(r"([一二两三四五六七八九])成")
_ANY_NUMBER_RE = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?|[{_DIGIT_CHARS}十百千万亿]+")


@dataclass(frozen=True)
class Need:
    """One number the English must contain."""

    value: float
    unit: str | None = None  # "%" or "pp" (percentage points); None for anything else
    month: bool = False  # a month: its name or its number will do
    five_year_plan: bool = False  # "15th Five-Year Plan"
    year: bool = False  # a year: FY18 or '18 will do for 2018
    equivalents: tuple[float, ...] = ()  # other values that render it: 70年代 is 1970 or 70
    alternatives: tuple[str, ...] = ()  # words that render it too: 第二天 "the next day"


@dataclass(frozen=True)
class Expected:
    """A number expression of the Chinese and what the English needs for it."""

    text: str
    needs: tuple[Need, ...]


@dataclass(frozen=True)
class EnglishNumber:
    value: float
    unit: str | None  # "%", "pp" or None
    tolerance: float  # half a unit of the last digit written before a scale word
    standalone: bool  # written in digits, not glued to letters (G60, COVID-19)
    text: str


def _value(text: str) -> float | None:
    text = normalise(text)
    if "点" in text or re.fullmatch(r"\d+(?:\.\d+)?", text):
        return core_value(text)
    if all(ch in _DIGIT_CHARS for ch in text) and len(text) != 4:
        # 三四 is "three or four", not 34; only years are read digit by digit
        return float(CN_DIGITS[text]) if len(text) == 1 else None
    integer = chinese_integer(text)
    return None if integer is None else float(integer)


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with each (start, end) span, in order and not overlapping, blanked out."""
    pieces: list[str] = []
    position = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append("□" * (end - start))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _quantity(value: float | None) -> float | None:
    return value if value is not None and abs(value) < LIMIT else None


def expected_numbers(zh: str) -> list[Expected]:
    """The numbers of a Chinese text that its English must contain, left to right."""
    from briefing.numbers import find_quantities

    text = normalise(zh)
    text = mask_idioms(text)
    found: list[tuple[int, Expected]] = []

    def take(pattern: re.Pattern[str], needs_of: Callable[[re.Match[str]], list[Need]]) -> None:
        """Every match of `pattern` with the needs it makes, then blanked out (all at once)."""
        nonlocal text
        matches = list(pattern.finditer(text))
        for match in matches:
            needs = needs_of(match)
            if needs:
                shown = zh[match.start() : match.end()]
                found.append((match.start(), Expected(shown, tuple(needs))))
        text = _mask(text, (match.span() for match in matches))

    def decade(match: re.Match[str]) -> list[Need]:  # 20世纪70年代: the 1970s
        years = _value(match[2]) or 0.0
        century = _CENTURIES.get(match[1] or "", 1900.0)
        others = (years,) if match[1] else (years, 2000 + years)  # the 90s
        return [Need(century + years, equivalents=others)]

    def colloquial(match: re.Match[str]) -> list[Need]:  # 4个亿: 400 million
        value = _value(match[1])
        value = _quantity(value * MAGNITUDES[match[2]]) if value is not None else None
        return [Need(value)] if value is not None else []

    def percent(match: re.Match[str]) -> list[Need]:
        value = _value(match[1])
        return [Need(value, "%")] if value is not None else []

    def fraction(match: re.Match[str]) -> list[Need]:
        values = [_value(match[2]), _value(match[1])]  # numerator, denominator
        return [Need(v) for v in values if v is not None and v > 1]

    def year_of(match: re.Match[str]) -> list[Need]:
        value = _value(match[1]) if not match[1].isdigit() else float(match[1])
        return [Need(value, year=True)] if value is not None else []

    def date(match: re.Match[str]) -> list[Need]:  # 5月7日, 1—4月, 5月份
        months = [_value(m) for m in (match[1], match[2]) if m]
        needs = [Need(m, month=True) for m in months if m is not None and 1 <= m <= 12]
        day = _value(match[3]) if match[3] else None
        return needs + ([Need(day)] if day is not None else [])

    def ordinal(match: re.Match[str]) -> list[Need]:
        value = _value(match[1])
        # 第二天, 第二年: "the next day", "the following year"
        nxt = ("next", "following") if text[match.end() : match.end() + 1] in "天日年" else ()
        return [Need(value, alternatives=nxt)] if value is not None and value >= 2 else []

    take(_DECADE_RE, decade)
    take(_COLLOQUIAL_RE, colloquial)
    take(_FIVE_YEAR_RE, lambda m: [Need(10 + CN_DIGITS[m[1]], five_year_plan=True)])
    take(_PERCENT_WORD_RE, percent)
    take(_FRACTION_RE, fraction)
    take(_TIME_RE, lambda m: [Need(float(m[1])), Need(float(m[2]))])
    take(_YEAR_RE, year_of)
    take(_DATE_RE, date)
    take(_DAY_RE, lambda m: [Need(float(m[1]))])  # 7日 on its own
    take(_ORDINAL_RE, ordinal)
    for q in find_quantities(text):
        if "□" in q.text:
            continue
        after = text[q.end : q.end + 2]
        before = text[max(q.start - 1, 0) : q.start]
        before2 = text[max(q.start - 2, 0) : max(q.start - 1, 0)]
        unit = {"%": "%", "百分点": "pp"}.get(q.unit or "")
        if q.has_digit:
            year = q.unit in (None, "年") and q.value.is_integer() and 1900 <= q.value <= 2100
            needs = [Need(q.value, unit, year=year)]
            if q.upper is not None:
                needs.append(Need(q.upper, unit))
        elif _counted_numeral(q.text, q.unit, after, before, before2) and not _enumerated(
            text, q
        ):
            needs = [Need(v, unit) for v in (q.value, q.upper) if v is not None and v >= 2]
        else:
            continue
        end = q.end
        if not q.has_digit and q.unit is None:  # show what made it count: 六大, 八届
            end += next((len(c) for c in _COUNTERS if after.startswith(c)), 0)
        found.append((q.start, Expected(zh[q.start : end], tuple(needs))))
    found.sort(key=lambda item: item[0])
    return [expected for _, expected in found]


def _counted_numeral(
    text: str, unit: str | None, after: str, before: str, before2: str = ""
) -> bool:
    """A Chinese numeral a correct translation must render (六大工程, 三千二百万, 两个)."""
    core = re.search(rf"[{_DIGIT_CHARS}十百千万亿点]+", text)
    vague = before in _VAGUE_BEFORE and not (before == "好" and before2 in _DONE_WELL)
    if core is None or vague or after[:1] in ("几", "数"):
        return False
    numeral = core.group(0)
    if not any(ch in _DIGIT_CHARS or ch == "十" for ch in numeral):
        return False  # 千家, 万户, 百年: magnitude characters alone are not counts
    if re.fullmatch(f"[{_DIGIT_CHARS}]{{2,3}}", numeral):
        return False  # 三四个: "three or four"
    if numeral in ("两", "二") and unit == "人":
        return False  # 两人: "the two", "both", "they"
    return unit is not None or after.startswith(_COUNTERS)


def _enumerated(text: str, q: Quantity) -> bool:
    """Whether a count only sums up a list it stands beside, which the English may render
    by the list alone: 平衡木与自由体操两个项目; 前五位分别是：A、B、C、D和E. The list is
    looked for within `WINDOW` characters of the count."""
    clause = re.split(r"[，。；！？：,;:!?]", text[max(q.start - WINDOW, 0) : q.start])[-1]
    items = [item for item in _LIST_SEPARATOR_RE.split(clause) if item.strip()]
    if len(items) >= max(q.value, 2) and not clause.rstrip().endswith("等"):
        return True
    rest = text[q.end : q.end + WINDOW]
    follows = re.match(r"\S{0,4}?(?:分别)?(?:是|为|包括)?[：:]([^。；;]*)", rest)
    if follows:
        listed = [item for item in re.split(r"[、，,]|和|与|及", follows[1]) if item.strip()]
        return len(listed) >= q.value
    return False


def source_values(zh: str) -> set[float]:
    """Every value the Chinese mentions in any form, checked or not (for the reverse check)."""
    text = normalise(zh)
    values: set[float] = {1.0}  # "first", "1st", "No. 1": a one is never invented
    for match in _ANY_NUMBER_RE.finditer(text):
        token = match.group(0)
        for candidate in (token, token.rstrip("万亿")):
            value = core_value(candidate) if candidate else None
            if value is not None:
                values.add(value)
        if re.fullmatch(f"[{_DIGIT_CHARS}]+", token):
            values.update(float(CN_DIGITS[ch]) for ch in token)
            if len(token) == 4:
                values.add(float("".join(str(CN_DIGITS[ch]) for ch in token)))
        if token.isdigit() or re.fullmatch(r"[\d,.]+", token):
            exact = arabic_value(token)
            if exact is not None:
                values.add(float(exact))
    for match in _TENTHS_RE.finditer(text):  # 六成: 60 percent
        values.add(10.0 * CN_DIGITS[match[1]])
    for word, magnitude in MAGNITUDES.items():
        if word in text:  # 亿元以上: "over 100 million yuan"; 千亿: "hundred billion"
            values.add(float(magnitude))
            values.update(float(magnitude * m) for w, m in MAGNITUDES.items() if w + word in text)
    for expected in expected_numbers(zh):
        values.update(need.value for need in expected.needs)
        values.update(need.value % 100 for need in expected.needs if need.year)
        if any(need.five_year_plan for need in expected.needs):
            values.add(5.0)
    from briefing.numbers import find_quantities

    for q in find_quantities(text):
        values.add(q.value)
        if q.upper is not None:
            values.add(q.upper)
    return values


# --- English -------------------------------------------------------------------------

_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
          "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
          "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
          "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
             "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
             "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
             "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
             "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
             "firstly": 1, "secondly": 2, "thirdly": 3, "fourthly": 4, "fifthly": 5,
             "sixthly": 6, "seventhly": 7, "eighthly": 8, "ninthly": 9, "tenthly": 10}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
# £11bn, $3.2m, 5 mln: abbreviations after digits ("m" and "k" may also be metres or a
# unit, so those numbers are read both ways).
_ABBREVIATED = {"bn": 1e9, "bln": 1e9, "mn": 1e6, "mln": 1e6, "tn": 1e12, "trn": 1e12, "m": 1e6,
                "k": 1e3}  # fmt: skip
_AMBIGUOUS = ("m", "k")
_SCALE_ABBREVIATIONS = "|".join(_ABBREVIATED)
# Words a correct translation may use instead of a numeral.
IMPLIED = {"twice": 2, "double": 2, "doubled": 2, "both": 2, "pair": 2, "dual": 2, "twin": 2,
           "half": 2, "halves": 2, "triple": 3, "tripled": 3, "thrice": 3, "threefold": 3,
           "fourfold": 4, "decade": 10, "decades": 10, "century": 100, "centennial": 100,
           "thirds": 3, "quarter": 4, "quarters": 4, "fourths": 4, "fifths": 5, "duo": 2,
           "trio": 3, "quartet": 4, "quintet": 5, "primary": 1, "secondary": 2, "tertiary": 3,
           "bilateral": 2, "trilateral": 3, "seconds": 2, "sevens": 7, "fifteens": 15,
           "biennial": 2, "triennial": 3, "bimonthly": 2}  # fmt: skip
MONTHS = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
          "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
          "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
          "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}  # fmt: skip

_WORD = "|".join(sorted([*_UNITS, *_ORDINALS, *_SCALES], key=len, reverse=True))
_SCALE = "|".join(_SCALES)
_NUMBER_RE = re.compile(
    rf"(?P<digits>(?<!\d)(?<!\d[.,:])\d+(?:,\d{{3}})*(?:\.\d+)?)(?P<ordinal>st|nd|rd|th)?"
    rf"(?P<scale>(?:(?:[\s-]*(?:{_SCALE})|\s*(?:{_SCALE_ABBREVIATIONS}))\b)+)?"
    rf"|\b(?P<words>(?:{_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_WORD}))*)\b",
    re.IGNORECASE,
)
_UNIT_RE = re.compile(
    r"\s*(?:(?P<pct>%|percent\b|per\s*cent\b|pc\b)|(?P<pp>percentage[\s-]+points?\b|points?\b))",
    re.IGNORECASE,
)
# "30-50 thousand", "5 to 6 percent": the first number borrows the second's scale and unit.
_RANGE_TAIL_RE = re.compile(
    rf"\s*(?:-|–|—|~|to)\s*\d+(?:,\d{{3}})*(?:\.\d+)?(?P<scale>(?:\s+(?:{_SCALE})\b)+)?",
    re.IGNORECASE,
)
_MONTH_RE = re.compile(
    r"\b(?P<name>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b(?P<dot>\.)?"
)
_FIVE_YEAR_PLAN_RE = re.compile(r"five[\s-]+year", re.IGNORECASE)
# 9:30, 1:57.79, 10.42pm: read as their parts too (9点30分, 1分57秒79, 10点42分)
_CLOCK_RE = re.compile(
    r"(?<![\d.])\d{1,2}(?::\d{1,2}(?:[:.]\d+)?|\.\d{2}(?=\s*(?:[ap]\.?m\b)))(?!\d)",
    re.IGNORECASE,
)
_DECADES_RE = re.compile(r"[\s-]+decades?\b", re.IGNORECASE)
_MAY_LOOK = 40
_MAY_AFTER_RE = re.compile(r"\s{0,40}\d")
_MAY_BEFORE_RE = re.compile(r"(?:\d|\b(?:in|of|since|by|until|from|to|and|early|late|mid))$")


def english_numbers(en: str) -> list[EnglishNumber]:
    """Every number the English states, in digits or words, left to right."""
    found: list[EnglishNumber] = []
    for match in _NUMBER_RE.finditer(en):
        values: list[tuple[float, float]]  # (value, tolerance)
        standalone = False
        if match["digits"]:
            exact = arabic_value(match["digits"])
            if exact is None:
                continue  # a run of digits too long to be a number
            number = float(exact)
            decimals = len(match["digits"].partition(".")[2])
            scale_words = re.findall(r"[a-z]+", (match["scale"] or "").lower())
            tail = _RANGE_TAIL_RE.match(en, match.end())
            if not scale_words and tail and tail["scale"] and number < 1000:
                scale_words = re.findall(r"[a-z]+", tail["scale"].lower())
            scale = math.prod(_SCALES.get(w) or _ABBREVIATED[w] for w in scale_words)
            tolerance = 0.5 * 10.0**-decimals * scale if scale_words else 0.0
            values = [(number * scale, tolerance)]
            if any(w in _AMBIGUOUS for w in scale_words):
                values.append((number, 0.0))  # 100m: 100 metres
            ambiguous = any(w in _AMBIGUOUS for w in scale_words)
            standalone = not ambiguous and not _glued(en, match.start(), match.end(), True)
            if not scale_words:
                standalone = not _glued(en, match.start(), match.end())
        else:
            values = [(v, 0.0) for v in _words_to_numbers(match["words"])]
        unit_match = _UNIT_RE.match(en, match.end())
        if unit_match is None:
            tail = _RANGE_TAIL_RE.match(en, match.end())
            if tail:
                unit_match = _UNIT_RE.match(en, tail.end())
        unit = None
        if unit_match:
            unit = "%" if unit_match["pct"] else "pp"
        for value, tolerance in values:
            if _quantity(value * 10) is None:  # "hundred hundred …", "0 million million …"
                continue
            found.append(EnglishNumber(value, unit, tolerance, standalone, match.group(0)))
            if _DECADES_RE.match(en, match.end()):  # two decades: 二十年
                found.append(EnglishNumber(value * 10, None, 0.0, False, match.group(0)))
    for match in _CLOCK_RE.finditer(en):  # 1:57.79 is also 57 and 79 (1分57秒79)
        for part in match.group(0).replace(":", ".").split("."):
            exact = arabic_value(part)
            if exact is not None:
                found.append(EnglishNumber(float(exact), None, 0.0, False, match.group(0)))
    return found


def _glued(en: str, start: int, end: int, scaled: bool = False) -> bool:
    """Digits that are part of a name or code (G60, 5G, COVID-19, A4, FY18), a clock time
    or score (9:00, 3:51.6), or a ratio."""
    before = en[max(start - 2, 0) : start]
    if re.search(r"(?:[A-Za-z]-?|\d:)$", before) or re.match(r":\d", en[end : end + 2]):
        return True
    return not scaled and en[end : end + 1].isalpha()


def _words_to_numbers(words: str) -> list[float]:
    """ "one hundred and twenty thousand" -> [120000]; "twenty-first" -> [21];
    "six seven" -> [6, 7]."""
    parts = [w for w in re.split(r"[\s-]+", words.lower()) if w and w != "and"]
    numbers: list[float] = []
    total = current = 0.0
    previous: str | None = None
    started = False
    for word in parts:
        joins = previous is None or (
            previous in _SCALES
            or (previous in _UNITS and _UNITS[previous] >= 20 and word in _UNITS | _ORDINALS
                and 0 < (_UNITS.get(word) or _ORDINALS.get(word, 0)) < 10)
            or word in _SCALES
        )  # fmt: skip
        if not joins and started:
            numbers.append(total + current)
            total = current = 0.0
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _ORDINALS:
            current += _ORDINALS[word]
        elif word == "hundred":
            current = (current or 1.0) * 100
        else:
            total += (current or 1) * _SCALES[word]
            current = 0.0
        started = True
        previous = word
    if started:
        numbers.append(total + current)
    return numbers


def english_months(en: str) -> set[int]:
    """Months the English names. "May" counts only capitalised and beside a number or
    after in/of/since/by/until (so the modal verb "may" is not a month)."""
    months: set[int] = set()
    for match in _MONTH_RE.finditer(en):
        name = match["name"]
        if name == "May":
            # the words just before and after it (a bounded look: many Mays stay linear)
            before = en[max(match.start() - _MAY_LOOK, 0) : match.start()].rstrip().lower()
            if not (_MAY_AFTER_RE.match(en, match.end()) or _MAY_BEFORE_RE.search(before)):
                continue
        elif len(name) <= 4 and name.lower() not in MONTHS:
            continue
        months.add(MONTHS[name.lower()])
    return months


# --- the check -----------------------------------------------------------------------


def _radius(number: EnglishNumber) -> float:
    """How far a value may be from what the English wrote and still be it: half a unit of
    the last digit before a scale word ("1.2 billion"), else a relative 1e-9."""
    return max(number.tolerance, 1e-9 * max(abs(number.value), 1.0))


class _Stabbing:
    """Intervals [lo, hi]; whether any holds a point, in logarithmic time."""

    def __init__(self, intervals: Iterable[tuple[float, float]]) -> None:
        ordered = sorted(intervals)
        self._los = [lo for lo, _ in ordered]
        self._reach: list[float] = []  # the highest hi among the first k intervals
        for _, hi in ordered:
            self._reach.append(max(hi, self._reach[-1]) if self._reach else hi)

    def holds(self, point: float) -> bool:
        k = bisect_right(self._los, point)
        return k > 0 and self._reach[k - 1] >= point


class _English:
    """What the English offers for the numbers of the Chinese, read once per pair."""

    def __init__(self, en: str) -> None:
        self.numbers = english_numbers(en)
        self.words = set(re.findall(r"[a-z]+", en.lower()))
        self.months = english_months(en)
        self.five_year_plan = bool(_FIVE_YEAR_PLAN_RE.search(en))
        self.values = {n.value for n in self.numbers}
        self.implied = {float(IMPLIED[w]) for w in self.words if w in IMPLIED}
        self._by_unit = {
            unit: _Stabbing(
                (n.value - _radius(n), n.value + _radius(n)) for n in self.numbers if n.unit == unit
            )
            for unit in ("%", "pp", None)
        }

    def units(self, targets: Iterable[float]) -> set[str | None]:
        """The units of the English numbers that render any of `targets`."""
        return {
            unit
            for unit, index in self._by_unit.items()
            if any(index.holds(target) for target in targets)
        }


_ALL_WORDS = {"all", "every", "each", "fully", "full", "entire", "entirely", "whole", "universal"}


def _satisfied(need: Need, english: _English) -> str | None:
    """None when the English renders `need`; otherwise why not."""
    units = english.units((need.value, *need.equivalents))
    if need.month:
        if need.value in english.months or units:
            return None
        return "missing"
    if need.five_year_plan:
        return None if units and english.five_year_plan else "missing"
    if need.unit == "pp":
        if units & {"pp", None}:
            return None
        return "gives percent, not percentage points" if units else "missing"
    if need.unit == "%":
        if units & {"%", None}:
            return None
        if need.value == 100 and english.words & _ALL_WORDS:
            return None  # 覆盖率达到100%: "reach every school"
        return "gives percentage points, not percent" if units else "missing"
    if units or english.words & set(need.alternatives):
        return None
    if need.year and need.value % 100 in english.values:
        return None  # FY18, fiscal year 17
    if need.value in english.implied:
        return None
    if need.value == 1 and english.words & {"a", "an", "one", "single", "once", "first"}:
        return None
    return "missing"


def _invented(numbers: Iterable[EnglishNumber], known: Iterable[float]) -> list[EnglishNumber]:
    """The standalone numbers of the English that are none of the `known` values."""
    values = sorted(known)
    invented = []
    for number in numbers:
        if not number.standalone:
            continue
        k = bisect_left(values, number.value - _radius(number))
        if k == len(values) or values[k] > number.value + _radius(number):
            invented.append(number)
    return invented


def _describe(value: float, unit: str | None) -> str:
    from briefing.numbers import format_number

    shown = format_number(value)
    return shown + {"%": "%", "pp": " percentage points"}.get(unit or "", "")


def _problem(text: str, need: Need, why: str) -> str:
    if why != "missing":
        return f"{text}: the English {why}"
    if need.month:
        what = f"month {need.value:g}"
    elif need.five_year_plan:
        what = f"the {need.value:g}th Five-Year Plan"
    elif need.year or need.equivalents:
        what = f"{need.value:g}" + ("s" if need.equivalents else "")
    else:
        what = _describe(need.value, need.unit)
    digits = re.sub(r"[^0-9]", "", normalise(text))
    if re.sub(r"[^0-9]", "", what) == digits and "." not in text:
        what = ""  # 1200公里 needs no "(1,200)"
    return f"{text}{f' ({what})' if what else ''} is not in the English"


def unrendered_clauses(zh: str, en: str) -> list[str]:
    """Clauses of a Chinese text of several clauses none of whose numbers is in the English,
    when the English has no number of its own that could be a mistranslation of them: the
    sign of a clause dropped rather than a number garbled."""
    clauses = [c for c in CLAUSE_END_RE.split(zh) if c.strip()]
    if len(clauses) < 2:
        return []
    english = _English(en)
    if _invented(english.numbers, source_values(zh)):
        return []
    dropped = []
    for clause in clauses:
        needs = [need for expected in expected_numbers(clause) for need in expected.needs]
        if needs and all(_satisfied(need, english) is not None for need in needs):
            dropped.append(clause.strip())
    return dropped if len(dropped) < len(clauses) else []


def rendered_numbers(zh: str, en: str) -> int:
    """How many of the numbers `zh` states the English has."""
    english = _English(en)
    needs = [need for expected in expected_numbers(zh) for need in expected.needs]
    return sum(1 for need in needs if _satisfied(need, english) is None)


def number_problems(zh: str, en: str) -> list[str]:
    """What is wrong with the numbers of `en` as a translation of `zh` (empty when nothing)."""
    return [finding.detail for finding in number_findings(zh, en)]


def number_findings(zh: str, en: str) -> list[Finding]:
    """`number_problems`, each with the clause of the Chinese number it is about."""
    english = _English(en)
    problems: list[Finding] = []
    for expected in expected_numbers(zh):
        for need in expected.needs:
            why = _satisfied(need, english)
            if why is None:
                continue
            problems.append(Finding(_problem(expected.text, need, why),
                                    clause_of(zh, expected.text)))  # fmt: skip
    for number in _invented(english.numbers, source_values(zh)):
        problems.append(Finding(f"the English has {number.text.strip()}, which is not in the "
                                f"Chinese"))  # fmt: skip
    return problems
