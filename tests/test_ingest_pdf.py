"""The PDF reader: blocks from a PDF's text layer, page furniture, headings by font, PDFs
it must refuse, and the sample through LibreOffice parsing to what the .txt parses to."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.ingest import read_source
from briefing.model import Document, SourceText
from briefing.structure import parse
from tests.conftest import SAMPLE
from tests.pdfs import Text, page_of, pdf

TXT = parse(read_source(SAMPLE))
ONE = "初夏时节，盐阜大地生机勃勃、万象更新。全会明确以科技创新为引领、以实体经济为根基，推动创新链产业链资金链人才链深度融合，为全市加快发展新质生产力指明了方向。"  # noqa: E501
TWO = "会场内，与会同志通过学习讨论、深学细悟，进一步深化了认识、完善了思路、激发了干劲，一致表示要把重要讲话精神转化为干事创业的强大动力和实际行动。"  # noqa: E501


def _read(tmp_path: Path, data: bytes, name: str = "report.pdf") -> SourceText:
    path = tmp_path / name
    path.write_bytes(data)
    return read_source(path)


def _texts(document: Document) -> list[str]:
    return [p.zh for s in document.sections for p in s.paragraphs if p.kind == "text"]


def _furniture(page: int) -> list[Text]:
    return [Text(72, 30, "盐城日报 2025年5月8日", 9), Text(290, 810, f"- {page} -", 9)]


def test_paragraphs_running_lines_and_a_paragraph_cut_by_a_page_break(tmp_path: Path) -> None:
    # the third paragraph's last line goes on page 2
    first = page_of([ONE, TWO, ONE], top=110)
    page1 = [Text(150, 72, "扬帆逐梦再启航 乘风破浪谱新篇", 18, "SimSun-Bold"), *first[:-1]]
    rest = [Text(72, 72, first[-1].text, 12)]
    page2 = [*rest, *page_of([TWO], top=90)]
    source = _read(tmp_path, pdf([page1 + _furniture(1), page2 + _furniture(2)]))
    document = parse(source)
    assert document.title == "扬帆逐梦再启航 乘风破浪谱新篇"
    assert _texts(document) == [ONE, TWO, ONE, TWO]
    [joined] = [p for s in document.sections for p in s.paragraphs if p.joined]
    assert len(joined.lines) == 2  # the two blocks, on either side of the page break
    assert document.dropped == ("盐城日报 2025年5月8日", "- 1 -", "盐城日报 2025年5月8日", "- 2 -")
    styles = [line.style for line in source.lines if line.style]
    assert styles == ["Header", "Footer", "Header", "Footer"]
    assert [line.number for line in source.lines] == list(range(1, len(source.lines) + 1))


def test_no_space_is_put_inside_chinese_text_or_numbers(tmp_path: Path) -> None:
    # the digits in another font, and a gap before and after them, as Word sets them
    line = Text(
        72, 72, "确保全年吸引超7万人返乡就业创业，引进5万人以上。", gaps={6: 3.0, 7: 3.0, 18: 3.0}
    )
    latin = Text(72, 100, "发展new quality productive forces。", gaps={6: 4.0, 13: 4.0, 24: 4.0})
    spaced = Text(72, 128, "扬帆逐梦再启航 乘风破浪谱新篇")
    source = _read(tmp_path, pdf([[line], [latin], [spaced]]))
    assert [line.text for line in source.lines] == [
        "确保全年吸引超7万人返乡就业创业，引进5万人以上。",
        "发展new quality productive forces。",
        "扬帆逐梦再启航 乘风破浪谱新篇",
    ]


def test_a_line_that_breaks_at_a_space_keeps_it_where_the_pdf_has_it(tmp_path: Path) -> None:
    title = [Text(72, 72, "扬帆逐梦再启航 ", 18), Text(72, 96, "乘风破浪谱新篇", 18)]
    source = _read(tmp_path, pdf([[*title, *page_of([ONE], top=130)]]))
    assert [line.text for line in source.lines] == ["扬帆逐梦再启航 乘风破浪谱新篇", ONE]


def test_columns_are_read_one_after_the_other(tmp_path: Path) -> None:
    left = page_of([ONE], left=50, chars=20, size=11)
    right = page_of([TWO], left=320, chars=20, size=11)
    source = _read(tmp_path, pdf([left + right]))
    assert [line.text for line in source.lines] == [ONE, TWO]


PLAIN = "经济运行总体平稳"  # no marker, no parallel form: only its type says it is a heading
OTHER = "改革开放深化"


def test_headings_from_font_size_where_the_text_rules_find_none(tmp_path: Path) -> None:
    lines = [Text(200, 60, "某市政府工作报告", 20)]
    y = 100.0
    for heading, text in ((PLAIN, ONE), (OTHER, TWO)):
        lines.append(Text(72, y, heading, 15, "SimHei-Bold"))
        body = page_of([text], top=y + 28)
        lines += body
        y = body[-1].top + 36
    document = parse(_read(tmp_path, pdf([lines])))
    assert document.title == "某市政府工作报告"
    assert [(s.heading, s.level) for s in document.sections] == [(PLAIN, 1), (OTHER, 1)]


def test_font_headings_give_way_to_the_text_rules(tmp_path: Path) -> None:
    lines = [Text(200, 60, "某市政府工作报告", 20)]
    y = 100.0
    for heading, text in (("一、主要工作", ONE), (PLAIN, TWO), ("二、下一步安排", ONE)):
        lines.append(Text(72, y, heading, 15, "SimHei-Bold"))
        body = page_of([text], top=y + 28)
        lines += body
        y = body[-1].top + 36
    document = parse(_read(tmp_path, pdf([lines])))
    assert [s.heading for s in document.sections if s.heading] == ["一、主要工作", "二、下一步安排"]


REFUSED = {
    "no text layer": (pdf([[]]), "no text layer", "OCR"),
    "encrypted": (pdf([page_of([ONE])], encrypted=True), "encrypted with a password", "qpdf"),
    "no character map": (pdf([page_of([ONE])], to_unicode=False), "cannot be read", "OCR"),
    "cut in half": (pdf([page_of([ONE])])[:700], "not a readable PDF", "save or print"),
    "not a pdf": (b"%PDF-1.4\n" + b"\x00garbage" * 50, "not a readable PDF", "save or print"),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_pdfs_it_cannot_read_are_refused_with_a_hint(
    tmp_path: Path, case: tuple[bytes, str, str]
) -> None:
    data, words, hint = case
    with pytest.raises(InputError) as caught:
        _read(tmp_path, data)
    assert words in caught.value.message and "report.pdf" in caught.value.message
    assert hint in caught.value.hint


def test_a_pdf_past_max_chars_is_refused_by_the_page(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="too long"):
        path = tmp_path / "long.pdf"
        path.write_bytes(pdf([page_of([ONE, TWO])] * 3))
        read_source(path, max_chars=200)


def test_parse_and_targets_read_a_pdf(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf([[Text(150, 72, "扬帆逐梦再启航", 18), *page_of([ONE, TWO], top=110)]]))
    parsed = run_cli("parse", str(path))
    assert parsed.code == 0 and "(pdf, pdf, simplified)" in parsed.out
    assert run_cli("targets", str(path), "--json").code == 0


# --- the sample through LibreOffice (issue 18) ----------------------------------------------


def _sample_docx(path: Path, columns: int) -> None:
    """The sample as a Word document: A4, the title as a running header, page numbers in
    the footer, bold headings, paragraphs with a first-line indent; in two columns, the
    paragraphs justified."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if columns > 1:
        layout = OxmlElement("w:cols")
        layout.set(qn("w:num"), str(columns))
        layout.set(qn("w:space"), "720")
        section._sectPr.append(layout)

    def run(paragraph, text: str, size: float, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
        added = paragraph.add_run(text)
        added.font.size, added.bold = Pt(size), bold
        fonts = OxmlElement("w:rFonts")
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            fonts.set(qn(slot), "Noto Serif CJK SC")
        added._r.get_or_add_rPr().insert(0, fonts)

    run(section.header.paragraphs[0], TXT.title or "", 9)
    footer = section.footer.paragraphs[0]
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    footer._p.append(field)
    run(document.add_paragraph(), TXT.title or "", 18, bold=True)
    run(document.add_paragraph(), "——" + (TXT.subtitle or ""), 12)
    run(document.add_paragraph(), "□" + (TXT.byline or ""), 12)
    for part in TXT.sections:
        if part.heading:
            run(document.add_paragraph(), part.heading, 14, bold=True)
        for paragraph in part.paragraphs:
            added = document.add_paragraph()
            added.paragraph_format.first_line_indent = Pt(24)
            if columns > 1:
                added.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            run(added, paragraph.zh, 12)
    document.save(str(path))


@pytest.mark.libreoffice
@pytest.mark.parametrize("columns", [1, 2])
def test_the_sample_through_libreoffice_parses_as_the_txt_does(
    tmp_path: Path, columns: int
) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is needed: apt-get install libreoffice-writer"
    _sample_docx(tmp_path / "sample.docx", columns)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
         str(tmp_path / "sample.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    source = read_source(tmp_path / "sample.pdf")
    document = parse(source)
    assert document.title == TXT.title
    assert (document.subtitle, document.byline) == (TXT.subtitle, TXT.byline)
    assert [(s.heading, s.level) for s in document.sections] == [
        (s.heading, s.level) for s in TXT.sections
    ]
    assert _texts(document) == _texts(TXT)
    # the running header and the page numbers of every page are dropped and listed
    pages = sum(1 for line in source.lines if line.style == "Footer")
    assert pages >= 3
    assert document.dropped.count(TXT.title) == pages
    assert [text for text in document.dropped if text != TXT.title] == [
        str(n) for n in range(1, pages + 1)
    ]
    # and a paragraph the page break cut is one again
    assert any(p.joined for s in document.sections for p in s.paragraphs)


def test_translate_and_generate_read_a_pdf(  # type: ignore[no-untyped-def]
    tmp_path: Path, run_cli, tiny_model: Path
) -> None:
    import json

    import docx

    path = tmp_path / "report.pdf"
    path.write_bytes(pdf([[Text(150, 72, "扬帆逐梦再启航", 18), *page_of([ONE, TWO], top=110)]]))
    translated = run_cli("-q", "translate", str(path), "--model", str(tiny_model), "--json")
    assert translated.code == 0, translated.err
    assert json.loads(translated.out)["segments"]
    out = tmp_path / "report.briefing.docx"
    generated = run_cli("-q", "generate", str(path), "-o", str(out), "--model", str(tiny_model))
    assert generated.code == 0, generated.err
    assert "扬帆逐梦再启航" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
