"""Structure: what counts as title, heading, paragraph and page furniture.

The golden cases under tests/data/cases/ are the specification by example: each input
file has an `.expected.json` beside it with the exact parse (`briefing parse --json`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import opencc
import pytest

from briefing.pipeline import parse_file
from briefing.structure import is_closing_line, is_furniture, parallel
from tests.conftest import CASES, ROOT, SAMPLE, SAMPLE_EXPECTED, load_json

GOLDEN = sorted(
    path
    for path in CASES.iterdir()
    if path.suffix in {".txt", ".docx"} and (CASES / f"{path.stem}.expected.json").exists()
)


def test_there_are_at_least_eight_golden_cases() -> None:
    assert len(GOLDEN) >= 8


# Fields `briefing parse --json` gained after the sample's expected file was written (issue
# 14). That file stays as it is; test_sample_new_fields checks these for the sample.
NEWER_FIELDS = {
    "document": {"doc_number", "issuer", "source_name", "speaker", "addressees",
                 "dropped_lines", "dropped_reasons"},
    "section": {"heading_lines", "level", "kind"},
    "paragraph": {"run_in"},
}  # fmt: skip


def _recorded(actual: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """`actual` cut down to the fields `expected` records; fails on any other extra field."""

    def cut(got: dict[str, Any], want: dict[str, Any], level: str) -> dict[str, Any]:
        extra = set(got) - set(want)
        assert extra <= NEWER_FIELDS[level], f"unexpected fields: {extra - NEWER_FIELDS[level]}"
        return {k: got[k] for k in want if k in got}

    out = cut(actual, expected, "document")
    if "sections" in out and len(out["sections"]) == len(expected["sections"]):
        sections = []
        for got, want in zip(actual["sections"], expected["sections"], strict=True):
            section = cut(got, want, "section")
            if len(got["paragraphs"]) == len(want["paragraphs"]):
                section["paragraphs"] = [
                    cut(p, q, "paragraph")
                    for p, q in zip(got["paragraphs"], want["paragraphs"], strict=True)
                ]
            sections.append(section)
        out["sections"] = sections
    return out


def assert_same_parse(actual: dict[str, Any], expected: dict[str, Any]) -> None:
    """Compare field by field, so a failure names the field that differs. An expected file
    without the newer fields (the sample's) is compared on the fields it records."""
    for key in expected:
        if key != "sections":
            assert actual[key] == expected[key], key
    assert [s["id"] for s in actual["sections"]] == [s["id"] for s in expected["sections"]]
    for got, want in zip(actual["sections"], expected["sections"], strict=True):
        for key in want:
            if key != "paragraphs":
                assert got[key] == want[key], f"{want['id']}.{key}"
        assert [p["id"] for p in got["paragraphs"]] == [p["id"] for p in want["paragraphs"]]
        for p, q in zip(got["paragraphs"], want["paragraphs"], strict=True):
            for key in q:
                assert p[key] == q[key], f"{q['id']}.{key}"
    assert _recorded(actual, expected) == expected


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.name)
def test_golden_case(path: Path) -> None:
    expected = load_json(CASES / f"{path.stem}.expected.json")
    assert_same_parse(parse_file(path).to_json(), expected)


def test_sample_parses_exactly_as_its_expected_file() -> None:
    assert_same_parse(parse_file(SAMPLE).to_json(), load_json(SAMPLE_EXPECTED))


def test_sample_new_fields() -> None:
    # The sample is a press feature: no document number, issuer, 来源 line or speaker; its
    # five furniture lines are listed with their line numbers; no heading spans two lines.
    document = parse_file(SAMPLE)
    assert (document.doc_number, document.issuer, document.source_name) == (None, None, None)
    assert (document.speaker, document.addressees) == (None, None)
    assert document.dropped_lines == (57, 58, 62, 64, 66)
    assert set(document.dropped_reasons) == {"furniture"}
    assert [(s.level, s.kind, s.heading_lines) for s in document.sections] == [
        (0, "text", ()),
        (1, "text", (13,)),
        (1, "text", (27,)),
        (1, "text", (39,)),
    ]


@pytest.mark.parametrize("case", ["sample_gb18030.txt", "sample_crlf.txt", "sample_bom.txt"])
def test_sample_reencoded_parses_like_the_original(case: str) -> None:
    assert_same_parse(parse_file(CASES / case).to_json(), load_json(SAMPLE_EXPECTED))


def _to_traditional(value: Any, convert: Any) -> Any:
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, list):
        return [_to_traditional(v, convert) for v in value]
    if isinstance(value, dict):
        return {k: (v if k == "id" else _to_traditional(v, convert)) for k, v in value.items()}
    return value


def test_sample_in_traditional_big5_parses_like_the_original() -> None:
    # Same structure; the text is shown as the source has it (Traditional).
    expected = _to_traditional(load_json(SAMPLE_EXPECTED), opencc.OpenCC("s2tw").convert)
    assert_same_parse(parse_file(CASES / "sample_big5_traditional.txt").to_json(), expected)


def test_joined_paragraphs_remember_their_lines() -> None:
    document = parse_file(SAMPLE)
    joined = {p.id: p.lines for p in document.paragraphs() if p.joined}
    assert joined == {"s1.p4": (21, 23), "s2.p3": (33, 35), "s3.p3": (45, 47)}


def test_heading_levels_follow_the_numbered_ladder() -> None:
    document = parse_file(CASES / "numbered_two_levels.txt")
    levels = {s.heading: s.level for s in document.sections}
    assert levels["一、总体要求"] == 1
    assert levels["(一)稳定重点群体就业"] == 2
    assert levels[None] == 0


def test_docx_heading_styles_give_levels() -> None:
    document = parse_file(CASES / "docx_heading_styles.docx")
    assert [(s.heading, s.level) for s in document.sections if s.heading] == [
        ("总体目标", 1),
        ("重点任务", 1),
        ("夯实数字基础设施", 2),
        ("推进政务服务一网通办", 2),
        ("组织保障", 1),
    ]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("在因地制宜发展新质生产上勇当先锋", "在持续增强经济韧性上彰显担当", True),  # 在…上…
        ("以科技创新为引领", "以民生改善为落脚点", True),  # 以…为…
        ("坚持创新驱动发展", "坚持扩大有效投资", True),  # shared opening
        ("聚焦产业升级", "聚焦民生改善", True),
        ("推动产业提质见实效", "推动改革攻坚见实效", True),  # shared ending
        ("商务经济是增强经济韧性的重要", "在持续增强经济韧性上彰显担当", False),
        ("加快构建现代化产业体系是推动", "坚持创新驱动发展", False),
        ("在全市范围内深入开展", "在持续增强经济韧性上彰显担当", False),
    ],
)
def test_parallel_form_is_found_by_comparing_candidates(a: str, b: str, expected: bool) -> None:
    assert parallel(a, b) is expected
    assert parallel(b, a) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("查看更多, 请扫码关注", True),
        ("长按识别二维码关注我们", True),
        ("责任编辑:张伟", True),
        ("责任编辑：张伟", True),
        ("SHUYANGYAN", True),
        ("www.example.gov.cn", True),
        ("- 2 -", True),
        ("12", True),
        ("第 4 版", True),
        ("第A3版:要闻", True),
        ("分享 点赞 在看", True),
        ("版权所有 未经授权禁止转载", True),
        ("原文链接:https://www.example.gov.cn/art/2025/5/7/art_1234_567890.html", True),
        ("字号:大 中 小", True),
        ("为基层干部点赞", False),  # one social word in a real line
        ("在看病就医上用心用情", False),
        ("支持有条件的板块建设OPC社区,打造智能经济新形态。", False),
        ("在扎实推进共同富裕上用心用情", False),
        ("(完)", False),
    ],
)
def test_page_furniture(text: str, expected: bool) -> None:
    assert is_furniture(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(完)", True),
        ("（完）", True),
        ("2025年3月15日", True),
        ("二〇二五年七月十日", True),
        ("某市水务局", False),
        ("2025年主要目标任务", False),
    ],
)
def test_closing_lines(text: str, expected: bool) -> None:
    assert is_closing_line(text) is expected


# Words of the sample that would betray rules written for it rather than for the genre.
SAMPLE_SPECIFIC = [
    "盐城",
    "盐阜",
    "书香",
    "SHUYANGYAN",
    "请扫码",
    "赵伟伟",
    "扬帆",
    "勇当先锋",
    "彰显担当",
    "用心用情",
    "商务经济",
    "市民政局",
    "先进基础",
]


def test_no_sample_specific_words_in_the_package() -> None:
    # Generic prompts (扫码, 关注) are fine; the sample's own phrasings are not.
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "briefing").rglob("*.py"))
    found = [word for word in SAMPLE_SPECIFIC if re.search(re.escape(word), source)]
    assert found == []
