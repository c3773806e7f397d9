"""Targets: `Document` -> the quantitative commitments it states (who promised what number,
by when), and the policy parameters it sets (measures). Pure.

## What a target is

A quantitative commitment about the future by the issuer: an indicator with a number (or
an expression that fixes one: 翻番 = ×2, 两位数 = ≥ 10 %, 分别… lists that give several
values), stated as something to achieve.

- **Context makes a target, not only a goal word.** In the *plan part* of a work report
  (the part on this year's work: `…年工作安排`, `今年…主要任务`, `主要预期目标`), and in a
  plan or notice (a title with 通知, 方案, 规划, 意见, 要点…), a bare verb + number is a
  target: 新增义务教育学位40万个, 改造农村户厕20.6万座. Elsewhere (news, speeches) a goal
  word must stand before it in its sentence, or it must be in what a quoted official says:
  将, 要, 力争, 争取, 确保, 目标, 预期, 计划, 到2027年…
- **Results are not targets**, with or without 争取/全年/预计: the *review part* of a work
  report (`过去一年`, `…年工作回顾`, a heading with last year), a clause with a word of a
  past result before the number (同比, 比上年, 已, 累计, 去年, 截至, 以来…), counts that
  name a set of things (三大产业: Chinese numerals without a digit or qualifier), names in
  quotation or title marks (“十五五”, 《…》), dates, session numbers, ordinals, ages.
- **Measures, not targets:** policy parameters. A money amount or rate given to someone
  (给予…奖补100万元, 最高补助, 按…的10%给予补贴, 每户…元), and in rules (办法, 规定, 细则…)
  a time limit (5个工作日内).
- A money or size condition before a counted noun (亿元以上…项目150个以上) is the
  target's *threshold*, not a target of its own.

## Fields

- `qualifier`: 以上/不低于/不少于 at_least; 超过/突破/高于/逾 more_than; 以内/以下/
  不超过/…内/控制在 at_most; 低于 less_than; 左右/约 about; 保持/稳定在 maintain; 翻番 multiply;
  otherwise exactly.
- `direction`: a change *by* the number: 增长/提高/增加… up, 下降/降低/减少/压减… down
  (单位GDP能耗下降2%左右 displays "down about 2%"); None for a level or count
  (达到…, 提高到…, 新增…个).
- `period` (normalised) and `period_en` (shown): the nearest period words before the
  number in its sentence (到2027年 "by 2027"; 每年 "every year"; 年均 "annual average";
  全年/今年 the plan year); in a work report's plan part, the plan year when none is given.
- `owner`: the official in whose quoted words the number stands; else the report's own
  owner: the official who delivers it (its speaker line) or the body that issues it.
- A sentence with several numbers gives several targets, each with its own counted thing.

The plan year is the year in the title of a work report (2025年…政府工作报告), else the
year of the report's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from briefing.model import (
    Direction,
    Document,
    Flag,
    Paragraph,
    Part,
    Person,
    Qualifier,
    Target,
    TargetKind,
    Threshold,
)
from briefing.numbers import (
    CLASSIFIERS,
    MAGNITUDES,
    Quantity,
    chinese_integer,
    core_value,
    find_quantities,
    format_number,
    normalise,
)
from briefing.people import document_issuer, org_in_english

# --- words ----------------------------------------------------------------------------------

# Words that make what follows a goal. Weak ones (全年, 今年…) also open retrospectives
# ("全年民生支出占…"), so they count alone only in plan-like documents (通知, 规划, 方案…).
_STRONG_FORWARD_RE = re.compile(
    r"将|确保|力争|争取|目标|预期|计划|(?<![主重纲])要(?![求素点闻])|拟|预计|到\d{4}年|至\d{4}年"
    r"|下一步|今后|未来|力求|努力|明年"
)
_WEAK_FORWARD_RE = re.compile(r"全年|今年|年内|每年|年均")
# A plan or notice is named so at the end of its title (…行动方案, 关于…的通知); a news
# headline that mentions a plan is not one.
_PLAN_DOCUMENT_RE = re.compile(
    r"(?:通知|意见|方案|规划|计划|要点|纲要|措施|办法|规定|细则)(?:[（(][^）)]*[）)])?$"
)
# a notice or plan named in the first lines (a legal database's export puts its header first)
_NOTICE_RE = re.compile(
    r"关于.{2,60}(?:的)?(?:通知|方案|意见|规划|计划|办法|规定|决定)(?:[（(][^）)]*[）)])?$"
)
_RULES_TITLE_RE = re.compile(r"办法|规定|细则|条例|规则|制度|标准|指引")
_WORK_REPORT_RE = re.compile(r"工作报告")
_PAST_RE = re.compile(
    r"已|累计|同比|比上年|较上年|去年|上年|过去|近年来|此前|截至|截止|以来|上半年|前三季度"
    r"|一季度|完成[^，,。；;]*?(?:目标|任务|计划)的"
)
# In a plan, 累计 is a total to reach (新增1000座，累计建设4600个), not a past result.
_PLAN_PAST_RE = re.compile(
    r"已|同比|比上年|较上年|去年|上年|过去|近年来|此前|截至|截止|以来|上半年|前三季度|一季度"
)
_AIM_RE = re.compile(r"力争|争取")
_DEADLINE_RE = re.compile(r"到\d{4}年|至\d{4}年|\d{4}年(?:底|末)?前|力争|争取|确保")
# what there is, not what is to be: 拥有8个万亿元级产业集群; 做好9个方面工作 (a plan's outline)
_DESCRIBES_RE = re.compile(r"(?:拥有(?!量)|现有|共有|已有|目前有|做好|抓好|聚焦)[^，,。；;]{0,6}$")
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
_TRAILING_WORDS = re.compile(
    r"(?:达到|突破|控制在|稳定在|保持在|提高到|提高至|提升至|提升到|超过|为|是|占比达)$"
)

# Parts of a work report, by the headings of its top-level sections and by the openings
# of its paragraphs.
_REVIEW_HEADING_RE = re.compile(r"回顾|过去(?:一|五|的)|总结|一年来|五年来|取得|成就|成绩")
_PLAN_HEADING_RE = re.compile(
    r"安排|任务|目标|要求|部署|重点工作|今年|明年|主要工作|打算|思路|举措|措施"
)
_YEAR_RE = re.compile(r"(20\d\d)\s*年")
# A glossary or notes after the report explains names; it commits to nothing of its own.
_GLOSSARY_RE = re.compile(
    r"^(?:附件\s*\d*\s*[:：]?\s*)?(?:名词解释|名词注释|注释|术语解释|词条解释)[:：]?"
)
_GLOSSARY_HEADING_RE = re.compile(r"名词解释|名词注释|术语解释|词条解释|有关内容注释")
_BACKGROUND_RE = re.compile(
    r"发展基础|基础条件|发展现状|现状|面临形势|发展形势|背景|工作回顾|发展成效"
)
_REVIEW_OPENING_RE = re.compile(r"^(?:过去一年|过去五年|一年来|五年来|回顾过去|刚刚过去的)")
_PLAN_OPENING_RE = re.compile(
    r"主要预期目标|做好今年|今年(?:是|经济社会发展|政府工作|全省|全市|全区|工作)"
)

# Measures: a money amount or rate given to someone, or a time limit a rule sets.
_MONEY_UNITS = {"元", "美元", "欧元"}
_GRANT_RE = re.compile(
    r"(?:给予|奖补|奖励|补贴|补助|资助|贴息|扶持资金|最高|一次性|每(?:个|家|人|户|年|次|项|台|辆|套|亩"
    r"|平方米|吨|名|位)|按[^，,。；;]{0,20}?(?:的|标准)|罚款|处以|减免|报销|标准为|标准提高)"
    r"[^，,。；;]{0,20}$"
)
_RATE_GRANT_RE = re.compile(r"(?:补贴|补助|贴息|资助|报销|减免|费率|给予|奖励)[^，,。；;]{0,16}$")
_GRANT_AFTER_RE = re.compile(r"^[^，,。；;]{0,6}?(?:给予|予以)?(?:补贴|补助|奖励|奖补|资助|贴息)")
_SCORING_RE = re.compile(r"[=＝]|权重|分值|计分|评分|得分|扣分")
_TIME_UNITS = {"天", "日", "小时", "分钟", "工作日", "个工作日", "个月", "月"}
_DURATION_UNITS = {"天", "小时", "分钟"}
_AGE_UNITS = {"岁"}

_UP_RE = re.compile(
    r"(?:增长|提高|提升|增加|上升|扩大|增收|增速为?|涨幅|增幅|增长率为?)(?:了)?(?:超过|高于|不低于|不少于|超|约|近|逾)?$"
)
_DOWN_RE = re.compile(
    r"(?:下降|降低|减少|压减|压降|缩减|削减|减排|缩短|压缩|减负|降费)(?:了)?(?:超过|不低于|不少于|超|约|近|逾)?$"
)
_GROW_RE = re.compile(r"(?:增长|增加|上升|增收)(?:了)?(?:超过|高于|不低于|不少于|超|约|近|逾)?$")
_MAINTAIN_RE = re.compile(r"(?:保持|稳定)在?(?:全国|全省|全市)?$")
_CONTROL_RE = re.compile(r"控制在$")
_BREAK_RE = re.compile(r"突破$")
_EXPRESSIONS_RE = re.compile(
    r"翻(?P<times>一|两|三)?番|两位数"
    r"|(?<![一二三四五六七八九十])(?P<tenths>[二三四五六七八九])成(?P<bound>以上|左右|以下)?"
    r"|(?<=突破|达到|超过|迈上|跨越)(?P<mag>万亿|千亿|百亿)(?P<yuan>元)?"
)
_BOUNDS: dict[str, Qualifier] = {"以上": "at_least", "左右": "about", "以下": "at_most"}
_SUFFIX_BOUNDS: dict[str, Qualifier] = {**_BOUNDS, "以内": "at_most"}
_BARE_MAGNITUDES = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10}

QUALIFIER_SIGNS: dict[Qualifier, str] = {
    "at_least": "≥ ", "more_than": "> ", "about": "about ", "at_most": "≤ ", "less_than": "< ",
    "exactly": "", "maintain": "maintain ", "multiply": "×",
}  # fmt: skip
UNITS_EN = {
    "元": "yuan", "美元": "US dollars", "欧元": "euros", "吨": "tonnes", "斤": "jin",
    "公斤": "kg", "亩": "mu", "公里": "km", "千米": "km", "米": "m", "平方米": "square metres",
    "平方公里": "square km", "立方米": "cubic metres", "公顷": "hectares", "千瓦": "kW",
    "千瓦时": "kWh", "兆瓦": "MW", "元/人": "yuan per person", "吉瓦": "GW", "GW": "GW",
    "MW": "MW", "标箱": "TEU",
    "标准箱": "TEU", "TEU": "TEU", "微克/立方米": "µg/m³", "毫克/立方米": "mg/m³",
    "吨标准煤": "tonnes of standard coal equivalent", "元/千瓦时": "yuan/kWh",
    "分/千瓦时": "fen/kWh", "小时": "hours", "天": "days",
    "分钟": "minutes", "人次": "person-times", "户次": "household-times", "倍": "times",
}  # fmt: skip
_UNITS_SHOWN_AS_NUMBERS = set(CLASSIFIERS) - {"人次", "户次", "倍", "个百分点", "百分点"}


@dataclass(frozen=True)
class Context:
    """What a paragraph's numbers are read with."""

    part: Part  # review: never targets; plan: a bare number is one; other: goal words needed
    plan_year: int | None
    plan_like: bool  # a plan or notice: weak goal words (全年, 每年) count
    rules: bool  # a rules document: a time limit is a measure
    owner: tuple[str | None, str | None]  # the report's own owner (zh, en)
    section: str


# --- the extraction ---------------------------------------------------------------------------


def find_targets(document: Document, people: Iterable[Person] = ()) -> tuple[Target, ...]:
    """Targets in document order, numbered t1, t2…"""
    return find_targets_and_measures(document, people)[0]


def find_targets_and_measures(
    document: Document, people: Iterable[Person] = ()
) -> tuple[tuple[Target, ...], tuple[Target, ...]]:
    """(targets t1, t2…; measures m1, m2…), each in document order. The owner of a number
    is the official of `people` (see `briefing.people`) in whose quoted words it stands,
    else the report's speaker (role ``speaker``) or issuing body."""
    people = tuple(people)
    speakers: dict[str, list[Speaker]] = {}
    for person in people:
        for speech in person.speeches:
            speakers.setdefault(speech.paragraph, []).append(
                (speech.start, person.name_zh, person.name_en)
            )
    found: list[Target] = []
    for paragraph, context in paragraph_contexts(document, people):
        found.extend(_paragraph_targets(paragraph, context, speakers.get(paragraph.id, [])))
    targets = [t for t in found if t.kind == "target"]
    measures = [t for t in found if t.kind == "measure"]
    return (
        tuple(replace(t, id=f"t{i}") for i, t in enumerate(targets, start=1)),
        tuple(replace(m, id=f"m{i}") for i, m in enumerate(measures, start=1)),
    )


def plan_year(document: Document) -> int | None:
    """The year a report plans for: its title's year for a work report, else its date's,
    else a year in its title (or in the notice its first lines name)."""
    title_years = _YEAR_RE.findall(document.title or "")
    if title_years and _WORK_REPORT_RE.search(document.title or ""):
        return int(title_years[0])
    if document.date:
        return int(document.date[:4])
    if title_years:
        return int(title_years[0])
    notice = _notice(document)
    years = _YEAR_RE.findall(notice)
    return int(years[0]) if years else None


def _notice(document: Document) -> str:
    """The notice or plan a document's first lines name (关于印发…的通知), if any."""
    heads = [document.title or ""] + [line.analysis for line in document.source.lines[:8]]
    return next((h for h in heads if _NOTICE_RE.search(h)), "")


def paragraph_contexts(
    document: Document, people: Iterable[Person] = ()
) -> Iterator[tuple[Paragraph, Context]]:
    """Each paragraph with the context its numbers are read in (see the module docstring)."""
    year = plan_year(document)
    title = document.title or ""
    work_report = bool(_WORK_REPORT_RE.search(title)) or _salutes_delegates(document)
    notice = _notice(document)
    plan_document = bool(_PLAN_DOCUMENT_RE.search(title.strip()) or notice)  # bare numbers count
    plan_like = plan_document or work_report  # weak goal words (全年, 每年) count
    rules = bool(_RULES_TITLE_RE.search(title) or _RULES_TITLE_RE.search(notice))
    owner = _document_owner(document, people)
    parts = _section_parts(document, year) if work_report else {}
    backgrounds = _background_sections(document) if plan_document and not work_report else set()
    part: Part | None = None
    for section in document.sections:
        section_part = parts.get(section.id)
        if section_part is not None:
            part = section_part
        for paragraph in section.paragraphs:
            if work_report and part != "glossary":  # a glossary runs to the next part
                part = _paragraph_part(paragraph.analysis, year) or part
            elif plan_document:
                # a plan's background (一、发展基础; 2024年，全市…) states results
                background = (
                    section.id in backgrounds
                    or _paragraph_part(paragraph.analysis, year) == "review"
                )
                part = "review" if background else "plan"
            current: Part = part or "other"
            yield paragraph, Context(current, year, plan_like, rules, owner, section.id)


def _background_sections(document: Document) -> set[str]:
    """Sections of a plan that state where things stand (一、发展基础, 现状与形势), and the
    sections under them."""
    found: set[str] = set()
    level: int | None = None
    for section in document.sections:
        if section.heading is not None and (level is None or section.level <= level):
            level = section.level if _BACKGROUND_RE.search(section.heading) else None
        if level is not None:
            found.add(section.id)
    return found


def _salutes_delegates(document: Document) -> bool:
    return any(p.analysis.startswith("各位代表") for p in list(document.paragraphs())[:5])


def _section_parts(document: Document, year: int | None) -> dict[str, Part]:
    """Parts of a work report by its top-level headings: a review heading (last year's
    work) or a plan heading (this year's) starts that part; a top-level section without
    either continues the part before it."""
    headed = [s for s in document.sections if s.heading is not None]
    if not headed:
        return {}
    top = min(s.level for s in headed)
    parts: dict[str, Part] = {}
    for section in headed:
        if section.level != top or section.heading is None:
            continue
        part = _heading_part(section.heading, year)
        if part is not None:
            parts[section.id] = part
    return parts


def _heading_part(heading: str, year: int | None) -> Part | None:
    if _GLOSSARY_RE.match(heading.strip()) or _GLOSSARY_HEADING_RE.search(heading):
        return "glossary"
    years = [int(y) for y in _YEAR_RE.findall(heading)]
    if years and year:  # a heading's year says it first: 2024年工作回顾, 聚焦2025年目标…
        return "plan" if max(years) >= year else "review"
    if _REVIEW_HEADING_RE.search(heading):
        return "review"
    if _PLAN_HEADING_RE.search(heading):
        return "plan"
    return None


def _paragraph_part(text: str, year: int | None) -> Part | None:
    """A paragraph that opens a part: 过去一年… (review), 今年经济社会发展的主要预期目标…
    (plan), 名词解释 (a glossary)."""
    if _GLOSSARY_RE.match(text.strip()):
        return "glossary"
    if _REVIEW_OPENING_RE.match(text):
        return "review"
    opening = re.match(r"^(20\d\d)年(?:是|，|,|全省|全市|全区|我省|我市)", text)
    if opening and year and int(opening[1]) < year:
        return "review"
    if _PLAN_OPENING_RE.search(text[:40]):
        return "plan"
    return None


def _document_owner(document: Document, people: Iterable[Person]) -> tuple[str | None, str | None]:
    speaker = next((p for p in people if p.role == "speaker"), None)
    if speaker is not None:
        return speaker.name_zh, speaker.name_en
    issuer = document.issuer or document_issuer(document)
    return issuer, org_in_english(issuer)


# --- one paragraph ----------------------------------------------------------------------------

Speaker = tuple[int, str | None, str | None]  # offset after 表示, name_zh, name_en


def _paragraph_targets(
    paragraph: Paragraph, context: Context, speakers: list[Speaker]
) -> list[Target]:
    if context.part == "review":
        return []
    text = normalise(paragraph.analysis)
    shown = paragraph.zh if len(paragraph.zh) == len(paragraph.analysis) else paragraph.analysis
    quoted = _quoted_spans(text)
    quantities = sorted(find_quantities(text) + _expressions(text), key=lambda q: q.start)
    found: list[Target] = []
    pending: Quantity | None = None  # a condition on the next counted number
    for index, quantity in enumerate(quantities):
        if not _is_candidate(text, quantity, quoted, context):
            continue
        clause_start, clause_end = _clause_bounds(text, quantity.start)
        # A measured condition followed by a counted number in the same clause is a
        # threshold (年营业收入超10亿元的…企业20家), not a target of its own.
        if _is_threshold_of_next(quantity, quantities[index + 1 :], clause_end, text):
            pending = quantity
            continue
        # The official whose words (after …表示) the number stands in, if any.
        speech_end, owner, owner_en = max(
            (speaker for speaker in speakers if speaker[0] <= quantity.start),
            key=lambda speaker: speaker[0],
            default=(-1, None, None),
        )
        sentence_start = _sentence_start(text, quantity.start)
        # Two numbers in one clause: the second's words start after the first.
        previous_end = max(
            (q.end for q in quantities[:index] if q.unit and q.end > clause_start
             and _is_candidate(text, q, quoted, context)),
            default=clause_start,
        )  # fmt: skip
        before = text[previous_end : quantity.start]
        kind = _kind(text, quantity, clause_start, context)
        if kind is None:
            continue
        if kind == "target":
            # Goal words reach across ；: 到2027年,…；建成…3万个以上 is one sentence.
            context_start = (
                speech_end if speech_end >= 0 else _sentence_start(text, quantity.start, "。!！?？")
            )
            words = text[context_start : quantity.start] + text[quantity.end : clause_end]
            # in a plan, a past word speaks of its own clause (在去年…基础上，新增…)
            if context.part == "plan":
                if _past(text[clause_start : quantity.start], _PLAN_PAST_RE):
                    continue
            elif _past(text[sentence_start : quantity.start]):
                continue
            if _DESCRIBES_RE.search(text[clause_start : quantity.start]):
                continue
            if context.part == "glossary" and not _DEADLINE_RE.search(words):
                continue  # a glossary defines programmes: only a dated goal is one of ours
            if context.part != "plan" and not _forward(words, context.plan_like):
                continue
        threshold: Threshold | None
        if pending is not None and clause_start <= pending.start < quantity.start:
            threshold = Threshold(pending.value, pending.qualifier, pending.unit or "")
            # What is counted follows its condition: 超10亿元的 | 零部件企业.
            before = text[pending.end : quantity.start].lstrip("的")
        else:
            threshold, before = _threshold(before)
        pending = None
        period_zh, period_en, period = _period(
            text[sentence_start : quantity.start], context.plan_year, context.part == "plan"
        )
        if owner is None:
            owner, owner_en = context.owner
        after = text[quantity.end : clause_end]
        unit = quantity.unit
        per = re.match(r"/[\u4e00-\u9fff]{1,3}?(?=左右|以上|以下|以内|[^\u4e00-\u9fff]|$)", after)
        if per and unit:  # 16.8万元/人左右: a rate per person, with its qualifier after it
            unit += per.group(0)
            after = after[per.end() :]
            quantity = replace(quantity, unit=unit, end=quantity.end + per.end())
            bound = re.match(r"左右|以上|以下|以内", after)
            if bound and quantity.qualifier == "exactly":
                quantity = replace(quantity, qualifier=_SUFFIX_BOUNDS[bound.group(0)])
        qualifier = _qualifier(quantity, text[clause_start : quantity.start], after)
        target = Target(
            id="",
            paragraph=paragraph.id,
            zh=shown[clause_start:clause_end].strip(),
            value=quantity.value,
            upper=quantity.upper,
            qualifier=qualifier,
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
            end=quantity.end,
            kind=kind,
            direction=_direction(text[clause_start : quantity.start], quantity),
            period=period,
            section=context.section,
        )
        listed = bool(found) and re.fullmatch(r"[、和与及]", before.strip()) is not None
        if target.direction is None and listed and found[-1].end <= quantity.start:
            # 分别增长5%、6%: a list's later values share the first one's verb
            target = replace(target, direction=found[-1].direction)
        unit_flag = untranslated_unit(target)
        found.append(replace(target, display=value_in_english(target),
                             flags=(unit_flag,) if unit_flag else ()))  # fmt: skip
    return _respectively(text, found)


def _respectively(text: str, found: list[Target]) -> list[Target]:
    """城镇、农村居民人均收入分别增长5%、6%: each value counts its own subject."""
    out = list(found)
    clauses: dict[int, list[int]] = {}
    for i, target in enumerate(found):
        clauses.setdefault(_clause_bounds(text, target.start)[0], []).append(i)
    for start, members in clauses.items():
        head = text[start : found[members[0]].start]
        if "分别" not in head or len(members) < 2:
            continue
        subjects = [w for w in re.split(r"[、和与及]", head.split("分别")[0]) if w]
        if len(subjects) != len(members):
            continue
        # a shared noun ends the list (城镇、农村居民收入): the first subjects take it too
        tail = subjects[-1][len(subjects[-1]) - _shared_tail(subjects) :]
        for i, subject in zip(members, subjects, strict=True):
            counted = _LEADING_WORDS.sub("", subject if subject.endswith(tail) else subject + tail)
            out[i] = replace(out[i], counted_zh=counted.strip("的,，、 ") or out[i].counted_zh)
    return out


def _shared_tail(subjects: list[str]) -> int:
    """How much of the last subject's end the shorter subjects before it leave out."""
    last = subjects[-1]
    short = [s for s in subjects[:-1] if len(s) < len(last) - 1]
    return len(last) - max((len(s) for s in short), default=len(last)) if short else 0


def _expressions(text: str) -> list[Quantity]:
    """Expressions that fix a number: 翻番 (×2, 翻两番 ×4), 两位数 (≥ 10 %)."""
    found: list[Quantity] = []
    for match in _EXPRESSIONS_RE.finditer(text):
        if match["tenths"]:  # 八成以上: at least 80 %
            if re.match(
                r"[二三四五六七八九]成(?:为|了|立|效|果|功|员|本|就|长|熟|都|交|不)",
                match.group(0) + text[match.end() : match.end() + 1],
            ):
                continue  # 一成为…, 形成, 建成: not a share
            value = float("一二三四五六七八九".index(match["tenths"]) + 1) * 10
            found.append(Quantity(match.start(), match.end(), match.group(0), value, None, "%",
                                  _BOUNDS.get(match["bound"] or "", "exactly"), True))  # fmt: skip
            continue
        if match["mag"]:  # 突破万亿元: the magnitude alone is the number
            unit = "元" if match["yuan"] else None
            value = _BARE_MAGNITUDES[match["mag"]]
            found.append(Quantity(match.start(), match.end(), match.group(0), value, None, unit,
                                  "exactly", True))  # fmt: skip
            continue
        if match.group(0) == "两位数":
            found.append(Quantity(match.start(), match.end(), match.group(0), 10.0, None, "%",
                                  "at_least", True))  # fmt: skip
            continue
        times = {"一": 1, None: 1, "两": 2, "三": 3}[match["times"]]
        found.append(Quantity(match.start(), match.end(), match.group(0), float(2**times), None,
                              "倍", "multiply", True))  # fmt: skip
    return found


def _kind(text: str, quantity: Quantity, clause_start: int, context: Context) -> TargetKind:
    """A measure (a policy parameter) or a target candidate."""
    before = text[clause_start : quantity.start]
    base = (quantity.unit or "").lstrip("万亿千百")
    granted = _GRANT_AFTER_RE.match(text[quantity.end :])  # …的10%给予补贴
    if base in _MONEY_UNITS and (_GRANT_RE.search(before) or granted):
        return "measure"
    if quantity.unit == "%" and (_RATE_GRANT_RE.search(before) or granted):
        return "measure"
    after = text[quantity.end : quantity.end + 3]
    time = (quantity.unit or "") in _TIME_UNITS or (
        quantity.unit == "个" and after.startswith(("工作日", "月", "小时", "自然日"))
    )
    if context.rules and time:
        return "measure"
    if _SCORING_RE.search(text[clause_start : text.find("。", quantity.end) % (len(text) + 1)]):
        return "measure"  # 综合得分=平时考核（60%）+…: a weight in a scoring rule
    return "target"


def _past(sentence_before: str, words: re.Pattern[str] = _PAST_RE) -> bool:
    """A word of a past result in the sentence before the number, after any goal word."""
    last_past = max((m.end() for m in words.finditer(sentence_before)), default=-1)
    if last_past < 0:
        return False
    last_goal = max((m.end() for m in _STRONG_FORWARD_RE.finditer(sentence_before)), default=-1)
    return last_past > last_goal


def _forward(context: str, plan_like: bool) -> bool:
    """A goal word stands in the context, after the last word of a past result."""
    last_past = max((m.end() for m in _PAST_RE.finditer(context)), default=-1)
    strong = [m.start() for m in _STRONG_FORWARD_RE.finditer(context)]
    weak = [m.start() for m in _WEAK_FORWARD_RE.finditer(context)] if plan_like or strong else []
    return any(position >= last_past for position in strong + weak)


def _qualifier(quantity: Quantity, before: str, after: str) -> Qualifier:
    if quantity.text == "两位数" or quantity.qualifier == "multiply":
        return quantity.qualifier  # the expression says it
    if _MAINTAIN_RE.search(before):  # 稳定在70亿斤以上: a level to keep
        return "maintain"
    if quantity.qualifier != "exactly":
        return quantity.qualifier
    if re.match(r"(?:个)?(?:工作日|自然日|月|小时)?内", after):
        return "at_most"  # 3个工作日内
    if _CONTROL_RE.search(before) or re.search(r"最高(?:给予|奖励|补助|补贴)?$", before):
        return "at_most"  # 控制在…; 给予最高100万元奖励: up to
    if _BREAK_RE.search(before):
        return "more_than"
    return "exactly"


def _direction(before: str, quantity: Quantity) -> Direction | None:
    """up or down for a change *by* the number (增长5%, 下降2%, 减负2500亿元); None for a
    level (提高到, 降至) or a count (新增…个, 改造提升3000个: upgrading is not a rise)."""
    if quantity.qualifier == "multiply" or quantity.text == "两位数":
        return "up"
    if _DOWN_RE.search(before):
        return "down"
    if quantity.unit in ("%", "百分点") and _UP_RE.search(before):
        return "up"
    # an amount that grows (进出口额增加500亿元); 提升/提高 a length or area is an upgrade
    if quantity.unit not in CLASSIFIERS and _GROW_RE.search(before):
        return "up"
    return None


# --- shared pieces ------------------------------------------------------------------------------


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of names in quotation or title marks (“十五五”, 《…》): short and without a
    sentence's punctuation; a long quotation is someone's words, which may well state
    targets. A straight " closes an open “ (“双随机" as some sites type it)."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight: list[int] = []
    for i, ch in enumerate(text):
        if stack and (ch == _QUOTE_PAIRS[stack[-1][0]] or (ch == '"' and stack[-1][0] == "“")):
            _, start = stack.pop()
            spans.append((start, i))
        elif ch in _QUOTE_PAIRS:
            stack.append((ch, i))
        elif ch == '"':
            straight.append(i)
    spans.extend(zip(straight[::2], straight[1::2], strict=False))
    return [
        (a, b) for a, b in spans if b - a <= _NAME_MAX and not _SENTENCE_MARK_RE.search(text[a:b])
    ]


_HAN = r"[\u4e00-\u9fff]"
_NAME_MAX = 30
_SENTENCE_MARK_RE = re.compile(r"[，,。；;！!？?]")


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


_PERIODS: list[tuple[str, str]] = [
    (r"(\d{4})年?\s*[—–\-~～至到]\s*(\d{4})年", "{0}-{1}"),
    (r"到(\d{4})年(?:底|末)?", "by {0}"),
    (r"至(\d{4})年(?:底|末)?", "by {0}"),
    (r"(\d{4})年(?:底|末)前?", "by {0}"),
    (r"“?十([一二三四五六七])五”?(?:期间|时期|末)?", "five-year plan {five}"),
    (r"(?<![比较与])(\d{4})年", "{0}"),  # not the base of a comparison: 比2020年增长50%
    (r"全年|今年|年内", "this year"),
    (r"明年", "next year"),
    (r"每年", "every year"),
    (r"年均", "annual average"),
    (r"(?:今后|未来)([一二三四五六七八九十\d]+)年", "in the next {0} years"),
    (r"([一二三四五六七八九十\d]+)年内", "within {0} years"),
]


def _period(
    context: str, year: int | None, plan: bool
) -> tuple[str | None, str | None, str | None]:
    """(the words, the period shown, the period normalised) of the nearest period
    expression before the number (context ends at the number; of two ending at the same
    place, the longer: 三年内, not 年内); in a plan part with none, the plan year."""
    best: tuple[int, int, str, str] | None = None  # (end, -start, words, normalised)
    for pattern, form in _PERIODS:
        for match in re.finditer(pattern, context):
            if best is not None and (match.end(), -match.start()) <= best[:2]:
                continue
            groups = [_arabic(g) for g in match.groups()]
            normal = form
            if "{five}" in form:
                start = 2006 + 5 * "一二三四五六七".index(match.group(1))  # 十一五 = 2006-2010
                normal = f"{start}-{start + 4}"
            elif "{" in form:
                normal = form.format(*groups)
                if form == "{0}" and year and int(groups[0]) > year:
                    normal = f"by {groups[0]}"  # 力争2027年建成…: a later year is a deadline
            if normal == "this year":
                normal = str(year) if year else "this year"
            elif normal == "next year":
                normal = str(year + 1) if year else "next year"
            best = (match.end(), -match.start(), match.group(0), normal)
    if best is None:
        if plan and year is not None:
            return None, _period_shown("", str(year), year), str(year)
        return None, None, None
    words, normal = best[2], best[3]
    return words, _period_shown(words, normal, year), normal


def _arabic(group: str) -> str:
    """三 -> 3 (今后五年, 三年内); digits stay."""
    if group.isdigit():
        return group
    value = chinese_integer(group)
    return str(value) if value is not None else group


def _period_shown(words: str, normal: str, year: int | None) -> str:
    """What the briefing shows: the plan year as "this year (2025)" however it is said."""
    if words == "明年" or (year and normal == str(year + 1) and words == "next year"):
        return f"next year ({year + 1})" if year else "next year"
    if normal in ("this year", str(year)) and (words in ("全年", "今年", "年内") or not words):
        return f"this year ({year})" if year else "this year"
    if year and normal == str(year):
        return f"this year ({year})"
    if re.fullmatch(r"\d{4}", normal):
        return f"in {normal}"
    if re.fullmatch(r"\d{4}-\d{4}", normal):
        return normal.replace("-", "–")
    return normal


def _threshold(before: str) -> tuple[Threshold | None, str]:
    """A money or size condition in the words before the number, and those words without it."""
    matches = list(_THRESHOLD_RE.finditer(before))
    if not matches:
        return None, before
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


def _counted(before: str, after: str) -> str | None:
    before = re.split(r"[:：]", before)[-1].lstrip("到至")  # 到 of 到2027年底前, its year gone
    words = _LEADING_WORDS.sub("", before.strip()).strip("的,，、 ")
    words = _TRAILING_WORDS.sub("", words).strip("的,，、 ")
    if words:
        return words
    after = after.strip().lstrip("的")
    return after or None


def _strip_period(before: str, period: str | None) -> str:
    return before.replace(period, "", 1) if period else before


def _is_candidate(
    text: str, quantity: Quantity, quoted: list[tuple[int, int]], context: Context
) -> bool:
    unit = quantity.unit
    if text[max(0, quantity.start - 1) : quantity.start] == "每":
        return False  # 每10万人45台: a base, not an amount
    if unit is None:
        # 保持2300万省外劳动力…: a count with a magnitude and its noun, no classifier
        counted = re.match(r"[\u4e00-\u9fff]", text[quantity.end : quantity.end + 1])
        magnitude = quantity.has_digit and quantity.text[-1:] in ("万", "亿")
        if not ((magnitude and counted) or quantity.text in _BARE_MAGNITUDES):
            return False
    elif unit in _AGE_UNITS or unit.endswith("年"):
        return False
    # a duration is a target only as a bound in a plan (办结时限压缩至3个工作日以内)
    bound = quantity.qualifier in ("at_most", "less_than")
    unbounded_here = context.part != "plan" or quantity.qualifier == "exactly"
    if unit in _DURATION_UNITS and unbounded_here and not (context.rules and bound):
        return False
    if not quantity.has_digit and quantity.qualifier == "exactly":
        return False
    if _inside(quoted, quantity.start):
        return False
    plain = quantity.qualifier == "exactly" and unit not in ("%", "百分点")
    if plain and _DATE_AFTER_RE.match(text[quantity.end :]):
        return False  # 5月7日, 8时, 十二届: not quantities (八成以上时间 is one)
    return text[max(0, quantity.start - 1) : quantity.start] != "第"


def _is_threshold_of_next(
    quantity: Quantity, later: list[Quantity], clause_end: int, text: str = ""
) -> bool:
    """A size before a counted number of the same clause conditions or describes what it
    counts: 亿元以上项目150个; 总投资1.78万亿元的289个项目."""
    if quantity.unit in CLASSIFIERS or quantity.unit == "%" or quantity.unit is None:
        return False
    in_clause = [q for q in later if q.start < clause_end and q.unit]
    counted = [q for q in in_clause if q.unit in CLASSIFIERS]
    follows = text[quantity.end : quantity.end + 1]
    if follows == "内" and in_clause:
        return True  # 地铁站100米内公交换乘比例提高到90%: a condition of the rate
    if not counted:
        # 1万吨标准煤及以上用能企业: a size that only qualifies a noun
        return quantity.qualifier in ("at_least", "at_most") and bool(re.match(_HAN, follows))
    if quantity.qualifier != "exactly":
        return True
    return follows == "的"  # 总投资1.78万亿元的289个项目


# --- the value in English ---------------------------------------------------------------------


_PER_EN = {"人": "person", "户": "household", "亩": "mu", "吨": "tonne", "年": "year",
           "月": "month", "天": "day", "日": "day", "平方米": "square metre", "千瓦时": "kWh",
           "人次": "person-time", "床": "bed", "个": "unit"}  # fmt: skip


def unit_in_english(unit: str | None) -> str | None:
    """The English of a unit after its magnitude (亿元 -> yuan, 元/人 -> yuan per person);
    "" for a counted thing (个, 家: the description names it); None when there is none."""
    base = (unit or "").lstrip("万亿")
    if not base or base in _UNITS_SHOWN_AS_NUMBERS:
        return ""
    if base in ("%", "百分点"):
        return base
    if base in UNITS_EN:
        return UNITS_EN[base]
    amount, _, per = base.partition("/")
    if per and amount.lstrip("万亿") in UNITS_EN and per in _PER_EN:
        return f"{UNITS_EN[amount.lstrip('万亿')]} per {_PER_EN[per]}"
    return None


def untranslated_unit(target: Target) -> Flag | None:
    """A flag for a unit the display has to show in Chinese."""
    if unit_in_english(target.unit_zh) is not None:
        return None
    base = (target.unit_zh or "").lstrip("万亿")
    return Flag("unit_untranslated", f"the unit {base} has no English here; it is shown in Chinese")


def value_in_english(target: Target) -> str:
    """'> 70,000', '≥ 150 (each ≥ 100 million yuan)', 'up about 5%', 'down about 2%',
    '3 percentage points', '×2'; a unit with no English stays in Chinese."""

    def amount(value: float, unit: str | None) -> str:
        english = unit_in_english(unit)
        if english == "%":
            return f"{format_number(value)}%"
        if english == "百分点":
            return f"{format_number(value)} percentage points"
        if english is None:
            return f"{format_number(value)} {(unit or '').lstrip('万亿')}"
        return f"{format_number(value)} {english}".strip()

    if target.qualifier == "multiply":
        text = f"×{format_number(target.value)}"
    else:
        shown = amount(target.value, target.unit_zh)
        if target.upper is not None:
            shown = f"{amount(target.value, target.unit_zh)}–{amount(target.upper, target.unit_zh)}"
        text = QUALIFIER_SIGNS[target.qualifier] + shown
    if target.direction is not None and target.qualifier != "multiply":
        text = f"{target.direction} {text}"
    if target.threshold is not None:
        t = target.threshold
        text += f" (each {QUALIFIER_SIGNS[t.qualifier]}{amount(t.value, t.unit_zh)})"
    if target.aim:
        text += " (aim)"
    return text
