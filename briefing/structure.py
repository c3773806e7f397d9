"""Structure: `SourceText` -> `Document` (front matter, sections, paragraphs, dropped lines).

Pure: no I/O. Every decision is made on the Simplified analysis copy of a line; the
document keeps the source's own text. The rules, in the order they are applied:

1. **Page furniture** is dropped (and listed, one entry per source line):
   follow/scan prompts and editor credits (扫码关注, 阅读原文, 责任编辑…), copyright lines,
   web-page controls (字号, 打印本页…), page numbers (``3``, ``- 3 -``, ``第3版``), lines
   with Latin letters and no Chinese (banner words such as a masthead in pinyin), and
   short lines repeated verbatim (running headers). At the end of the text, the *tail*
   (the trailing run of short lines that do not end a sentence) is dropped from the
   first furniture line in it, or from the wider-than-usual gap of blank lines before
   that line, so slogans and publisher lines printed with the furniture go with it.
   Closing lines (a date, （完）) are never dropped.
2. **Front matter**, at the top: the title (the first line, if it is not a sentence;
   short lines between it and a following subtitle/byline/date belong to it), a
   subtitle (a line opening with a dash run, dashes stripped), a byline (记者 / 作者 /
   来源 / 通讯员… lines, typographic box marks stripped; several are joined) and a date
   line. A .docx's Title and Subtitle styles say the same directly.
3. **Headings**, by general signals only:
   - a numbered ladder: 第X章/编/部分, 第X节, 一、, （一）, 1. / 1、, （1）, 第X条. The
     heading is the marker plus a short remainder that is not a sentence. Levels
     follow the conventional order of those marker kinds (GB/T 9704), ranked among the
     kinds the document uses;
   - a short line set off by a typographic mark (■ …, ◆ …; the mark is stripped) or
     wholly in 【】, as press sub-headings are printed;
   - a .docx heading style (Heading N / 标题 N) gives the heading and its level;
   - an unnumbered short line (at most 32 characters, not ending in punctuation,
     no full stop inside, following a finished sentence) is a heading only if it is in
     *parallel form* with another such line: the candidates are compared with each
     other (a shared two-character opening or ending, the same first and last
     character, or the same first character plus another character at the same
     distance from the end, as in 在…上… and 以…为…). Only where a document has no
     other headings at all do candidates of exactly the same length (at most 20
     characters) count as parallel (产业升级步伐加快 / 民生福祉持续增进). A lone
     candidate is a line a page break cut short, and is joined to the next line.
4. **Paragraphs**: consecutive text lines are joined, with nothing between them,
   while a line does not end a sentence (。！？!?；;… of either width, or a colon,
   possibly followed by closing quotes or brackets): that is a paragraph a page
   break cut in two. Each paragraph remembers its source lines. Closing lines at the
   very end (a date, （完）, a signature: short lines after the last finished
   sentence) stay paragraphs of their own.
5. **Sections**: paragraphs before the first heading form the untitled lead ``s0``
   (omitted when empty); every heading, of any level, opens the next section.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefing.chinese import CLOSERS, ends_sentence, han_count, parse_date
from briefing.model import Document, Paragraph, Section, SourceLine, SourceText

# --- furniture -------------------------------------------------------------------------

MAX_FURNITURE_CHARS = 40
_PROMPT_RE = re.compile(
    r"扫码|扫一扫|二维码|长按识别|长按关注|关注我们|欢迎关注|请关注|点击关注|关注公众号"
    r"|查看更多|阅读原文|原文链接|原文地址|点击(阅读|查看|进入|下载)|下载.{0,8}客户端|微信公众号"
    r"|责任编辑|编辑[:：]|审核[:：]|校对[:：]|监制[:：]|终审[:：]|初审[:：]|复审[:：]|美编[:：]"
    r"|版权所有|未经授权|转载请注明|[Cc]opyright|©"
    r"|字号[:：]?\s*[大中小]|打印本页|关闭窗口|【打印】|【关闭】|浏览次数|阅读次数|分享到"
)
# Social buttons are furniture when at least two appear on one short line.
_SOCIAL_WORDS = ("点赞", "在看", "分享", "转发", "收藏", "评论")
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|第\s*[\dA-Za-z]{1,4}\s*[版页]\b.*|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_LATIN_RE = re.compile(r"[A-Za-z]")
URL_RE = re.compile(r"https?://[^\s，。；、）)\]】\"”]+")
_COMPLETION_RE = re.compile(r"^[（(【\[]?\s*完\s*[)）】\]]?$")
_TAIL_MAX_CHARS = 30
_REPEAT_MAX_CHARS = 30

# --- front matter ----------------------------------------------------------------------

_BOX_MARKS = "□■◎●○◆◇▲△★☆※◼◻▪▫"
_BYLINE_RE = re.compile(
    r"^(?:本报|本刊|本台|本网|新华社|特约)?\s*(?:记者|通讯员|作者|来源|撰稿|供稿|摄影|编者)"
    r"|^(?:文|图|图文|文图|文字|摄影)\s*[/／|｜:：]"
)
# A speaker line under a speech's title: a post, then the name (市长 张建华).
_SPEAKER_RE = re.compile(
    r"^[\u4e00-\u9fff]{0,12}(?:长|书记|主任|主席|总理|委员|代表|记者|通讯员|总编辑)"
    r"(?:\s+[\u4e00-\u9fff]{2,4})+$"
)
_DASH_RE = re.compile(r"^[—–―─━\-－~～]{1,4}\s*")
_DATE_LINE_RE = re.compile(
    r"^[（(【\[]?\s*(?:发布|发表|更新)?(?:时间|日期)?\s*[:：]?\s*"
    r"[\d０-９〇零○一二三四五六七八九十]{4}\s*[年\-/.．][^，,。；;]{0,30}$"
)
MAX_TITLE_CHARS = 50
_FRONT_MATTER_LINES = 8

# --- headings --------------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十百零〇"
# Marker kinds in their conventional order of rank (GB/T 9704 and common practice).
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第[{_CN_NUM}\d]+[章编篇]|^第[{_CN_NUM}\d]+部分")),
    ("section", re.compile(rf"^第[{_CN_NUM}\d]+节")),
    ("cn", re.compile(rf"^[{_CN_NUM}]+\s*[、.．]")),
    ("cn_paren", re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[)）]")),
    ("num", re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))")),
    ("num_paren", re.compile(r"^[（(]\s*\d{1,2}\s*[)）]")),
    ("article", re.compile(rf"^第[{_CN_NUM}\d]+条")),
    # Press sub-headings set off by a typographic mark (■ 推动产业升级) or in 【】.
    ("bullet", re.compile(rf"^[{_BOX_MARKS}▶►]\s*[^\s{_BOX_MARKS}]")),
    ("bracket", re.compile(r"^【[^】]{2,30}】$")),
)
MAX_NUMBERED_HEADING_CHARS = 40
MAX_HEADING_CHARS = 32
MAX_SAME_LENGTH_HEADING = 20
_OPEN_END = "。！？!?；;，,、：:…"
_STYLE_LEVEL_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)


def parse(source: SourceText) -> Document:
    """Find the structure of a decoded report."""
    nonblank = [line for line in source.lines if line.text]
    dropped = _furniture(source.lines, nonblank)
    remaining = [line for line in nonblank if line.number not in dropped]

    front, body = _front_matter(remaining)
    headings = _headings(body)
    sections = _sections(body, headings)

    date = front.date
    if date is None:
        date = _closing_date(body)
    return Document(
        source=source,
        title=front.title,
        subtitle=front.subtitle,
        byline=front.byline,
        date=date,
        sections=sections,
        dropped=tuple(line.text for line in source.lines if line.number in dropped),
    )


# --- 1. furniture ----------------------------------------------------------------------


def is_furniture(text: str) -> bool:
    """A line that is page furniture wherever it appears."""
    if len(URL_RE.sub("", text)) > MAX_FURNITURE_CHARS:
        return False
    if _PROMPT_RE.search(text) or _PAGE_NUMBER_RE.match(text):
        return True
    if sum(word in text for word in _SOCIAL_WORDS) >= 2:
        return True
    # Latin letters and no Chinese: a banner word (masthead in pinyin, a web address).
    return han_count(text) == 0 and bool(_LATIN_RE.search(text))


def is_closing_line(text: str) -> bool:
    """A short line that ends a report and must be kept: a date or （完）."""
    return bool(_COMPLETION_RE.match(text)) or _is_date_line(text)


def _is_date_line(text: str) -> bool:
    return bool(_DATE_LINE_RE.match(text)) and parse_date(text) is not None


def _furniture(all_lines: Sequence[SourceLine], nonblank: list[SourceLine]) -> set[int]:
    dropped = {
        line.number
        for line in nonblank
        if is_furniture(line.analysis) and not is_closing_line(line.analysis)
    }

    # Running headers: short lines repeated verbatim. The first line may be a title a
    # page header repeats, so its first occurrence stays.
    counts = Counter(line.analysis for line in nonblank)
    first = nonblank[0].number if nonblank else None
    for line in nonblank:
        text = line.analysis
        if (
            counts[text] >= 2
            and len(text) <= _REPEAT_MAX_CHARS
            and line.number != first
            and not is_closing_line(text)
        ):
            dropped.add(line.number)

    dropped |= _furniture_tail(all_lines, nonblank, dropped)
    return dropped


def _gaps(all_lines: Sequence[SourceLine]) -> dict[int, int]:
    """Blank lines before each non-blank line, by line number."""
    gaps: dict[int, int] = {}
    blank = 0
    for line in all_lines:
        if line.text:
            gaps[line.number] = blank
            blank = 0
        else:
            blank += 1
    return gaps


def _furniture_tail(
    all_lines: Sequence[SourceLine], nonblank: list[SourceLine], dropped: set[int]
) -> set[int]:
    gaps = _gaps(all_lines)
    inner = [gaps[line.number] for line in nonblank[1:]]
    usual = statistics.median(inner) if inner else 0

    tail: list[SourceLine] = []
    for line in reversed(nonblank):
        text = line.analysis
        if line.number in dropped or (len(text) <= _TAIL_MAX_CHARS and not ends_sentence(text)):
            tail.append(line)
        else:
            break
    tail.reverse()
    anchors = [i for i, line in enumerate(tail) if line.number in dropped]
    if not anchors:
        return set()
    start = anchors[0]
    # Extend back to the wide gap that separates the furniture block from the text.
    for i in range(anchors[0], -1, -1):
        if gaps[tail[i].number] > usual:
            start = i
            break
    return {line.number for line in tail[start:] if not is_closing_line(line.analysis)}


# --- 2. front matter -------------------------------------------------------------------


@dataclass
class _FrontMatter:
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    date: str | None = None


def _strip_box(text: str, extra: str = "") -> str:
    """Remove leading typographic marks (□ before a byline, ■ before a sub-heading)."""
    return text.lstrip(_BOX_MARKS + extra + " \u3000").strip()


def _is_byline(text: str) -> bool:
    text = _strip_box(text)
    return len(text) <= 80 and bool(_BYLINE_RE.match(text) or _SPEAKER_RE.match(text))


def _is_subtitle(text: str) -> bool:
    return bool(_DASH_RE.match(text)) and len(_DASH_RE.sub("", text)) > 0


def _is_title_like(line: SourceLine) -> bool:
    text = line.analysis
    return (
        len(text) <= MAX_TITLE_CHARS
        and "。" not in text
        and not text.endswith(tuple("，,；;、：:"))
        and _marker_kind(text) is None
    )


def _style(line: SourceLine) -> str:
    return (line.style or "").strip().lower()


def _front_role(line: SourceLine, index: int) -> str | None:
    text, style = line.analysis, _style(line)
    if style == "title":
        return "title"
    if style == "subtitle" or _is_subtitle(text):
        return "subtitle"
    if _is_byline(text):
        return "byline"
    if _is_date_line(text):
        return "date"
    if index == 0 and _is_title_like(line) and not _STYLE_LEVEL_RE.match(style):
        return "title"
    return None


def _front_matter(lines: list[SourceLine]) -> tuple[_FrontMatter, list[SourceLine]]:
    """Take the title, subtitle, byline and date off the top; return the rest."""
    window = lines[:_FRONT_MATTER_LINES]
    roles: list[str] = []
    for i, line in enumerate(window):
        role = _front_role(line, i)
        if (
            role is None
            and roles
            and set(roles) == {"title"}
            and _is_title_like(line)
            and not ends_sentence(line.analysis)
            and i + 1 < len(window)
            and _front_role(window[i + 1], i + 1) in {"subtitle", "byline", "date"}
        ):
            role = "title"  # a headline set on two lines
        if role is None:
            break
        roles.append(role)

    front = _FrontMatter()
    titles: list[str] = []
    bylines: list[str] = []
    for line, role in zip(window, roles, strict=False):
        if role == "title":
            titles.append(line.text)
        elif role == "subtitle":
            front.subtitle = _DASH_RE.sub("", line.text).strip()
            front.date = front.date or parse_date(line.analysis)
        elif role == "byline":
            bylines.append(_strip_box(line.text))
            front.date = front.date or parse_date(line.analysis)
        else:
            front.date = front.date or parse_date(line.analysis)
    front.title = " ".join(titles) or None
    front.byline = " ".join(bylines) or None
    return front, lines[len(roles) :]


def _closing_date(body: list[SourceLine]) -> str | None:
    """The date of a closing line (a signature date), if the report ends with one."""
    for line in reversed(body[-3:]):
        if _is_date_line(line.analysis):
            return parse_date(line.analysis)
    return None


# --- 3. headings -----------------------------------------------------------------------


def _marker_kind(text: str) -> str | None:
    for kind, pattern in _MARKERS:
        if pattern.match(text):
            return kind
    return None


def _numbered_heading(text: str) -> str | None:
    """The marker kind if the line is a numbered heading, else None."""
    kind = _marker_kind(text)
    if kind is None or len(text) > MAX_NUMBERED_HEADING_CHARS:
        return None
    body = text.rstrip(CLOSERS)
    if body.endswith(tuple("，,、；;：:")):
        return None
    inner = body[:-1] if body.endswith(("。", ".")) else body
    if any(ch in inner for ch in "。；;"):
        return None
    # A heading closed by a full stop must be short; a longer one is a list item.
    if body != inner and len(body) > 20:
        return None
    return kind


def _is_heading_candidate(text: str) -> bool:
    return (
        2 <= len(text) <= MAX_HEADING_CHARS
        and not text.rstrip(CLOSERS).endswith(tuple(_OPEN_END))
        and "。" not in text
        and not is_closing_line(text)
    )


def parallel(a: str, b: str) -> bool:
    """True when two heading candidates share a parallel form."""
    if len(a) < 2 or len(b) < 2:
        return False
    if a[:2] == b[:2] or a[-2:] == b[-2:]:
        return True
    if a[0] != b[0]:
        return False
    if a[-1] == b[-1]:
        return True
    # The same first character and another character at the same distance from the
    # end (±1): 在…上见实效 / 在…上求突破; 以…为引领 / 以…为动力.
    a_positions = {(ch, len(a) - i) for i, ch in enumerate(a[1:-1], start=1)}
    for j, ch in enumerate(b[1:-1], start=1):
        distance = len(b) - j
        if any((ch, distance + k) in a_positions for k in (-1, 0, 1)):
            return True
    return False


def _headings(body: list[SourceLine]) -> dict[int, int]:
    """Map body index -> heading level."""
    kinds: dict[int, str] = {}
    styled: dict[int, int] = {}
    for i, line in enumerate(body):
        match = _STYLE_LEVEL_RE.match(_style(line))
        if match:
            styled[i] = max(1, int(match.group(1)))
            continue
        kind = _numbered_heading(line.analysis)
        if kind is not None:
            kinds[i] = kind

    ranks = [kind for kind, _ in _MARKERS if kind in kinds.values()]
    levels: dict[int, int] = {i: ranks.index(kind) + 1 for i, kind in kinds.items()}
    levels.update(styled)

    # Unnumbered candidates: short, open-ended lines that follow a finished sentence
    # (or the top, or another heading) and are not the closing lines of the report.
    last_sentence = max(
        (i for i, line in enumerate(body) if ends_sentence(line.analysis)), default=-1
    )
    candidates: list[int] = []
    for i, line in enumerate(body):
        if i in levels or i >= last_sentence:
            continue
        previous_done = i == 0 or (i - 1) in levels or ends_sentence(body[i - 1].analysis)
        if previous_done and _is_heading_candidate(line.analysis):
            candidates.append(i)
    texts = [body[i].analysis for i in candidates]
    grouped = _parallel_groups(texts)
    if not any(grouped) and not levels:
        grouped = _same_length_groups(texts)
    unnumbered_level = max(levels.values(), default=0) + 1 if kinds else 1
    for index, in_group in zip(candidates, grouped, strict=True):
        if in_group:
            levels[index] = unnumbered_level
    return levels


def _same_length_groups(texts: list[str]) -> list[bool]:
    """The fallback when no heading shares characters with another: short lines of exactly
    the same length (产业升级步伐加快 / 民生福祉持续增进), as press sub-headings are set."""
    lengths = Counter(len(t) for t in texts if len(t) <= MAX_SAME_LENGTH_HEADING)
    return [len(t) <= MAX_SAME_LENGTH_HEADING and lengths[len(t)] >= 2 for t in texts]


def _parallel_groups(texts: list[str]) -> list[bool]:
    """For each text, whether it is in parallel form with at least one other."""
    return [any(parallel(t, u) for j, u in enumerate(texts) if j != i) for i, t in enumerate(texts)]


# --- 4 and 5. paragraphs and sections --------------------------------------------------


def _closes_paragraph(text: str) -> bool:
    return ends_sentence(text) or bool(re.search(f"[:：][{re.escape(CLOSERS)}]*$", text))


def _sections(body: list[SourceLine], headings: dict[int, int]) -> tuple[Section, ...]:
    last_sentence = max(
        (i for i, line in enumerate(body) if _closes_paragraph(line.analysis)), default=-1
    )

    def stands_alone(i: int) -> bool:
        text = body[i].analysis
        return is_closing_line(text) or (i > last_sentence and len(text) <= _TAIL_MAX_CHARS)

    groups: list[tuple[SourceLine | None, int, list[list[SourceLine]]]] = [(None, 0, [])]
    for i, line in enumerate(body):
        if i in headings:
            groups.append((line, headings[i], []))
            continue
        paragraphs = groups[-1][2]
        previous = paragraphs[-1][-1] if paragraphs else None
        continues = (
            previous is not None
            and (i - 1) not in headings
            and not _closes_paragraph(previous.analysis)
            and not stands_alone(i)
            and not stands_alone(i - 1)
        )
        if continues:
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])

    sections: list[Section] = []
    for number, (heading, level, paragraphs) in enumerate(groups):
        if heading is None and not paragraphs:
            continue
        section_id = f"s{number}"
        sections.append(
            Section(
                id=section_id,
                heading=_strip_box(heading.text, extra="▶►") if heading else None,
                heading_line=heading.number if heading else None,
                level=level,
                paragraphs=tuple(
                    Paragraph(
                        id=f"{section_id}.p{k}",
                        zh="".join(line.text for line in parts),
                        lines=tuple(line.number for line in parts),
                        analysis="".join(line.analysis for line in parts),
                    )
                    for k, parts in enumerate(paragraphs, start=1)
                ),
            )
        )
    return tuple(sections)
