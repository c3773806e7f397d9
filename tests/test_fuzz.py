"""Bad input never crashes: generated inputs through the CLI, as a user would run it.

Each command gets files made by hypothesis from the pieces reports, pairs files and
glossaries are made of, plus what breaks readers: control characters, line separators,
digit runs past any quantity, numerals past float range, BOMs, bytes that are not UTF-8,
other encodings, damaged Word packages, odd option values and output paths. Whatever
comes in, the CLI must exit 0, or 2 with its two lines (``error: …`` / ``hint: …``), within
5 seconds an example; a briefing it writes must reopen in python-docx.

The profile is fixed (``fuzz``: derandomized, no example database), so every run tries the
same examples: 1,000 for each of ``parse``, ``targets``, ``qa`` and ``glossary check``, 500
web pages and 500 PDFs through ``parse``, and 50 through ``generate`` with the tiny test
model.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.cli import main
from tests import pdfs
from tests.conftest import CASES, SAMPLE

settings.register_profile(
    "fuzz",
    max_examples=1_000,
    deadline=None,  # each example's time is asserted below, around the command alone
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
FUZZ = settings.get_profile("fuzz")
MAX_SECONDS = 5.0

# --- running the CLI ------------------------------------------------------------------


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float


def run(*args: str) -> Run:
    """`briefing ARGS…` in-process, with a strict UTF-8 stdout (as a real one is: what
    cannot be encoded fails) and stderr as Python's (backslashreplace)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    seconds = time.perf_counter() - start
    out.flush()
    err.flush()
    return Run(code, out.buffer.getvalue().decode(), err.buffer.getvalue().decode(), seconds)  # type: ignore[attr-defined]


def assert_contract(result: Run) -> None:
    assert result.seconds < MAX_SECONDS, f"{result.seconds:.1f} s"
    assert result.code in (0, 2), result.err
    if result.code == 2:
        lines = result.err.rstrip("\n").split("\n")
        assert len(lines) >= 2, result.err
        assert lines[-2].startswith("error: ") and lines[-1].startswith("hint: "), result.err


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as name:
        yield Path(name)


@pytest.fixture(scope="module", autouse=True)
def no_model_anywhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`targets` looks for a model: there is none, so it works without one (a warning)."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_HOME", str(home / "briefing"))
        patch.setenv("HF_HOME", str(home / "hf"))
        patch.delenv("HF_HUB_CACHE", raising=False)
        patch.delenv("BRIEFING_MODEL", raising=False)
        patch.delenv("BRIEFING_DEBUG", raising=False)
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setattr("briefing.translate.resolve._checkout_models", lambda: None)
        yield


# --- what inputs are made of ----------------------------------------------------------

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
HAN = sorted({ch for ch in SAMPLE_TEXT if "\u4e00" <= ch <= "\u9fff"})
HOSTILE = ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1c", "\x1f", "\x7f", "\x85", "\u2028",
           "\u2029", "\ufeff", "\ufffd", "\ufffe", "\uffff", "\u200b", "\ud800", "\udcff",
           "\U0001f600", "\u3000", "\xa0", "\t", "\r"]  # fmt: skip
PIECES = [
    # structure
    "一、", "二、", "（一）", "(二)", "1.", "第一，", "二是", "记者 ", "通讯员 ", "来源：新华社",
    "2025年5月7日", "责任编辑：", "扫码关注", "第3版", "http://example.cn/a.html", "——", "……",
    # numbers and what the grammar reads around them
    "7万", "4.6万人次", "1.2亿元", "3—5万", "1.4万亿", "5%", "3个百分点", "150个以上", "超",
    "以上", "左右", "三千二百万", "十五五", "六大", "第二", "百分之五", "三分之二", "1分57秒79",
    "9:30", "12345", "0.27万亿", "1,200.5", "１２０", "萬", "億", "20世纪70年代", "4个亿",
    "9" * 400, "十亿" * 60, "一" * 300, "1" * 25 + "万", "1." + "5" * 30, "7万" * 40,
    # terms, names, Latin
    "新质生产力", "高质量发展", "孙海山表示", "市委书记", "AI", "GDP", "WeChat", "Xi'an",
    # breaks
    "\n", "\n\n", "\r\n", "。", "，", "、", "；", "：", "！", "？", "“", "”", "《", "》", " ",
    *HOSTILE,
]  # fmt: skip
ENGLISH = ["70,000", "7 million", "1.2 billion", "May 7", "in May", "5%", "3 percentage points",
           "the", "new", "jobs", "come on", "hundred", "million", "twice", "15th Five-Year Plan",
           "1:57.79", "9" * 400, "hundred " * 40, "1 " * 200, " ", ",", ".", "十五五",
           *HOSTILE]  # fmt: skip

piece = st.one_of(
    st.sampled_from(PIECES),
    st.text(alphabet=st.sampled_from(HAN), min_size=1, max_size=40),
    st.text(max_size=8),  # anything at all, surrogates included
)
text = st.lists(piece, max_size=40).map("".join)
english = st.lists(st.one_of(st.sampled_from(ENGLISH), st.text(max_size=6)), max_size=20).map(
    " ".join
)


@st.composite
def encoded(draw: st.DrawFn, content: st.SearchStrategy[str]) -> bytes:
    """Text in one of the encodings a file may come in, or damaged bytes."""
    how = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "gb18030", "big5",
                                "raw", "cut"]))  # fmt: skip
    if how == "raw":
        return draw(st.binary(max_size=600))
    value = draw(content)
    if how in ("gb18030", "big5"):
        data = value.encode(how, errors="ignore")
    else:
        data = value.encode(how if how != "cut" else "utf-8", errors="surrogatepass")
    if how == "cut" and data:
        data = data[: draw(st.integers(0, len(data)))] + draw(st.binary(max_size=4))
    return data


def _docx(paragraphs: list[tuple[str, str | None]]) -> bytes:
    import docx

    from briefing.xmlchars import remove_illegal

    document = docx.Document()
    for value, style in paragraphs:
        document.add_paragraph(remove_illegal(value)[0], style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX_CASE = (CASES / "docx_heading_styles.docx").read_bytes()


@st.composite
def docx_bytes(draw: st.DrawFn) -> bytes:
    how = draw(st.sampled_from(["made", "damaged case", "damaged part", "bytes"]))
    if how == "made":
        styles = st.sampled_from([None, "Title", "Subtitle", "Heading 1", "Heading 2"])
        return _docx(draw(st.lists(st.tuples(text, styles), min_size=1, max_size=8)))
    if how == "damaged case":  # cut, or a byte changed
        at = draw(st.integers(0, len(DOCX_CASE) - 1))
        if draw(st.booleans()):
            return DOCX_CASE[:at]
        return DOCX_CASE[:at] + bytes([draw(st.integers(0, 255))]) + DOCX_CASE[at + 1 :]
    if how == "damaged part":  # a well-formed zip with one part cut or replaced
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(DOCX_CASE)) as case, zipfile.ZipFile(buffer, "w") as out:
            names = case.namelist()
            victim = draw(st.sampled_from(names))
            for name in names:
                data = case.read(name)
                if name == victim:
                    data = draw(st.one_of(st.just(data[: len(data) // 2]), st.binary(max_size=64),
                                          encoded(text)))  # fmt: skip
                out.writestr(name, data)
        return buffer.getvalue()
    return b"PK\x03\x04" + draw(st.binary(max_size=300))


@st.composite
def report_file(draw: st.DrawFn) -> tuple[str, bytes | None]:
    """(file name, bytes; None: no file there)."""
    kind = draw(st.sampled_from(["txt"] * 6 + ["sample"] * 2 + ["docx"] * 2 + ["other"]))
    if kind == "txt":
        return "report.txt", draw(encoded(text))
    if kind == "sample":  # the real report with something spliced in
        at = draw(st.integers(0, len(SAMPLE_TEXT)))
        spliced = SAMPLE_TEXT[:at] + draw(text) + SAMPLE_TEXT[at:]
        return "report.txt", spliced.encode("utf-8", errors="surrogatepass")
    if kind == "docx":
        return "report.docx", draw(docx_bytes())
    others = [("report.pdf", b"%PDF-1.7"), ("missing.txt", None),
              ("report.TXT", "全会召开。".encode()), ("noext", b"x")]  # fmt: skip
    return draw(st.sampled_from(others))


def write(where: Path, name: str, data: bytes | None) -> Path:
    path = where / name
    if data is not None:
        path.write_bytes(data)
    return path


# --- web pages and PDFs (issue 18) ----------------------------------------------------------

TAGS = [
    "p", "div", "span", "h1", "h2", "h3", "h4", "h5", "li", "ul", "table", "tr", "td", "th",
    "a", "b", "strong", "figure", "figcaption", "caption", "center", "pre", "nav", "footer",
    "font", "blockquote", "section", "article", "script", "style", "select", "option",
    "noscript", "iframe", "svg", "form", "textarea", "title", "head", "body", "html",
]  # fmt: skip
ATTRIBUTES = [
    "", ' class="share"', ' class="content"', ' id="zoom"', ' align="center"',
    ' style="text-align:center"', ' style="display:none"', " hidden", ' class="footer"',
    ' href="javascript:doZoom(16)"', ' style="font-size:18px;',
]  # fmt: skip
MARKUP = [
    "<br>", "<br/>", "<img src='a.jpg'>", "<hr>", "&nbsp;", "&amp;nbsp;", "&#20013;",
    "&#x4e2d;", "&#99999999;", "&ldquo;", "&bogus;", "&", "<", ">", "<!-- 注释 -->", "<!--",
    "<![CDATA[x]]>", "<?xml version='1.0' encoding='gb2312'?>", "</p>", "</div>", "<p",
    "【字体：大 中 小】", "【打印】", "发布时间：2025-05-08 来源：盐城日报", "当前位置：首页 > ",
    "上一篇：", "\n", "\r\n", " ", "\u3000",
]  # fmt: skip
CHARSETS = ["utf-8", "gb2312", "gbk", "gb18030", "big5", "iso-8859-1", "shift_jis", "utf-16",
            "x-unknown", ""]  # fmt: skip


@st.composite
def markup(draw: st.DrawFn) -> str:
    """A page's body: tags (closed or not, nested), text and the markup that breaks parsers."""
    out: list[str] = []
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.sampled_from(["open", "close", "element", "markup", "text", "text"]))
        if kind == "open":
            out.append(f"<{draw(st.sampled_from(TAGS))}{draw(st.sampled_from(ATTRIBUTES))}>")
        elif kind == "close":
            out.append(f"</{draw(st.sampled_from(TAGS))}>")
        elif kind == "element":
            tag = draw(st.sampled_from(TAGS))
            out.append(f"<{tag}{draw(st.sampled_from(ATTRIBUTES))}>{draw(text)}</{tag}>")
        elif kind == "markup":
            out.append(draw(st.sampled_from(MARKUP)))
        else:
            out.append(draw(text))
    return "".join(out)


@st.composite
def html_bytes(draw: st.DrawFn) -> bytes:
    how = draw(st.sampled_from(["page"] * 6 + ["sample", "deep", "cut", "bytes"]))
    if how == "bytes":
        return b"<html>" + draw(st.binary(max_size=600))
    if how == "deep":  # nesting past any parser's depth
        depth = draw(st.integers(100, 3_000))
        tag = draw(st.sampled_from(["div", "p", "table", "span", "li"]))
        return (f"<html><body>{'<' + tag + '>' * depth}{draw(text)}".encode(errors="replace")
                + draw(st.sampled_from([b"", f"</{tag}>".encode() * depth])))  # fmt: skip
    if how == "sample":  # the sample as paragraphs, something spliced in
        at = draw(st.integers(0, len(SAMPLE_TEXT)))
        body = "".join(f"<p>{line}</p>" for line in SAMPLE_TEXT[:at].splitlines())
        page = f"<html><body><h1>标题</h1>{body}{draw(markup())}</body></html>"
        return page.encode("utf-8", errors="surrogatepass")
    charset = draw(st.sampled_from(CHARSETS))
    head = f'<meta charset="{charset}">' if charset else ""
    title = draw(st.one_of(st.just(""), text))
    page = f"<html><head>{head}<title>{title}</title></head><body>{draw(markup())}</body></html>"
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "big5", "utf-16", "utf-8-sig"]))
    data = page.encode(encoding, errors="surrogatepass" if encoding.startswith("utf-8") else
                       "ignore")  # fmt: skip
    if how == "cut" and data:
        data = data[: draw(st.integers(0, len(data)))] + draw(st.binary(max_size=4))
    return data


PDF_CASE = pdfs.pdf([pdfs.page_of(SAMPLE_TEXT[60:400].splitlines())])


@st.composite
def pdf_bytes(draw: st.DrawFn) -> bytes:
    how = draw(st.sampled_from(["made"] * 5 + ["damaged", "cut", "bytes", "encrypted", "empty"]))
    if how == "bytes":
        return b"%PDF-1." + draw(st.binary(max_size=600))
    if how == "cut":
        return PDF_CASE[: draw(st.integers(0, len(PDF_CASE)))]
    if how == "damaged":  # a few bytes changed
        data = bytearray(PDF_CASE)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    if how == "empty":
        return pdfs.pdf([[]] * draw(st.integers(1, 3)))
    bmp = st.text(alphabet=st.characters(max_codepoint=0xFFFF), max_size=8)
    han = st.text(alphabet=st.sampled_from(HAN), min_size=1, max_size=20)
    content = st.lists(st.one_of(st.sampled_from(PIECES), bmp, han), max_size=6).map("".join)
    sizes = st.sampled_from([0.5, 9, 12, 12, 18, 300])
    fonts = st.sampled_from(["SimSun", "SimSun-Bold", "Hei"])
    pages = []
    for _ in range(draw(st.integers(1, 2))):
        lines = [
            pdfs.Text(draw(st.floats(-50, 600)), draw(st.floats(-50, 900)),
                      draw(content).replace("\n", "").replace("\r", ""), draw(sizes), draw(fonts))
            for _ in range(draw(st.integers(0, 6)))
        ]  # fmt: skip
        if draw(st.booleans()):
            lines += pdfs.page_of([draw(text)[:120]])
        pages.append(lines)
    return pdfs.pdf(pages, encrypted=how == "encrypted", to_unicode=draw(st.integers(0, 5)) > 0)


# --- the commands -----------------------------------------------------------------------


@FUZZ
@given(report=report_file(), as_json=st.booleans(),
       max_chars=st.one_of(st.none(), st.integers(0, 3_000)))  # fmt: skip
def test_parse(report: tuple[str, bytes | None], as_json: bool, max_chars: int | None) -> None:
    with folder() as where:
        args = ["parse", str(write(where, *report))]
        args += ["--json"] if as_json else []
        args += ["--max-chars", str(max_chars)] if max_chars is not None else []
        assert_contract(run(*args))


@settings(FUZZ, max_examples=500)
@given(data=html_bytes(), name=st.sampled_from(["page.html", "page.tpl", "page.txt", "page.doc"]),
       as_json=st.booleans())  # fmt: skip
def test_parse_html(data: bytes, name: str, as_json: bool) -> None:
    with folder() as where:
        args = ["parse", str(write(where, name, data))] + (["--json"] if as_json else [])
        assert_contract(run(*args))


@settings(FUZZ, max_examples=500)
@given(data=pdf_bytes(), as_json=st.booleans())
def test_parse_pdf(data: bytes, as_json: bool) -> None:
    with folder() as where:
        args = ["parse", str(write(where, "report.pdf", data))] + (["--json"] if as_json else [])
        assert_contract(run(*args))


@FUZZ
@given(report=report_file(), as_json=st.booleans())
def test_targets(report: tuple[str, bytes | None], as_json: bool) -> None:
    with folder() as where:
        args = ["targets", str(write(where, *report))] + (["--json"] if as_json else [])
        assert_contract(run(*args))


def _pair_value(draw: st.DrawFn, field: str) -> object:
    value = draw(text if field == "zh" else english if field == "en" else st.text(max_size=8))
    return draw(st.sampled_from([value] * 8 + [7, None, [value], 10**30, {"x": value}]))


@st.composite
def pairs_file(draw: st.DrawFn) -> bytes:
    lines: list[bytes] = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["pair"] * 6 + ["junk", "blank", "nested", "escaped"]))
        if kind == "pair":
            record = {f: _pair_value(draw, f) for f in ("id", "zh", "en")
                      if draw(st.integers(0, 9))}  # fmt: skip
            line = json.dumps(record, ensure_ascii=draw(st.booleans()))
            lines.append(line.encode("utf-8", errors="surrogatepass"))
        elif kind == "junk":
            lines.append(draw(encoded(text)))
        elif kind == "blank":
            lines.append(draw(st.sampled_from([b"", b"  ", b"\r", b"\x0b"])))
        elif kind == "nested":
            depth = draw(st.integers(1, 5_000))
            lines.append(b'{"id": "n", "zh": "a", "en": "b", "x": ' + b"[" * depth + b"]" * depth
                         + b"}")  # fmt: skip
        else:  # JSON escapes the reader must refuse or accept: lone surrogates, big numbers
            escape = draw(st.sampled_from(["\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u0000"]))
            lines.append(f'{{"id": "{escape}", "zh": "全会", "en": "x"}}'.encode())
    data = draw(st.sampled_from([b"\n", b"\r\n"])).join(lines)
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + data


@FUZZ
@given(data=pairs_file(), as_json=st.booleans())
def test_qa(data: bytes, as_json: bool) -> None:
    with folder() as where:
        args = ["qa", str(write(where, "pairs.jsonl", data))] + (["--json"] if as_json else [])
        assert_contract(run(*args))


field = st.one_of(st.sampled_from(["新质生产力", "new quality productive forces", "unverified",
                                   "GWR2024", "", "#", "zh", " "]), text)  # fmt: skip


@st.composite
def glossary_file(draw: st.DrawFn) -> bytes:
    rows = ["zh\ten\tnote\tsource"] if draw(st.integers(0, 4)) else []
    for _ in range(draw(st.integers(0, 6))):
        rows.append("\t".join(draw(st.lists(field, max_size=6))))
    data = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(rows)
    raw = data.encode("utf-8", errors="surrogatepass")
    if draw(st.integers(0, 5)) == 0:
        raw = raw[: draw(st.integers(0, len(raw)))] + draw(st.binary(max_size=3))
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + raw


@FUZZ
@given(data=glossary_file())
def test_glossary_check(data: bytes) -> None:
    with folder() as where:
        assert_contract(run("glossary", "check", str(write(where, "terms.tsv", data))))


option_value = st.one_of(st.none(), st.sampled_from(["Yancheng Daily", "2025-05-08", "soon", ""]),
                         st.text(max_size=12))  # fmt: skip


@st.composite
def small_report(draw: st.DrawFn) -> tuple[str, bytes | None]:
    """Reports the tiny model translates quickly: a few short lines."""
    if draw(st.integers(0, 3)) == 0:
        return draw(report_file().filter(lambda r: r[1] is None or len(r[1]) < 1_500))
    lines = draw(st.lists(st.lists(piece, max_size=6).map("".join), min_size=1, max_size=6))
    return "report.txt", "\n".join(lines).encode("utf-8", errors="surrogatepass")


@pytest.fixture(scope="module")
def one_torch_thread() -> Iterator[None]:
    """The tiny model is so small that torch's threads only wait for each other: on two
    busy cores a 20-token segment took 2.7 s with two threads, 0.08 s with one."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


OUTPUTS = ["out/b.docx", "b.docx", "file/b.docx", "b.pdf", "report.txt"]


@settings(FUZZ, max_examples=50)
@given(report=small_report(), name=option_value, date=option_value, font=option_value,
       output=st.sampled_from(OUTPUTS))  # fmt: skip
def test_generate(  # type: ignore[no-untyped-def]
    tiny_model,
    one_torch_thread,
    report: tuple[str, bytes | None],
    name: str | None,
    date: str | None,
    font: str | None,
    output: str,
) -> None:
    import docx

    with folder() as where:
        (where / "file").write_text("a file, not a folder")
        out = where / output
        args = ["-q", "generate", str(write(where, *report)), "-o", str(out),
                "--model", str(tiny_model), "--report", str(where / "r.json")]  # fmt: skip
        for option, value in (("--source-name", name), ("--source-date", date),
                              ("--cjk-font", font)):  # fmt: skip
            if value is not None:
                args += [option, value]
        result = run(*args)
        assert_contract(result)
        if result.code == 0:
            docx.Document(str(out))  # reopens
            json.loads((where / "r.json").read_text(encoding="utf-8"))
        else:
            assert not out.exists() or output == "report.txt"
