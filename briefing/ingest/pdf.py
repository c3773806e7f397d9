"""PDF reader: a PDF's text layer -> its blocks, as `SourceLine`s, for the structure rules.

Read with pdfplumber (MIT, over pdfminer.six): pdfminer's layout analysis gives the text
lines in reading order (columns included); the characters of each line, with their fonts
and positions, are then set down here, so that no space is put inside Chinese text or
numbers (超7万人, where other readers give 超 7 万人): a space is kept where the PDF has one,
and added only between two Latin letters or digits set apart by a word's gap.

Blocks: within a page's column, lines run on into one block until a paragraph visibly
ends: the next line is indented, set in another size or weight, or further down than the
line spacing, or this line stops short of the column's right edge or is centred. A block
never runs across a column or a page, so a paragraph a page break cut is two blocks, and
the structure rules re-join it as they do text (it stops mid-phrase, the next continues
it) and note the join. The first and last lines of a page that repeat on other pages
(digits aside) or are page numbers are running headers and footers: styles "Header" and
"Footer", which the structure rules drop and list. A block set larger than the body text,
or in bold where the body is not, gets style "Heading N" (by its size, largest first),
which the structure rules use only when their own find no heading.

A PDF with no text layer (a scan) and one that is encrypted with a password are refused
(exit 2) with a hint: OCR it first, or remove the password.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from briefing.chinese import han_count
from briefing.errors import InputError
from briefing.ingest.lines import build_source, cannot_read, too_long
from briefing.model import SourceText

log = logging.getLogger(__name__)

LAYOUT = {"line_margin": 0.5, "char_margin": 2.0, "word_margin": 0.1, "boxes_flow": 0.5}
BAND = 0.1  # the top and bottom tenth of a page, where running headers and footers sit
HEADING_SIZE = 1.15  # a block this much larger than the body text may be a heading
MAX_HEADING_CHARS = 40
_CID_RE = re.compile(r"^\(cid:\d+\)$")
_BOLD_RE = re.compile(r"bold|black|heavy|semibold|demibold|[,-]b$", re.IGNORECASE)
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_CLOSED_RE = re.compile(r"[。！？!?；;：:…][”’」』）)]*$")
_OCR_HINT = "run OCR on it first (e.g. `ocrmypdf -l chi_sim in.pdf out.pdf`) and pass the result"
_RESAVE = "open it in a PDF viewer and save or print it to a new PDF, or pass the text as .txt"


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    spaced: bool = False  # the PDF sets a space at the line's end (a break at a space)


@dataclass
class _Block:
    lines: list[_Line] = field(default_factory=list)
    style: str | None = None

    @property
    def text(self) -> str:
        out = ""
        spaced = False
        for line in self.lines:
            if out and (spaced or (_latin(out[-1]) and _latin(line.text[0]))):
                out += " "  # the line broke at a space, or between two English words
            out += line.text
            spaced = line.spaced
        return out


def read_pdf(path: Path, max_chars: int = 0) -> SourceText:
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    pages: list[list[_Line]] = []
    heights: dict[int, float] = {}
    total = 0
    try:
        with pdfplumber.open(path, laparams=LAYOUT) as pdf:
            for number, page in enumerate(pdf.pages, start=1):
                heights[number], lines = _page_lines(page, number, path)
                page.close()  # its parsed objects are not needed again
                pages.append(lines)
                total += sum(len(line.text) for line in lines)
                if max_chars and total > max_chars:
                    raise too_long(path, f"more than {max_chars:,} characters by page {number}",
                                   max_chars)  # fmt: skip
    except InputError:
        raise
    except PdfminerException as exc:
        raise _unreadable(path, exc.args[0] if exc.args else exc) from None
    except OSError as exc:
        raise cannot_read(path, exc) from None
    except Exception as exc:  # pdfminer raises anything on damaged files (pdfplumber too)
        raise _unreadable(path, exc) from None
    if not any(pages):
        raise InputError(f"{path}: the PDF has no text layer (it is a scan or images)", _OCR_HINT)
    blocks = _blocks(pages, heights)
    return build_source(path, "pdf", None, [(b.text, b.style) for b in blocks], max_chars)


def _unreadable(path: Path, exc: BaseException) -> InputError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if isinstance(exc, PDFPasswordIncorrect):
        return InputError(
            f"{path}: the PDF is encrypted with a password",
            "remove the password first (e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`)",
        )
    if isinstance(exc, PDFEncryptionError):
        return InputError(
            f"{path}: the PDF is encrypted in a way that cannot be read ({exc})",
            "remove the encryption first (e.g. `qpdf --decrypt in.pdf out.pdf`)",
        )
    detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    return InputError(f"{path}: not a readable PDF ({detail})", _RESAVE)


# --- lines --------------------------------------------------------------------------------


def _page_lines(page: Any, number: int, path: Path) -> tuple[float, list[_Line]]:
    """The page's text lines in pdfminer's reading order, each set down from its chars."""
    from pdfminer.layout import LTChar, LTTextBoxHorizontal, LTTextLineHorizontal

    height = float(page.layout.height)
    lines: list[_Line] = []
    unreadable = 0
    for box in page.layout:
        if not isinstance(box, LTTextBoxHorizontal):
            continue
        for line in box:
            if not isinstance(line, LTTextLineHorizontal):
                continue
            chars = [c for c in line if isinstance(c, LTChar)]
            unreadable += sum(1 for c in chars if _CID_RE.match(c.get_text()))
            chars = [c for c in chars if not _CID_RE.match(c.get_text())]
            text = _set_down(chars)
            ordered = sorted(chars, key=lambda c: c.x0)
            spaced = bool(ordered) and not ordered[-1].get_text().strip()
            if not text:
                continue
            solid = [c for c in chars if c.get_text().strip()]
            lines.append(
                _Line(
                    text=text,
                    x0=float(line.x0),
                    x1=float(line.x1),
                    top=height - float(line.y1),
                    bottom=height - float(line.y0),
                    size=statistics.median(float(c.size) for c in solid),
                    bold=all(_BOLD_RE.search(_base_font(c.fontname)) for c in solid),
                    page=number,
                    spaced=spaced,
                )
            )
    lines = _reading_order(lines)
    if unreadable and not lines:
        raise InputError(
            f"{path}: the PDF's text layer cannot be read (the fonts on page {number} have no "
            "character map)",
            _OCR_HINT,
        )
    return height, lines


def _reading_order(lines: list[_Line]) -> list[_Line]:
    """The page's lines top to bottom; where the page is set in columns (a gutter that
    at least three lines on each side keep clear and few lines cross), each band between
    lines that cross it is read column by column."""
    if len(lines) < 6:
        return sorted(lines, key=lambda line: (line.top, line.x0))
    size = statistics.median(line.size for line in lines)
    spans = sorted((line.x0, line.x1) for line in lines)
    gutters: list[float] = []
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= size:
            gutters.append((reach + x0) / 2)
        reach = max(reach, x1)
    # wide lines (a title across the columns) were left in: look again without them
    if not gutters:
        width = max(x1 for _, x1 in spans) - min(x0 for x0, _ in spans)
        narrow = sorted((x0, x1) for x0, x1 in spans if x1 - x0 < 0.6 * width)
        if narrow:
            reach = narrow[0][1]
            for x0, x1 in narrow[1:]:
                if x0 - reach >= size:
                    gutters.append((reach + x0) / 2)
                reach = max(reach, x1)

    def crosses(line: _Line) -> bool:
        return any(line.x0 < gutter < line.x1 for gutter in gutters)

    def column(line: _Line) -> int:
        return sum(gutter <= line.x0 for gutter in gutters)

    crossing = [line for line in lines if crosses(line)]
    counts = Counter(column(line) for line in lines if not crosses(line))
    if (
        not gutters
        or len(crossing) > 0.2 * len(lines)
        or min(counts.values()) < 3
        or (len(counts) != len(gutters) + 1)
    ):
        return sorted(lines, key=lambda line: (line.top, line.x0))
    ordered: list[_Line] = []
    band: list[_Line] = []
    for line in sorted(lines, key=lambda line: (line.top, line.x0)):
        if crosses(line):
            ordered += sorted(band, key=lambda item: (column(item), item.top))
            band = []
            ordered.append(line)
        else:
            band.append(line)
    return ordered + sorted(band, key=lambda item: (column(item), item.top))


def _base_font(name: str) -> str:
    return name.split("+", 1)[-1]  # ABCDEF+SimSun-Bold: a subset's tag is not the name


def _set_down(chars: list[Any]) -> str:
    """A line's text from its chars, left to right: the PDF's own spaces (one for a run),
    and a space between two Latin letters or digits a word's gap apart; none beside a
    Chinese character."""
    out: list[str] = []
    previous: Any = None
    for char in sorted(chars, key=lambda c: c.x0):
        text = char.get_text()
        if not text.strip():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if previous is not None and out and out[-1] != " ":
            gap = float(char.x0) - float(previous.x1)
            last, first = out[-1][-1], text[0]
            if gap > 0.25 * float(char.size) and _latin(last) and _latin(first):
                out.append(" ")
        out.append(text)
        previous = char
    return "".join(out).strip()


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# --- blocks ---------------------------------------------------------------------------


def _furniture(pages: list[list[_Line]], heights: dict[int, float]) -> dict[int, str]:
    """id(line) -> "Header" or "Footer", for the running lines at the top and bottom of
    pages: page numbers, and lines that repeat (digits aside) on two pages or more."""

    def shape(text: str) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))

    candidates: list[tuple[_Line, str]] = []
    for lines in pages:
        if not lines:
            continue
        height = heights[lines[0].page]
        top = min(lines, key=lambda line: line.top)
        bottom = max(lines, key=lambda line: line.bottom)
        if top.bottom <= BAND * height:
            candidates.append((top, "Header"))
        if bottom.top >= (1 - BAND) * height and bottom is not top:
            candidates.append((bottom, "Footer"))
    seen = Counter((where, shape(line.text)) for line, where in candidates)
    furniture: dict[int, str] = {}
    for line, where in candidates:
        if _PAGE_NUMBER_RE.match(line.text.strip()) or (
            len(pages) > 1 and seen[(where, shape(line.text))] >= 2
        ):
            furniture[id(line)] = where
    return furniture


def _blocks(pages: list[list[_Line]], heights: dict[int, float]) -> list[_Block]:
    furniture = _furniture(pages, heights)
    body_lines = [line for lines in pages for line in lines if id(line) not in furniture]
    if not body_lines:
        return [_Block([line], furniture[id(line)]) for lines in pages for line in lines]
    sizes = Counter(round(line.size * 2) / 2 for line in body_lines for _ in line.text)
    body_size = sizes.most_common(1)[0][0]
    body_bold = Counter(line.bold for line in body_lines for _ in line.text).most_common(1)[0][0]

    frames: list[list[_Line] | _Block] = []  # a column's lines, or a header or footer
    for lines in pages:
        frame: list[_Line] = []
        for line in lines:
            if id(line) in furniture:
                frames += [frame, _Block([line], furniture[id(line)])]
                frame = []
                continue
            if frame and _new_column(frame, line):
                frames.append(frame)
                frame = []
            frame.append(line)
        frames.append(frame)
    # Paragraphs open with an indent where three lines or more are indented.
    indents = (
        sum(
            _indented(line, min(item.x0 for item in frame))
            for frame in frames
            if isinstance(frame, list) and frame
            for line in frame
        )
        >= 3
    )
    blocks: list[_Block] = []
    for item in frames:
        blocks.extend(_frame_blocks(item, indents, body_size) if isinstance(item, list) else [item])
    _heading_styles(blocks, body_size, body_bold)
    return blocks


def _new_column(frame: list[_Line], line: _Line) -> bool:
    """The next line in reading order starts another column: it is higher up the page, or
    beside the lines so far rather than under them."""
    last = frame[-1]
    if line.top < last.top - 0.5 * last.size:
        return True
    left = min(item.x0 for item in frame)
    right = max(item.x1 for item in frame)
    return line.x0 >= right or line.x1 <= left


def _frame_blocks(frame: list[_Line], indents: bool, body_size: float) -> list[_Block]:
    if not frame:
        return []
    left = Counter(round(line.x0) for line in frame).most_common(1)[0][0]
    right = max(line.x1 for line in frame)
    pitches = [b.top - a.top for a, b in pairwise(frame) if b.top > a.top]
    pitch = statistics.median(pitches) if pitches else 0.0
    blocks: list[_Block] = []
    current: list[_Line] = []
    for line in frame:
        if current and _starts_paragraph(current[-1], line, left, right, pitch, indents,
                                         body_size):  # fmt: skip
            blocks.append(_Block(current))
            current = []
        current.append(line)
    if current:
        blocks.append(_Block(current))
    return blocks


def _starts_paragraph(
    previous: _Line,
    line: _Line,
    left: float,
    right: float,
    pitch: float,
    indents: bool,
    body_size: float,
) -> bool:
    """Whether `line` opens a paragraph after `previous`, in a column from `left` to
    `right`. Where paragraphs open with an indent (`indents`), a line that stops short
    ends one only if it ends a sentence: ragged lines stop short wherever a character may
    not open the next line (。” are kept off a line's start). A title or heading set over
    lines (larger than the body) stops short and is centred as it likes."""
    size = max(previous.size, 1.0)
    if abs(line.size - previous.size) > 0.1 * size or line.bold != previous.bold:
        return True  # a heading and its text
    if _indented(line, left) and not _indented(previous, left):
        return True  # a first-line indent
    display = previous.size >= HEADING_SIZE * body_size
    short = right - previous.x1 > 1.5 * size
    if short and not display and (not indents or _CLOSED_RE.search(previous.text)):
        return True  # the line before stopped short: its paragraph ended
    if not display and previous.x0 - left > 2 * size and right - previous.x1 > 2 * size:
        return True  # a centred line
    # further down than the line spacing (of lines this size: a title's is wider)
    return bool(pitch) and line.top - previous.top > 1.4 * max(pitch, 1.3 * size)


def _indented(line: _Line, left: float) -> bool:
    return 0.8 * line.size < line.x0 - left < 4.5 * line.size


def _heading_styles(blocks: list[_Block], body_size: float, body_bold: bool) -> None:
    """Style "Heading N" for short blocks set larger than the body, or bold where the body
    is not; none for the title (the first block, if it is set so, and any of its size
    before the body text starts)."""
    candidates: list[tuple[_Block, tuple[float, bool]]] = []
    title_size: float | None = None
    started = False
    for block in blocks:
        if block.style is not None:
            continue
        sizes = {round(line.size * 2) / 2 for line in block.lines}
        bold = all(line.bold for line in block.lines)
        larger = min(sizes) >= HEADING_SIZE * body_size
        if not larger and not (bold and not body_bold and max(sizes) >= body_size):
            started = started or han_count(block.text) > 0
            continue
        if not started and (title_size is None or max(sizes) == title_size):
            title_size = max(sizes)
            continue
        if len(block.text) <= MAX_HEADING_CHARS and han_count(block.text):
            candidates.append((block, (max(sizes), bold)))
    ranks = sorted({key for _, key in candidates}, reverse=True)
    for block, key in candidates:
        block.style = f"Heading {ranks.index(key) + 1}"
