"""Web-page reader: a saved page (.html, .htm, .shtml, .tpl, or anything that sniffs as
HTML) -> the article's blocks, as `SourceLine`s.

Encoding: a BOM decides; else bytes that are valid UTF-8 are UTF-8 (a page re-saved as
UTF-8 often keeps its old ``charset=gb2312``); else the page's own declaration (``<meta
charset>``, ``<meta http-equiv="Content-Type" content="…; charset=…">`` or an XML
declaration), with any GB2312/GBK label decoded as GB18030, their superset; else the
detection the text reader uses. Bytes the declared encoding cannot decode become U+FFFD,
and the page is refused only if one of them is in the article.

Which text: trafilatura (a well-kept main-text extractor) says what the article is; its
blocks are then read from the page's own structure with lxml, because trafilatura drops
the headline of many pages, the byline, 来源 and date lines, and does not tell a caption
from a paragraph. The article's container is the innermost element that holds nearly all
(85%) of the text trafilatura kept. Its blocks, in order:

- the title: the page's headline (an element whose text the <title> or ``ArticleTitle``
  meta names, else an <h1>, else the nearest title-like block before the article), style
  "Title";
- the byline, 来源 and date lines between the headline and the article, one line per label
  (发布时间：… 来源：… 作者：… on one line become three), without the widgets beside them;
- the article's blocks: a <p>, a run of text between <br>s, a list item, a table row (its
  cells joined by spaces), a heading (<h1>–<h4>, style "Heading N" by their rank on the
  page), or a caption (a <figcaption>, or a short line right under an image), style
  "Caption"; a table row has style "Table".

Left out: scripts, styles, forms, hidden elements, menus, breadcrumbs and related links
(blocks whose text is mostly links), elements named as such (share, print, footer, nav…),
and widget text (【字体：大 中 小】, 【打印】, 浏览次数：…). Whitespace is collapsed as a
browser does, a line break between two Chinese characters removed (CSS Text's segment-break
rule), and entities a page escaped twice (``&amp;nbsp;``) are decoded too.
"""

from __future__ import annotations

import codecs
import html as html_entities
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.chinese import han_count
from briefing.errors import InputError
from briefing.ingest.lines import build_source, read_bytes
from briefing.ingest.text import decode
from briefing.model import SourceText

log = logging.getLogger(__name__)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


BYTES_PER_CHAR = 100  # markup around each character of text: a page may be this much larger
MAIN_SHARE = 0.85  # the article's container holds this share of the main text

_BLOCK_TAGS = _words(
    "address article aside blockquote body caption center dd details dialog dir div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend "
    "li main menu nav ol p pre section summary table tbody td tfoot th thead tr ul"
)
_SKIP_TAGS = _words(
    "applet area audio button canvas datalist embed head iframe input map math noscript "
    "object option script select style svg template textarea title video"
)
# HTML5 elements that are never the article's text, wherever they are inside it.
_BOILERPLATE_TAGS = frozenset({"nav", "footer", "aside", "header", "menu"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4}
_KIND_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "caption", "pre"})
# class / id words of elements that hold no article text (matched per word: "share-box")
_BOILERPLATE_WORDS = _words(
    "ad ads advert banner bdshare breadcrumb breadcrumbs comment comments copyright crumb "
    "crumbs dqwz ewm foot footer fontsize jiathis location menu nav navbar navigation pager "
    "pagination position print qrcode related relate share sidebar toolbar tools weizhi xglj "
    "xgwz"
)
_WORD_SPLIT_RE = re.compile(r"[\s_\-]+")
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CENTER_RE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")

# Widgets that sit in the text: font size, print, close, share, view counts.
_WIDGET_RE = re.compile(
    r"[【\[［(（]?\s*(?:字体|字号)\s*[:：]?\s*[大中小](?:\s*[|｜/]?\s*[大中小]){1,2}\s*[】\]］)）]?"
    r"|[【\[［]\s*(?:打印(?:本页|此页|文章|正文)?|关闭(?:窗口|本页)?|收藏|加入收藏|分享|纠错|返回顶部"
    r"|推荐给朋友|我要打印|我要纠错)\s*[】\]］]"
    r"|(?:浏览|阅读|点击|访问)(?:次数|量|数)\s*[:：]\s*\d*\s*次?"
    r"|分享到\s*[:：]?|扫一扫在手机打开当前页"
)
# Labels that start a meta line's parts: 发布时间：… 来源：… 作者：…
_LABELS = (
    r"(?:(?:信息|文章|稿件)?来\s*源|作\s*者|记\s*者|通讯员|编\s*辑|责任编辑|发布机构|发布单位|发文机关"
    r"|(?:发布|发文|发稿|发表|更新|成文|印发|公开)?(?:时\s*间|日\s*期))\s*[:：]"
)
_META_LABEL_RE = re.compile(rf"(?:^|(?<=\s))(?={_LABELS})")
_META_RE = re.compile(
    rf"^{_LABELS}"
    r"|^(?:本报|本刊|本网|新华社)?(?:记者|通讯员)\s"
    r"|^[\d０-９]{4}\s*[年\-/.．]\s*[\d０-９]{1,2}\s*[月\-/.．]\s*[\d０-９]{1,2}\s*日?(?:\s|$)"
)
_NUMBERED_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[、.．])"
)
# The buttons an info bar ends with, bare: 打印 关闭 收藏 (in the text they are words)
_TRAILING_WIDGETS_RE = re.compile(
    r"(?:[\s|｜]+(?:打印|关闭|收藏|分享|纠错|返回|打印本页|关闭窗口|加入收藏|我要打印|我要纠错"
    r"|字号|字体|大|中|小))+\s*$"
)
_DASH_START_RE = re.compile(r"^[—–―─━]{1,4}")
_NAV_LABEL_RE = re.compile(
    r"^(?:首页|网站首页|主页|home)\s*(?:[>»›→＞/\\|–—\-]|&gt;)"
    r"|^(?:当前位置|您的位置|你的位置|您现在的位置|所在位置|位置)\s*[:：]"
    r"|^(?:相关链接|相关阅读|相关新闻|相关文章|相关文件|推荐阅读|延伸阅读|热门推荐|热点推荐|上一篇|下一篇"
    r"|上一条|下一条)\s*[:：]?"
)
_TITLE_SEPARATORS_RE = re.compile(r"\s*(?:[-_|｜—–·>»]+|——)\s*")
_SENTENCE_END = "。！？!?"
MAX_TITLE_CHARS = 80
MAX_CAPTION_CHARS = 60
MAX_CELL_CHARS = 100  # a longer cell is a layout table's, not a data table's
_TITLE_LOOKBACK = 15  # blocks before the article where its headline may be


@dataclass
class _Block:
    text: str
    element: Any  # the innermost block element the text is in
    kind: str  # "p", a heading or caption tag, "li", "row", "image" (an image, no text)
    link_share: float = 0.0
    centered: bool = False
    # Its block ancestors, outermost first (elements, not their ids: lxml makes a new
    # proxy object, perhaps at a freed one's address, for an element nothing holds).
    path: tuple[Any, ...] = ()
    boilerplate_ids: frozenset[Any] = frozenset()  # those named or made for page furniture
    boilerplate: bool = False  # inside one of them below the article's container


@dataclass
class _Context:
    element: Any
    kind: str
    row: bool = False  # a table row read as one block
    centered: bool = False
    boilerplate: bool = False


@dataclass
class _Walker:
    """Page -> blocks, in document order, without recursion (pages nest deeply)."""

    blocks: list[_Block] = field(default_factory=list)
    stack: list[_Context] = field(default_factory=list)
    pieces: list[tuple[str, bool]] = field(default_factory=list)  # (text, in a link)
    links: int = 0

    def add(self, text: str | None) -> None:
        if text:
            self.pieces.append((text, self.links > 0))

    def flush(self) -> None:
        if not self.pieces or not self.stack:
            self.pieces = []
            return
        raw = "".join(text for text, _ in self.pieces)
        text = _collapse(raw)
        if text:
            solid = sum(len(_squeeze(t)) for t, _ in self.pieces)
            linked = sum(len(_squeeze(t)) for t, in_link in self.pieces if in_link)
            self.blocks.append(self._block(text, linked / solid if solid else 0.0))
        self.pieces = []

    def image(self) -> None:
        self.flush()
        if self.stack:
            self.blocks.append(self._block("", 0.0, kind="image"))

    def _block(self, text: str, link_share: float, kind: str | None = None) -> _Block:
        top = self.stack[-1]
        if kind is None:
            kind = next((c.kind for c in reversed(self.stack) if c.kind in _KIND_TAGS), "p")
            kind = "row" if top.row else kind
        return _Block(
            text=text,
            element=top.element,
            kind=kind,
            link_share=link_share,
            centered=any(c.centered for c in self.stack[-3:]),
            boilerplate_ids=frozenset(c.element for c in self.stack if c.boilerplate),
            path=tuple(c.element for c in self.stack),
        )


def read_html(path: Path, max_chars: int = 0) -> SourceText:
    size = path.stat().st_size
    if max_chars and size > BYTES_PER_CHAR * max_chars:
        raise InputError(
            f"{path}: the page is {size:,} bytes, more than a report of {max_chars:,} "
            "characters can be",
            "split it, or raise the limit with --max-chars (0 for none)",
        )
    data = read_bytes(path)
    text, encoding = decode_page(data, str(path))
    lines = page_lines(text, str(path))
    return build_source(path, "html", encoding, lines, max_chars)


# --- encoding ---------------------------------------------------------------------------

_GB_LABELS = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "chinese", "csgb2312", "euc-cn",
              "iso-ir-58", "csiso58gb231280", "gb_2312", "gb_2312-80", "x-euc-cn", "ms936",
              "windows-936"}  # fmt: skip
_BIG5_LABELS = {"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5", "cp950"}
_UTF8_LABELS = {"utf-8", "utf8", "unicode-1-1-utf-8"}
_CHARSET_RE = re.compile(
    rb"<meta[^>]{0,400}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]{1,40})"
    rb"|<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9_.:\-]{1,40})",
    re.IGNORECASE,
)
PRESCAN_BYTES = 4096


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares near its start (lower case), or None."""
    match = _CHARSET_RE.search(data[:PRESCAN_BYTES])
    if match is None:
        return None
    return (match.group(1) or match.group(2)).decode("ascii").lower()


def decode_page(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a page's bytes, or an `InputError`."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty", "pass a saved web page with Chinese text")
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode(data, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    label = declared_charset(data)
    if label in _GB_LABELS:
        return _lenient(data, "gb18030"), "gb18030"
    if label in _BIG5_LABELS:
        encoding = "big5hkscs" if "hkscs" in label else "cp950"
        return _lenient(data, encoding), encoding
    if label is not None and label not in _UTF8_LABELS:
        log.debug("%s: declared charset %s ignored: not a Chinese encoding", name, label)
    return decode(data, name)


def _lenient(data: bytes, encoding: str) -> str:
    # A stray bad byte in a menu or a script should not cost the article; one inside the
    # article leaves a U+FFFD there, which the shared checks refuse.
    return data.decode(encoding, errors="replace")


# --- blocks -----------------------------------------------------------------------------


def _collapse(raw: str) -> str:
    """Whitespace as a browser shows it: runs of HTML whitespace are one space, and a run
    with a line break beside a Chinese character is nothing (CSS Text's segment-break rule
    between wide characters, here also beside Latin text and punctuation: a source line
    break in Chinese text is never a space)."""

    def space(match: re.Match[str]) -> str:
        run = match.group()
        if "\n" in run or "\r" in run:
            before = raw[match.start() - 1] if match.start() else ""
            after = raw[match.end()] if match.end() < len(raw) else ""
            if _wide(before) or _wide(after):
                return ""
        return " "

    text = _HTML_SPACE_RE.sub(space, raw)
    if "&" in text and _ENTITY_RE.search(text):
        text = _HTML_SPACE_RE.sub(" ", html_entities.unescape(text))  # escaped twice
    return text.strip(" \t\n\r\f\xa0\u3000")


def _wide(ch: str) -> bool:
    """A character of Chinese text: wide, or punctuation of ambiguous width (“”‘’…—)."""
    if not ch:
        return False
    width = unicodedata.east_asian_width(ch)
    return width in ("W", "F", "H") or (width == "A" and "\u2000" <= ch <= "\u206f")


def _attr_words(element: Any) -> set[str]:
    words: set[str] = set()
    for name in ("class", "id"):
        value = element.get(name)
        if value:
            words.update(_WORD_SPLIT_RE.split(value.lower()))
    return words


def _is_row(element: Any) -> bool:
    """A table row of short cells and no table inside: one block, its cells joined (a
    layout table's row, whose cell holds the article, is not)."""
    if next(element.iterdescendants("table", "tr"), None) is not None:
        return False
    cells = list(element.iterchildren("td", "th"))
    return len(cells) >= 2 and all(  # one cell a row is a layout table's
        len(_squeeze(cell.text_content() or "")) <= MAX_CELL_CHARS for cell in cells
    )


def _walk(root: Any) -> list[_Block]:
    from lxml import etree

    walker = _Walker()
    skipped: set[Any] = set()  # the elements themselves, held (see `_Block.path`)
    events = etree.iterwalk(root, events=("start", "end"))
    for event, element in events:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        in_row = bool(walker.stack) and walker.stack[-1].row
        if event == "start":
            if not tag:
                continue  # a comment or processing instruction
            style = element.get("style") or ""
            if tag in _SKIP_TAGS or element.get("hidden") is not None or _HIDDEN_RE.search(style):
                skipped.add(element)
                events.skip_subtree()
                continue
            if in_row and (tag in _BLOCK_TAGS or tag == "br"):
                walker.add(" ")  # a cell, or a paragraph inside one: a space in the row
            elif tag in _BLOCK_TAGS:
                walker.flush()
                walker.stack.append(
                    _Context(
                        element,
                        tag,
                        row=tag == "tr" and _is_row(element),
                        centered=tag == "center"
                        or (element.get("align") or "").lower() == "center"
                        or bool(_CENTER_RE.search(style)),
                        boilerplate=tag in _BOILERPLATE_TAGS
                        or bool(_attr_words(element) & _BOILERPLATE_WORDS),
                    )
                )
            elif tag == "br":
                walker.flush()
            elif tag == "img":
                walker.image()
            elif tag == "a":
                walker.links += 1
            walker.add(element.text)
            continue
        if tag and element not in skipped:
            if tag in _BLOCK_TAGS and walker.stack and walker.stack[-1].element is element:
                walker.flush()
                walker.stack.pop()
            elif in_row and tag in _BLOCK_TAGS:
                walker.add(" ")
            elif tag in _BLOCK_TAGS:
                walker.flush()
            elif tag == "a":
                walker.links = max(0, walker.links - 1)
        walker.add(element.tail)
    walker.flush()
    return walker.blocks


def _parse(text: str) -> Any:
    import lxml.html
    from lxml import etree

    parser = lxml.html.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        return lxml.html.document_fromstring(text.encode("utf-8", errors="replace"), parser)
    except (etree.ParserError, ValueError):
        return None


def _main_text(text: str) -> str:
    """The article's text as trafilatura finds it ("" when it finds none)."""
    import trafilatura

    try:
        found = trafilatura.extract(
            text,
            output_format="txt",
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            favor_recall=True,
            deduplicate=False,
            with_metadata=False,
        )
    except (ValueError, TypeError, RecursionError) as exc:  # a page it cannot parse
        log.debug("trafilatura found no main text: %s", exc)
        return ""
    return found or ""


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _container(blocks: list[_Block], main: str) -> Any:
    """The element that holds the article: the innermost one with `MAIN_SHARE`
    of the weight of the blocks trafilatura kept (or, when it kept none, of the Chinese
    text outside links)."""
    squeezed = _squeeze(main)
    weights: list[tuple[_Block, int]] = []
    for block in blocks:
        text = _squeeze(block.text)
        if squeezed and len(text) >= 6 and text in squeezed:
            weights.append((block, len(text)))
    if not weights:
        weights = [
            (block, han_count(block.text))
            for block in blocks
            if block.link_share < 0.5 and not block.boilerplate_ids and han_count(block.text) >= 6
        ]
    total = sum(weight for _, weight in weights)
    if not total:
        return None
    held: dict[Any, int] = {}
    depth: dict[Any, int] = {}
    for block, weight in weights:
        for level, element in enumerate(block.path):
            held[element] = held.get(element, 0) + weight
            depth[element] = level
    qualified = [element for element, w in held.items() if w >= MAIN_SHARE * total]
    return max(qualified, key=lambda element: depth[element]) if qualified else None


def _clean(text: str) -> str:
    return _WIDGET_RE.sub(" ", text).strip(" \u3000\xa0|｜/")


def _is_nav(block: _Block) -> bool:
    """Menus, breadcrumbs, related links, pagers: mostly links, or labelled so."""
    if _NAV_LABEL_RE.match(block.text.lower()):
        return True
    if block.link_share >= 0.7:
        return not (block.text.startswith("附件") or "。" in block.text)
    return False


def _meta_parts(text: str) -> list[str]:
    """A meta line split at its labels, without widget parts: 发布时间：… 来源：… -> two
    (and 来源：新华社 打印 -> 来源：新华社)."""
    parts = [_TRAILING_WIDGETS_RE.sub("", _clean(part)) for part in _META_LABEL_RE.split(text)]
    return [part for part in parts if part and han_count(part) + sum(c.isdigit() for c in part)]


def _is_meta(text: str) -> bool:
    return bool(_META_RE.match(text))


def _title_hints(root: Any) -> dict[str, int]:
    """What the page itself says its title is, ranked (0 best): the ArticleTitle and
    og:title metas, the <title> and its first parts (0), its middle parts (1), and its last
    part, the site's name on most sites (2)."""
    hints: dict[str, int] = {}

    def hint(value: str, rank: int) -> None:
        value = _squeeze(_collapse(value))
        if len(value) >= 2:
            hints[value] = min(rank, hints.get(value, rank))

    for element in root.iter("meta"):
        name = (element.get("name") or element.get("property") or "").lower()
        if name in ("articletitle", "og:title", "twitter:title"):
            hint(element.get("content") or "", 0)
    for element in root.iter("title"):
        value = _collapse(element.text_content() or "")
        hint(value, 0)
        parts = [part for part in _TITLE_SEPARATORS_RE.split(value) if part.strip()]
        for k, part in enumerate(parts):
            hint(part, 0 if k == 0 else 2 if k == len(parts) - 1 else 1)
    return hints


def _title_like(block: _Block) -> bool:
    text = _clean(block.text)
    inner = text.rstrip(_SENTENCE_END)
    return (
        2 <= len(text) <= MAX_TITLE_CHARS
        and han_count(text) >= 2
        and not any(ch in inner for ch in "。；;")
        and not _is_meta(text)
        and not _is_nav(block)
        and not block.boilerplate
        and block.kind not in ("image", "li", "row", "caption", "figcaption")
    )


def _find_title(blocks: list[_Block], first: int, start: int, hints: dict[str, int]) -> int | None:
    """The index of the headline, near the article's container (its first block is
    `first`, its running text starts at `start`): the block the page's <title> names
    best, else an <h1>, else the nearest title-like block before the container, else a
    heading that opens it."""
    window = range(max(0, first - _TITLE_LOOKBACK), min(len(blocks), start + 2))
    candidates = [i for i in window if _title_like(blocks[i])]
    named = [i for i in candidates if _squeeze(_clean(blocks[i].text)) in hints]
    if named:
        best = min(hints[_squeeze(_clean(blocks[i].text))] for i in named)
        named = [i for i in named if hints[_squeeze(_clean(blocks[i].text))] == best]
        before = [i for i in named if i < start]
        return before[-1] if before else named[0]
    h1 = [i for i in candidates if blocks[i].kind == "h1"]
    if h1:
        return h1[0]
    before = [i for i in candidates if i < first]
    if before:
        return before[-1]
    opening = [i for i in candidates if first <= i < start]
    return opening[0] if opening and opening[0] == first else None


def page_lines(text: str, name: str) -> list[tuple[str, str | None]]:
    """A decoded page -> its lines (text, style), as described in the module docstring."""
    root = _parse(text)
    if root is None:
        raise InputError(f"{name}: the page has no text", "pass a saved web page with Chinese text")
    blocks = _walk(root)
    container = _container(blocks, _main_text(text))
    inside = [i for i, b in enumerate(blocks) if container is None or container in b.path]
    if not inside:
        return []
    # Furniture names count below the container only: the article's own element may be
    # called "content-fontsize".
    first = blocks[inside[0]].path
    above = set(first[: first.index(container) + 1]) if container is not None else set()
    for block in blocks:
        block.boilerplate = bool(block.boilerplate_ids - above)
    # The text starts at the first block of running text in the container: what comes
    # before it there (a headline, the info bar) is read as the page's header.
    start = next((i for i in inside if _running_text(blocks[i])), inside[0])
    title = _find_title(blocks, inside[0], start, _title_hints(root))

    lines: list[tuple[str, str | None]] = []
    taken: set[int] = set()
    if title is not None:
        lines.append((_clean(blocks[title].text), "Title"))
        # byline, 来源 and date lines (and a dash-led subtitle) between it and the text
        for i in range(title + 1, start):
            block = blocks[i]
            cleaned = _clean(block.text)
            if block.kind == "image" or _is_nav(block) or block.boilerplate or not cleaned:
                continue
            if _DASH_START_RE.match(cleaned) and not _is_meta(cleaned):
                lines.append((cleaned, None))
                taken.add(i)
            elif _is_meta(cleaned) or _META_LABEL_RE.search(cleaned):
                lines.extend((part, None) for part in _meta_parts(cleaned) if _is_meta(part))
                taken.add(i)
    # The article's blocks: everything in the container after the headline.
    start = inside[0] if title is None else max(title + 1, inside[0])

    body = [i for i in inside if i >= start and i not in taken]
    levels = sorted({_HEADINGS[blocks[i].kind] for i in body if blocks[i].kind in _HEADINGS
                     and i != title})  # fmt: skip
    image: Any = None  # the element of the image just before, if any
    for i in body:
        block = blocks[i]
        if block.kind == "image":
            image = block.element
            continue
        under_image = image is not None and (block.centered or block.element is image)
        image = None
        if i == title or block.boilerplate or _is_nav(block):
            continue
        cleaned = _clean(block.text)
        if not cleaned or not (han_count(cleaned) or any(ch.isalnum() for ch in cleaned)):
            continue
        style: str | None = "Table" if block.kind == "row" else None
        if block.kind in _HEADINGS:
            style = f"Heading {levels.index(_HEADINGS[block.kind]) + 1}"
        elif block.kind in ("figcaption", "caption") or (under_image and _caption_like(cleaned)):
            style = "Caption"
        lines.append((cleaned, style))
    return lines


def _running_text(block: _Block) -> bool:
    """A block of the article's running text: punctuated Chinese (not a banner's name), no
    heading, caption, meta line, menu or furniture."""
    text = _clean(block.text)
    return (
        block.kind in ("p", "li", "pre")
        and not block.boilerplate
        and not _is_nav(block)
        and not _is_meta(text)
        and (
            (han_count(text) >= 8 and any(mark in text for mark in "，,。；;、！？"))
            or han_count(text) >= 30
        )
    )


def _caption_like(text: str) -> bool:
    """A caption is short, and is neither a meta line nor a numbered heading."""
    return len(text) <= MAX_CAPTION_CHARS and not _is_meta(text) and not _NUMBERED_RE.match(text)
