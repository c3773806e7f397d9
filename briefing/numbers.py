"""Number expressions in Chinese text: value, range, magnitude, unit and qualifier. Pure.

Handles Arabic (1,200.5), full-width (１２０), and Chinese numerals (三千二百万, 四点六万,
二〇二五), traditional magnitude characters (萬, 億), magnitude words after digits
(7万 -> 70000, 1.4万亿 -> 1400000000000), percentages (5%, 5％ -> 5 with unit %), 百分点,
ranges (3—5万 -> 30000–50000; 5%—6%), and the qualifiers that bound a value
(以上 at_least, 超 more_than, 左右 about, 以内 at_most, 低于 less_than…).

Bounded: a run of more than `MAX_DIGITS` digits (before or after the decimal point), a
Chinese numeral longer than any real one, or a value of `LIMIT` or more is not a quantity,
and is not read as one. Values are computed exactly (integers and `Decimal`) and only then
made floats, so 4.1万亿 is 4,100,000,000,000 and not 4,099,999,999,999.9995.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Context, Decimal

from briefing.model import Qualifier

_FULLWIDTH = str.maketrans("０１２３４５６７８９．％，", "0123456789.%,")
_TRADITIONAL = str.maketrans("萬億兩", "万亿两")

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}

# The largest quantities of the genre are trillions (13 digits) and the longest codes
# (card and account numbers) 19: a longer run of digits is not a quantity. It also keeps
# every value far inside float range and every digit string inside Python's int limit.
MAX_DIGITS = 20
LIMIT = 10**MAX_DIGITS
# A Chinese numeral is at most a few characters per power of ten (九千九百九十九万…).
MAX_NUMERAL_CHARS = 2 * MAX_DIGITS
MAGNITUDES = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000,
              "万亿": 1_000_000_000_000}  # fmt: skip

# Units, longest first. Classifiers count things; measures have a size (their magnitude
# stays part of the unit as written: 亿元, 万吨).
CLASSIFIERS = ("人次", "户次", "个百分点", "百分点", "人", "名", "个", "家", "项", "所", "户", "条",
               "座", "台", "辆", "套", "场", "次", "批", "件", "处", "栋", "间", "张", "篇",
               "部", "支", "棵", "株", "头", "只", "艘", "架", "列", "种", "类", "期", "宗",
               "班", "位", "倍", "例", "床", "块", "片", "层")  # fmt: skip
MEASURES = ("千瓦时", "万千瓦", "千瓦", "兆瓦", "吉瓦", "平方公里", "平方米", "立方米", "公里",
            "千米", "公顷", "标准箱", "标箱", "美元", "欧元", "元/千瓦时", "分/千瓦时", "元",
            "吨标准煤", "吨", "斤", "公斤", "亩", "米", "天", "小时", "分钟", "年", "岁",
            "微克/立方米", "毫克/立方米", "GW", "MW", "TEU")  # fmt: skip

_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
# 五万五千 and 十一亿二千万 are one number: 万/亿 inside a numeral when more digits follow
_CN_NUM = (
    r"[零〇○一二两三四五六七八九十百千]+(?:[万亿][零〇○一二两三四五六七八九十百千]+)*"
    r"(?:点[零〇一二三四五六七八九]+)?"
)
_CORE = rf"(?:{_ARABIC}|{_CN_NUM})(?:万亿|[万亿]|[十百千](?=[万亿]))?"

_UNIT_RE = "|".join(
    re.escape(u) for u in sorted(set(CLASSIFIERS + MEASURES + ("%",)), key=len, reverse=True)
)
_RANGE_SEP = r"\s*[—–\-~～至到]{1,2}\s*"

# prefix qualifiers (before the number) and suffix qualifiers (after number and unit)
PREFIX_QUALIFIERS: tuple[tuple[str, Qualifier], ...] = (
    ("不少于", "at_least"), ("不低于", "at_least"), ("至少", "at_least"),
    ("不超过", "at_most"), ("不高于", "at_most"), ("最多", "at_most"),
    ("超过", "more_than"), ("高于", "more_than"), ("多于", "more_than"), ("超", "more_than"),
    ("逾", "more_than"), ("低于", "less_than"), ("少于", "less_than"),
    ("约", "about"), ("近", "about"), ("大约", "about"), ("接近", "about"),
)  # fmt: skip
SUFFIX_QUALIFIERS: tuple[tuple[str, Qualifier], ...] = (
    ("以上", "at_least"), ("及以上", "at_least"), ("以下", "at_most"), ("以内", "at_most"),
    ("之内", "at_most"), ("左右", "about"), ("上下", "about"), ("多", "more_than"),
    ("余", "more_than"), ("出头", "more_than"),
)  # fmt: skip

# Idioms and set phrases whose numerals are not quantities.
IDIOMS = (
    "千家万户", "征程万里", "万象更新", "重任千钧", "千方百计", "千辛万苦", "万无一失", "一心一意",
    "三心二意", "七上八下", "五湖四海", "四面八方", "九牛一毛", "十全十美", "百花齐放", "百家争鸣",
    "千载难逢", "万众一心", "一以贯之", "百年未有之大变局", "百年大计", "千秋万代", "万里长城",
    "一马当先", "百舸争流", "千帆竞发", "万马奔腾", "百尺竿头", "千头万绪", "万紫千红", "四通八达",
    "三令五申", "一清二楚", "接二连三", "独一无二", "举一反三", "一举两得", "一石二鸟", "三番五次",
    "三番两次", "七嘴八舌", "乱七八糟", "五花八门", "六神无主", "九死一生", "十万火急", "百战百胜",
    "百折不挠", "千锤百炼", "千姿百态", "万古长青", "五谷丰登", "六畜兴旺", "三五成群", "一五一十",
    "十拿九稳", "一分为二", "合二为一", "说一不二", "三十而立", "四十不惑", "千里之行", "万丈高楼",
    "一张蓝图绘到底", "一任接着一任干", "一茬接着一茬干", "九九归一", "三天两头", "两面三刀",
    "七零八落", "四分五裂", "五颜六色", "一干二净", "一穷二白", "八仙过海", "千军万马", "万家灯火",
    "一呼百应", "以一当十", "一日千里", "一本万利", "万事如意", "千变万化", "万水千山", "千山万水",
    "三头六臂", "五光十色", "十字路口", "一言九鼎", "九霄云外", "百感交集", "百依百顺", "十指连心",
    "技惊四座", "四座皆惊", "一石激起千层浪", "三天打鱼两天晒网", "一传十", "十传百",
    "判若两人", "不二人选", "三轮车", "两轮车", "独轮车", "二维码", "五金", "四合院", "三明治",
    "八卦", "三角", "一线", "二手",
)  # fmt: skip

_IDIOM_RE = re.compile("|".join(re.escape(i) for i in sorted(IDIOMS, key=len, reverse=True)))


def mask_idioms(text: str) -> str:
    """`text` with every idiom of `IDIOMS` blanked out (□), so its numerals are not read;
    same length. One pass, the longest idiom first where two start at the same place."""
    return _IDIOM_RE.sub(lambda match: "□" * len(match.group(0)), text)


NUMBER_RE = re.compile(
    rf"(?P<prefix>{'|'.join(p for p, _ in sorted(PREFIX_QUALIFIERS, key=lambda q: -len(q[0])))})?"
    rf"(?P<low>{_CORE})(?P<low_unit>%)?"
    rf"(?:{_RANGE_SEP}(?P<high>{_CORE}))?"
    rf"(?P<more>多|余)?(?P<more_magnitude>(?<=[多余])(?:万亿|[万亿]))?"
    rf"(?P<unit>{_UNIT_RE})?"
    rf"(?P<suffix>及以上|以上|以下|以内|之内|左右|上下|出头)?"
)


@dataclass(frozen=True)
class Quantity:
    """One number expression found in text."""

    start: int
    end: int
    text: str
    value: float
    upper: float | None  # for a range
    unit: str | None  # 人, 个, %, 百分点, 亿元…
    qualifier: Qualifier
    has_digit: bool


def normalise(text: str) -> str:
    """Full-width digits and punctuation to ASCII, 萬/億 to 万/亿; same length as `text`."""
    return text.translate(_FULLWIDTH).translate(_TRADITIONAL)


def chinese_integer(text: str) -> int | None:
    """三千二百万 -> 32000000; 十五 -> 15; 二〇二五 -> 2025; 两 -> 2.

    None for what is not a numeral, or is longer or larger than any quantity."""
    if not text or len(text) > MAX_NUMERAL_CHARS:
        return None
    if all(ch in CN_DIGITS for ch in text):  # digit by digit: 二〇二五
        if len(text) > MAX_DIGITS:
            return None
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total = section = number = 0
    for ch in text:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (number or 1) * _SMALL_UNITS[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10_000
            section = number = 0
        elif ch == "亿":
            total = (total + section + number) * 100_000_000
            section = number = 0
        else:
            return None
    value = total + section + number
    return value if value < LIMIT else None


def bounded(value: Decimal) -> float | None:
    """`value` as a float, or None when it is too large to be a quantity."""
    return float(value) if abs(value) < LIMIT else None


def arabic_value(digits: str) -> Decimal | None:
    """The exact value of 1,200.5 or 70000; None for a digit run too long to be a quantity."""
    whole, _, decimals = digits.replace(",", "").partition(".")
    if len(whole) > MAX_DIGITS or len(decimals) > MAX_DIGITS:
        return None
    return Decimal(whole + "." + decimals) if decimals else Decimal(whole)


def scaled_value(digits: str, magnitude: str = "") -> float | None:
    """Arabic digits times a magnitude word, exactly: ("4.1", "万亿") -> 4.1e12."""
    value = arabic_value(digits)
    if value is None:
        return None
    return bounded(value * MAGNITUDES.get(magnitude, 1))


def core_value(core: str) -> float | None:
    """The value of a number core: 4.6万 -> 46000; 1.4万亿; 三千二百万; 四点六万; 1,200.

    None for what is not a number, or not a quantity (see `MAX_DIGITS`)."""
    core = normalise(core)
    magnitude = 1
    for word in ("万亿", "亿", "万", "千", "百", "十"):
        if core.endswith(word) and len(core) > len(word):
            head = core[: -len(word)]
            if re.fullmatch(_ARABIC, head) or "点" in head:
                magnitude = MAGNITUDES[word]
                core = head
            break
    if re.fullmatch(_ARABIC, core):
        value = arabic_value(core)
        return None if value is None else bounded(value * magnitude)
    if "点" in core:
        whole, _, decimals = core.partition("点")
        integer = chinese_integer(whole)
        if integer is None or len(decimals) > MAX_DIGITS:
            return None
        if not all(ch in CN_DIGITS for ch in decimals):
            return None
        fraction = Decimal("0." + "".join(str(CN_DIGITS[ch]) for ch in decimals))
        return bounded((integer + fraction) * magnitude)
    integer = chinese_integer(core)
    return None if integer is None else bounded(Decimal(integer * magnitude))


def _magnitude_of(core: str) -> str:
    core = normalise(core)
    for word in ("万亿", "亿", "万"):
        if core.endswith(word):
            return word
    return ""


def find_quantities(text: str) -> list[Quantity]:
    """Every number expression in `text`, left to right."""
    norm = normalise(text)
    found: list[Quantity] = []
    for match in NUMBER_RE.finditer(norm):
        low = core_value(match["low"])
        if low is None:
            continue
        high = core_value(match["high"]) if match["high"] else None
        unit = match["unit"] or match["low_unit"]
        if high is not None:
            # 3—5万: the magnitude written once applies to both ends.
            low_mag, high_mag = _magnitude_of(match["low"]), _magnitude_of(match["high"])
            if high_mag and not low_mag:
                low *= MAGNITUDES[high_mag]
        if match["more_magnitude"]:  # 3300余万元: more than 33 million yuan
            low *= MAGNITUDES[match["more_magnitude"]]
        if low >= LIMIT or (high is not None and high >= LIMIT):
            continue  # scaled past any quantity
        if unit in MEASURES:
            unit = (match["more_magnitude"] or _magnitude_of(match["high"] or match["low"])) + unit
        if unit == "个百分点":
            unit = "百分点"
        qualifier: Qualifier = "exactly"
        if match["prefix"]:
            qualifier = dict(PREFIX_QUALIFIERS)[match["prefix"]]
        if match["more"]:
            qualifier = "more_than"
        if match["suffix"]:
            qualifier = dict(SUFFIX_QUALIFIERS)[match["suffix"]]
        found.append(
            Quantity(
                start=match.start(),
                end=match.end(),
                text=text[match.start() : match.end()],
                value=low,
                upper=high,
                unit=unit,
                qualifier=qualifier,
                has_digit=bool(re.search(r"\d", match["low"] + (match["high"] or ""))),
            )
        )
    return found


def format_number(value: float) -> str:
    """70000 -> 70,000; 4.6 -> 4.6; 100000000 -> 100 million; 1.2345678e12 -> 1.2345678
    trillion. The digits are those of the shortest decimal form of `value`, to 15
    significant digits (past them a float holds only arithmetic noise: 0.07 × 10,000)."""
    exact = _SIGNIFICANT.create_decimal(repr(float(value)))
    if not exact.is_finite():
        raise ValueError(f"not a number that can be written out: {value!r}")
    if exact >= 100_000_000 and exact % 1_000_000 == 0:
        for scale, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
            if exact >= scale:
                return f"{_plain(exact / scale)} {word}"
    if exact == exact.to_integral_value():
        return f"{int(exact):,}"
    return f"{_plain(exact, grouped=True)}"


_SIGNIFICANT = Context(prec=15)


def _plain(value: Decimal, grouped: bool = False) -> str:
    """A Decimal in positional notation (never 1E+3), without trailing zeros."""
    text = format(value, ",f" if grouped else "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
