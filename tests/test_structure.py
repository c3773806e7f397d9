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

from briefing.model import ReportSpeaker, SourceLine, SourceText
from briefing.pipeline import parse_file
from briefing.present import document_json
from briefing.structure import (
    annex_kind,
    continues_heading,
    continues_line,
    ends_mid_phrase,
    heading_group,
    is_addressees,
    is_box_title,
    is_closing_line,
    is_database_header,
    is_dateline,
    is_doc_number,
    is_duplicate_title,
    is_furniture,
    is_opening_formula,
    is_roster_line,
    is_salutation,
    is_signature,
    item_shape,
    lines_are_paragraphs,
    parallel,
    parse,
    reads_as_fragment,
    run_in_spans,
    speaker_of,
    unwrap,
    wrap_width,
)
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
    assert_same_parse(document_json(parse_file(path)), expected)


def test_sample_parses_exactly_as_its_expected_file() -> None:
    assert_same_parse(document_json(parse_file(SAMPLE)), load_json(SAMPLE_EXPECTED))


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
    assert_same_parse(document_json(parse_file(CASES / case)), load_json(SAMPLE_EXPECTED))


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
    assert_same_parse(document_json(parse_file(CASES / "sample_big5_traditional.txt")), expected)


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


# --- issue 14: the rules for real reports and notices, one table per named function --------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("【法宝引证码】 CLI.12.0000001", True),
        ("发布部门：某市人民政府办公室", True),
        ("发文字号：某府办发〔2023〕12号", True),
        ("【时效性】：现行有效", True),
        ("实施日期：2023.06.08", True),
        ("来源：某市日报", False),  # the source, kept as source_name
        ("发布会上，市长介绍了今年的工作安排。", False),
    ],
)
def test_database_header(text: str, expected: bool) -> None:
    assert is_database_header(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某府办发〔2023〕12号", True),
        ("某政办秘[2021]8号", True),
        ("某政发〔2024〕 3 号", True),
        ("某市人民政府令第5号", True),
        ("第A3版", False),
        ("全年新增就业岗位12万个", False),
    ],
)
def test_doc_number(text: str, expected: bool) -> None:
    assert is_doc_number(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各区人民政府，市政府各部门、各直属机构：", True),
        ("各县(市、区)人民政府,市各有关部门:", True),
        ("广大市民朋友们:", False),  # a salutation, not an office
        ("各区人民政府要加强组织领导。", False),
    ],
)
def test_addressees(text: str, expected: bool) -> None:
    assert is_addressees(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("——2025年1月16日在某市第十七届人民代表大会第二次会议上", True),
        ("2025年1月12日在某市第十五届人民代表大会第二次会议上市长赵建平作政府工作报告。", True),
        ("----2025年1月15日某某市长在某市第十五届人民代表大会第二次会议的政府工作报告", True),
        ("——2025年1月14日某省省长 李华明在某省人民代表大会上的讲话", True),
        ("2025年3月15日", False),  # a date line
        ("2025年是承上启下的重要一年。", False),
    ],
)
def test_dateline(text: str, expected: bool) -> None:
    assert is_dateline(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某省人民政府省长 李华明", ReportSpeaker("李华明", "某省人民政府省长")),
        ("代市长 王 文 清", ReportSpeaker("王文清", "代市长")),  # a name set with spaces
        ("自治区主席 阿不都·买买提", ReportSpeaker("阿不都·买买提", "自治区主席")),
        (
            "2025年1月12日在某市第十五届人民代表大会第二次会议上市长赵建平作政府工作报告。",
            ReportSpeaker("赵建平", "市长"),
        ),
        (
            "2025年1月14日某省人民政府代省长 刘明在某省第十三届人民代表大会第二次会议上的讲话",
            ReportSpeaker("刘明", "某省人民政府代省长"),
        ),
        ("2025年1月15日张为民市长在某市第十五届人民代表大会第二次会议的政府工作报告",
         ReportSpeaker("张为民", "市长")),
        ("2025年1月16日在某市第十七届人民代表大会第二次会议上", None),
        ("本报记者 何平", None),
    ],
)  # fmt: skip
def test_speaker(text: str, expected: ReportSpeaker | None) -> None:
    assert speaker_of(text) == expected


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("2025年某省政府工作报告", "2025年某省政府工作报告", True),
        ("政府工作报告", "2025年某省政府工作报告", True),  # the end of the title, repeated
        ("工作报告", None, False),
        ("2025年主要任务", "2025年某省政府工作报告", False),
    ],
)
def test_duplicate_title(text: str, title: str | None, expected: bool) -> None:
    assert is_duplicate_title(text, title) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("各位代表：", True),
        ("各位代表:", True),
        ("同志们：", True),
        ("尊敬的各位来宾：", True),
        ("各位代表！新的征程已经开启，让我们同心协力、埋头苦干。", False),
        ("广大市民朋友们:", False),
    ],
)
def test_salutation(text: str, expected: bool) -> None:
    assert is_salutation(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("现在，我代表市人民政府向大会作工作报告，请予审议，并请市政协委员和列席的同志们提出意见。",
         True),
        ("我代表省人民政府向大会报告一年来的工作，请予审议，并请省政协委员提出意见。", True),
        ("现在，我受市人民政府委托，向大会报告政府工作，请予审议。请市政协各位委员提出意见。",
         True),
        # A formula followed by the report's first real sentence is not dropped.
        ("现在，我代表市人民政府向大会作工作报告，请予审议。过去一年，全市经济稳中有进。", False),
        ("过去一年，全市上下攻坚克难，经济社会发展取得新成效。", False),
    ],
)  # fmt: skip
def test_opening_formula(text: str, expected: bool) -> None:
    assert is_opening_formula(text) is expected


@pytest.mark.parametrize(
    ("kind", "text", "shape"),
    [
        ("cn_paren", "（一）着力扩大有效需求", "standalone"),
        ("cn_paren", "（一）坚持项目为王，有效投资持续扩大。全年实施重点项目260个。", "inline"),
        ("cn_paren", "（一）全力扩大内需，巩固经济回升向好态势。", "sentence"),
        ("cn_paren", "（一）涉及国家秘密的；", "list"),
        ("cn_paren", "（三）以各牵头单位报送的评分结果为基础，结合问卷调查和实地核查情况，"
                     "综合计算各区和各部门的最终得分。", "list"),  # a provision, too long
        ("num", "1．政务服务方面。推行高频事项一次办。", "inline"),
        ("num", "1.“两新”：新型基础设施和新型城镇化建设。", "list"),  # a definition
        ("num", "2．社会组织登记信息，按季度更新。（责任单位：市民政局）", "sentence"),
        ("chapter", "第一章 总则 第一条 为规范公共数据开放工作，制定本办法。", "inline"),
    ],
)  # fmt: skip
def test_item_shape(kind: str, text: str, shape: str) -> None:
    assert item_shape(kind, text)[0] == shape


def test_inline_heading_splits_before_the_body() -> None:
    text = "（一）坚持项目为王，有效投资持续扩大。全年实施重点项目260个。"
    _, _, split = item_shape("cn_paren", text)
    assert split is not None
    assert (text[:split], text[split:]) == ("（一）坚持项目为王，有效投资持续扩大。",
                                            "全年实施重点项目260个。")  # fmt: skip
    chapter = "第一章 总则 第一条 为规范公共数据开放工作，制定本办法。"
    split = item_shape("chapter", chapter)[2]
    assert split is not None and chapter[split:].startswith("第一条")


@pytest.mark.parametrize(
    ("capable", "expected"),
    [([True, True, True], True), ([True, True, False], True), ([True, False, False, True], False),
     ([False], False), ([], False)],
)  # fmt: skip
def test_a_group_of_numbered_items_is_headings_as_a_whole(
    capable: list[bool], expected: bool
) -> None:
    assert heading_group(capable) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("附件", True),
        ("附件1", True),
        ("附件2 名词解释", True),
        ("名词解释", True),
        ("某市数字经济发展工作专班成员名单", True),
        ("附件：", False),  # an attachment note, not the annex itself
        ("附件：某市公共数据开放目录", False),
        ("推动“白名单”企业融资扩面。", False),
    ],
)
def test_annex(text: str, expected: bool) -> None:
    assert annex_kind(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("专栏1 数字基础设施重点工程", True), ("专栏2", True), ("专栏作家王明", False)],
)
def test_box_title(text: str, expected: bool) -> None:
    assert is_box_title(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("王明 李华 张丽 刘洋", True),
        ("组 长：张建国", True),
        ("副组长：李明华 王芳", True),
        ("扬帆启航再出发 乘风破浪谱新篇", False),  # a two-phrase headline
        ("主要目标：地区生产总值增长5.5%左右", False),
    ],
)
def test_roster_line(text: str, expected: bool) -> None:
    assert is_roster_line(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("物流是连接生产和消费的重要", True),
        ("加快构建现代化产业体系是推动", True),
        ("全面提升城市的", True),
        ("持续推进政府自身建设", False),
        ("2025年工作安排", False),
    ],
)
def test_reads_as_fragment(text: str, expected: bool) -> None:
    assert reads_as_fragment(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一季度全区新签约亿元以上项目23个，其中", True),
        ("占比提高到38%，数字经济规", True),
        ("全市政务数据共享率达到", True),
        ("推动涉企事项集成办理（区政务服务中心牵头）", False),  # complete: ends in a bracket
        ("会议要求，各部门重点抓好以下工作：", False),
        ("总投资超过120亿元。", False),
        ("传统产业“老树发新芽”", False),
    ],
)
def test_ends_mid_phrase(text: str, expected: bool) -> None:
    assert ends_mid_phrase(text) is expected


@pytest.mark.parametrize(
    ("text", "previous", "expected"),
    [
        ("规模增长12%。", "占比提高到38%，数字经济规", True),
        ("95%以上，网上可办率达到100%。", "全市政务数据共享率达到", True),  # a quantity must follow
        ("2024年，全市经济稳中有进。", "会议总结了过去一年的工作", False),  # a new paragraph
        ("（一）稳定重点群体就业", "", False),
        ("一是推动传统产业提质升级。", "", False),
        ("——经济运行稳中有进。", "", False),
        ("区长：全区上下要把优化营商环境作为一号工程。", "会上，区长作出部署", False),
        ("王明 李华 张丽 刘洋", "受表扬个人", False),
        ("2025年3月20日", "某市人民政府办公室", False),
        ("00亿元以上。", "全年完成投资20", True),  # a number cut in two
        ("（镇、街道），包括规划和建设。", "建立覆盖省、市、县、乡", True),
        ("（市住房城乡建设局牵头）", "推进老旧小区改造", False),  # a note of its own
    ],
)
def test_continues_line(text: str, previous: str, expected: bool) -> None:
    assert continues_line(text, previous) is expected


@pytest.mark.parametrize(
    ("heading", "line", "expected"),
    [
        ("附件1", "2025年十件民生实事", True),
        ("附件", "某市公共数据开放目录", True),
        ("专栏2", "产业数字化重点项目", True),
        ("三、持续提升政府", "治理能力和服务水平", True),
        ("三、持续提升政府", "（一）坚持依法行政", False),
        ("附件1", "附件2", False),
        ("一、总体要求", "物流是连接生产和消费的重要", False),
    ],
)
def test_continues_heading(heading: str, line: str, expected: bool) -> None:
    assert continues_heading(heading, line) is expected


@pytest.mark.parametrize(
    ("text", "neighbours", "expected"),
    [
        ("一是经济运行回升向好。全省生产总值增长5.3%。", False, ["一是经济运行回升向好。"]),
        ("——民生保障持续加强。城镇新增就业4.1万人。", False, ["——民生保障持续加强。"]),
        ("大力提振消费。开展消费提振专项行动，打造一批特色商圈。", False, ["大力提振消费。"]),
        # With a comma, only in a series of paragraphs that open the same way.
        ("树立节水意识，从我做起。自觉养成节约用水的习惯。", True, ["树立节水意识，从我做起。"]),
        ("树立节水意识，从我做起。自觉养成节约用水的习惯。", False, []),
        ("全年经济增长5.5%。城镇新增就业4万人以上。", False, []),  # opens with a time word
        ("项目是经济工作的生命线。我们要坚定不移推进。", False, []),  # a statement with 是
        ("各位代表！新的征程已经开启，让我们同心协力。", False, []),  # a vocative
        ("会议还通报了重点项目进展情况。区发展改革局负责人介绍了有关情况。", False, []),
        ("全年经济运行总体平稳。一是工业生产稳步回升。二是消费市场持续回暖。", False,
         ["一是工业生产稳步回升。", "二是消费市场持续回暖。"]),  # 一是 inside a paragraph
        ("加快建设。", False, []),  # nothing follows it
    ],
)  # fmt: skip
def test_run_in_spans(text: str, neighbours: bool, expected: list[str]) -> None:
    assert [text[a:b] for a, b in run_in_spans(text, neighbours=neighbours)] == expected


def _source(lines: list[str], fmt: str = "txt") -> tuple[SourceText, list[SourceLine]]:
    numbered = tuple(SourceLine(i, t, t) for i, t in enumerate(lines, start=1))
    source = SourceText("x", fmt, None, "simplified", numbered)
    return source, [line for line in numbered if line.text]


DONE = "第一段写完了一句话，还有更多的内容，一直写到这一行的末尾为止，再多写几个字凑够长度。"
WRAPPED = "第一段写了一句话还有更多的内容一直写到这一行的末尾为止但是没有写完还要继续往下写很多字"


@pytest.mark.parametrize(
    ("lines", "fmt", "expected"),
    [
        (["标题", DONE] * 3, "docx", True),
        # A legal-database export: no blank lines, long lines end their sentences.
        (["标题", DONE] * 3, "txt", True),
        # Blank lines between the lines, as extracted from a printed page.
        (["标题", "", DONE] * 3, "txt", False),
        # Hard-wrapped text: long lines stop in the middle of a phrase.
        (["标题", WRAPPED, "接着写下去的内容。"] * 3, "txt", False),
    ],
)
def test_lines_are_paragraphs(lines: list[str], fmt: str, expected: bool) -> None:
    source, nonblank = _source(lines, fmt)
    assert lines_are_paragraphs(source, nonblank) is expected


@pytest.mark.parametrize(
    ("text", "next_text", "expected"),
    [
        ("某市人民政府办公室", "2023年6月8日", True),
        ("某市人民政府办公室", "现将有关事项通知如下。", False),
        ("2023年6月8日", "2023年6月9日", False),
    ],
)
def test_signature(text: str, next_text: str, expected: bool) -> None:
    assert is_signature(text, next_text) is expected


# What each golden case of issue 14 shows, beyond its expected file.


def test_legal_database_export_front_matter() -> None:
    document = parse_file(CASES / "legal_database_export.txt")
    assert document.title == "某市人民政府办公室关于印发《某市公共数据开放管理办法》的通知"
    assert (document.doc_number, document.issuer, document.date) == (
        "某府办发〔2023〕12号", "某市人民政府办公室", "2023-06-08")  # fmt: skip
    assert document.dropped_reasons == ("database header",) * 7 + ("duplicate title",)
    kinds = [(s.kind, s.level) for s in document.sections if s.kind != "text"]
    assert kinds == [("document", 1), ("annex", 1)]


def test_report_front_matter_and_opening_are_not_body() -> None:
    document = parse_file(CASES / "report_with_dateline.txt")
    assert document.source_name == "某市日报"
    assert document.speaker == ReportSpeaker("王文清", "代市长")
    assert document.byline == "代市长 王文清"
    assert document.dropped_reasons == ("salutation", "opening formula")
    first = next(document.paragraphs())
    assert first.zh.startswith("过去一年")


def test_inline_heading_rest_is_the_first_paragraph() -> None:
    document = parse_file(CASES / "report_with_dateline.txt")
    section = next(s for s in document.sections if s.heading_line == 23)
    assert section.heading == "（一）坚持项目为王，有效投资持续扩大。"
    assert section.paragraphs[0].lines == (23,)
    assert section.paragraphs[0].zh.startswith("全年实施重点项目260个")


def test_boxes_and_annexes_are_their_own_sections() -> None:
    document = parse_file(CASES / "plan_with_box_and_roster.txt")
    boxes = [s for s in document.sections if s.kind == "box"]
    assert [len(s.paragraphs) for s in boxes] == [3, 2]  # its items, never joined
    annex = document.sections[-1]
    assert annex.kind == "annex" and annex.heading_lines == (43, 45)
    assert len(annex.paragraphs) == 3  # roster lines stay apart


def test_joins_need_evidence() -> None:
    document = parse_file(CASES / "joins_need_evidence.txt")
    assert [p.lines for p in document.paragraphs() if p.joined] == [(17, 19)]


def test_numbered_provisions_are_paragraphs_but_short_items_are_headings() -> None:
    document = parse_file(CASES / "numbered_provisions.txt")
    headings = [s.heading for s in document.sections if s.heading]
    assert not any(h.startswith("（") for h in headings)
    assert "1．政务服务方面。" in headings


def test_docx_lone_part_heading_and_two_paragraph_heading() -> None:
    unnumbered = parse_file(CASES / "report_unnumbered_parts.docx")
    parts = [s.heading for s in unnumbered.sections if s.level == 1]
    assert parts == ["2024年工作回顾", "2025年工作安排", "持续推进政府自身建设", "名词解释"]
    numbered = parse_file(CASES / "report_numbered_parts.docx")
    split = next(s for s in numbered.sections if s.heading_line == 15)
    assert (split.heading, split.heading_lines) == ("三、持续提升政府治理能力和服务水平", (15, 16))
    assert numbered.source_name == "某市人民政府"
    assert numbered.subtitle is not None and numbered.subtitle.startswith("2025年1月12日")


def test_notice_issuing_a_plan_without_book_title_marks() -> None:
    document = parse_file(CASES / "notice_issuing_plan.txt")
    plan = next(s for s in document.sections if s.kind == "document")
    assert plan.heading == "某县农村人居环境整治提升行动方案（2023—2025年）"
    assert plan.heading_lines == (9, 10)
    # The attachment list is part of the notice, and a sub-heading ending in 名单 is no annex.
    assert [p.lines for p in document.sections[0].paragraphs] == [(4,), (5,), (6,), (7,), (8,)]
    assert [s.kind for s in document.sections].count("annex") == 0
    assert (document.issuer, document.date) == ("某县人民政府", "2023-05-10")


def test_a_repeated_line_is_a_running_header_only_at_page_breaks() -> None:
    # The annex title appears in the attachment note and over the annex: both stay. The
    # title repeated after a page number is the page's running header.
    lines = ["某市工作方案", "一、目标", "到2025年，全市新增就业岗位5万个以上。", "- 2 -",
             "某市工作方案", "二、措施", "加强组织领导，明确责任分工。", "附件：", "重点项目清单",
             "附件", "重点项目清单", "新建城市公园10个，改造老旧小区120个。"]  # fmt: skip
    source, _ = _source([text for line in lines for text in (line, "")])
    from briefing.structure import parse

    document = parse(source)
    assert document.dropped == ("- 2 -", "某市工作方案")
    assert [s.heading_lines for s in document.sections if s.kind == "annex"] == [(19, 21)]
    assert (15, 17) in [p.lines for p in document.paragraphs()]


WRAPPED_TEXT = (
    "过去一年，面对多重困难和挑战，全市上下攻坚克难、砥砺前行，经济社会发展取得新成效，"
    "高质量发展迈出坚实步伐。全年实施重点项目260个，完成投资1200亿元，新开工亿元以上项目"
    "85个，一批打基础利长远的重大工程建成投用，新增高新技术企业180家，数字经济规模增长"
    "12%，城乡居民收入稳步增长，民生保障更加有力，社会保持安定，各项事业全面进步。"
)


def _wrapped(width: int) -> list[SourceLine]:
    chunks = [WRAPPED_TEXT[i : i + width] for i in range(0, len(WRAPPED_TEXT), width)]
    lines = ["一、2024年工作回顾", *chunks, "二、2025年主要任务", *chunks]
    return [SourceLine(i, t, t) for i, t in enumerate(lines, start=1)]


def test_hard_wrapped_text_is_read_as_its_paragraphs() -> None:
    body = _wrapped(24)
    assert wrap_width(body) == 24
    lines, members = unwrap(body)
    assert [line.text for line in lines] == [
        "一、2024年工作回顾", WRAPPED_TEXT, "二、2025年主要任务", WRAPPED_TEXT]  # fmt: skip
    assert [n for n, _ in members[2]] == list(range(2, 2 + len(body) // 2 - 1))


def test_text_that_is_not_hard_wrapped_is_left_alone() -> None:
    _, nonblank = _source(["标题", DONE, "第二段也写完了。", DONE + "再加几个字。"] * 4)
    assert wrap_width(nonblank) is None
    assert unwrap(nonblank) == (nonblank, {})


def test_hard_wrapped_report() -> None:
    document = parse_file(CASES / "hard_wrapped_report.txt")
    assert document.dropped_reasons == ("salutation", "opening formula", "opening formula",
                                        "furniture", "furniture")  # fmt: skip
    sections = {s.heading_line: s for s in document.sections}
    assert sections[16].heading == "（二）坚持创新驱动，产业结构不断优化。"
    # The page break inside the paragraph: its lines skip the page number and header.
    assert sections[16].paragraphs[0].lines == (16, 17, 20)
    assert [len(s.paragraphs) for s in document.sections if s.heading_line == 25] == [3]


# --- what the web-page and PDF readers tell the rules, as styles (issue 18) ---------------


def _styled(lines: list[tuple[str, str | None]], fmt: str) -> SourceText:
    numbered = tuple(SourceLine(i, t, t, style) for i, (t, style) in enumerate(lines, start=1))
    return SourceText("x", fmt, None, "simplified", numbered)  # type: ignore[arg-type]


CUT = "全市将开展专项整治行动，各地各部门要加强组织领导，认真落实各项工作"  # stops mid-phrase
ON = "任务，确保取得实效。"


def test_a_caption_stands_apart() -> None:
    document = parse(_styled([("关于开展专项整治行动的通知", "Title"), ("会场全景", "Caption"),
                              (CUT, None), ("市政府召开动员会议", "Caption"), (ON, None),
                              ("一、工作目标", "Caption"), (DONE, None)], "html"))  # fmt: skip
    kinds = [(p.zh, p.kind) for s in document.sections for p in s.paragraphs]
    assert kinds == [("会场全景", "caption"), (CUT, "text"), ("市政府召开动员会议", "caption"),
                     (ON, "text"), ("一、工作目标", "caption"), (DONE, "text")]  # fmt: skip
    assert [s.heading for s in document.sections] == [None]  # a caption is never a heading
    assert document.subtitle is None and document.byline is None


def test_table_rows_are_never_joined_or_headings() -> None:
    rows = [("指标 2024年 2025年", "Table"), ("地区生产总值增长 5.1 5", "Table"),
            ("一、城镇新增就业 万人 12", "Table"), ("二、居民收入增长 同步", "Table")]  # fmt: skip
    document = parse(_styled([("主要指标", "Title"), (DONE, None), *rows], "html"))
    assert [p.zh for s in document.sections for p in s.paragraphs] == [DONE] + [r for r, _ in rows]
    assert [s.heading for s in document.sections] == [None]


def test_a_pdfs_running_lines_are_furniture_and_the_title_is_kept() -> None:
    title = "扬帆逐梦再启航 乘风破浪谱新篇"
    document = parse(_styled([(title, "Header"), (title, None), (CUT, None), ("1", "Footer"),
                              (title, "Header"), (ON, None), ("2", "Footer")], "pdf"))  # fmt: skip
    assert document.title == title
    assert document.dropped == (title, "1", title, "2")
    assert document.dropped_reasons == ("furniture",) * 4
    [paragraph] = [p for s in document.sections for p in s.paragraphs]
    assert paragraph.zh == CUT + ON and paragraph.lines == (3, 6)  # joined across the break


PLAIN_HEADINGS = [("某市政府工作报告", None), ("经济运行总体平稳", "Heading 1"), (DONE, None),
                  ("改革开放深化", "Heading 1"), (DONE, None)]  # fmt: skip


@pytest.mark.parametrize(
    ("lines", "fmt", "headings"),
    [
        # a PDF's heading styles where the text rules find no heading: used
        (PLAIN_HEADINGS, "pdf", ["经济运行总体平稳", "改革开放深化"]),
        # where they find some: the text rules win, the styles are not used
        ([("某市政府工作报告", None), ("一、主要工作", "Heading 1"), (DONE, None),
          ("经济运行总体平稳", "Heading 1"), (DONE, None), ("二、下一步安排", "Heading 1"),
          (DONE, None)], "pdf", ["一、主要工作", "二、下一步安排"]),
        # a .docx's or a web page's heading styles are the document's own: always used
        (PLAIN_HEADINGS, "html", ["经济运行总体平稳", "改革开放深化"]),
    ],
)  # fmt: skip
def test_heading_styles_by_format(
    lines: list[tuple[str, str | None]], fmt: str, headings: list[str]
) -> None:
    document = parse(_styled(lines, fmt))
    assert [s.heading for s in document.sections if s.heading] == headings


@pytest.mark.parametrize(("fmt", "paragraphs"), [("html", True), ("docx", True), ("pdf", False)])
def test_which_formats_have_lines_that_are_paragraphs(fmt: str, paragraphs: bool) -> None:
    source = _styled([(DONE, None), (DONE, None), (DONE, None)], fmt)
    assert lines_are_paragraphs(source, list(source.lines)) is paragraphs


@pytest.mark.parametrize("label", ["发稿时间：", "发布时间：", "成文日期：", ""])
def test_a_web_pages_date_line(label: str) -> None:
    document = parse(_styled([("关于开展专项整治行动的通知", "Title"), (f"{label}2021/7/1", None),
                              (DONE, None)], "html"))  # fmt: skip
    assert document.date == "2021-07-01"
