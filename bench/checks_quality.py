"""Measure the checks on human translations: how many correct pairs they flag (precision),
how many deliberately broken copies they catch (recall), and the length ratios that set
the omission floor.

    .venv/bin/python bench/checks_quality.py PAIRS.tsv

PAIRS.tsv is `zh<TAB>en` per line, human translations (not shipped: e.g. WMT newstest2017
zh-en, see briefing/checks/README.md). The broken copies are made from the pairs no check
flags: a number of the English altered, a scale word swapped, the last half or third of
the English dropped, a two-word phrase looped four times, Chinese left in, an empty English.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from pathlib import Path

from briefing.checks import check_pair
from briefing.checks.numbers import expected_numbers
from briefing.checks.text import english_size, source_units

BUCKETS = ((8, 20), (20, 40), (40, 80), (80, 10_000))


def main(path: Path) -> None:
    rows = [line.split("\t")[:2] for line in path.read_text(encoding="utf-8").splitlines()]
    rows = [(zh, en) for zh, en in rows if zh.strip() and en.strip()]
    flagged = [(zh, en, check_pair(zh, en)) for zh, en in rows]
    kinds = Counter(f.kind for _, _, flags in flagged for f in flags)
    n_flagged = sum(1 for *_, flags in flagged if flags)
    print(f"correct pairs: {len(rows)}; flagged {n_flagged} ({n_flagged / len(rows):.1%}); "
          f"flags by kind: {dict(kinds)}")  # fmt: skip

    print("English letters per Chinese unit (omission floor = the 1% quantile):")
    ratios = [(source_units(zh), english_size(en) / max(source_units(zh), 1)) for zh, en in rows]
    for low, high in BUCKETS:
        values = sorted(r for units, r in ratios if low <= units < high)
        if values:
            q = [values[int(p * (len(values) - 1))] for p in (0.005, 0.01, 0.05, 0.5)]
            print(f"  {low:>3}–{high:<5} n={len(values):<5} q0.5%={q[0]:.2f} "
                  f"q1%={q[1]:.2f} q5%={q[2]:.2f} median={q[3]:.2f}")  # fmt: skip

    random.seed(1)
    caught: dict[str, list[int]] = {}

    def trial(kind: str, zh: str, en: str) -> None:
        tally = caught.setdefault(kind, [0, 0])
        tally[0] += bool(check_pair(zh, en))
        tally[1] += 1

    for zh, en, flags in flagged:
        if flags:
            continue
        numbers = list(re.finditer(r"(?<![\d.,])\d+(?:,\d{3})*(?:\.\d+)?", en))
        if numbers and expected_numbers(zh):
            m = random.choice(numbers)
            v = m.group(0)
            wrong = v[:-1] + str((int(v[-1]) + 1) % 10) if random.random() < 0.5 else v + "0"
            trial("number altered", zh, en[: m.start()] + wrong + en[m.end() :])
        for a, b in (("thousand", "million"), ("million", "billion"), ("billion", "million")):
            if re.search(rf"\b{a}\b", en):
                trial("scale word swapped", zh, re.sub(rf"\b{a}\b", b, en, count=1))
                break
        words = en.split()
        if len(words) > 12:
            trial("last half dropped", zh, " ".join(words[: len(words) // 2]))
            trial("last third dropped", zh, " ".join(words[: 2 * len(words) // 3]))
            k = random.randrange(0, len(words) - 3)
            loop = " ".join([" ".join(words[k : k + 2])] * 4)
            trial("phrase looped 4x", zh, " ".join([*words[:k], loop, *words[k + 2 :]]))
            han = re.findall(r"[\u4e00-\u9fff]{2,4}", zh)
            if han:
                trial("Chinese left in", zh, f"{en} {han[0]}")
        trial("empty", zh, "")
    print("broken copies of the unflagged pairs caught:")
    for kind, (hit, total) in caught.items():
        print(f"  {kind:<20} {hit}/{total} = {hit / total:.0%}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
