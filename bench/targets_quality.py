"""Targets found in real documents against annotations made by reading them.

    .venv/bin/python bench/targets_quality.py ../shared/corpus tests/corpus/targets

For every annotated document (see tests/corpus/targets/README.md): the report is parsed as
`briefing targets` parses it, its targets and measures are found, and each found number is
matched to an annotated one at the same source line whose number starts inside it. Prints,
per document and overall: targets precision and recall; of the matched targets, how many
have the annotated value, qualifier, direction, period and owner; measures precision and
recall. `--show` lists every miss and false find (line, offset, value) for development.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FIELDS = ("value", "qualifier", "direction", "period", "owner")


@dataclass(frozen=True)
class Found:
    line: int
    start: int  # offset in the line of the number expression's first character
    end: int
    kind: str
    value: float
    upper: float | None
    qualifier: str
    direction: str | None
    period: str | None
    owner: str | None


@dataclass
class Score:
    """Counts for one document, or all of them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    measures_tp: int = 0
    measures_fp: int = 0
    measures_fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        for name in FIELDS:
            self.right[name] += other.right[name]
        self.measures_tp += other.measures_tp
        self.measures_fp += other.measures_fp
        self.measures_fn += other.measures_fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def rate(self, name: str) -> float:
        return self.right[name] / self.tp if self.tp else 1.0

    @property
    def measures_precision(self) -> float:
        found = self.measures_tp + self.measures_fp
        return self.measures_tp / found if found else 1.0

    @property
    def measures_recall(self) -> float:
        wanted = self.measures_tp + self.measures_fn
        return self.measures_tp / wanted if wanted else 1.0


def located(document: Any, targets: Iterable[Any]) -> list[Found]:
    """Each target at its source line: paragraph offsets mapped back to line offsets."""
    lines = {line.number: line.text for line in document.source.lines}
    paragraphs = {p.id: p for p in document.paragraphs()}
    out: list[Found] = []
    for target in targets:
        paragraph = paragraphs[target.paragraph]
        joined = "".join(lines[n] for n in paragraph.lines)
        base = joined.find(paragraph.zh)
        if base < 0:  # a target placed nowhere would be scored wrong without a word
            raise ValueError(
                f"{paragraph.id}: its text is not in its source lines {paragraph.lines}"
            )
        position = base + target.start
        for number in paragraph.lines:
            text = lines[number]
            if position < len(text):
                break
            position -= len(text)
        out.append(Found(number, position, position + target.end - target.start, target.kind,
                         target.value, target.upper, target.qualifier, target.direction,
                         target.period, target.owner))  # fmt: skip
    return out


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


def _owner(text: str | None) -> str | None:
    return text.replace("人民政府", "政府") if text else text


def _match(
    found: Sequence[Found], wanted: Sequence[dict[str, Any]]
) -> list[tuple[Found, dict[str, Any]]]:
    pairs: list[tuple[Found, dict[str, Any]]] = []
    free = list(found)
    for entry in wanted:
        hit = next(
            (
                f
                for f in free
                if f.line == entry["line"] and f.start <= entry["offset"] < max(f.end, f.start + 1)
            ),
            None,
        )
        if hit is not None:
            free.remove(hit)
            pairs.append((hit, entry))
    return pairs


def score_document(corpus: Path, annotation: dict[str, Any]) -> Score:
    from briefing.people import find_people
    from briefing.pipeline import parse_file
    from briefing.targets import find_targets_and_measures

    document = parse_file(corpus / annotation["file"])
    targets, measures = find_targets_and_measures(document, find_people(document))
    found_targets = located(document, targets)
    found_measures = located(document, measures)
    wanted_targets = [e for e in annotation["entries"] if e["kind"] == "target"]
    wanted_measures = [e for e in annotation["entries"] if e["kind"] == "measure"]
    score = Score()
    pairs = _match(found_targets, wanted_targets)
    score.tp = len(pairs)
    score.fp = len(found_targets) - len(pairs)
    score.fn = len(wanted_targets) - len(pairs)
    for got, entry in pairs:
        checks = {
            "value": _same_value(got.value, entry["value"])
            and ((got.upper is None) == (entry["upper"] is None))
            and (got.upper is None or _same_value(got.upper, entry["upper"])),
            "qualifier": got.qualifier == entry["qualifier"],
            "direction": got.direction == entry["direction"],
            "period": got.period == entry["period"],
            "owner": _owner(got.owner) == _owner(entry["owner"]),
        }
        for name, ok in checks.items():
            score.right[name] += ok
            if not ok:
                score.misses.append(
                    f"  wrong {name:<9} line {got.line} offset {entry['offset']}: "
                    f"{getattr(got, name)!r}, annotated {entry[name]!r}"
                )
    matched = {id(f) for f, _ in pairs}
    hit_entries = {id(e) for _, e in pairs}
    for f in found_targets:
        if id(f) not in matched:
            score.misses.append(f"  false     line {f.line} offset {f.start}: {f.value:g}")
    for e in wanted_targets:
        if id(e) not in hit_entries:
            score.misses.append(
                f"  missed    line {e['line']} offset {e['offset']}: {e['value']:g}"
            )
    measure_pairs = _match(found_measures, wanted_measures)
    score.measures_tp = len(measure_pairs)
    score.measures_fp = len(found_measures) - len(measure_pairs)
    score.measures_fn = len(wanted_measures) - len(measure_pairs)
    return score


def evaluate(
    corpus: Path, annotations: Path, *, held_out: bool | None = None
) -> tuple[dict[str, Score], Score]:
    """Scores per document and in all; `held_out` True or False keeps only the documents
    labelled after the rules were written (or only the others)."""
    per: dict[str, Score] = {}
    total = Score()
    for path in sorted(annotations.glob("*.json")):
        annotation = json.loads(path.read_text(encoding="utf-8"))
        if held_out is not None and bool(annotation.get("held_out")) != held_out:
            continue
        per[path.stem] = score_document(corpus, annotation)
        total.add(per[path.stem])
    return per, total


def line(name: str, s: Score) -> str:
    return (f"{name:<32} targets P {s.precision:.3f} R {s.recall:.3f} "
            f"(tp {s.tp}, fp {s.fp}, fn {s.fn})  value {s.rate('value'):.3f} "
            f"qualifier {s.rate('qualifier'):.3f} direction {s.rate('direction'):.3f} "
            f"period {s.rate('period'):.3f} owner {s.rate('owner'):.3f}  measures P "
            f"{s.measures_precision:.2f} R {s.measures_recall:.2f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("annotations", type=Path)
    parser.add_argument("--show", action="store_true", help="list every miss and false find")
    args = parser.parse_args()
    per, total = evaluate(args.corpus, args.annotations)
    for name, score in per.items():
        print(line(name, score))
        if args.show:
            print("\n".join(score.misses))
    print(line("overall", total))
    _, unseen = evaluate(args.corpus, args.annotations, held_out=True)
    if unseen.tp + unseen.fn:
        print(line("held out (labelled blind)", unseen))


if __name__ == "__main__":
    main()
