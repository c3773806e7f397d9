"""Which engine translates: transformers, or CTranslate2 when a matching conversion exists.

``auto`` uses CTranslate2 only when it is installed and a conversion of exactly the
resolved model and revision is in BRIEFING_HOME (`briefing model convert` makes one);
otherwise transformers. ``ctranslate2`` with no such conversion is an error (exit 3),
never a silent fallback.
"""

from __future__ import annotations

import logging

from briefing.errors import ModelUnavailable
from briefing.options import DEFAULTS, TranslationOptions
from briefing.translate import ModelEngine
from briefing.translate.resolve import ResolvedModel

log = logging.getLogger(__name__)


def make_translator(model: ResolvedModel, options: TranslationOptions = DEFAULTS) -> ModelEngine:
    """A `Translator` for `model` on the engine `options` ask for (see the module docstring)."""
    from briefing.translate.ct2 import CTranslate2Translator, ct2_available, find_conversion

    engine = options.engine
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
            device=options.device,
            beam_size=options.beam_size,
            max_batch_tokens=options.max_batch_tokens,
            translators=options.translators,
            threads=options.threads,
        )
    from briefing.translate.marian import MarianTranslator

    return MarianTranslator(
        model,
        device=options.device,
        beam_size=options.beam_size,
        batch_size=options.batch_size,
        allow_pickle=options.allow_pickle,
    )
