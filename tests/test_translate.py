"""The MarianMT engine, driven through the real transformers code path with the tiny model."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from briefing.errors import ModelUnavailable, UsageError
from briefing.options import TranslationOptions
from briefing.pipeline import parse_file, translate_document
from briefing.present import TEST_MODEL_MARKER
from briefing.segment import segment_document, segment_text
from briefing.translate.marian import MarianTranslator, choose_device, max_new_tokens
from briefing.translate.policy import translate_segments
from briefing.translate.resolve import from_folder
from tests.conftest import SAMPLE
from tests.doubles import RecordingTranslatorTestDouble


@pytest.fixture(scope="module")
def translator(tiny_model: Path) -> MarianTranslator:
    return MarianTranslator(from_folder(tiny_model, "--model"), device="cpu")


@functools.cache
def load_directly(model_dir: Path) -> tuple[Any, Any]:
    import warnings

    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*sacremoses")
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    return tokenizer, AutoModelForSeq2SeqLM.from_pretrained(str(model_dir))


def direct_generate(model_dir: Path, text: str, beam_size: int = 4) -> str:
    """What transformers gives for one segment, called directly, without the engine."""
    tokenizer, model = load_directly(model_dir)
    inputs = tokenizer([text], return_tensors="pt")
    source_tokens = int(inputs["input_ids"].shape[1])
    output = model.generate(
        **inputs, num_beams=beam_size, do_sample=False, max_length=1 + max_new_tokens(source_tokens)
    )
    english = tokenizer.batch_decode(output, skip_special_tokens=True, use_source_tokenizer=False)
    return str(english[0]).strip()


def test_each_segment_equals_what_transformers_generates_for_it(
    translator: MarianTranslator, tiny_model: Path
) -> None:
    document = parse_file(SAMPLE)
    segments = segment_document(document, translator.count_tokens, 200)
    translated = translate_segments(segments, translator, retry=False)
    assert [t.id for t in translated] == [s.id for s in segments]
    checked = 0
    for item, segment in zip(translated, segments, strict=True):
        if not segment.translatable:
            assert item.origin == "copy"
            continue
        model_input = item.model_input or segment.analysis  # numbers written out
        assert item.en == direct_generate(tiny_model, model_input), item.id
        assert item.origin == "mt"
        checked += 1
    assert checked == sum(1 for s in segments if s.translatable) > 60
    # Not a pass-through: the English column holds Latin word pieces, not the Chinese.
    assert sum(1 for t in translated if t.en and t.en != t.zh) > 50


def test_two_runs_give_identical_output(translator: MarianTranslator, tiny_model: Path) -> None:
    options = TranslationOptions(memory=False)  # both runs from the model
    first = [t.en for t in translate_document(SAMPLE, options, translator).segments]
    again = MarianTranslator(from_folder(tiny_model, "--model"), device="cpu", batch_size=5)
    second = [t.en for t in translate_document(SAMPLE, options, again).segments]
    assert first == second


def test_no_segment_of_the_sample_exceeds_the_token_budget(translator: MarianTranslator) -> None:
    document = parse_file(SAMPLE)
    for budget in (200, 40):
        segments = segment_document(document, translator.count_tokens, budget)
        assert max(translator.count_tokens(s.analysis) for s in segments) <= budget
        for paragraph in document.paragraphs():
            parts = [s.zh for s in segments if s.parent == paragraph.id]
            assert "".join(parts) == paragraph.zh


def test_the_engine_restores_document_order(translator: MarianTranslator) -> None:
    texts = [
        "发展新质生产力。",
        "市委八届十二次全会召开,审议通过决定,奋力推动各项事业全面发展。",
        "好。",
    ]
    together = translator.translate(texts)
    alone = [translator.translate([t])[0] for t in texts]
    assert together == alone


def test_punctuation_only_text_is_never_sent_to_the_model(translator: MarianTranslator) -> None:
    recording = RecordingTranslatorTestDouble()
    segments = segment_text("s1.p1", "发展。——", "发展。——", translator.count_tokens, 200)
    result = translate_segments(segments, recording)
    # "EN(发展。)" keeps its Chinese: flagged and retried; the dash is never sent, not even then
    assert recording.seen == ["发展。"] and recording.retried == ["发展。"]
    assert [t.en for t in result][1] == "——"
    assert [t.origin for t in result] == ["mt", "copy"]


def test_cuda_without_cuda_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(UsageError) as caught:
        choose_device("cuda")
    assert "--device cpu" in caught.value.hint
    assert choose_device("auto") == "cpu"


def test_pickle_weights_are_refused_unless_allowed(tiny_model: Path, tmp_path: Path) -> None:
    from transformers import AutoModelForSeq2SeqLM

    folder = tmp_path / "pickled"
    folder.mkdir()
    for name in ("config.json", "source.spm", "target.spm", "vocab.json", "tokenizer_config.json",
                 "generation_config.json"):  # fmt: skip
        (folder / name).write_bytes((tiny_model / name).read_bytes())
    import torch

    state = AutoModelForSeq2SeqLM.from_pretrained(str(tiny_model)).state_dict()
    torch.save(state, folder / "pytorch_model.bin")
    assert (folder / "pytorch_model.bin").exists() and not (folder / "model.safetensors").exists()
    resolved = from_folder(folder, "--model")
    with pytest.raises(ModelUnavailable) as caught:
        MarianTranslator(resolved, device="cpu")
    assert "--allow-pickle" in caught.value.hint and "pytorch_model.bin" in caught.value.hint
    allowed = MarianTranslator(resolved, device="cpu", allow_pickle=True)
    safe = MarianTranslator(from_folder(tiny_model, "--model"), device="cpu")
    assert allowed.translate(["发展新质生产力。"]) == safe.translate(["发展新质生产力。"])


def test_translate_command_marks_test_model_output(run_cli, tiny_model: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("translate", str(SAMPLE), "--model", str(tiny_model), "--json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["notice"] == TEST_MODEL_MARKER
    assert payload["model"]["test_model"] is True
    assert all(s["en"].startswith(f"[{TEST_MODEL_MARKER}]") for s in payload["segments"]
               if s["en"])  # fmt: skip
    assert f"test model: {TEST_MODEL_MARKER}" in result.err

    plain = run_cli("-q", "translate", str(SAMPLE), "--model", str(tiny_model))
    lines = plain.out.splitlines()
    english_lines = [line for line in lines if line.startswith("\t") and line[1] != "!"]
    assert english_lines and all(TEST_MODEL_MARKER in line for line in english_lines)
    flag_lines = [line for line in lines if line.startswith("\t! ")]
    flags = [f for s in payload["segments"] for f in s["flags"]]
    assert flags and len(flag_lines) == len(flags)  # random weights: the checks see it
    assert plain.err == ""


def test_translate_command_reports_progress_on_stderr(run_cli, tiny_model: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("translate", str(SAMPLE), "--model", str(tiny_model), "--batch-size", "8")
    progress = [line for line in result.err.splitlines() if line.startswith("translate: ")]
    assert (
        progress[0].startswith("translate: 0/")
        and progress[-1].split()[1].split("/")[0] == (progress[-1].split()[1].split("/")[1])
    )


def test_cuda_option_without_cuda_exits_2(run_cli, tiny_model: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    result = run_cli("translate", str(SAMPLE), "--model", str(tiny_model), "--device", "cuda")
    assert result.code == 2
    assert result.err.splitlines()[0].startswith("error: --device cuda")
    assert result.err.splitlines()[1].startswith("hint: ")


def _copy_of(tiny_model: Path, tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "copy"
    shutil.copytree(tiny_model, folder)
    return folder


@pytest.mark.parametrize(
    ("damaged", "content", "cause"),
    [("model.safetensors", b"x" * 100, "SafetensorError"),
     ("source.spm", b"not a sentencepiece model", "RuntimeError"),
     ("vocab.json", b"{not json", "JSONDecodeError")],
)  # fmt: skip
def test_a_corrupt_model_file_is_model_unavailable(
    tiny_model: Path, tmp_path: Path, damaged: str, content: bytes, cause: str
) -> None:
    folder = _copy_of(tiny_model, tmp_path)
    (folder / damaged).write_bytes(content)
    with pytest.raises(ModelUnavailable) as caught:
        MarianTranslator(from_folder(folder, "--model"), device="cpu").translate(["发展。"])
    assert str(folder) in caught.value.message
    assert type(caught.value.__cause__).__name__ == cause  # kept for BRIEFING_DEBUG=1


def test_a_bug_while_loading_is_not_passed_off_as_a_missing_model(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefing.translate.marian as marian

    def buggy(*args: object) -> object:
        raise TypeError("an argument our own code got wrong")

    monkeypatch.setattr(marian, "_load_model", buggy)
    translator = MarianTranslator(from_folder(tiny_model, "--model"), device="cpu")
    with pytest.raises(TypeError):
        translator.translate(["发展。"])


def test_briefing_debug_prints_the_cause_of_a_model_error(  # type: ignore[no-untyped-def]
    run_cli, tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_of(tiny_model, tmp_path)
    (folder / "model.safetensors").write_bytes(b"x" * 100)
    args = ("translate", str(SAMPLE), "--model", str(folder))
    plain = run_cli(*args)
    assert plain.code == 3 and "Traceback" not in plain.err
    assert plain.err.splitlines()[-2].startswith("error: cannot load the model from")
    monkeypatch.setenv("BRIEFING_DEBUG", "1")
    debug = run_cli(*args)
    assert debug.code == 3
    assert "Traceback" in debug.err and "SafetensorError" in debug.err
    assert debug.err.splitlines()[-1].startswith("hint: download the model again")


def test_alternatives_are_the_n_best_list_of_beam_search_best_first(
    translator: MarianTranslator, tiny_model: Path
) -> None:
    """The first hypothesis is `translate`'s English; the others are different English,
    as transformers' own n-best list (num_return_sequences) gives them."""
    document = parse_file(SAMPLE)
    texts = [s.analysis for s in segment_document(document, translator.count_tokens, 200)
             if s.translatable][:6]  # fmt: skip
    best = translator.translate(texts)
    lists = translator.alternatives(texts, 3)
    assert [hypotheses[0] for hypotheses in lists] == best
    assert all(1 <= len(h) <= 3 and len(set(h)) == len(h) for h in lists)
    assert sum(len(h) for h in lists) > len(texts)  # there are alternatives to pick from
    tokenizer, model = load_directly(tiny_model)
    inputs = tokenizer([texts[0]], return_tensors="pt")
    limit = 1 + max_new_tokens(int(inputs["input_ids"].shape[1]))
    output = model.generate(**inputs, num_beams=4, num_return_sequences=3, do_sample=False,
                            max_length=limit)  # fmt: skip
    direct = tokenizer.batch_decode(output, skip_special_tokens=True, use_source_tokenizer=False)
    assert lists[0] == list(dict.fromkeys(str(e).strip() for e in direct))


def test_more_alternatives_than_the_beam_widen_it(translator: MarianTranslator) -> None:
    lists = translator.alternatives(["全年新增城镇就业70,000人。"], 6)
    assert 1 <= len(lists[0]) <= 6
    with pytest.raises(ValueError, match="at least 1"):
        translator.alternatives(["全年"], 0)
