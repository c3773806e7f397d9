"""The web-page reader: encodings, which blocks are the article's, and the sample as a
government page parsing to what the .txt parses to."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.ingest import read_source, sniff
from briefing.ingest.html import declared_charset, decode_page, page_lines
from briefing.model import Document
from briefing.structure import parse
from tests.conftest import SAMPLE
from tests.pages import CAPTION, DATE, FURNITURE, government_page

TXT = parse(read_source(SAMPLE))
REPORT = "全市将开展专项整治行动，各地各部门要加强组织领导，确保取得实效。"


def _texts(document: Document) -> list[str]:
    return [p.zh for s in document.sections for p in s.paragraphs if p.kind == "text"]


def _page(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


# --- the sample as a government page (issue 18) -----------------------------------------

PAGES = {
    "gb2312, <h3> headings": ("gb2312", "gb18030", "h3", False),
    "utf-8, bold headings, <br> paragraphs, wrapped source": ("utf-8", "utf-8", "strong", True),
}


@pytest.mark.parametrize("case", PAGES.values(), ids=PAGES.keys())
def test_the_sample_as_a_government_page_parses_as_the_txt_does(
    tmp_path: Path, case: tuple[str, str, str, bool]
) -> None:
    charset, codec, headings, breaks = case
    page = government_page(TXT, charset, headings, breaks)  # type: ignore[arg-type]
    source = read_source(_page(tmp_path, page, codec))
    document = parse(source)
    assert (source.format, source.encoding) == ("html", codec)
    assert document.title == TXT.title
    assert document.subtitle == TXT.subtitle
    assert [(s.heading, s.level) for s in document.sections] == [
        (s.heading, s.level) for s in TXT.sections
    ]
    assert _texts(document) == _texts(TXT)
    assert document.date == DATE and document.source_name == "盐城日报"
    captions = [p.zh for s in document.sections for p in s.paragraphs if p.kind == "caption"]
    assert captions == [CAPTION]
    everything = "".join(line.text for line in source.lines)
    assert not [word for word in FURNITURE if word in everything]
    assert not any(ch in everything for ch in "<>&") and "nbsp" not in everything


def test_the_page_lines_are_its_blocks_in_order(tmp_path: Path) -> None:
    source = read_source(_page(tmp_path, government_page(TXT)))
    assert [line.number for line in source.lines] == list(range(1, len(source.lines) + 1))
    assert source.lines[0].style == "Title" and source.lines[0].text == TXT.title
    assert [line.text for line in source.lines[1:4]] == [
        "——" + (TXT.subtitle or ""),
        f"发布日期：{DATE}",
        "来源：盐城日报",
    ]
    headings = [line for line in source.lines if line.style == "Heading 1"]
    assert [line.text for line in headings] == [s.heading for s in TXT.sections if s.heading]


# --- encodings ----------------------------------------------------------------------------

META = '<html><head><meta charset="{}"><title>t</title></head><body><p>{}</p></body></html>'
HTTP_EQUIV = '<meta http-equiv="Content-Type" content="text/html; charset={}"><p>{}</p>'


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (META.format("utf-8", REPORT).encode(), "utf-8"),
        # re-saved as UTF-8, the old declaration kept: valid UTF-8 wins
        (META.format("gb2312", REPORT).encode(), "utf-8"),
        (HTTP_EQUIV.format("gb2312", REPORT).encode("gb18030"), "gb18030"),
        (HTTP_EQUIV.format("GBK", "——" + REPORT).encode("gb18030"), "gb18030"),
        (META.format("big5", "全市將開展專項整治行動，各地各部門要加強組織領導。").encode("cp950"),
         "cp950"),
        (codecs.BOM_UTF8 + META.format("gbk", REPORT).encode(), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + META.format("utf-16", REPORT).encode("utf-16-le"), "utf-16"),
        # no declaration: detected as the text reader does
        (f"<p>{REPORT * 3}</p>".encode("gbk"), "gb18030"),
        # a declaration that cannot be right for Chinese: detected instead
        (HTTP_EQUIV.format("iso-8859-1", REPORT * 3).encode("gbk"), "gb18030"),
        (b'<?xml version="1.0" encoding="gb2312"?><html><p>' + REPORT.encode("gbk") + b"</p>",
         "gb18030"),
    ],
)  # fmt: skip
def test_page_encodings(data: bytes, encoding: str) -> None:
    text, found = decode_page(data, "page.html")
    assert found == encoding
    lines = "".join(text for text, _ in page_lines(text, "p"))
    assert REPORT in lines or "全市將開展" in lines


def test_declared_charset_reads_meta_http_equiv_and_xml() -> None:
    assert declared_charset(b'<meta charset="GB2312">') == "gb2312"
    http_equiv = b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html;charset=gbk'>"
    assert declared_charset(http_equiv) == "gbk"
    assert declared_charset(b"<?xml version='1.0' encoding='GB18030'?>") == "gb18030"
    assert declared_charset(b"<p>charset=gbk</p>") is None


def test_a_bad_byte_outside_the_article_costs_nothing_and_inside_it_is_refused(
    tmp_path: Path,
) -> None:
    head = HTTP_EQUIV.format("gb2312", "").encode().replace(b"<p></p>", b"")
    good = head + b"<script>\xff\xff</script><p>" + REPORT.encode("gbk") + b"</p>"
    assert read_source(_page_bytes(tmp_path, good)).lines[0].text == REPORT
    bad = head + b"<p>" + REPORT.encode("gbk") + b"\xff\xff" + REPORT.encode("gbk") + b"</p>"
    with pytest.raises(InputError, match="replacement characters"):
        read_source(_page_bytes(tmp_path, bad))


def _page_bytes(tmp_path: Path, data: bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- blocks -------------------------------------------------------------------------------


def _lines(body: str) -> list[tuple[str, str | None]]:
    """The lines of a page with this article under the headline 通知."""
    page = f"<html><head><title>t</title></head><body><h1>通知</h1>{body}</body></html>"
    lines = page_lines(page, "p")
    assert lines[0] == ("通知", "Title")
    return lines[1:]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        # a line break in the source between Chinese characters is no space
        (f"<p>{REPORT[:10]}\n  {REPORT[10:]}</p>", [(REPORT, None)]),
        # <br> separates paragraphs; an empty one does not make an empty line
        (f"<div>{REPORT}<br><br>\n{REPORT}<br></div>", [(REPORT, None), (REPORT, None)]),
        # entities, once or twice escaped; indentation with &nbsp; and U+3000
        (f"<p>&nbsp;&nbsp;　{REPORT}&amp;nbsp;</p>", [(REPORT, None)]),
        (f"<p>“十五五”&ldquo;开局&rdquo;&#36229;7万人</p><p>{REPORT}</p>",
         [("“十五五”“开局”超7万人", None), (REPORT, None)]),
        # scripts, styles, forms and hidden elements are not text
        (f"<script>var a='正文';</script><style>p{{}}</style><p hidden>隐藏的</p>"
         f'<div style="display: none">不显示</div><select><option>选项</option></select>'
         f"<p>{REPORT}</p>", [(REPORT, None)]),
        # headings by rank on the page: <h2> over <h4> are levels 1 and 2; <h5> is text
        (f"<h2>总体要求</h2><p>{REPORT}</p><h4>工作目标</h4><p>{REPORT}</p><h5>小标题</h5>"
         f"<p>{REPORT}</p>",
         [("总体要求", "Heading 1"), (REPORT, None), ("工作目标", "Heading 2"), (REPORT, None),
          ("小标题", None), (REPORT, None)]),
        # captions: a <figcaption>, a short centred line under an image, text with the image
        (f"<figure><img src='a.jpg'><figcaption>会议现场</figcaption></figure><p>{REPORT}</p>"
         f"<p align='center'><img src='b.jpg'></p><p align='center'>代表审议报告</p>"
         f"<p><img src='c.jpg'><br>志愿者在社区服务</p><p>{REPORT}</p>",
         [("会议现场", "Caption"), (REPORT, None), ("代表审议报告", "Caption"),
          ("志愿者在社区服务", "Caption"), (REPORT, None)]),
        # a paragraph or a numbered heading after an image is no caption
        (f"<p><img src='a.jpg'></p><p>{REPORT}</p><p align='center'><img src='b.jpg'></p>"
         f"<p align='center'>二、主要任务</p>", [(REPORT, None), ("二、主要任务", None)]),
        # a data table's rows are lines, cells joined; a layout table's cell is a container
        (f"<table><tr><td><p>{REPORT * 3}</p><table><tr><td><p>指标</p></td><td>2024年</td></tr>"
         f"<tr><td>增长</td><td>5%</td></tr></table><p>{REPORT}</p></td></tr></table>",
         [(REPORT * 3, None), ("指标 2024年", "Table"), ("增长 5%", "Table"), (REPORT, None)]),
        # lists are lines
        ("<ol><li>加强组织领导。</li><li>强化督促检查。</li></ol>",
         [("加强组织领导。", None), ("强化督促检查。", None)]),
    ],
)  # fmt: skip
def test_blocks(body: str, lines: list[tuple[str, str | None]]) -> None:
    assert _lines(body) == lines


def test_menus_breadcrumbs_widgets_and_footers_are_left_out() -> None:
    page = (
        "<ul class='menu'><li><a href='/'>首页</a></li><li><a href='/a'>新闻中心</a></li></ul>"
        "<div class='path'>当前位置：<a href='/'>首页</a> &gt; <a href='/b'>通知公告</a></div>"
        "<div class='position'>首页 &gt; 通知公告 &gt; 正文</div>"
        "<h1>关于开展专项整治行动的通知</h1>"
        "<div>发布时间：2025-03-01 09:30 来源：市政府办公室 作者：王明 浏览次数：1024 "
        "【字号：大 中 小】【打印本页】【关闭窗口】</div>"
        f"<div id='content'><p>{REPORT * 4}</p><p>{REPORT * 2}</p>"
        "<div class='bdshare'>分享到：<a>微信</a></div>"
        "<p>上一篇：<a href='/c'>关于春节放假的通知</a></p></div>"
        "<div class='footer'>版权所有：某市人民政府 地址：人民路1号</div>"
    )
    assert page_lines(f"<html><body>{page}</body></html>", "p") == [
        ("关于开展专项整治行动的通知", "Title"),
        ("发布时间：2025-03-01 09:30", None),
        ("来源：市政府办公室", None),
        ("作者：王明", None),
        (REPORT * 4, None),
        (REPORT * 2, None),
    ]


def test_the_headline_is_the_one_the_title_element_names() -> None:
    page = (
        "<html><head><title>专项整治行动通知_某市人民政府</title></head><body>"
        "<div class='logo'>某市人民政府门户网站</div><h1>某市人民政府</h1>"
        f"<div class='t'>专项整治行动通知</div><div class='c'><p>{REPORT * 4}</p></div>"
        "</body></html>"
    )
    assert page_lines(page, "p")[0] == ("专项整治行动通知", "Title")


# --- which files are pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"<!DOCTYPE html><html>", "html"),
        (b"\xef\xbb\xbf  \n<HTML lang='zh'>", "html"),
        (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', "html"),
        (b"<!-- saved from url -->\n<p>", "html"),
        (codecs.BOM_UTF16_LE + "<html>".encode("utf-16-le"), "html"),
        (b"%PDF-1.7\n", "pdf"),
        ("<p>不是标签开头的文本".encode()[3:], None),
        ("全会召开。<p>".encode(), None),
        (b"<pre-wrapped text", None),
    ],
)
def test_sniff(head: bytes, kind: str | None) -> None:
    assert sniff(head) == kind


@pytest.mark.parametrize("name", ["page.txt", "page", "page.doc", "page.shtml", "page.tpl"])
def test_a_page_saved_under_another_name_is_read_as_a_page(tmp_path: Path, name: str) -> None:
    path = _page(tmp_path, f"<html><body><p>{REPORT}</p></body></html>", name=name)
    source = read_source(path)
    assert source.format == "html" and source.lines[0].text == REPORT


def test_text_saved_under_a_pages_name_is_read_as_text(tmp_path: Path) -> None:
    source = read_source(_page(tmp_path, SAMPLE.read_text(encoding="utf-8")))
    assert source.format == "txt"
    assert [line.text for line in source.lines] == [line.text for line in read_source(SAMPLE).lines]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"<html><head><title>t</title></head><body></body></html>", "no text"),
        (b"<html><body><p>The council met today and adopted a plan.</p></body></html>",
         "not look like Chinese"),
        (b"<html>" + b"<div>" * 5000 + "全会召开".encode() + b"</div>" * 5000, ""),
        (b"   \n ", "empty"),
    ],
)  # fmt: skip
def test_bad_pages_are_input_errors(tmp_path: Path, data: bytes, words: str) -> None:
    path = _page_bytes(tmp_path, data)
    try:
        source = read_source(path)
    except InputError as exc:
        assert words in exc.message and exc.hint
    else:
        assert not words and source.lines  # a deep page reads, or is refused: no crash


def test_a_page_far_larger_than_max_chars_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = _page(tmp_path, f"<p>{REPORT}</p>" + " " * 20_000)
    with pytest.raises(InputError, match="more than a report of 100 characters"):
        read_source(path, max_chars=100)


# --- every command that reads a report reads a page -----------------------------------------


def test_parse_targets_translate_and_generate_read_a_page(  # type: ignore[no-untyped-def]
    tmp_path: Path, run_cli, tiny_model: Path
) -> None:
    import json

    import docx

    path = _page(tmp_path, government_page(TXT, "gb2312"), "gb18030")
    parsed = run_cli("parse", str(path), "--json")
    assert parsed.code == 0 and json.loads(parsed.out)["title"] == TXT.title
    assert run_cli("targets", str(path), "--json").code == 0
    translated = run_cli("-q", "translate", str(path), "--model", str(tiny_model), "--json")
    assert translated.code == 0, translated.err
    assert CAPTION in [s["zh"] for s in json.loads(translated.out)["segments"]]
    out = tmp_path / "page.briefing.docx"
    generated = run_cli("-q", "generate", str(path), "-o", str(out), "--model", str(tiny_model))
    assert generated.code == 0, generated.err
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert TXT.title in text


# --- layouts of other government sites (made up here) ----------------------------------------

GOVCN = f"""<html><head><meta name="ArticleTitle" content="国务院办公厅关于开展专项整治行动的通知">
<title>国务院办公厅关于开展专项整治行动的通知_国务院文件_中国政府网</title></head><body>
<div class="header"><a href="/">首页</a> | <a href="/zhengce/">政策</a></div>
<div class="BreadcrumbNav"><a>首页</a> &gt; <a>政策</a> &gt; <a>国务院文件</a></div>
<div class="article"><h1 id="ti">国务院办公厅关于开展专项整治行动的通知</h1>
<div class="pages-date">2024-05-08 10:30 <span class="font">来源： 新华社</span>
<span class="font index_switchsize">【字体：<span>大</span><span>中</span><span>小</span>】</span>
<span class="font"><a href="javascript:window.print()">打印</a></span></div>
<div class="pages_content" id="UCAP-CONTENT"><p>各省、自治区、直辖市人民政府：</p>
<p>　　{REPORT * 3}</p><p>　　一、总体要求</p><p>　　{REPORT * 2}</p><p>　　二、主要任务</p>
<p>　　{REPORT * 2}</p><p style="text-align:right">国务院办公厅</p>
<p style="text-align:right">2024年5月7日</p></div>
<div class="editor">责任编辑：王小明</div><div class="share">分享到：</div></div>
<div class="footer">版权所有：中国政府网</div></body></html>"""
LAYOUT_TABLES = f"""<html><head><meta charset="utf-8"><title>某省人民政府</title></head><body>
<table><tr><td><a href="/">首页</a></td><td><a href="/zw">政务公开</a></td></tr></table>
<table><tr><td class="title">关于印发某省数字政府建设方案的通知</td></tr>
<tr><td class="info">发文日期：2024年3月1日　　信息来源：省政府办公厅
　　浏览次数：135 打印 关闭</td></tr>
<tr><td id="zoom"><div>　　各市人民政府：<br>　　{REPORT * 3}<br>　　{REPORT * 2}<br><br>
　　附件：某省数字政府建设方案</div></td></tr></table>
<div class="foot">主办：某省人民政府办公厅 备案号：某ICP备12345678号</div></body></html>"""


@pytest.mark.parametrize(
    ("page", "title", "date", "source", "first", "last"),
    [
        (GOVCN, "国务院办公厅关于开展专项整治行动的通知", "2024-05-08", "新华社",
         REPORT * 3, "2024年5月7日"),
        (LAYOUT_TABLES, "关于印发某省数字政府建设方案的通知", "2024-03-01", "省政府办公厅",
         REPORT * 3, "附件：某省数字政府建设方案"),
    ],
)  # fmt: skip
def test_other_government_layouts(
    tmp_path: Path, page: str, title: str, date: str, source: str, first: str, last: str
) -> None:
    document = parse(read_source(_page(tmp_path, page)))
    assert (document.title, document.date, document.source_name) == (title, date, source)
    assert document.addressees in ("各省、自治区、直辖市人民政府", "各市人民政府")
    texts = _texts(document)
    assert texts[0] == first and texts[-1] == last
    everything = " ".join(texts)
    furniture = ("首页", "打印", "字体", "责任编辑", "版权", "ICP")
    assert not any(word in everything for word in furniture)
