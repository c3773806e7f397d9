"""Build a tiny, random-weight MarianMT model laid out like Helsinki-NLP/opus-mt-zh-en.

Why this exists
---------------
`briefing` translates Chinese reports with the MarianMT model Helsinki-NLP/opus-mt-zh-en
(transformers + torch + sentencepiece).  The real weights cannot be downloaded on the machines
this project is built and tested on, so the tests need a model the project builds itself.  This
script builds one that exercises exactly the same code path as the real model:

* the same folder layout (``config.json``, ``generation_config.json``, ``model.safetensors``,
  ``source.spm``, ``target.spm``, ``vocab.json``, ``tokenizer_config.json``, ...), loadable with
  ``AutoTokenizer.from_pretrained`` / ``AutoModelForSeq2SeqLM.from_pretrained``;
* the same architecture class (``MarianMTModel``) and the same conventions as opus-mt-zh-en
  (static sinusoidal positions, scaled and shared embeddings, swish, ``</s>`` = 0, ``<unk>`` = 1,
  ``<pad>`` = last id = decoder start, beam search with 4 beams, max length 512), only shrunk;
* a real ``MarianTokenizer`` whose source SentencePiece model is trained on the project's Chinese
  sample report and whose target model is trained on ``models/tiny_model_en.txt``.

The weights are random (fixed seed, so two builds are byte-identical), with two small edits so that
generated output has the shape of a translation: pieces outside the English vocabulary are
suppressed, and a "length clock" makes ``</s>`` more likely as the output grows (outputs end after
roughly 10-30 pieces instead of being empty or running to 512).  Its output is English word-piece
gibberish and must never be presented as a translation.  ``config.json`` carries
``"briefing_test_model": true`` so code can tell this model from a real one.

Usage::

    python models/make_tiny_model.py OUT_DIR [--seed N] [--zh-text PATH] [--en-text PATH]

Tests import this file and call :func:`build_tiny_model`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover - typing only
    from transformers import MarianConfig, MarianMTModel

MODELS_DIR = Path(__file__).resolve().parent
REPO_ROOT = MODELS_DIR.parent
DEFAULT_ZH_TEXT = REPO_ROOT / "seeds" / "000_161302ac3327b756.txt"
DEFAULT_EN_TEXT = MODELS_DIR / "tiny_model_en.txt"

MODEL_NAME = "briefing-tiny-test-model"
"""``briefing_model_name`` in config.json (transformers 5 does not save ``_name_or_path``)."""

EOS_TOKEN, UNK_TOKEN, PAD_TOKEN = "</s>", "<unk>", "<pad>"
EOS_ID, UNK_ID = 0, 1

# SentencePiece vocabulary sizes (soft limits: the trainer may stop a little short on small text).
SOURCE_VOCAB_SIZE = 1000
TARGET_VOCAB_SIZE = 1000

# Architecture: opus-mt-zh-en shape, shrunk.
D_MODEL = 32
LAYERS = 1
HEADS = 2
FFN_DIM = 64
MAX_POSITIONS = 512
MAX_LENGTH = 512
NUM_BEAMS = 4

# Random weights are drawn with this std (opus-mt uses 0.02, which makes a random model's output
# distribution almost flat; 0.3 gives sharper logits, so different inputs give different outputs).
INIT_STD = 0.3

# Pieces that only the Chinese SentencePiece model knows (and <unk>, <pad>) get this bias in
# ``final_logits_bias`` (a saved buffer, all zeros in the real model), so the decoded output is
# Latin text from the target vocabulary, as from a real zh->en model.
NON_TARGET_LOGIT_BIAS = -20.0

# The length clock (see _install_length_clock):
#     </s> logit = EOS_CLOCK_GAIN * clock(t) + EOS_LOGIT_BIAS.
# Tuned so that outputs end after roughly 12-30 pieces for seeds 0-3 on the sample report.
CLOCK_DIM = 6
EOS_CLOCK_GAIN = 300.0
EOS_LOGIT_BIAS = 8.0


def _log(message: str) -> None:
    print(f"[make_tiny_model] {message}", file=sys.stderr, flush=True)


def _read_lines(path: Path) -> list[str]:
    """Non-empty, stripped lines of a UTF-8 text file."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise ValueError(f"{path} has no text to train a SentencePiece model on")
    return lines


def _train_spm(lines: Iterable[str], vocab_size: int) -> bytes:
    """Train a unigram SentencePiece model in memory and return its serialized proto.

    Ids follow opus-mt: ``</s>`` = 0, ``<unk>`` = 1, no ``<s>``/``<pad>`` pieces.  Training from an
    iterator into a buffer keeps file paths out of the proto, and one thread keeps it
    deterministic, so the same text always gives byte-identical ``.spm`` files.
    """
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(lines)),
        model_writer=buffer,
        model_type="unigram",
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        eos_id=EOS_ID,
        unk_id=UNK_ID,
        bos_id=-1,
        pad_id=-1,
        eos_piece=EOS_TOKEN,
        unk_piece=UNK_TOKEN,
        num_threads=1,
        minloglevel=2,
    )
    return buffer.getvalue()


def _pieces(spm_proto: bytes) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=spm_proto)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _joint_vocab(source_pieces: list[str], target_pieces: list[str]) -> dict[str, int]:
    """One shared vocabulary like opus-mt's: ``</s>``, ``<unk>``, the pieces, ``<pad>`` last."""
    vocab: dict[str, int] = {EOS_TOKEN: EOS_ID, UNK_TOKEN: UNK_ID}
    for piece in [*source_pieces, *target_pieces]:
        if piece not in vocab:
            vocab[piece] = len(vocab)
    if PAD_TOKEN in vocab:
        raise ValueError(f"a SentencePiece model produced the piece {PAD_TOKEN!r}")
    vocab[PAD_TOKEN] = len(vocab)
    return vocab


def _make_config(vocab_size: int, pad_id: int) -> MarianConfig:
    from transformers import MarianConfig

    return MarianConfig(
        vocab_size=vocab_size,
        decoder_vocab_size=vocab_size,
        d_model=D_MODEL,
        encoder_layers=LAYERS,
        decoder_layers=LAYERS,
        encoder_attention_heads=HEADS,
        decoder_attention_heads=HEADS,
        encoder_ffn_dim=FFN_DIM,
        decoder_ffn_dim=FFN_DIM,
        max_position_embeddings=MAX_POSITIONS,
        activation_function="swish",
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        tie_word_embeddings=True,
        eos_token_id=EOS_ID,
        bos_token_id=EOS_ID,
        forced_eos_token_id=EOS_ID,
        pad_token_id=pad_id,
        decoder_start_token_id=pad_id,
        init_std=INIT_STD,
        # Extra keys as in opus-mt-zh-en's config.json (kept as plain attributes).
        normalize_before=False,
        static_position_embeddings=True,
        # Marks this as the project's test model.
        briefing_test_model=True,
        briefing_model_name=MODEL_NAME,
    )


def _install_length_clock(model: MarianMTModel) -> None:
    """Make </s> steadily more likely as the output grows, by editing a few random weights.

    A randomly initialised decoder either emits </s> at once (empty output) or never (every output
    runs to max_length=512, which makes tests slow).  The fix uses the static sinusoidal position
    embedding: dimensions ``k`` and ``k + d/2`` (k = CLOCK_DIM) hold sin(w*t) and cos(w*t) of the
    output position t, with w = 10000**(-2k/d) (about 0.0316 for k = 6).  Those two dimensions are
    turned into a clean channel through the decoder: token embeddings are zero there and no
    sub-layer writes there (rows of the attention output projections and of fc2 zeroed, layer-norm
    gain 1 and bias 0).  After each post-layer-norm their *difference* is the input difference
    divided by the layer-norm scales (the layer-norm mean cancels), so at the decoder output it is
    (sin(w*t) - cos(w*t)) / (positive scale): it rises from t = 0 to t ~ 74.  The </s> row of the
    tied embedding / output projection reads exactly that difference, so the </s> logit grows with
    t and beam search ends hypotheses after some tens of pieces; when they end still depends on the
    random weights and on the input.
    """
    import torch

    config = model.config
    k, k2 = CLOCK_DIM, CLOCK_DIM + config.d_model // 2
    with torch.no_grad():
        shared = model.model.shared.weight  # tied: encoder, decoder and lm_head
        shared[:, [k, k2]] = 0.0
        shared[EOS_ID] = 0.0
        shared[EOS_ID, k] = EOS_CLOCK_GAIN
        shared[EOS_ID, k2] = -EOS_CLOCK_GAIN
        for layer in model.model.decoder.layers:
            for linear in (layer.self_attn.out_proj, layer.encoder_attn.out_proj, layer.fc2):
                linear.weight[[k, k2]] = 0.0
                linear.bias[[k, k2]] = 0.0
            for norm in (
                layer.self_attn_layer_norm,
                layer.encoder_attn_layer_norm,
                layer.final_layer_norm,
            ):
                norm.weight[[k, k2]] = 1.0
                norm.bias[[k, k2]] = 0.0


def _make_model(config: MarianConfig, seed: int, target_ids: set[int]) -> MarianMTModel:
    import torch
    from transformers import GenerationConfig, MarianMTModel

    pad_id = config.pad_token_id
    # fork_rng: seed deterministically without disturbing the caller's global RNG state.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = MarianMTModel(config)
    model.eval()
    _install_length_clock(model)

    bias = torch.full((1, config.vocab_size), NON_TARGET_LOGIT_BIAS)
    bias[0, sorted(target_ids)] = 0.0
    bias[0, UNK_ID] = NON_TARGET_LOGIT_BIAS
    bias[0, pad_id] = NON_TARGET_LOGIT_BIAS  # also banned through bad_words_ids
    bias[0, EOS_ID] = EOS_LOGIT_BIAS
    with torch.no_grad():
        model.final_logits_bias.copy_(bias)

    # transformers 5 silently drops generation parameters passed to a model config, so set them
    # here; they are written to generation_config.json as in opus-mt-zh-en.
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad_id]],
        bos_token_id=EOS_ID,
        decoder_start_token_id=pad_id,
        eos_token_id=EOS_ID,
        forced_eos_token_id=EOS_ID,
        max_length=MAX_LENGTH,
        num_beams=NUM_BEAMS,
        pad_token_id=pad_id,
        renormalize_logits=True,
    )
    return model


def _model_card(seed: int, vocab_size: int, n_source: int, n_target: int) -> str:
    clock_dims = f"{CLOCK_DIM} and {CLOCK_DIM + D_MODEL // 2}"
    return f"""---
tags:
- test
- random-weights
- marian
---

# {MODEL_NAME}

**This is a random-weight test model. Its output is gibberish, not a translation.**

It was generated by `models/make_tiny_model.py` (seed {seed}) of the `briefing` project so that
tests can exercise the real MarianMT code path (transformers `MarianMTModel` +
`MarianTokenizer`) without the real Helsinki-NLP/opus-mt-zh-en weights. The folder has the same
file layout and conventions as opus-mt-zh-en, shrunk: d_model {D_MODEL}, {LAYERS} encoder and
{LAYERS} decoder layer, {HEADS} attention heads, feed-forward dimension {FFN_DIM}.

The weights are random except for two tweaks that give the output a translation's shape:
pieces outside the English vocabulary are suppressed through `final_logits_bias`, and a
"length clock" (positional dimensions {clock_dims} read by the `</s>` row of the tied
embedding) makes `</s>` more likely as the output grows, so outputs end after some tens of
pieces instead of running to the 512-token limit.

- `source.spm`: SentencePiece ({n_source} pieces) trained on the project's Chinese sample report.
- `target.spm`: SentencePiece ({n_target} pieces) trained on `models/tiny_model_en.txt`.
- `vocab.json`: one joint vocabulary of {vocab_size} entries (`</s>` = 0, `<unk>` = 1,
  `<pad>` = {vocab_size - 1}).
- `config.json` has `"briefing_test_model": true`.

Never present anything this model generates as a translation.
"""


def _build_into(tmp: Path, zh_text: Path, en_text: Path, seed: int) -> dict[str, int]:
    from transformers import MarianTokenizer
    from transformers.utils import logging as hf_logging

    _log(f"training source SentencePiece on {zh_text}")
    source_proto = _train_spm(_read_lines(zh_text), SOURCE_VOCAB_SIZE)
    _log(f"training target SentencePiece on {en_text}")
    target_proto = _train_spm(_read_lines(en_text), TARGET_VOCAB_SIZE)
    (tmp / "source.spm").write_bytes(source_proto)
    (tmp / "target.spm").write_bytes(target_proto)

    source_pieces, target_pieces = _pieces(source_proto), _pieces(target_proto)
    vocab = _joint_vocab(source_pieces, target_pieces)
    # MarianTokenizer.save_pretrained below rewrites vocab.json in its own format.
    (tmp / "vocab.json").write_text(json.dumps(vocab, indent=2), encoding="utf-8")

    _log("saving MarianTokenizer files")
    with warnings.catch_warnings():
        # MarianTokenizer warns "Recommended: pip install sacremoses." when it is missing.
        warnings.simplefilter("ignore")
        tokenizer = MarianTokenizer(
            source_spm=str(tmp / "source.spm"),
            target_spm=str(tmp / "target.spm"),
            vocab=str(tmp / "vocab.json"),
            source_lang="zh",
            target_lang="en",
            model_max_length=MAX_POSITIONS,
            separate_vocabs=False,
        )
        tokenizer.save_pretrained(str(tmp))

    _log(f"building random-weight MarianMTModel (seed {seed}, vocab {len(vocab)})")
    config = _make_config(len(vocab), vocab[PAD_TOKEN])
    target_ids = {vocab[piece] for piece in target_pieces}
    model = _make_model(config, seed, target_ids)
    progress_bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # "Writing model shards" bar
    try:
        model.save_pretrained(str(tmp))
    finally:
        if progress_bars:
            hf_logging.enable_progress_bar()

    (tmp / "README.md").write_text(
        _model_card(seed, len(vocab), len(source_pieces), len(target_pieces)), encoding="utf-8"
    )
    return vocab


def build_tiny_model(out_dir: Path, zh_text: Path, en_text: Path, seed: int = 0) -> Path:
    """Build the tiny test model into ``out_dir`` (replaced atomically) and return its path.

    ``zh_text`` trains the source tokenizer, ``en_text`` the target tokenizer; ``seed`` fixes the
    random weights.  The same inputs and seed always give byte-identical files.
    """
    out_dir = Path(out_dir).resolve()
    zh_text, en_text = Path(zh_text), Path(en_text)
    for path in (zh_text, en_text):
        if not path.is_file():
            raise FileNotFoundError(f"training text not found: {path}")
    out_dir.parent.mkdir(parents=True, exist_ok=True)

    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    try:
        _build_into(tmp, zh_text, en_text, seed)
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
        for path in tmp.iterdir():
            os.chmod(path, 0o644)  # safetensors writes its file 0600
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.replace(out_dir, old / out_dir.name)
            os.replace(tmp, out_dir)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _log(f"wrote {out_dir} in {time.monotonic() - started:.1f}s")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Build the tiny random-weight MarianMT test model (output is gibberish)."
    )
    parser.add_argument("out_dir", type=Path, help="folder to write the model to (replaced)")
    parser.add_argument("--seed", type=int, default=0, help="weights seed (default 0)")
    parser.add_argument(
        "--zh-text",
        type=Path,
        default=DEFAULT_ZH_TEXT,
        help=f"Chinese text for source.spm (default {DEFAULT_ZH_TEXT})",
    )
    parser.add_argument(
        "--en-text",
        type=Path,
        default=DEFAULT_EN_TEXT,
        help=f"English text for target.spm (default {DEFAULT_EN_TEXT})",
    )
    args = parser.parse_args(argv)
    try:
        build_tiny_model(args.out_dir, args.zh_text, args.en_text, seed=args.seed)
    except (FileNotFoundError, ValueError) as error:
        print(f"make_tiny_model: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
