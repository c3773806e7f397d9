"""The CTranslate2 engine: conversion, exact agreement with transformers under greedy
float32 decoding, int8 output, batching by tokens, and choosing the engine."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.errors import ModelUnavailable
from briefing.options import TranslationOptions
from briefing.pipeline import parse_file
from briefing.segment import segment_document
from briefing.translate.ct2 import (
    CTranslate2Translator,
    convert_model,
    find_conversion,
    pack,
)
from briefing.translate.engines import make_translator
from briefing.translate.marian import MarianTranslator
from briefing.translate.resolve import ResolvedModel, from_folder
from tests.conftest import ROOT, SAMPLE


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("home")
        patch.setenv("BRIEFING_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def resolved(tiny_model: Path) -> ResolvedModel:
    return from_folder(tiny_model, "--model")


@pytest.fixture(scope="module")
def float32(home: Path, resolved: ResolvedModel) -> Path:
    return convert_model(resolved, "float32")


@pytest.fixture(scope="module")
def segments(resolved: ResolvedModel) -> list[str]:
    counter = MarianTranslator(resolved, device="cpu").count_tokens
    return [
        s.analysis for s in segment_document(parse_file(SAMPLE), counter, 200) if s.translatable
    ]


def test_greedy_float32_gives_exactly_the_transformers_output(
    resolved: ResolvedModel, float32: Path, segments: list[str]
) -> None:
    fast = CTranslate2Translator(resolved, float32, device="cpu", beam_size=1,
                                 compute_type="float32")  # fmt: skip
    reference = MarianTranslator(resolved, device="cpu", beam_size=1)
    assert fast.translate(segments) == reference.translate(segments)
    assert len(segments) > 60


def test_tokens_are_counted_as_the_transformers_tokenizer_counts_them(
    resolved: ResolvedModel, float32: Path, segments: list[str]
) -> None:
    fast = CTranslate2Translator(resolved, float32, device="cpu")
    reference = MarianTranslator(resolved, device="cpu")
    assert [fast.count_tokens(s) for s in segments] == [reference.count_tokens(s) for s in segments]
    assert fast.tokens("发展")[-1] == "</s>"  # the source </s>, as the tokenizer adds it


def test_batches_are_packed_by_padded_tokens_and_results_keep_their_order(
    resolved: ResolvedModel, float32: Path, segments: list[str]
) -> None:
    fast = CTranslate2Translator(resolved, float32, device="cpu", beam_size=1,
                                 compute_type="float32", max_batch_tokens=200)  # fmt: skip
    lengths = [fast.count_tokens(s) for s in segments]
    batches = fast.batches(lengths)
    assert sorted(i for batch in batches for i in batch) == list(range(len(segments)))
    for batch in batches:
        longest = max(lengths[i] for i in batch)
        assert len(batch) == 1 or len(batch) * longest <= 200
    one_batch = CTranslate2Translator(resolved, float32, device="cpu", beam_size=1,
                                      compute_type="float32", max_batch_tokens=100_000)  # fmt: skip
    progress: list[int] = []
    assert fast.translate(segments, on_batch=progress.append) == one_batch.translate(segments)
    assert sum(progress) == len(segments) and len(progress) == len(batches) > 1


def test_a_batch_holds_segments_of_similar_length_longest_first() -> None:
    lengths = [52, 144, 7, 92, 91, 84, 20, 60, 50, 5, 8, 49, 51, 50]
    batches = pack(lengths, 512)
    assert sorted(i for batch in batches for i in batch) == list(range(len(lengths)))
    heads = [lengths[batch[0]] for batch in batches]
    assert heads == sorted(heads, reverse=True)
    for batch in batches:
        longest = lengths[batch[0]]
        assert all(lengths[i] <= longest for i in batch)
        assert len(batch) == 1 or len(batch) * longest <= 512
        assert all(lengths[i] >= 0.8 * longest or longest - lengths[i] <= 4 for i in batch)
    assert batches[0] == [1]  # the 144-token segment does not drag 92s along
    assert [lengths[i] for i in batches[1]] == [92, 91, 84]
    assert sorted(lengths[i] for i in batches[-1]) == [5, 7, 8]  # short ones: 4 tokens apart


def test_a_small_request_is_split_so_that_no_translator_sits_idle() -> None:
    assert pack([10, 12, 11, 10], 512, parallel=1) == [[1, 2, 0, 3]]
    assert pack([10, 12, 11, 10], 512, parallel=2) == [[1, 2], [0, 3]]
    assert pack([10], 512, parallel=2) == [[0]]
    assert pack([], 512, parallel=2) == []


def test_int8_output_is_well_formed(
    home: Path, resolved: ResolvedModel, segments: list[str]
) -> None:
    int8 = convert_model(resolved, "int8")
    assert find_conversion(resolved) == int8  # the same model: the newer conversion replaced it
    meta = json.loads((int8 / "briefing-ct2.json").read_text(encoding="utf-8"))
    assert (meta["source_id"], meta["source_revision"], meta["quantization"]) == (
        resolved.id, resolved.revision, "int8")  # fmt: skip
    fast = CTranslate2Translator(resolved, int8, device="cpu", translators=2, threads=1)
    english = fast.translate(segments)
    assert len(english) == len(segments)
    assert sum(1 for e in english if e) > 0.9 * len(english)
    assert not any(token in e for e in english for token in ("</s>", "<unk>", "<pad>", "▁"))
    assert english == fast.translate(segments)  # deterministic
    assert fast.translate(segments[::-1]) == english[::-1]  # order kept
    assert fast.describe().engine == "ctranslate2" and fast.describe().compute_type == "int8"


def test_a_conversion_is_used_only_for_its_model_and_revision(
    home: Path, resolved: ResolvedModel
) -> None:
    convert_model(resolved, "int8")
    assert find_conversion(resolved) is not None
    other_revision = ResolvedModel(resolved.id, resolved.path, "--model", "abc123",
                                   resolved.weights, True)  # fmt: skip
    assert find_conversion(other_revision) is None
    assert make_translator(other_revision, TranslationOptions()).engine == "transformers"
    assert make_translator(resolved, TranslationOptions()).engine == "ctranslate2"
    transformers = TranslationOptions(engine="transformers")
    assert make_translator(resolved, transformers).engine == "transformers"
    with pytest.raises(ModelUnavailable) as caught:
        make_translator(other_revision, TranslationOptions(engine="ctranslate2"))
    assert "briefing model convert" in caught.value.hint


def test_engine_ctranslate2_without_a_conversion_exits_3(  # type: ignore[no-untyped-def]
    run_cli, isolated_home: Path, tiny_model: Path
) -> None:
    result = run_cli(
        "translate", str(SAMPLE), "--model", str(tiny_model), "--engine", "ctranslate2"
    )
    assert result.code == 3
    assert "no conversion" in result.err and "briefing model convert" in result.err


def test_convert_then_generate_records_the_engine_and_imports_no_torch(
    tiny_model: Path, tmp_path: Path
) -> None:
    env = {"BRIEFING_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    briefing = [sys.executable, "-m", "briefing"]
    done = subprocess.run([*briefing, "model", "convert", "--model", str(tiny_model)],
                          capture_output=True, text=True, env=env, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "converted" in done.stderr and "Loading weights" not in done.stderr
    script = (
        "import sys\n"
        "from briefing.cli import main\n"
        "try:\n"
        f"    main(['-q', 'generate', {str(SAMPLE)!r}, '-o', {str(tmp_path / 'b.docx')!r},\n"
        f"          '--model', {str(tiny_model)!r}, '--report', {str(tmp_path / 'r.json')!r}])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, cwd=ROOT)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert "|engine:ctranslate2-int8|" in report["signature"]


def test_the_speed_bench_measures_one_engine_in_a_child(
    home: Path, resolved: ResolvedModel, tmp_path: Path
) -> None:
    """bench/bench.py's child mode, on the tiny model (the full bench builds a full-size one)."""
    import os

    convert_model(resolved, "int8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench.py"), "--child", "ct2", "--model",
         str(resolved.path), "--beam", "2", "--work", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "BRIEFING_HOME": str(home)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["segments"] > 60 and result["tokens"] > 0
    assert result["engine"] > 0 and result["rss"] > 0


def test_an_unreadable_conversion_record_is_skipped_with_a_warning_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resolved: ResolvedModel,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    monkeypatch.setenv("BRIEFING_HOME", str(tmp_path))
    broken = tmp_path / "ct2" / "broken"
    broken.mkdir(parents=True)
    (broken / "briefing-ct2.json").write_text("{not json", encoding="utf-8")
    (broken / "model.bin").write_bytes(b"")
    with caplog.at_level("WARNING", logger="briefing.translate.ct2"):
        assert find_conversion(resolved) is None
    assert str(broken / "briefing-ct2.json") in caplog.text


def test_a_corrupt_tokenizer_in_a_conversion_is_model_unavailable(
    tmp_path: Path, float32: Path, resolved: ResolvedModel
) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(float32, copy)
    (copy / "source.spm").write_bytes(b"not a sentencepiece model")
    with pytest.raises(ModelUnavailable) as caught:
        CTranslate2Translator(resolved, copy, device="cpu")
    assert "briefing model convert" in caught.value.hint
    assert isinstance(caught.value.__cause__, RuntimeError)  # kept for BRIEFING_DEBUG


def test_alternatives_are_ctranslate2s_n_best_list_best_first(
    resolved: ResolvedModel, float32: Path, segments: list[str]
) -> None:
    fast = CTranslate2Translator(resolved, float32, device="cpu", compute_type="float32")
    texts = segments[:6]
    lists = fast.alternatives(texts, 3)
    assert [hypotheses[0] for hypotheses in lists] == fast.translate(texts)
    assert all(1 <= len(h) <= 3 and len(set(h)) == len(h) for h in lists)
    assert sum(len(h) for h in lists) > len(texts)
