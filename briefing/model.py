"""The typed, frozen data that flows between stages.

Ids are stable and shared by every later stage (the docx, the review store): the
untitled lead is section ``s0``, headed sections are ``s1``, ``s2``… in reading order,
and paragraphs are numbered from 1 within their section (``s3.p5``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SourceLine:
    """One line of a text file, or one paragraph of a .docx."""

    number: int  # 1-based source line (or docx paragraph) number
    text: str  # as in the source, surrounding whitespace removed
    analysis: str  # the Simplified-Chinese copy every decision is made on
    style: str | None = None  # docx paragraph style name (e.g. "Heading 1"), if any


@dataclass(frozen=True)
class SourceText:
    """A decoded input, before any structure is found in it."""

    path: str
    format: str  # "txt" or "docx"
    encoding: str | None  # the text encoding it was decoded from (None for .docx)
    script: str  # "simplified" or "traditional"
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
    kind: str = "text"
    heading_lines: tuple[int, ...] = ()  # every source line of the heading (some span two)


@dataclass(frozen=True)
class ReportSpeaker:
    """Who delivered a speech or report, from its speaker or date line (省长 李华明)."""

    name: str  # spacing removed: 王 文 清 -> 王文清
    post: str  # as written before or after the name: 某省人民政府省长, 代省长, 市长

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "post": self.post}


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
    dropped_reasons: tuple[str, ...] = ()

    def paragraphs(self) -> Iterator[Paragraph]:
        for section in self.sections:
            yield from section.paragraphs

    def to_json(self) -> dict[str, Any]:
        """The `briefing parse --json` shape."""
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "byline": self.byline,
            "date": self.date,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "source_name": self.source_name,
            "speaker": self.speaker.to_json() if self.speaker else None,
            "addressees": self.addressees,
            "sections": [
                {
                    "id": s.id,
                    "heading": s.heading,
                    "heading_line": s.heading_line,
                    "heading_lines": list(s.heading_lines),
                    "level": s.level,
                    "kind": s.kind,
                    "paragraphs": [
                        {
                            "id": p.id,
                            "zh": p.zh,
                            "lines": list(p.lines),
                            "run_in": [list(span) for span in p.run_in],
                        }
                        for p in s.paragraphs
                    ],
                }
                for s in self.sections
            ],
            "dropped": list(self.dropped),
            "dropped_lines": list(self.dropped_lines),
            "dropped_reasons": list(self.dropped_reasons),
        }


@dataclass(frozen=True)
class Segment:
    """A piece of text sent to the model on its own: a sentence, or part of one."""

    id: str  # the parent's id plus a number: "s3.p5.2", "title.1", "s2.h.1"
    parent: str  # "s3.p5", "title", "subtitle", or "s2.h" for a section's heading
    zh: str  # as the source shows it
    analysis: str  # the Simplified copy, which is what the model reads
    translatable: bool  # False for empty or punctuation-only text, never sent to the model


@dataclass(frozen=True)
class Flag:
    """Something a check found that may be wrong with a segment's English."""

    kind: str  # one of briefing.checks.KINDS: "number_mismatch", "omission"…
    detail: str  # what was found, in words a reader can act on

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "detail": self.detail}


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

    def to_json(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": self.id,
            "zh": self.zh,
            "en": self.en,
            "flags": [flag.to_json() for flag in self.flags],
        }
        if self.model_input is not None:
            payload["model_input"] = self.model_input
        if self.retried:
            payload["retried"] = True
        return payload


@dataclass(frozen=True)
class EngineInfo:
    """What produced the English: enough to reproduce it."""

    model_id: str
    model_revision: str | None
    engine: str  # "transformers"
    compute_type: str  # "float32"
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
class Briefing:
    """A parsed report with its English, ready to render."""

    document: Document
    english: Mapping[str, str]  # unit id -> English: "title", "subtitle", "s2.h", "s3.p5"
    source: SourceInfo
    engine: EngineInfo
    tool_version: str
    max_segment_tokens: int
    generated: str  # ISO 8601 UTC timestamp
    summary: Any = None  # briefing.summary.Summary: targets and people, when extracted
    segments: tuple[CheckedSegment, ...] = ()  # in document order, with their flags
    checks_version: str | None = None  # None when no checks were run
    glossary: str | None = None  # digest of the enforced glossary, None when none was used
    retry: bool = False  # whether flagged segments were retried

    def flags_of(self, unit_id: str) -> list[tuple[str, Flag]]:
        """(segment id, flag) for every flag of a unit's segments."""
        return [(s.id, f) for s in self.segments if s.parent == unit_id for f in s.flags]

    @property
    def flags(self) -> list[Flag]:
        return [flag for segment in self.segments for flag in segment.flags]

    @property
    def signature(self) -> str:
        """One string that says how this briefing was made (like sacrebleu's signatures)."""
        e = self.engine
        return "|".join(
            [
                f"briefing:{self.tool_version}",
                f"model:{e.model_id}@{e.model_revision or 'unknown'}",
                f"engine:{e.engine}-{e.compute_type}",
                f"beam:{e.beam_size}",
                f"segtok:{self.max_segment_tokens}",
                f"checks:{self.checks_version or 'none'}",
                f"glossary:{self.glossary or 'none'}",
                f"retry:{'on' if self.retry else 'off'}",
            ]
        )
