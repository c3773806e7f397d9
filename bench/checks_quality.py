"""Measure the checks: how many correct translations they flag (false flags) and how many
broken ones they catch (recall), per kind of error.

    .venv/bin/python bench/checks_quality.py             # the evaluation set in the repository
    .venv/bin/python bench/checks_quality.py PAIRS.tsv   # your own human translations

Without an argument it reads `tests/data/checks/eval/`: `pairs.tsv` (correct translations
of official Chinese), `hard.tsv` (correct but hard: free renderings, reordered clauses,
numbers as words) and `errors.tsv` (errors put into `pairs.tsv` by `bench/inject_errors.py`),
and checks them as `briefing qa` does, with the shipped glossary. Recall counts an error as
caught when any flag is raised, and also when a flag of the kind meant for it is.

PAIRS.tsv is `zh<TAB>en` per line, human translations (e.g. WMT newstest2017 zh-en, see
briefing/checks/README.md), checked without a glossary. Printed: how many are flagged, the
length ratios that set the omission floor, and how many broken copies of the unflagged
pairs are caught (a number altered, a scale word swapped, the last half or third dropped,
a phrase looped, Chinese left in, empty).
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.checks import check_pair  # noqa: E402
from briefing.checks.numbers import expected_numbers  # noqa: E402
from briefing.checks.text import english_size, source_units  # noqa: E402
from briefing.glossary import load_glossary  # noqa: E402
from briefing.model import Flag, FlagKind  # noqa: E402

EVAL = ROOT / "tests" / "data" / "checks" / "eval"
BUCKETS = ((8, 20), (20, 40), (40, 80), (80, 10_000))
# the flag each injected error is meant to get
MEANT: dict[str, FlagKind] = {
    "number_altered": "number_mismatch", "number_scaled": "number_mismatch",
    "clause_dropped_start": "omission", "clause_dropped_middle": "omission",
    "clause_dropped_end": "omission", "term_near_miss": "term_missing",
    "counted_changed": "number_mismatch", "loop": "repetition",
    "chinese_left_in": "untranslated", "empty": "empty",
}  # fmt: skip
GROUPS = {"number": ("number_altered", "number_scaled"),
          "omission": ("clause_dropped_start", "clause_dropped_middle", "clause_dropped_end"),
          "term": ("term_near_miss",), "counted": ("counted_changed",)}  # fmt: skip


@dataclass(frozen=True)
class Tally:
    total: int
    caught: int  # any flag
    meant: int  # a flag of the kind meant for the error

    @property
    def recall(self) -> float:
        return self.caught / self.total if self.total else 0.0

    @property
    def recall_meant(self) -> float:
        return self.meant / self.total if self.total else 0.0


@dataclass(frozen=True)
class Evaluation:
    clean: dict[str, tuple[int, list[tuple[str, tuple[Flag, ...]]]]]  # file -> (n, flagged)
    errors: dict[str, Tally]  # error kind -> tally
    missed: list[tuple[str, str, str]]  # (id, zh, en) of errors no flag caught
    slowest_ms: float

    def group(self, kinds: Sequence[str]) -> Tally:
        tallies = [self.errors[k] for k in kinds if k in self.errors]
        return Tally(*(sum(getattr(t, f) for t in tallies) for f in ("total", "caught", "meant")))

    @property
    def overall(self) -> Tally:
        return self.group(list(self.errors))

    @property
    def false_flag_rate(self) -> float:
        n = sum(n for n, _ in self.clean.values())
        return sum(len(flagged) for _, flagged in self.clean.values()) / n


def read_rows(path: Path, columns: int) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            row = line.split("\t")
            assert len(row) == columns, (path, line)
            rows.append(row)
    return rows


def evaluate(folder: Path = EVAL, terms: Mapping[str, Sequence[str]] | None = None) -> Evaluation:
    """The checks on an evaluation folder (pairs.tsv, hard.tsv, errors.tsv), with `terms`
    (default: the shipped glossary's accepted forms, as `briefing qa` uses)."""
    terms = load_glossary().accepted() if terms is None else terms
    for _, zh, en in read_rows(folder / "pairs.tsv", 3):  # read the dictionary, fill caches
        check_pair(zh, en[: len(en) // 2], terms)
    slowest = 0.0

    def timed(zh: str, en: str) -> tuple[Flag, ...]:
        nonlocal slowest
        start = time.perf_counter()
        flags = check_pair(zh, en, terms)
        slowest = max(slowest, (time.perf_counter() - start) * 1000)
        return flags

    clean = {}
    for name in ("pairs.tsv", "hard.tsv"):
        rows = read_rows(folder / name, 3)
        flagged = [(pid, f) for pid, zh, en in rows if (f := timed(zh, en))]
        clean[name] = (len(rows), flagged)
    counts: dict[str, list[int]] = {}
    missed = []
    for pid, kind, zh, en in read_rows(folder / "errors.tsv", 4):
        flags = timed(zh, en)
        tally = counts.setdefault(kind, [0, 0, 0])
        tally[0] += 1
        tally[1] += bool(flags)
        tally[2] += any(f.kind == MEANT[kind] for f in flags)
        if not flags:
            missed.append((pid, zh, en))
    errors = {kind: Tally(*tally) for kind, tally in counts.items()}
    return Evaluation(clean, errors, missed, slowest)


def report(result: Evaluation, show: bool = False) -> list[str]:
    lines = ["false flags on correct translations (checked as `briefing qa`, shipped glossary):"]
    for name, (n, flagged) in result.clean.items():
        lines.append(f"  {name:<10} {len(flagged)}/{n} = {len(flagged) / n:.1%}")
        if show:
            lines += [f"    {pid}: {'; '.join(f'{f.kind}: {f.detail}' for f in flags)}"
                      for pid, flags in flagged]  # fmt: skip
    lines.append(f"  {'all':<10} {result.false_flag_rate:.1%}")
    lines.append("errors caught (any flag / the flag meant for it):")
    for kind, tally in result.errors.items():
        lines.append(f"  {kind:<22} {tally.caught:>3}/{tally.total:<3} = {tally.recall:.0%}"
                     f"   {tally.recall_meant:.0%} as {MEANT[kind]}")  # fmt: skip
    for group, kinds in GROUPS.items():
        t = result.group(kinds)
        lines.append(f"  {group + ' (all kinds)':<22} {t.caught:>3}/{t.total:<3} = {t.recall:.0%}"
                     f"   {t.recall_meant:.0%}")  # fmt: skip
    t = result.overall
    lines.append(f"  {'overall':<22} {t.caught:>3}/{t.total:<3} = {t.recall:.1%}"
                 f"   {t.recall_meant:.1%}")  # fmt: skip
    lines.append(f"slowest check_pair: {result.slowest_ms:.1f} ms")
    if show:
        lines += ["missed:"] + [f"  {pid}: {zh} | {en}" for pid, zh, en in result.missed]
    return lines


def news(path: Path) -> None:
    """The older measurement on human translations without a glossary (see the README)."""
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
    args = [a for a in sys.argv[1:] if a != "--show"]
    if len(args) > 1:
        sys.exit(__doc__)
    if args:
        news(Path(args[0]))
    else:
        print("\n".join(report(evaluate(), show="--show" in sys.argv)))
