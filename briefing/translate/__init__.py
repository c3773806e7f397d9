"""Translate: `Segment`s -> English, through a `Translator`.

A `Translator` takes a batch of texts and returns their English in the same order.
The MarianMT engine (`briefing.translate.marian`) is the production one; wrappers
(translation memory, glossary) will wrap it. Segments that are empty or only
punctuation are never sent to a model: their "translation" is their punctuation in
Latin form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from briefing.model import EngineInfo, Segment

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


@dataclass(frozen=True)
class Translated:
    segment: Segment
    en: str


def translate_segments(
    segments: Sequence[Segment],
    translator: Translator,
    on_batch: Callable[[int], None] | None = None,
) -> list[Translated]:
    """English for every segment, in document order; one call to the translator."""
    todo = [s for s in segments if s.translatable]
    english = iter(translator.translate([s.analysis for s in todo], on_batch=on_batch))
    return [
        Translated(s, next(english) if s.translatable else s.zh.translate(_PUNCT_TO_LATIN).strip())
        for s in segments
    ]


def join_english(pieces: Sequence[str]) -> str:
    """One unit's English from its segments' English."""
    return " ".join(piece for piece in pieces if piece)
