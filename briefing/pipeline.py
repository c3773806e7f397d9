"""The run, as library calls: what `briefing generate`, `translate` and `targets` do.

ingest -> structure -> people (found once) -> segment -> translate (the policy: numbers
written out, terms and names protected, checks, retry) -> summary (targets and people,
through the same policy) -> render. Each stage is a module of its own; this one wires
them, in the order that reports bad input before a model is loaded:

1. the options and output paths are checked, the glossaries read;
2. the report is parsed;
3. the translation memory is opened (unless `--no-memory`);
4. only then is a model found and loaded.

The translation policy consults the memory (`briefing.translate.policy`); `generate` also
records in it what the briefing shows, under the review id printed in its About block,
for `briefing import-review` (`briefing.wordreview`).

Every command (the CLI, and later the review app, batch runs and remote workers) calls
these functions; none repeats their steps. Progress goes to an `on_progress` callback,
never to a stream; warnings (a test model) go to the `briefing` logger.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import re
import stat
import time
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import __version__
from briefing.checks import CHECKS_VERSION, check_pair
from briefing.errors import ModelNotFound, UsageError
from briefing.glossary import Glossary, load_glossary, name_terms
from briefing.ingest import read_source
from briefing.ingest.pairs import Pair, read_pairs
from briefing.model import (
    Briefing,
    CheckedSegment,
    Document,
    EngineInfo,
    Flag,
    Fonts,
    Person,
    ReviewComment,
    Segment,
    SourceInfo,
    Summary,
    run_signature,
)
from briefing.names import byline_in_english
from briefing.options import DEFAULTS, GenerateOptions, TranslationOptions
from briefing.output import TEMPORARY_NAME_EXTRA, atomic_output
from briefing.people import find_people
from briefing.present import TEST_MODEL_MARKER, report_json
from briefing.segment import segment_document
from briefing.structure import URL_RE, parse
from briefing.summary import summarize
from briefing.translate import ModelEngine, Translator, join_english
from briefing.translate.policy import ProgressCallback, model_tokens, translate_segments
from briefing.translate.resolve import ResolvedModel, resolve_model
from briefing.xmlchars import replace_illegal

if TYPE_CHECKING:
    from briefing.memory import Memory, MemoryUse, ShownUnit
    from briefing.review.session import ReviewSession
    from briefing.wordreview import ReviewReport

log = logging.getLogger(__name__)

_NO_MEMORY = TranslationOptions(memory=False)
_SOURCE_RE = re.compile(r"来源\s*[:：]\s*(\S+)")
# A file name of at most 255 bytes (most file systems), less room for the temporary file
# written beside it (`briefing.output`).
MAX_OUTPUT_NAME = 255 - TEMPORARY_NAME_EXTRA

__all__ = [
    "DEFAULTS",
    "GenerateOptions",
    "GenerateResult",
    "SummaryResult",
    "TranslateResult",
    "TranslationOptions",
    "generate",
    "import_review",
    "open_review",
    "open_translator",
    "parse_file",
    "summarize_document",
    "translate_document",
]


@dataclass(frozen=True)
class TranslateResult:
    """A report translated: its parse, its people, every segment checked, and how."""

    document: Document
    people: tuple[Person, ...]
    segments: tuple[CheckedSegment, ...]
    translator: Translator
    glossary: Glossary | None  # None with --no-glossary
    terms: Mapping[str, tuple[str, ...]]  # enforced: zh -> (standard English, variants…)
    memory: Path | None = None  # the translation memory consulted (None with --no-memory)

    @property
    def engine(self) -> EngineInfo:
        return self.translator.describe()

    @property
    def model(self) -> ResolvedModel | None:
        """The model folder behind the translator (None for a test double)."""
        return self.translator.model if isinstance(self.translator, ModelEngine) else None


@dataclass(frozen=True)
class SummaryResult:
    document: Document
    summary: Summary
    engine: EngineInfo | None  # None when no model gave English descriptions


@dataclass(frozen=True)
class GenerateResult:
    output: Path
    report: Path | None
    briefing: Briefing


# --- the steps ---------------------------------------------------------------------------


def parse_file(path: str | Path, max_chars: int = DEFAULTS.max_chars) -> Document:
    """ingest -> structure (a report of more than `max_chars` characters is refused)."""
    return parse(read_source(path, max_chars))


def read_glossary(options: TranslationOptions) -> Glossary | None:
    """The shipped glossary and the user's (a bad file fails here), or None without one."""
    return load_glossary(options.glossaries) if options.glossary else None


def enforced_terms(
    glossary: Glossary | None, people: tuple[Person, ...]
) -> dict[str, tuple[str, ...]]:
    """The glossary's enforced terms plus the names of the people in the report (pinyin):
    zh -> (standard English, accepted variants…)."""
    if glossary is None:
        return {}
    names = [(p.name_zh, p.name_en) for p in people if p.name_zh and p.name_en]
    return glossary.with_terms(name_terms(names)).accepted()


@dataclass(frozen=True)
class PairsResult:
    results: tuple[tuple[Pair, tuple[Flag, ...]], ...]  # in input order
    glossary: Glossary | None  # None with --no-glossary


def check_pairs_file(
    path: str | Path, glossary: bool = True, glossaries: Sequence[Path] = ()
) -> PairsResult:
    """`briefing qa`: the checks on each pair of a JSON Lines file, with the glossary's
    terms (the shipped one and `glossaries`, every accepted form) unless `glossary` is off."""
    terms = load_glossary(glossaries) if glossary else None  # a bad file fails first
    pairs = read_pairs(Path(path))
    accepted = terms.accepted() if terms is not None else None
    return PairsResult(tuple((p, check_pair(p.zh, p.en, accepted)) for p in pairs), terms)


def open_translator(
    options: TranslationOptions = DEFAULTS, model: ResolvedModel | None = None
) -> ModelEngine:
    """The engine `options` ask for, on `model` or the model they resolve to."""
    from briefing.translate.engines import make_translator

    model = model or resolve_model(options.model)
    translator = make_translator(model, options)
    if model.test_model:
        log.warning("%s is a test model: %s", model.path, TEST_MODEL_MARKER)
    return translator


def _document(source: str | Path | Document, options: TranslationOptions) -> Document:
    return source if isinstance(source, Document) else parse_file(source, options.max_chars)


@contextlib.contextmanager
def opened_memory(options: TranslationOptions = DEFAULTS) -> Iterator[Memory | None]:
    """The translation memory `options` name, open for the run (None with --no-memory)."""
    if not options.memory:
        yield None
        return
    from briefing.memory import open_memory

    with open_memory(options.memory_path) as memory:
        yield memory


def memory_use(
    memory: Memory | None,
    translator: Translator,
    glossary: Glossary | None,
    options: TranslationOptions = DEFAULTS,
) -> MemoryUse | None:
    """The memory as this run consults it: machine English is reused only when it was
    made under the same signature (a test model's never passes for a real model's)."""
    if memory is None:
        return None
    from briefing.memory import TEST_MODEL_SIGNATURE, MemoryUse

    engine = translator.describe()
    signature = run_signature(engine, __version__, options.max_segment_tokens, CHECKS_VERSION,
                              glossary.digest if glossary is not None else None,
                              options.retry)  # fmt: skip
    if engine.test_model:
        signature += TEST_MODEL_SIGNATURE
    return MemoryUse(memory, signature)


# --- the runs ----------------------------------------------------------------------------


def translate_document(
    source: str | Path | Document,
    options: TranslationOptions = DEFAULTS,
    translator: Translator | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> TranslateResult:
    """Parse (unless given a `Document`), find the people, segment, and translate every
    segment through the policy, consulting the translation memory unless `options` say
    not to. Without a `translator`, the one `options` ask for is opened after the report
    has parsed."""
    glossary = read_glossary(options)
    document = _document(source, options)
    with opened_memory(options) as memory:
        done, _ = _translate(document, glossary, options, translator, memory, on_progress)
    return done


def with_memory_terms(glossary: Glossary | None, memory: Memory | None) -> Glossary | None:
    """The glossary with the terms reviewers added to the memory (`briefing review`),
    which win over the shipped glossary's and --glossary files' entries for them."""
    if glossary is None or memory is None:
        return glossary
    added = memory.terms()
    if not added:
        return glossary
    from briefing.glossary import Term

    return glossary.updated(Term(t.zh, t.en, t.note, "memory", f"memory (added by {t.who})")
                            for t in added)  # fmt: skip


def paragraph_comments(
    memory: Memory | None, document: Document
) -> dict[str, tuple[ReviewComment, ...]]:
    """Reviewers' comments on the report's paragraphs (kept by each paragraph's text), by
    paragraph id."""
    if memory is None:
        return {}
    from briefing.memory import sentence_key

    keys = {p.id: sentence_key(p.analysis) for p in document.paragraphs()}
    found = memory.comments(keys.values())
    return {
        unit: tuple(ReviewComment(c.id, c.text, c.who, c.at) for c in found[key])
        for unit, key in keys.items()
        if key in found
    }


def document_segments(
    document: Document,
    translator: Translator,
    terms: Mapping[str, Sequence[str]],
    options: TranslationOptions = DEFAULTS,
) -> tuple[Segment, ...]:
    """The report's segments, sized by what the model reads of them."""
    return segment_document(document, model_tokens(translator, terms), options.max_segment_tokens)


def _translate(
    document: Document,
    glossary: Glossary | None,
    options: TranslationOptions,
    translator: Translator | None,
    memory: Memory | None,
    on_progress: ProgressCallback | None,
) -> tuple[TranslateResult, MemoryUse | None]:
    translator = translator or open_translator(options)
    [done], use = translate_documents([document], glossary, options, translator, memory,
                                      on_progress=on_progress)  # fmt: skip
    return done, use


def translate_documents(
    documents: Sequence[Document],
    glossary: Glossary | None,
    options: TranslationOptions,
    translator: Translator,
    memory: Memory | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> tuple[list[TranslateResult], MemoryUse | None]:
    """Several reports translated together: their segments go through the policy in one
    call, so the engine's length-sorted batches mix them (many small reports cost less
    than a run each), and each report gets its own English back. Ids are made unique
    across the reports while they travel (``<k>/s1.p2.1``) and restored after."""
    glossary = with_memory_terms(glossary, memory)  # terms reviewers added (briefing review)
    use = memory_use(memory, translator, glossary, options)
    people = [find_people(document) for document in documents]
    terms = [enforced_terms(glossary, found) for found in people]
    every_term: dict[str, tuple[str, ...]] = {}
    for mapping in terms:
        every_term.update(mapping)
    segments = [
        replace(segment, id=f"{k}/{segment.id}", parent=f"{k}/{segment.parent}")
        for k, document in enumerate(documents)
        for segment in document_segments(document, translator, terms[k], options)
    ]
    checked = translate_segments(segments, translator, every_term, retry=options.retry,
                                 on_progress=on_progress, memory=use)  # fmt: skip
    by_document: list[list[CheckedSegment]] = [[] for _ in documents]
    for segment in checked:
        k, _, own = segment.id.partition("/")
        parent = segment.parent.partition("/")[2]
        by_document[int(k)].append(replace(segment, id=own, parent=parent))
    path = memory.path if memory is not None else None
    results = [
        TranslateResult(
            document, people[k], tuple(by_document[k]), translator, glossary, terms[k], path
        )
        for k, document in enumerate(documents)
    ]
    return results, use


def summarize_document(
    source: str | Path | Document,
    options: TranslationOptions = DEFAULTS,
    translator: Translator | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> SummaryResult:
    """Targets and people. Without a `translator`, the model `options` name is used if it
    can be found; when no model is named (no --model, no BRIEFING_MODEL) and none is found
    anywhere, the summary has no English. A model that is named or found but cannot be
    read is an error, as for every other command."""
    glossary = read_glossary(options)
    document = _document(source, options)
    people = find_people(document)
    if translator is None:
        try:
            model = resolve_model(options.model)
        except ModelNotFound:
            if options.model or os.environ.get("BRIEFING_MODEL"):
                raise
            log.warning("no translation model found; English descriptions are null")
        else:
            translator = open_translator(options, model)
    with opened_memory(options if translator is not None else _NO_MEMORY) as memory:
        glossary = with_memory_terms(glossary, memory)
        use = memory_use(memory, translator, glossary, options) if translator else None
        summary = summarize(document, people, translator, enforced_terms(glossary, people),
                            max_segment_tokens=options.max_segment_tokens,
                            retry=options.retry, on_progress=on_progress,
                            memory=use)  # fmt: skip
    engine = translator.describe() if translator is not None else None
    return SummaryResult(document, summary, engine)


def generate(
    source: str | Path,
    output: str | Path | None = None,
    options: GenerateOptions | None = None,
    translator: Translator | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> GenerateResult:
    """The briefing of `source`, written atomically to `output` (default: beside it,
    ``NAME.briefing.docx``), and the segment report if `options.report` asks for one."""
    options = options or GenerateOptions()
    source = Path(source)
    output = Path(output) if output is not None else default_output(source)
    check_output(source, output)
    if options.report is not None:
        check_report(source, output, options.report)
    given = SourceInfo(file=replace_illegal(str(source)), name=options.source_name,
                       date=options.source_date, url=options.source_url)  # fmt: skip
    translation = options.translation
    glossary = read_glossary(translation)
    document = _document(source, translation)
    with opened_memory(translation) as memory:
        done, use = _translate(document, glossary, translation, translator, memory,
                               on_progress)  # fmt: skip
        briefing = brief(done, use, memory, given, translation, on_progress=on_progress)
    write_briefing(briefing, output, options.fonts)
    if options.report is not None:
        write_report(briefing, options.report)
    return GenerateResult(output, options.report, briefing)


def brief(
    done: TranslateResult,
    use: MemoryUse | None,
    memory: Memory | None,
    source: SourceInfo,
    options: TranslationOptions = DEFAULTS,
    *,
    on_progress: ProgressCallback | None = None,
) -> Briefing:
    """A translated report made a briefing (`compose_briefing`), and, with a memory,
    recorded under a new review id for `import-review` (`record_briefing`)."""
    briefing = compose_briefing(done, use, source, options, on_progress=on_progress)
    return record_briefing(memory, briefing) if memory is not None else briefing


def import_review(
    path: str | Path,
    memory_path: Path | None = None,
    *,
    reviewer: str | None = None,
    approve: bool = False,
) -> ReviewReport:
    """Store in the translation memory what a reviewer changed in a briefing in Word
    (`briefing.wordreview`): the file is read and checked first, then the memory (which
    must hold the briefing's record, made when it was generated) is opened."""
    from briefing.memory import current_user, open_memory
    from briefing.wordreview import import_review as store
    from briefing.wordreview import read_edited

    edited = read_edited(Path(path))
    with open_memory(memory_path, create=False) as memory:
        return store(memory, edited, reviewer or current_user(), approve_all=approve)


def open_review(
    source: str | Path,
    options: TranslationOptions = DEFAULTS,
    translator: Translator | None = None,
    *,
    reviewer: str | None = None,
    fonts: Fonts | None = None,
    on_progress: ProgressCallback | None = None,
) -> ReviewSession:
    """`briefing review`: the report parsed, translated through the policy and the memory,
    and its briefing built, as `generate` builds it, held open for a reviewer's changes
    (`briefing.review.session`). Needs the memory: every change is stored there."""
    from briefing.memory import current_user, memory_path
    from briefing.review.session import ReviewSession

    if not options.memory:
        raise UsageError("briefing review stores every change in the translation memory",
                         "leave out --no-memory (pass --memory PATH for another file)")  # fmt: skip
    source = Path(source)
    given = SourceInfo(file=replace_illegal(str(source)))
    base = read_glossary(options)
    document = _document(source, options)
    with opened_memory(options) as memory:
        assert memory is not None
        done, use = _translate(document, base, options, translator, memory, on_progress)
        briefing = compose_briefing(done, use, given, options, on_progress=on_progress)
        segments = document_segments(document, done.translator, done.terms, options)
    return ReviewSession(source=source, briefing=briefing, segments=segments,
                         translator=done.translator, glossary=done.glossary,
                         base_glossary=base, people=done.people, options=options,
                         memory_path=memory_path(options.memory_path),
                         reviewer=reviewer or current_user(), fonts=fonts)  # fmt: skip


# --- building and writing ----------------------------------------------------------------


def compose_briefing(
    done: TranslateResult,
    use: MemoryUse | None,
    source: SourceInfo,
    options: TranslationOptions = DEFAULTS,
    *,
    on_progress: ProgressCallback | None = None,
) -> Briefing:
    """The briefing of a translated report: the summary (through the same policy and
    memory), the reviewers' comments from the memory, everything but the review record."""
    summary = summarize(done.document, done.people, done.translator, done.terms,
                        max_segment_tokens=options.max_segment_tokens, retry=options.retry,
                        on_progress=on_progress, memory=use)  # fmt: skip
    briefing = build_briefing(done, summary, source, options)
    if use is None:
        return briefing
    return replace(briefing, comments=paragraph_comments(use.memory, done.document))


def record_briefing(memory: Memory, briefing: Briefing) -> Briefing:
    """The briefing under a new review id, with what it shows recorded in the memory for
    `briefing import-review`."""
    review_id = uuid.uuid4().hex
    briefing = replace(briefing, review_id=review_id)
    memory.record_briefing(review_id, Path(briefing.source.file).name, briefing.signature,
                           briefing.engine.test_model, shown_units(briefing))  # fmt: skip
    return briefing


def build_briefing(
    done: TranslateResult,
    summary: Summary | None,
    source: SourceInfo,
    options: TranslationOptions = DEFAULTS,
    *,
    review_id: str | None = None,
) -> Briefing:
    pieces: dict[str, list[str]] = {}
    for segment in done.segments:
        pieces.setdefault(segment.parent, []).append(segment.en)
    document = done.document
    return Briefing(
        document=document,
        english={unit: join_english(parts) for unit, parts in pieces.items()},
        source=found_source(document, source),
        engine=done.engine,
        tool_version=__version__,
        max_segment_tokens=options.max_segment_tokens,
        generated=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        summary=summary,
        segments=done.segments,
        checks_version=CHECKS_VERSION,
        glossary=done.glossary.digest if done.glossary is not None else None,
        retry=options.retry,
        byline_en=byline_in_english(document.byline) if document.byline else None,
        memory=done.memory is not None,
        review_id=review_id,
    )


def shown_units(briefing: Briefing) -> list[ShownUnit]:
    """What the briefing shows of each paragraph: its Chinese and English, and the
    sentences (memory keys, Simplified text, English, status) the English is made of."""
    from briefing.memory import Shown, ShownUnit

    by_parent: dict[str, list[CheckedSegment]] = {}
    for segment in briefing.segments:
        by_parent.setdefault(segment.parent, []).append(segment)
    units: list[ShownUnit] = []
    for paragraph in briefing.document.paragraphs():
        sentences: list[Shown] = []
        offset = 0
        for key, run in itertools.groupby(by_parent.get(paragraph.id, []),
                                          key=lambda s: s.memory_key or id(s)):  # fmt: skip
            group = list(run)
            # the shown text and its Simplified copy are cut at the same places (segment.py)
            length = sum(len(s.zh) for s in group)
            analysis = paragraph.analysis[offset : offset + length]
            offset += length
            sentences.append(Shown(key if isinstance(key, str) else None, analysis,
                                   join_english([s.en for s in group]),
                                   group[0].status))  # fmt: skip
        english = briefing.english.get(paragraph.id, "")
        units.append(ShownUnit(paragraph.id, paragraph.zh, paragraph.analysis, english,
                               tuple(sentences)))  # fmt: skip
    return units


def found_source(document: Document, given: SourceInfo) -> SourceInfo:
    """Fill what the caller did not give from the report itself (its 来源 line)."""
    name = given.name or document.source_name
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


def default_output(input_path: Path) -> Path:
    """report.txt -> report.briefing.docx, next to the input."""
    return input_path.with_name(input_path.stem + ".briefing.docx")


def check_output(input_path: Path, output: Path) -> None:
    """The briefing's path: a .docx name, not the input, not a folder, in a folder that
    exists or can be made and can be written in (checked before any model is loaded)."""
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
    check_writable(output, "-o")


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
    check_writable(report, "--report")


def check_writable(path: Path, option: str) -> None:
    """`path` can be written: its nearest existing ancestor is a folder this process may
    write in (the rest is made), and its name leaves room for the temporary file beside it."""
    ancestor = path.parent
    while True:
        try:
            status = ancestor.stat()
        except (FileNotFoundError, NotADirectoryError):
            if ancestor == ancestor.parent:
                break
            ancestor = ancestor.parent
            continue
        except OSError as exc:
            raise UsageError(f"{path}: cannot write there ({exc.strerror})",
                             f"pass another {option}") from None  # fmt: skip
        if not stat.S_ISDIR(status.st_mode):
            raise UsageError(f"{path}: {ancestor} is a file, not a folder",
                             f"pass another {option}, in a folder")  # fmt: skip
        if not os.access(ancestor, os.W_OK | os.X_OK):
            raise UsageError(f"{path}: cannot write in {ancestor} (permission denied)",
                             f"pass another {option}, in a folder you can write to")  # fmt: skip
        break
    if len(os.fsencode(path.name)) > MAX_OUTPUT_NAME:
        raise UsageError(f"{path}: the file name is too long",
                         f"pass another {option}, of at most {MAX_OUTPUT_NAME} bytes")  # fmt: skip


def write_report(briefing: Briefing, path: Path) -> Path:
    """Write the segment report as JSON, atomically."""
    with atomic_output(path) as temporary:
        temporary.write_text(
            json.dumps(report_json(briefing), ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return path


def write_briefing(briefing: Briefing, output: Path, fonts: Fonts | None = None) -> Path:
    """Render to `output` atomically: an existing file is replaced only on success."""
    from briefing.render.docx import render_docx

    with atomic_output(output) as temporary:
        render_docx(briefing, temporary, fonts or Fonts())
    return output
