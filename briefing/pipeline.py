"""The stages in order, and the functions that run them on a file.

ingest -> structure -> segment -> translate (numbers written out, glossary terms protected)
-> checks -> retry of the flagged -> render. Each stage is a module of its own;
this one only wires them together and reports progress.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from briefing import __version__
from briefing.checks import CHECKS_VERSION, check_pair, count_by_kind
from briefing.checks.text import MEDIAN_RATIO, english_size, source_units
from briefing.errors import UsageError
from briefing.glossary import Glossary, name_terms
from briefing.ingest import read_source
from briefing.model import Briefing, CheckedSegment, Document, SourceInfo
from briefing.output import atomic_output
from briefing.progress import Progress
from briefing.render.docx import Fonts, render_docx
from briefing.segment import DEFAULT_MAX_SEGMENT_TOKENS, segment_document
from briefing.structure import URL_RE, parse
from briefing.summary import Summary
from briefing.translate import Translated, Translator, join_english, translate_segments
from briefing.translate.prepare import normalise_numbers
from briefing.translate.resolve import TEST_MODEL_MARKER, labelled

_SOURCE_RE = re.compile(r"来源\s*[:：]\s*(\S+)")


def parse_file(path: str | Path) -> Document:
    """ingest -> structure."""
    return parse(read_source(path))


def translate_document(
    document: Document,
    translator: Translator,
    max_segment_tokens: int = DEFAULT_MAX_SEGMENT_TOKENS,
    *,
    quiet: bool = False,
    terms: Mapping[str, str] | None = None,
) -> list[Translated]:
    """segment -> translate, with progress on stderr; `terms` (zh -> en) are enforced."""
    segments = segment_document(document, translator.count_tokens, max_segment_tokens)
    todo = sum(1 for s in segments if s.translatable)
    with Progress("translate", todo, quiet=quiet) as progress:
        return translate_segments(segments, translator, on_batch=progress.update, terms=terms)


def run_translation(
    document: Document,
    translator: Translator,
    glossary: Glossary | None,
    max_segment_tokens: int = DEFAULT_MAX_SEGMENT_TOKENS,
    *,
    retry: bool = True,
    quiet: bool = False,
) -> tuple[CheckedSegment, ...]:
    """segment -> translate (glossary and names enforced, unless `glossary` is None) ->
    checks -> retry of the flagged."""
    terms = document_terms(document, glossary) if glossary is not None else {}
    translated = translate_document(
        document, translator, max_segment_tokens, quiet=quiet, terms=terms
    )
    checked = check_translations(translated, terms)
    if retry:
        checked = retry_flagged(checked, translated, translator, terms, quiet=quiet)
    return checked


def document_terms(document: Document, glossary: Glossary) -> dict[str, str]:
    """The glossary's enforced terms plus the names of the people in the report (pinyin)."""
    from briefing.people import find_people

    names = [(p.name_zh, p.name_en) for p in find_people(document) if p.name_zh and p.name_en]
    return glossary.with_terms(name_terms(names)).enforced()


def found_source(document: Document, given: SourceInfo) -> SourceInfo:
    """Fill what the command line did not give from the report itself."""
    name = given.name
    if name is None and document.byline:
        match = _SOURCE_RE.search(document.byline)
        name = match.group(1) if match else None
    url = given.url
    if url is None:
        for line in document.source.lines:
            match = URL_RE.search(line.text)
            if match:
                url = match.group(0)
                break
    return SourceInfo(file=given.file, name=name, date=given.date or document.date, url=url)


def check_translations(
    translated: Sequence[Translated], terms: Mapping[str, str] | None = None
) -> tuple[CheckedSegment, ...]:
    """checks: flag each segment whose English may be wrong (on the Simplified copy the
    model read). Segments never sent to the model have nothing to check."""
    return tuple(
        CheckedSegment(
            id=t.segment.id,
            parent=t.segment.parent,
            zh=t.segment.zh,
            en=t.en,
            flags=(t.flags + check_pair(t.segment.analysis, t.en, terms))
            if t.segment.translatable
            else (),
            model_input=t.model_input,
        )
        for t in translated
    )


def retry_flagged(
    checked: Sequence[CheckedSegment],
    translated: Sequence[Translated],
    translator: Translator,
    terms: Mapping[str, str] | None = None,
    *,
    quiet: bool = False,
) -> tuple[CheckedSegment, ...]:
    """Translate each flagged segment once more with safer decoding (the translator's
    `retry`: no repeated n-grams, a repetition penalty); keep whichever English has fewer
    flags, then the more plausible length. What is still flagged stays flagged."""
    retry = getattr(translator, "retry", None)
    flagged = [i for i, c in enumerate(checked) if c.flags and translated[i].segment.translatable]
    if retry is None or not flagged:
        return tuple(checked)
    with Progress("retry", len(flagged), quiet=quiet) as progress:
        # unprotected: a placeholder broken twice would be one more thing to go wrong
        plain = [normalise_numbers(translated[i].segment.analysis)[0] for i in flagged]
        again = retry(plain, on_batch=progress.update)
    result = list(checked)
    for i, text, en in zip(flagged, plain, again, strict=True):
        analysis = translated[i].segment.analysis
        model_input = text if text != analysis else None
        candidate = replace(checked[i], en=en, flags=check_pair(analysis, en, terms),
                            retried=True, model_input=model_input)  # fmt: skip
        if _better(analysis, candidate, checked[i]):
            result[i] = candidate
    return tuple(result)


def _better(zh: str, new: CheckedSegment, old: CheckedSegment) -> bool:
    """Fewer flags wins; on a tie, the length ratio nearer the median of correct ones."""
    if len(new.flags) != len(old.flags):
        return len(new.flags) < len(old.flags)
    units = max(source_units(zh), 1)

    def distance(en: str) -> float:
        return abs(math.log(max(english_size(en), 1) / units / MEDIAN_RATIO))

    return distance(new.en) < distance(old.en)


def build_briefing(
    document: Document,
    checked: Sequence[CheckedSegment],
    translator: Translator,
    source: SourceInfo,
    max_segment_tokens: int,
    summary: Summary | None = None,
    *,
    glossary: Glossary | None = None,
    retry: bool = False,
) -> Briefing:
    pieces: dict[str, list[str]] = defaultdict(list)
    for segment in checked:
        pieces[segment.parent].append(segment.en)
    return Briefing(
        document=document,
        english={unit: join_english(parts) for unit, parts in pieces.items()},
        source=found_source(document, source),
        engine=translator.describe(),
        tool_version=__version__,
        max_segment_tokens=max_segment_tokens,
        generated=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        summary=summary,
        segments=tuple(checked),
        checks_version=CHECKS_VERSION,
        glossary=glossary.digest if glossary is not None else None,
        retry=retry,
    )


def report_json(briefing: Briefing) -> dict[str, Any]:
    """The `generate --report` file: every segment with its English and flags."""
    test_model = briefing.engine.test_model
    payload: dict[str, Any] = {
        "file": briefing.source.file,
        "signature": briefing.signature,
        "flags": count_by_kind(briefing.flags),
        "segments": [
            {**s.to_json(), "en": labelled(s.en, test_model) if s.en else s.en}
            for s in briefing.segments
        ],
    }
    if test_model:
        payload["notice"] = TEST_MODEL_MARKER
    return payload


def write_report(briefing: Briefing, path: Path) -> Path:
    """Write the segment report as JSON, atomically."""
    with atomic_output(path) as temporary:
        temporary.write_text(
            json.dumps(report_json(briefing), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return path


def default_output(input_path: Path) -> Path:
    """report.txt -> report.briefing.docx, next to the input."""
    return input_path.with_name(input_path.stem + ".briefing.docx")


def check_output(input_path: Path, output: Path) -> None:
    if output.suffix.lower() != ".docx":
        raise UsageError(
            f"{output}: the briefing is a Word document and needs a .docx name",
            f"pass -o {output.with_suffix('.docx')}",
        )
    if output.exists() and input_path.exists() and output.resolve() == input_path.resolve():
        raise UsageError(f"{output}: the output would overwrite the input", "pass another -o")
    if output.is_dir():
        raise UsageError(
            f"{output} is a folder", f"pass a file name, e.g. -o {output / 'briefing.docx'}"
        )


def check_report(input_path: Path, output: Path, report: Path) -> None:
    """The --report file may be neither the input nor the briefing, nor a folder."""
    for other, what in ((input_path, "input"), (output, "briefing")):
        if report.resolve() == other.resolve():
            raise UsageError(f"{report}: the report would overwrite the {what}",
                             "pass another --report, e.g. report.json")  # fmt: skip
    if report.is_dir():
        raise UsageError(
            f"{report} is a folder", f"pass a file name, e.g. --report {report / 'report.json'}"
        )


def write_briefing(briefing: Briefing, output: Path, fonts: Fonts | None = None) -> Path:
    """Render to `output` atomically: an existing file is replaced only on success."""
    with atomic_output(output) as temporary:
        render_docx(briefing, temporary, fonts or Fonts())
    return output
