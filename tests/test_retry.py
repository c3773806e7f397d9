"""Retry: a segment the checks flag is translated once more with safer decoding; the
English with fewer flags wins, then the one with the more plausible length."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from briefing.options import TranslationOptions
from briefing.pipeline import translate_document
from tests.doubles import ScriptedTranslatorTestDouble

REPORT = Path(__file__).parent / "data" / "checks" / "report.txt"
FIRST = {
    "某市召开2025年经济工作会议": "City holds its 2025 economic work conference",
    "一、稳住经济增长": "1. Stabilising economic growth",
    "今年全市地区生产总值增长5.8%。": "This year the city's GDP grew by 5.8%.",
    "全年新增就业岗位70,000个。": "come on come on come on come on",  # loops: retried
    "全市常住人口达到6,700,000人，比上年增加12,000人。":
        "The city's population reached 6.7 million, up 1,200.",  # still wrong after retry
    "二、持续改善民生": "2. Improving people's livelihoods",
    "新建和改造农村公路1200公里。": "1,200 km of rural roads were built or upgraded.",
    "城镇调查失业率下降0.3个百分点。": "Unemployment fell by 0.3 percentage points.",
    "加快发展AI产业，推动数字经济和实体经济深度融合。":
        "We will speed up the AI industry and integrate the digital and real economies.",
    "全年实施六大民生工程，惠及千家万户。":
        "Six major livelihood projects benefited many families.",
}  # fmt: skip
RETRY = {
    "全年新增就业岗位70,000个。": "70,000 new jobs were created over the year.",
    "全市常住人口达到6,700,000人，比上年增加12,000人。":
        "The city's population reached 67 million, up 1,200,000 people on the year.",
}  # fmt: skip


class RetryingTestDouble(ScriptedTranslatorTestDouble):
    """A scripted test double whose `retry` answers from a second script."""

    def __init__(self, script: dict[str, str], again: dict[str, str]) -> None:
        super().__init__(script)
        self.again = again
        self.retried: list[list[str]] = []

    def retry(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        self.retried.append(list(texts))
        return [self.again.get(t, self.script[t]) for t in texts]


def run(retry: bool) -> tuple[RetryingTestDouble, dict[str, object]]:
    double = RetryingTestDouble(FIRST, RETRY)
    done = translate_document(REPORT, TranslationOptions(glossary=False, retry=retry), double)
    return double, {s.id: s for s in done.segments}


def test_only_flagged_segments_are_retried_once() -> None:
    double, _ = run(retry=True)
    assert double.retried == [
        ["全年新增就业岗位70,000个。", "全市常住人口达到6,700,000人，比上年增加12,000人。"]
    ]


def test_the_retry_wins_when_it_has_fewer_flags() -> None:
    _, segments = run(retry=True)
    jobs = segments["s1.p1.2"]
    assert jobs.en == "70,000 new jobs were created over the year."  # type: ignore[attr-defined]
    assert jobs.flags == () and jobs.retried  # type: ignore[attr-defined]


def test_what_is_still_flagged_stays_flagged_with_the_better_english() -> None:
    _, segments = run(retry=True)
    population = segments["s1.p2.1"]
    # the retry gets both numbers wrong where the first English got one: the first is kept
    assert population.en == FIRST["全市常住人口达到6,700,000人，比上年增加12,000人。"]  # type: ignore[attr-defined]
    assert [f.kind for f in population.flags] == ["number_mismatch"] * 2  # type: ignore[attr-defined]
    assert not population.retried  # type: ignore[attr-defined]


def test_no_retry_leaves_the_first_english() -> None:
    double, segments = run(retry=False)
    assert double.retried == []
    assert segments["s1.p1.2"].en == "come on come on come on come on"  # type: ignore[attr-defined]
    assert {f.kind for f in segments["s1.p1.2"].flags} >= {"repetition"}  # type: ignore[attr-defined]


def test_the_marian_engine_retries_with_safer_decoding(tiny_model: Path) -> None:
    from briefing.translate import SAFER_DECODING
    from briefing.translate.marian import MarianTranslator
    from briefing.translate.resolve import from_folder

    translator = MarianTranslator(from_folder(tiny_model, "--model"), device="cpu")
    texts = ["发展新质生产力，推动高质量发展。", "全年新增就业岗位70,000个。"]
    again = translator.retry(texts)
    assert len(again) == 2 and all(isinstance(t, str) for t in again)
    assert again == translator.retry(texts)  # deterministic
    assert SAFER_DECODING["no_repeat_ngram_size"] == 3
