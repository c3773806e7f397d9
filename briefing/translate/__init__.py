"""Translate: `Segment`s -> English, through a `Translator`.

A `Translator` takes a batch of texts and returns their English in the same order.
The MarianMT engine (`briefing.translate.marian`) is the production one. What the model
reads is prepared first (`briefing.translate.prepare`: numbers written out, glossary
terms as placeholders). Segments that are empty or only
punctuation are never sent to a model: their "translation" is their punctuation in
Latin form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from briefing.model import EngineInfo, Flag, Segment
from briefing.translate.prepare import Protected, normalise_numbers, protect, restore
from briefing.translate.resolve import ResolvedModel

# Chinese punctuation -> what English text uses, for punctuation-only segments.
_PUNCT_TO_LATIN = str.maketrans(
    {"。": ".", "，": ",", "、": ",", "；": ";", "：": ":", "！": "!", "？": "?", "“": '"',
     "”": '"', "‘": "'", "’": "'", "（": "(", "）": ")", "《": '"', "》": '"', "【": "[",
     "】": "]"}
)  # fmt: skip


class Translator(Protocol):
    """Anything that turns a batch of Chinese texts into English, in order."""

    @property
    def name(self) -> str: ...

    def count_tokens(self, text: str) -> int: ...

    def describe(self) -> EngineInfo: ...

    def translate(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]: ...


# For `retry`: no 3-gram twice (loops) and a mild repetition penalty; both engines take
# these decoding options under the same names.
SAFER_DECODING = {"no_repeat_ngram_size": 3, "repetition_penalty": 1.2}


class ModelEngine:
    """What the MarianMT engines share: their name and description from the model,
    engine, compute type, device and beam size they set, and `retry`."""

    model: ResolvedModel
    engine: str
    compute_type: str
    device: str
    beam_size: int

    def translate(
        self,
        texts: Sequence[str],
        on_batch: Callable[[int], None] | None = None,
        *,
        safer: bool = False,
    ) -> list[str]:
        raise NotImplementedError

    def retry(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        """English again with SAFER_DECODING, for segments the checks flagged."""
        return self.translate(texts, on_batch, safer=True)

    @property
    def name(self) -> str:
        return f"{self.model.id} ({self.engine}, beam {self.beam_size}, {self.device})"

    def describe(self) -> EngineInfo:
        return EngineInfo(
            model_id=self.model.id,
            model_revision=self.model.revision,
            engine=self.engine,
            compute_type=self.compute_type,
            device=self.device,
            beam_size=self.beam_size,
            test_model=self.model.test_model,
        )


@dataclass(frozen=True)
class Translated:
    segment: Segment
    en: str
    model_input: str | None = None  # what the model read, when it differs from the segment
    flags: tuple[Flag, ...] = ()  # found while translating (a placeholder the model broke)


@dataclass(frozen=True)
class Prepared:
    plain: str  # numbers written out
    protected: Protected  # and glossary terms replaced by placeholders


def prepare(text: str, terms: Mapping[str, str]) -> Prepared:
    plain, _ = normalise_numbers(text)
    return Prepared(plain, protect(plain, terms))


def translate_segments(
    segments: Sequence[Segment],
    translator: Translator,
    on_batch: Callable[[int], None] | None = None,
    terms: Mapping[str, str] | None = None,
) -> list[Translated]:
    """English for every segment, in document order.

    The model reads each segment with its numbers written out and its glossary terms
    (`terms`, zh -> en) as placeholders; a segment whose placeholders come back broken is
    translated again without them, and flagged.
    """
    todo = [s for s in segments if s.translatable]
    prepared = [prepare(s.analysis, terms or {}) for s in todo]
    english = translator.translate([p.protected.text for p in prepared], on_batch=on_batch)
    done: dict[str, Translated] = {}
    broken: list[tuple[Segment, Prepared, list[str]]] = []
    for segment, p, en in zip(todo, prepared, english, strict=True):
        restored, problems = restore(en, p.protected.slots)
        if problems:
            broken.append((segment, p, problems))
        else:
            done[segment.id] = Translated(segment, restored, _differs(p.protected.text, segment))
    if broken:
        again = translator.translate([p.plain for _, p, _ in broken])
        for (segment, p, problems), en in zip(broken, again, strict=True):
            flags = tuple(
                Flag("term_missing", f"{problem}; translated again without the glossary")
                for problem in problems
            )
            done[segment.id] = Translated(segment, en, _differs(p.plain, segment), flags)
    return [
        done[s.id] if s.translatable else Translated(s, s.zh.translate(_PUNCT_TO_LATIN).strip())
        for s in segments
    ]


def _differs(model_input: str, segment: Segment) -> str | None:
    return None if model_input == segment.analysis else model_input


def join_english(pieces: Sequence[str]) -> str:
    """One unit's English from its segments' English."""
    return " ".join(piece for piece in pieces if piece)
