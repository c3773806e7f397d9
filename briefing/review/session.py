"""A review session: one report, its briefing, and what a reviewer does to it in the browser.

Reads the report once (`briefing.pipeline.open_review` parses, translates through the
policy and the memory, and builds the briefing); then every action of the reviewer is a
change in the translation memory, committed (one transaction) before the action
returns, after which the paragraph it touched is made again through the policy, exactly
as the next `briefing generate` will make it:

- **edit**: the paragraph's English as the reviewer typed it, split back into its
  sentences as the Word round trip does (`briefing.wordreview.store_paragraph`), stored
  as ``edited``;
- **approve**: every sentence as it is, ``approved`` (a test model's English is never
  approved: it is not a translation);
- **revert**: each sentence back to the model's English (the reviewer's stays in the
  history); **retranslate**: the model asked again;
- **alternatives** / **pick**: the model's n-best list (`policy.translate_alternatives`),
  one English per paragraph for each rank; the one picked is stored per sentence as the
  reviewer's (``edited``), or, for a test model, as machine English (it stays labelled);
- **dismiss** a flag as a false alarm, with a reason (and withdraw a dismissal);
- **comment** on a paragraph (and delete a comment), exported as Word comments;
- **add a term** (Chinese and English) to the memory's glossary, which every later run
  with this memory enforces; the paragraphs that have it are made again at once.

No web framework here: `briefing.review.app` puts routes on top. Calls are serialised by
a lock, and the memory is opened for each call (the server answers from several threads).
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from briefing.errors import UsageError
from briefing.glossary import Glossary
from briefing.memory import Memory, ShownUnit, Write, open_memory, sentence_key
from briefing.model import (
    Briefing,
    CheckedSegment,
    DismissedFlag,
    Flag,
    Fonts,
    Paragraph,
    Person,
    Segment,
    Target,
    count_by_kind,
)
from briefing.options import TranslationOptions
from briefing.present import labelled, unit_english, unit_segments, unit_status
from briefing.translate import Translator, join_english
from briefing.xmlchars import first_illegal

ALTERNATIVES = 4  # hypotheses asked of the model per segment
MAX_TERM_CHARS = 60
MAX_TEXT_CHARS = 20_000  # a paragraph's English or a comment, as typed


@dataclass(frozen=True)
class Alternative:
    """One English for a paragraph from the model's n-best lists, and its sentences'."""

    english: str
    flags: tuple[Flag, ...]
    sentences: tuple[tuple[str, str, str, tuple[str, ...]], ...]  # key, zh, en, pieces


@dataclass(frozen=True)
class Counts:
    paragraphs: int
    reviewed: int  # every sentence edited or approved
    approved: int
    flagged: int  # with a flag not dismissed
    part_edited: int


@dataclass
class Outcome:
    """What an action did: the paragraphs made again, and what the reviewer should know."""

    units: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


class ReviewSession:
    """See the module docstring. Made by `briefing.pipeline.open_review`."""

    def __init__(
        self,
        *,
        source: Path,
        briefing: Briefing,
        segments: Sequence[Segment],
        translator: Translator,
        glossary: Glossary | None,
        base_glossary: Glossary | None,
        people: tuple[Person, ...],
        options: TranslationOptions,
        memory_path: Path,
        reviewer: str,
        fonts: Fonts | None = None,
    ) -> None:
        self.source = source
        self.briefing = briefing
        self.translator = translator
        self.glossary = glossary
        self.base_glossary = base_glossary
        self.people = people
        self.options = options
        self.memory_path = memory_path
        self.reviewer = reviewer
        self.fonts = fonts or Fonts()
        self.raw: dict[str, list[Segment]] = {}
        for segment in segments:
            self.raw.setdefault(segment.parent, []).append(segment)
        self.paragraphs: dict[str, Paragraph] = {p.id: p for p in briefing.document.paragraphs()}
        self._lock = threading.RLock()
        self._alternatives: dict[str, list[Alternative]] = {}

    # --- reading ---------------------------------------------------------------------------

    @property
    def test_model(self) -> bool:
        return self.briefing.engine.test_model

    @property
    def terms(self) -> dict[str, tuple[str, ...]]:
        from briefing.pipeline import enforced_terms

        return enforced_terms(self.glossary, self.people)

    def status(self, unit: str) -> str:
        return unit_status(unit_segments(self.briefing, unit))

    def flags(self, unit: str) -> list[tuple[CheckedSegment, int, Flag]]:
        """(segment, its index, flag) for each flag in force on a paragraph."""
        return [
            (s, k, f) for s in unit_segments(self.briefing, unit) for k, f in enumerate(s.flags)
        ]

    def dismissed(self, unit: str) -> list[tuple[CheckedSegment, DismissedFlag]]:
        return [(s, d) for s in unit_segments(self.briefing, unit) for d in s.dismissed]

    def english_shown(self, unit: str) -> str:
        """As a reader sees it: a test model's English labelled."""
        return unit_english(self.briefing, unit)

    def target_english(self, target: Target) -> str:
        return labelled(target.en or "", self.test_model)

    def english(self, unit: str) -> str:
        """As a reviewer edits it: without the label."""
        return self.briefing.english.get(unit, "")

    def counts(self) -> Counts:
        statuses = [self.status(unit) for unit in self.paragraphs]
        flagged = {
            s.parent for s in self.briefing.segments if s.flags and s.parent in self.paragraphs
        }
        return Counts(
            paragraphs=sum(1 for s in statuses if s),
            reviewed=sum(1 for s in statuses if s in ("edited", "approved")),
            approved=sum(1 for s in statuses if s == "approved"),
            flagged=len(flagged),
            part_edited=sum(1 for s in statuses if s == "part edited"),
        )

    def flag_kinds(self) -> dict[str, int]:
        counts = count_by_kind(f for s in self.briefing.segments for f in s.flags)
        return {str(kind): n for kind, n in counts.items()}

    def unit(self, unit: str) -> Paragraph:
        try:
            return self.paragraphs[unit]
        except KeyError:
            raise UsageError(
                f"{unit}: no such paragraph in the report", "reload the page"
            ) from None

    # --- actions -----------------------------------------------------------------------------

    def edit(self, unit: str, english: str) -> Outcome:
        """The paragraph's English as the reviewer typed it, stored as edited."""
        english = " ".join(english.split())
        _text(english, "the English")
        if english == self.english(unit):
            return Outcome(units=[unit])  # typed back to what it was: nothing to store
        return self._store(unit, english, approve=False)

    def approve(self, unit: str) -> Outcome:
        return self._store(unit, None, approve=True)

    def revert(self, unit: str) -> Outcome:
        """Each sentence back to the model's English; the reviewer's stays in the history."""
        with self._memory() as memory:
            memory.write(self._to_machine(memory, unit, action="reverted", keep_signature=True))
            return self._refresh(memory, [unit])

    def retranslate(self, unit: str) -> Outcome:
        """The model asked again for the paragraph (its reviewer's English, if any, stays in
        the history): useful after a term was added, or for English made by another model
        or other settings."""
        with self._memory() as memory:
            memory.write(self._to_machine(memory, unit, action="retranslated",
                                          keep_signature=False))  # fmt: skip
            return self._refresh(memory, [unit])

    def alternatives(self, unit: str) -> list[Alternative]:
        """The model's alternatives for the paragraph, best first, each checked."""
        self.unit(unit)
        with self._lock:
            if unit not in self._alternatives:
                self._alternatives[unit] = self._make_alternatives(unit)
            return self._alternatives[unit]

    def pick(self, unit: str, rank: int) -> Outcome:
        choices = self.alternatives(unit)
        if not 0 <= rank < len(choices):
            raise UsageError(f"{unit}: there is no alternative {rank + 1}", "reload the page")
        chosen = choices[rank]
        note = f"review {self.source.name} {unit}: alternative {rank + 1}"
        with self._memory() as memory:
            from briefing.pipeline import memory_use

            use = memory_use(memory, self.translator, self.glossary, self.options)
            writes = self._to_machine(memory, unit, action="reverted", keep_signature=True,
                                      paragraph_only=True)  # fmt: skip
            for key, zh, en, pieces in chosen.sentences:
                if self.test_model:  # a test model's English stays the model's, labelled
                    assert use is not None
                    signature = use.signature
                    writes.append(Write(key, zh, en, "machine", "picked", self.reviewer,
                                        note=note, signature=signature, pieces=pieces))  # fmt: skip
                else:
                    writes.append(Write(key, zh, en, "edited", "picked", self.reviewer, note=note))
            memory.write(writes)
            return self._refresh(memory, [unit])

    def dismiss(self, unit: str, segment_id: str, index: int, reason: str) -> Outcome:
        reason = " ".join(reason.split())
        _text(reason, "the reason")
        segment, flag = self._flag(unit, segment_id, index)
        if segment.memory_key is None:
            raise UsageError(f"{segment_id}: this English is not in the memory", "reload the page")
        with self._memory() as memory:
            memory.dismiss(segment.memory_key, flag.kind, flag.detail, segment.en, reason,
                           self.reviewer)  # fmt: skip
            return self._refresh(memory, [unit])

    def withdraw(self, unit: str, dismissal: int) -> Outcome:
        self.unit(unit)
        with self._memory() as memory:
            memory.withdraw_dismissal(dismissal, self.reviewer)
            return self._refresh(memory, [unit])

    def comment(self, unit: str, text: str) -> Outcome:
        text = text.strip()
        _text(text, "the comment")
        paragraph = self.unit(unit)
        with self._memory() as memory:
            memory.add_comment(sentence_key(paragraph.analysis), paragraph.analysis, text,
                               self.reviewer)  # fmt: skip
            return self._refresh(memory, [unit], translate=False)

    def delete_comment(self, unit: str, number: int) -> Outcome:
        self.unit(unit)
        with self._memory() as memory:
            memory.delete_comment(number, self.reviewer)
            return self._refresh(memory, [unit], translate=False)

    def add_term(self, zh: str, en: str) -> Outcome:
        """A glossary term every later run with this memory enforces; the paragraphs that
        have it are made again now (their machine English with the term protected)."""
        zh, en = zh.strip(), " ".join(en.split())
        _text(zh, "the Chinese term", MAX_TERM_CHARS)
        _text(en, "the English", MAX_TERM_CHARS * 4)
        if any(ch in zh for ch in "\t\n\r"):
            raise UsageError("the Chinese term is more than one line", "select less")
        from briefing.chinese import to_simplified

        term = to_simplified(zh)
        units = [u for u, p in self.paragraphs.items() if term in p.analysis]
        if not units:
            raise UsageError(f"{zh!r} is not in the report's paragraphs",
                             "select the term in a paragraph's Chinese")  # fmt: skip
        with self._memory() as memory:
            memory.add_term(term, en, self.reviewer, note=f"added in review of {self.source.name}")
            from briefing.pipeline import with_memory_terms

            self.glossary = with_memory_terms(self.base_glossary, memory)
            self.briefing = replace(self.briefing, glossary=self.glossary.digest
                                    if self.glossary is not None else None)  # fmt: skip
            done = self._refresh(memory, units)
        done.messages.insert(0, f"{term} = {en}: added to the memory's glossary; enforced in "
                                f"{len(units)} paragraph{'s' if len(units) != 1 else ''} "
                                "and by every later run with this memory")  # fmt: skip
        return done

    def export(self) -> tuple[str, bytes]:
        """The briefing as it stands, as a .docx (name, bytes), recorded in the memory
        under a new review id so that `briefing import-review` can read it back."""
        from briefing.pipeline import default_output, record_briefing, write_briefing

        with self._memory() as memory:
            generated = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
            briefing = record_briefing(memory, replace(self.briefing, generated=generated))
        name = default_output(self.source).name
        with tempfile.TemporaryDirectory(prefix="briefing-review-") as folder:
            path = write_briefing(briefing, Path(folder) / name, self.fonts)
            return name, path.read_bytes()

    # --- the work ----------------------------------------------------------------------------

    @contextmanager
    def _memory(self) -> Iterator[Memory]:
        with self._lock, open_memory(self.memory_path, create=False) as memory:
            yield memory

    def _shown(self, unit: str) -> ShownUnit:
        from briefing.pipeline import shown_units

        paragraph = self.unit(unit)
        for shown in shown_units(self.briefing):
            if shown.unit == paragraph.id:
                return shown
        raise UsageError(f"{unit}: no such paragraph in the report", "reload the page")

    def _store(self, unit: str, english: str | None, *, approve: bool) -> Outcome:
        from briefing.wordreview import ReviewReport, store_paragraph

        with self._memory() as memory:
            shown = self._shown(unit)
            report = ReviewReport(self.source)
            store_paragraph(memory, shown, shown.en if english is None else english,
                            approve=approve, reviewer=self.reviewer,
                            note=f"review {self.source.name} {unit}",
                            test_model=self.test_model, report=report)  # fmt: skip
            done = self._refresh(memory, [unit])
        done.messages.extend(report.warnings)
        return done

    def _to_machine(
        self,
        memory: Memory,
        unit: str,
        *,
        action: str,
        keep_signature: bool,
        paragraph_only: bool = False,
    ) -> list[Write]:
        """Writes that put the paragraph's sentences back to machine English: the model's
        English they had (`keep_signature`: reused when it was made under this run's
        signature), or none the policy will reuse (it asks the model again)."""
        paragraph = self.unit(unit)
        keys = [sentence_key(paragraph.analysis)]
        if not paragraph_only:
            keys += [s.key for s in self._shown(unit).sentences if s.key]
        writes: list[Write] = []
        for key in dict.fromkeys(keys):
            entry = memory.get(key)
            if entry is None or (paragraph_only and not entry.human):
                continue
            if not entry.human and keep_signature:
                continue
            writes.append(Write(
                key, entry.zh, entry.machine_en or "", "machine", action,  # type: ignore[arg-type]
                self.reviewer, level=entry.level, note=f"review {self.source.name} {unit}",
                signature=entry.signature if keep_signature else None,
                pieces=entry.machine_pieces if keep_signature else None,
            ))  # fmt: skip
        return writes

    def _refresh(self, memory: Memory, units: Sequence[str], *, translate: bool = True) -> Outcome:
        """The paragraphs made again through the policy with the memory (nothing goes to
        the model that the memory has), and their comments read again."""
        from briefing.pipeline import memory_use, paragraph_comments
        from briefing.translate.policy import translate_segments

        units = list(dict.fromkeys(units))
        briefing = self.briefing
        if translate:
            use = memory_use(memory, self.translator, self.glossary, self.options)
            todo = [s for unit in units for s in self.raw.get(unit, [])]
            made = translate_segments(todo, self.translator, self.terms, retry=self.options.retry,
                                      memory=use)  # fmt: skip
            briefing = _with_segments(briefing, units, made)
            for unit in units:
                self._alternatives.pop(unit, None)
        comments = dict(briefing.comments)
        fresh = paragraph_comments(memory, briefing.document)
        for unit in units:
            if unit in fresh:
                comments[unit] = fresh[unit]
            else:
                comments.pop(unit, None)
        self.briefing = replace(briefing, comments=comments)
        return Outcome(units=units)

    def _flag(self, unit: str, segment_id: str, index: int) -> tuple[CheckedSegment, Flag]:
        for segment in unit_segments(self.briefing, unit):
            if segment.id == segment_id and 0 <= index < len(segment.flags):
                return segment, segment.flags[index]
        raise UsageError(f"{segment_id}: no such flag now", "reload the page")

    def _make_alternatives(self, unit: str) -> list[Alternative]:
        from briefing.translate.policy import sentence_groups, translate_alternatives

        raw = self.raw.get(unit, [])
        found = translate_alternatives(raw, self.translator, self.terms, ALTERNATIVES)
        ranks = max((len(v) for v in found.values()), default=0)
        groups = sentence_groups(raw)
        made: dict[str, Alternative] = {}
        for rank in range(ranks):
            chosen = {s.id: found[s.id][min(rank, len(found[s.id]) - 1)] for s in raw}
            english = join_english([chosen[s.id].en for s in raw])
            sentences = tuple(
                (g.key, g.analysis, join_english([chosen[s.id].en for s in g.segments]),
                 tuple(chosen[s.id].en for s in g.segments))
                for g in groups
                if g.key
            )  # fmt: skip
            flags = tuple(f for s in raw for f in chosen[s.id].flags)
            made.setdefault(english, Alternative(english, flags, sentences))
        return list(made.values())

    def shown_alternative(self, alternative: Alternative) -> str:
        return labelled(alternative.english, self.test_model)


def _with_segments(
    briefing: Briefing, units: Sequence[str], made: Sequence[CheckedSegment]
) -> Briefing:
    """`briefing` with the segments (and English) of `units` replaced by `made`."""
    wanted = set(units)
    by_unit: dict[str, list[CheckedSegment]] = {}
    for segment in made:
        by_unit.setdefault(segment.parent, []).append(segment)
    segments: list[CheckedSegment] = []
    placed: set[str] = set()
    for segment in briefing.segments:
        if segment.parent not in wanted:
            segments.append(segment)
        elif segment.parent not in placed:
            segments.extend(by_unit.get(segment.parent, []))
            placed.add(segment.parent)
    english: dict[str, str] = dict(briefing.english)
    for unit in wanted:
        english[unit] = join_english([s.en for s in by_unit.get(unit, [])])
    return replace(briefing, segments=tuple(segments), english=english)


def _text(value: str, what: str, limit: int = MAX_TEXT_CHARS) -> None:
    if not value:
        raise UsageError(f"{what} is empty", f"type {what}")
    if len(value) > limit:
        raise UsageError(f"{what} is longer than {limit} characters", "shorten it")
    bad = first_illegal(value)
    if bad is not None:
        raise UsageError(f"{what} has a character a Word document cannot hold",
                         "remove control characters")  # fmt: skip
