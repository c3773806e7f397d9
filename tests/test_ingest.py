"""Ingest: which bytes are read as which text, and which inputs are refused."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.ingest import read_source
from briefing.ingest.text import decode, split_lines
from tests.conftest import CASES, SAMPLE

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
CHINESE = "发展新质生产力要因地制宜、突出重点——全年新招引项目150个以上。\n"


@pytest.mark.parametrize(
    ("case", "encoding"),
    [
        ("sample_gb18030.txt", "gb18030"),
        ("sample_big5_traditional.txt", "cp950"),
        ("sample_crlf.txt", "utf-8"),
        ("sample_bom.txt", "utf-8-sig"),
    ],
)
def test_sample_variants_decode_to_the_same_lines(case: str, encoding: str) -> None:
    source = read_source(CASES / case)
    original = read_source(SAMPLE)
    assert source.encoding == encoding
    assert len(source.lines) == len(original.lines)
    if "big5" not in case:
        assert [line.text for line in source.lines] == [line.text for line in original.lines]


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (CHINESE.encode("utf-8"), CHINESE, "utf-8"),
        (codecs.BOM_UTF8 + CHINESE.encode("utf-8"), CHINESE, "utf-8-sig"),
        (codecs.BOM_UTF16_LE + CHINESE.encode("utf-16-le"), CHINESE, "utf-16"),
        (codecs.BOM_UTF16_BE + CHINESE.encode("utf-16-be"), CHINESE, "utf-16"),
        ((CHINESE * 5).encode("gbk"), CHINESE * 5, "gb18030"),
        # GB2312 has no "—"; decoding a GB verdict as GB2312 would turn it into "―".
        ((CHINESE * 5).encode("gb18030"), CHINESE * 5, "gb18030"),
    ],
)
def test_decode_supported_encodings(data: bytes, text: str, encoding: str) -> None:
    assert decode(data, "x.txt") == (text, encoding)


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("一\n二\n", ["一", "二"]),
        ("一\r\n二\r\n", ["一", "二"]),
        ("一\r二", ["一", "二"]),
        ("一\n\n二", ["一", "", "二"]),
        ("一\f二", ["一\f二"]),  # a form feed is not a line break in an editor's count
    ],
)
def test_split_lines_counts_like_an_editor(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines


def test_traditional_input_is_analysed_through_a_simplified_copy() -> None:
    source = read_source(CASES / "sample_big5_traditional.txt")
    title = next(line for line in source.lines if line.text)
    assert source.script == "traditional"
    assert title.text == "揚帆逐夢再啟航 乘風破浪譜新篇"
    assert title.analysis == "扬帆逐梦再启航 乘风破浪谱新篇"


def test_simplified_input_is_its_own_analysis_copy() -> None:
    source = read_source(SAMPLE)
    assert source.script == "simplified"
    assert all(line.text == line.analysis for line in source.lines)


def test_lines_are_stripped_and_inner_space_runs_become_one_space(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text("\u3000\u3000通讯员 刘洋\u3000记者  赵静\n　　正文第一段。\n", encoding="utf-8")
    assert [line.text for line in read_source(path).lines] == [
        "通讯员 刘洋 记者 赵静",
        "正文第一段。",
    ]


def test_docx_paragraphs_are_numbered_lines_with_their_styles() -> None:
    source = read_source(CASES / "docx_heading_styles.docx")
    assert source.format == "docx"
    assert source.lines[0].style == "Title"
    assert source.lines[2].text == ""  # empty paragraphs keep their number
    assert (source.lines[4].number, source.lines[4].style) == (5, "Heading 1")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD_INPUTS = {
    "missing file": ("missing.txt", None, "no such file"),
    "empty file": ("empty.txt", b"", "empty"),
    "only whitespace": ("blank.txt", b" \n\r\n\t\n", "empty"),
    "binary file": (
        "image.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "binary",
    ),
    "docx that is not a zip": ("report.docx", "这不是一个Word文件。".encode(), "not a valid .docx"),
    "latin-1 file": (
        "french.txt",
        ("Le conseil a adopté une décision très détaillée sur l'économie. " * 10).encode("latin-1"),
        "not a Chinese encoding",
    ),
    "english text": (
        "english.txt",
        b"The plenary session adopted a decision. " * 10,
        "not look like Chinese",
    ),
    "replacement characters": (
        "lossy.txt",
        "全会召开\ufffd\ufffd审议通过。".encode(),
        "replacement",
    ),
    "utf-8 cut mid-character": (
        "cut.txt",
        "全会召开。".encode()[:-1] + "审议通过".encode()[:4] + b"\xff\xfe\xfd",
        "encoding",
    ),
    "unsupported format": (
        "report.doc",
        "这不是一个Word文件。".encode(),
        ".doc files are not supported",
    ),
    "damaged pdf": ("report.pdf", b"%PDF-1.7", "not a readable PDF"),
}


@pytest.mark.parametrize("case", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_an_input_error_naming_the_file(
    tmp_path: Path, case: tuple[str, bytes | None, str]
) -> None:
    name, data, words = case
    path = tmp_path / name if data is None else _write(tmp_path, name, data)
    with pytest.raises(InputError) as caught:
        read_source(path)
    assert name in caught.value.message
    assert words in caught.value.message
    assert caught.value.hint


# --- characters a Word document cannot hold (issue 16) ----------------------------------

REPORT_LINE = "全市将开展专项整治行动，各地各部门要加强组织领导，确保取得实效。"


@pytest.mark.parametrize(
    ("name", "data", "removed"),
    [
        ("control.txt", f"标题\n\n全市\x01{REPORT_LINE}\x1f\n".encode(), 2),
        ("form-feed.txt", f"标题\n\n\x0c{REPORT_LINE}\n".encode(), 1),
        ("noncharacters.txt", f"标题\n\n{REPORT_LINE}\ufffe\uffff\n".encode(), 2),
        ("nul-in-utf16.txt", codecs.BOM_UTF16_LE + f"标题\n\n\x00{REPORT_LINE}\n".encode(
            "utf-16-le"), 1),
    ],
)  # fmt: skip
def test_characters_xml_cannot_hold_are_removed_with_a_warning_naming_the_first_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, data: bytes, removed: int
) -> None:
    source = read_source(_write(tmp_path, name, data))
    assert source.lines[2].text.endswith(REPORT_LINE.rstrip("。") + "。")
    assert all(ch.isprintable() for line in source.lines for ch in line.text)
    [warning] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    s = "s" if removed > 1 else ""
    assert f"removed {removed} character{s} a Word document cannot hold" in warning
    assert warning.endswith("the first on line 3")


# --- broken Word files, and reading their paragraphs (issue 16) -------------------------

DOCX_CASE = CASES / "docx_heading_styles.docx"


def _docx_with(tmp_path: Path, name: str, change: dict[str, bytes | None]) -> Path:
    """The .docx case with some parts replaced (None: left out)."""
    import zipfile

    path = tmp_path / name
    with (
        zipfile.ZipFile(DOCX_CASE) as original,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for part in original.namelist():
            data = change.get(part, original.read(part))
            if data is not None:
                copy.writestr(part, data)
    return path


def _part(name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(DOCX_CASE) as package:
        return package.read(name)


BROKEN_DOCX = {
    "no w:body": {"word/document.xml": _part("word/document.xml").replace(b"w:body>", b"w:bodx>")},
    "document.xml cut in half": {"word/document.xml": _part("word/document.xml")[:1461]},
    "styles.xml cut short": {"word/styles.xml": _part("word/styles.xml")[:50]},
    "content types damaged": {"[Content_Types].xml": b"<?xml version='1.0'"},
}


@pytest.mark.parametrize("change", BROKEN_DOCX.values(), ids=BROKEN_DOCX.keys())
def test_a_docx_with_broken_internals_is_not_a_readable_word_document(
    tmp_path: Path, change: dict[str, bytes | None]
) -> None:
    with pytest.raises(InputError) as caught:
        read_source(_docx_with(tmp_path, "broken.docx", change))
    assert "not a readable Word document" in caught.value.message
    assert "save it again" in caught.value.hint


def test_docx_styles_come_from_one_table_with_python_docx_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing style id, or one of a character style, is the default paragraph style,
    as python-docx says; and no paragraph looks its style up (1 ms each)."""
    import docx
    from docx.text.paragraph import Paragraph

    xml = _part("word/document.xml").decode()
    xml = xml.replace('w:val="Heading1"', 'w:val="NoSuchStyle"', 1)
    path = _docx_with(tmp_path, "styles.docx", {"word/document.xml": xml.encode()})
    expected = [p.style.name if p.style else None for p in docx.Document(str(path)).paragraphs]
    assert "Heading 1" in expected and expected.count("Normal") > expected.count("Heading 1")

    def no_lookup(self: Paragraph) -> None:
        raise AssertionError("a per-paragraph style lookup")

    monkeypatch.setattr(Paragraph, "style", property(no_lookup))
    assert [line.style for line in read_source(path).lines] == expected


# --- the size limit (issue 16) ----------------------------------------------------------


def test_a_report_over_max_chars_is_refused_and_a_big_file_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "long.txt", (CHINESE * 100).encode())
    assert len(read_source(path, max_chars=0).lines) == 100  # 0: no limit
    with pytest.raises(InputError) as caught:
        read_source(path, max_chars=3_000)
    assert caught.value.message == (  # 100 lines of 33 characters and the 99 line ends
        f"{path}: the report is too long (3,399 characters; the limit is 3,000 characters)"
    )
    assert "--max-chars" in caught.value.hint

    def unread(self: Path) -> bytes:
        raise AssertionError("read")

    monkeypatch.setattr(Path, "read_bytes", unread)
    with pytest.raises(InputError, match=r"too long \(9,400 bytes"):
        read_source(path, max_chars=2_000)  # 9,400 bytes cannot be 2,000 characters


def test_a_docx_that_unpacks_past_the_limit_is_refused_before_it_is_parsed(
    tmp_path: Path,
) -> None:
    """A zip bomb: 30 MB of document.xml in a few kilobytes."""
    bomb = _part("word/document.xml").replace(b"<w:body>", b"<w:body>" + b" " * 30_000_000)
    path = _docx_with(tmp_path, "bomb.docx", {"word/document.xml": bomb})
    assert path.stat().st_size < 200_000
    with pytest.raises(InputError, match="unpacks to"):
        read_source(path, max_chars=200_000)
    with pytest.raises(InputError, match="too long"):
        read_source(DOCX_CASE, max_chars=100)


# --- short GB18030 files (issue 16) ------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["全会召开", "经济", "扬帆逐梦再启航 乘风破浪谱新篇", "——市委八届十二次全会侧记",
     "关于推进高质量发展的通知"],
)  # fmt: skip
def test_a_short_gb18030_file_is_read_as_gb18030(title: str) -> None:
    """charset-normalizer takes a title alone for cp949, cp874 or Big5 (经济 was read as
    Big5: 冪撳)."""
    assert decode((title + "\n").encode("gb18030"), "t.txt") == (title + "\n", "gb18030")


@pytest.mark.parametrize(
    ("text", "encoding", "decoded"),
    [
        # Korean reads as GB2312 Han characters, Japanese EUC-JP keeps its kana
        ("대한민국 정부는 오늘 새로운 경제 정책을 발표했다.", "euc-kr", None),
        ("경제 정책", "euc-kr", None),
        ("日本政府は本日、新しい経済政策を発表した。", "euc-jp", None),
        ("日本政府は本日、新しい経済政策を発表した。", "shift_jis", None),
        ("揚帆逐夢再啟航 乘風破浪譜新篇", "cp950", "cp950"),
    ],
    ids=["Korean", "Korean, short", "Japanese EUC-JP", "Japanese Shift-JIS", "Big5 title"],
)  # fmt: skip
def test_preferring_gb_misreads_no_other_encoding(
    text: str, encoding: str, decoded: str | None
) -> None:
    data = text.encode(encoding)
    if decoded is None:
        with pytest.raises(InputError, match="not a Chinese encoding"):
            decode(data, "t.txt")
    else:
        assert decode(data, "t.txt") == (text, decoded)
