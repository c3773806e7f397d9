"""Flags in the briefing, end to end with a scripted test double: exactly the paragraphs
scripted to be wrong are shaded and commented, and the counts in the About block and the
--report file match the flags."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from briefing.checks import CHECKS_VERSION
from briefing.model import SourceInfo, count_by_kind
from briefing.options import TranslationOptions
from briefing.pipeline import build_briefing, translate_document, write_briefing, write_report
from briefing.present import report_json
from briefing.render.docx import COMMENT_AUTHOR, FLAG_FILL
from briefing.translate.prepare import normalise_numbers
from tests.conftest import ROOT
from tests.doubles import ScriptedTranslatorTestDouble

REPORT = ROOT / "tests" / "data" / "checks" / "report.txt"

GOOD = {
    "某市召开2025年经济工作会议": "City holds its 2025 economic work conference",
    "一、稳住经济增长": "1. Stabilising economic growth",
    "今年全市地区生产总值增长5.8%。": "This year the city's GDP grew by 5.8%.",
    "全年新增就业岗位7万个。": "70,000 new jobs were created over the year.",
    "全市常住人口达到670万人，比上年增加1.2万人。":
        "The city's resident population reached 6.7 million, 12,000 more than the year before.",
    "二、持续改善民生": "2. Continuing to improve people's livelihoods",
    "新建和改造农村公路1200公里。": "1,200 km of rural roads were built or upgraded.",
    "城镇调查失业率下降0.3个百分点。":
        "The surveyed urban unemployment rate fell by 0.3 percentage points.",
    "加快发展AI产业，推动数字经济和实体经济深度融合。":
        "We will speed up the AI industry and deepen the integration of the digital and real "
        "economies.",
    "全年实施六大民生工程，惠及千家万户。":
        "Six major livelihood projects were carried out over the year, benefiting countless "
        "families.",
}  # fmt: skip
BAD = {
    "全年新增就业岗位7万个。": "7 million new jobs were created over the year.",  # s1.p1
    "二、持续改善民生": "2. 持续 improve livelihoods",  # s2.h
    "加快发展AI产业，推动数字经济和实体经济深度融合。": "Speed up, speed up, speed up, speed up.",
}  # s2.p2
FLAGGED_UNITS = {"s1.p1", "s2.h", "s2.p2"}


def build(script: dict[str, str]) -> Any:
    # the model reads numbers written out (7万 -> 70,000): the script is keyed on that
    double = ScriptedTranslatorTestDouble({normalise_numbers(k)[0]: v for k, v in script.items()})
    options = TranslationOptions(glossary=False, retry=False)
    done = translate_document(REPORT, options, double)
    return build_briefing(done, None, SourceInfo(str(REPORT)), options)


def english_cells(document: Any) -> dict[str, Any]:
    cells = {}
    for table in document.tables:
        if len(table.columns) == 4 and table.rows[0].cells[1].text == "中文":
            for row in table.rows[1:]:
                cells[row.cells[0].paragraphs[0].text] = row.cells[2]
    return cells


def fill(cell: Any) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd"))
    return None if shd is None else shd.get(qn("w:fill"))


@pytest.fixture(scope="module")
def flagged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    briefing = build(GOOD | BAD)
    path = tmp_path_factory.mktemp("flags") / "b.docx"
    write_briefing(briefing, path)
    return briefing, docx.Document(str(path))


def test_the_scripted_good_english_gets_no_flag() -> None:
    assert build(GOOD).flags == []


def test_exactly_the_scripted_bad_units_are_flagged(flagged: tuple[Any, Any]) -> None:
    briefing, _ = flagged
    assert {s.parent for s in briefing.segments if s.flags} == FLAGGED_UNITS
    kinds = {s.id: {f.kind for f in s.flags} for s in briefing.segments if s.flags}
    assert kinds == {
        "s1.p1.2": {"number_mismatch"},
        "s2.h.1": {"untranslated"},
        "s2.p2.1": {"repetition", "omission"},
    }


def test_exactly_the_flagged_paragraphs_are_shaded(flagged: tuple[Any, Any]) -> None:
    _, document = flagged
    shaded = {pid for pid, cell in english_cells(document).items() if fill(cell) == FLAG_FILL}
    assert shaded == {"s1.p1", "s2.p2"}


def test_each_flagged_unit_carries_one_comment_saying_why(flagged: tuple[Any, Any]) -> None:
    briefing, document = flagged
    comments = list(document.comments)
    assert len(comments) == len(FLAGGED_UNITS)
    assert {c.author for c in comments} == {COMMENT_AUTHOR}
    text = "\n".join(c.text for c in comments)
    for segment in briefing.segments:
        for flag in segment.flags:
            assert f"{segment.id} {flag.kind}: {flag.detail}" in text
    assert "s1.p1.2 number_mismatch: 7万个 (70,000) is not in the English" in text
    # each comment is anchored on the English of its unit
    body = document.element.body
    anchored = [
        start.getparent().getparent()  # the paragraph's cell (the body, for a heading)
        for start in body.iter(qn("w:commentRangeStart"))
    ]
    assert len(anchored) == len(FLAGGED_UNITS)
    cells = english_cells(document)
    for pid in ("s1.p1", "s2.p2"):
        assert cells[pid]._tc in anchored


def test_a_flagged_heading_is_highlighted(flagged: tuple[Any, Any]) -> None:
    _, document = flagged
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    highlighted = [
        run.text for p in headings for run in p.runs if run.font.highlight_color is not None
    ]
    assert highlighted == ["[TEST MODEL – NOT A TRANSLATION] 2. 持续 improve livelihoods"]


def test_the_about_block_counts_flags_by_kind(flagged: tuple[Any, Any]) -> None:
    briefing, document = flagged
    about = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows}
    counts = count_by_kind(briefing.flags)
    kinds = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    shown = f"version {CHECKS_VERSION}: {len(briefing.flags)} flags ({kinds}) in 3 of"
    assert about["Checks"].startswith(shown)
    signature = f"|checks:{CHECKS_VERSION}|glossary:none|retry:off|memory:on"
    assert about["Signature"].endswith(signature)


def test_the_report_lists_every_segment_with_its_flags(
    flagged: tuple[Any, Any], tmp_path: Path
) -> None:
    briefing, _ = flagged
    path = write_report(briefing, tmp_path / "report.json")
    report = json.loads(path.read_text(encoding="utf-8"))
    assert report == report_json(briefing)
    assert [s["id"] for s in report["segments"]] == [s.id for s in briefing.segments]
    assert set(report["segments"][0]) == {"id", "zh", "en", "flags"}
    assert report["summary_segments"] == []  # built without a summary
    by_id = {s["id"]: s for s in report["segments"]}
    assert by_id["s1.p1.2"]["flags"] == [
        {"kind": "number_mismatch", "detail": "7万个 (70,000) is not in the English",
         "clause": "全年新增就业岗位7万个。"},
        {"kind": "number_mismatch", "detail": "the English has 7 million, which is not in the "
         "Chinese"},
    ]  # fmt: skip
    assert report["flags"] == count_by_kind(briefing.flags)
    assert report["signature"] == briefing.signature


def test_generate_report_through_the_cli_with_the_tiny_model(  # type: ignore[no-untyped-def]
    run_cli, tiny_model: Path, tmp_path: Path
) -> None:
    out, report_path = tmp_path / "b.docx", tmp_path / "segments.json"
    result = run_cli("generate", str(REPORT), "-o", str(out), "--model", str(tiny_model),
                     "--report", str(report_path))  # fmt: skip
    assert result.code == 0, result.err
    report = json.loads(report_path.read_text(encoding="utf-8"))
    segments = report["segments"]
    assert report["summary_segments"] == []  # this report states no targets, names no one
    assert [s["id"] for s in segments][:3] == ["title.1", "s1.h.1", "s1.p1.1"]
    flags = [f for s in segments for f in s["flags"]]
    total = sum(report["flags"].values())
    assert total == len(flags) > 0  # random weights: the checks must see it
    assert f"checks: {total} flags in {len(segments)} segments" in result.err
    flagged_units = {s["id"].rsplit(".", 1)[0] for s in segments if s["flags"]}
    assert len(list(docx.Document(str(out)).comments)) == len(flagged_units)


@pytest.mark.parametrize("clash", ["input", "output", "folder"])
def test_a_report_path_that_would_clobber_something_is_refused(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, clash: str
) -> None:
    out = tmp_path / "b.docx"
    target = {"input": REPORT, "output": out, "folder": tmp_path}[clash]
    result = run_cli("generate", str(REPORT), "-o", str(out), "--report", str(target))
    assert result.code == 2
    assert result.err.startswith("error: ") and "hint: " in result.err
    assert not out.exists()


def test_a_dismissed_flag_is_not_shaded_and_a_reviewer_s_comment_is_a_word_comment(
    tmp_path: Path,
) -> None:
    """What `briefing review` stores in the memory, as `generate` renders it."""
    from briefing.memory import open_memory, sentence_key
    from briefing.pipeline import generate
    from briefing.present import checks_row

    double = ScriptedTranslatorTestDouble(
        {normalise_numbers(k)[0]: v for k, v in (GOOD | BAD).items()}
    )
    options = TranslationOptions(glossary=False, retry=False)
    first = translate_document(REPORT, options, double)
    [jobs] = [s for s in first.segments if s.id == "s1.p1.2"]
    assert len(jobs.flags) == 2  # 7万 missing, 7 million invented
    paragraph = next(p for p in first.document.paragraphs() if p.id == "s2.p1")
    with open_memory() as memory:
        assert jobs.memory_key is not None
        for flag in jobs.flags:
            memory.dismiss(jobs.memory_key, flag.kind, flag.detail, jobs.en,
                           "the bureau's figure is 7 million", "Li Ming")  # fmt: skip
        note = "Check the road figure with the transport bureau."
        memory.add_comment(sentence_key(paragraph.analysis), paragraph.analysis, note, "Li Ming")
    from briefing.options import GenerateOptions

    out = tmp_path / "b.docx"
    done = generate(REPORT, out, GenerateOptions(translation=options), double)
    [judged] = [s for s in done.briefing.segments if s.id == "s1.p1.2"]
    assert judged.flags == () and judged.dismissed[0].who == "Li Ming"
    assert "2 dismissed by a reviewer as false alarms" in checks_row(done.briefing)
    document = docx.Document(str(out))
    cells = english_cells(document)
    assert fill(cells["s1.p1"]) is None and fill(cells["s2.p2"]) == FLAG_FILL
    by_author = {c.author: c for c in document.comments}
    assert by_author["Li Ming"].text == "Check the road figure with the transport bureau."
    assert by_author["Li Ming"].initials == "LM"
    assert "s1.p1.2" not in "\n".join(c.text for c in document.comments)
    anchored = [s.getparent().getparent() for s in document.element.body.iter(
        qn("w:commentRangeStart"))]  # fmt: skip
    assert cells["s2.p1"]._tc in anchored
    report = report_json(done.briefing)
    dismissed = next(s for s in report["segments"] if s["id"] == "s1.p1.2")["dismissed"][0]
    assert (dismissed["kind"], dismissed["who"]) == ("number_mismatch", "Li Ming")
