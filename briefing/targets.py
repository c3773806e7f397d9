"""Targets: `Document` -> the quantitative goals it states (who promised what number, by when).

Pure. For every number expression (see `briefing.numbers`) in a paragraph, it is a
target when all of these hold:

- it has a unit (a classifier such as 个/人/人次/名, a measure such as 亿元/万吨, % or 百分点):
  bare numbers are dates, codes and list numbers;
- it has an Arabic digit, or a qualifier (不少于五个): Chinese numerals without one are
  counts of things (三大产业, 六大工程), session numbers (八届十二次) and idioms (千家万户);
- it is not inside quotation marks or title marks (“12345”, “3+3+X”, 《…》): those are
  names of plans and slogans;
- it is not a date (5月7日, 2024年) or an ordinal (第三);
- it is forward-looking: a goal word (将, 确保, 力争, 争取, 目标, 预期, 计划, 到2027年…)
  stands in its sentence (；-parts included) before it, or in what a quoted official says
  (after …表示), later than any word of a past result (已, 累计, 同比, 去年, 过去, 以来,
  上半年…). 全年, 今年, 每年 count as goal words on their own only in plan-like documents
  (a title with 通知, 意见, 方案, 规划, 计划, 要点, 报告…), since reviews use them too.

The period is the nearest period expression before the number within its ；-part; the
owner is the official in whose words the number stands.

A money or size condition before a counted noun (亿元以上…项目150个以上) is the target's
*threshold*, not a target of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from briefing.model import Document, Paragraph, Person, Qualifier, Target, Threshold
from briefing.numbers import CLASSIFIERS, Quantity, find_quantities, format_number, normalise

# Words that make what follows a goal. Weak ones (全年, 今年…) also open retrospectives
# ("全年民生支出占…"), so they count alone only in plan-like documents (通知, 规划, 方案…).
_STRONG_FORWARD_RE = re.compile(
    r"将|确保|力争|争取|目标|预期|计划|(?<![主重纲])要(?![求素点闻])|拟|预计|到\d{4}年|至\d{4}年"
    r"|下一步|今后|未来|力求|努力|明年"
)
_WEAK_FORWARD_RE = re.compile(r"全年|今年|年内|每年|年均")
_PLAN_TITLE_RE = re.compile(r"通知|意见|方案|规划|计划|要点|决定|办法|纲要|措施|报告")
_PAST_RE = re.compile(
    r"已|累计|同比|比上年|较上年|去年|上年|过去|近年来|此前|截至|截止|以来|上半年|前三季度"
    r"|一季度|完成[^，,。；;]*?(?:目标|任务|计划)的"
)
_AIM_RE = re.compile(r"力争|争取")
_QUOTE_PAIRS = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』"}
_CLAUSE_SPLIT = re.compile(r"[,，;；。!！?？]")
_DATE_AFTER_RE = re.compile(r"^\s*(?:月|日|号|时|点|届|次全会|次会议|次党代会)")
_THRESHOLD_RE = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)?(?P<mag>万亿|亿|万|千)?(?P<unit>元|吨|平方米|亩)"
    r"(?P<q>以上|以下)"
)
_LEADING_WORDS = re.compile(
    r"^(?:(?:全年|今年|年内|明年|每年|确保|力争|争取|努力|实现|推动|将|要|完成|达到|新改建|改扩建"
    r"|招引|引进|培养|培育|开展|吸引|新增|新建|建成|建设|改造|发放|开发|扶持|认定|打造|突破|增长"
    r"|控制在|稳定在|提高到|提升至|提高至|保持在|增加|带动|实施|举办|组织|帮助|服务|招聘|安置|转移"
    r"|创建|培训|新招引|新培养|新认定|新引进|新开工|新签约|开工|投产|签约|到\d{4}年)[,，、]?)+"
)


QUALIFIER_SIGNS: dict[Qualifier, str] = {
    "at_least": "≥ ", "more_than": "> ", "about": "about ", "at_most": "≤ ", "less_than": "< ",
    "exactly": "",
}  # fmt: skip
UNITS_EN = {"元": "yuan", "美元": "US dollars", "吨": "tonnes", "斤": "jin", "公斤": "kg",
            "亩": "mu", "公里": "km", "千米": "km", "米": "m", "平方米": "square metres",
            "平方公里": "square km", "公顷": "hectares", "千瓦": "kW", "千瓦时": "kWh",
            "标箱": "TEU"}  # fmt: skip


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if stack and ch == _QUOTE_PAIRS[stack[-1][0]]:
            _, start = stack.pop()
            spans.append((start, i))
        elif ch in _QUOTE_PAIRS:
            stack.append((ch, i))
    ascii_quotes = [i for i, ch in enumerate(text) if ch == '"']
    spans.extend(zip(ascii_quotes[::2], ascii_quotes[1::2], strict=False))
    return spans


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start < position < end for start, end in spans)


def _clause_bounds(text: str, position: int) -> tuple[int, int]:
    start = 0
    for match in _CLAUSE_SPLIT.finditer(text):
        if match.start() < position:
            start = match.end()
        else:
            return start, match.start()
    return start, len(text)


def _sentence_start(text: str, position: int, enders: str = "。!！?？;；") -> int:
    """Start of the sentence around `position`; by default a ；-part counts as one."""
    start = 0
    for match in re.finditer(f"[{enders}]", text):
        if match.end() <= position:
            start = match.end()
    return start


def _period(context: str, year: int | None) -> tuple[str | None, str | None]:
    """The nearest period expression before the number (context ends at the number)."""
    patterns: list[tuple[str, str]] = [
        (r"到(\d{4})年(底|末)?", "by {0}"),
        (r"至(\d{4})年(底|末)?", "by {0}"),
        (r"(\d{4})年(底|末)前?", "by the end of {0}"),
        (r"“?十([一二三四五六七])五”?(?:期间|时期)?", "during the {five} Five-Year Plan"),
        (r"(\d{4})年", "in {0}"),
        (r"全年", "this year"),
        (r"今年|年内", "this year"),
        (r"明年", "next year"),
        (r"每年|年均", "every year"),
        (r"(?:今后|未来)([一二三四五六七八九十\d]+)年", "in the next {0} years"),
        (r"([一二三四五六七八九十\d]+)年内", "within {0} years"),
    ]
    best: tuple[int, str, str] | None = None
    for pattern, english in patterns:
        for match in re.finditer(pattern, context):
            if best is None or match.end() > best[0]:
                groups = match.groups()
                text = english
                if "{five}" in english:
                    n = "一二三四五六七".index(groups[0]) + 11
                    text = english.replace("{five}", f"{n}th")
                elif "{0}" in english:
                    text = english.format(groups[0])
                if match.group(0) in ("全年", "今年", "年内") and year is not None:
                    text = f"{text} ({year})"
                if match.group(0) == "明年" and year is not None:
                    text = f"{text} ({year + 1})"
                best = (match.end(), match.group(0), text)
    if best is None:
        return None, None
    return best[1], best[2]


def _threshold(before: str) -> tuple[Threshold | None, str]:
    """A money or size condition in the words before the number, and those words without it."""
    matches = list(_THRESHOLD_RE.finditer(before))
    if not matches:
        return None, before
    from briefing.numbers import MAGNITUDES, core_value

    match = matches[-1]
    number = core_value(match["num"]) if match["num"] else 1.0
    magnitude = MAGNITUDES.get(match["mag"] or "", 1)
    threshold = Threshold(
        value=(number or 1.0) * magnitude,
        qualifier="at_least" if match["q"] == "以上" else "at_most",
        unit_zh=(match["mag"] or "") + match["unit"],
    )
    # What is counted follows its condition: 亿元以上 | 海洋产业项目.
    return threshold, before[match.end() :].lstrip("的")


_TRAILING_WORDS = re.compile(
    r"(?:达到|突破|控制在|稳定在|保持在|提高到|提高至|提升至|提升到|超过|为|是|占比达)$"
)


def _counted(before: str, after: str) -> str | None:
    before = re.split(r"[:：]", before)[-1]
    words = _LEADING_WORDS.sub("", before.strip()).strip("的,，、 ")
    words = _TRAILING_WORDS.sub("", words).strip("的,，、 ")
    if words:
        return words
    after = after.strip().lstrip("的")
    return after or None


Speaker = tuple[int, str | None, str | None]  # offset after 表示, name_zh, name_en


def find_targets(document: Document, people: Iterable[Person] = ()) -> tuple[Target, ...]:
    """Targets in document order, numbered t1, t2…; the owner of a number is the official
    of `people` (see `briefing.people`) in whose quoted words it stands."""
    speakers: dict[str, list[Speaker]] = {}
    for person in people:
        for speech in person.speeches:
            speakers.setdefault(speech.paragraph, []).append(
                (speech.start, person.name_zh, person.name_en)
            )
    year = int(document.date[:4]) if document.date else None
    plan_like = bool(_PLAN_TITLE_RE.search(document.title or ""))
    targets: list[Target] = []
    for paragraph in document.paragraphs():
        targets.extend(
            _paragraph_targets(paragraph, year, speakers.get(paragraph.id, []), plan_like)
        )
    return tuple(replace(t, id=f"t{i}") for i, t in enumerate(targets, start=1))


def value_in_english(target: Target) -> str:
    """'> 70,000', '≥ 150 (each ≥ 100 million yuan)', 'about 5%', '3 percentage points'."""

    def amount(value: float, unit: str | None) -> str:
        if unit == "%":
            return f"{format_number(value)}%"
        if unit == "百分点":
            return f"{format_number(value)} percentage points"
        base = (unit or "").lstrip("万亿")
        if base in UNITS_EN:
            return f"{format_number(value)} {UNITS_EN[base]}"
        return format_number(value)

    shown = amount(target.value, target.unit_zh)
    if target.upper is not None:
        shown = f"{amount(target.value, target.unit_zh)}–{amount(target.upper, target.unit_zh)}"
    text = QUALIFIER_SIGNS[target.qualifier] + shown
    if target.threshold is not None:
        t = target.threshold
        text += f" (each {QUALIFIER_SIGNS[t.qualifier]}{amount(t.value, t.unit_zh)})"
    if target.aim:
        text += " (aim)"
    return text


def _forward(context: str, plan_like: bool) -> bool:
    """A goal word stands in the context, after the last word of a past result."""
    last_past = max((m.end() for m in _PAST_RE.finditer(context)), default=-1)
    strong = [m.start() for m in _STRONG_FORWARD_RE.finditer(context)]
    weak = [m.start() for m in _WEAK_FORWARD_RE.finditer(context)] if plan_like or strong else []
    return any(position >= last_past for position in strong + weak)


def _paragraph_targets(
    paragraph: Paragraph,
    year: int | None,
    speakers: list[Speaker],
    plan_like: bool = False,
) -> list[Target]:
    text = normalise(paragraph.analysis)
    shown = paragraph.zh if len(paragraph.zh) == len(paragraph.analysis) else paragraph.analysis
    quoted = _quoted_spans(text)
    quantities = find_quantities(text)
    found: list[Target] = []
    pending: Quantity | None = None  # a condition on the next counted number
    for index, quantity in enumerate(quantities):
        if not _is_candidate(text, quantity, quoted):
            continue
        clause_start, clause_end = _clause_bounds(text, quantity.start)
        # A measured condition followed by a counted number in the same clause is a
        # threshold (年营业收入超10亿元的…企业20家), not a target of its own.
        if _is_threshold_of_next(quantity, quantities[index + 1 :], clause_end):
            pending = quantity
            continue
        # The official whose words (after …表示) the number stands in, if any.
        speech_end, owner, owner_en = max(
            (speaker for speaker in speakers if speaker[0] <= quantity.start),
            key=lambda speaker: speaker[0],
            default=(-1, None, None),
        )
        # Goal words reach across ；: 到2027年,…；建成…3万个以上 is one sentence.
        context_start = (
            speech_end if speech_end >= 0 else _sentence_start(text, quantity.start, "。!！?？")
        )
        context = text[context_start : quantity.start] + text[quantity.end : clause_end]
        if not _forward(context, plan_like):
            continue
        # Two numbers in one clause: the second's words start after the first.
        previous_end = max(
            (q.end for q in quantities[:index] if q.unit and q.end > clause_start),
            default=clause_start,
        )
        before = text[previous_end : quantity.start]
        threshold: Threshold | None
        if pending is not None and clause_start <= pending.start < quantity.start:
            threshold = Threshold(pending.value, pending.qualifier, pending.unit or "")
            # What is counted follows its condition: 超10亿元的 | 零部件企业.
            before = text[pending.end : quantity.start].lstrip("的")
        else:
            threshold, before = _threshold(before)
        pending = None
        sentence_start = _sentence_start(text, quantity.start)
        period_zh, period_en = _period(text[sentence_start : quantity.start], year)
        after = text[quantity.end : clause_end]
        target = Target(
                id="",
                paragraph=paragraph.id,
                zh=shown[clause_start:clause_end].strip(),
                value=quantity.value,
                upper=quantity.upper,
                qualifier=quantity.qualifier,
                aim=bool(_AIM_RE.search(text[sentence_start : quantity.start])),
                unit_zh=quantity.unit,
                counted_zh=_counted(_strip_period(before, period_zh), after),
                threshold=threshold,
                period_zh=period_zh,
                period_en=period_en,
                owner=owner,
                owner_en=owner_en,
                display="",
                start=quantity.start,
                analysis=paragraph.analysis[clause_start:clause_end].strip(),
            )
        found.append(replace(target, display=value_in_english(target)))
    return found


def _strip_period(before: str, period: str | None) -> str:
    return before.replace(period, "", 1) if period else before


_NOT_TARGET_UNITS = {"岁", "天", "小时", "分钟"}  # ages and durations


def _is_candidate(text: str, quantity: Quantity, quoted: list[tuple[int, int]]) -> bool:
    if quantity.unit is None or quantity.unit in _NOT_TARGET_UNITS or quantity.unit.endswith("年"):
        return False
    if not quantity.has_digit and quantity.qualifier == "exactly":
        return False
    if _inside(quoted, quantity.start):
        return False
    if _DATE_AFTER_RE.match(text[quantity.end :]):
        return False
    return text[max(0, quantity.start - 1) : quantity.start] != "第"


def _is_threshold_of_next(quantity: Quantity, later: list[Quantity], clause_end: int) -> bool:
    if quantity.qualifier == "exactly" or quantity.unit in CLASSIFIERS or quantity.unit == "%":
        return False
    return any(q.start < clause_end and q.unit in CLASSIFIERS for q in later)
