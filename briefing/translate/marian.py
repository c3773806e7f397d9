"""The MarianMT engine on transformers + torch.

Segments are sorted by length and batched (padding costs less in similar-length
batches), translated with beam search (no sampling, so output is deterministic),
and returned in the order they came in. The model is loaded once per process.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from briefing.errors import ModelUnavailable, UsageError
from briefing.options import DEFAULTS
from briefing.translate import MODEL_FILE_ERRORS, SAFER_DECODING, ModelEngine
from briefing.translate.resolve import HUB_ID, ResolvedModel

log = logging.getLogger(__name__)

MAX_MODEL_TOKENS = 512  # the model's position limit


def choose_device(device: str) -> str:
    """cpu, cuda or auto (cuda when available)."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise UsageError(
            "--device cuda was asked for, but no CUDA GPU is available to torch",
            "use --device cpu (or auto), or install a CUDA build of torch on a machine with a GPU",
        )
    if device not in {"cpu", "cuda"}:
        raise UsageError(f"unknown device {device!r}", "use --device cpu, cuda or auto")
    return device


def quiet_transformers() -> None:
    """transformers prints progress bars and advice on its own; our progress is enough."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]


@lru_cache(maxsize=4)
def _load_tokenizer(path: str) -> Any:
    from transformers import AutoTokenizer

    quiet_transformers()
    with warnings.catch_warnings():
        # MarianTokenizer recommends sacremoses, then never calls its normaliser (5.x).
        warnings.filterwarnings("ignore", message=".*sacremoses")
        return AutoTokenizer.from_pretrained(path)


@lru_cache(maxsize=2)
def _load_model(path: str, use_safetensors: bool) -> Any:
    """The weights read from the folder (on the CPU): where an unreadable file shows."""
    from transformers import AutoModelForSeq2SeqLM

    quiet_transformers()
    return AutoModelForSeq2SeqLM.from_pretrained(path, use_safetensors=use_safetensors)


@lru_cache(maxsize=2)
def _on_device(path: str, device: str, use_safetensors: bool) -> Any:
    """The model moved to `device`, ready to generate. Errors here (a GPU out of memory)
    are not about the files and are not reported as a missing model."""
    model = _load_model(path, use_safetensors)
    model.to(device)
    model.eval()
    return model


class MarianTranslator(ModelEngine):
    """A `Translator` backed by a MarianMT model folder."""

    engine = "transformers"
    compute_type = "float32"

    def __init__(
        self,
        model: ResolvedModel,
        *,
        device: str = DEFAULTS.device,
        beam_size: int = DEFAULTS.beam_size,
        batch_size: int = DEFAULTS.batch_size,
        allow_pickle: bool = DEFAULTS.allow_pickle,
    ) -> None:
        if beam_size < 1:
            raise UsageError(f"--beam-size must be at least 1, not {beam_size}", "try 4")
        if batch_size < 1:
            raise UsageError(f"--batch-size must be at least 1, not {batch_size}", "try 16")
        if model.pickle_weights and not allow_pickle:
            raise ModelUnavailable(
                f"{model.path} has only pickle weights ({model.weights}), which can run code "
                "when loaded",
                f"{HUB_ID} ships pytorch_model.bin; pass --allow-pickle if you trust where the "
                "folder came from (it is then loaded with torch's restricted weights-only "
                "unpickler)",
            )
        self.model = model
        self.device = choose_device(device)
        self.beam_size = beam_size
        self.batch_size = batch_size
        self.generated_tokens = 0  # English tokens produced so far (for benchmarks)
        try:
            self._tokenizer = _load_tokenizer(str(model.path))
        except MODEL_FILE_ERRORS as exc:
            raise ModelUnavailable(
                f"cannot load the tokenizer from {model.path}: {exc}".splitlines()[0],
                "check that source.spm, target.spm and vocab.json are intact, or download the "
                "model again",
            ) from exc

    def count_tokens(self, text: str) -> int:
        """Source tokens the model sees for `text`, including the closing </s>."""
        return len(self._tokenizer(text).input_ids)

    def load(self) -> None:
        self._model()

    def _model(self) -> Any:
        from safetensors import SafetensorError

        unreadable: tuple[type[Exception], ...] = (*MODEL_FILE_ERRORS, SafetensorError)
        path, safe = str(self.model.path), not self.model.pickle_weights
        try:
            _load_model(path, safe)
        except unreadable as exc:
            raise ModelUnavailable(
                f"cannot load the model from {self.model.path}: {exc}".splitlines()[0],
                "download the model again with `briefing model download`",
            ) from exc
        return _on_device(path, self.device, safe)

    def _generate(
        self,
        texts: Sequence[str],
        on_batch: Callable[[int], None] | None,
        *,
        safer: bool,
        n: int,
    ) -> list[list[str]]:
        import torch

        if not texts:
            return []
        model = self._model()
        tokenizer = self._tokenizer
        beams = max(self.beam_size, n)
        order = sorted(range(len(texts)), key=lambda i: self.count_tokens(texts[i]), reverse=True)
        results: list[list[str]] = [[] for _ in texts]
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            inputs = tokenizer(
                [texts[i] for i in batch],
                return_tensors="pt",
                padding=True,
            ).to(self.device)
            # Each segment's English is bounded by its own length, not by the longest in
            # its batch: a loop on a short sentence stops early, and the output does not
            # depend on which segments share a batch. Counted in decoder tokens, the
            # decoder start token included.
            limits = [1 + max_new_tokens(int(k)) for k in inputs["attention_mask"].sum(dim=1)]
            with torch.inference_mode():
                output = model.generate(
                    **inputs,
                    num_beams=beams,
                    num_return_sequences=n,
                    do_sample=False,
                    max_length=max(limits),
                    logits_processor=[_length_limit(limits, beams, model.config)],
                    **(SAFER_DECODING if safer else {}),
                )
            # transformers 5 decodes a shared-vocabulary Marian model's output with the
            # *source* SentencePiece model unless told otherwise; English needs the target one.
            decoded = tokenizer.batch_decode(
                output, skip_special_tokens=True, use_source_tokenizer=False
            )
            special = set(tokenizer.all_special_ids)
            self.generated_tokens += sum(t not in special for row in output.tolist() for t in row)
            for k, i in enumerate(batch):  # n rows per text, best first
                results[i] = [english.strip() for english in decoded[k * n : (k + 1) * n]]
            if on_batch is not None:
                on_batch(len(batch))
        return results


def _length_limit(limits: list[int], num_beams: int, config: Any) -> Any:
    """A logits processor that ends each sequence at its own limit, the way transformers'
    forced-EOS processor ends every sequence at `max_length`."""
    import torch
    from transformers import LogitsProcessor

    eos = int(config.eos_token_id)
    per_row = torch.tensor(limits).repeat_interleave(num_beams)

    class PerSequenceLimit(LogitsProcessor):
        def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
            at_limit = per_row.to(scores.device) <= input_ids.shape[-1] + 1
            if bool(at_limit.any()):
                scores = scores.clone()
                scores[at_limit] = -float("inf")
                scores[at_limit, eos] = 0.0
            return scores

    return PerSequenceLimit()


def max_new_tokens(source_tokens: int) -> int:
    """Room for the English: generous (English runs longer than Chinese in tokens), but
    bounded so a model stuck in a loop stops."""
    return min(MAX_MODEL_TOKENS, 2 * source_tokens + 16)
