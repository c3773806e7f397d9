"""Wiring the stages: units' English, source details found in the report, output checks."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from briefing.errors import UsageError
from briefing.model import Fonts, ProgressEvent, SourceInfo
from briefing.options import GenerateOptions, TranslationOptions
from briefing.output import atomic_output
from briefing.pipeline import (
    build_briefing,
    check_output,
    default_output,
    found_source,
    generate,
    parse_file,
    translate_document,
)
from briefing.render.docx import FLAG_FILL
from tests.conftest import CASES, ROOT, SAMPLE
from tests.doubles import (
    EchoTranslatorTestDouble,
    RecordingTranslatorTestDouble,
    ScriptedTranslatorTestDouble,
)


def test_each_unit_gets_the_english_of_its_segments_in_order() -> None:
    double = EchoTranslatorTestDouble()
    options = TranslationOptions(glossary=False, retry=False)
    done = translate_document(SAMPLE, options, double)
    document = done.document
    briefing = build_briefing(done, None, SourceInfo(str(SAMPLE)), options)
    assert briefing.english["title"] == "EN(扬帆逐梦再启航 乘风破浪谱新篇)"
    assert briefing.english["s2.h"] == "EN(在持续增强经济韧性上彰显担当)"
    s0p1 = briefing.english["s0.p1"]
    assert s0p1.startswith("EN(初夏时节,盐阜大地生机勃勃、万象更新。) EN(5月7日,")
    assert set(briefing.english) == {"title", "subtitle"} | {
        f"{s.id}.h" for s in document.sections if s.heading
    } | {p.id for p in document.paragraphs()}


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


# --- the run as one library call ------------------------------------------------------

PLAN = (
    "某市2025年工作要点\n\n"
    "一、发展新质生产力\n\n"
    "今年,全市将发展新质生产力,确保新增就业岗位7万个,新招引亿元以上项目120个以上。\n"
)


def test_a_target_clause_reaches_the_model_as_the_body_does(tmp_path: Path) -> None:
    """The summary goes through the translation policy: its 万 written out, its glossary
    terms protected, never the raw clause."""
    report = tmp_path / "plan.txt"
    report.write_text(PLAN, encoding="utf-8")
    recording = RecordingTranslatorTestDouble()
    result = generate(report, tmp_path / "b.docx", GenerateOptions(), recording)
    jobs = next(t for t in result.briefing.summary.targets if t.value == 70_000)  # type: ignore[union-attr]
    assert jobs.zh == "确保新增就业岗位7万个"
    seen = "\n".join(recording.seen)
    assert "确保新增就业岗位70,000个" in seen and "确保新增就业岗位7万个" not in seen
    # the clause with the glossary term went in with a placeholder, not the term
    assert any(text.startswith("今年,全市将发展 XZA") for text in recording.seen)
    assert not any("新质生产力" in text for text in recording.seen)


def test_a_summary_flag_reaches_the_briefing(tmp_path: Path) -> None:
    report = tmp_path / "plan.txt"
    report.write_text(PLAN, encoding="utf-8")
    wrong = "Ensure 7 million new jobs."  # 7万 is 70,000: the checks must say so
    double = ScriptedTranslatorTestDouble(
        {
            "某市2025年工作要点": "City work points for 2025",
            "一、发展 XZA": "1. Developing XZA",
            "今年,全市将发展 XZA ,确保新增就业岗位70,000个,新招引亿元以上项目120个以上。":
                "This year the city will develop XZA, ensure 70,000 new jobs and attract at "
                "least 120 projects of at least 100 million yuan each.",
            "确保新增就业岗位70,000个": wrong,
            "就业岗位": "jobs",
            "新招引亿元以上项目120个以上": "Attract at least 120 projects of 100 million yuan",
            "项目": "projects",
        }
    )  # fmt: skip
    options = GenerateOptions(report=tmp_path / "report.json")
    result = generate(report, tmp_path / "b.docx", options, double)
    summary = result.briefing.summary
    assert summary is not None
    jobs = next(t for t in summary.targets if t.value == 70_000)
    assert jobs.en == wrong and [f.kind for f in jobs.flags] == ["number_mismatch"] * 2
    assert all(not t.flags for t in summary.targets if t is not jobs)
    # in the briefing: the targets table's English cell is shaded and commented
    document = docx.Document(str(result.output))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "中文原文")
    row = next(r for r in table.rows[1:] if r.cells[1].text == jobs.zh)
    shading = row.cells[0]._tc.tcPr.find(qn("w:shd"))
    assert shading is not None and shading.get(qn("w:fill")) == FLAG_FILL
    comments = [c.text for c in document.comments]
    assert any(f"{jobs.id} number_mismatch: 7万个 (70,000)" in c for c in comments)
    about = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows}
    assert "1 of 4 summary descriptions" in about["Checks"]
    # and in the report, counted with the rest
    payload = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    flagged = [s["id"] for s in payload["summary_segments"] if s["flags"]]
    assert flagged == [f"summary.{jobs.id}.1"]
    assert payload["flags"] == {"number_mismatch": 2}


def test_generate_reports_progress_through_its_callback(tmp_path: Path) -> None:
    events: list[ProgressEvent] = []
    result = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(),
                      EchoTranslatorTestDouble(), on_progress=events.append)  # fmt: skip
    stages = list(dict.fromkeys(e.stage for e in events))
    assert stages == ["translate", "retry", "summary", "summary retry"]
    sent = sum(1 for s in result.briefing.segments if s.origin == "mt")
    translate = [e for e in events if e.stage == "translate"]
    assert translate[0].done == 0 and translate[-1].done == translate[-1].total == sent
    assert all(a.done <= b.done for a, b in itertools.pairwise(translate))


def test_people_are_found_once_per_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import briefing.people

    calls: list[str] = []
    original = briefing.people.find_speakers

    def counting(document: Any) -> Any:
        calls.append(document.source.path)
        return original(document)

    monkeypatch.setattr(briefing.people, "find_speakers", counting)
    result = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(), EchoTranslatorTestDouble())
    assert calls == [str(SAMPLE)]
    assert result.briefing.summary is not None and len(result.briefing.summary.people) == 16


def test_options_refuse_impossible_settings_before_anything_runs() -> None:
    with pytest.raises(UsageError) as caught:
        TranslationOptions(beam_size=0)
    assert "--beam-size must be at least 1" in caught.value.message
    with pytest.raises(UsageError):
        TranslationOptions(max_segment_tokens=2)
    with pytest.raises(UsageError):
        TranslationOptions(engine="fastest")  # type: ignore[arg-type]


def test_a_bad_source_date_is_refused_before_the_model_loads(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(source_date="soon"))
    assert "--source-date 'soon' is not a date" in caught.value.message
    assert not (tmp_path / "b.docx").exists()


def test_importing_the_renderer_loads_no_engine() -> None:
    """The renderer depends on the data model, `present` and python-docx only."""
    code = (
        "import sys, briefing.render.docx; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'transformers', "
        "'ctranslate2') or m.startswith(('briefing.translate', 'briefing.checks', "
        "'briefing.names', 'briefing.summary'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


# --- characters a Word document cannot hold (issue 16) ----------------------------------


class _ControlCharacterTestDouble(EchoTranslatorTestDouble):
    """Echoes, with a control character in every English (as a model's vocabulary may)."""

    def translate(self, texts: Any, on_batch: Any = None) -> list[str]:
        return [f"{en}\x07" for en in super().translate(texts, on_batch)]


def test_a_report_with_control_characters_becomes_a_briefing(tmp_path: Path) -> None:
    """A \\x01 in the report passed `parse` and crashed the renderer after translation."""
    report = tmp_path / "r\x01.txt"  # in the file name too: it is shown in the briefing
    report.write_text("关于推进高质量发展的通知\n\n全市将开展专项\x01整治行动，确保取得实效。\n",
                      encoding="utf-8")  # fmt: skip
    result = generate(report, tmp_path / "b.docx", GenerateOptions(),
                      _ControlCharacterTestDouble())  # fmt: skip
    document = docx.Document(str(result.output))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "\x01" not in text and "\x07" not in text
    assert "r\ufffd.txt" in text


@pytest.mark.parametrize(
    ("option", "given"),
    [("--source-name", {"source_name": "Daily\x02"}),
     ("--source-url", {"source_url": "https://x.cn/\x00"}),
     ("--source-date", {"source_date": "2025-05-08\x0b"}),
     ("--cjk-font", {"fonts": Fonts(cjk="Sim\x1bSun")}),
     ("--latin-font", {"fonts": Fonts(latin="\udcff")})],  # a byte that is not UTF-8
)  # fmt: skip
def test_option_values_xml_cannot_hold_are_refused_when_the_options_are_made(
    option: str, given: dict[str, Any]
) -> None:
    """So before any file is read or model loaded (they crashed the renderer at the end)."""
    with pytest.raises(UsageError) as caught:
        GenerateOptions(**given)
    assert caught.value.message.startswith(f"{option} has a character a Word document cannot")
    with pytest.raises(UsageError, match="--model has a character"):
        TranslationOptions(model="/models/\x01")
