"""Summary: `Document` -> its targets and people, with English where a model can give it.

The numbers always come from the parser (`briefing.targets`); the model only describes
(the clause, what is counted) and names organisations the tables cannot compose, and
those names are marked as machine-translated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from briefing.model import Document
from briefing.people import Person, find_people, find_speakers
from briefing.targets import Target, find_targets
from briefing.translate import Translator

QUALIFIER_SIGNS = {"at_least": "≥ ", "more_than": "> ", "about": "about ", "at_most": "≤ ",
                   "less_than": "< ", "exactly": ""}  # fmt: skip
UNITS_EN = {"元": "yuan", "美元": "US dollars", "吨": "tonnes", "斤": "jin", "公斤": "kg",
            "亩": "mu", "公里": "km", "千米": "km", "米": "m", "平方米": "square metres",
            "平方公里": "square km", "公顷": "hectares", "千瓦": "kW", "千瓦时": "kWh",
            "标箱": "TEU"}  # fmt: skip


@dataclass(frozen=True)
class Summary:
    targets: tuple[Target, ...]
    people: tuple[Person, ...]
    translated: bool  # whether a model gave the English descriptions


def summarize(document: Document, translator: Translator | None = None) -> Summary:
    speakers = find_speakers(document)
    by_paragraph: dict[str, list[tuple[int, str | None]]] = {}
    for speaker in speakers:
        by_paragraph.setdefault(speaker.paragraph, []).append((speaker.end, speaker.name_zh))
    targets = find_targets(document, by_paragraph)
    people = find_people(document, speakers)
    if translator is None:
        return Summary(tuple(targets), tuple(people), translated=False)

    orgs = sorted({p.org_zh for p in people if p.org_zh and p.org_en is None})
    texts = [t.analysis for t in targets] + [t.counted_zh or "" for t in targets] + orgs
    wanted = [i for i, text in enumerate(texts) if text]
    english = dict(zip(wanted, translator.translate([texts[i] for i in wanted]), strict=True))
    n = len(targets)
    targets = [
        replace(t, en=english.get(i), counted_en=english.get(n + i)) for i, t in enumerate(targets)
    ]
    org_en = {org: english.get(2 * n + k) for k, org in enumerate(orgs)}
    people = [
        replace(p, org_en=org_en[p.org_zh], machine_translated=("org_en",))
        if p.org_zh and org_en.get(p.org_zh)
        else p
        for p in people
    ]
    return Summary(tuple(targets), tuple(people), translated=True)


def number(value: float) -> int | float:
    return int(value) if value == int(value) else value


def value_in_english(target: Target) -> str:
    """'> 70,000', '≥ 150 (each ≥ 100 million yuan)', 'about 5%', '3 percentage points'."""
    from briefing.numbers import format_number

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


def target_json(target: Target) -> dict[str, Any]:
    return {
        "paragraph": target.paragraph,
        "zh": target.zh,
        "en": target.en,
        "value": number(target.value),
        "upper": None if target.upper is None else number(target.upper),
        "qualifier": target.qualifier,
        "aim": target.aim,
        "unit_zh": target.unit_zh,
        "counted_zh": target.counted_zh,
        "counted_en": target.counted_en,
        "threshold": None
        if target.threshold is None
        else {
            "value": number(target.threshold.value),
            "qualifier": target.threshold.qualifier,
            "unit_zh": target.threshold.unit_zh,
        },
        "period_zh": target.period_zh,
        "period_en": target.period_en,
        "owner": target.owner,
        "display": value_in_english(target),
    }


def person_json(person: Person) -> dict[str, Any]:
    return {
        "role": person.role,
        "name_zh": person.name_zh,
        "name_en": person.name_en,
        "post_zh": person.post_zh,
        "post_en": person.post_en,
        "org_zh": person.org_zh,
        "org_en": person.org_en,
        "paragraphs": list(person.paragraphs),
        "machine_translated": list(person.machine_translated),
    }
