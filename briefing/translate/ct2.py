"""The MarianMT engine on CTranslate2: the same model, converted, several times faster on CPU.

`convert_model` converts a resolved transformers model folder into
``BRIEFING_HOME/ct2/<name>/`` (int8 weights by default) and records which model and
revision it came from; `find_conversion` finds the conversion of a resolved model, and
only of that model at that revision. The engine tokenizes with SentencePiece and the
model's vocab.json exactly as the transformers tokenizer does (pieces, ``<unk>`` for
pieces outside the vocabulary, ``</s>`` at the end), so it imports neither torch nor
transformers when it translates.

Batches are built by tokens (`pack`): segments are sorted by length and packed while the
padded batch stays within ``max_batch_tokens`` and its lengths stay within 80 % (or 4 tokens)
of each other; results come back in document order.
``translators`` × ``threads``: that many model replicas, each with that many threads
(default: one single-threaded translator per core, which measured fastest on CPU).
CTranslate2's own decoding defaults differ from transformers' (beam 2, at most 256 tokens,
inputs cut at 1024), so every option is set here explicitly.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from briefing.errors import ModelUnavailable, UsageError
from briefing.options import DEFAULTS
from briefing.translate import MODEL_FILE_ERRORS, SAFER_DECODING, ModelEngine
from briefing.translate.resolve import ResolvedModel, briefing_home, replace_dir

log = logging.getLogger(__name__)

CT2_METADATA = "briefing-ct2.json"
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
# a batch's shortest segment is at least SPREAD × its longest, or at most SLACK tokens shorter
SPREAD, SLACK = 0.8, 4
QUANTIZATIONS = ("int8", "float32", "int8_float16", "float16")
EOS, UNK, PAD = "</s>", "<unk>", "<pad>"


def _max_new_tokens(source_tokens: int) -> int:
    # the same bound as the transformers engine (kept there, where torch is imported lazily)
    return min(512, 2 * source_tokens + 16)


def conversions_dir() -> Path:
    return briefing_home() / "ct2"


def _folder_name(model: ResolvedModel) -> str:
    import hashlib

    key = f"{model.id}@{model.revision or ''}".encode()
    readable = Path(model.id).name if Path(model.id).is_absolute() else model.id
    return readable.replace("/", "--") + "-" + hashlib.sha256(key).hexdigest()[:10]


def find_conversion(model: ResolvedModel) -> Path | None:
    """The converted copy of exactly this model and revision, if there is one."""
    root = conversions_dir()
    if not root.is_dir():
        return None
    for folder in sorted(root.iterdir()):
        meta = folder / CT2_METADATA
        if not meta.is_file():
            continue
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("skipping the conversion in %s: cannot read %s (%s)", folder, meta, exc)
            continue
        if not isinstance(data, dict):
            log.warning("skipping the conversion in %s: %s is not a JSON object", folder, meta)
            continue
        same = data.get("source_id") == model.id and data.get("source_revision") == model.revision
        if same and (folder / "model.bin").is_file():
            return folder
    return None


def convert_model(model: ResolvedModel, quantization: str = "int8", force: bool = False) -> Path:
    """Convert `model` for CTranslate2 into BRIEFING_HOME/ct2/; atomic (a failure or
    Ctrl-C leaves no half-written folder, and an earlier conversion stays until the new
    one is complete)."""
    if quantization not in QUANTIZATIONS:
        raise UsageError(
            f"unknown quantization {quantization!r}", "use " + ", ".join(QUANTIZATIONS)
        )
    try:
        import ctranslate2
        from ctranslate2.converters import TransformersConverter
    except ImportError:
        raise ModelUnavailable(
            "CTranslate2 is not installed", "install it with `pip install ctranslate2`"
        ) from None
    dest = conversions_dir() / _folder_name(model)
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    import warnings

    from briefing.translate.marian import quiet_transformers

    quiet_transformers()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*sacremoses")
            TransformersConverter(str(model.path)).convert(
                str(partial), quantization=quantization, force=True
            )
        for name in TOKENIZER_FILES:
            shutil.copy2(model.path / name, partial / name)
        (partial / CT2_METADATA).write_text(
            json.dumps(
                {
                    "source_id": model.id,
                    "source_revision": model.revision,
                    "source_path": str(model.path),
                    "quantization": quantization,
                    "test_model": model.test_model,
                    "ctranslate2": ctranslate2.__version__,
                    "converted": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                },
                indent=1,
            ),
            encoding="utf-8",
        )
        replace_dir(partial, dest)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return dest


def ct2_available() -> bool:
    try:
        import ctranslate2  # noqa: F401
    except ImportError:
        return False
    return True


def pack(
    lengths: Sequence[int],
    max_tokens: int,
    parallel: int = 1,
    spread: float = SPREAD,
    slack: int = SLACK,
) -> list[list[int]]:
    """Indices of `lengths` in batches, longest first.

    A segment joins the batch being filled while the padded batch (count × longest) stays
    within `max_tokens` and it is at least `spread` × the batch's longest (or at most
    `slack` tokens shorter): every sequence in a batch is padded to, and may decode as
    long as, the longest one. A segment longer than `max_tokens` is a batch of its own.
    Fewer batches than `parallel` translators are split (largest first), so that a small
    request keeps them all busy.
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i], reverse=True)
    batches: list[list[int]] = []
    for i in order:
        if batches:
            longest = lengths[batches[-1][0]]
            fits = (len(batches[-1]) + 1) * longest <= max_tokens
            close = lengths[i] >= spread * longest or longest - lengths[i] <= slack
            if fits and close:
                batches[-1].append(i)
                continue
        batches.append([i])
    while len(batches) < parallel:
        largest = max(batches, key=lambda b: len(b) * lengths[b[0]], default=[])
        if len(largest) < 2:
            break
        at = batches.index(largest)
        half = (len(largest) + 1) // 2
        batches[at : at + 1] = [largest[:half], largest[half:]]
    return batches


@lru_cache(maxsize=2)
def _load(folder: str, device: str, compute_type: str, translators: int, threads: int) -> Any:
    import ctranslate2

    return ctranslate2.Translator(
        folder,
        device=device,
        compute_type=compute_type,
        inter_threads=translators,
        intra_threads=threads,
    )


class CTranslate2Translator(ModelEngine):
    """A `Translator` backed by a CTranslate2 conversion of the MarianMT model."""

    engine = "ctranslate2"

    def __init__(
        self,
        model: ResolvedModel,
        folder: Path,
        *,
        device: str = DEFAULTS.device,
        beam_size: int = DEFAULTS.beam_size,
        max_batch_tokens: int = DEFAULTS.max_batch_tokens,
        translators: int | None = DEFAULTS.translators,
        threads: int = DEFAULTS.threads,
        compute_type: str | None = None,
        length_limit: Callable[[int], int] | None = None,
    ) -> None:
        import ctranslate2
        import sentencepiece

        if beam_size < 1:
            raise UsageError(f"--beam-size must be at least 1, not {beam_size}", "try 4")
        if max_batch_tokens < 1:
            raise UsageError("--max-batch-tokens must be at least 1", "try 512")
        cuda = ctranslate2.get_cuda_device_count() > 0
        if device == "auto":
            device = "cuda" if cuda else "cpu"
        elif device == "cuda" and not cuda:
            raise UsageError(
                "--device cuda was asked for, but CTranslate2 sees no CUDA GPU",
                "use --device cpu (or auto)",
            )
        self.model = model
        self.folder = folder
        self.device = device
        self.beam_size = beam_size
        self.max_batch_tokens = max_batch_tokens
        cores = os.cpu_count() or 1
        self.translators = translators or (1 if device == "cuda" else cores)
        self.threads = threads
        self.compute_type = compute_type or ("int8_float16" if device == "cuda" else "int8")
        self.length_limit = length_limit
        self.generated_tokens = 0  # English tokens produced so far (for benchmarks)
        try:
            spm = sentencepiece.SentencePieceProcessor
            self._source = spm(model_file=str(folder / "source.spm"))
            self._target = spm(model_file=str(folder / "target.spm"))
            vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        except MODEL_FILE_ERRORS as exc:
            raise ModelUnavailable(
                f"cannot load the tokenizer of {folder}: {exc}".splitlines()[0],
                "convert the model again with `briefing model convert`",
            ) from exc
        self._vocab = set(vocab)
        self._special = {EOS, UNK, PAD}

    def tokens(self, text: str) -> list[str]:
        """What the transformers tokenizer gives: pieces, <unk> outside the vocabulary, </s>."""
        pieces = self._source.encode(text, out_type=str)
        return [p if p in self._vocab else UNK for p in pieces] + [EOS]

    def count_tokens(self, text: str) -> int:
        return len(self.tokens(text))

    def load(self) -> None:
        self._translator()

    def _translator(self) -> Any:
        try:
            return _load(str(self.folder), self.device, self.compute_type, self.translators,
                         self.threads)  # fmt: skip
        except MODEL_FILE_ERRORS as exc:
            raise ModelUnavailable(
                f"cannot load the CTranslate2 model from {self.folder}: {exc}".splitlines()[0],
                "convert the model again with `briefing model convert`",
            ) from exc

    def batches(self, lengths: Sequence[int]) -> list[list[int]]:
        return pack(lengths, self.max_batch_tokens, self.translators)

    def _generate(
        self,
        texts: Sequence[str],
        on_batch: Callable[[int], None] | None,
        *,
        safer: bool,
        n: int,
    ) -> list[list[str]]:
        if not texts:
            return []
        translator = self._translator()
        tokens = [self.tokens(t) for t in texts]
        limit = self.length_limit or _max_new_tokens
        limits = [limit(len(t)) for t in tokens]
        pending = []
        for batch in self.batches([len(t) for t in tokens]):
            # content tokens: the transformers engine forces </s> as the limit's last token
            longest = max(limits[i] for i in batch) - 1
            results = translator.translate_batch(
                [tokens[i] for i in batch],
                beam_size=max(self.beam_size, n),
                num_hypotheses=n,
                length_penalty=1.0,
                patience=1.0,
                max_input_length=0,
                max_decoding_length=max(longest, 1),
                min_decoding_length=0,
                return_scores=False,
                asynchronous=True,
                **(SAFER_DECODING if safer else {}),
            )
            pending.append((batch, results))
        english: list[list[str]] = [[] for _ in texts]
        for batch, results in pending:
            for i, result in zip(batch, results, strict=True):
                for hypothesis in result.result().hypotheses:
                    pieces = [p for p in hypothesis[: limits[i] - 1] if p not in self._special]
                    self.generated_tokens += len(pieces)
                    english[i].append(self._target.decode(pieces).strip())
            if on_batch is not None:
                on_batch(len(batch))
        return english
