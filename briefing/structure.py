"""Structure: `SourceText` -> `Document` (front matter, sections, paragraphs, dropped lines).

Pure: no I/O. Every decision is made on the Simplified analysis copy of a line; the
document keeps the source's own text. Each rule is a small named function below; in the
order they are applied:

0. **Layout** (`lines_are_paragraphs`): in a .docx every paragraph is a real paragraph, as
   is every block of a web page and every line of a text file that has no blank lines and
   whose long lines end their sentences (a legal-database export); a PDF's blocks end at
   page and column breaks, which may cut a paragraph. Elsewhere (text with blank lines,
   from a printed page) a line break may be a page break that cut a sentence. Text hard-wrapped at
   a fixed width, as a PDF's lines come out (`wrap_width`: half the lines within one
   character of one length, most of them stopping mid-phrase), is first read as the lines
   it was wrapped from (`unwrap`): a line of the full width runs on into the next unless the
   next starts a unit of its own (a marker, a date, an annex), or the line ends a sentence
   and the next opens a paragraph (a run-in subhead, a vocative, a short heading).
   Paragraphs and headings then list every source line they were built from.
1. **Page furniture** is dropped (and listed, one entry per source line, with its line and
   reason): follow/scan prompts and editor credits (扫码关注, 阅读原文, 责任编辑…),
   copyright lines, web-page controls (字号, 打印本页…), page numbers (``3``, ``- 3 -``,
   ``第3版``), lines with Latin letters and no Chinese (banner words such as a masthead in
   pinyin), and, where breaks may be page breaks, short lines repeated verbatim that do not
   end a sentence and sit next to a page number (or appear three times with no punctuation
   in them): running headers. Lines a reader styled "Header" or "Footer" (a PDF's running
   lines and page numbers) are furniture wherever they are.
   At the end of the text, the *tail* (the trailing run
   of short lines that do not end a sentence) is dropped from the first furniture line in
   it, or from the wider-than-usual gap of blank lines before that line, so slogans and
   publisher lines printed with the furniture go with it. Closing lines (a date, （完）)
   are never dropped.
2. **Front matter**, at the top, line by line until a line has no front-matter role:
   - legal-database export headers (`is_database_header`: 【法宝引证码】, 发布部门：,
     发文字号：, 效力级别：, 时效性：, 发布日期：, 实施日期：…) are dropped and listed; their
     values fill `issuer`, `doc_number` and `date`;
   - the title: the first line, if it is not a sentence (a .docx Title style says so
     directly); short lines between it and a following subtitle/byline/date belong to it.
     A later copy of it, or a short line the title ends with (政府工作报告 under
     2025年某省政府工作报告), is a duplicate and is dropped (`is_duplicate_title`);
   - the document number (`is_doc_number`: 某府办发〔2022〕43号) and the addressees of a
     notice (`is_addressees`: 各市人民政府，省政府各部门：) go to `doc_number` and
     `addressees`;
   - a `来源：…` line is the source (`source_name`), not the byline; a dateline may follow
     it on the same line (来源：某省人民政府 2025年1月17日在…), or a date or an author;
   - a subtitle: a line opening with a dash run (dashes stripped), or a dateline
     (`is_dateline`: a date then 在…会议上, …的讲话, …作政府工作报告); it gives `date`, and a
     speaker named in it gives `speaker` and the byline;
   - a byline: 记者 / 作者 / 通讯员… lines (typographic box marks stripped; several are
     joined), or a speaker line (`speaker_of`: 省长 某某某, 某省人民政府省长 某某,
     spaced names 王 文 清, names with ·), which also gives `speaker`;
   - a date line.
   A caption or a table row (styles "Caption", "Table": a web page's) has no front-matter
   role. Then, at the top of the body, a salutation (`is_salutation`: 各位代表：, 同志们：) and the
   formulaic opening sentence of a report to a congress (`is_opening_formula`: 现在，我代表…
   向大会…报告工作，请予审议…) are dropped and listed.
   The issuer, if no header names it, is the signature of a notice (`is_signature`: a short
   line just before a date line) or the part of the title before 关于 (某市人民政府办公室关于…
   的通知). The date, if the front matter has none, is that of the closing date line of a
   notice that issues a document, or of the report's last lines.
3. **Headings**:
   - a numbered ladder: 第X章/编/部分, 第X节, 一、, （一）, 一是 (on a line of its own), 1. / 1、
     / 1．, （1）, 第X条. Each numbered line has a *shape* (`item_shape`): a heading on its
     own line, an *inline* heading (its first sentence, at most 42 characters, or 20 for
     1. items, is the heading and the rest of the line the first paragraph: （一）坚持…，
     着力…。正文…; 1．医疗卫生方面。正文…), a one-sentence line (a heading only when body text
     follows it, not the next item; a note in brackets after it is no body), or a list item
     (ends in ；, a long first sentence, or a label before ：). Items are
     grouped by their numbering (1, 2, 3… of one kind; a 1 starts a new group), and a group
     is headings only if at least two thirds of its items can be headings
     (`heading_group`), so the numbered provisions of a scheme and the list items of an
     article stay paragraphs. 一是 at the start of a paragraph and ——… lines are run-in
     subheads, never headings. A chapter heading that shares its line with the first
     article (第一章 总则 第一条 …) is split before the article;
   - an annex (`annex_kind`: 附件, 附件1, 附件2 名词解释, 附录, 名词解释, and …名单 where a list
     follows) opens a section of kind "annex"; a box (`is_box_title`: 专栏N …) opens a
     sub-section of kind "box" that runs to the next heading of its parent's rank or above
     (`box_contents`: numbered and short lines inside it are its items, not headings, and
     are never joined); the title of the document a notice issues (关于印发《X》的通知 or
     关于印发X的通知, then a line X, perhaps with its years on the next line) opens a section
     of kind "document". A label on its own line (附件1, 专栏2) and a numbered heading set
     over two paragraphs take the next short line as the rest of the heading
     (`continues_heading`). The lines after an attachment note (附件：1．… / 2．…,
     `attachment_list`) are never headings;
   - a short line set off by a typographic mark (■ …, ◆ …; the mark is stripped) or wholly
     in 【】, as press sub-headings are printed;
   - a .docx heading style (Heading N / 标题 N) gives the heading and its level;
   - an unnumbered short line (at most 32 characters, not ending in punctuation, no full
     stop inside, following a finished sentence) is a heading if it is in *parallel form*
     with another such line (`parallel`: a shared two-character opening or ending, the same
     first and last character, or the same first character plus another character at the
     same distance from the end, as in 在…上… and 以…为…). Only where a document has no
     other headings at all do candidates of exactly the same length (at most 20
     characters) count as parallel. A lone candidate is a heading if it looks like one (at
     most 20 characters, no punctuation inside, no opening discourse word, and it does not
     read like the start of a sentence, `reads_as_fragment`: a 是 inside, or an ending in
     的, 和, 是…) where lines are paragraphs (a .docx: 持续推进政府自身建设) or where a numbering
     that starts at 1 follows it within four lines (a part heading over （一）…); otherwise
     it is a line a page break cut short, and is joined to the next line. Signatures,
     roster lines, lines wholly in brackets, closing lines and labels are never headings;
   - captions and table rows (`stands_apart`) are never headings, and a PDF's heading
     styles, which its reader gave lines set larger or bolder than the body text, count
     only where none of the rules above finds a heading;
   - levels (`heading_levels`) are nesting depth: the conventional order of the marker
     kinds (GB/T 9704) decides which heading is inside which, a document or annex heading
     starts again at level 1 with its own ladder below it, unnumbered part headings
     followed by a numbering that starts at 1 rank above it (2024年工作回顾, then （一）…),
     other unnumbered headings below every numbered kind, and a box one level below the
     heading it is in.
4. **Paragraphs**: every line, and the rest of an inline heading's line, is a paragraph,
   except that a line a break cut short is joined to the next one, with nothing between
   them. A line is cut short (`ends_mid_phrase`) when it ends in a Han character, a digit,
   a comma or an opening bracket or quote (or, where breaks may be page breaks, when a long
   line ends in a closing quote), and is not complete in itself: lines that end in a
   sentence end, a colon or a closing bracket (（责任单位：省发展改革委）), list items (short
   lines that open with a marker, unless the document's other items of that kind end
   complete), box titles and box lines, roster lines (names and posts), headings,
   signatures and dates are complete. The next line continues it (`continues_line`) unless
   it starts with a list marker, a heading form, a dash run, a speaker (某某：), a note of
   its own in brackets, or a number (a number continues only a number cut in two or a line
   that stops where a quantity must follow: 达到 / 95%以上). In a .docx a line must also be
   long (a real paragraph a conversion split) to be joined. An attachment note that is
   only 附件： takes the attachment's title on the next line. Each paragraph remembers its
   source lines. Captions and table rows are never joined to a line or a line to them; a
   caption is a paragraph of kind "caption". Closing lines at the very end (a date, （完）,
   a signature: short lines after the last line that finishes a sentence) stay paragraphs
   of their own.
5. **Run-in subheads** (`run_in_spans`) stay in their paragraph and are marked as character
   spans for bold rendering: 一是…。 (also after a sentence inside a paragraph), a short
   ——…。, and a short heading-like first sentence (大力提振消费。) that is followed by more
   text: at most 20 characters and no comma, or at most 30 with a comma where a
   neighbouring paragraph opens the same way; not a vocative, a numbered line, a statement
   (是, 要, 应当, 了…), or a sentence that opens with a time or discourse word (今年, 我们,
   同时…). Not after an inline heading on the same line.
6. **Sections**: paragraphs before the first heading form the untitled lead ``s0``
   (omitted when empty); every heading, of any level, opens the next section.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

from briefing.chinese import CLOSERS, ends_sentence, han_count, parse_date, small_number
from briefing.model import (
    Document,
    DropReason,
    Paragraph,
    ReportSpeaker,
    Section,
    SectionKind,
    SourceLine,
    SourceText,
)

# --- furniture -------------------------------------------------------------------------

MAX_FURNITURE_CHARS = 40
_PROMPT_RE = re.compile(
    r"扫码(?:关注|下载|阅读|观看|收听|查看|了解|进入|加入|添加|订阅)|长按扫码|扫一扫|二维码|长按识别|长按关注|关注我们|欢迎关注|请关注|点击关注|关注公众号"
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
    r"^(?:本报|本刊|本台|本网|新华社|特约)?\s*(?:记者|通讯员|作者|撰稿|供稿|摄影|编者)"
    r"|^(?:文|图|图文|文图|文字|摄影)\s*[/／|｜:：]"
)
_SOURCE_RE = re.compile(r"^(?:信息|文章|稿件)?来\s*源\s*[:：]\s*")
# Posts a speaker of the genre holds; the longest first, so 代省长 wins over 省长.
_POSTS = (
    "常务副省长|常务副市长|代理主席|代理省长|代理市长|代省长|代市长|代主席|副省长|副市长|副主席"
    "|省长|市长|主席|州长|县长|区长|盟长|旗长|总理|书记|主任|部长|厅长|局长|委员|代表"
)
_NAME = (
    r"(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{2,8}·[\u4e00-\u9fff]{2,8}"
    r"|[\u4e00-\u9fff](?:\s[\u4e00-\u9fff]){1,3})"
)
# A speaker line under a speech's title: a post, then the name (市长 张建华, 省长 王 文 清).
_SPEAKER_LINE_RE = re.compile(
    rf"^(?P<post>[\u4e00-\u9fff]{{0,16}}?(?:{_POSTS}|长|记者|通讯员|总编辑))\s+(?P<name>{_NAME})$"
)
# A speaker inside a dateline: …会议上省长某某某作政府工作报告, …日某某市长在…, …日省长 某某在….
_EXECUTIVE_POSTS = (
    "常务副省长|常务副市长|代理主席|代理省长|代理市长|代省长|代市长|代主席|副省长|副市长|副主席"
    "|省长|市长|主席|州长|县长|区长|盟长|旗长|总理"
)
_NAME_BEFORE_POST_RE = re.compile(
    rf"(?P<name>[\u4e00-\u9fff]{{2,3}})(?P<post>{_EXECUTIVE_POSTS})(?:同志)?(?:作|在)"
)
_POST_BEFORE_NAME_RE = re.compile(
    rf"(?P<post>[^\s在于，,。]{{0,14}}?(?:{_EXECUTIVE_POSTS}))\s*(?P<name>[\u4e00-\u9fff·]{{2,8}}?)"
    r"\s*(?:同志)?(?:作|在|的|$)"
)
_DASH_RE = re.compile(r"^[—–―─━\-－~～]{1,4}\s*")
_DATE_LINE_RE = re.compile(
    r"^[（(【\[]?\s*(?:发布|发表|更新|发稿|发文|成文|印发|公开)?(?:时间|日期)?\s*[:：]?\s*"
    r"[\d０-９〇零○一二三四五六七八九十]{4}\s*[年\-/.．][^，,。；;]{0,30}$"
)
# After a date: where the speech was given (在…会议上, …的讲话) or that a report was made.
_DATELINE_TAIL_RE = re.compile(r"(?:在|于).{0,40}(?:会议|大会|会上|论坛|仪式)|讲话|作.{0,6}报告")
MAX_TITLE_CHARS = 50
_FRONT_MATTER_LINES = 8
_DATABASE_FIELDS = (
    "发布部门|发文机关|制定机关|发文字号|文号|效力级别|效力位阶|时效性|发布日期|公布日期|颁布日期"
    "|实施日期|施行日期|生效日期|失效日期|批准日期|法规类别|主题分类|所属类别|专题分类"
)
_DATABASE_HEADER_RE = re.compile(
    rf"^【法宝引证码】|^【?(?P<field>{_DATABASE_FIELDS})】?\s*[:：]\s*(?P<value>.*)$"
)
_DOC_NUMBER_RE = re.compile(
    r"^[\u4e00-\u9fff]{1,16}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号$"
    r"|^[\u4e00-\u9fff]{2,16}第\s*\d{1,4}\s*号$"
)
_ADDRESSEE_WORDS = (
    "各",
    "人民政府",
    "委员会",
    "部门",
    "单位",
    "办公室",
    "办公厅",
    "管委会",
    "公司",
)
_OFFICIAL_TITLE_RE = re.compile(
    r"(?:通知|意见|决定|办法|方案|通报|函|批复|规定|公告|通告|细则|规划)$"
)
_ISSUER_IN_TITLE_RE = re.compile(r"^(?P<issuer>[\u4e00-\u9fff、]{2,40}?)关于")
_ISSUES_DOCUMENT_RE = re.compile(r"(?:印发|转发|发布|颁布)[^《]{0,8}《(?P<name>[^》]{2,60})》")
_ISSUES_UNQUOTED_RE = re.compile(r"关于(?:印发|转发)(?P<name>[^《》]{4,60})的(?:通知|函)$")
_SALUTATION_RE = re.compile(
    r"^(?:各位|同志们|朋友们|女士们|先生们|尊敬的|亲爱的)[^。；;]{0,20}[：:！!]$"
)
_OPENING_SENTENCE_RE = re.compile(
    r"请予审议|提出(?:宝贵)?意见|我代表.{0,24}(?:向大会|向会议|作).{0,8}(?:报告|工作)"
)

# --- headings --------------------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十百零〇两"
_CN_DIGIT = "一二三四五六七八九十"
# Marker kinds in their conventional order of rank (GB/T 9704 and common practice).
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第(?P<n>[{_CN_NUM}\d]+)(?:[章编篇]|部分)")),
    ("section", re.compile(rf"^第(?P<n>[{_CN_NUM}\d]+)节")),
    ("cn", re.compile(rf"^(?P<n>[{_CN_NUM}]+)\s*[、.．]")),
    ("cn_paren", re.compile(rf"^[（(]\s*(?P<n>[{_CN_NUM}]+)\s*[)）]")),
    ("yishi", re.compile(rf"^(?P<n>[{_CN_DIGIT}]{{1,3}})是(?=[^，,。、])")),
    ("num", re.compile(r"^(?P<n>\d{1,2})\s*(?:[、．﹒]|\.(?!\d))")),
    ("num_paren", re.compile(r"^[（(]\s*(?P<n>\d{1,2})\s*[)）]")),
    ("circled", re.compile(r"^(?P<n>[①-⑳])")),
    ("article", re.compile(rf"^第(?P<n>[{_CN_NUM}\d]+)条")),
    # Press sub-headings set off by a typographic mark (■ 推动产业升级) or in 【】.
    ("bullet", re.compile(rf"^[{_BOX_MARKS}▶►]\s*[^\s{_BOX_MARKS}]")),
    ("bracket", re.compile(r"^【[^】]{2,30}】$")),
    ("dash", re.compile(r"^[—–―]{2}")),
)
_NUMBERED_KINDS = ("chapter", "section", "cn", "cn_paren", "yishi", "num", "num_paren",
                   "circled", "article")  # fmt: skip
# Rank for nesting: a smaller rank contains a larger one. Document and annex titles start
# their own ladder; unnumbered ("plain") headings get a rank per document.
_RANK = {kind: float(i + 1) for i, (kind, _) in enumerate(_MARKERS)}
_RANK.update({"document": 0.0, "annex": 0.0})
_SECTION_KINDS: dict[str, SectionKind] = {"box": "box", "annex": "annex", "document": "document"}
MAX_NUMBERED_HEADING_CHARS = 40
MAX_INLINE_HEADING_CHARS = 42  # the first sentence of （一）坚持…，着力…。
MAX_INLINE_ITEM_HEADING_CHARS = 20  # the first sentence of 1．医疗卫生方面。
MAX_GROUP_HEADING_CHARS = 60  # any item of a group that is headings
MAX_HEADING_CHARS = 32
MAX_SAME_LENGTH_HEADING = 20
MAX_LONE_HEADING_CHARS = 20
MAX_HEADING_CONTINUATION = 20
MAX_LIST_ITEM_CHARS = 30  # a longer line that opens with a marker is a paragraph
_HEADING_GROUP_SHARE = 2 / 3
_OPEN_END = "。！？!?；;，,、：:…"
_STYLE_LEVEL_RE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.IGNORECASE)
_ANNEX_LABEL_RE = re.compile(r"^(?:附件|附录|附表)\s*[\d一二三四五六七八九十]{0,3}$")
_ANNEX_RE = re.compile(
    r"^(?:附件|附录|附表)\s*[\d一二三四五六七八九十]{0,3}(?:\s+|[:：]?$)"
    r"|^[^，,。；;：:]{0,20}(?:名词解释|名词注释|名词解读|名词释义)$"
    r"|^[^，,。；;：:\s]{2,30}名单$"
)
_BRACKET_NOTES_RE = re.compile(r"(?:[（(][^（()）]*[)）]\s*)*")
_BOX_LABEL_RE = re.compile(r"^专栏\s*[\d一二三四五六七八九十]{1,3}$")
_ATTACHMENT_NOTE_RE = re.compile(r"^附\s*件\s*[:：]")
_BOX_RE = re.compile(r"^专栏\s*[\d一二三四五六七八九十]{1,3}(?:\s|$|[:：])")
_CHAPTER_WITH_ARTICLE_RE = re.compile(
    rf"^(?P<head>第[{_CN_NUM}\d]+[章编节][^，,。；;]{{0,24}}?)\s+(?=第[{_CN_NUM}\d]+条)"
)
# Sentences that read like the start of a statement, not a heading.
_FRAGMENT_END = "的和与及或等对在为把将被从向以了着过之其是"
_ROSTER_TOKEN_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{2,8}·[\u4e00-\u9fff]{2,8}$")
_ROSTER_POST_RE = re.compile(
    r"^[\u4e00-\u9fff][\u4e00-\u9fff\s]{0,10}[:：]\s*[\u4e00-\u9fff·]{2,8}(?:[\s、，,]+[\u4e00-\u9fff·]{2,8})*$"
)
_SPEAKER_TURN_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}\s*[:：]")

# Words after which a quantity must follow, so a next line that starts with a number
# continues the sentence.
_BEFORE_QUANTITY = (
    "达到", "达", "增长", "超过", "超", "突破", "提高到", "提升到", "提高", "提升", "降至",
    "降低", "下降", "占", "约", "为", "至", "到", "近", "逾", "累计", "新增", "共", "计",
    "和", "及", "与", "、", "，", ",",
)  # fmt: skip

# --- run-in subheads --------------------------------------------------------------------

MAX_RUN_IN_CHARS = 20
MAX_RUN_IN_WITH_COMMA = 30
_YISHI_RUN_IN_RE = re.compile(rf"^[{_CN_DIGIT}]{{1,3}}是[^。！？!?；;]{{1,44}}[。！!]")
_YISHI_INSIDE_RE = re.compile(
    rf"(?<=[。！？!?])[{_CN_DIGIT}]{{1,3}}是[^。！？!?；;，,]{{1,25}}[。！!]"
)
_DASH_RUN_IN_RE = re.compile(r"^[—–―]{2}[^。！？!?；;]{1,30}[。！!]")
_FIRST_SENTENCE_RE = re.compile(r"^[^。！？!?；;]{2,40}[。！!]")
_DISCOURSE_START = (
    "今年", "去年", "明年", "过去", "一年来", "近年来", "近年", "当前", "目前", "同时", "此外",
    "另外", "但", "而", "我们", "我省", "我市", "我区", "我县", "我州", "我国", "这", "那", "其中",
    "总之", "因此", "所以", "截至", "全年", "初步", "回顾", "展望", "如今", "为此", "对此",
    "与此同时", "然而", "可以", "如果", "只有", "各位",
)  # fmt: skip
# Words of a statement (a subject and a modal verb), not of a subhead.
_STATEMENT_RE = re.compile(
    r"应当|不得|可以|必须|需要|(?<![重主需纪])要(?![素求点件闻务案领])|了(?!解)|还"
)
_VOCATIVE_START = ("各位", "同志们", "朋友们", "女士们", "先生们")


# ======================================================================================


@dataclass
class _Front:
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    date: str | None = None
    doc_number: str | None = None
    issuer: str | None = None
    source_name: str | None = None
    speaker: ReportSpeaker | None = None
    addressees: str | None = None


@dataclass
class _Heading:
    kind: str
    split: int | None = None  # where the first paragraph starts in an inline heading's line
    extra: list[int] = field(default_factory=list)  # body indices of the heading's other lines
    level: int = 1
    styled: bool = False


def parse(source: SourceText) -> Document:
    """Find the structure of a decoded report."""
    nonblank = [line for line in source.lines if line.text]
    paragraph_lines = lines_are_paragraphs(source, nonblank)
    furniture = _furniture(source.lines, nonblank, paragraph_lines)
    drops: dict[int, DropReason] = dict.fromkeys(furniture, "furniture")
    remaining = [line for line in nonblank if line.number not in drops]

    front, body = _front_matter(remaining, drops)
    # Hard-wrapped text (a PDF's lines) is read as the paragraphs its lines make up.
    body, members = unwrap(body)
    body = _drop_opening(body, drops, members)
    paragraph_lines = paragraph_lines or len(members) > 0
    if source.format == "pdf":
        # A PDF's heading styles come from font size and weight: used only where the text
        # rules find no heading.
        plain = [replace(line, style=None) if _is_heading_style(line) else line for line in body]
        headings = _headings(plain, paragraph_lines, front.title)
        if not headings:
            headings = _headings(body, paragraph_lines, front.title)
    else:
        headings = _headings(body, paragraph_lines, front.title)
    sections = _sections(body, headings, paragraph_lines, members)

    date = front.date or _notice_date(body, headings) or _closing_date(body)
    issuer = front.issuer or _issuer_from_title(front.title) or _signature_issuer(body, headings)
    ordered = [line for line in source.lines if line.number in drops]
    return Document(
        source=source,
        title=front.title,
        subtitle=front.subtitle,
        byline=front.byline,
        date=date,
        sections=sections,
        dropped=tuple(line.text for line in ordered),
        doc_number=front.doc_number,
        issuer=issuer,
        source_name=front.source_name,
        speaker=front.speaker,
        addressees=front.addressees,
        dropped_lines=tuple(line.number for line in ordered),
        dropped_reasons=tuple(drops[line.number] for line in ordered),
    )


# --- 0. layout -------------------------------------------------------------------------


def lines_are_paragraphs(source: SourceText, nonblank: Sequence[SourceLine]) -> bool:
    """True when every line is a paragraph: a .docx or a web page's blocks, or text without
    blank lines whose long lines end their sentences (no page breaks or hard wraps cut
    them)."""
    if source.format in ("docx", "html"):
        return True
    if source.format == "pdf":
        return False  # a PDF's blocks end at page breaks, which may cut a paragraph
    if len(nonblank) < 2 or len(nonblank) != len([t for t in source.lines if t.text]):
        return False
    numbers = [line.number for line in nonblank]
    if any(b - a > 1 for a, b in pairwise(numbers)) or wrap_width(nonblank) is not None:
        return False
    long_lines = [line.analysis for line in nonblank if len(line.analysis) >= 40]
    if not long_lines:
        return False
    closed = sum(1 for text in long_lines if not ends_mid_phrase(text))
    return closed / len(long_lines) >= 0.9


def wrap_width(body: Sequence[SourceLine]) -> int | None:
    """The width text was hard-wrapped at (as a PDF's lines come out), or None: at least
    half the lines of ten or more characters are within one character of the same length
    (at least 20 characters, at least ten such lines), and most of those stop mid-phrase."""
    lengths = [len(line.analysis) for line in body if len(line.analysis) >= 10]
    if len(lengths) < 10:
        return None
    counts = Counter(lengths)
    width = max(counts, key=lambda m: (counts[m - 1] + counts[m] + counts[m + 1], m))
    full = [line.analysis for line in body if abs(len(line.analysis) - width) <= 1]
    if width < 20 or len(full) < 10 or len(full) / len(lengths) < 0.5:
        return None
    return width if sum(map(ends_mid_phrase, full)) / len(full) >= 0.5 else None


def _runs_on(line: str, nxt: str, width: int) -> bool:
    """A line of the full wrap width runs on into the next, unless the next one starts a
    unit of its own (a marker, a date, an annex or box title), or the line ends a sentence
    and the next opens a paragraph (a run-in subhead, a vocative) or is a short heading."""
    if abs(len(line) - width) > 1:
        return False  # shorter: the paragraph ends; longer: a line that was not wrapped
    if _marker_kind(nxt) is not None or _is_date_line(nxt) or annex_kind(nxt) or is_box_title(nxt):
        return False
    opens = (
        nxt.startswith(_VOCATIVE_START)
        or _run_in_start(nxt, comma_ok=False) is not None
        or (_is_heading_candidate(nxt) and len(nxt) < width - 1)  # a heading after it
    )
    return not (_closes_paragraph(line) and opens)


def unwrap(body: list[SourceLine]) -> tuple[list[SourceLine], dict[int, list[tuple[int, int]]]]:
    """Join hard-wrapped lines into the lines they were wrapped from. Returns the new lines
    (numbered by their first source line) and, for each joined one, its source lines with
    the offset each starts at; no joined lines when the text is not hard-wrapped."""
    width = wrap_width(body)
    if width is None:
        return body, {}
    out: list[SourceLine] = []
    members: dict[int, list[tuple[int, int]]] = {}
    i = 0
    while i < len(body):
        parts = [body[i]]
        while (
            i + 1 < len(body)
            and not stands_apart(body[i])
            and not stands_apart(body[i + 1])
            and _runs_on(body[i].analysis, body[i + 1].analysis, width)
        ):
            i += 1
            parts.append(body[i])
        if len(parts) > 1:
            offsets, at = [], 0
            for part in parts:
                offsets.append((part.number, at))
                at += len(part.text)
            members[parts[0].number] = offsets
            text = "".join(part.text for part in parts)
            analysis = "".join(part.analysis for part in parts)
            out.append(SourceLine(parts[0].number, text, analysis, parts[0].style))
        else:
            out.append(parts[0])
        i += 1
    return out, members


def _source_lines(
    members: dict[int, list[tuple[int, int]]], number: int, start: int, end: int
) -> list[int]:
    """The source lines of characters [start, end) of a (possibly unwrapped) line."""
    if number not in members:
        return [number]
    spans = members[number]
    bounds = [*[at for _, at in spans[1:]], 10**9]
    return [n for (n, at), stop in zip(spans, bounds, strict=True) if at < end and stop > start]


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


def _furniture(
    all_lines: Sequence[SourceLine], nonblank: list[SourceLine], paragraph_lines: bool
) -> set[int]:
    dropped = {
        line.number
        for line in nonblank
        if (is_furniture(line.analysis) and not is_closing_line(line.analysis))
        or _style(line) in _FURNITURE_STYLES
    }

    # Running headers: short lines repeated verbatim, where a break may be a page break, and
    # next to a page number or seen three times. The first line may be a title a page
    # header repeats, so its first occurrence stays.
    if not paragraph_lines:
        counts = Counter(line.analysis for line in nonblank)
        first = next((line.number for line in nonblank if _style(line) not in _FURNITURE_STYLES),
                     None)  # fmt: skip
        at_page_break = {
            line.number
            for k, line in enumerate(nonblank)
            if any(0 <= j < len(nonblank) and nonblank[j].number in dropped for j in (k - 1, k + 1))
        }
        for line in nonblank:
            text = line.analysis
            if (
                counts[text] >= 2
                and (
                    line.number in at_page_break
                    or (counts[text] >= 3 and not re.search(r"[，,、：:；;。（）()]", text))
                )
                and len(text) <= _REPEAT_MAX_CHARS
                and line.number != first
                and not is_closing_line(text)
                and not ends_sentence(text)
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


def _strip_box(text: str, extra: str = "") -> str:
    """Remove leading typographic marks (□ before a byline, ■ before a sub-heading)."""
    return text.lstrip(_BOX_MARKS + extra + " \u3000").strip()


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_database_header(text: str) -> bool:
    """A line of a legal-database export header: 【法宝引证码】…, 发布部门：…, 时效性：…"""
    return bool(_DATABASE_HEADER_RE.match(text))


def is_doc_number(text: str) -> bool:
    """A document number on its own line: 某府办发〔2022〕43号, 某政办秘[2021]8号."""
    return bool(_DOC_NUMBER_RE.match(_compact(text)))


def is_addressees(text: str) -> bool:
    """The addressees of an official document: 各市人民政府，省政府各部门："""
    return (
        len(text) <= 120
        and text.rstrip().endswith(("：", ":"))
        and "。" not in text
        and any(word in text for word in _ADDRESSEE_WORDS)
    )


def is_dateline(text: str) -> bool:
    """A line that says when (and where) a speech or report was given:
    2025年1月20日在某省第十三届人民代表大会第二次会议上, …省长某某某作政府工作报告."""
    text = _DASH_RE.sub("", text.strip())
    match = re.match(r"[（(]?\s*", text)
    text = text[match.end() if match else 0 :]
    if parse_date(text[:16]) is None or not re.match(
        r"[\d０-９〇零○一二三四五六七八九十]{4}", text
    ):
        return False
    return bool(_DATELINE_TAIL_RE.search(text)) and len(text) <= 90


def speaker_of(text: str) -> ReportSpeaker | None:
    """The speaker a speaker line or a dateline names: post and name."""
    text = _strip_box(text.strip())
    if _BYLINE_RE.match(text):
        return None  # a reporter's byline
    match = _SPEAKER_LINE_RE.match(text)
    if match:
        return ReportSpeaker(name=_compact(match["name"]), post=match["post"])
    # In a dateline: look after the date, and after the meeting if it comes first.
    date = re.search(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", text)
    tail = text[date.end() :] if date else text
    meeting = re.search(r"(?:会议|大会)上", tail)
    after_meeting = tail[meeting.end() :] if meeting else ""
    for part, pattern in (
        (tail, _NAME_BEFORE_POST_RE),
        (after_meeting, _POST_BEFORE_NAME_RE),
        (tail, _POST_BEFORE_NAME_RE),
    ):
        found = pattern.search(part)
        if found and not found["name"].startswith(("在", "的", "作")):
            return ReportSpeaker(name=_compact(found["name"]), post=found["post"])
    return None


def _is_byline(text: str) -> bool:
    text = _strip_box(text)
    return len(text) <= 80 and bool(_BYLINE_RE.match(text) or _SPEAKER_LINE_RE.match(text))


def _is_subtitle(text: str) -> bool:
    return bool(_DASH_RE.match(text)) and len(_DASH_RE.sub("", text)) > 0


def _is_title_like(line: SourceLine) -> bool:
    text = line.analysis
    return (
        len(text) <= MAX_TITLE_CHARS
        and "。" not in text
        and not text.endswith(tuple("，,；;、：:"))
        and _marker_kind(text) is None
        and not is_database_header(text)
    )


def is_duplicate_title(text: str, title: str | None) -> bool:
    """A repeat of the title: the same text, or a short line the title ends with."""
    if not title:
        return False
    text, title = _compact(text), _compact(title)
    return text == title or (
        2 <= len(text) <= 12 and len(text) < len(title) and title.endswith(text)
    )


def _style(line: SourceLine) -> str:
    return (line.style or "").strip().lower()


# A PDF's running headers and footers (and page numbers), as the reader found them.
_FURNITURE_STYLES = ("header", "footer")


def is_caption(line: SourceLine) -> bool:
    """A photo's caption (style "Caption", from a web page)."""
    return _style(line) == "caption"


def _is_heading_style(line: SourceLine) -> bool:
    return bool(_STYLE_LEVEL_RE.match(_style(line)))


def stands_apart(line: SourceLine) -> bool:
    """A caption or a table row (style "Table", from a web page): complete in itself,
    never a heading, never joined to another line, never front matter."""
    return _style(line) in ("caption", "table")


def _front_role(line: SourceLine, index: int, title: str | None) -> str | None:
    text, style = line.analysis, _style(line)
    if style in ("caption", "table"):
        return None
    if is_database_header(text):
        return "database"
    if style == "title":
        return "title"
    if title is not None and is_duplicate_title(text, title):
        return "duplicate"
    if is_doc_number(text):
        return "doc_number"
    if _SOURCE_RE.match(text):
        return "source"
    if style == "subtitle" or _is_subtitle(text) or is_dateline(text):
        return "subtitle"
    if _is_byline(text):
        return "byline"
    if _is_date_line(text):
        return "date"
    if index == 0 and _is_title_like(line) and not _STYLE_LEVEL_RE.match(style):
        return "title"
    if title is not None and _OFFICIAL_TITLE_RE.search(_compact(title)) and is_addressees(text):
        return "addressees"
    return None


def _front_matter(
    lines: list[SourceLine], drops: dict[int, DropReason]
) -> tuple[_Front, list[SourceLine]]:
    """Take the front matter off the top; record the lines it drops; return the rest."""
    front = _Front()
    titles: list[str] = []
    bylines: list[str] = []
    roles: list[str] = []
    position = 0  # index among lines that are not database headers
    for i, line in enumerate(lines):
        if i >= _FRONT_MATTER_LINES + roles.count("database") + roles.count("duplicate"):
            break
        title = " ".join(titles) or None
        role = _front_role(line, position, title)
        if role == "title" and titles and _style(line) != "title":
            role = None
        if (
            role is None
            and roles
            and set(roles) - {"database"} == {"title"}
            and _is_title_like(line)
            and not ends_sentence(line.analysis)
            and i + 1 < len(lines)
            and _front_role(lines[i + 1], position + 1, title) in {"subtitle", "byline", "date"}
        ):
            role = "title"  # a headline set on two lines
        if role is None:
            break
        roles.append(role)
        if role != "database":
            position += 1
        _take_front_line(line, role, front, titles, bylines, drops)
    front.title = " ".join(titles) or None
    if bylines:
        front.byline = " ".join(bylines)
    elif front.speaker is not None:
        front.byline = f"{front.speaker.post} {front.speaker.name}"
    return front, lines[len(roles) :]


def _take_front_line(
    line: SourceLine,
    role: str,
    front: _Front,
    titles: list[str],
    bylines: list[str],
    drops: dict[int, DropReason],
) -> None:
    text, analysis = line.text, line.analysis
    if role == "database":
        drops[line.number] = "database header"
        match = _DATABASE_HEADER_RE.match(analysis)
        if match and match["field"]:
            value = _compact(match["value"]) and match["value"].strip()
            if match["field"] in ("发布部门", "发文机关", "制定机关") and value:
                front.issuer = front.issuer or value
            elif match["field"] in ("发文字号", "文号") and value:
                front.doc_number = front.doc_number or value
            elif match["field"] in ("发布日期", "公布日期", "颁布日期"):
                front.date = front.date or parse_date(value)
    elif role == "duplicate":
        drops[line.number] = "duplicate title"
    elif role == "title":
        titles.append(text)
    elif role == "doc_number":
        front.doc_number = text
    elif role == "addressees":
        front.addressees = text.rstrip("：:").strip()
    elif role == "source":
        _take_source(text, analysis, front)
    elif role == "subtitle":
        _take_subtitle(_DASH_RE.sub("", text).strip(), front)
    elif role == "byline":
        speaker = speaker_of(analysis)
        if speaker and not _BYLINE_RE.match(_strip_box(analysis)):
            front.speaker = front.speaker or speaker
            bylines.append(f"{speaker.post} {speaker.name}")
        else:
            bylines.append(_strip_box(text))
        front.date = front.date or parse_date(analysis)
    else:
        front.date = front.date or parse_date(analysis)


def _take_source(text: str, analysis: str, front: _Front) -> None:
    """来源：X, possibly followed on the same line by a dateline (来源：X 2025年1月17日在…)."""
    rest = _SOURCE_RE.sub("", text).strip()
    date = re.search(r"[\d０-９]{4}\s*年", rest)
    if date and date.start() > 0 and is_dateline(rest[date.start() :]):
        front.source_name = rest[: date.start()].strip() or None
        _take_subtitle(rest[date.start() :].strip(), front)
        return
    # 来源：某某网 2025-01-05 10:30 / 来源：某某日报 作者：某某: the source is the first part.
    label = re.search(
        r"\s(?:作者|记者|编辑|责任编辑|发布时间|时间|日期)\s*[:：]|\s[\d０-９]{4}\s*[年\-/.]", rest
    )
    if label:
        front.date = front.date or parse_date(rest[label.start() :])
        rest = rest[: label.start()].strip()
    front.source_name = rest or None


def _take_subtitle(text: str, front: _Front) -> None:
    front.subtitle = front.subtitle or text
    front.date = front.date or parse_date(text)
    speaker = speaker_of(text) if is_dateline(text) else None
    if speaker and front.speaker is None:
        front.speaker = speaker


def is_salutation(text: str) -> bool:
    """The salutation a speech opens with: 各位代表：, 同志们：, 尊敬的…："""
    return len(text) <= 24 and bool(_SALUTATION_RE.match(text.strip()))


def is_opening_formula(text: str) -> bool:
    """The formulaic first sentence of a report to a congress: 现在，我代表某某人民政府…向大会
    报告工作，请予审议，并请…提出意见。 Every sentence of the line must be formula."""
    sentences = [s for s in re.split(r"(?<=[。！!])", text) if s.strip()]
    return (
        bool(sentences)
        and len(text) <= 120
        and all(_OPENING_SENTENCE_RE.search(s) for s in sentences)
    )


def _drop_opening(
    body: list[SourceLine],
    drops: dict[int, DropReason],
    members: dict[int, list[tuple[int, int]]] | None = None,
) -> list[SourceLine]:
    """Drop the salutation and the formulaic opening sentence at the top of the body (each
    source line of them, where a line was hard-wrapped)."""
    members = members or {}

    def drop(line: SourceLine, reason: DropReason) -> None:
        for number, _ in members.get(line.number, [(line.number, 0)]):
            drops[number] = reason

    start = 0
    if start < len(body) and is_salutation(body[start].analysis):
        drop(body[start], "salutation")
        start += 1
    if start < len(body) and start <= 1 and is_opening_formula(body[start].analysis):
        drop(body[start], "opening formula")
        start += 1
    return body[start:]


def _closing_date(body: list[SourceLine]) -> str | None:
    """The date of a closing line (a signature date), if the report ends with one."""
    for line in reversed(body[-3:]):
        if _is_date_line(line.analysis):
            return parse_date(line.analysis)
    return None


def _notice_date(body: list[SourceLine], headings: dict[int, _Heading]) -> str | None:
    """The date line that closes a notice, before the document it issues."""
    starts = [i for i, h in sorted(headings.items()) if h.kind == "document"]
    if not starts:
        return None
    for line in reversed(body[: starts[0]]):
        if _is_date_line(line.analysis):
            return parse_date(line.analysis)
    return None


def _issuer_from_title(title: str | None) -> str | None:
    """某市人民政府办公室关于印发…的通知 -> 某市人民政府办公室."""
    if not title or not _OFFICIAL_TITLE_RE.search(_compact(title)):
        return None
    match = _ISSUER_IN_TITLE_RE.match(_compact(title))
    return match["issuer"] if match else None


def is_signature(text: str, next_text: str | None) -> bool:
    """A short line just before a date line: the issuer's signature."""
    return (
        next_text is not None
        and _is_date_line(next_text)
        and 2 <= len(text) <= 30
        and not re.search(f"[{re.escape(_OPEN_END)}]", text)
        and _marker_kind(text) is None
        and not _is_date_line(text)
    )


def _signature_issuer(body: list[SourceLine], headings: dict[int, _Heading]) -> str | None:
    for i, line in enumerate(body[:-1]):
        if i not in headings and is_signature(line.analysis, body[i + 1].analysis):
            return line.text
    return None


# --- 3. headings -----------------------------------------------------------------------


def _marker(text: str) -> tuple[str, re.Match[str]] | None:
    for kind, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            return kind, match
    return None


def _marker_kind(text: str) -> str | None:
    found = _marker(text)
    return found[0] if found else None


def _number(kind: str, match: re.Match[str]) -> int | None:
    if "n" not in match.groupdict() or match["n"] is None:
        return None
    value = match["n"]
    if kind == "circled":
        return ord(value) - ord("①") + 1
    return small_number(value)


@dataclass
class _Item:
    """A numbered line: its kind, number and shape."""

    index: int
    kind: str
    number: int | None
    shape: str  # "standalone", "inline", "sentence", "list"
    first: int  # length of the first sentence, marker excluded
    split: int | None  # where the rest of an inline heading's line starts


def item_shape(kind: str, text: str) -> tuple[str, int, int | None]:
    """(shape, first-sentence length, split) of a numbered line.

    standalone: a heading on its own line; inline: a short first sentence, then body text;
    sentence: one sentence and nothing else; list: anything else (a list item)."""
    found = _marker(text)
    if found is None:
        return "list", len(text), None
    match = found[1]
    if kind in ("chapter", "section"):
        with_article = _CHAPTER_WITH_ARTICLE_RE.match(text)
        if with_article:
            head = with_article["head"].rstrip()
            return "inline", len(head) - match.end(), with_article.end()
    rest_start = match.end()
    while rest_start < len(text) and text[rest_start] in " \u3000\u2002\u2003":
        rest_start += 1
    rest = text[rest_start:]
    limit = (
        MAX_INLINE_ITEM_HEADING_CHARS
        if kind in ("num", "num_paren", "circled")
        else (MAX_INLINE_HEADING_CHARS)
    )
    end = re.search(r"[。！？!?；;]", rest)
    colon = re.search(r"[:：]", rest)
    if colon and (end is None or colon.start() < end.start()):
        return "list", colon.start(), None  # a label: “两重”：…, 主办单位：…
    if end is None:
        body = rest.rstrip(CLOSERS)
        if body.endswith(tuple("，,、")) or len(rest) > MAX_NUMBERED_HEADING_CHARS + 5:
            return "list", len(rest), None
        return "standalone", len(rest), None
    first = end.end()
    if rest[end.start()] in "；;" or rest[:first].endswith(("的。", "的；")):
        return "list", first, None
    # Closing brackets after the full stop belong to the first sentence.
    while first < len(rest) and rest[first] in CLOSERS:
        first += 1
    remainder = rest[first:].strip()
    if _BRACKET_NOTES_RE.fullmatch(remainder):
        remainder = ""  # a note such as （责任单位：市教育局） is not body text
    if not remainder:
        return ("sentence" if first <= limit + 1 else "list"), first, None
    if first > limit + 1:
        return "list", first, None
    split = rest_start + first
    while split < len(text) and text[split] in " \u3000\u2002\u2003":
        split += 1
    return "inline", first, split


def _items(body: list[SourceLine]) -> list[_Item]:
    items: list[_Item] = []
    for i, line in enumerate(body):
        if stands_apart(line):
            continue
        found = _marker(line.analysis)
        if found is None or found[0] not in _NUMBERED_KINDS:
            continue
        kind, match = found
        shape, first, split = item_shape(kind, line.analysis)
        if len(line.text) != len(line.analysis):
            split = None if shape == "inline" else split
            shape = "list" if shape == "inline" else shape
        items.append(_Item(i, kind, _number(kind, match), shape, first, split))
    return items


def _groups(items: list[_Item]) -> list[list[_Item]]:
    """Items of one kind numbered 1, 2, 3…; a number that does not follow starts a group."""
    open_groups: dict[str, list[_Item]] = {}
    groups: list[list[_Item]] = []
    for item in items:
        current = open_groups.get(item.kind)
        last = current[-1].number if current else None
        if (
            current is not None
            and item.number is not None
            and last is not None
            and (item.number == last + 1)
        ):
            current.append(item)
        else:
            current = [item]
            groups.append(current)
            open_groups[item.kind] = current
    return groups


def _can_be_heading(item: _Item, body: list[SourceLine], items_at: set[tuple[int, str]]) -> bool:
    if item.kind == "yishi":
        return item.shape == "standalone"
    if item.kind == "article":
        return item.shape == "standalone" and item.first <= MAX_INLINE_ITEM_HEADING_CHARS
    if item.shape in ("standalone", "inline"):
        return True
    if item.shape == "sentence":
        # One sentence on its own is a heading only when body text follows it.
        following = item.index + 1
        return (
            following < len(body)
            and (following, item.kind) not in items_at
            and not ends_mid_phrase(body[item.index].analysis)
        )
    return False


def heading_group(capable: Sequence[bool]) -> bool:
    """A group of numbered items is headings when at least two thirds of them can be."""
    return bool(capable) and sum(capable) / len(capable) >= _HEADING_GROUP_SHARE


def _numbered_headings(body: list[SourceLine]) -> dict[int, _Heading]:
    items = _items(body)
    items_at = {(item.index, item.kind) for item in items}
    found: dict[int, _Heading] = {}
    for group in _groups(items):
        capable = [_can_be_heading(item, body, items_at) for item in group]
        if not heading_group(capable):
            continue
        for item, ok in zip(group, capable, strict=True):
            long_ok = item.shape in ("inline", "sentence", "standalone") and (
                item.first <= MAX_GROUP_HEADING_CHARS
            )
            if item.kind in ("yishi", "article"):
                long_ok = ok
            if ok or long_ok:
                split = item.split if item.shape == "inline" else None
                if item.shape == "inline" and split is None:
                    continue
                found[item.index] = _Heading(kind=item.kind, split=split)
    return found


def annex_kind(text: str) -> bool:
    """An annex heading: 附件, 附件1, 附件2 名词解释, 附录, 名词解释, …名单."""
    text = text.strip()
    if _ATTACHMENT_NOTE_RE.match(text) and not _ANNEX_LABEL_RE.match(text.rstrip("：:")):
        return False
    if _marker_kind(text) is not None:
        return False
    return len(text) <= 40 and bool(_ANNEX_RE.match(text)) and not text.endswith(("：", ":"))


def _annex_fits(body: list[SourceLine], i: int) -> bool:
    """A title that ends in 名单 is an annex only where a list follows it (names, short
    lines or numbered items); the labels (附件…) and glossaries always are."""
    if not body[i].analysis.strip().endswith("名单"):
        return True
    if i + 1 >= len(body):
        return False
    nxt = body[i + 1].analysis
    return is_roster_line(nxt) or _marker_kind(nxt) is not None or len(nxt) <= 30


def attachment_list(body: list[SourceLine]) -> set[int]:
    """Lines that continue an attachment note (附件：1．某某名单 / 2．某某表): the titles of the
    attachments, never headings. Returns their body indices."""
    listed: set[int] = set()
    for i, line in enumerate(body):
        if not _ATTACHMENT_NOTE_RE.match(line.analysis):
            continue
        j = i + 1
        while j < len(body):
            text = body[j].analysis
            if (
                len(text) > MAX_NUMBERED_HEADING_CHARS
                or _closes_paragraph(text)
                or _is_label(text)
                or (_marker_kind(text) is None and j > i + 1)
            ):
                break
            listed.add(j)
            j += 1
    return listed


def is_box_title(text: str) -> bool:
    """A box inside a report: 专栏1 “十四五”时期主要指标."""
    return len(text) <= 50 and bool(_BOX_RE.match(text))


def is_roster_line(text: str) -> bool:
    """A line of names (张三 李四 王五) or of a post and names (主 任：张三)."""
    text = text.strip()
    tokens = text.split()
    if len(tokens) >= 2 and all(_ROSTER_TOKEN_RE.match(t) for t in tokens):
        return True
    return bool(_ROSTER_POST_RE.match(text)) and len(text) <= 40


def reads_as_fragment(text: str) -> bool:
    """A short unpunctuated line that reads like the start of a sentence: a 是 inside
    (物流是…的重要), or an ending in a function word (…的, …和, …是推动)."""
    text = text.strip()
    inner = re.sub(rf"^[{_CN_DIGIT}]{{1,3}}是", "", text)
    if "是" in inner:
        return True
    return text[-1:] in _FRAGMENT_END or bool(re.search(r"的.{1,2}$", text))


def _is_heading_candidate(text: str) -> bool:
    return (
        2 <= len(text) <= MAX_HEADING_CHARS
        and not text.rstrip(CLOSERS).endswith(tuple(_OPEN_END))
        and "。" not in text
        and not is_closing_line(text)
        and not is_roster_line(text)
        and not _SPEAKER_TURN_RE.match(text)
        and not _BRACKET_NOTES_RE.fullmatch(text)
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


def _issued_document(title: str | None) -> str | None:
    """The name of the document a notice issues: 关于印发《X》的通知 (or 关于印发X的通知) -> X."""
    if not title:
        return None
    match = _ISSUES_DOCUMENT_RE.search(_compact(title)) or _ISSUES_UNQUOTED_RE.search(
        _compact(title)
    )
    return match["name"] if match else None


def _document_title_at(body: list[SourceLine], i: int, issued: str) -> list[int] | None:
    """The line(s) that give the issued document's title: the name itself, or the name
    with its years on the next line (某市行动方案 / （2023—2025年）)."""
    text = _compact(body[i].analysis)
    if text == issued:
        return [i]
    if i + 1 < len(body) and len(text) >= 4 and issued.startswith(text):
        return [i, i + 1] if _compact(body[i + 1].analysis) == issued[len(text) :] else None
    return None


def _is_label(text: str) -> bool:
    """An annex or box label with no title of its own: 附件, 附件1, 专栏2."""
    text = text.strip()
    return bool(_ANNEX_LABEL_RE.match(text) or _BOX_LABEL_RE.match(text))


def continues_heading(heading: str, line: str) -> bool:
    """The next line is the rest of a heading: the title after a label (附件1 / 专栏2) or
    the second half of a numbered heading set over two paragraphs."""
    if not _is_heading_candidate(line) or _marker_kind(line) is not None:
        return False
    if _is_label(heading):
        return len(line) <= MAX_NUMBERED_HEADING_CHARS and not _ANNEX_LABEL_RE.match(line)
    if annex_kind(line) or is_box_title(line) or reads_as_fragment(line):
        return False
    return len(line) <= MAX_HEADING_CONTINUATION and len(heading) + len(line) <= (
        MAX_NUMBERED_HEADING_CHARS
    )


def _headings(
    body: list[SourceLine], paragraph_lines: bool, title: str | None
) -> dict[int, _Heading]:
    """Map body index -> heading."""
    headings: dict[int, _Heading] = {}
    for i, line in enumerate(body):
        match = _STYLE_LEVEL_RE.match(_style(line))
        if match:
            headings[i] = _Heading("styled", level=max(1, int(match.group(1))), styled=True)
    numbered = _numbered_headings(body)
    issued = _issued_document(title)
    listed = attachment_list(body)
    for i, line in enumerate(body):
        if i in headings or stands_apart(line):
            continue
        text = line.analysis
        nxt = body[i + 1].analysis if i + 1 < len(body) else None
        document_lines = _document_title_at(body, i, issued) if issued else None
        if i in listed:
            continue
        if document_lines and not any(h.kind == "document" for h in headings.values()):
            headings[i] = _Heading("document", extra=document_lines[1:])
        elif annex_kind(text) and not is_signature(text, nxt) and _annex_fits(body, i):
            headings[i] = _Heading("annex")
        elif is_box_title(text):
            headings[i] = _Heading("box")
        elif i in numbered:
            headings[i] = numbered[i]
        else:
            kind = _marker_kind(text)
            if kind in ("bullet", "bracket") and _press_subheading(text):
                headings[i] = _Heading(kind)

    _continuations(body, headings)
    _plain_headings(body, headings, paragraph_lines)
    box_contents(body, headings)
    heading_levels(body, headings)
    return headings


def _press_subheading(text: str) -> bool:
    if len(text) > MAX_NUMBERED_HEADING_CHARS:
        return False
    body = text.rstrip(CLOSERS)
    if body.endswith(tuple("，,、；;：:")):
        return False
    inner = body[:-1] if body.endswith(("。", ".")) else body
    return not any(ch in inner for ch in "。；;")


def _continuations(body: list[SourceLine], headings: dict[int, _Heading]) -> None:
    """Two-line headings: a label (附件1) or a numbered heading, then the rest of it."""
    for i in sorted(headings):
        if i not in headings:
            continue
        heading = headings[i]
        nxt = i + 1
        if (
            heading.split is None
            and not heading.styled
            and heading.kind not in ("document",)
            and nxt < len(body)
            and not stands_apart(body[nxt])
            and (
                nxt not in headings
                or (_is_label(body[i].analysis) and headings[nxt].kind == "annex")
            )
            and (
                nxt + 1 >= len(body) or not is_signature(body[nxt].analysis, body[nxt + 1].analysis)
            )
        ):
            text = body[i].analysis
            label = _is_label(text)
            numbered = heading.kind in _NUMBERED_KINDS
            if (
                (label or numbered)
                and continues_heading(text, body[nxt].analysis)
                and (label or _lone_after(body, nxt, headings))
            ):
                heading.extra.append(nxt)
                headings.pop(nxt, None)


def _lone_after(body: list[SourceLine], index: int, headings: dict[int, _Heading]) -> bool:
    """The line after a numbered heading is its second half when body text follows it (not
    another heading) and it is not a sub-heading in parallel with other short lines."""
    following = index + 1
    if following < len(body) and (
        following in headings or _is_heading_candidate(body[following].analysis)
    ):
        return False
    others = [
        line.analysis
        for j, line in enumerate(body)
        if j != index and j not in headings and _is_heading_candidate(line.analysis)
    ]
    return not any(parallel(body[index].analysis, other) for other in others)


def _plain_headings(
    body: list[SourceLine], headings: dict[int, _Heading], paragraph_lines: bool
) -> None:
    """Unnumbered headings: short lines in parallel form, or lone ones where lines are
    paragraphs and the line does not read like the start of a sentence."""
    taken = set(headings) | {j for h in headings.values() for j in h.extra}
    last_sentence = max(
        (i for i, line in enumerate(body) if ends_sentence(line.analysis)), default=-1
    )
    candidates: list[int] = []
    for i, line in enumerate(body):
        if i in taken or i >= last_sentence or stands_apart(line):
            continue
        text = line.analysis
        nxt = body[i + 1].analysis if i + 1 < len(body) else None
        if _marker_kind(text) is not None or is_signature(text, nxt):
            continue
        if _ATTACHMENT_NOTE_RE.match(text) or (
            i > 0 and _ATTACHMENT_NOTE_RE.match(body[i - 1].analysis)
        ):
            continue
        previous_done = i == 0 or (i - 1) in taken or _closes_paragraph(body[i - 1].analysis)
        if previous_done and _is_heading_candidate(text):
            candidates.append(i)
    texts = [body[i].analysis for i in candidates]
    grouped = _parallel_groups(texts)
    if not any(grouped) and not headings:
        grouped = _same_length_groups(texts)
    for index, in_group, text in zip(candidates, grouped, texts, strict=True):
        lone_heading = _lone_heading_form(text) and (
            paragraph_lines or _numbering_starts_after(body, index)
        )
        if in_group or lone_heading:
            headings[index] = _Heading("plain")


def _lone_heading_form(text: str) -> bool:
    """A heading that has no parallel to lean on must look like one: short, no punctuation
    inside, not the start of a sentence (持续推进政府自身建设)."""
    return (
        len(text) <= MAX_LONE_HEADING_CHARS
        and not re.search(r"[，,、：:；;。]", text)
        and not reads_as_fragment(text)
        and not text.startswith(_DISCOURSE_START)
    )


def _numbering_starts_after(body: list[SourceLine], index: int) -> bool:
    """A numbering that starts at 1 within the four lines after a line: it heads a part."""
    for line in body[index + 1 : index + 5]:
        found = _marker(line.analysis)
        if found and found[0] in _NUMBERED_KINDS and found[0] != "yishi":
            return _number(found[0], found[1]) == 1
    return False


def _same_length_groups(texts: list[str]) -> list[bool]:
    """The fallback when no heading shares characters with another: short lines of exactly
    the same length (产业升级步伐加快 / 民生福祉持续增进), as press sub-headings are set."""
    lengths = Counter(len(t) for t in texts if len(t) <= MAX_SAME_LENGTH_HEADING)
    return [len(t) <= MAX_SAME_LENGTH_HEADING and lengths[len(t)] >= 2 for t in texts]


def _parallel_groups(texts: list[str]) -> list[bool]:
    """For each text, whether it is in parallel form with at least one other."""
    return [any(parallel(t, u) for j, u in enumerate(texts) if j != i) for i, t in enumerate(texts)]


_BOX = _Heading("box")


def _rank_for_box(heading: _Heading) -> float:
    return 0.75 if heading.kind == "plain" else _RANK.get(heading.kind, 99.0)


def box_contents(body: list[SourceLine], headings: dict[int, _Heading]) -> set[int]:
    """The lines of each box (专栏N) run to the next heading of the box's own rank or above
    (the heading it sits under, or a higher one); numbered lines inside it are its items,
    not headings. Returns the body indices inside boxes."""
    inside: set[int] = set()
    order = sorted(headings)
    for position, start in enumerate(order):
        if start not in headings or headings[start].kind != "box":
            continue
        parents = [headings[i] for i in order[:position] if headings.get(i, _BOX).kind != "box"]
        parent = parents[-1] if parents else None
        end = len(body)
        for j in order[position + 1 :]:
            heading = headings.get(j)
            if heading is None:
                continue
            inside_kind = heading.kind == "plain" and parent is not None and parent.kind != "plain"
            if (
                heading.kind in ("box", "annex", "document")
                or heading.styled
                or parent is None
                or (not inside_kind and _rank_for_box(heading) <= _rank_for_box(parent))
            ):
                end = j
                break
            del headings[j]
        inside.update(range(start + 1, end))
    return inside


def _plain_rank(body: list[SourceLine], headings: dict[int, _Heading]) -> float:
    """Unnumbered headings rank above the numbered kind that starts at 1 right after one
    of them (a part heading over （一）…); otherwise below every numbered kind."""
    order = sorted(headings)
    parented: list[float] = []
    for position, i in enumerate(order):
        if headings[i].kind != "plain" or position + 1 >= len(order):
            continue
        nxt = headings[order[position + 1]]
        if nxt.kind in _NUMBERED_KINDS:
            found = _marker(body[order[position + 1]].analysis)
            if found and _number(nxt.kind, found[1]) == 1:
                parented.append(_RANK[nxt.kind] - 0.5)
    if parented:
        return min(parented)
    numbered = [
        _RANK[h.kind]
        for h in headings.values()
        if h.kind in _RANK and h.kind not in ("document", "annex")
    ]
    return max(numbered, default=0.0) + 0.5


def heading_levels(body: list[SourceLine], headings: dict[int, _Heading]) -> None:
    """Set each heading's level: its nesting depth by the rank of its kind."""
    plain = _plain_rank(body, headings)
    stack: list[float] = []
    for i in sorted(headings):
        heading = headings[i]
        if heading.styled:
            continue
        if heading.kind in ("document", "annex"):
            stack = [0.0]
            heading.level = 1
            continue
        if heading.kind == "box":
            heading.level = len(stack) + 1
            continue
        rank = plain if heading.kind == "plain" else _RANK[heading.kind]
        while stack and stack[-1] >= rank and not (len(stack) == 1 and stack[0] == 0.0):
            stack.pop()
        stack.append(rank)
        heading.level = len(stack)


# --- 4 and 5. paragraphs, run-ins and sections -----------------------------------------


def _finishes_text(text: str) -> bool:
    """A line that finishes a sentence: it ends one, or ends in a note after one (…。（…）)."""
    return _closes_paragraph(text) or (
        text.rstrip()[-1:] in CLOSERS and bool(re.search(r"[。！？!?；;]", text))
    )


def _closes_paragraph(text: str) -> bool:
    return ends_sentence(text) or bool(re.search(f"[:：][{re.escape(CLOSERS)}]*$", text))


def ends_mid_phrase(text: str) -> bool:
    """The line stops in the middle of a phrase: it ends in a Han character, a letter, a
    digit, a comma or an opening bracket or quote, not in a sentence end, a colon or a
    closing bracket or quote."""
    text = text.rstrip()
    if not text or _closes_paragraph(text):
        return False
    last = text[-1]
    return last in "，,、“‘《（(【「『" or last.isalnum()


def continues_line(text: str, previous: str = "") -> bool:
    """The line can continue `previous`: it does not start a unit of its own. A line that
    starts with a number continues only a line that stops where a quantity must follow
    (…达到 / 95%以上…)."""
    text = text.strip()
    if not text or _marker_kind(text) is not None:
        return False
    if text[0].isdigit():
        before = previous.rstrip()
        number_cut = before[-1:].isdigit()  # 投资20 / 00亿元以上
        return (number_cut or before.endswith(_BEFORE_QUANTITY)) and not _is_date_line(text)
    if text[0] in "（(" and not _BRACKET_NOTES_RE.fullmatch(text):
        # （镇、街道），包括… continues a line; a note of its own (（牵头单位：…）) does not.
        return previous.rstrip()[-1:].isalnum() or previous.rstrip().endswith("、")
    if text[0] in "（(【[〔—–―-■□●◆▶►·•":
        return False
    if _is_date_line(text) or is_closing_line(text) or annex_kind(text) or is_box_title(text):
        return False
    if _SPEAKER_TURN_RE.match(text) or is_roster_line(text) or is_salutation(text):
        return False
    return not text.startswith(_VOCATIVE_START)


def _complete_in_itself(text: str, next_text: str | None, items_end: bool = False) -> bool:
    """Lines that are complete even without a full stop: list items (a long paragraph that
    opens with a marker is not a list item), box titles, annexes, roster lines, dates,
    signatures. `items_end`: the document's items of this kind end their sentences, so one
    that does not was cut short."""
    return (
        (
            _marker_kind(text) is not None
            and len(text) <= MAX_LIST_ITEM_CHARS
            and not text.rstrip().endswith(tuple("，,、"))
            and not items_end
        )
        or is_box_title(text)
        or annex_kind(text)
        or is_roster_line(text)
        or is_closing_line(text)
        or is_signature(text, next_text)
    )


def _kinds_that_end_sentences(body: list[SourceLine]) -> set[str]:
    """Marker kinds whose lines (at least three) nearly all end complete (a sentence end, a
    colon, a closing bracket): a line of such a kind that stops mid-phrase was cut."""
    lines: dict[str, list[bool]] = {}
    for line in body:
        kind = _marker_kind(line.analysis)
        if kind is not None:
            lines.setdefault(kind, []).append(not ends_mid_phrase(line.analysis))
    return {k for k, ends in lines.items() if len(ends) >= 3 and sum(ends) / len(ends) >= 0.8}


@dataclass
class _Piece:
    line: SourceLine
    text: str
    analysis: str
    after_inline_heading: bool = False
    start: int = 0  # where `text` starts in the line (after an inline heading)


def _sections(
    body: list[SourceLine],
    headings: dict[int, _Heading],
    paragraph_lines: bool,
    members: dict[int, list[tuple[int, int]]] | None = None,
) -> tuple[Section, ...]:
    members = members or {}
    last_sentence = max(
        (i for i, line in enumerate(body) if _finishes_text(line.analysis)), default=-1
    )
    heading_extra = {j: i for i, h in headings.items() for j in h.extra}
    in_box = box_contents(body, headings)
    items_end = _kinds_that_end_sentences(body)

    def stands_alone(i: int) -> bool:
        text = body[i].analysis
        return is_closing_line(text) or (i > last_sentence and len(text) <= _TAIL_MAX_CHARS)

    def joins(i: int, previous: _Piece) -> bool:
        if stands_apart(body[i]) or stands_apart(previous.line):
            return False
        prev_text, text = previous.analysis, body[i].analysis
        if _ATTACHMENT_NOTE_RE.match(prev_text) and prev_text.rstrip().endswith(("：", ":")):
            return _is_heading_candidate(text) and _marker_kind(text) is None
        # Where breaks may be page breaks, a long line that stops after a closing quote
        # (…打造“服务包”) stops mid-sentence too.
        quoted = (
            not paragraph_lines and len(prev_text) >= 40 and prev_text.endswith(tuple("”’」』"))
        )
        if not (ends_mid_phrase(prev_text) or quoted) or not continues_line(text, prev_text):
            return False
        if quoted and not ends_mid_phrase(prev_text) and _run_in_start(text, False) is not None:
            return False  # the next line opens a paragraph of its own with a run-in subhead
        if (i - 1) in in_box and not prev_text.endswith(tuple("，,、")):
            return False  # a box's lines are items, complete in themselves
        nxt = body[i].analysis
        kind = _marker_kind(prev_text)
        if _complete_in_itself(prev_text, nxt, kind is not None and kind in items_end):
            return False
        if stands_alone(i) or stands_alone(i - 1):
            return False
        # In a .docx only a long paragraph is a real paragraph a conversion split.
        return not (
            paragraph_lines and len(prev_text) < 30 and not prev_text.endswith(tuple("，,、"))
        )

    groups: list[tuple[int | None, _Heading | None, list[list[_Piece]]]] = [(None, None, [])]
    for i, line in enumerate(body):
        if i in heading_extra:
            continue
        if i in headings:
            heading = headings[i]
            groups.append((i, heading, []))
            if heading.split is not None:
                groups[-1][2].append(
                    [
                        _Piece(
                            line,
                            line.text[heading.split :],
                            line.analysis[heading.split :],
                            True,
                            heading.split,
                        )
                    ]
                )
            continue
        paragraphs = groups[-1][2]
        previous = paragraphs[-1][-1] if paragraphs else None
        if (
            previous is not None
            and ((i - 1) not in headings or headings[i - 1].split is not None)
            and (i - 1) not in heading_extra
            and (joins(i, previous))
        ):
            paragraphs[-1].append(_Piece(line, line.text, line.analysis))
        else:
            paragraphs.append([_Piece(line, line.text, line.analysis)])

    sections: list[Section] = []
    for number, (index, opened, paragraphs) in enumerate(groups):
        if opened is None and not paragraphs:
            continue
        section_id = f"s{number}"
        built = [
            _paragraph(f"{section_id}.p{k}", parts, members)
            for k, parts in enumerate(paragraphs, 1)
        ]
        built = _with_run_ins(built, [parts[0].after_inline_heading for parts in paragraphs])
        if opened is None or index is None:
            sections.append(Section(section_id, None, None, 0, tuple(built)))
            continue
        line = body[index]
        lines = [index, *opened.extra]
        text = line.text[: opened.split].rstrip() if opened.split is not None else line.text
        for j in opened.extra:
            separator = " " if re.search(r"[\d一二三四五六七八九十]$|^附件$|^附录$", text) else ""
            text = text + separator + body[j].text
        if opened.kind == "bullet":
            text = _strip_box(text, extra="▶►")
        kind = _SECTION_KINDS.get(opened.kind, "text")
        sections.append(
            Section(
                id=section_id,
                heading=text,
                heading_line=line.number,
                level=opened.level,
                paragraphs=tuple(built),
                kind=kind,
                heading_lines=tuple(
                    dict.fromkeys(
                        n
                        for j in lines
                        for n in _source_lines(
                            members,
                            body[j].number,
                            0,
                            opened.split if j == index and opened.split else len(body[j].text),
                        )
                    )
                ),
            )
        )
    return tuple(sections)


def _paragraph(
    paragraph_id: str, parts: list[_Piece], members: dict[int, list[tuple[int, int]]]
) -> Paragraph:
    lines = [
        n
        for part in parts
        for n in _source_lines(members, part.line.number, part.start, part.start + len(part.text))
    ]
    return Paragraph(
        id=paragraph_id,
        zh="".join(part.text for part in parts),
        lines=tuple(dict.fromkeys(lines)),
        analysis="".join(part.analysis for part in parts),
        kind="caption" if is_caption(parts[0].line) else "text",
    )


def _run_in_start(analysis: str, comma_ok: bool) -> int | None:
    """The end of a short heading-like first sentence, if the paragraph opens with one."""
    match = _FIRST_SENTENCE_RE.match(analysis)
    if match is None or len(analysis) - match.end() < 10:
        return None
    sentence = match.group(0)
    inner = sentence[:-1]
    if analysis.startswith(_VOCATIVE_START) or inner.startswith(_DISCOURSE_START):
        return None
    if _marker_kind(inner) not in (None, "yishi") or _STATEMENT_RE.search(inner):
        return None
    if re.match(r"[\d０-９]", inner) or "是" in inner or any(ch in inner for ch in ":：《"):
        return None
    commas = sum(inner.count(ch) for ch in "，,")
    if commas == 0 and len(inner) <= MAX_RUN_IN_CHARS:
        return match.end()
    if comma_ok and commas <= 1 and len(inner) <= MAX_RUN_IN_WITH_COMMA:
        return match.end()
    return None


def run_in_spans(
    analysis: str, *, neighbours: bool = False, first_ok: bool = True
) -> list[tuple[int, int]]:
    """Character spans of the run-in subheads of a paragraph (see rule 5)."""
    spans: list[tuple[int, int]] = []
    for pattern in (_YISHI_RUN_IN_RE, _DASH_RUN_IN_RE):
        match = pattern.match(analysis)
        if match:
            spans.append((0, match.end()))
            break
    else:
        end = _run_in_start(analysis, comma_ok=neighbours) if first_ok else None
        if end is not None:
            spans.append((0, end))
    for match in _YISHI_INSIDE_RE.finditer(analysis):
        if not spans or match.start() >= spans[-1][1]:
            spans.append((match.start(), match.end()))
    return spans


def _with_run_ins(paragraphs: list[Paragraph], after_heading: list[bool]) -> list[Paragraph]:
    # A first sentence with a comma counts only where a neighbouring paragraph opens with a
    # short first sentence too (a series of run-in subheads).
    strict = [
        p.kind == "text"
        and (
            (not inline and _run_in_start(p.analysis, comma_ok=False) is not None)
            or bool(_YISHI_RUN_IN_RE.match(p.analysis))
        )
        for p, inline in zip(paragraphs, after_heading, strict=True)
    ]
    loose = [
        p.kind == "text" and not inline and _run_in_start(p.analysis, comma_ok=True) is not None
        for p, inline in zip(paragraphs, after_heading, strict=True)
    ]
    result: list[Paragraph] = []
    for k, (paragraph, inline) in enumerate(zip(paragraphs, after_heading, strict=True)):
        near = any(0 <= j < len(paragraphs) and (strict[j] or loose[j]) for j in (k - 1, k + 1))
        spans = run_in_spans(paragraph.analysis, neighbours=near, first_ok=not inline)
        if len(paragraph.zh) != len(paragraph.analysis) or paragraph.kind == "caption":
            spans = []
        result.append(replace(paragraph, run_in=tuple(spans)))
    return result
