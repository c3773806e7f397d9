"""The translation policy: the one place where a segment's English is made.

For every segment, in this order:

1. **prepare**: numbers with 万/亿 written out (the model copies digits but mis-scales
   magnitudes), then glossary terms and names replaced by placeholders
   (`briefing.translate.prepare`);
2. **translate** the prepared text;
3. **restore** the terms' standard English in place of the placeholders;
4. **fallback**: a segment whose placeholders came back dropped, repeated or garbled is
   translated again without them, and flagged `term_missing` (a placeholder never
   reaches the output);
5. **check** the English against the Chinese (`briefing.checks`);
6. **retry** each flagged segment once with the translator's safer decoding, unprotected;
   the English with fewer flags wins, then the one whose length is more typical. What is
   still flagged stays flagged.

Segments that are empty or only punctuation are never sent to a model: their English is
their punctuation in Latin form (origin ``copy``). The body of the report and the
summary's clauses and names go through the same policy. Later, a translation memory is
consulted here too, before the model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from briefing.checks import check_pair, length_deviation
from briefing.model import CheckedSegment, Flag, ProgressEvent, Segment
from briefing.translate import Translator
from briefing.translate.prepare import Protected, normalise_numbers, protect, restore
from briefing.xmlchars import remove_illegal

ProgressCallback = Callable[[ProgressEvent], None]

# Chinese punctuation -> what English text uses, for punctuation-only segments.
_PUNCT_TO_LATIN = str.maketrans(
    {"。": ".", "，": ",", "、": ",", "；": ";", "：": ":", "！": "!", "？": "?", "“": '"',
     "”": '"', "‘": "'", "’": "'", "（": "(", "）": ")", "《": '"', "》": '"', "【": "[",
     "】": "]"}
)  # fmt: skip


@dataclass(frozen=True)
class Prepared:
    plain: str  # numbers written out
    protected: Protected  # and glossary terms replaced by placeholders


def prepare(text: str, terms: Mapping[str, str]) -> Prepared:
    """What the model reads for `text` (steps 1 of the policy)."""
    plain, _ = normalise_numbers(text)
    return Prepared(plain, protect(plain, terms))


def translate_segments(
    segments: Sequence[Segment],
    translator: Translator,
    terms: Mapping[str, str] | None = None,
    *,
    retry: bool = True,
    stage: str = "translate",
    on_progress: ProgressCallback | None = None,
) -> tuple[CheckedSegment, ...]:
    """Checked English for every segment, in the order given (see the module docstring).

    `terms` (zh -> en) are enforced; progress is reported as `stage` (and "retry", or
    "<stage> retry" for another stage) through `on_progress`.
    """
    terms = terms or {}
    todo = [s for s in segments if s.translatable]
    prepared = [prepare(s.analysis, terms) for s in todo]
    english = translator.translate(
        [p.protected.text for p in prepared], on_batch=_counter(stage, len(todo), on_progress)
    )
    done: dict[str, CheckedSegment] = {}
    broken: list[tuple[Segment, Prepared, list[str]]] = []
    for segment, p, en in zip(todo, prepared, english, strict=True):
        restored, problems = restore(en, p.protected.slots)
        if problems:
            broken.append((segment, p, problems))
        else:
            done[segment.id] = _checked(segment, restored, p.protected.text, terms)
    if broken:
        again = translator.translate([p.plain for _, p, _ in broken])
        for (segment, p, problems), en in zip(broken, again, strict=True):
            fallback = tuple(
                Flag("term_missing", f"{problem}; translated again without the glossary")
                for problem in problems
            )
            done[segment.id] = _checked(segment, en, p.plain, terms, fallback)
    if retry:
        done.update(_retry_flagged(todo, done, translator, terms, stage, on_progress))
    return tuple(done[s.id] if s.translatable else _copied(s) for s in segments)


def _checked(
    segment: Segment,
    en: str,
    model_input: str,
    terms: Mapping[str, str],
    found: tuple[Flag, ...] = (),
    *,
    retried: bool = False,
) -> CheckedSegment:
    """The checks run on the Simplified copy the model's input was made from. A control
    character a model may write is dropped: the briefing (XML) cannot hold it."""
    en = remove_illegal(en)[0]
    return CheckedSegment(
        id=segment.id,
        parent=segment.parent,
        zh=segment.zh,
        en=en,
        flags=found + check_pair(segment.analysis, en, terms),
        model_input=None if model_input == segment.analysis else model_input,
        retried=retried,
    )


def _copied(segment: Segment) -> CheckedSegment:
    en = segment.zh.translate(_PUNCT_TO_LATIN).strip()
    return CheckedSegment(segment.id, segment.parent, segment.zh, en, (), origin="copy")


def _retry_flagged(
    todo: Sequence[Segment],
    done: Mapping[str, CheckedSegment],
    translator: Translator,
    terms: Mapping[str, str],
    stage: str,
    on_progress: ProgressCallback | None,
) -> dict[str, CheckedSegment]:
    """Step 6: the flagged segments whose retry won, by id."""
    flagged = [s for s in todo if done[s.id].flags]
    if not flagged:
        return {}
    # unprotected: a placeholder broken twice would be one more thing to go wrong
    plain = [normalise_numbers(s.analysis)[0] for s in flagged]
    label = "retry" if stage == "translate" else f"{stage} retry"
    again = translator.retry(plain, on_batch=_counter(label, len(flagged), on_progress))
    better: dict[str, CheckedSegment] = {}
    for segment, text, en in zip(flagged, plain, again, strict=True):
        candidate = _checked(segment, en, text, terms, retried=True)
        if _better(segment.analysis, candidate, done[segment.id]):
            better[segment.id] = candidate
    return better


def _better(zh: str, new: CheckedSegment, old: CheckedSegment) -> bool:
    """Fewer flags wins; on a tie, the length nearer that of a typical translation."""
    if len(new.flags) != len(old.flags):
        return len(new.flags) < len(old.flags)
    return length_deviation(zh, new.en) < length_deviation(zh, old.en)


def _counter(
    stage: str, total: int, on_progress: ProgressCallback | None
) -> Callable[[int], None] | None:
    """An `on_batch` for a translator that reports `stage`'s progress, starting at 0."""
    if on_progress is None or total <= 0:
        return None
    callback = on_progress
    done = 0
    callback(ProgressEvent(stage, 0, total))

    def on_batch(n: int) -> None:
        nonlocal done
        done = min(total, done + n)
        callback(ProgressEvent(stage, done, total))

    return on_batch
