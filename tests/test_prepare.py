"""What the model reads: numbers written out, glossary terms as placeholders, and the
fallback when the model breaks a placeholder."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pytest

from briefing.checks import check_pair
from briefing.checks.numbers import number_problems
from briefing.model import EngineInfo, Segment
from briefing.translate.policy import translate_segments
from briefing.translate.prepare import normalise_numbers, placeholder, protect, restore

TERMS = {
    "新质生产力": "new quality productive forces",
    "生产力": "productive forces",
    "高质量发展": "high-quality development",
    "孙海山": "Sun Haishan",
}


@pytest.mark.parametrize(
    ("zh", "model_reads"),
    [
        ("吸引超7万人返乡", "吸引超70,000人返乡"),
        ("培训4.6万人次", "培训46,000人次"),
        ("投资1.2亿元的项目", "投资120 million yuan的项目"),
        ("引进3—5万人", "引进30,000—50,000人"),
        ("财政收入三千二百万元", "财政收入32,000,000 yuan"),
        ("售价五万五千元", "售价55,000 yuan"),
        ("投資1.2億元", "投資120 million yuan"),  # Traditional magnitudes
        ("培訓4.6萬人次", "培訓46,000人次"),
        ("共１２万人", "共120,000人"),  # full-width digits
        ("1,234万元", "12,340,000 yuan"),
        ("GDP达到1.4万亿元", "GDP达到1.4 trillion yuan"),
        # left alone: no magnitude, idioms, vague amounts, "by all means"
        ("增长5.8%", "增长5.8%"),
        ("千家万户", "千家万户"),
        ("亿万人民", "亿万人民"),
        ("千万不要大意", "千万不要大意"),
        ("2025年5月7日", "2025年5月7日"),
    ],
)
def test_magnitude_numbers_are_written_out_for_the_model(zh: str, model_reads: str) -> None:
    assert normalise_numbers(zh)[0] == model_reads


@pytest.mark.parametrize(
    "zh",
    ["吸引超7万人返乡", "培训4.6万人次", "投资1.2亿元", "引进3—5万人", "财政收入三千二百万元",
     "投資1.2億元", "培訓4.6萬人次", "GDP达到1.4万亿元", "售价五万五千元", "增长0.35万"],
)  # fmt: skip
def test_numbers_round_trip_through_normalisation_and_the_check(zh: str) -> None:
    """English that copies the model's input numbers passes the check against the report."""
    model_reads, rewrites = normalise_numbers(zh)
    assert rewrites
    copied = " ".join(re.findall(r"[\d,.]+(?:—[\d,.]+)?(?: (?:million|billion|trillion))?",
                                 model_reads))  # fmt: skip
    assert number_problems(zh, f"The figure is {copied} in total.") == []


def test_placeholders_are_capitals_only_and_never_repeat() -> None:
    tokens = [placeholder(i) for i in range(60)]
    assert len(set(tokens)) == 60
    assert all(re.fullmatch("XZ[A-Z]+", t) for t in tokens)


def test_protect_takes_the_longest_term_and_gives_each_occurrence_its_own_placeholder() -> None:
    protected = protect("孙海山表示，发展新质生产力，提高生产力。", TERMS)
    assert protected.text == "XZA 表示，发展 XZB ，提高 XZC 。"
    assert [(s.token, s.zh) for s in protected.slots] == [
        ("XZA", "孙海山"), ("XZB", "新质生产力"), ("XZC", "生产力")
    ]  # fmt: skip
    english, problems = restore("XZA said we will develop XZB and raise XZC .", protected.slots)
    assert problems == []
    assert english == (
        "Sun Haishan said we will develop new quality productive forces and raise productive "
        "forces."
    )


@pytest.mark.parametrize(
    ("english", "problem"),
    [
        ("XZA said we will develop and raise XZC.", "dropped or garbled the placeholder for "
         "新质生产力"),
        ("XZA said XZB XZB and XZC.", "repeated the placeholder for 新质生产力 2 times"),
        ("XZA said XZ B and XZC.", "garbled"),
        ("XZA said Xzb and XZC.", "dropped or garbled the placeholder for 新质生产力"),
        ("XZA said XZB, XZC and XZD.", "not in the input (XZD)"),
    ],
)  # fmt: skip
def test_a_broken_placeholder_fails_the_restore(english: str, problem: str) -> None:
    protected = protect("孙海山表示，发展新质生产力，提高生产力。", TERMS)
    restored, problems = restore(english, protected.slots)
    assert any(problem in p for p in problems)
    assert restored == english  # never a half-restored text


class PlaceholderManglerTestDouble:
    """A test double: 'translates' by replacing each Chinese run with a word, and breaks
    the placeholders of the texts whose index is in `mangle` (drop, duplicate, garble)
    while reordering those of the others. Texts with no placeholder come back clean."""

    name = "placeholder mangler test double"

    def __init__(self, mangle: dict[str, str]) -> None:
        self.mangle = mangle  # Chinese marker in the text -> how to break it
        self.calls: list[list[str]] = []

    def count_tokens(self, text: str) -> int:
        return len(text)

    def describe(self) -> EngineInfo:
        return EngineInfo("test-double", None, "mangler", "none", "cpu", 1, True)

    def translate(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        self.calls.append(list(texts))
        out = []
        for text in texts:
            tokens = re.findall(r"XZ[A-Z]+", text)
            words = ["word" for _ in re.findall(r"[\u4e00-\u9fff]+", text)]
            how = next((h for marker, h in self.mangle.items() if marker in text), None)
            if tokens and how == "drop":
                tokens = tokens[1:]
            elif tokens and how == "duplicate":
                tokens = [tokens[0], *tokens]
            elif tokens and how == "garble":
                tokens = [t.lower() for t in tokens]
            else:
                tokens = list(reversed(tokens))  # the model may reorder: that is fine
            out.append(" ".join([*tokens, *words]) + ".")
        return out

    def retry(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        return self.translate(texts, on_batch)


def segment(i: int, zh: str) -> Segment:
    return Segment(f"s1.p{i}.1", f"s1.p{i}", zh, zh, True)


def test_every_broken_placeholder_falls_back_to_a_flagged_plain_translation() -> None:
    segments = [
        segment(1, "甲：发展新质生产力和高质量发展。"),
        segment(2, "乙：孙海山表示要发展新质生产力。"),
        segment(3, "丙：推动高质量发展和新质生产力。"),
        segment(4, "丁：推动高质量发展。"),
        segment(5, "戊：没有术语的句子。"),
    ]
    double = PlaceholderManglerTestDouble({"乙": "drop", "丙": "duplicate", "丁": "garble"})
    result = {t.id: t for t in translate_segments(segments, double, TERMS, retry=False)}
    assert all("XZ" not in t.en and "xz" not in t.en for t in result.values())  # nothing leaks
    fell_back = {sid for sid, t in result.items() if t.unprotected}
    assert fell_back == {"s1.p2.1", "s1.p3.1", "s1.p4.1"}
    for sid in fell_back:  # the plain English lacks the terms' English: the checks say so
        assert result[sid].model_input is None  # it read the plain Chinese
        assert "term_missing" in {f.kind for f in result[sid].flags}
    assert not any(f.kind == "term_missing" for f in result["s1.p1.1"].flags)
    assert result["s1.p1.1"].model_input == "甲：发展 XZA 和 XZB 。"  # the protected text
    # reordered placeholders are restored, not flagged
    assert result["s1.p1.1"].en.startswith("high-quality development new quality productive")
    # the fallback is one more call, with the plain text of just the broken segments
    assert double.calls[1] == [s.analysis for s in segments[1:4]]
    assert len(double.calls) == 2


def test_glossary_terms_in_the_english_pass_the_term_check() -> None:
    protected = protect("发展新质生产力。", TERMS)
    english, _ = restore("Develop XZA.", protected.slots)
    assert check_pair("发展新质生产力。", english, TERMS) == ()


def test_a_fallback_whose_english_has_the_term_is_not_flagged() -> None:
    """Broken placeholders are a fact about the model's run, not about the English: the
    unprotected English that does give the standard term is clean, and kept."""

    class DropsThenRight(PlaceholderManglerTestDouble):
        def translate(
            self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
        ) -> list[str]:
            self.calls.append(list(texts))
            right = "Promote high-quality development."
            return ["Promote it." if "XZ" in t else right for t in texts]

    double = DropsThenRight({})
    [checked] = translate_segments([segment(1, "推动高质量发展。")], double, TERMS)
    assert checked.unprotected and checked.flags == () and not checked.retried
    assert checked.en == "Promote high-quality development."


def test_the_checks_accept_a_term_s_listed_variants_after_a_fallback() -> None:
    class DropsThenVariant(PlaceholderManglerTestDouble):
        def translate(
            self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
        ) -> list[str]:
            self.calls.append(list(texts))
            return ["Promote it." if "XZ" in t else "Promote quality development." for t in texts]

    forms = {"高质量发展": ("high-quality development", "quality development")}
    [checked] = translate_segments([segment(1, "推动高质量发展。")], DropsThenVariant({}), forms)
    assert checked.unprotected and checked.flags == ()
    [standard] = translate_segments([segment(1, "推动高质量发展。")], DropsThenVariant({}),
                                    {"高质量发展": "high-quality development"})  # fmt: skip
    assert [f.kind for f in standard.flags] == ["term_missing"]


@pytest.mark.parametrize("zh", ["9" * 400 + "万人", "1" + "0" * 400 + "万", "十亿" * 60 + "元"])
def test_a_number_too_long_to_be_a_quantity_is_left_as_written(zh: str) -> None:
    assert normalise_numbers(zh) == (zh, ())
