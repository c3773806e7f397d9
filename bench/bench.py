"""Speed of translation: the engines side by side on the sample report, in one run.

    .venv/bin/python bench/bench.py [--model FOLDER] [--runs 3] [--beam 4]

Without --model it builds the opus-mt-zh-en architecture (6+6 layers, d_model 512, 8 heads,
FFN 2048, a 65,001-entry vocabulary) with random weights and the project's test tokenizer.
</s> is never chosen and every segment's English is cut at 1.1 × its source tokens, so each
engine does the same work; the bench asserts equal output-token totals.

Workload: the sample report segmented by the real segmenter (the text the model reads:
numbers written out). Measured, each in a child process (so peak RSS is its own), runs
interleaved, median of --runs with min and max:
- transformers, one segment at a time;
- transformers, segments sorted by length, batch sizes 8/16/32/64 (torch threads = cores);
- CTranslate2 as shipped (int8, one single-threaded translator per core, batches packed
  to 512 padded tokens, lengths within 80 % of each other);
- the whole `briefing generate` with each engine (no retry, no glossary), through the
  library call `briefing.pipeline.generate` that the command makes, with the time
  outside the engine (imports, model loading, parse, checks, summary, render).
The last line is one summary.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "seeds" / "000_161302ac3327b756.txt"
GRID = (8, 16, 32, 64)
OUTPUT_RATIO = 1.1
OPUS_MT = {"d_model": 512, "encoder_layers": 6, "decoder_layers": 6,
           "encoder_attention_heads": 8, "decoder_attention_heads": 8,
           "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048}  # fmt: skip
OPUS_VOCAB = 65_001


def forced_limit(source_tokens: int) -> int:
    """Decoder steps for a segment: 1.1 × its source tokens of English, then the end."""
    return round(OUTPUT_RATIO * source_tokens) + 1


# --- the model -------------------------------------------------------------------------


def build_bench_model(out: Path, seed: int = 0) -> Path:
    """opus-mt-zh-en's architecture with random weights that never end a sentence early."""
    import importlib.util

    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    spec = importlib.util.spec_from_file_location("tiny", ROOT / "models" / "make_tiny_model.py")
    assert spec and spec.loader
    tiny = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tiny)
    small = out.with_name(out.name + "-tokenizer")
    tiny.build_tiny_model(small, tiny.DEFAULT_ZH_TEXT, tiny.DEFAULT_EN_TEXT, seed)

    vocab = json.loads((small / "vocab.json").read_text(encoding="utf-8"))
    pad = vocab.pop("<pad>")
    for i in range(pad, OPUS_VOCAB - 1):  # pad the vocabulary to opus-mt's size
        vocab[f"▁bench{i}"] = i
    vocab["<pad>"] = OPUS_VOCAB - 1
    out.mkdir(parents=True, exist_ok=True)
    for name in ("source.spm", "target.spm"):
        (out / name).write_bytes((small / name).read_bytes())
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Recommended: pip install sacremoses."
        tokenizer = MarianTokenizer(
            source_spm=str(out / "source.spm"), target_spm=str(out / "target.spm"),
            vocab=str(out / "vocab.json"), source_lang="zh", target_lang="en",
            model_max_length=512, separate_vocabs=False,
        )  # fmt: skip
        tokenizer.save_pretrained(str(out))

    config_dict = json.loads((small / "config.json").read_text(encoding="utf-8"))
    config_dict.update(OPUS_MT, vocab_size=OPUS_VOCAB, decoder_vocab_size=OPUS_VOCAB,
                       pad_token_id=OPUS_VOCAB - 1, decoder_start_token_id=OPUS_VOCAB - 1,
                       briefing_model_name="briefing-bench-model")  # fmt: skip
    config_dict.pop("architectures", None)
    config = MarianConfig(**{k: v for k, v in config_dict.items() if k != "model_type"})
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    with torch.no_grad():
        bias = torch.zeros(1, OPUS_VOCAB)
        bias[0, [0, 1, OPUS_VOCAB - 1]] = -1e4  # never </s>, <unk> or <pad>
        model.final_logits_bias.copy_(bias)
    model.generation_config.bad_words_ids = [[OPUS_VOCAB - 1]]
    model.generation_config.num_beams = 4
    model.generation_config.max_length = 512
    model.generation_config.decoder_start_token_id = OPUS_VOCAB - 1
    model.generation_config.pad_token_id = OPUS_VOCAB - 1
    model.save_pretrained(str(out))
    return out


# --- one measurement, in a child process -----------------------------------------------


class Meter:
    """Time inside the engines' translate calls and inside model loading."""

    def __init__(self) -> None:
        self.engine = 0.0
        self.load = 0.0
        self.tokens = 0

    def wrap(self, cls: Any) -> None:
        original = cls.translate
        meter = self

        def translate(self: Any, texts: Any, *args: Any, **kwargs: Any) -> Any:
            before = self.generated_tokens
            start = time.perf_counter()
            try:
                return original(self, texts, *args, **kwargs)
            finally:
                meter.engine += time.perf_counter() - start
                meter.tokens += self.generated_tokens - before

        cls.translate = translate

    def wrap_loader(self, module: Any, name: str) -> None:
        original = getattr(module, name)
        meter = self

        def load(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                meter.load += time.perf_counter() - start

        setattr(module, name, load)


def child(name: str, model_dir: Path, beam: int, out_dir: Path) -> dict[str, Any]:
    meter = Meter()
    engine = "ctranslate2" if "ct2" in name else "transformers"
    if engine == "transformers":
        import briefing.translate.marian as marian

        marian.max_new_tokens = forced_limit  # type: ignore[assignment]
        meter.wrap(marian.MarianTranslator)
        meter.wrap_loader(marian, "_load_model")
    else:
        import briefing.translate.ct2 as ct2

        ct2._max_new_tokens = forced_limit  # type: ignore[assignment]
        meter.wrap(ct2.CTranslate2Translator)
        meter.wrap_loader(ct2, "_load")
    from briefing.options import GenerateOptions, TranslationOptions

    batch = 1 if name.endswith("batch1") else int(name.rpartition("-b")[2]) if "-b" in name else 16
    options = TranslationOptions(model=str(model_dir), engine=engine, device="cpu",
                                 beam_size=beam, batch_size=batch, glossary=False,
                                 retry=False, memory=False)  # fmt: skip
    segments = 0
    if name.startswith("generate"):
        from briefing.pipeline import generate

        # the whole run, as `briefing generate --no-retry --no-glossary --no-memory` does it
        # (with the memory, every run after the first would reuse the English)
        generate(SAMPLE, out_dir / f"{name}.docx", GenerateOptions(translation=options))
    else:
        from briefing.pipeline import open_translator, parse_file
        from briefing.segment import segment_document
        from briefing.translate.prepare import normalise_numbers

        translator = open_translator(options)
        texts = [
            normalise_numbers(s.analysis)[0]
            for s in segment_document(parse_file(SAMPLE), translator.count_tokens, 200)
            if s.translatable
        ]
        segments = len(texts)
        translator.translate(texts)
    rss = peak_rss_mib()
    return {"engine": meter.engine - meter.load, "load": meter.load, "tokens": meter.tokens,
            "rss": rss, "segments": segments}  # fmt: skip


def peak_rss_mib() -> float:
    """This process's peak resident memory. VmHWM belongs to the running program (ru_maxrss
    would also count what the parent held when it forked us)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: KiB


def measure(name: str, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", name, "--model", str(args.model),
               "--beam", str(args.beam), "--work", str(args.work)]  # fmt: skip
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"bench: {name} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def workload(model_dir: Path) -> tuple[int, int]:
    from briefing.pipeline import parse_file
    from briefing.segment import segment_document
    from briefing.translate.ct2 import CTranslate2Translator, find_conversion
    from briefing.translate.prepare import normalise_numbers
    from briefing.translate.resolve import from_folder

    resolved = from_folder(model_dir, "--model")
    folder = find_conversion(resolved)
    assert folder is not None
    counter = CTranslate2Translator(resolved, folder, device="cpu").count_tokens
    texts = [
        normalise_numbers(s.analysis)[0]
        for s in segment_document(parse_file(SAMPLE), counter, 200)
        if s.translatable
    ]
    source = sum(counter(t) for t in texts)
    return len(texts), source


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.1f}s (min {min(values):.1f}, max {max(values):.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a real model folder (default: random weights)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--work", type=Path, help="where to build the model (default: a temp dir)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.model, args.beam, args.work)))
        return

    args.work = args.work or Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    env = {**os.environ, "BRIEFING_HOME": str(args.work / "home")}
    os.environ["BRIEFING_HOME"] = env["BRIEFING_HOME"]
    if args.model is None:
        print("bench: building the opus-mt-zh-en architecture with random weights…", flush=True)
        args.model = build_bench_model(args.work / "model")
    done = subprocess.run([sys.executable, "-m", "briefing", "model", "convert", "--model",
                           str(args.model)], capture_output=True, text=True, env=env)  # fmt: skip
    if done.returncode:
        sys.exit(f"bench: conversion failed:\n{done.stderr}")
    segments, source_tokens = workload(args.model)
    cores = os.cpu_count() or 1
    print(f"bench: {segments} segments of the sample, {source_tokens} source tokens, "
          f"beam {args.beam}, {cores} cores, {args.runs} interleaved runs", flush=True)  # fmt: skip

    names = ["transformers-batch1", *(f"transformers-b{b}" for b in GRID), "ct2",
             "generate-transformers", "generate-ct2"]  # fmt: skip
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for run in range(args.runs):
        for name in names:
            results[name].append(measure(name, args, env))
            r = results[name][-1]
            print(f"  run {run + 1} {name:<22} {r['wall']:6.1f}s  engine {r['engine']:6.1f}s  "
                  f"{r['tokens']} tokens  {r['rss']:.0f} MiB", flush=True)  # fmt: skip

    engine_only = [n for n in names if not n.startswith("generate")]
    totals = {n: {r["tokens"] for r in results[n]} for n in names}
    assert all(totals[n] == totals[engine_only[0]] for n in engine_only), totals
    assert totals["generate-ct2"] == totals["generate-transformers"], totals
    output_tokens = next(iter(totals[engine_only[0]]))

    def median(name: str, key: str = "wall") -> float:
        return statistics.median(r[key] for r in results[name])

    print(f"\nbench: {output_tokens} output tokens per engine-only run "
          f"({output_tokens / source_tokens:.2f} × source)")  # fmt: skip
    print(f"{'':<24}{'wall (median, min, max)':<34}{'engine':>9}{'tokens/s':>10}{'peak RSS':>10}")
    for name in names:
        engine = median(name, "engine")
        tokens = statistics.median(r["tokens"] for r in results[name])
        print(f"{name:<24}{summary([r['wall'] for r in results[name]]):<34}{engine:8.1f}s"
              f"{tokens / engine:10.0f}{median(name, 'rss'):8.0f} MiB")  # fmt: skip
    grid = {n: median(n) for n in names if n.startswith("transformers-b")}
    best = min(grid, key=grid.__getitem__)
    batch1, fast, gen = median("transformers-batch1"), median("ct2"), median("generate-ct2")
    outside = 1 - median("generate-ct2", "engine") / gen
    rss = max(r["rss"] for r in results["generate-ct2"])
    print(f"\nct2 engine-only vs transformers-batch1: {batch1 / fast:.1f}x; "
          f"vs {best}: {grid[best] / fast:.1f}x")  # fmt: skip
    print(f"generate transformers {median('generate-transformers'):.1f}s, "
          f"generate ct2 {gen:.1f}s")  # fmt: skip
    print(f"bench: generate ct2 {gen:.1f}s vs transformers-batch1 {batch1:.1f}s = "
          f"{batch1 / gen:.1f}x; vs transformers-best {grid[best]:.1f}s = {grid[best] / gen:.1f}x; "
          f"outside-engine {outside:.0%}; peak RSS {rss:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
