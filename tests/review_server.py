"""`briefing review` on tests/data/review/report.txt with a scripted stand-in for the
model, as a process of its own (the browser tests start it, and kill it)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORT = ROOT / "tests" / "data" / "review" / "report.txt"

# What the stand-in model says for each sentence (numbers are written out before it reads
# them); s1.p1's second sentence and the AI sentence are wrong, and so flagged.
SCRIPT = {
    "某市召开2025年经济工作会议": "City holds its 2025 economic work conference",
    "一、稳住经济增长": "1. Stabilising economic growth",
    "今年全市地区生产总值增长5.8%。": "This year the city's GDP grew by 5.8%.",
    "全年新增就业岗位7万个。": "7 million new jobs were created over the year.",
    "全市常住人口达到670万人，比上年增加1.2万人。":
        "The city's resident population reached 6.7 million, 12,000 more than the year before.",
    "二、持续改善民生": "2. Continuing to improve people's livelihoods",
    "新建和改造农村公路1200公里。": "1,200 km of rural roads were built or upgraded.",
    "城镇调查失业率下降0.3个百分点。":
        "The surveyed urban unemployment rate fell by 0.3 percentage points.",
    "加快发展AI产业，推动数字经济和实体经济深度融合。": "Speed up, speed up, speed up, speed up.",
    "页面测试<script>alert(1)</script>应显示为文字。":
        "The page test <script>alert(1)</script> should show as text.",
    "全年实施六大民生工程，惠及千家万户。":
        "Six major livelihood projects were carried out over the year, benefiting countless "
        "families.",
}  # fmt: skip
ALTERNATIVES = {
    "全市常住人口达到670万人，比上年增加1.2万人。": [
        "The city's resident population reached 6.7 million, 12,000 more than the year before.",
        "The permanent population of the city reached 6.7 million, up 12,000 on the year.",
    ],
    "加快发展AI产业，推动数字经济和实体经济深度融合。": [
        "Speed up, speed up, speed up, speed up.",
        "We will accelerate the AI industry and integrate the digital and real economies.",
    ],
}


def stand_in() -> object:
    from briefing.translate.prepare import normalise_numbers
    from tests.doubles import ScriptedStandInModelTestDouble

    read = {normalise_numbers(k)[0]: v for k, v in SCRIPT.items()}
    others = {normalise_numbers(k)[0]: v for k, v in ALTERNATIVES.items()}
    return ScriptedStandInModelTestDouble(read, others)


if __name__ == "__main__":
    import briefing.pipeline as pipeline

    pipeline.open_translator = lambda options, model=None: stand_in()  # type: ignore[assignment,return-value]
    from briefing.cli import main

    main(["review", str(REPORT), "--no-browser", "--no-glossary", "--no-retry", *sys.argv[1:]])
