"""Names in pinyin, surname first, and bylines in English."""

from __future__ import annotations

import pytest

from briefing.names import byline_credits, byline_in_english, name_to_pinyin


@pytest.mark.parametrize(
    ("name", "pinyin"),
    [
        ("孙海山", "Sun Haishan"),
        ("吴启飞", "Wu Qifei"),
        ("张咪", "Zhang Mi"),
        ("吕方", "Lü Fang"),
        # surnames read differently from the everyday word
        ("单雄信", "Shan Xiongxin"),
        ("曾国藩", "Zeng Guofan"),
        ("解放", "Xie Fang"),
        ("仇英", "Qiu Ying"),
        ("区家明", "Ou Jiaming"),
        ("朴正", "Piao Zheng"),
        ("查良镛", "Zha Liangyong"),
        ("翟志刚", "Zhai Zhigang"),
        ("盖文", "Ge Wen"),
        ("乐平", "Yue Ping"),
        ("覃明", "Qin Ming"),
        ("缪红", "Miao Hong"),
        # compound surnames
        ("欧阳修", "Ouyang Xiu"),
        ("司马光", "Sima Guang"),
        ("诸葛亮", "Zhuge Liang"),
        # an apostrophe before a syllable that starts with a vowel
        ("刘西安", "Liu Xi'an"),
    ],
)
def test_name_to_pinyin(name: str, pinyin: str) -> None:
    assert name_to_pinyin(name) == pinyin


@pytest.mark.parametrize(
    ("byline", "english"),
    [
        ("记者 王明 李华 张强", "Reporters: Wang Ming, Li Hua, Zhang Qiang"),
        ("本报记者 李明 王芳", "Staff reporters: Li Ming, Wang Fang"),
        ("通讯员 刘洋 记者 赵静", "Correspondent: Liu Yang; Reporter: Zhao Jing"),
        ("记者王明", "Reporter: Wang Ming"),
        ("来源:新华社", None),  # a source, not names
        ("市长 张建华", None),  # not a byline role we know: shown as is
    ],
)
def test_byline_in_english(byline: str, english: str | None) -> None:
    assert byline_in_english(byline) == english


def test_byline_credits_keep_roles_with_their_names() -> None:
    assert byline_credits("通讯员 刘洋 记者 赵静") == [("通讯员", ["刘洋"]), ("记者", ["赵静"])]
