"""The Word briefing, reopened and read the way a reader would see it.

Made with the project's tiny test model through the real `briefing generate` path.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from briefing.checks import CHECKS_VERSION
from briefing.pipeline import parse_file
from briefing.present import TEST_MODEL_MARKER
from briefing.segment import segment_document
from briefing.translate.marian import MarianTranslator
from briefing.translate.resolve import from_folder
from tests.conftest import ROOT, SAMPLE
from tests.test_translate import direct_generate

MARK = f"[{TEST_MODEL_MARKER}] "


@pytest.fixture(scope="module")
def made(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's briefing, written by the CLI."""
    from briefing.cli import main

    out = tmp_path_factory.mktemp("briefing") / "sample.docx"
    try:
        main(["-q", "generate", str(SAMPLE), "-o", str(out), "--model", str(tiny_model),
              "--source-name", "Yancheng Daily",
              "--source-url", "https://example.org/a"])  # fmt: skip
    except SystemExit as exc:
        raise AssertionError(f"generate exited {exc.code}") from None
    return out


@pytest.fixture(scope="module")
def reopened(made: Path) -> Any:
    return docx.Document(str(made))


def paragraph_rows(document: Any) -> list[Any]:
    """Rows of the ID | 中文 | English | Status tables, header rows excluded."""
    rows = []
    for table in document.tables:
        if len(table.columns) == 4 and table.rows[0].cells[1].text == "中文":
            rows.extend(table.rows[1:])
    return rows


def test_every_paragraph_in_order_in_the_chinese_column(reopened: Any) -> None:
    parsed = parse_file(SAMPLE)
    rows = paragraph_rows(reopened)
    assert [row.cells[0].paragraphs[0].text for row in rows] == [p.id for p in parsed.paragraphs()]
    assert [row.cells[1].text for row in rows] == [p.zh for p in parsed.paragraphs()]


def test_each_english_cell_is_the_models_output_for_its_segments(
    tiny_model: Path, tmp_path: Path
) -> None:
    from briefing.cli import main

    out, report = tmp_path / "b.docx", tmp_path / "r.json"
    try:
        main(["-q", "generate", str(SAMPLE), "-o", str(out), "--model", str(tiny_model),
              "--no-retry", "--report", str(report)])  # fmt: skip
    except SystemExit as exc:
        raise AssertionError(f"generate exited {exc.code}") from None
    parsed = parse_file(SAMPLE)
    translator = MarianTranslator(from_folder(tiny_model, "--model"), device="cpu")
    segments = segment_document(parsed, translator.count_tokens, 200)
    # what the model read: the analysis copy with numbers written out (its glossary
    # placeholders, which random weights break, were translated again without them)
    model_input = {
        s["id"]: s.get("model_input") for s in json.loads(report.read_text("utf-8"))["segments"]
    }
    rows = {row.cells[0].paragraphs[0].text: row.cells[2].text for row in paragraph_rows(
        docx.Document(str(out)))}  # fmt: skip
    for paragraph in parsed.paragraphs():
        parts = [
            direct_generate(tiny_model, model_input[s.id] or s.analysis)
            for s in segments
            if s.parent == paragraph.id
        ]
        assert rows[paragraph.id] == MARK + " ".join(p for p in parts if p), paragraph.id


def test_section_headings_are_word_headings_in_english_and_chinese(reopened: Any) -> None:
    parsed = parse_file(SAMPLE)
    headings = [p for p in reopened.paragraphs if p.style.name.startswith("Heading")]
    for section in parsed.sections:
        if section.heading is None:
            continue
        match = [h for h in headings if section.heading in h.text]
        assert len(match) == 1, section.heading
        assert match[0].style.name == f"Heading {section.level}"
        assert match[0].text.startswith(MARK)


def _rpr(run: Any) -> Any:
    return run._r.find(qn("w:rPr"))


def test_chinese_runs_carry_the_east_asian_font_and_zh_cn(reopened: Any) -> None:
    checked = 0
    for row in paragraph_rows(reopened):
        for run in row.cells[1].paragraphs[0].runs:
            rpr = _rpr(run)
            fonts = rpr.find(qn("w:rFonts"))
            lang = rpr.find(qn("w:lang"))
            assert fonts.get(qn("w:eastAsia")) == "SimSun"
            assert fonts.get(qn("w:ascii")) == "SimSun"  # so “12345” gets CJK quotes too
            assert fonts.get(qn("w:hint")) == "eastAsia"
            assert (lang.get(qn("w:val")), lang.get(qn("w:eastAsia"))) == ("zh-CN", "zh-CN")
            checked += 1
    assert checked == 17


def test_english_runs_carry_the_latin_font(reopened: Any) -> None:
    for row in paragraph_rows(reopened):
        rpr = _rpr(row.cells[2].paragraphs[0].runs[0])
        assert rpr.find(qn("w:rFonts")).get(qn("w:ascii")) == "Calibri"
        assert rpr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"


def test_styles_have_no_theme_fonts_that_would_override_ours(made: Path) -> None:
    import zipfile

    styles = zipfile.ZipFile(made).read("word/styles.xml").decode()
    assert "eastAsiaTheme" not in styles and "asciiTheme" not in styles
    assert 'w:eastAsia="SimSun"' in styles and 'w:eastAsia="zh-CN"' in styles


def test_the_header_row_repeats_on_every_page(reopened: Any) -> None:
    tables = [t for t in reopened.tables if t.rows[0].cells[1].text == "中文"]
    assert len(tables) == 4  # the lead and three sections
    for table in tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"


def test_page_numbers_and_a4(reopened: Any) -> None:
    section = reopened.sections[0]
    instructions = [el.text.strip() for el in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_joined_paragraphs_carry_a_note(reopened: Any) -> None:
    notes = {row.cells[0].paragraphs[0].text: row.cells[0].text for row in paragraph_rows(reopened)}
    assert "joined across a page break: lines 21 + 23" in notes["s1.p4"]
    assert "joined across a page break: lines 45 + 47" in notes["s3.p3"]
    assert "joined" not in notes["s1.p3"]


def test_dropped_lines_are_listed_in_an_appendix(reopened: Any) -> None:
    texts = [p.text for p in reopened.paragraphs]
    start = texts.index("Appendix: lines dropped as page furniture")
    assert texts[start + 2 :] == list(parse_file(SAMPLE).dropped)


def test_front_matter_title_byline_and_about_block(reopened: Any) -> None:
    texts = [p.text for p in reopened.paragraphs]
    assert texts[0].startswith(MARK)  # the English title, labelled
    assert texts[1] == "扬帆逐梦再启航 乘风破浪谱新篇"
    assert "Reporters: Zhao Weiwei, Sun Xin, Zhang Mi (记者 赵伟伟 孙欣 张咪)" in texts
    about = {row.cells[0].text: row.cells[1].text for row in reopened.tables[0].rows}
    assert about["Notice"].startswith("Machine translation, not reviewed")
    assert about["Source"] == "Yancheng Daily"
    assert about["Source URL"] == "https://example.org/a"
    assert about["Source file"] == SAMPLE.name
    assert about["Engine"] == "transformers, float32, cpu, beam size 4"
    assert TEST_MODEL_MARKER in about["Model"]
    assert any(TEST_MODEL_MARKER in t and "means nothing" in t for t in texts)


def test_the_signature_is_in_the_about_block_and_the_properties(reopened: Any) -> None:
    about = {row.cells[0].text: row.cells[1].text for row in reopened.tables[0].rows}
    signature = about["Signature"]
    assert signature.startswith("briefing:0.1.0|model:")
    expected = f"|engine:transformers-float32|beam:4|segtok:200|checks:{CHECKS_VERSION}|glossary:"
    assert expected in signature
    assert signature.endswith("|retry:on|memory:on")
    assert signature in reopened.core_properties.comments
    assert TEST_MODEL_MARKER in reopened.core_properties.comments
    assert reopened.core_properties.title.startswith(MARK)


def test_fonts_are_configurable(run_cli, tiny_model: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "fonts.docx"
    result = run_cli("-q", "generate", str(SAMPLE), "-o", str(out), "--model", str(tiny_model),
                     "--cjk-font", "Noto Serif CJK SC", "--latin-font", "Georgia")  # fmt: skip
    assert result.code == 0, result.err
    row = paragraph_rows(docx.Document(str(out)))[0]
    assert (
        _rpr(row.cells[1].paragraphs[0].runs[0]).find(qn("w:rFonts")).get(qn("w:eastAsia"))
        == "Noto Serif CJK SC"
    )
    assert (
        _rpr(row.cells[2].paragraphs[0].runs[0]).find(qn("w:rFonts")).get(qn("w:ascii"))
        == "Georgia"
    )


def test_default_output_is_next_to_the_input(run_cli, tiny_model: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.txt"
    shutil.copy(SAMPLE, report)
    result = run_cli("generate", str(report), "--model", str(tiny_model))
    assert result.code == 0, result.err
    assert (tmp_path / "report.briefing.docx").is_file()
    assert f"wrote {tmp_path / 'report.briefing.docx'}" in result.err
    assert oct((tmp_path / "report.briefing.docx").stat().st_mode & 0o777) != "0o600"


@pytest.mark.parametrize("failure", [RuntimeError("model crashed"), KeyboardInterrupt()])
def test_an_existing_output_survives_a_failed_run_untouched(
    run_cli,
    tiny_model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failure: BaseException,  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "briefing.docx"
    out.write_bytes(b"the briefing from yesterday")

    def fail(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr("briefing.render.docx._Writer.appendix", fail)  # fails mid-render
    result = run_cli("generate", str(SAMPLE), "-o", str(out), "--model", str(tiny_model))
    assert result.code == (130 if isinstance(failure, KeyboardInterrupt) else 1)
    assert out.read_bytes() == b"the briefing from yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.docx"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["-o", "out.pdf"], "needs a .docx name"),
        (["--source-date", "someday"], "is not a date"),
    ],
)
def test_bad_options_exit_2(
    run_cli, tiny_model: Path, tmp_path: Path, args: list[str], words: str
) -> None:  # type: ignore[no-untyped-def]
    os.chdir(tmp_path)
    result = run_cli("generate", str(SAMPLE), "--model", str(tiny_model), *args)
    assert result.code == 2
    assert words in result.err.splitlines()[0]


def test_generate_without_a_model_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "BRIEFING_HOME": str(tmp_path / "home"),
           "HF_HOME": str(tmp_path / "hf"), "BRIEFING_MODEL": ""}  # fmt: skip
    out = tmp_path / "out" / "briefing.docx"
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "generate", str(SAMPLE), "-o", str(out),
         "--model", "Helsinki-NLP/opus-mt-zh-en"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 3
    assert done.stderr.splitlines()[-1].startswith("hint: run `briefing model download`")
    assert not out.exists()


@pytest.mark.libreoffice
def test_libreoffice_converts_the_briefing_to_pdf(made: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "needs LibreOffice: apt-get install libreoffice-writer-nogui fonts-noto-cjk"
    done = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(made)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / (made.stem + ".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stdout + done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 20_000


def test_the_executive_summary_has_the_targets_and_people_tables(reopened: Any) -> None:
    texts = [p.text for p in reopened.paragraphs]
    assert texts.index("Executive summary") < texts.index("Targets") < texts.index("People")
    targets = next(t for t in reopened.tables if t.rows[0].cells[1].text == "中文原文")
    all_rows = [[c.text for c in row.cells] for row in targets.rows[1:]]
    # a merged row (one cell across the table) names the section of the rows under it
    groups = [r[0] for r in all_rows if len(set(r)) == 1]
    assert len(groups) == 2 and groups[0].endswith("在因地制宜发展新质生产上勇当先锋")
    assert groups[1].startswith(MARK) and groups[1].endswith("在扎实推进共同富裕上用心用情")
    rows = [r for r in all_rows if len(set(r)) > 1]
    assert [r[2] for r in rows] == ["≥ 150 (each ≥ 100 million yuan)", "> 70,000", "≥ 1,000",
                                    "≥ 50,000", "≥ 46,000 person-times"]  # fmt: skip
    assert rows[0][1] == "全年新招引亿元以上海洋产业项目150个以上"
    assert rows[0][4] == "Sun Haishan 孙海山" and rows[1][4] == "Wu Qifei 吴启飞"
    assert [r[5] for r in rows] == ["s1.p2", "s3.p5", "s3.p5", "s3.p5", "s3.p5"]
    assert all(r[0].startswith(MARK) for r in rows)  # test-model descriptions are labelled
    assert targets.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    people = next(t for t in reopened.tables if t.rows[0].cells[0].text == "Name")
    names = [row.cells[0].text for row in people.rows[1:]]
    assert len(names) == 16 and names[0] == "Sun Haishan" and "(not named)" in names
    assert people.rows[-1].cells[2].text == "mentioned"


def test_a_long_signature_still_fits_word_s_255_character_properties(tmp_path: Path) -> None:
    from briefing.model import EngineInfo, SourceInfo
    from briefing.options import TranslationOptions
    from briefing.pipeline import build_briefing, translate_document, write_briefing
    from tests.doubles import EchoTranslatorTestDouble

    class LongIdDouble(EchoTranslatorTestDouble):
        def describe(self) -> EngineInfo:
            return EngineInfo("/very/long/" * 20, None, "echo", "none", "cpu", 1, True)

    double = LongIdDouble()
    done = translate_document(SAMPLE, TranslationOptions(retry=False), double)
    briefing = build_briefing(done, None, SourceInfo(str(SAMPLE)))
    path = write_briefing(briefing, tmp_path / "long.docx")
    comments = docx.Document(str(path)).core_properties.comments
    assert len(comments) == 255
    assert comments.startswith(f"{TEST_MODEL_MARKER}. Signature: briefing:")


def test_the_sample_briefing_built_with_the_tiny_model_carries_flags(reopened: Any) -> None:
    about = {row.cells[0].text: row.cells[1].text for row in reopened.tables[0].rows}
    assert about["Checks"].startswith(f"version {CHECKS_VERSION}: ")
    assert "Flagged English is shaded" in about["Checks"]  # random weights: flagged
    assert len(list(reopened.comments)) > 0


def test_no_two_tables_touch(made: Path) -> None:
    """Word and LibreOffice merge touching tables (the people table's header would then
    repeat over the report's paragraphs)."""
    body = docx.Document(str(made)).element.body
    tags = [child.tag for child in body.iterchildren()]
    assert tags.count(qn("w:tbl")) >= 6
    assert not any(a == b == qn("w:tbl") for a, b in itertools.pairwise(tags))


def test_the_untitled_lead_has_a_heading_of_its_own(reopened: Any) -> None:
    from briefing.render.docx import LEAD_HEADING

    headings = [p.text for p in reopened.paragraphs if p.style.name.startswith("Heading")]
    assert headings.index("People") + 1 == headings.index(LEAD_HEADING)
    first_section = next(s for s in parse_file(SAMPLE).sections if s.heading)
    assert first_section.heading in headings[headings.index(LEAD_HEADING) + 1]


def test_a_table_after_a_table_gets_a_paragraph_between() -> None:
    from docx.shared import Cm

    from briefing.render.docx import _fixed_table

    document = docx.Document()
    _fixed_table(document, 1, (Cm(3), Cm(3)))
    _fixed_table(document, 1, (Cm(3), Cm(3)))
    tags = [c.tag for c in document.element.body.iterchildren()]
    assert tags[:3] == [qn("w:tbl"), qn("w:p"), qn("w:tbl")]


def test_each_paragraph_shows_its_review_status_and_the_about_block_the_memory(
    reopened: Any,
) -> None:
    rows = paragraph_rows(reopened)
    headers = {tuple(c.text for c in t.rows[0].cells) for t in reopened.tables
               if t.rows[0].cells[1].text == "中文"}  # fmt: skip
    assert headers == {("ID", "中文", "English", "Status")}
    assert {row.cells[3].text for row in rows} == {"machine"}
    about = {row.cells[0].text: row.cells[1].text for row in reopened.tables[0].rows}
    assert about["Review"].startswith(f"{len(rows)} paragraphs: 0 edited, 0 approved, ")
    assert len(about["Review id"]) == 32
    assert about["Notice"].startswith("Machine translation, not reviewed.")


def test_without_the_memory_the_briefing_says_so_and_has_no_review_id(tmp_path: Path) -> None:
    from briefing.options import GenerateOptions, TranslationOptions
    from briefing.pipeline import generate
    from tests.doubles import EchoTranslatorTestDouble

    options = GenerateOptions(translation=TranslationOptions(memory=False))
    result = generate(SAMPLE, tmp_path / "b.docx", options, EchoTranslatorTestDouble())
    assert not result.briefing.signature.endswith("|memory:on")
    reopened = docx.Document(str(tmp_path / "b.docx"))
    about = {row.cells[0].text: row.cells[1].text for row in reopened.tables[0].rows}
    assert "Review id" not in about
    assert about["Review"].startswith("No translation memory was consulted (--no-memory)")
    assert {row.cells[3].text for row in paragraph_rows(reopened)} == {"machine"}


RUN_IN = (
    "2025年某市政府工作报告\n\n——2025年1月10日在某市第十七届人民代表大会第四次会议上\n\n"
    "市长 李明\n\n各位代表：\n\n一、2025年工作安排\n\n"
    "（一）大力提振消费。一是扩大服务消费，新建社区养老服务站100个。"
    "二是培育新型消费，打造消费新场景50个，推动线上线下融合发展。\n"
)


@pytest.fixture(scope="module")
def run_in_briefing(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from briefing.options import GenerateOptions, TranslationOptions
    from briefing.pipeline import generate
    from tests.doubles import EchoTranslatorTestDouble

    folder = tmp_path_factory.mktemp("run-in")
    report = folder / "report.txt"
    report.write_text(RUN_IN, encoding="utf-8")
    options = GenerateOptions(translation=TranslationOptions(retry=False, glossary=False))
    result = generate(report, folder / "b.docx", options, EchoTranslatorTestDouble())
    return docx.Document(str(result.output))


def test_a_run_in_subhead_is_bold_in_the_chinese_and_the_english(run_in_briefing: Any) -> None:
    [row] = [r for r in paragraph_rows(run_in_briefing) if r.cells[0].text == "s2.p1"]
    chinese = [(run.text, bool(run.bold)) for run in row.cells[1].paragraphs[0].runs]
    assert chinese == [
        ("一是扩大服务消费，新建社区养老服务站100个。", True),
        ("二是培育新型消费，打造消费新场景50个，推动线上线下融合发展。", False),
    ]
    english = [(run.text, bool(run.bold)) for run in row.cells[2].paragraphs[0].runs]
    assert english[0][1] and not any(bold for _, bold in english[1:])
    assert english[0][0].endswith("EN(一是扩大服务消费，新建社区养老服务站100个。)")
    assert "".join(text for text, _ in english) == row.cells[2].text


def test_the_about_block_names_who_delivered_the_report(run_in_briefing: Any) -> None:
    about = {r.cells[0].text: r.cells[1].text for r in run_in_briefing.tables[0].rows}
    assert about["Delivered by"] == "Li Ming, Mayor (李明)"
    assert "Issued by" not in about  # a work report names its speaker, not an issuer


def test_a_notice_s_issuer_and_number_are_in_the_about_block(tmp_path: Path) -> None:
    from briefing.options import GenerateOptions, TranslationOptions
    from briefing.pipeline import generate
    from tests.doubles import EchoTranslatorTestDouble

    report = tmp_path / "notice.txt"
    report.write_text(
        "发布部门：某市人民政府办公室\n发文字号：某政办发〔2024〕7号\n\n"
        "某市人民政府办公室关于印发某市数据管理办法的通知\n\n某政办发〔2024〕7号\n\n"
        "各区人民政府，市政府各部门：\n\n现将《某市数据管理办法》印发给你们，请认真贯彻执行。\n\n"
        "某市人民政府办公室\n\n2024年3月1日\n",
        encoding="utf-8",
    )
    options = GenerateOptions(translation=TranslationOptions(retry=False, glossary=False))
    result = generate(report, tmp_path / "b.docx", options, EchoTranslatorTestDouble())
    rows = docx.Document(str(result.output)).tables[0].rows
    about = {r.cells[0].text: r.cells[1].text for r in rows}
    assert about["Issued by"] == "某市人民政府办公室"
    assert about["Document number"] == "某政办发〔2024〕7号"


def test_a_photo_caption_is_set_apart_in_italics(tmp_path: Path) -> None:
    """A web page's photo caption is a caption in the briefing too, never body text."""
    from briefing.ingest import read_source
    from briefing.options import GenerateOptions, TranslationOptions
    from briefing.pipeline import generate
    from briefing.structure import parse
    from tests.doubles import RecordingTranslatorTestDouble
    from tests.pages import CAPTION, government_page

    page = tmp_path / "page.html"
    page.write_text(government_page(parse(read_source(SAMPLE))), encoding="utf-8")
    out = tmp_path / "page.docx"
    options = GenerateOptions(translation=TranslationOptions(retry=False))
    generate(page, out, options, RecordingTranslatorTestDouble())
    rows = paragraph_rows(docx.Document(str(out)))
    caption = [row for row in rows if row.cells[1].text == CAPTION]
    assert len(caption) == 1
    assert "photo caption" in caption[0].cells[0].text
    runs = [r for cell in caption[0].cells[1:3] for r in cell.paragraphs[0].runs if r.text]
    assert runs and all(run.italic for run in runs)
    body = [row for row in rows if row.cells[1].text != CAPTION]
    assert body and not any(run.italic for row in body for run in row.cells[1].paragraphs[0].runs)


def test_an_english_title_longer_than_word_allows_in_its_properties_is_cut_there(
    tmp_path: Path,
) -> None:
    """Word's core properties hold 255 characters; a long title (or a model run wild) is
    cut there, with an ellipsis, and kept whole in the document."""
    from briefing.options import GenerateOptions, TranslationOptions
    from briefing.pipeline import generate
    from tests.doubles import EchoTranslatorTestDouble

    class WordyTestDouble(EchoTranslatorTestDouble):
        def translate(self, texts: Any, on_batch: Any = None) -> list[str]:
            return [" ".join(["Long English"] * 40) for _ in texts]

    out = tmp_path / "wordy.docx"
    options = GenerateOptions(translation=TranslationOptions(retry=False, memory=False))
    generate(SAMPLE, out, options, WordyTestDouble())
    reopened = docx.Document(str(out))
    title = reopened.core_properties.title
    assert 200 < len(title) <= 255 and title.endswith("…")
    assert title[:-1].rstrip() in "\n".join(p.text for p in reopened.paragraphs)
