"""Summary: `Document` and its people -> targets and people, with English where a model
can give it.

The numbers always come from the parser (`briefing.targets`); the model only describes
(the clause, what is counted) and names organisations the tables cannot compose, and
those names are marked as machine-translated. What the model is given goes through the
same translation policy as the report's body (`briefing.translate.policy`): numbers
written out, terms and names protected, checks, retry. The flags it finds travel with
each target and person into the briefing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from briefing.model import CheckedSegment, Document, Flag, Person, Segment, Summary, Target
from briefing.options import DEFAULTS
from briefing.segment import segment_text
from briefing.targets import find_targets_and_measures
from briefing.translate import Translator, join_english
from briefing.translate.policy import ProgressCallback, translate_segments

if TYPE_CHECKING:
    from briefing.memory import MemoryUse

STAGE = "summary"


def summarize(
    document: Document,
    people: Sequence[Person],
    translator: Translator | None = None,
    terms: Mapping[str, str] | Mapping[str, Sequence[str]] | None = None,
    *,
    max_segment_tokens: int = DEFAULTS.max_segment_tokens,
    retry: bool = DEFAULTS.retry,
    on_progress: ProgressCallback | None = None,
    memory: MemoryUse | None = None,
) -> Summary:
    """The targets of `document` and its `people` (found once, by `briefing.people`);
    with a `translator`, their English descriptions (the translation memory consulted
    as for the body, when given)."""
    targets, measures = find_targets_and_measures(document, people)
    if translator is None:
        return Summary(targets, tuple(people), translated=False, measures=measures)

    orgs = sorted({p.org_zh for p in people if p.org_zh and p.org_en is None})
    units: list[tuple[str, str, str]] = []  # (unit id, as shown, Simplified copy)
    for t in (*targets, *measures):
        units.append((f"summary.{t.id}", t.zh, t.analysis or t.zh))
        if t.counted_zh:
            units.append((f"summary.{t.id}.counted", t.counted_zh, t.counted_zh))
    org_unit = {org: f"summary.org{k}" for k, org in enumerate(orgs, start=1)}
    units.extend((org_unit[org], org, org) for org in orgs)
    count = translator.count_tokens
    segments: list[Segment] = [
        segment
        for unit, zh, analysis in units
        for segment in segment_text(unit, zh, analysis, count, max_segment_tokens)
    ]
    checked = translate_segments(segments, translator, terms, retry=retry, stage=STAGE,
                                 on_progress=on_progress, memory=memory)  # fmt: skip
    english, flags = _by_unit(checked)

    def described(t: Target) -> Target:
        unit, counted = f"summary.{t.id}", f"summary.{t.id}.counted"
        return replace(
            t,
            en=english.get(unit),
            counted_en=english.get(counted),
            flags=t.flags + flags.get(unit, ()) + flags.get(counted, ()),
        )

    def named(p: Person) -> Person:
        unit = org_unit.get(p.org_zh or "")
        if unit is None or not english.get(unit):
            return p
        return replace(p, org_en=english[unit], machine_translated=("org_en",),
                       flags=flags.get(unit, ()))  # fmt: skip

    return Summary(
        tuple(described(t) for t in targets),
        tuple(named(p) for p in people),
        translated=True,
        segments=checked,
        measures=tuple(described(m) for m in measures),
    )


def _by_unit(
    checked: Sequence[CheckedSegment],
) -> tuple[dict[str, str], dict[str, tuple[Flag, ...]]]:
    pieces: dict[str, list[str]] = {}
    flags: dict[str, tuple[Flag, ...]] = {}
    for segment in checked:
        pieces.setdefault(segment.parent, []).append(segment.en)
        flags[segment.parent] = flags.get(segment.parent, ()) + segment.flags
    return {unit: join_english(parts) for unit, parts in pieces.items()}, flags
