"""Wiring the stages: units' English, source details found in the report, output checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.errors import UsageError
from briefing.model import SourceInfo
from briefing.output import atomic_output
from briefing.pipeline import (
    build_briefing,
    check_output,
    check_translations,
    default_output,
    found_source,
    parse_file,
    translate_document,
)
from tests.conftest import CASES, SAMPLE
from tests.doubles import EchoTranslatorTestDouble


def test_each_unit_gets_the_english_of_its_segments_in_order() -> None:
    document = parse_file(SAMPLE)
    double = EchoTranslatorTestDouble()
    translated = check_translations(translate_document(document, double, 200, quiet=True))
    briefing = build_briefing(document, translated, double, SourceInfo(str(SAMPLE)), 200)
    assert briefing.english["title"] == "EN(扬帆逐梦再启航 乘风破浪谱新篇)"
    assert briefing.english["s2.h"] == "EN(在持续增强经济韧性上彰显担当)"
    s0p1 = briefing.english["s0.p1"]
    assert s0p1.startswith("EN(初夏时节,盐阜大地生机勃勃、万象更新。) EN(5月7日,")
    assert set(briefing.english) == {"title", "subtitle"} | {
        f"{s.id}.h" for s in document.sections if s.heading
    } | {p.id for p in document.paragraphs()}


@pytest.mark.xfail(
    strict=True,
    reason="issue 14: the 来源 line is Document.source_name now, not the byline; "
    "found_source still reads the byline (pipeline wiring pending): wire it, then drop this mark",
)
def test_source_details_are_found_in_the_report_unless_given() -> None:
    document = parse_file(CASES / "no_headings.txt")
    found = found_source(document, SourceInfo("x.txt"))
    assert (found.name, found.date) == ("新华社", "2025-05-07")
    given = found_source(document, SourceInfo("x.txt", name="Xinhua", date="2025-05-06"))
    assert (given.name, given.date) == ("Xinhua", "2025-05-06")


def test_a_url_in_the_report_is_its_source_url(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text(
        "某市发布关于开展安全生产专项整治行动的通知\n\n全市将开展安全生产专项整治行动,"
        "各地各部门要加强组织领导,确保取得实效。\n\n原文链接:https://www.example.gov.cn/art/1.html\n",
        encoding="utf-8",
    )
    document = parse_file(report)
    assert found_source(document, SourceInfo(str(report))).url == (
        "https://www.example.gov.cn/art/1.html"
    )


def test_default_output_name() -> None:
    assert default_output(Path("in/report.txt")) == Path("in/report.briefing.docx")


@pytest.mark.parametrize(
    ("output", "words"),
    [("b.pdf", "needs a .docx name"), ("folder.docx", "is a folder")],
)
def test_check_output(tmp_path: Path, output: str, words: str) -> None:
    (tmp_path / "folder.docx").mkdir()
    with pytest.raises(UsageError) as caught:
        check_output(SAMPLE, tmp_path / output)
    assert words in caught.value.message


def test_atomic_output_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    target.write_text("old")
    with pytest.raises(ValueError), atomic_output(target) as temporary:
        temporary.write_text("half")
        raise ValueError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]
    with atomic_output(target) as temporary:
        temporary.write_text("new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]
