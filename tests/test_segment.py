"""Segmentation: sentences sized for the model, never cut inside a number, never lost."""

from __future__ import annotations

import pytest

from briefing.pipeline import parse_file
from briefing.segment import (
    Piece,
    fit_pieces,
    fit_to_budget,
    segment_document,
    segment_text,
    split_clauses,
    split_sentences,
)
from tests.conftest import SAMPLE


def chars(text: str) -> int:
    """A stand-in token counter for the pure rules: one token per character."""
    return len(text)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("发展新质生产力。推动高质量发展。", ["发展新质生产力。", "推动高质量发展。"]),
        ("奋力谱写新篇章!全市上下将奋勇争先!", ["奋力谱写新篇章!", "全市上下将奋勇争先!"]),
        ("奋力谱写新篇章！全市上下将奋勇争先！", ["奋力谱写新篇章！", "全市上下将奋勇争先！"]),
        ("能做到吗?能。", ["能做到吗?", "能。"]),
        ("能做到吗？能。", ["能做到吗？", "能。"]),
        ("以开放创新聚合力;立足江苏。", ["以开放创新聚合力;", "立足江苏。"]),
        ("以开放创新聚合力；立足江苏。", ["以开放创新聚合力；", "立足江苏。"]),
        ("还有很多……下一步再说。", ["还有很多……", "下一步再说。"]),
        ("还有很多...下一步再说。", ["还有很多...", "下一步再说。"]),
        ("真的吗?!当然。", ["真的吗?!", "当然。"]),
        # closing quotes and brackets stay with their sentence
        ("“要推动现代农业培优壮链。”局长表示。", ["“要推动现代农业培优壮链。”", "局长表示。"]),
        ("(以上数据为初步统计。)下同。", ["(以上数据为初步统计。)", "下同。"]),
        ('他说:"好。"然后走了。', ['他说:"好。"', "然后走了。"]),
        # nothing splits inside a number
        ("增长3.5%。新增4.6万人次。", ["增长3.5%。", "新增4.6万人次。"]),
        ("总额1,200.5亿元,同比增长6.1%", ["总额1,200.5亿元,同比增长6.1%"]),
        # a paragraph with no final stop keeps its tail
        ("第一句。没有句号的结尾", ["第一句。", "没有句号的结尾"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences
    assert "".join(sentences) == text


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "全年1,000人,达到08:30,其中、包括：结束",
            ["全年1,000人,", "达到08:30,", "其中、", "包括：", "结束"],
        ),
        ("一，二，三", ["一，", "二，", "三"]),
    ],
)
def test_split_clauses_never_inside_numbers(text: str, clauses: list[str]) -> None:
    assert split_clauses(text) == clauses


def test_an_over_budget_sentence_is_packed_by_clauses() -> None:
    text = "甲甲甲,乙乙乙,丙丙丙,丁丁丁。"
    assert fit_to_budget(text, chars, 8) == ["甲甲甲,乙乙乙,", "丙丙丙,丁丁丁。"]


def test_a_clause_over_budget_is_cut_at_the_budget_but_not_inside_a_number() -> None:
    text = "全年新招引亿元以上海洋产业项目150个以上"
    pieces = fit_to_budget(text, chars, 16)
    assert "".join(pieces) == text
    assert all(chars(p) <= 16 for p in pieces)
    assert pieces == ["全年新招引亿元以上海洋产业项目", "150个以上"]
    assert fit_to_budget("增长4.6万人次以上", chars, 4) == ["增长", "4.6万", "人次以上"]


def test_a_number_longer_than_the_budget_alone_is_cut_never_dropped_and_marked() -> None:
    """It was kept whole, so a 1,500-digit number reached the model past its 512 positions."""
    assert fit_pieces("12345678", chars, 3) == [
        Piece("123", True), Piece("456", True), Piece("78", True)
    ]
    assert fit_pieces("共12345678人。", chars, 5) == [
        Piece("共", False), Piece("12345", True), Piece("678人。", True)
    ]
    assert fit_pieces("长" * 9, chars, 4) == [Piece("长长长长", False), Piece("长长长长", False),
                                               Piece("长", False)]  # fmt: skip


def test_a_long_clause_is_cut_with_a_logarithmic_number_of_counts_per_piece() -> None:
    counted: list[int] = []

    def counting(text: str) -> int:
        counted.append(len(text))
        return len(text)

    text = "长" * 20_000  # one clause, no punctuation
    pieces = fit_pieces(text, counting, 200)
    assert "".join(p.text for p in pieces) == text and len(pieces) == 100
    assert len(counted) <= 100 * 20  # galloping + bisection: ~16 counts a piece
    assert sum(counted) <= 100 * 20 * 400 + 2 * len(text)  # none counts the whole rest


def test_the_budget_holds_for_what_the_model_reads_not_the_chinese() -> None:
    """7万 becomes 70,000 and a glossary term a placeholder before the model reads them:
    sized on the Chinese, such a segment reached the model over the budget."""
    from briefing.translate.policy import model_tokens, prepare
    from tests.doubles import EchoTranslatorTestDouble

    double = EchoTranslatorTestDouble()  # one token per character
    terms = {"新质": "new quality"}
    zh = "新增就业岗位" + "7万" * 100 + "个，发展" + "新质" * 50 + "。"
    budget = 60
    segments = segment_text("s1.p1", zh, zh, model_tokens(double, terms), budget)
    assert "".join(s.zh for s in segments) == zh
    read = [prepare(s.analysis, terms) for s in segments]
    assert max(len(p.protected.text) for p in read) <= budget
    assert max(len(p.plain) for p in read) <= budget
    assert max(len(p.plain) for p in read) > budget // 2  # it packs, it does not crumble


def test_punctuation_only_segments_are_not_sent_to_the_model() -> None:
    segments = segment_text("s1.p1", "……", "……", chars, 200)
    assert [(s.id, s.translatable) for s in segments] == [("s1.p1.1", False)]


def test_segment_ids_extend_their_parents() -> None:
    document = parse_file(SAMPLE)
    segments = segment_document(document, chars, 200)
    ids = [s.id for s in segments]
    assert ids[:3] == ["title.1", "subtitle.1", "s0.p1.1"]
    assert "s1.h.1" in ids and "s3.p5.2" in ids
    assert all(s.id.startswith(s.parent + ".") for s in segments)


def test_segments_give_back_every_unit_whole() -> None:
    document = parse_file(SAMPLE)
    segments = segment_document(document, chars, 40)
    for paragraph in document.paragraphs():
        parts = [s.zh for s in segments if s.parent == paragraph.id]
        assert "".join(parts) == paragraph.zh
    assert max(chars(s.analysis) for s in segments) <= 40


def test_traditional_text_is_cut_where_its_simplified_copy_is() -> None:
    segments = segment_text(
        "s1.p1", "會場內,與會同志。發展。", "会场内,与会同志。发展。", chars, 200
    )
    assert [(s.zh, s.analysis) for s in segments] == [
        ("會場內,與會同志。", "会场内,与会同志。"),
        ("發展。", "发展。"),
    ]


def test_a_long_title_and_heading_are_split_like_paragraphs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import docx

    document = docx.Document()
    document.add_paragraph("关于推进高质量发展的通知" * 20, style="Title")
    document.add_paragraph("一、加快建设现代化产业体系" * 20, style="Heading 1")
    document.add_paragraph("全市将开展专项整治行动，各地各部门要加强组织领导，确保取得实效。")
    path = tmp_path / "long.docx"
    document.save(str(path))
    parsed = parse_file(path)
    segments = segment_document(parsed, chars, 40)
    for parent in ("title", "s1.h"):
        parts = [s for s in segments if s.parent == parent]
        assert len(parts) > 1 and all(chars(s.analysis) <= 40 for s in parts)
