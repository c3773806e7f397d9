"""The typed, frozen data that flows between stages.

Ids are stable and shared by every later stage (the docx, the review store): the
untitled lead is section ``s0``, headed sections are ``s1``, ``s2``… in reading order,
and paragraphs are numbered from 1 within their section (``s3.p5``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

# --- closed sets -----------------------------------------------------------------------

SourceFormat = Literal["txt", "docx", "html", "pdf"]
Script = Literal["simplified", "traditional"]
FlagKind = Literal[
    "empty", "untranslated", "number_mismatch", "omission", "repetition", "term_missing",
    "unit_untranslated", "cut",
]
FLAG_KINDS: tuple[FlagKind, ...] = get_args(FlagKind)
# Where a segment's English came from: the model, the translation memory, a reviewer, or
# the source itself (punctuation-only text, never sent to a model).
Origin = Literal["mt", "memory", "human", "copy"]
# A sentence's review state in the translation memory: the model's English, a reviewer's
# correction, or English a reviewer approved.
ReviewStatus = Literal["machine", "edited", "approved"]
Qualifier = Literal[
    "at_least", "more_than", "about", "at_most", "less_than", "exactly", "maintain", "multiply"
]
Direction = Literal["up", "down"]  # a rise or fall *by* the number; None: a level or count
TargetKind = Literal["target", "measure"]  # a commitment, or a policy parameter
# of a report: last year's results, this year's plan, a glossary of names, anything else
Part = Literal["review", "plan", "glossary", "other"]
# official: quoted; speaker: delivers the report; reporter: from the byline; mentioned: named
Role = Literal["official", "speaker", "reporter", "mentioned"]
SectionKind = Literal["text", "box", "annex", "document"]  # see `briefing.structure`
DropReason = Literal["furniture", "database header", "duplicate title", "salutation",
                     "opening formula"]  # fmt: skip
MachineTranslatedField = Literal["org_en"]  # a person's field a model filled in
# A body paragraph, or a photo's caption (from a web page's <figcaption> or the short line
# under an image): kept where it stands, translated, but not a paragraph of the text.
ParagraphKind = Literal["text", "caption"]


@dataclass(frozen=True)
class SourceLine:
    """One line of a text file, one paragraph of a .docx, one block of a web page or one
    paragraph's part on a page of a PDF (see `briefing.ingest`)."""

    number: int  # 1-based source line (or docx paragraph, page block, PDF block) number
    text: str  # as in the source, surrounding whitespace removed
    analysis: str  # the Simplified-Chinese copy every decision is made on
    # A paragraph style name, if the source gives one: the .docx's own ("Title",
    # "Heading 1"), or what a reader saw ("Heading 2" for an <h3>, "Caption", "Header"
    # and "Footer" for a PDF's running lines).
    style: str | None = None


@dataclass(frozen=True)
class SourceText:
    """A decoded input, before any structure is found in it."""

    path: str
    format: SourceFormat
    encoding: str | None  # the text encoding it was decoded from (None for .docx and .pdf)
    script: Script
    lines: tuple[SourceLine, ...]


@dataclass(frozen=True)
class Paragraph:
    id: str
    zh: str  # the paragraph as the source shows it
    lines: tuple[int, ...]  # the source lines it was built from
    analysis: str  # its Simplified copy (equal to zh for Simplified input)
    # Run-in subheads (一是…。, ——…。, a short heading-like first sentence) as [start, end)
    # character spans of `zh`: they stay in the paragraph, and a renderer may set them bold.
    run_in: tuple[tuple[int, int], ...] = ()
    kind: ParagraphKind = "text"

    @property
    def joined(self) -> bool:
        """True when a page break had cut this paragraph and it was re-joined."""
        return len(self.lines) > 1


@dataclass(frozen=True)
class Section:
    id: str
    heading: str | None  # None only for the untitled lead (s0)
    heading_line: int | None
    level: int  # 0 for the lead, 1 for top-level headings, 2 below them…
    paragraphs: tuple[Paragraph, ...]
    # "text" (an ordinary heading), "box" (专栏N), "annex" (附件, 名词解释, …名单) or
    # "document" (the title of a document a notice issues, 印发《…》)
    kind: SectionKind = "text"
    heading_lines: tuple[int, ...] = ()  # every source line of the heading (some span two)


@dataclass(frozen=True)
class ReportSpeaker:
    """Who delivered a speech or report, from its speaker or date line (省长 李华明)."""

    name: str  # spacing removed: 王 文 清 -> 王文清
    post: str  # as written before or after the name: 某省人民政府省长, 代省长, 市长


@dataclass(frozen=True)
class Document:
    """A parsed report: front matter, sections, and the page furniture dropped."""

    source: SourceText
    title: str | None
    subtitle: str | None
    byline: str | None
    date: str | None  # ISO 8601 (YYYY-MM-DD) when the report states one
    sections: tuple[Section, ...]
    dropped: tuple[str, ...]  # one entry per dropped source line, in source order
    doc_number: str | None = None  # 发文字号: 包府办发〔2022〕43号
    issuer: str | None = None  # 发布部门, the signature, or the title's 某某办公室关于…
    source_name: str | None = None  # the 来源 line: where the text was taken from
    speaker: ReportSpeaker | None = None  # the speech's speaker: the report's owner
    addressees: str | None = None  # 主送机关 of a notice: 各市人民政府，省政府各部门
    dropped_lines: tuple[int, ...] = ()  # the source line of each `dropped` entry
    # Why each was dropped: "furniture", "database header", "duplicate title",
    # "salutation" or "opening formula".
    dropped_reasons: tuple[DropReason, ...] = ()

    def paragraphs(self) -> Iterator[Paragraph]:
        for section in self.sections:
            yield from section.paragraphs


@dataclass(frozen=True)
class Segment:
    """A piece of text sent to the model on its own: a sentence, or part of one."""

    id: str  # the parent's id plus a number: "s3.p5.2", "title.1", "s2.h.1"
    parent: str  # "s3.p5", "title", "subtitle", or "s2.h" for a section's heading
    zh: str  # as the source shows it
    analysis: str  # the Simplified copy, which is what the model reads
    translatable: bool  # False for empty or punctuation-only text, never sent to the model
    cut: bool = False  # holds part of a number or word too long for the model, cut to fit


@dataclass(frozen=True)
class Flag:
    """Something a check found that may be wrong with a segment's English."""

    kind: FlagKind
    detail: str  # what was found, in words a reader can act on
    clause: str | None = None  # the Chinese clause it is about; None: the whole segment


def count_by_kind(flags: Iterable[Flag]) -> dict[FlagKind, int]:
    """{kind: count} in the order of FLAG_KINDS, kinds with no flag left out."""
    counts: dict[FlagKind, int] = {kind: 0 for kind in FLAG_KINDS}
    for flag in flags:
        counts[flag.kind] += 1
    return {kind: n for kind, n in counts.items() if n}


@dataclass(frozen=True)
class DismissedFlag:
    """A flag a reviewer judged a false alarm for this English: no longer shown as a flag
    (not shaded, not counted), kept with the reason, who and when."""

    flag: Flag
    reason: str
    who: str
    at: str  # ISO 8601, UTC
    id: int = 0  # the memory's number of the dismissal


@dataclass(frozen=True)
class ReviewComment:
    """A reviewer's comment on a paragraph (exported as a Word comment)."""

    id: int
    text: str
    who: str
    at: str  # ISO 8601, UTC


@dataclass(frozen=True)
class CheckedSegment:
    """A segment with its English and what the checks found in it."""

    id: str
    parent: str
    zh: str
    en: str
    flags: tuple[Flag, ...]
    model_input: str | None = None  # what the model read, where it differs from zh
    retried: bool = False  # translated a second time, with safer decoding, and that won
    origin: Origin = "mt"
    unprotected: bool = False  # its placeholders broke: translated without the protection
    status: ReviewStatus = "machine"  # "edited" or "approved": a reviewer's English
    memory_key: str | None = None  # the translation memory's key of its sentence, if consulted
    dismissed: tuple[DismissedFlag, ...] = ()  # flags a reviewer dismissed as false alarms


# --- the summary: targets and people --------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """A condition on what a target counts: 亿元以上…项目 (each at least 100 million yuan)."""

    value: float
    qualifier: Qualifier
    unit_zh: str


@dataclass(frozen=True)
class Target:
    """A quantitative commitment the report states, or (kind "measure") a policy
    parameter such as a subsidy rate (see `briefing.targets`)."""

    id: str  # "t1", "t2"… (measures "m1"…) in document order
    paragraph: str  # id, e.g. "s3.p5"
    zh: str  # the clause that states it
    value: float
    upper: float | None
    qualifier: Qualifier
    aim: bool  # 力争 / 争取: an aim rather than a commitment
    unit_zh: str | None
    counted_zh: str | None
    threshold: Threshold | None
    period_zh: str | None  # the words that give the period, if any
    period_en: str | None  # the period shown: "this year (2025)", "by 2027", "every year"
    owner: str | None  # who commits: the official quoted, the report's speaker or issuer
    owner_en: str | None  # the same in English (pinyin for a name)
    display: str  # the value in English, from the parser: "≥ 150 (each ≥ 100 million yuan)"
    start: int  # offset of the number in the paragraph, for ordering and matching
    analysis: str = ""  # the clause's Simplified copy, which is what gets translated
    end: int = 0  # offset just after the number expression
    kind: TargetKind = "target"
    direction: Direction | None = None
    period: str | None = None  # normalised: "2025", "by 2027", "2025-2027", "every year"…
    section: str = ""  # the section the paragraph is in
    en: str | None = None  # the clause machine-translated (a description, never the number)
    counted_en: str | None = None
    flags: tuple[Flag, ...] = ()  # what the checks found in `en` and `counted_en`


@dataclass(frozen=True)
class Speech:
    """Where a quoted official's words start: just after 表示 (or 指出…) in a paragraph."""

    paragraph: str
    start: int


@dataclass(frozen=True)
class Person:
    role: Role
    name_zh: str | None
    name_en: str | None
    post_zh: str | None
    post_en: str | None
    org_zh: str | None
    org_en: str | None
    paragraphs: tuple[str, ...]
    machine_translated: tuple[MachineTranslatedField, ...] = ()  # fields filled by MT
    speeches: tuple[Speech, ...] = ()  # an official's quoted words, in reading order
    flags: tuple[Flag, ...] = ()  # what the checks found in machine-translated fields


@dataclass(frozen=True)
class Summary:
    """The executive summary: targets and people, with English where a model gave it."""

    targets: tuple[Target, ...]
    people: tuple[Person, ...]
    translated: bool  # whether a model gave the English descriptions
    segments: tuple[CheckedSegment, ...] = ()  # what was translated for it, with its flags
    measures: tuple[Target, ...] = ()  # policy parameters (subsidies, rates), not targets

    @property
    def flags(self) -> list[Flag]:
        """What the checks found in the summary's English, and the units the values
        show in Chinese (found by the parser, not in any segment)."""
        checked = [flag for segment in self.segments for flag in segment.flags]
        units = [f for t in (*self.targets, *self.measures) for f in t.flags
                 if f.kind == "unit_untranslated"]  # fmt: skip
        return checked + units


@dataclass(frozen=True)
class EngineInfo:
    """What produced the English: enough to reproduce it."""

    model_id: str
    model_revision: str | None
    engine: str  # "transformers", "ctranslate2" (a test double names itself)
    compute_type: str  # "float32", "int8"…
    device: str  # "cpu" or "cuda"
    beam_size: int
    test_model: bool


@dataclass(frozen=True)
class SourceInfo:
    """Where the report came from, as given on the command line or found in it."""

    file: str
    name: str | None = None
    date: str | None = None  # ISO 8601
    url: str | None = None


@dataclass(frozen=True)
class Fonts:
    """The briefing's fonts: Chinese text (Word's East Asian font) and English text."""

    cjk: str = "SimSun"
    latin: str = "Calibri"


@dataclass(frozen=True)
class ProgressEvent:
    """Work done so far in one stage of a run ("translate", "retry", "summary")."""

    stage: str
    done: int
    total: int
    unit: str = "segments"


@dataclass(frozen=True)
class Briefing:
    """A parsed report with its English, ready to render."""

    document: Document
    english: Mapping[str, str]  # unit id -> English: "title", "subtitle", "s2.h", "s3.p5"
    source: SourceInfo
    engine: EngineInfo
    tool_version: str
    max_segment_tokens: int
    generated: str  # ISO 8601 UTC timestamp
    summary: Summary | None = None  # targets and people, when extracted
    segments: tuple[CheckedSegment, ...] = ()  # in document order, with their flags
    checks_version: str | None = None  # None when no checks were run
    glossary: str | None = None  # digest of the enforced glossary, None when none was used
    retry: bool = False  # whether flagged segments were retried
    byline_en: str | None = None  # the byline with names in pinyin, when it can be composed
    memory: bool = False  # whether a translation memory was consulted
    review_id: str | None = None  # the memory's record of this briefing, for import-review
    # reviewers' comments on paragraphs (unit id -> comments, oldest first)
    comments: Mapping[str, tuple[ReviewComment, ...]] = field(default_factory=dict)

    def flags_of(self, unit_id: str) -> list[tuple[str, Flag]]:
        """(segment id, flag) for every flag of a unit's segments."""
        return [(s.id, f) for s in self.segments if s.parent == unit_id for f in s.flags]

    @property
    def flags(self) -> list[Flag]:
        """Every flag: the report's segments, then the summary's."""
        body = [flag for segment in self.segments for flag in segment.flags]
        return body + (self.summary.flags if self.summary is not None else [])

    @property
    def signature(self) -> str:
        """One string that says how this briefing was made (like sacrebleu's signatures)."""
        made = run_signature(self.engine, self.tool_version, self.max_segment_tokens,
                             self.checks_version, self.glossary, self.retry)  # fmt: skip
        return made + ("|memory:on" if self.memory else "")


def run_signature(
    engine: EngineInfo,
    tool_version: str,
    max_segment_tokens: int,
    checks_version: str | None,
    glossary: str | None,
    retry: bool,
) -> str:
    """What makes a run's English what it is: tool, model, engine, decoding, segment
    budget, checks, glossary and retry."""
    e = engine
    return "|".join(
        [
            f"briefing:{tool_version}",
            f"model:{e.model_id}@{e.model_revision or 'unknown'}",
            f"engine:{e.engine}-{e.compute_type}",
            f"beam:{e.beam_size}",
            f"segtok:{max_segment_tokens}",
            f"checks:{checks_version or 'none'}",
            f"glossary:{glossary or 'none'}",
            f"retry:{'on' if retry else 'off'}",
        ]
    )
