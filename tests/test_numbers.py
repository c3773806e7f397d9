"""The number and qualifier grammar: value, range, unit and qualifier of each expression."""

from __future__ import annotations

import pytest

from briefing.numbers import (
    MAX_DIGITS,
    chinese_integer,
    core_value,
    find_quantities,
    format_number,
)

# (text, value, upper, unit, qualifier) of the one expression in the text
CASES = [
    ("地区生产总值增长5％左右", 5, None, "%", "about"),
    ("地区生产总值增长5%左右", 5, None, "%", "about"),
    ("城镇新增就业1200万人以上", 12_000_000, None, "人", "at_least"),
    ("居民消费价格涨幅2%左右", 2, None, "%", "about"),
    ("粮食产量1.4万亿斤以上", 1_400_000_000_000, None, "万亿斤", "at_least"),
    ("力争增长6%", 6, None, "%", "exactly"),
    ("新增就业3—5万人", 30_000, 50_000, "人", "exactly"),
    ("增长5%—6%", 5, 6, "%", "exactly"),
    ("增长5%-6%", 5, 6, "%", "exactly"),
    ("增长5%至6%", 5, 6, "%", "exactly"),
    ("新增就业1.5萬人", 15_000, None, "人", "exactly"),
    ("投资1.2億元", 120_000_000, None, "亿元", "exactly"),
    ("投资1.2亿元", 120_000_000, None, "亿元", "exactly"),
    ("高出1.2个百分点", 1.2, None, "百分点", "exactly"),
    ("提高3个百分点以上", 3, None, "百分点", "at_least"),
    ("项目150个以上", 150, None, "个", "at_least"),
    ("吸引超7万人", 70_000, None, "人", "more_than"),
    ("超过7万人", 70_000, None, "人", "more_than"),
    ("逾3000家", 3_000, None, "家", "more_than"),
    ("培训4.6万人次以上", 46_000, None, "人次", "at_least"),
    ("人才1000名以上", 1_000, None, "名", "at_least"),
    ("三千二百万元", 32_000_000, None, "万元", "exactly"),
    ("四点六万人", 46_000, None, "人", "exactly"),
    ("1000多人", 1_000, None, "人", "more_than"),
    ("300余家", 300, None, "家", "more_than"),
    ("控制在3.5%以内", 3.5, None, "%", "at_most"),
    ("控制在5.5%以下", 5.5, None, "%", "at_most"),
    ("不少于五个", 5, None, "个", "at_least"),
    ("不低于90%", 90, None, "%", "at_least"),
    ("不超过3%", 3, None, "%", "at_most"),
    ("低于4%", 4, None, "%", "less_than"),
    ("约200万吨", 2_000_000, None, "万吨", "about"),
    ("近1万人", 10_000, None, "人", "about"),
    ("2000人上下", 2_000, None, "人", "about"),
    ("总额1,200.5亿元", 120_050_000_000, None, "亿元", "exactly"),
    ("完成投资１２０亿元", 12_000_000_000, None, "亿元", "exactly"),
    ("新建改建农村公路260公里", 260, None, "公里", "exactly"),
    ("新增学位3600个", 3_600, None, "个", "exactly"),
    ("建成高标准农田25万亩", 250_000, None, "万亩", "exactly"),
    ("新增托位1200个", 1_200, None, "个", "exactly"),
    ("装机容量达到500万千瓦", 5_000_000, None, "万千瓦", "exactly"),
    ("两千人", 2_000, None, "人", "exactly"),
    ("十五个", 15, None, "个", "exactly"),
]


@pytest.mark.parametrize(
    ("text", "value", "upper", "unit", "qualifier"), CASES, ids=[c[0] for c in CASES]
)
def test_number_grammar(
    text: str, value: float, upper: float | None, unit: str, qualifier: str
) -> None:
    [quantity] = find_quantities(text)
    assert quantity.value == pytest.approx(value)
    assert quantity.upper == (None if upper is None else pytest.approx(upper))
    assert (quantity.unit, quantity.qualifier) == (unit, qualifier)


def test_there_are_at_least_forty_grammar_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("text", "value"),
    [("十", 10), ("十五", 15), ("二十三", 23), ("一百零五", 105), ("三千二百万", 32_000_000),
     ("一亿二千万", 120_000_000), ("二〇二五", 2025), ("两千", 2_000)],
)  # fmt: skip
def test_chinese_integers(text: str, value: int) -> None:
    assert chinese_integer(text) == value


@pytest.mark.parametrize(
    ("core", "value"),
    [("7万", 70_000), ("4.6万", 46_000), ("1.2亿", 120_000_000), ("1.4万亿", 1.4e12),
     ("1,200", 1_200), ("四点六万", 46_000), ("１５０", 150)],
)  # fmt: skip
def test_core_values(core: str, value: float) -> None:
    assert core_value(core) == pytest.approx(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [(70_000, "70,000"), (4.6, "4.6"), (100_000_000, "100 million"),
     (1_500_000_000, "1.5 billion"), (1.4e12, "1.4 trillion"), (46_000, "46,000")],
)  # fmt: skip
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


# --- bounds: what is too long or too large to be a quantity (issue 16) -------------------

NOT_QUANTITIES = {
    "400 nines": "9" * 400,  # past float range: float("9" * 400) is inf
    "400 nines and 万": "9" * 400 + "万",
    "21 digits": "1" + "0" * 20 + "个",
    "decimals past the bound": "1." + "9" * 30 + "万",
    "十亿 sixty times": "十亿" * 60,  # an int past float range
    "4,301 一": "一" * 4301,  # past Python's int-string limit, digit by digit
    "scaled past the bound": "99999999999999999999万亿",
}


@pytest.mark.parametrize("text", NOT_QUANTITIES.values(), ids=NOT_QUANTITIES.keys())
def test_a_run_too_long_or_too_large_is_not_a_quantity(text: str) -> None:
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("core", "value"),
    [("9" * 20, 99_999_999_999_999_999_999), ("一" * 20, int("1" * 20)),
     ("9" * 21, None), ("一" * 21, None), ("十亿" * 3, None), ("1." + "5" * 21, None)],
)  # fmt: skip
def test_the_bound_is_max_digits(core: str, value: int | None) -> None:
    assert MAX_DIGITS == 20
    assert core_value(core) == (None if value is None else float(value))


@pytest.mark.parametrize(
    ("core", "text"),
    [("4.1万亿", "4.1 trillion"), ("0.27万亿", "270 billion"), ("1.07万亿", "1.07 trillion"),
     ("2.01万亿", "2.01 trillion"), ("0.07万", "700"), ("1.2345678万亿", "1,234,567,800,000")],
)  # fmt: skip
def test_magnitudes_are_exact_so_the_written_out_number_is_plain(core: str, text: str) -> None:
    """Float arithmetic made 4.1万亿 4,099,999,999,999.9995, written as 4.1e+12."""
    value = core_value(core)
    assert value is not None
    assert format_number(value) == text


def test_format_number_refuses_what_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="not a number"):
        format_number(float("inf"))
