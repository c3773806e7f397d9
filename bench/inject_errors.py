"""Make the evaluation set's broken translations: errors put by rule into correct ones.

    .venv/bin/python bench/inject_errors.py            # rewrites tests/data/checks/eval/errors.tsv

Reads the correct pairs of `tests/data/checks/eval/pairs.tsv` and writes, for each pair, the
errors that can be put into it (seeded, so the file is the same on every run; a test checks
that it is up to date):

- number_altered: one digit of a number changed (5.8% -> 5.9%), or a digit added;
- number_scaled: a scale word swapped (million <-> billion, thousand -> million) or a
  number shifted by x10 (73,000 -> 7,300);
- clause_dropped_start / _middle / _end: the English of the first, a middle or the last
  clause left out (only where the English splits into as many parts as the Chinese has
  clauses, so that part k renders clause k);
- term_near_miss: a glossary term's English replaced by a near miss an engine might write
  (new quality productive forces -> new productive forces);
- counted_changed: the English number of a counted numeral (三大 three major, 两个 Two)
  changed by one;
- loop: a two-word phrase said four times, or a phrase of six words said twice;
- chinese_left_in: a word of the English replaced by a few characters of the Chinese;
- empty: no English.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.checks.base import clauses  # noqa: E402
from briefing.checks.numbers import expected_numbers  # noqa: E402
from briefing.glossary import load_glossary  # noqa: E402

EVAL = ROOT / "tests" / "data" / "checks" / "eval"
KINDS = ("number_altered", "number_scaled", "clause_dropped_start", "clause_dropped_middle",
         "clause_dropped_end", "term_near_miss", "counted_changed", "loop", "chinese_left_in",
         "empty")  # fmt: skip

# Near misses of glossary terms: what a generic engine writes instead of the standard English.
NEAR_MISSES = {
    "new quality productive forces": "new productive forces",
    "high-quality development": "high-speed development",
    "common prosperity": "shared wealth",
    "rural revitalization": "rural renewal",
    "the Two Upholds": "the Two Safeguards",
    "peaking carbon emissions": "carbon emission peak",
    "carbon dioxide peaking": "carbon peak",
    "carbon neutrality": "carbon balance",
    "General Secretary": "Secretary-General",
    "Yangtze River Delta": "Yangtze Delta area",
    "the Party Central Committee": "the Party center",
    "the CPC Central Committee": "the Central Committee of the Party",
    "Communist Party of China": "Chinese Communist Party",
    "the State Council": "the State Department",
    "State Council Information Office": "State Council News Office",
    "National People's Congress": "National People's Assembly",
    "National Committee of the CPPCC": "National Political Consultative Committee",
    "Chinese modernization": "Chinese-style modernization",
    "whole-process people's democracy": "all-process democracy",
    "the Belt and Road Initiative": "the One Belt One Road",
    "the new development philosophy": "the new development concept",
    "a new pattern of development": "a new development structure",
    "new development pattern": "new development structure",
    "supply-side structural reform": "supply structure reform",
    "pursuing progress while ensuring stability": "seeking progress in stability",
    "high-standard opening up": "high-level opening",
    "business environment": "business climate",
    "Guangdong-Hong Kong-Macao Greater Bay Area": "Guangdong-Hong Kong-Macao Big Bay Area",
    "coordinated development of the Beijing-Tianjin-Hebei region":
        "Beijing-Tianjin-Hebei cooperation",
    "Yangtze River Economic Belt": "Yangtze River Economic Zone",
    "integrated development of the Yangtze River Delta": "Yangtze River Delta unification",
    "innovation-driven development": "innovation-led growth",
    "scientific and technological innovation": "technology renewal",
    "intellectual property rights": "knowledge property rights",
    "a modernized industrial system": "a modern production system",
    "modernized industrial system": "modern production system",
    "new industrialization": "new-type industrialism",
    "strategic emerging industries": "strategic new industries",
    "industries of the future": "future-oriented sectors",
    "AI Plus": "AI Add",
    "new-energy vehicles": "new fuel cars",
    "the new trio": "the three new items",
    "achievements in poverty alleviation": "poverty-relief results",
    "east-west cooperation": "east-west collaboration work",
    "high-standard cropland": "high-grade farmland",
    "visa-free transit": "transit without visas",
    "ecological civilization": "ecological culture",
    "green and low-carbon": "green and low-emission",
    "small and medium-sized enterprises": "small and mid-size firms",
    "flexible employment": "flexible jobs",
    "special-purpose bonds": "special bonds",
    "ultra-long special treasury bonds": "extra-long special national bonds",
    "deficit-to-GDP ratio": "deficit level",
    "general public expenditures in the government budget": "general public budget spending",
    "industrial enterprises above designated size": "large industrial firms",
    "gross domestic product": "gross national output",
    "surveyed urban unemployment rate": "town survey jobless rate",
    "new urban jobs": "new town positions",
    "per capita disposable income": "average spendable income",
    "consumer prices": "resident consumption costs",
    "total retail sales of consumer goods": "total consumer goods sales volume",
    "energy consumption per unit of GDP": "energy use per GDP",
    "year on year": "compared with before",
    "grain output": "food production",
    "Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era":
        "Xi Jinping's thought on socialism with Chinese features for a new era",
    "the 20th National Congress of the Communist Party of China": "the 20th Party Congress",
    "the third plenary session of the 20th CPC Central Committee": "the 20th third plenary meeting",
    "the Party Central Committee with Comrade Xi Jinping at its core":
        "the Party Central Committee led by Comrade Xi Jinping",
    "the Second Centenary Goal": "the second hundred-year target",
    "full and rigorous Party self-governance": "strict Party management",
    "major-country diplomacy with Chinese characteristics": "great-power diplomacy of China",
    "a community with a shared future for mankind": "a community of common destiny",
    "the Five-sphere Integrated Plan": "the five-in-one overall layout",
    "the Four-pronged Comprehensive Strategy": "the four comprehensives strategic layout",
    "relieving students of excessive burdens from homework and off-campus tutoring":
        "double reduction",
    "the 15th Five-Year Plan": "the fifteenth five-year period",
    "15th Five-Year Plan": "fifteenth five-year period",
    "pilot free trade zone": "free trade experimental area",
    "streamline administration and delegate power, improve regulation, and upgrade services":
        "delegation, regulation and service",
    "Standing Committee of the municipal Party committee": "city Party standing group",
    "the standing committee of the municipal people's congress": "the city congress committee",
    "municipal committee of the CPPCC": "city political consultative conference",
    "National Bureau of Statistics": "National Statistics Office",
    "Xinhua News Agency": "New China News Agency",
    "vice mayor": "deputy city head",
    "provincial Party committee": "provincial committee office",
    "municipal Party committee": "city committee office",
    "Party committees": "Party commissions",
    "plenary session": "full meeting",
    "socialism with Chinese characteristics": "socialism of Chinese style",
    "the rejuvenation of the Chinese nation": "the revival of the Chinese people",
}
_WORD_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve"]  # fmt: skip
_PARTS_RE = re.compile(r"(?<=[,;:])\s+(?:and\s+|while\s+)?")
_NUMBER_RE = re.compile(r"(?<![\d.,])\d+(?:,\d{3})*(?:\.\d+)?")


def read_pairs(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pid, zh, en = line.split("\t")
            rows.append((pid, zh, en))
    return rows


def _sentence(parts: list[str]) -> str:
    """English parts joined back into one sentence: a capital first, a full stop last."""
    text = ", ".join(p.strip().rstrip(",;:.") for p in parts)
    if len(parts) >= 2:
        head, _, last = text.rpartition(", ")
        text = f"{head}, and {last}" if not last.startswith(("and ", "while ")) else text
    return text[:1].upper() + text[1:] + "."


def number_altered(rng: random.Random, zh: str, en: str) -> str | None:
    numbers = list(_NUMBER_RE.finditer(en))
    if not numbers or not expected_numbers(zh):
        return None
    m = rng.choice(numbers)
    v = m.group(0)
    if rng.random() < 0.6 and v[-1].isdigit():
        wrong = v[:-1] + str((int(v[-1]) + rng.choice((1, 2, 3))) % 10)
    else:
        digits = [i for i, ch in enumerate(v) if ch.isdigit() and i > 0]
        i = rng.choice(digits) if digits else 0
        wrong = v[:i] + str((int(v[i]) + 1) % 10) + v[i + 1 :] if digits else v + "0"
    return en[: m.start()] + wrong + en[m.end() :] if wrong != v else None


def number_scaled(rng: random.Random, zh: str, en: str) -> str | None:
    for a, b in (("thousand", "million"), ("million", "billion"), ("billion", "million"),
                 ("trillion", "billion")):  # fmt: skip
        if re.search(rf"\b{a}\b", en):
            return re.sub(rf"\b{a}\b", b, en, count=1)
    big = [m for m in re.finditer(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d.])", en)]
    if not big:
        return None
    m = rng.choice(big)
    value = int(m.group(0).replace(",", ""))
    wrong = value // 10 if rng.random() < 0.5 else value * 10
    return en[: m.start()] + f"{wrong:,}" + en[m.end() :]


def clause_dropped(zh: str, en: str, where: str) -> str | None:
    zh_clauses = clauses(zh)
    parts = [p for p in _PARTS_RE.split(en) if p.strip()]
    if len(zh_clauses) < 2 or len(parts) != len(zh_clauses):
        return None
    if where == "middle" and len(parts) < 3:
        return None
    k = {"start": 0, "end": len(parts) - 1, "middle": len(parts) // 2}[where]
    return _sentence(parts[:k] + parts[k + 1 :])


def term_near_miss(zh: str, en: str, accepted: dict[str, tuple[str, ...]]) -> str | None:
    for term in sorted(accepted, key=len, reverse=True):
        if term not in zh:
            continue
        for standard in sorted(NEAR_MISSES, key=len, reverse=True):
            if standard.lower() in en.lower() and any(
                standard.lower() in form.lower() or form.lower() in standard.lower()
                for form in accepted[term]
            ):
                start = en.lower().index(standard.lower())
                return en[:start] + NEAR_MISSES[standard] + en[start + len(standard) :]
    return None


def counted_changed(rng: random.Random, zh: str, en: str) -> str | None:
    counted = [
        need.value
        for expected in expected_numbers(zh)
        if not re.search(r"\d", expected.text)
        for need in expected.needs
        if 2 <= need.value <= 11
    ]
    for value in counted:
        word = _WORD_NUMBERS[int(value)]
        m = re.search(rf"\b{word}\b", en, re.IGNORECASE)
        if m:
            step = rng.choice((-1, 1)) if value > 2 else 1
            other = _WORD_NUMBERS[int(value) + step]
            if m.group(0)[0].isupper():
                other = other.capitalize()
            return en[: m.start()] + other + en[m.end() :]
    return None


def loop(rng: random.Random, en: str) -> str | None:
    words = en.split()
    if len(words) < 8:
        return None
    if rng.random() < 0.5:
        k = rng.randrange(0, len(words) - 3)
        looped = " ".join([" ".join(words[k : k + 2])] * 4)
        return " ".join([*words[:k], looped, *words[k + 2 :]])
    k = rng.randrange(0, len(words) - 6)
    phrase = " ".join(words[k : k + 6])
    return " ".join([*words[:k], phrase, phrase, *words[k + 6 :]])


def chinese_left_in(rng: random.Random, zh: str, en: str) -> str | None:
    runs = re.findall(r"[\u4e00-\u9fff]{2,6}", zh)
    if not runs:
        return None
    words = en.split()
    k = rng.randrange(0, len(words))
    return " ".join([*words[:k], rng.choice(runs), *words[k + 1 :]])


def inject(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str, str]]:
    rng = random.Random(17)
    accepted = load_glossary().accepted()
    errors: list[tuple[str, str, str, str]] = []
    for pid, zh, en in rows:
        made = {
            "number_altered": number_altered(rng, zh, en),
            "number_scaled": number_scaled(rng, zh, en),
            "clause_dropped_start": clause_dropped(zh, en, "start"),
            "clause_dropped_middle": clause_dropped(zh, en, "middle"),
            "clause_dropped_end": clause_dropped(zh, en, "end"),
            "term_near_miss": term_near_miss(zh, en, accepted),
            "counted_changed": counted_changed(rng, zh, en),
            "loop": loop(rng, en),
            "chinese_left_in": chinese_left_in(rng, zh, en),
            "empty": "",
        }
        for kind in KINDS:
            broken = made[kind]
            if broken is not None and broken != en:
                errors.append((f"{pid}.{kind}", kind, zh, broken))
    return errors


HEADER = ("# Broken translations made by bench/inject_errors.py from pairs.tsv (do not edit by\n"
          "# hand: run the script). Columns: id <TAB> kind <TAB> zh <TAB> en.\n")  # fmt: skip


def render(errors: list[tuple[str, str, str, str]]) -> str:
    return HEADER + "".join("\t".join(row) + "\n" for row in errors)


def main() -> None:
    errors = inject(read_pairs(EVAL / "pairs.tsv"))
    (EVAL / "errors.tsv").write_text(render(errors), encoding="utf-8")
    counts: dict[str, int] = {}
    for _, kind, _, _ in errors:
        counts[kind] = counts.get(kind, 0) + 1
    print(f"{len(errors)} errors: {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
