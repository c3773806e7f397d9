"""Small facts about Chinese text: sentence ends, dates, small numbers."""

from __future__ import annotations

import pytest

from briefing.chinese import (
    ends_sentence,
    han_share,
    is_punctuation_only,
    is_traditional,
    parse_date,
    small_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发展新质生产力。", True),
        ("奋力谱写新篇章!", True),
        ("奋力谱写新篇章！", True),
        ("真的吗?", True),
        ("守好民生保障底线;", True),
        ("守好民生保障底线；", True),
        ("“市委全会提出,要推动现代农业培优壮链。”", True),
        ("(完成全年目标。)", True),
        ("……", True),
        ("先进基础", False),
        ("事关千家万户幸福安康。市民", False),
        ("发展新质生产力,", False),
        ("发展新质生产力，", False),
        ("在持续增强经济韧性上彰显担当", False),
    ],
)
def test_ends_sentence_accepts_both_widths(text: str, expected: bool) -> None:
    assert ends_sentence(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年5月7日", "2024-05-07"),
        ("2024-05-07 08:30", "2024-05-07"),
        ("2024/5/7", "2024-05-07"),
        ("2024.05.07", "2024-05-07"),
        ("２０２４年５月７日", "2024-05-07"),
        ("二〇二五年七月十日", "2025-07-10"),
        ("二〇二四年十二月二十三日", "2024-12-23"),
        ("发布时间:2025年1月20日", "2025-01-20"),
        ("5月7日", None),  # no year: not a full date
        ("2024年13月1日", None),
        ("八届十二次全会", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        ("７", 7),
        ("七", 7),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十三", 23),
        ("三十一", 31),
        ("二三", 23),
        ("万", None),
        ("", None),
    ],
)
def test_small_number(text: str, expected: int | None) -> None:
    assert small_number(text) == expected


def test_han_share_counts_letters_only() -> None:
    assert han_share("初夏时节,盐阜大地。123") == 1.0
    assert han_share("AI赋能") == pytest.approx(0.5)
    assert han_share("Hello world") == 0.0


@pytest.mark.parametrize(("text", "expected"), [("。。!", True), ("——", True), ("(完)", False)])
def test_is_punctuation_only(text: str, expected: bool) -> None:
    assert is_punctuation_only(text) is expected


def test_traditional_text_is_detected_and_simplified_is_not() -> None:
    assert is_traditional("揚帆逐夢再啟航 乘風破浪譜新篇,會場內,與會同志通過學習討論")
    assert not is_traditional("扬帆逐梦再启航 乘风破浪谱新篇,会场内,与会同志通过学习讨论")
