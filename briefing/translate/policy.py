"""The translation policy: the one place where a segment's English is made.

For every segment, in this order:

0. **memory** (when a translation memory is consulted): segments are grouped into the
   source sentences they were cut from, and each sentence is looked up by the key of its
   Simplified text (`briefing.memory`). A reviewer's English (``edited`` or ``approved``,
   for the sentence or, stored when it could not be split into sentences, for its whole
   paragraph) is used as is: not sent to the model, not retried, still checked and
   flagged (origin ``human``). Machine English is reused only when it was made under this
   run's signature (origin ``memory``), segment by segment as it was made. A reviewer's
   sentence becomes one segment, with the id of its first piece. Everything else goes on:
1. **prepare**: numbers with 万/亿 written out (the model copies digits but mis-scales
   magnitudes), then glossary terms and names replaced by placeholders
   (`briefing.translate.prepare`);
2. **translate** the prepared text;
3. **restore** the terms' standard English in place of the placeholders;
4. **fallback**: a segment whose placeholders came back dropped, repeated or garbled is
   translated again without them, and marked `unprotected` (a placeholder never reaches
   the output; the term check below flags it if the term's English is then missing);
5. **check** the English against the Chinese (`briefing.checks`);
6. **retry** each flagged segment once with the translator's safer decoding, unprotected;
   the English with fewer flags wins, then the one whose length is more typical. What is
   still flagged stays flagged;
7. **store** each sentence's new machine English in the memory, with the signature
   (one transaction). A sentence that needed the fallback is not stored, so that it
   is made (and checked) again next time.

Segments that are empty or only punctuation are never sent to a model: their English is
their punctuation in Latin form (origin ``copy``). The body of the report and the
summary's clauses and names go through the same policy.

What the model reads never exceeds what it can read: the segmenter sizes segments by
`model_tokens` (what the model reads, not the Chinese), and a segment whose model input
is still longer than the translator's ``max_input_tokens`` (a model's position limit;
translators without one are not limited) is translated in parts cut to fit, whose English
is joined. A segment holding part of a number or word that was itself too long is flagged
``cut``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from briefing.checks import check_pair, length_deviation
from briefing.model import CheckedSegment, DismissedFlag, Flag, ProgressEvent, Segment
from briefing.segment import TokenCounter, fit_pieces, split_sentences
from briefing.translate import Translator, join_english
from briefing.translate.prepare import Protected, normalise_numbers, protect, restore
from briefing.xmlchars import remove_illegal

if TYPE_CHECKING:
    from briefing.memory import Entry, MemoryUse

Terms = Mapping[str, str] | Mapping[str, Sequence[str]]

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


CUT = Flag(
    "cut",
    "a number or word was longer than the model can read at once and was cut in pieces; "
    "the English may be broken where it was cut",
)


def prepare(text: str, terms: Mapping[str, str]) -> Prepared:
    """What the model reads for `text` (steps 1 of the policy)."""
    plain, _ = normalise_numbers(text)
    return Prepared(plain, protect(plain, terms))


def model_tokens(
    translator: Translator, terms: Mapping[str, str] | Mapping[str, Sequence[str]] | None = None
) -> TokenCounter:
    """A token counter for the segmenter that counts what the model reads of a text: the
    longer of its protected and its plain form (a fallback or retry reads the plain one)."""
    terms = standard_terms(terms)

    def count(text: str) -> int:
        return _reads(translator, prepare(text, terms))

    return count


def _reads(translator: Translator, prepared: Prepared) -> int:
    return max(translator.count_tokens(prepared.protected.text),
               translator.count_tokens(prepared.plain))  # fmt: skip


@dataclass(frozen=True)
class _Job:
    """A segment and what the model reads of it: one text, or parts when it is too long."""

    segment: Segment
    parts: tuple[Prepared, ...]
    cut: bool  # flagged `cut`


def _jobs(
    segments: Sequence[Segment], translator: Translator, terms: Mapping[str, str]
) -> list[_Job]:
    limit = getattr(translator, "max_input_tokens", None)
    jobs = []
    for segment in segments:
        whole = prepare(segment.analysis, terms)
        if not isinstance(limit, int) or _reads(translator, whole) <= limit:
            jobs.append(_Job(segment, (whole,), segment.cut))
            continue
        pieces = fit_pieces(segment.analysis, model_tokens(translator, terms), limit)
        parts = tuple(prepare(piece.text, terms) for piece in pieces)
        jobs.append(_Job(segment, parts, segment.cut or any(p.cut for p in pieces)))
    return jobs


def _each(
    jobs: Sequence[_Job],
    texts: Callable[[Prepared], str],
    translate: Callable[[list[str]], list[str]],
) -> list[list[str]]:
    """Translate every part of every job in one call; the English of each job's parts."""
    english = iter(translate([texts(part) for job in jobs for part in job.parts]))
    return [[next(english) for _ in job.parts] for job in jobs]


def standard_terms(
    terms: Mapping[str, str] | Mapping[str, Sequence[str]] | None,
) -> dict[str, str]:
    """zh -> the standard English the placeholders put in (the first of its forms)."""
    return {zh: en if isinstance(en, str) else en[0] for zh, en in (terms or {}).items() if en}


def translate_segments(
    segments: Sequence[Segment],
    translator: Translator,
    terms: Terms | None = None,
    *,
    retry: bool = True,
    stage: str = "translate",
    on_progress: ProgressCallback | None = None,
    memory: MemoryUse | None = None,
) -> tuple[CheckedSegment, ...]:
    """Checked English for every segment, in the order given (see the module docstring).

    `terms` (zh -> en, or zh -> (standard English, accepted variants…)) are enforced: the
    placeholders put the standard English in, the checks accept any of the forms; progress
    is reported as `stage` (and "retry", or "<stage> retry" for another stage) through
    `on_progress`. With a `memory`, a sentence (or paragraph) a reviewer gave English for
    comes back as one segment (see step 0), so the result can be shorter than `segments`.
    """
    forms = {zh: (en,) if isinstance(en, str) else tuple(en) for zh, en in (terms or {}).items()}
    if memory is None:
        fresh, _ = _translate_fresh(segments, translator, forms, retry, stage, on_progress)
        return tuple(fresh[s.id] for s in segments)

    from briefing.memory import sentence_key

    groups = sentence_groups(segments)
    paragraphs = {
        parent: sentence_key("".join(g.analysis for g in run))
        for parent, run in _runs(groups)
        if len(run) > 1 and any(g.key for g in run)
    }
    keys = [g.key for g in groups if g.key] + list(paragraphs.values())
    found = memory.memory.lookup(keys)
    recalled: dict[int, list[CheckedSegment]] = {}  # by the id of the (first) group
    covered: set[int] = set()  # groups the memory answered
    for parent, run in _runs(groups):
        whole = found.get(paragraphs.get(parent, ""))
        if whole is not None and whole.human:
            merged = _Group(tuple(s for g in run for s in g.segments),
                            paragraphs[parent], "".join(g.analysis for g in run))  # fmt: skip
            recalled[id(run[0])] = _recalled(merged, whole, forms)
            covered.update(id(g) for g in run)
            continue
        for group in run:
            entry = found.get(group.key or "")
            if entry is None:
                continue
            if entry.human or entry.signature == memory.signature:
                recalled[id(group)] = _recalled(group, entry, forms)
                covered.add(id(group))

    todo = [s for g in groups if id(g) not in covered for s in g.segments]
    fresh, fell_back = _translate_fresh(todo, translator, forms, retry, stage, on_progress)
    out: list[CheckedSegment] = []
    store: list[tuple[str, str, list[str]]] = []
    for group in groups:
        out.extend(recalled.get(id(group), []))
        if id(group) in covered:
            continue
        made = [replace(fresh[s.id], memory_key=group.key) for s in group.segments]
        out.extend(made)
        if group.key and not any(s.id in fell_back for s in group.segments):
            store.append((group.key, group.analysis, [m.en for m in made]))
    memory.memory.store_machine(store, memory.signature)
    return tuple(without_dismissed(out, memory))


def without_dismissed(
    segments: Sequence[CheckedSegment], memory: MemoryUse
) -> list[CheckedSegment]:
    """Step 5 with the memory: a flag a reviewer dismissed as a false alarm, for the very
    English the segment has, is moved from `flags` to `dismissed` (kept, with the reason,
    who and when; no longer shaded or counted)."""
    keys = {s.memory_key for s in segments if s.memory_key and s.flags}
    found = memory.memory.dismissals(k for k in keys if k) if keys else {}
    if not found:
        return list(segments)
    out = []
    for segment in segments:
        dismissals = found.get(segment.memory_key or "", [])
        judged = {(d.kind, d.detail): d for d in dismissals if d.en == segment.en}
        if not judged:
            out.append(segment)
            continue
        kept = tuple(f for f in segment.flags if (f.kind, f.detail) not in judged)
        gone = tuple(
            DismissedFlag(f, d.reason, d.who, d.at, d.id)
            for f in segment.flags
            if (d := judged.get((f.kind, f.detail))) is not None
        )
        out.append(replace(segment, flags=kept, dismissed=segment.dismissed + gone))
    return out


def translate_alternatives(
    segments: Sequence[Segment],
    translator: Translator,
    terms: Terms | None = None,
    n: int = 4,
) -> dict[str, list[CheckedSegment]]:
    """Up to `n` different checked English for each segment, by id, best first: the
    model's n-best list, made and checked exactly as `translate_segments` makes English
    (numbers written out, terms protected and restored, checks). A hypothesis whose
    placeholders broke is left out; when every one broke, the unprotected text's are
    given, marked `unprotected`. Punctuation is copied, as always. The memory is not
    consulted: these are the model's, for a reviewer to pick from."""
    forms = {zh: (en,) if isinstance(en, str) else tuple(en) for zh, en in (terms or {}).items()}
    standard = standard_terms(forms)
    out: dict[str, list[CheckedSegment]] = {s.id: [_copied(s)] for s in segments
                                            if not s.translatable}  # fmt: skip
    jobs = _jobs([s for s in segments if s.translatable], translator, standard)
    texts = [part.protected.text for job in jobs for part in job.parts]
    given = iter(translator.alternatives(texts, n) if texts else [])
    broken: list[_Job] = []
    for job in jobs:
        per_part = [next(given) or [""] for _ in job.parts]
        made: list[CheckedSegment] = []
        for k in range(max(len(h) for h in per_part)):
            restored: list[str] = []
            problems: list[str] = []
            for part, hypotheses in zip(job.parts, per_part, strict=True):
                text, wrong = restore(hypotheses[min(k, len(hypotheses) - 1)],
                                      part.protected.slots)  # fmt: skip
                restored.append(text)
                problems.extend(wrong)
            if not problems:
                made.append(_checked(job, restored, [p.protected.text for p in job.parts],
                                     forms))  # fmt: skip
        if made:
            out[job.segment.id] = made
        else:
            broken.append(job)
    if broken:
        plain = iter(translator.alternatives([p.plain for job in broken for p in job.parts], n))
        for job in broken:
            per_part = [next(plain) or [""] for _ in job.parts]
            out[job.segment.id] = [
                _checked(job, [h[min(k, len(h) - 1)] for h in per_part],
                         [p.plain for p in job.parts], forms, unprotected=True)
                for k in range(max(len(h) for h in per_part))
            ]  # fmt: skip
    return {sid: _distinct(found) for sid, found in out.items()}


def _distinct(segments: Sequence[CheckedSegment]) -> list[CheckedSegment]:
    """The first segment of each English, in order."""
    first: dict[str, CheckedSegment] = {}
    for segment in segments:
        first.setdefault(segment.en, segment)
    return list(first.values())


@dataclass(frozen=True, eq=False)
class _Group:
    """The segments one source sentence was cut into (consecutive, of one parent)."""

    segments: tuple[Segment, ...]
    key: str | None  # the memory's key; None when there is nothing to translate
    analysis: str  # the sentence's Simplified text

    @property
    def parent(self) -> str:
        return self.segments[0].parent


def sentence_groups(segments: Sequence[Segment]) -> list[_Group]:
    """Group consecutive segments of one parent into the sentences of their joined text
    (`briefing.segment.split_sentences`); a segment that crosses a sentence end joins
    the sentences it touches into one group."""
    from briefing.memory import sentence_key

    groups: list[_Group] = []
    for _, run in itertools.groupby(segments, key=lambda s: s.parent):
        pieces = list(run)
        text = "".join(s.analysis for s in pieces)
        ends = set(itertools.accumulate(len(sentence) for sentence in split_sentences(text)))
        current: list[Segment] = []
        position = 0
        for k, segment in enumerate(pieces):
            current.append(segment)
            position += len(segment.analysis)
            if position in ends or k == len(pieces) - 1:
                analysis = "".join(s.analysis for s in current)
                translatable = any(s.translatable for s in current)
                key = sentence_key(analysis) if translatable else None
                groups.append(_Group(tuple(current), key, analysis))
                current = []
    return groups


def _runs(groups: Sequence[_Group]) -> list[tuple[str, list[_Group]]]:
    return [(parent, list(run)) for parent, run in itertools.groupby(groups, lambda g: g.parent)]


def _recalled(
    group: _Group, entry: Entry, terms: Mapping[str, Sequence[str]]
) -> list[CheckedSegment]:
    """The segments of a sentence (or paragraph) the memory has English for: machine
    English made under this signature, segment by segment as it was made; a reviewer's,
    one segment for the sentence."""
    pieces = entry.machine_pieces
    if not entry.human and pieces is not None and len(pieces) == len(group.segments):
        return [
            replace(_copied(s) if not s.translatable else _remembered(s, en, terms),
                    origin="memory" if s.translatable else "copy", memory_key=entry.key)
            for s, en in zip(group.segments, pieces, strict=True)
        ]  # fmt: skip
    first = group.segments[0]
    return [
        CheckedSegment(
            id=first.id,
            parent=first.parent,
            zh="".join(s.zh for s in group.segments),
            en=entry.en,
            flags=check_pair(group.analysis, entry.en, terms),
            origin="human" if entry.human else "memory",
            status=entry.status,
            memory_key=entry.key,
        )
    ]


def _translate_fresh(
    segments: Sequence[Segment],
    translator: Translator,
    terms: Mapping[str, Sequence[str]],
    retry: bool,
    stage: str,
    on_progress: ProgressCallback | None,
) -> tuple[dict[str, CheckedSegment], set[str]]:
    """Steps 1-6 for `segments`: their checked English by id, and the ids of those that
    needed the fallback."""
    standard = standard_terms(terms)
    if not any(s.translatable for s in segments):
        return {s.id: _copied(s) for s in segments}, set()
    jobs = _jobs([s for s in segments if s.translatable], translator, standard)
    total = sum(len(job.parts) for job in jobs)
    on_batch = _counter(stage, total, on_progress)
    english = _each(jobs, lambda p: p.protected.text,
                    lambda texts: translator.translate(texts, on_batch=on_batch))  # fmt: skip
    done: dict[str, CheckedSegment] = {}
    broken: list[tuple[_Job, list[str]]] = []
    for job, parts in zip(jobs, english, strict=True):
        restored: list[str] = []
        problems: list[str] = []
        for part, en in zip(job.parts, parts, strict=True):
            text, wrong = restore(en, part.protected.slots)
            restored.append(text)
            problems.extend(wrong)
        if problems:
            broken.append((job, problems))
        else:
            done[job.segment.id] = _checked(job, restored, [p.protected.text for p in job.parts],
                                            terms)  # fmt: skip
    if broken:
        again = _each([job for job, _ in broken], lambda p: p.plain, translator.translate)
        for (job, _problems), parts in zip(broken, again, strict=True):
            done[job.segment.id] = _checked(job, parts, [p.plain for p in job.parts], terms,
                                            unprotected=True)  # fmt: skip
    if retry:
        done.update(_retry_flagged(jobs, done, translator, terms, stage, on_progress))
    for segment in segments:
        if not segment.translatable:
            done[segment.id] = _copied(segment)
    return done, {job.segment.id for job, _ in broken}




def _checked(
    job: _Job,
    parts: Sequence[str],
    model_input: Sequence[str],
    terms: Mapping[str, Sequence[str]],
    *,
    retried: bool = False,
    unprotected: bool = False,
) -> CheckedSegment:
    """The checks run on the Simplified copy the model's input was made from. A control
    character a model may write is dropped: the briefing (XML) cannot hold it. The model
    input of a segment translated in parts is the parts, one per line."""
    segment = job.segment
    en = remove_illegal(join_english(parts))[0]
    read = "\n".join(model_input)
    return CheckedSegment(
        id=segment.id,
        parent=segment.parent,
        zh=segment.zh,
        en=en,
        flags=((CUT,) if job.cut else ()) + check_pair(segment.analysis, en, terms),
        model_input=None if read == segment.analysis else read,
        retried=retried,
        unprotected=unprotected,
    )


def _remembered(segment: Segment, en: str, terms: Mapping[str, Sequence[str]]) -> CheckedSegment:
    """Machine English the memory kept for a segment, checked as it was when it was made."""
    return CheckedSegment(segment.id, segment.parent, segment.zh, en,
                          check_pair(segment.analysis, en, terms))  # fmt: skip


def _copied(segment: Segment) -> CheckedSegment:
    en = segment.zh.translate(_PUNCT_TO_LATIN).strip()
    return CheckedSegment(segment.id, segment.parent, segment.zh, en, (), origin="copy")


def _retry_flagged(
    jobs: Sequence[_Job],
    done: Mapping[str, CheckedSegment],
    translator: Translator,
    terms: Mapping[str, Sequence[str]],
    stage: str,
    on_progress: ProgressCallback | None,
) -> dict[str, CheckedSegment]:
    """Step 6: the flagged segments whose retry won, by id."""
    flagged = [job for job in jobs if done[job.segment.id].flags]
    if not flagged:
        return {}
    # unprotected: a placeholder broken twice would be one more thing to go wrong
    label = "retry" if stage == "translate" else f"{stage} retry"
    on_batch = _counter(label, sum(len(job.parts) for job in flagged), on_progress)
    again = _each(flagged, lambda p: p.plain,
                  lambda texts: translator.retry(texts, on_batch=on_batch))  # fmt: skip
    better: dict[str, CheckedSegment] = {}
    for job, parts in zip(flagged, again, strict=True):
        candidate = _checked(job, parts, [p.plain for p in job.parts], terms, retried=True,
                             unprotected=done[job.segment.id].unprotected)  # fmt: skip
        if _better(job.segment.analysis, candidate, done[job.segment.id]):
            better[job.segment.id] = candidate
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
