"""Translate: the `Translator` protocol and what the MarianMT engines share.

A `Translator` takes a batch of texts and returns their English in the same order;
`retry` does the same with safer decoding, and `alternatives` gives each text's n-best
list (for a reviewer to pick from, in `briefing review`). The engines are
`briefing.translate.marian` (transformers) and `briefing.translate.ct2` (CTranslate2), chosen by
`briefing.translate.engines`. What the model reads, and what is done with what it
writes (numbers written out, terms protected, placeholders restored, checks, retry), is
the translation policy, `briefing.translate.policy`: the one place where English is made.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from briefing.model import EngineInfo
from briefing.translate.resolve import ResolvedModel


class Translator(Protocol):
    """Anything that turns a batch of Chinese texts into English, in order."""

    @property
    def name(self) -> str: ...

    def count_tokens(self, text: str) -> int: ...

    def describe(self) -> EngineInfo: ...

    def translate(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]: ...

    def retry(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        """English again with safer decoding, for segments the checks flagged."""
        ...

    def alternatives(self, texts: Sequence[str], n: int) -> list[list[str]]:
        """Up to `n` different English hypotheses for each text, best first (the n-best
        list of beam search; the first is what `translate` gives), for a reviewer to pick
        from."""
        ...


# What a missing, truncated or corrupt model file raises while it is read (seen with
# transformers 5, sentencepiece, safetensors, torch.load and CTranslate2 4): a bad JSON
# file is a ValueError, a bad SentencePiece model or CTranslate2 model.bin a RuntimeError,
# a truncated pickle an OSError or EOFError, a refused one an UnpicklingError. Anything
# else (a TypeError, a KeyError…) is a bug of ours and must not pass for "model unavailable".
MODEL_FILE_ERRORS: tuple[type[Exception], ...] = (
    OSError, ValueError, RuntimeError, EOFError, pickle.UnpicklingError
)  # fmt: skip


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

    def count_tokens(self, text: str) -> int:
        raise NotImplementedError

    def load(self) -> None:
        """Load the weights now (they are otherwise loaded by the first translation)."""

    def translate(
        self,
        texts: Sequence[str],
        on_batch: Callable[[int], None] | None = None,
        *,
        safer: bool = False,
    ) -> list[str]:
        """English for each text, in the order given. `on_batch(n)` reports progress."""
        return [best[0] for best in self._generate(texts, on_batch, safer=safer, n=1)]

    def retry(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        """English again with SAFER_DECODING, for segments the checks flagged."""
        return self.translate(texts, on_batch, safer=True)

    def alternatives(self, texts: Sequence[str], n: int) -> list[list[str]]:
        """The n-best list of beam search for each text (a beam at least `n` wide), best
        first, duplicates removed: the first is `translate`'s English when `n` is at most
        the beam size."""
        if n < 1:
            raise ValueError(f"n must be at least 1, not {n}")
        return [distinct(hypotheses) for hypotheses in self.hypotheses(texts, n)]

    def hypotheses(self, texts: Sequence[str], n: int) -> list[list[str]]:
        """The `n` best hypotheses of beam search for each text (a beam of at least `n`)."""
        return self._generate(texts, None, safer=False, n=n)

    def _generate(
        self,
        texts: Sequence[str],
        on_batch: Callable[[int], None] | None,
        *,
        safer: bool,
        n: int,
    ) -> list[list[str]]:
        """Up to `n` hypotheses for each text, best first: what each engine does."""
        raise NotImplementedError

    @property
    def name(self) -> str:
        return f"{self.model.id} ({self.engine}, beam {self.beam_size}, {self.device})"

    @property
    def max_input_tokens(self) -> int:
        """Source tokens the model can read at once, </s> included: its position limit."""
        return max_positions(str(self.model.path))

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


DEFAULT_MAX_POSITIONS = 512  # opus-mt-zh-en's, when a config does not say


@lru_cache(maxsize=8)
def max_positions(folder: str) -> int:
    """`max_position_embeddings` from a model folder's config.json."""
    try:
        config = json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DEFAULT_MAX_POSITIONS
    value = config.get("max_position_embeddings") if isinstance(config, dict) else None
    return value if isinstance(value, int) and value > 0 else DEFAULT_MAX_POSITIONS


def distinct(texts: Sequence[str]) -> list[str]:
    """`texts` in order, each once (two beams often decode to the same words)."""
    return list(dict.fromkeys(texts))


def join_english(pieces: Sequence[str]) -> str:
    """One unit's English from its segments' English."""
    return " ".join(piece for piece in pieces if piece)
