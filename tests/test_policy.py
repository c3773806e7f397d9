"""The translation policy's bound: what a model reads never exceeds what it can read."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from briefing.model import Segment
from briefing.translate.policy import translate_segments
from tests.doubles import RecordingTranslatorTestDouble


class LimitedTestDouble(RecordingTranslatorTestDouble):
    """Echoes and records, one token per character, and says it can read 40 tokens at
    once, as a model says 512; a longer text is an error, as it is for MarianMT."""

    max_input_tokens = 40

    def translate(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        too_long = [t for t in texts if self.count_tokens(t) > self.max_input_tokens]
        assert not too_long, f"past the model's positions: {too_long}"
        return super().translate(texts, on_batch)


def _segment(zh: str) -> Segment:
    return Segment("summary.t1.1", "summary.t1", zh, zh, True)


def test_a_segment_whose_model_input_is_too_long_is_translated_in_parts() -> None:
    """The summary sizes its segments on the Chinese: 7万 written out as 70,000 made its
    model input longer than the model's positions (IndexError)."""
    zh = "确保新增就业岗位" + "7万个，" * 12 + "全面完成。"  # 60 characters, 132 read
    double = LimitedTestDouble()
    [done] = translate_segments([_segment(zh)], double, {}, retry=False)
    assert len(double.seen) > 1 and all(len(text) <= 40 for text in double.seen)
    assert done.en == " ".join(f"EN({text})" for text in double.seen)
    assert done.model_input == "\n".join(double.seen)
    assert "cut" not in {flag.kind for flag in done.flags}  # cut at clauses, not in a run


def test_a_run_longer_than_the_model_can_read_is_cut_and_flagged() -> None:
    digits = "1234567890" * 10
    double = LimitedTestDouble()
    [done] = translate_segments([_segment(f"编号{digits}。")], double, {}, retry=True)
    assert "".join(double.seen) == f"编号{digits}。"  # nothing dropped
    assert done.flags[0].kind == "cut" and "cut in pieces" in done.flags[0].detail
    assert all(len(text) <= 40 for text in double.seen + double.retried)


def test_a_segment_the_segmenter_cut_is_flagged() -> None:
    cut = Segment("s1.p1.2", "s1.p1", "4567890", "4567890", True, cut=True)
    [done] = translate_segments([cut], RecordingTranslatorTestDouble(), {}, retry=False)
    assert [flag.kind for flag in done.flags][:1] == ["cut"]


def test_a_translator_without_a_limit_reads_each_segment_whole() -> None:
    double = RecordingTranslatorTestDouble()
    zh = "确保新增就业岗位" + "7万个，" * 12 + "全面完成。"
    translate_segments([_segment(zh)], double, {}, retry=False)
    assert len(double.seen) == 1


def test_with_the_tiny_model_nothing_reaches_it_past_its_512_positions(  # type: ignore[no-untyped-def]
    run_cli, tiny_model, tmp_path
) -> None:
    """The real MarianMT path, where each of these was an IndexError in the position
    embeddings: a target clause whose 7万 are written out (the summary), and a run of
    digits longer than the budget (the body)."""
    import json

    from briefing.translate.marian import MarianTranslator
    from briefing.translate.resolve import from_folder

    translator = MarianTranslator(from_folder(tiny_model, "--model"), device="cpu")
    assert translator.max_input_tokens == 512
    digits = "1234567890" * 60  # 540 tokens for the tiny model's tokenizer, one atom
    assert translator.count_tokens(digits) > 512
    clause = tmp_path / "clause.txt"
    clause.write_text("某市2025年工作要点\n\n今年,全市将确保新增就业岗位" + "7万" * 240 + "个。\n",
                      encoding="utf-8")  # fmt: skip
    code = tmp_path / "code.txt"
    code.write_text(f"某市2025年工作要点\n\n项目编号{digits}。\n", encoding="utf-8")
    fast = ("--model", str(tiny_model), "--max-segment-tokens", "500", "--no-retry",
            "--beam-size", "1")  # fmt: skip
    targets = run_cli("-q", "targets", str(clause), "--json", *fast)
    assert targets.code == 0, targets.err
    translated = run_cli("-q", "translate", str(code), "--json", *fast)
    assert translated.code == 0, translated.err
    segments = json.loads(translated.out)["segments"]
    cut = [s["id"] for s in segments if any(f["kind"] == "cut" for f in s["flags"])]
    assert cut == ["s0.p1.2", "s0.p1.3"]  # s0.p1.1 is 项目编号, which fits


# --- alternatives and dismissed flags (briefing review) --------------------------------------


def test_alternatives_are_made_and_checked_as_the_english_is() -> None:
    """Numbers written out and terms protected before the model reads them; each
    hypothesis restored and checked; duplicates left out."""
    from briefing.translate.policy import translate_alternatives
    from tests.doubles import ScriptedTranslatorTestDouble

    zh = "新质生产力新增就业7万人。"
    read = "XZA 新增就业70,000人。"
    double = ScriptedTranslatorTestDouble(
        {read: "XZA added 70,000 jobs."},
        {read: ["XZA added 70,000 jobs.", "XZA added 7 jobs.", "XZB broke."]},
    )
    segment = Segment("s1.p1.1", "s1.p1", zh, zh, True)
    comma = Segment("s1.p1.2", "s1.p1", "。", "。", False)
    terms = {"新质生产力": "new quality productive forces"}
    found = translate_alternatives([segment, comma], double, terms, n=4)
    texts = [c.en for c in found["s1.p1.1"]]
    assert texts == ["new quality productive forces added 70,000 jobs.",
                     "new quality productive forces added 7 jobs."]  # fmt: skip
    assert found["s1.p1.1"][0].flags == ()
    assert {f.kind for f in found["s1.p1.1"][1].flags} == {"number_mismatch"}
    assert [c.en for c in found["s1.p1.2"]] == ["."]


def test_alternatives_fall_back_to_the_plain_text_when_every_placeholder_broke() -> None:
    from briefing.translate.policy import translate_alternatives
    from tests.doubles import ScriptedTranslatorTestDouble

    zh = "发展新质生产力。"
    double = ScriptedTranslatorTestDouble({"发展 XZA 。": "Develop.", zh: "Develop new forces."})
    terms = {"新质生产力": "new quality productive forces"}
    found = translate_alternatives([Segment("s1.p1.1", "s1.p1", zh, zh, True)], double, terms, 2)
    [only] = found["s1.p1.1"]
    assert (only.en, only.unprotected) == ("Develop new forces.", True)


def test_a_dismissed_flag_is_moved_aside_only_for_the_english_it_was_judged_on(
    tmp_path: object,
) -> None:
    from pathlib import Path

    from briefing.memory import MemoryUse, open_memory, sentence_key
    from tests.doubles import StandInModelTestDouble

    zh = "全年新增就业7万人。"
    segment = Segment("s1.p1.1", "s1.p1", zh, zh, True)
    double = StandInModelTestDouble()
    with open_memory(Path(str(tmp_path)) / "m.sqlite") as memory:
        use = MemoryUse(memory, "sig")
        [before] = translate_segments([segment], double, {}, retry=False, memory=use)
        assert {f.kind for f in before.flags} == {"untranslated", "omission"}
        flag = next(f for f in before.flags if f.kind == "untranslated")
        memory.dismiss(sentence_key(zh), flag.kind, flag.detail, before.en,
                       "the echo double leaves Chinese in", "alice")  # fmt: skip
        memory.dismiss(sentence_key(zh), "omission", "not raised", before.en, "x", "bob")
        [after] = translate_segments([segment], double, {}, retry=False, memory=use)
        assert [f.kind for f in after.flags] == ["omission"]
        [gone] = after.dismissed
        assert (gone.flag, gone.reason, gone.who) == (flag, "the echo double leaves Chinese in",
                                                      "alice")  # fmt: skip
        # other English: the judgement does not hold for it
        memory.store_machine([(sentence_key(zh), zh, ["EN(全年新增就业70,000 people)"])], "sig")
        [other] = translate_segments([segment], double, {}, retry=False, memory=use)
        assert other.dismissed == () and "untranslated" in {f.kind for f in other.flags}
