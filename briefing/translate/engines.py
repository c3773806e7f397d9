"""Which engine translates: transformers, or CTranslate2 when a matching conversion exists.

``auto`` uses CTranslate2 only when it is installed and a conversion of exactly the
resolved model and revision is in BRIEFING_HOME (`briefing model convert` makes one);
otherwise transformers. ``ctranslate2`` with no such conversion is an error (exit 3),
never a silent fallback.
"""

from __future__ import annotations

import logging
from typing import Any

from briefing.errors import ModelUnavailable
from briefing.translate.resolve import ResolvedModel

log = logging.getLogger(__name__)

ENGINES = ("auto", "transformers", "ctranslate2")


def make_translator(
    model: ResolvedModel,
    engine: str = "auto",
    *,
    device: str = "auto",
    beam_size: int = 4,
    batch_size: int = 16,
    max_batch_tokens: int | None = None,
    translators: int | None = None,
    threads: int | None = None,
    allow_pickle: bool = False,
) -> Any:
    """A `Translator` for `model` on the engine asked for (see the module docstring)."""
    from briefing.translate.ct2 import (
        DEFAULT_MAX_BATCH_TOKENS,
        CTranslate2Translator,
        ct2_available,
        find_conversion,
    )

    folder = find_conversion(model) if engine != "transformers" and ct2_available() else None
    if engine == "ctranslate2" and folder is None:
        why = "CTranslate2 is not installed" if not ct2_available() else "no conversion"
        raise ModelUnavailable(
            f"--engine ctranslate2: {why} of {model.id} at revision {model.revision or 'unknown'}",
            "run `briefing model convert` (with the same --model) first, or use "
            "--engine transformers",
        )
    if folder is not None:
        log.info("using the CTranslate2 conversion in %s", folder)
        return CTranslate2Translator(
            model,
            folder,
            device=device,
            beam_size=beam_size,
            max_batch_tokens=max_batch_tokens or DEFAULT_MAX_BATCH_TOKENS,
            translators=translators,
            threads=threads,
        )
    from briefing.translate.marian import MarianTranslator

    return MarianTranslator(
        model,
        device=device,
        beam_size=beam_size,
        batch_size=batch_size,
        allow_pickle=allow_pickle,
    )
