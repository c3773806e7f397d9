"""Presenting results: every JSON shape and plain-text listing, and the test-model marking.

The CLI, the `--report` file and (later) the review app and batch manifests all present
the same data the same way, so each shape is built here once. English made by the
project's random-weight test model is never shown without `TEST_MODEL_MARKER`.
Imports only the data model (no engines, no python-docx).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from briefing.model import (
    Briefing,
    CheckedSegment,
    DismissedFlag,
    Document,
    EngineInfo,
    Flag,
    Person,
    Summary,
    Target,
    count_by_kind,
)

if TYPE_CHECKING:
    from briefing.ingest.pairs import Pair
    from briefing.memory import Change, Entry, Stats
    from briefing.translate.resolve import ResolvedModel

TEST_MODEL_MARKER = "TEST MODEL – NOT A TRANSLATION"


def labelled(english: str, test_model: bool) -> str:
    """What a reader is shown: a test model's output is labelled as not a translation."""
    return f"[{TEST_MODEL_MARKER}] {english}" if test_model and english else english


def shown_segment(segment: CheckedSegment, test_model: bool) -> str:
    """A segment's English as shown: labelled when a test model made it, directly or
    through the memory; a reviewer's English (origin "human") is theirs, not the model's."""
    return labelled(segment.en, test_model and segment.origin != "human")


# --- review state ------------------------------------------------------------------------

# A paragraph's status, from its sentences': every one approved, every one a reviewer's
# (edited or approved), some of them, or none.
UNIT_STATUSES = ("machine", "part edited", "edited", "approved")


def unit_status(segments: Sequence[CheckedSegment]) -> str:
    """'machine', 'part edited', 'edited' or 'approved' ('' for punctuation only)."""
    statuses = [s.status for s in segments if s.origin != "copy"]
    if not statuses:
        return ""
    if all(status == "approved" for status in statuses):
        return "approved"
    human = [status != "machine" for status in statuses]
    if all(human):
        return "edited"
    return "part edited" if any(human) else "machine"


def unit_segments(briefing: Briefing, unit_id: str) -> list[CheckedSegment]:
    return [s for s in briefing.segments if s.parent == unit_id]


def reviewed(segments: Sequence[CheckedSegment]) -> bool:
    """True when a reviewer gave all of a unit's English (punctuation aside)."""
    return any(s.origin == "human" for s in segments) and all(
        s.origin in ("human", "copy") for s in segments
    )


def unit_english(briefing: Briefing, unit_id: str) -> str:
    """A unit's English as shown: labelled when a test model made any of it."""
    english = briefing.english.get(unit_id, "")
    machine = not reviewed(unit_segments(briefing, unit_id))
    return labelled(english, briefing.engine.test_model and machine)


def review_counts(briefing: Briefing) -> dict[str, int]:
    """How many of the report's paragraphs have each status, and how many sentences the
    memory gave ('from memory': machine English reused, not made again)."""
    by_unit: dict[str, list[CheckedSegment]] = {}
    for segment in briefing.segments:
        by_unit.setdefault(segment.parent, []).append(segment)
    counts = dict.fromkeys(UNIT_STATUSES, 0)
    for paragraph in briefing.document.paragraphs():
        status = unit_status(by_unit.get(paragraph.id, []))
        if status:
            counts[status] += 1
    counts["from memory"] = sum(1 for s in briefing.segments if s.origin == "memory")
    return counts


def _labelled_or_none(english: str | None, test_model: bool) -> str | None:
    return None if english is None else labelled(english, test_model)


def number(value: float) -> int | float:
    """7.0 -> 7 in JSON; 4.6 stays 4.6."""
    return int(value) if value == int(value) else value


# --- flags -----------------------------------------------------------------------------


def flag_json(flag: Flag) -> dict[str, str]:
    """{"kind", "detail"}, and "clause" (the Chinese clause) where the flag is about one."""
    shown = {"kind": flag.kind, "detail": flag.detail}
    if flag.clause is not None:
        shown["clause"] = flag.clause
    return shown


def qa_json(results: Sequence[tuple[Pair, Sequence[Flag]]]) -> list[dict[str, Any]]:
    """`briefing qa --json`: one {"id", "flags": [{"kind", "detail", "clause"?}]} per pair."""
    return [{"id": pair.id, "flags": [flag_json(f) for f in flags]} for pair, flags in results]


def qa_text(results: Sequence[tuple[Pair, Sequence[Flag]]]) -> list[str]:
    """`briefing qa`: each flag as "id<TAB>kind<TAB>detail", then the totals."""
    lines = [f"{pair.id}\t{flag.kind}\t{flag.detail}" for pair, flags in results for flag in flags]
    flagged = sum(1 for _, flags in results if flags)
    counts = count_by_kind(flag for _, flags in results for flag in flags)
    kinds = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    lines.append(f"{len(results)} pairs, {flagged} flagged" + (f": {kinds}" if kinds else ""))
    return lines


def flag_summary(flags: Sequence[Flag], segments: int) -> str:
    """'3 flags in 66 segments: number_mismatch 2, omission 1' (or 'no flags in 66 segments')."""
    counts = count_by_kind(flags)
    if not counts:
        return f"no flags in {segments} segments"
    kinds = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    return f"{len(flags)} flag{'s' if len(flags) != 1 else ''} in {segments} segments: {kinds}"


def checks_line(briefing: Briefing) -> str:
    """What `generate` says of the checks: the report's segments, then the summary's."""
    body = [flag for segment in briefing.segments for flag in segment.flags]
    line = flag_summary(body, len(briefing.segments))
    summary = briefing.summary
    if summary is not None and summary.segments:
        line += f"; summary: {flag_summary(summary.flags, len(summary.segments))}"
    return line


def checks_row(briefing: Briefing) -> str:
    """The About block's "Checks" row: what was checked and where the flags are."""
    b = briefing
    if b.checks_version is None:
        return "not run"
    flags = b.flags
    summary = b.summary.segments if b.summary is not None else ()
    dismissed = sum(len(s.dismissed) for s in b.segments)
    judged = f" {dismissed} dismissed by a reviewer as false alarms." if dismissed else ""
    if not flags:
        segments = len(b.segments) + len(summary)
        return (f"version {b.checks_version}: no flags in {segments} segments (numbers, "
                "omissions, loops, untranslated and empty English)." + judged)  # fmt: skip
    units = len({s.parent for s in b.segments if s.flags})
    kinds = ", ".join(f"{kind} {n}" for kind, n in count_by_kind(flags).items())
    where = f"in {units} of {len({s.parent for s in b.segments})} paragraphs and headings"
    if summary:
        described = len({s.parent for s in summary if s.flags})
        where += f", {described} of {len({s.parent for s in summary})} summary descriptions"
    return (
        f"version {b.checks_version}: {len(flags)} flag{'s' if len(flags) > 1 else ''} "
        f"({kinds}) {where}. Flagged English is shaded and carries a comment saying why."
        + judged
    )


# --- parse -----------------------------------------------------------------------------


def document_json(document: Document) -> dict[str, Any]:
    """The `briefing parse --json` shape."""
    speaker = document.speaker
    return {
        "title": document.title,
        "subtitle": document.subtitle,
        "byline": document.byline,
        "date": document.date,
        "doc_number": document.doc_number,
        "issuer": document.issuer,
        "source_name": document.source_name,
        "speaker": {"name": speaker.name, "post": speaker.post} if speaker else None,
        "addressees": document.addressees,
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
                        **({"kind": p.kind} if p.kind != "text" else {}),
                    }
                    for p in s.paragraphs
                ],
            }
            for s in document.sections
        ],
        "dropped": list(document.dropped),
        "dropped_lines": list(document.dropped_lines),
        "dropped_reasons": list(document.dropped_reasons),
    }


def outline(document: Document) -> str:
    """A readable outline of a parse: front matter, sections, paragraphs, dropped lines."""
    out: list[str] = []
    source = document.source
    out.append(f"{source.path}  ({source.format}, {source.encoding or source.format}, "
               f"{source.script})")  # fmt: skip
    speaker = f"{document.speaker.post} {document.speaker.name}" if document.speaker else None
    for label, value in (
        ("title", document.title),
        ("subtitle", document.subtitle),
        ("byline", document.byline),
        ("date", document.date),
        ("source", document.source_name),
        ("speaker", speaker),
        ("issuer", document.issuer),
        ("doc no.", document.doc_number),
        ("to", document.addressees),
    ):
        if value is None and label not in ("title", "subtitle", "byline", "date"):
            continue  # the front matter of notices and speeches, where a report has it
        out.append(f"{label + ':':<10}{value if value is not None else '-'}")
    for section in document.sections:
        indent = "  " * max(section.level - 1, 0)
        heading = section.heading if section.heading is not None else "(lead, no heading)"
        where = f"  [line {section.heading_line}]" if section.heading_line else ""
        if section.kind != "text":
            where += f"  ({section.kind})"
        out.append("")
        out.append(f"{indent}{section.id}  {heading}{where}")
        for paragraph in section.paragraphs:
            lines = "+".join(str(n) for n in paragraph.lines)
            preview = paragraph.zh if len(paragraph.zh) <= 30 else paragraph.zh[:30] + "…"
            kind = f"({paragraph.kind}) " if paragraph.kind != "text" else ""
            out.append(f"{indent}  {paragraph.id:<8} [{lines}] {kind}{preview}")
    out.append("")
    out.append(f"dropped ({len(document.dropped)} lines):")
    reasons = document.dropped_reasons or ("",) * len(document.dropped)
    numbers = document.dropped_lines or (0,) * len(document.dropped)
    for text, reason, number in zip(document.dropped, reasons, numbers, strict=False):
        where = f"[{number}] " if number else ""
        why = f"  ({reason})" if reason and reason != "furniture" else ""
        out.append(f"  {where}{text}{why}")
    return "\n".join(out)


# --- segments --------------------------------------------------------------------------


def segment_json(segment: CheckedSegment, test_model: bool) -> dict[str, Any]:
    """{"id", "zh", "en", "flags"}, plus "model_input" where the model read something
    else, "retried" where a retry won, "unprotected" where the glossary's placeholders
    broke and it was translated without them, "origin" where the English is not the
    model's ("memory", "human", "copy") and "status" where it is a reviewer's."""
    payload: dict[str, Any] = {
        "id": segment.id,
        "zh": segment.zh,
        "en": shown_segment(segment, test_model),
        "flags": [flag_json(flag) for flag in segment.flags],
    }
    if segment.model_input is not None:
        payload["model_input"] = segment.model_input
    if segment.retried:
        payload["retried"] = True
    if segment.unprotected:
        payload["unprotected"] = True
    if segment.origin != "mt":
        payload["origin"] = segment.origin
    if segment.status != "machine":
        payload["status"] = segment.status
    if segment.dismissed:
        payload["dismissed"] = [dismissed_json(d) for d in segment.dismissed]
    return payload


def dismissed_json(dismissed: DismissedFlag) -> dict[str, str]:
    """A flag a reviewer dismissed: the flag, and their reason, name and time."""
    return {**flag_json(dismissed.flag), "reason": dismissed.reason, "who": dismissed.who,
            "at": dismissed.at}  # fmt: skip


def segments_text(segments: Iterable[CheckedSegment], test_model: bool) -> list[str]:
    """`briefing translate`'s listing: id and Chinese, the English, then each flag."""
    lines: list[str] = []
    for s in segments:
        marker = f"  [{s.status}]" if s.status != "machine" else ""
        lines.append(f"{s.id}\t{s.zh}{marker}\n\t{shown_segment(s, test_model)}")
        lines.extend(f"\t! {flag.kind}: {flag.detail}" for flag in s.flags)
    return lines


def model_json(model: ResolvedModel) -> dict[str, Any]:
    return {
        "id": model.id,
        "path": str(model.path),
        "origin": model.origin,
        "revision": model.revision,
        "weights": model.weights,
        "test_model": model.test_model,
    }


def translate_json(
    segments: Sequence[CheckedSegment],
    engine: EngineInfo,
    model: ResolvedModel | None,
    max_segment_tokens: int,
) -> dict[str, Any]:
    """The `briefing translate --json` shape."""
    payload: dict[str, Any] = {
        "model": model_json(model) if model is not None else {"id": engine.model_id},
        "engine": engine.engine,
        "beam_size": engine.beam_size,
        "max_segment_tokens": max_segment_tokens,
        "segments": [segment_json(s, engine.test_model) for s in segments],
    }
    if engine.test_model:
        payload["notice"] = TEST_MODEL_MARKER
    return payload


# --- targets and people ----------------------------------------------------------------


def target_json(target: Target, test_model: bool = False) -> dict[str, Any]:
    return {
        "id": target.id,
        "kind": target.kind,
        "section": target.section,
        "paragraph": target.paragraph,
        "zh": target.zh,
        "en": _labelled_or_none(target.en, test_model),
        "value": number(target.value),
        "upper": None if target.upper is None else number(target.upper),
        "qualifier": target.qualifier,
        "direction": target.direction,
        "aim": target.aim,
        "unit_zh": target.unit_zh,
        "counted_zh": target.counted_zh,
        "counted_en": _labelled_or_none(target.counted_en, test_model),
        "threshold": None
        if target.threshold is None
        else {
            "value": number(target.threshold.value),
            "qualifier": target.threshold.qualifier,
            "unit_zh": target.threshold.unit_zh,
        },
        "period": target.period,
        "period_zh": target.period_zh,
        "period_en": target.period_en,
        "owner": target.owner,
        "owner_en": target.owner_en,
        "display": target.display,
        "flags": [flag_json(flag) for flag in target.flags],
    }


def person_json(person: Person, test_model: bool = False) -> dict[str, Any]:
    org_en = person.org_en
    if "org_en" in person.machine_translated:
        org_en = _labelled_or_none(org_en, test_model)
    return {
        "role": person.role,
        "name_zh": person.name_zh,
        "name_en": person.name_en,
        "post_zh": person.post_zh,
        "post_en": person.post_en,
        "org_zh": person.org_zh,
        "org_en": org_en,
        "paragraphs": list(person.paragraphs),
        "machine_translated": list(person.machine_translated),
        "flags": [flag_json(flag) for flag in person.flags],
    }


def targets_json(summary: Summary, test_model: bool) -> dict[str, Any]:
    """The `briefing targets --json` shape."""
    payload: dict[str, Any] = {
        "targets": [target_json(t, test_model) for t in summary.targets],
        "measures": [target_json(m, test_model) for m in summary.measures],
        "people": [person_json(p, test_model) for p in summary.people],
    }
    if test_model and summary.translated:
        payload["notice"] = TEST_MODEL_MARKER
    return payload


def targets_text(summary: Summary, test_model: bool) -> list[str]:
    """`briefing targets`'s readable list."""
    out: list[str] = []
    for label, items in (("targets", summary.targets), ("measures", summary.measures)):
        if label == "measures" and not items:
            continue
        out.append(f"{label} ({len(items)}):")
        for t in items:
            who = t.owner or "-"
            out.append(f"  {t.paragraph:<7} {t.display:<32} {t.period_en or '-':<14} {who}")
            out.append(f"          {t.zh}")
            if t.en:
                out.append(f"          {labelled(t.en, test_model)}")
            out.extend(f"          ! {flag.kind}: {flag.detail}" for flag in t.flags)
    out.append(f"people ({len(summary.people)}):")
    for p in summary.people:
        org = p.org_en or p.org_zh or ""
        if p.org_en and "org_en" in p.machine_translated:
            org = labelled(p.org_en, test_model)
        out.append(
            f"  {p.role:<10} {p.name_en or '(unnamed)'} {p.name_zh or ''}  "
            f"{p.post_en or p.post_zh or ''}, {org}  [{', '.join(p.paragraphs)}]"
        )
    return out


# --- the briefing's report -------------------------------------------------------------


def report_json(briefing: Briefing) -> dict[str, Any]:
    """The `generate --report` file: every segment with its English and flags."""
    test_model = briefing.engine.test_model
    summary = briefing.summary.segments if briefing.summary is not None else ()
    payload: dict[str, Any] = {
        "file": briefing.source.file,
        "signature": briefing.signature,
        "flags": count_by_kind(briefing.flags),
        "segments": [segment_json(s, test_model) for s in briefing.segments],
        "summary_segments": [segment_json(s, test_model) for s in summary],
    }
    if briefing.memory:
        payload["review"] = review_counts(briefing)
        payload["review_id"] = briefing.review_id
    if test_model:
        payload["notice"] = TEST_MODEL_MARKER
    return payload


# --- the translation memory -------------------------------------------------------------


def memory_stats_json(stats: Stats) -> dict[str, Any]:
    """The `briefing memory stats --json` shape."""
    return {
        "path": str(stats.path),
        "schema": stats.schema,
        "entries": dict(stats.entries),
        "paragraph_entries": stats.paragraph_entries,
        "changes": stats.changes,
        "briefings": stats.briefings,
        "reviewers": list(stats.reviewers),
        "dismissed_flags": stats.dismissals,
        "comments": stats.comments,
        "terms": stats.terms,
    }


def memory_stats_text(stats: Stats) -> list[str]:
    total = sum(stats.entries.values())
    kinds = ", ".join(f"{status} {n}" for status, n in stats.entries.items())
    whole = f"; {stats.paragraph_entries} for a whole paragraph" if stats.paragraph_entries else ""
    return [
        f"{'memory:':<11}{stats.path} (schema {stats.schema})",
        f"{'sentences:':<11}{total} ({kinds}){whole}",
        f"{'changes:':<11}{stats.changes} in the history",
        f"{'briefings:':<11}{stats.briefings} recorded for import-review",
        f"{'reviewers:':<11}{', '.join(stats.reviewers) or 'none yet'}",
        f"{'review:':<11}{stats.dismissals} flags dismissed, {stats.comments} comments, "
        f"{stats.terms} terms added",
    ]


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "at": change.at,
        "who": change.who,
        "action": change.action,
        "status": change.status,
        "en": change.en,
        "signature": change.signature,
        "note": change.note,
    }


def history_json(entry: Entry, changes: Sequence[Change]) -> dict[str, Any]:
    """One sentence in `briefing memory history --json`."""
    return {
        "key": entry.key,
        "level": entry.level,
        "zh": entry.zh,
        "en": entry.en,
        "status": entry.status,
        "who": entry.who,
        "at": entry.at,
        "machine_en": entry.machine_en,
        "signature": entry.signature,
        "history": [_change_json(c) for c in changes],
    }


def history_text(entry: Entry, changes: Sequence[Change]) -> list[str]:
    """A sentence, its English now, and every change, oldest first. A test model's
    machine English is labelled."""
    test = entry.test_model
    level = " (stored for the whole paragraph)" if entry.level == "paragraph" else ""
    out = [
        f"{entry.key}{level}",
        f"  {entry.zh}",
        f"  {labelled(entry.en, test)}",
        f"  {entry.status}, {entry.who}, {entry.at}",
        f"history ({len(changes)} change{'s' if len(changes) != 1 else ''}):",
    ]
    for c in changes:
        machine = c.status == "machine" and (c.signature or "").endswith("|test-model")
        note = f"  [{c.note}]" if c.note else ""
        out.append(f"  {c.at}  {c.action:<12} {c.status:<8} {c.who}{note}")
        out.append(f"      {labelled(c.en, machine)}")
    return out
