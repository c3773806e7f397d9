"""Measure the parser on annotated real documents: title, headings, paragraph boundaries,
and what it drops or keeps, per document and overall.

    .venv/bin/python bench/corpus_quality.py ../shared/corpus tests/corpus [--json] [--show]
        [--relayout SEEDS]

CORPUS is the folder the annotations' "file" paths are relative to; ANNOTATIONS is a folder
of NAME.json files (or one file), as described in tests/corpus/README.md: line numbers and
labels only. `--show` also lists every disagreement by line number. `--relayout N` also
measures the documents re-laid as plain text the way a printed page comes out (blank lines
between lines, a page number and a running header at each page break, a paragraph cut in two
every few lines), N times with different cuts, the annotation following the new line numbers.
`--rewrap W` also measures them hard-wrapped at W characters a line, as text taken from a PDF
comes out (no blank lines; headings on lines of their own); there a heading is matched by its
first line and level only, since where its text ends among the wrapped lines is not labelled.
tests/test_corpus_quality.py runs the same evaluation and fails below the targets in TARGETS.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefing.chinese import parse_date
from briefing.ingest import read_source
from briefing.model import Document
from briefing.structure import parse

# What the issue asks of the annotated documents.
TARGETS = {"heading_f1": 0.97, "boundary_f1": 0.97, "false_joins_per_document": 1}


@dataclass
class Score:
    """One document's (or the overall) agreement with its annotation."""

    name: str
    title_ok: int = 0
    documents: int = 0
    heading_tp: int = 0
    heading_pred: int = 0
    heading_gold: int = 0
    boundary_tp: int = 0
    boundary_pred: int = 0
    boundary_gold: int = 0
    false_joins: int = 0  # joined paragraphs ("joined across a page break") that should not be
    missed_joins: int = 0
    dropped_should_stay: int = 0  # body lines the parser dropped or took as front matter
    boilerplate_kept: int = 0  # front-matter or boilerplate lines left in the body
    front_ok: int = 0
    front_total: int = 0
    run_in_tp: int = 0
    run_in_pred: int = 0
    run_in_gold: int = 0
    problems: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    def f1(self, tp: int, pred: int, gold: int) -> float:
        p, r = self._ratio(tp, pred), self._ratio(tp, gold)
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def heading_p(self) -> float:
        return self._ratio(self.heading_tp, self.heading_pred)

    @property
    def heading_r(self) -> float:
        return self._ratio(self.heading_tp, self.heading_gold)

    @property
    def heading_f1(self) -> float:
        return self.f1(self.heading_tp, self.heading_pred, self.heading_gold)

    @property
    def boundary_p(self) -> float:
        return self._ratio(self.boundary_tp, self.boundary_pred)

    @property
    def boundary_r(self) -> float:
        return self._ratio(self.boundary_tp, self.boundary_gold)

    @property
    def boundary_f1(self) -> float:
        return self.f1(self.boundary_tp, self.boundary_pred, self.boundary_gold)

    @property
    def run_in_p(self) -> float:
        return self._ratio(self.run_in_tp, self.run_in_pred)

    @property
    def run_in_r(self) -> float:
        return self._ratio(self.run_in_tp, self.run_in_gold)

    def add(self, other: Score) -> None:
        for name, value in asdict(other).items():
            if isinstance(value, int) and name != "name":
                setattr(self, name, getattr(self, name) + value)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "documents": self.documents,
            "title_ok": self.title_ok,
            "heading": {"p": self.heading_p, "r": self.heading_r, "f1": self.heading_f1,
                        "predicted": self.heading_pred, "annotated": self.heading_gold},
            "boundary": {"p": self.boundary_p, "r": self.boundary_r, "f1": self.boundary_f1,
                         "predicted": self.boundary_pred, "annotated": self.boundary_gold},
            "false_joins": self.false_joins,
            "missed_joins": self.missed_joins,
            "dropped_should_stay": self.dropped_should_stay,
            "boilerplate_kept": self.boilerplate_kept,
            "front": {"ok": self.front_ok, "annotated": self.front_total},
            "run_in": {"p": self.run_in_p, "r": self.run_in_r,
                       "predicted": self.run_in_pred, "annotated": self.run_in_gold},
            "problems": self.problems,
        }  # fmt: skip


def load_annotations(path: Path) -> list[tuple[str, dict[str, Any]]]:
    files = [path] if path.is_file() else sorted(path.glob("*.json"))
    return [(f.stem, json.loads(f.read_text(encoding="utf-8"))) for f in files]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _last_line(heading: list[int]) -> int:
    """A heading is [line, level] or [first line, level, last line]."""
    return heading[2] if len(heading) > 2 else heading[0]


def _headings(annotation: dict[str, Any]) -> set[tuple[int, int, int]]:
    out = set()
    for entry in annotation["headings"]:
        line, level = entry[0], entry[1]
        last = entry[2] if len(entry) > 2 else line
        out.add((line, level, last))
    return out


def _front_ok(role: str, line_text: str, document: Document) -> bool:
    text = _compact(line_text)
    if role == "source":
        return bool(document.source_name) and _compact(document.source_name or "") in text
    if role == "subtitle":
        return bool(document.subtitle) and _compact(document.subtitle or "") in text
    if role == "byline":
        if document.speaker is not None:
            return _compact(document.speaker.name) in text
        return bool(document.byline) and _compact(document.byline or "") in text
    if role == "doc_number":
        return bool(document.doc_number) and _compact(document.doc_number or "") == text
    if role == "addressees":
        return bool(document.addressees) and _compact(document.addressees or "") in text
    if role == "date":
        return document.date == parse_date(line_text)
    return False


def evaluate(
    name: str, document: Document, annotation: dict[str, Any], *, spans: bool = True
) -> Score:
    """Compare a parse with its annotation (see tests/corpus/README.md for the labels).
    `spans=False` matches headings by first line and level only."""
    score = Score(name=name, documents=1)
    texts = {line.number: line.text for line in document.source.lines}
    nonblank = {n for n, t in texts.items() if t}

    # Title.
    title = " ".join(texts[n] for n in annotation["title_lines"])
    score.title_ok = int(_compact(document.title or "") == _compact(title))
    if not score.title_ok:
        score.problems.append(
            f"title: got {document.title!r}, annotated lines {annotation['title_lines']}"
        )

    # Front matter.
    for role, lines in annotation.get("front", {}).items():
        for n in lines:
            score.front_total += 1
            if _front_ok(role, texts[n], document):
                score.front_ok += 1
            else:
                score.problems.append(f"front {role}: line {n} not found in the parse")
    if "date" in annotation:
        score.front_total += 1
        if document.date == annotation["date"]:
            score.front_ok += 1
        else:
            score.problems.append(f"date: got {document.date}, annotated {annotation['date']}")
    if "issuer_line" in annotation:
        score.front_total += 1
        issuer = _compact(document.issuer or "")
        if issuer and issuer in _compact(texts[annotation["issuer_line"]]):
            score.front_ok += 1
        else:
            score.problems.append(f"issuer: got {document.issuer!r}")

    # Headings: (first line, level, last line) must all agree.
    gold_headings = _headings(annotation)
    pred_headings = {
        (s.heading_line, s.level, (s.heading_lines or (s.heading_line,))[-1])
        for s in document.sections
        if s.heading_line is not None
    }
    if not spans:
        gold_headings = {(h[0], h[1], h[0]) for h in gold_headings}
        pred_headings = {(h[0], h[1], h[0]) for h in pred_headings}
    score.heading_gold, score.heading_pred = len(gold_headings), len(pred_headings)
    score.heading_tp = len(gold_headings & pred_headings)
    for h in sorted(pred_headings - gold_headings):
        score.problems.append(f"heading not annotated: line {h[0]} level {h[1]} to {h[2]}")
    for h in sorted(gold_headings - pred_headings):
        score.problems.append(f"heading missed: line {h[0]} level {h[1]} to {h[2]}")

    # Paragraph boundaries: the line each paragraph starts on.
    gold_starts = set(annotation["paragraphs"])
    paragraphs = list(document.paragraphs())
    pred_starts = {p.lines[0] for p in paragraphs}
    score.boundary_gold, score.boundary_pred = len(gold_starts), len(pred_starts)
    score.boundary_tp = len(gold_starts & pred_starts)
    for n in sorted(pred_starts - gold_starts):
        score.problems.append(f"paragraph start not annotated: line {n}")
    for n in sorted(gold_starts - pred_starts):
        score.problems.append(f"paragraph start missed: line {n}")

    heading_lines = {n for h in gold_headings for n in range(h[0], h[2] + 1) if n in nonblank}
    gold_front = set(annotation["title_lines"]) | set(annotation.get("drop", []))
    gold_front |= {n for lines in annotation.get("front", {}).values() for n in lines}
    gold_body = (nonblank - gold_front) | heading_lines
    continuation = gold_body - gold_starts - heading_lines
    for p in paragraphs:
        wrong = [n for n in p.lines[1:] if n not in continuation]
        if wrong:
            score.false_joins += 1
            score.problems.append(f"false join: lines {'+'.join(map(str, p.lines))}")
    joined_after = {n for p in paragraphs for n in p.lines[1:]}
    score.missed_joins = len(continuation - joined_after)

    pred_body = {n for p in paragraphs for n in p.lines}
    pred_body |= {n for s in document.sections for n in (s.heading_lines or ())}
    pred_body |= {s.heading_line for s in document.sections if s.heading_line is not None}
    should_stay = sorted(gold_body - pred_body)
    kept = sorted(gold_front & pred_body)
    score.dropped_should_stay, score.boilerplate_kept = len(should_stay), len(kept)
    if should_stay:
        score.problems.append(f"dropped but should stay: lines {should_stay}")
    if kept:
        score.problems.append(f"boilerplate kept in the body: lines {kept}")

    # Run-in subheads at the start of a paragraph (reported, not a target).
    gold_run_in = set(annotation.get("run_in", []))
    pred_run_in = {p.lines[0] for p in paragraphs if p.run_in and p.run_in[0][0] == 0}
    score.run_in_gold, score.run_in_pred = len(gold_run_in), len(pred_run_in)
    score.run_in_tp = len(gold_run_in & pred_run_in)
    if pred_run_in - gold_run_in:
        score.problems.append(f"run-in not annotated: lines {sorted(pred_run_in - gold_run_in)}")
    if gold_run_in - pred_run_in:
        score.problems.append(f"run-in missed: lines {sorted(gold_run_in - pred_run_in)}")
    return score


def evaluate_all(corpus: Path, annotations: Iterable[tuple[str, dict[str, Any]]]) -> list[Score]:
    scores = []
    for name, annotation in annotations:
        document = parse(read_source(corpus / annotation["file"]))
        scores.append(evaluate(name, document, annotation))
    return scores


def relayout(
    corpus: Path, annotation: dict[str, Any], seed: int, folder: Path, cut_every: int = 6
) -> dict[str, Any]:
    """Write the document as text with page breaks into `folder`; return its annotation.

    Every `cut_every` body lines, a paragraph (not a heading, longer than 60 characters) is
    cut at a random place, and a page number and a running header (the first line) go
    between the halves; the second half continues the paragraph. Lines are separated by
    blank lines."""
    source = read_source(corpus / annotation["file"])
    rnd = random.Random(seed)
    headings = {n for h in annotation["headings"] for n in range(h[0], _last_line(h) + 1)}
    front = set(annotation["title_lines"]) | set(annotation["drop"])
    front |= {n for lines in annotation["front"].values() for n in lines}
    header = next(line.text for line in source.lines if line.text)
    out: list[str] = []
    where: dict[int, int] = {}  # source line -> line in the new file
    furniture: list[int] = []
    since, page = 0, 1
    for line in source.lines:
        if not line.text:
            continue
        text = line.text
        cut = line.number not in headings | front and len(text) > 60 and since >= cut_every
        if cut:
            k = rnd.randint(15, len(text) - 10)
            out.append(text[:k])
            where[line.number] = 2 * len(out) - 1
            page += 1
            for extra in (f"- {page} -", header):
                out.append(extra)
                furniture.append(2 * len(out) - 1)
            out.append(text[k:])
            since = 0
        else:
            out.append(text)
            where[line.number] = 2 * len(out) - 1
            since += 1
    path = folder / f"{Path(annotation['file']).stem}.{seed}.txt"
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")
    return _moved(annotation, path, where, furniture)


def rewrap(corpus: Path, annotation: dict[str, Any], width: int, folder: Path) -> dict[str, Any]:
    """Write the document hard-wrapped at `width` characters into `folder` (no blank lines;
    title, front matter and headings without body text stay on lines of their own); return
    its annotation, moved to the new line numbers."""
    source = read_source(corpus / annotation["file"])
    starts = set(annotation["paragraphs"])
    whole = set(annotation["title_lines"]) | set(annotation["drop"])
    whole |= {n for lines in annotation["front"].values() for n in lines}
    whole |= {n for h in annotation["headings"] for n in range(h[0], _last_line(h) + 1)}
    whole -= starts
    out: list[str] = []
    where: dict[int, int] = {}
    for line in source.lines:
        if not line.text:
            continue
        where[line.number] = len(out) + 1
        if line.number in whole:
            out.append(line.text)
        else:
            out.extend(line.text[i : i + width] for i in range(0, len(line.text), width))
    path = folder / f"{Path(annotation['file']).stem}.w{width}.txt"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return _moved(annotation, path, where, [])


def _moved(
    annotation: dict[str, Any], path: Path, where: dict[int, int], furniture: list[int]
) -> dict[str, Any]:
    """The annotation of a document re-laid into `path`, its lines moved by `where`."""
    moved = dict(annotation)
    moved["file"] = str(path)
    moved["title_lines"] = [where[n] for n in annotation["title_lines"]]
    moved["front"] = {k: [where[n] for n in v] for k, v in annotation["front"].items()}
    moved["drop"] = sorted([where[n] for n in annotation["drop"]] + furniture)
    moved["headings"] = [
        [where[h[0]], h[1], *(where[n] for n in h[2:])] for h in annotation["headings"]
    ]
    moved["paragraphs"] = [where[n] for n in annotation["paragraphs"]]
    moved["run_in"] = [where[n] for n in annotation["run_in"]]
    if "issuer_line" in annotation:
        moved["issuer_line"] = where[annotation["issuer_line"]]
    return moved


def evaluate_rewrapped(
    corpus: Path, annotations: Iterable[tuple[str, dict[str, Any]]], width: int
) -> list[Score]:
    """The scores of the documents hard-wrapped at `width` (see `rewrap`)."""
    scores = []
    with tempfile.TemporaryDirectory() as folder:
        for name, annotation in annotations:
            moved = rewrap(corpus, annotation, width, Path(folder))
            document = parse(read_source(moved["file"]))
            scores.append(evaluate(f"{name}/w{width}", document, moved, spans=False))
    return scores


def evaluate_relaid(
    corpus: Path, annotations: Iterable[tuple[str, dict[str, Any]]], seeds: int
) -> list[Score]:
    """The scores of the documents re-laid as text with page breaks (see `relayout`)."""
    scores = []
    with tempfile.TemporaryDirectory() as folder:
        for name, annotation in annotations:
            for seed in range(1, seeds + 1):
                moved = relayout(corpus, annotation, seed, Path(folder))
                document = parse(read_source(moved["file"]))
                scores.append(evaluate(f"{name}/{seed}", document, moved))
    return scores


def overall(scores: list[Score]) -> Score:
    total = Score(name="overall")
    for score in scores:
        total.add(score)
    return total


def meets_targets(score: Score) -> list[str]:
    """What a document's (or the overall) score misses of TARGETS."""
    missing = []
    if score.title_ok != score.documents:
        missing.append(f"title {score.title_ok}/{score.documents}")
    if score.heading_f1 < TARGETS["heading_f1"]:
        missing.append(f"heading F1 {score.heading_f1:.3f} < {TARGETS['heading_f1']}")
    if score.boundary_f1 < TARGETS["boundary_f1"]:
        missing.append(f"boundary F1 {score.boundary_f1:.3f} < {TARGETS['boundary_f1']}")
    if score.false_joins > TARGETS["false_joins_per_document"] * score.documents:
        missing.append(f"{score.false_joins} false joins")
    if score.dropped_should_stay:
        missing.append(f"{score.dropped_should_stay} dropped lines that should stay")
    if score.boilerplate_kept:
        missing.append(f"{score.boilerplate_kept} boilerplate lines kept")
    return missing


def _row(s: Score) -> str:
    return (
        f"{s.name:<12} {s.title_ok:>2}/{s.documents:<2} "
        f"{s.heading_p:6.3f} {s.heading_r:6.3f} {s.heading_f1:6.3f}  "
        f"{s.boundary_p:6.3f} {s.boundary_r:6.3f} {s.boundary_f1:6.3f}  "
        f"{s.false_joins:>5} {s.dropped_should_stay:>6} {s.boilerplate_kept:>6}  "
        f"{s.front_ok:>3}/{s.front_total:<3} {s.run_in_p:5.2f} {s.run_in_r:5.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("annotations", type=Path)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    parser.add_argument(
        "--relayout", type=int, default=0, metavar="SEEDS",
        help="also measure the documents re-laid as text with page breaks, SEEDS times",
    )  # fmt: skip
    parser.add_argument(
        "--rewrap", type=int, default=0, metavar="W",
        help="also measure the documents hard-wrapped at W characters a line",
    )  # fmt: skip
    args = parser.parse_args(argv)
    annotations = load_annotations(args.annotations)
    scores = evaluate_all(args.corpus, annotations)
    total = overall(scores)
    relaid = evaluate_relaid(args.corpus, annotations, args.relayout) if args.relayout else []
    relaid_total = overall(relaid)
    relaid_total.name = "relaid"
    wrapped = evaluate_rewrapped(args.corpus, annotations, args.rewrap) if args.rewrap else []
    wrapped_total = overall(wrapped)
    wrapped_total.name = f"wrapped {args.rewrap}"
    if args.json:
        rows = [*scores, total, *relaid, *([relaid_total] if relaid else [])]
        rows += [*wrapped, *([wrapped_total] if wrapped else [])]
        print(json.dumps([s.to_json() for s in rows], ensure_ascii=False, indent=1))
        return 0 if not meets_targets(total) else 1
    print(
        f"{'document':<12} title {'head P':>6} {'R':>6} {'F1':>6}  {'para P':>6} {'R':>6} "
        f"{'F1':>6}  joins* drop** kept***  front run-in P/R"
    )
    shown = [*scores, total]
    held_out = [s for s, (_, a) in zip(scores, annotations, strict=True) if a.get("held_out")]
    if held_out:
        shown.append(overall(held_out))
        shown[-1].name = "held out"
    if relaid:
        shown += [*relaid, relaid_total] if args.show else [relaid_total]
    if wrapped:
        shown += [*wrapped, wrapped_total] if args.show else [wrapped_total]
    for score in shown:
        print(_row(score))
        if args.show:
            for problem in score.problems:
                print(f"    {problem}")
    print("* false join notes  ** dropped lines that should stay  *** boilerplate kept in the body")
    missing = meets_targets(total)
    print("targets met" if not missing else "targets missed: " + "; ".join(missing))
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main())
