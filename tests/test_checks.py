"""The checks: what each one must flag, and the correct translations it must leave alone.

Correct pairs (tests/data/checks/correct.tsv) are human translations in the genre; none
may be flagged. Broken pairs (tests/data/checks/broken.tsv) each name the kind of flag
they must get.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.checks import KINDS, check_pair, count_by_kind
from briefing.checks.numbers import (
    english_months,
    english_numbers,
    expected_numbers,
    number_problems,
)
from briefing.checks.text import (
    RATIO_FLOOR,
    empty_problems,
    omission_problems,
    repetition_problems,
    term_problems,
    untranslated_problems,
)
from briefing.model import Flag
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "checks"


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


CORRECT = _rows(DATA / "correct.tsv")
BROKEN = _rows(DATA / "broken.tsv")


@pytest.mark.parametrize(("zh", "en"), CORRECT, ids=[zh[:12] for zh, _ in CORRECT])
def test_a_correct_translation_is_not_flagged(zh: str, en: str) -> None:
    assert check_pair(zh, en) == ()


@pytest.mark.parametrize(("kind", "zh", "en"), BROKEN, ids=[f"{k}-{e[:20]}" for k, _, e in BROKEN])
def test_a_broken_translation_gets_its_flag(kind: str, zh: str, en: str) -> None:
    assert kind in {flag.kind for flag in check_pair(zh, en)}


def test_the_data_files_cover_every_kind_but_glossary_terms() -> None:
    """term_missing needs terms; cut is the policy's flag, not a check's (test_policy.py)."""
    assert len(CORRECT) >= 40
    assert {kind for kind, _, _ in BROKEN} == set(KINDS) - {"term_missing", "cut"}


# --- number_mismatch: the equivalences of the issue, both ways -------------------------


@pytest.mark.parametrize(
    ("zh", "right", "wrong"),
    [
        ("新增7万人", "70,000 new people", "7 million new people"),
        ("新增7万人", "70 thousand new people", "700,000 new people"),
        ("投资12亿元", "an investment of 1.2 billion yuan", "an investment of 12 billion yuan"),
        ("增加4.6万", "an increase of 46,000", "an increase of 4.6"),
        ("5月7日召开", "held on May 7", "held on May 17"),
        ("5月7日召开", "held on 7 May", "held on 7 March"),
        ("市委八届十二次全会", "the 12th plenary session of the 8th municipal Party committee",
         "the 12th plenary session of the municipal Party committee"),
        ("“十五五”规划", "the 15th Five-Year Plan", "the 15th and 5th plans"),
        ("下降3个百分点", "down 3 percentage points", "down 3 percent"),
        ("增长3%", "up 3%", "up 3 percentage points"),
        ("六大工程", "six major projects", "seven major projects"),
        ("六大工程", "6 major projects", "16 major projects"),
        ("三千二百万元", "32 million yuan", "3.2 million yuan"),
        ("1.4万亿元", "1.4 trillion yuan", "1.4 billion yuan"),
        ("百分之五", "five percent", "fifty percent"),
        ("三分之二", "two-thirds", "one third"),
        ("第二届", "the second session", "the first session"),
        ("2025年", "in 2025", "in 2024"),
        ("1—4月", "January to April", "January to March"),
        ("1—4月", "the first four months", "the first three months"),
        ("3—5万人", "30,000-50,000 people", "3-5 people"),
        ("3—5万人", "30-50 thousand people", "30-50 people"),
        ("拨打12345热线", "call the 12345 hotline", "call the 1234 hotline"),
        ("3300余万元", "more than 33 million yuan", "more than 3,300 yuan"),
        ("110亿英镑", "£11bn", "£110bn"),
        ("1分57秒79", "1:57.79", "1:58.79"),
        ("上午9:30", "at 9:30 a.m.", "at 9 a.m."),
        ("萬人", "10,000 people", "100 people"),  # bare magnitudes count once written as a number
    ],
)  # fmt: skip
def test_numbers_in_equivalent_forms_pass_and_wrong_ones_do_not(
    zh: str, right: str, wrong: str
) -> None:
    assert number_problems(zh, right) == []
    assert number_problems(zh, wrong) != []


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("事关千家万户幸福安康", "concerns the happiness of every household"),
        ("征程万里风正劲", "the journey is long and the wind is fair"),
        ("万象更新", "everything takes on a new look"),
        ("重任千钧再出发", "with heavy responsibilities we set out again"),
        ("两岸同胞", "compatriots on both sides of the Strait"),  # 两 without a classifier
        ("一批项目", "a batch of projects"),  # 一 is "a"
        ("一是加强领导", "first, strengthen leadership"),
        ("三四个部门", "three or four departments"),
        ("三四个部门", "several departments"),  # neighbouring numerals are not a count
        ("几十家企业", "dozens of companies"),
        ("百年大计", "a plan for generations"),
        ("数万人参加", "tens of thousands took part"),
        ("2018财年", "FY18"),
        ("第二天上午", "the next morning"),
        ("新冠疫情", "the COVID-19 epidemic"),  # digits in a name are not numbers
        ("建设G60科创走廊", "build the G60 corridor"),
        ("第三，加强监管", "Thirdly, strengthen supervision"),
        ("翻两番", "quadrupled"),  # not a count: 番 is not a classifier
        # a count that sums up the list beside it (not after 等, "etc.")
        (
            "建设国家中心、省重点实验室、新型研发机构三级创新梯队",
            "build an innovation ladder of national centres, provincial laboratories and new R&D "
            "institutions",
        ),
        (
            "前五位分别是：张三、李四、王五、赵六和孙七",
            "The leaders are Zhang San, Li Si, Wang Wu, Zhao Liu and Sun Qi",
        ),
        ("20世纪70年代", "the 1970s"),
        ("上世纪九十年代", "the 1990s"),
        ("二十年来", "for two decades"),
        ("投资4个亿", "an investment of 400 million"),
        ("两人在会上发言", "Both spoke at the meeting"),
        ("晚上10点42分", "at 10.42pm"),
        ("女子4x200米接力", "women's 4 x 200m relay"),
        ("七人制橄榄球", "rugby sevens"),
        ("有效的二级预防", "effective secondary prevention"),
    ],
)
def test_numbers_a_correct_translation_may_leave_implicit(zh: str, en: str) -> None:
    assert number_problems(zh, en) == []


def test_a_number_the_english_invents_is_flagged() -> None:
    assert number_problems("今年以来全市经济稳中向好", "Since 2024 the economy has improved") == [
        "the English has 2024, which is not in the Chinese"
    ]


def test_percent_for_percentage_points_is_named() -> None:
    assert number_problems("下降0.3个百分点", "fell by 0.3%") == [
        "0.3个百分点: the English gives percent, not percentage points"
    ]


def test_what_the_chinese_requires() -> None:
    found = {e.text: [(n.value, n.unit, n.month) for n in e.needs] for e in expected_numbers(
        "5月7日，全市新增就业7万人，增长3个百分点，实施六大工程，“十四五”收官，千家万户受益。"
    )}  # fmt: skip
    assert found == {
        "5月7日": [(5, None, True), (7, None, False)],
        "7万人": [(70000, None, False)],
        "3个百分点": [(3, "pp", False)],
        "六大": [(6, None, False)],
        "十四五": [(14, None, False)],
    }


@pytest.mark.parametrize(
    ("en", "values"),
    [
        ("70,000 people", [70000]),
        ("1.2 billion yuan", [1.2e9]),
        ("one hundred and twenty thousand", [120000]),
        ("the twenty-first century", [21]),
        ("$3.5bn and 100m", [3.5e9, 1e8, 100]),
        ("No.12 pick", [12]),
        ("grew 5-6%", [5, 6]),
        ("thirdly", [3]),
    ],
)
def test_reading_numbers_in_english(en: str, values: list[float]) -> None:
    assert [n.value for n in english_numbers(en)] == values


def test_may_is_a_month_only_where_it_reads_as_one() -> None:
    assert english_months("held on May 7") == {5}
    assert english_months("in early May and June") == {5, 6}
    assert english_months("May the meeting succeed; we may act") == set()


# --- the other checks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "zh", "flagged", "clean"),
    [
        (empty_problems, "全会召开。", "", "The plenary session was held."),
        (empty_problems, "全会召开。", "。", "The session opened."),
        (empty_problems, "。", "", ""),  # nothing to translate, nothing to flag
        (untranslated_problems, "全会召开。", "The 全会 was held.", "The plenary was held."),
        (repetition_problems, "全会召开。", "held held held held", "The plenary was held."),
        (repetition_problems, "研究研究，再研究研究。", "study study study it",
         "Study it, and then study it again."),
        (repetition_problems, "坚持改革，坚持开放，坚持创新。",
         "Reform and opening up and opening up and opening up and opening up.",
         "We will stay committed to reform, stay committed to opening up and stay committed "
         "to innovation."),
        (omission_problems,
         "要推动现代农业培优壮链、推进乡村全面振兴，为农业农村现代化建设提供方向指引。",
         "Modern agriculture.",
         "We must strengthen modern agricultural chains and advance all-round rural "
         "revitalisation, giving direction to the modernisation of agriculture and rural areas."),
        (omission_problems, "发展AI产业", "Develop the industry", "Develop the AI industry"),
        (omission_problems, "接受BMA的合同", "accepted the contract",
         "accepted the contract of the British Medical Association"),
    ],
)  # fmt: skip
def test_each_check_flags_the_bad_english_and_passes_the_good(
    check: object, zh: str, flagged: str, clean: str
) -> None:
    assert callable(check)
    assert check(zh, clean) == []
    if flagged or zh.strip("。"):
        assert check(zh, flagged) != []


def test_pinyin_names_and_latin_acronyms_are_not_untranslated() -> None:
    zh = "市长刘中明表示，要发展AI和5G，推动GDP增长。"
    en = "Mayor Liu Zhongming said AI and 5G should be developed to drive GDP growth."
    assert check_pair(zh, en) == ()


def test_the_length_floor_comes_from_correct_translations() -> None:
    # floors rise with length (short sources vary more) and sit well under the median (~3)
    floors = [floor for _, floor in RATIO_FLOOR]
    assert floors == sorted(floors)
    assert all(0.5 < floor < 2.5 for floor in floors)


def test_glossary_terms_must_keep_their_standard_english() -> None:
    terms = {"新质生产力": "new quality productive forces", "生产力": "productive forces"}
    zh = "发展新质生产力"
    assert term_problems(zh, "develop new quality productive forces", terms) == []
    assert term_problems(zh, "develop New-Quality Productive Forces", terms) == []
    assert term_problems(zh, "develop new productivity", terms) == [
        "新质生产力 should be 'new quality productive forces'"
    ]
    flags = check_pair(zh, "develop new productivity", terms)
    assert [f.kind for f in flags] == ["term_missing"]


def test_empty_english_gets_one_flag_not_five() -> None:
    assert check_pair("确保全年吸引超7万人返乡就业创业。", "") == (
        Flag("empty", "the English is empty"),
    )


def test_flags_are_counted_by_kind_in_a_fixed_order() -> None:
    flags = [Flag("omission", "a"), Flag("number_mismatch", "b"), Flag("omission", "c")]
    assert list(count_by_kind(flags).items()) == [("number_mismatch", 1), ("omission", 2)]


def test_the_quality_bench_runs_on_a_pairs_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("\n".join(f"{zh}\t{en}" for zh, en in CORRECT) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "checks_quality.py"), str(pairs)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"correct pairs: {len(CORRECT)}; flagged 0 (0.0%)")
    assert "empty" in done.stdout and "= 100%" in done.stdout


@pytest.mark.parametrize(
    ("en", "flagged"),
    [
        ("We will foster a new development pattern.", False),  # a listed variant
        ("We will foster a new pattern of development.", False),  # the standard English
        ("We will foster the New Pattern of Development.", False),  # capitals, "the"
        ("We will foster a new development model.", True),  # a near miss
    ],
)
def test_a_term_may_have_variants(en: str, flagged: bool) -> None:
    terms = {"新发展格局": ("a new pattern of development", "new development pattern")}
    problems = term_problems("加快构建新发展格局。", en, terms)
    assert bool(problems) == flagged
    if flagged:
        assert problems == ["新发展格局 should be 'a new pattern of development' or "
                            "'new development pattern'"]  # fmt: skip


@pytest.mark.parametrize(
    ("rendering", "en", "flagged"),
    [
        ("leading Party members group", "the leading Party members groups of ministries", False),
        ("industrial and supply chain", "stable industrial and supply chains", False),
        ("strategic emerging industry", "strategic emerging industries", False),
        ("gross domestic product (GDP)", "GDP grew by 5%", False),  # the aside is accepted
        ("gross domestic product (GDP)", "gross domestic product grew by 5%", False),
        ("the Two Upholds", "the Two Upholdings", True),  # not a regular plural
        ("mayor", "the mayoral race", True),  # a whole word, not a prefix
        ("secretary of the … municipal committee",
         "Wang Wei, secretary of the CPC Suzhou Municipal Committee", False),  # … is a name
        ("secretary of the … municipal committee", "secretary of the committee", True),
    ],
)  # fmt: skip
def test_what_a_term_may_change_without_a_variant(rendering: str, en: str, flagged: bool) -> None:
    assert bool(term_problems("市委书记", en, {"市委书记": rendering})) == flagged


@pytest.mark.parametrize(
    ("zh", "en", "flagged"),
    [
        # 六成 is 60 percent: the English may say so
        ("其中产业项目占比超过六成。", "Industrial projects made up over 60 percent.", False),
        # a scale word after a hyphen: 100-billion-yuan is 千亿
        ("跨越两个千亿台阶。", "The economy crossed two 100-billion-yuan thresholds.", False),
        # 100% may be "all", "every"
        ("课后服务覆盖率达到100%。", "After-school services now reach every school.", False),
        ("课后服务覆盖率达到100%。", "After-school services now reach most schools.", True),
        # 打好三大攻坚战: 好 completes the verb, 三大 is counted
        ("坚决打好三大攻坚战。", "We will resolutely fight the two critical battles.", True),
        ("坚决打好三大攻坚战。", "We will resolutely fight the three critical battles.", False),
        # 好两天: "quite a while", not a count
        ("他好两天没来了。", "He has not come for quite a while.", False),
        # counted numerals in names of policies, and idioms left out
        ("坚持“四位一体”推进。", "We will take a three-in-one approach.", True),
        ("坚持“四位一体”推进。", "We will take a four-in-one approach.", False),
        ("惠及千家万户。", "It benefits countless families.", False),
        ("共建一带一路。", "We will build the Belt and Road together.", False),
    ],
)  # fmt: skip
def test_counted_numerals_and_percent_words(zh: str, en: str, flagged: bool) -> None:
    assert bool(number_problems(zh, en)) == flagged


def test_flags_name_the_clause_they_are_about() -> None:
    zh = "全年新增就业岗位7万个，城镇调查失业率控制在5.5%以内。"
    flags = check_pair(zh, "7,000 new jobs were created and unemployment stayed below 5.5%.")
    number = next(f for f in flags if f.kind == "number_mismatch")
    assert number.clause == "全年新增就业岗位7万个，"
    assert next(f for f in check_pair(zh, "")).clause is None  # empty: the whole segment


# --- bad input: numbers past any quantity, and pairs the old checks took seconds on ------

OVERSIZED = {
    "400 nines, both sides": ("新增" + "9" * 400 + "个", "9" * 400 + " new"),
    "十亿 sixty times": ("十亿" * 60 + "元", "ten"),
    "4,301 一": ("一" * 4301 + "个", "one"),
    "hundred 400 times": ("全会召开", "hundred " * 400),
    "a scale word 60 times": ("全会召开", "5 " + "million " * 60),
    "a clock with 400 decimals": ("全会召开", "1:57." + "9" * 400),
}


@pytest.mark.parametrize(("zh", "en"), OVERSIZED.values(), ids=OVERSIZED.keys())
def test_numbers_past_any_quantity_are_no_numbers_and_crash_nothing(zh: str, en: str) -> None:
    assert not any(
        flag.kind == "number_mismatch" and "9" * 30 in flag.detail for flag in check_pair(zh, en)
    )
    assert all(abs(n.value) < 1e20 for n in english_numbers(en))


# Inputs on which the checks took many seconds (issue 16); each now takes milliseconds.
# The bound is generous for a shared 2-core machine, and far below the old times.
SLOW_BEFORE = {
    "16,000 digits (17 s)": ("9" * 16_000 + "个", "x"),
    "100,000 digits (over a minute)": ("9" * 100_000, "9" * 100_000),
    "'1 ' x 4,000 in the English (6 s)": ("全会召开", "1 " * 4_000),
    "'一' x 20,000 before 分之 (quadratic)": ("一" * 20_000 + "分之一", "x"),
    "2,000 counts in one clause (quadratic)": ("两个" * 2_000, "two " * 2_000),
    "'in May' x 5,000 (quadratic)": ("全会召开", "in May " * 5_000),
}


@pytest.mark.parametrize(("zh", "en"), SLOW_BEFORE.values(), ids=SLOW_BEFORE.keys())
def test_a_pair_the_old_checks_took_seconds_on_checks_in_well_under_a_second(
    zh: str, en: str
) -> None:
    import time

    start = time.perf_counter()
    check_pair(zh, en)
    assert time.perf_counter() - start < 2.0


def test_each_number_of_the_chinese_is_looked_up_not_compared_with_every_english_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Work bounded structurally: the English numbers' radii are computed a few times per
    number, not once per (Chinese number, English number) pair as before."""
    from briefing.checks import numbers as check

    calls = 0
    radius = check._radius

    def counted(number: check.EnglishNumber) -> float:
        nonlocal calls
        calls += 1
        return radius(number)

    monkeypatch.setattr(check, "_radius", counted)
    n = 400
    zh = "".join(f"{i}个，" for i in range(1, n + 1))
    en = ", ".join(str(i) for i in range(n, 0, -1))
    assert number_problems(zh, en) == []
    assert calls <= 10 * n  # the pairwise comparison made n * n = 160,000
