"""Measure the web-page reader on annotated saved pages: title, date, no page furniture in
the text, how much of the article is kept, and captions, per page and overall.

    .venv/bin/python bench/html_quality.py ../shared/corpus tests/corpus/html [--json] [--show]

CORPUS is the folder the annotations' "file" paths are relative to; ANNOTATIONS is a folder
of NAME.json files (or one file), as described in tests/corpus/README.md ("Web pages"):
line numbers of the page's own HTML source and field values only, never its text. The
expected title, body and captions are read from the page itself at those lines. `--show`
also prints what disagrees. tests/test_html_corpus.py runs the same evaluation and fails
below TARGETS.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from briefing.chinese import han_count
from briefing.ingest import read_source
from briefing.ingest.html import decode_page
from briefing.structure import parse

# What issue 18 asks of the 20 pages: title and date on 18 or more, no furniture at all.
TARGETS = {"title": 18, "date": 18, "furniture": 0}
MIN_FURNITURE_CHARS = 4  # shorter strings of the page's furniture (大, 中, 小) prove nothing


@dataclass
class Score:
    name: str
    pages: int = 0
    title_ok: int = 0
    date_ok: int = 0
    dated: int = 0  # pages that have a date
    invented_dates: int = 0  # a date found where the page has none
    furniture: int = 0  # paragraphs, captions or headings with text from outside the article
    body_chars: int = 0  # Chinese characters of the article
    kept_chars: int = 0  # of those, in the parse's paragraphs, captions and headings
    caption_tp: int = 0
    caption_pred: int = 0
    caption_gold: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.kept_chars / self.body_chars if self.body_chars else 1.0

    @property
    def caption_p(self) -> float:
        return self.caption_tp / self.caption_pred if self.caption_pred else 1.0

    @property
    def caption_r(self) -> float:
        return self.caption_tp / self.caption_gold if self.caption_gold else 1.0

    def add(self, other: Score) -> None:
        for name in (
            "pages",
            "title_ok",
            "date_ok",
            "dated",
            "invented_dates",
            "furniture",
            "body_chars",
            "kept_chars",
            "caption_tp",
            "caption_pred",
            "caption_gold",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))  # fmt: skip


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_tree(path: Path) -> Any:
    import lxml.html

    text, _ = decode_page(path.read_bytes(), str(path))
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    return lxml.html.document_fromstring(text.encode("utf-8"), parser)


def _at(tree: Any, line: int) -> Any:
    """The outermost element whose start tag is on this line of the page's source."""
    for element in tree.iter():
        if isinstance(element.tag, str) and element.sourceline == line:
            return element
    raise ValueError(f"no element starts on line {line}")


def _text(element: Any) -> str:
    for skipped in element.xpath(".//script|.//style"):
        skipped.drop_tree()
    return _squeeze(element.text_content() or "")


def evaluate(corpus: Path, annotation: dict[str, Any], name: str) -> Score:
    path = corpus / annotation["file"]
    score = Score(name, pages=1)
    document = parse(read_source(path))
    tree = _page_tree(path)

    title = _text(_at(tree, annotation["title_line"]))
    if _squeeze(document.title or "") == title:
        score.title_ok = 1
    else:
        score.problems.append(f"title: {document.title!r}, the page's is on line "
                              f"{annotation['title_line']}")  # fmt: skip

    gold_date = annotation["date"]
    score.dated = int(gold_date is not None)
    score.date_ok = int(document.date == gold_date)
    score.invented_dates = int(gold_date is None and document.date is not None)
    if not score.date_ok:
        score.problems.append(f"date: {document.date}, expected {gold_date}")

    body_element = _at(tree, annotation["body_lines"][0])
    body = _text(body_element)
    inside = set(body_element.iter())
    furniture: set[str] = set()
    ranges = [[line, line] for line in annotation["widget_lines"]] + annotation["furniture_lines"]
    for element in tree.iter():
        if not isinstance(element.tag, str) or element in inside or element.sourceline is None:
            continue
        if any(start <= element.sourceline <= end for start, end in ranges):
            own = _squeeze((element.text or "") + "".join(
                _squeeze(child.tail or "") for child in element))  # fmt: skip
            if len(own) >= MIN_FURNITURE_CHARS and own not in body:
                furniture.add(own)

    units = [(p.zh, p.kind) for s in document.sections for p in s.paragraphs]
    units += [(s.heading, "heading") for s in document.sections if s.heading]
    for text, kind in units:
        squeezed = _squeeze(text)
        outside = squeezed not in body
        found = [f for f in furniture if f in squeezed]
        if outside or found:
            score.furniture += 1
            why = f"furniture {found[0]!r}" if found else "not in the article"
            score.problems.append(f"{kind} {why}: {text[:40]!r}")
        else:
            score.kept_chars += han_count(squeezed)
    score.body_chars = han_count(body)
    score.kept_chars = min(score.kept_chars, score.body_chars)

    gold = {_text(_at(tree, line)) for line in annotation["caption_lines"]}
    pred = {_squeeze(text) for text, kind in units if kind == "caption"}
    score.caption_gold, score.caption_pred = len(gold), len(pred)
    score.caption_tp = len(gold & pred)
    score.problems += [f"caption missed: {text[:30]!r}" for text in sorted(gold - pred)]
    score.problems += [f"not a caption: {text[:30]!r}" for text in sorted(pred - gold)]
    return score


def load(annotations: Path) -> dict[str, dict[str, Any]]:
    files = [annotations] if annotations.is_file() else sorted(annotations.glob("*.json"))
    return {f.stem: json.loads(f.read_text(encoding="utf-8")) for f in files}


def run(corpus: Path, annotations: Path) -> tuple[list[Score], Score]:
    scores = [evaluate(corpus, a, name) for name, a in load(annotations).items()]
    overall = Score("overall")
    for score in scores:
        overall.add(score)
    return scores, overall


def met(overall: Score) -> list[str]:
    """The targets the overall score misses (none: all met)."""
    missed = []
    if overall.title_ok < TARGETS["title"]:
        missed.append(f"title {overall.title_ok} < {TARGETS['title']}")
    if overall.date_ok < TARGETS["date"]:
        missed.append(f"date {overall.date_ok} < {TARGETS['date']}")
    if overall.furniture > TARGETS["furniture"]:
        missed.append(f"furniture in the text {overall.furniture} > {TARGETS['furniture']}")
    return missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("annotations", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    scores, overall = run(args.corpus, args.annotations)
    if args.json:
        print(json.dumps([asdict(s) for s in [*scores, overall]], ensure_ascii=False, indent=1))
        return 0 if not met(overall) else 1
    print(f"{'page':<32} title date furniture* kept** captions P/R")
    for s in [*scores, overall]:
        label = "overall" if s is overall else s.name
        title = f"{s.title_ok}/{s.pages}"
        date = f"{s.date_ok}/{s.pages}"
        print(f"{label:<32} {title:>5} {date:>4} {s.furniture:>10} {s.recall:>6.3f}   "
              f"{s.caption_p:.2f} {s.caption_r:.2f}")  # fmt: skip
        if args.show and s is not overall:
            for problem in s.problems:
                print(f"    {problem}")
    print(f"dated pages {overall.dated}, dates found where a page has none: "
          f"{overall.invented_dates}")  # fmt: skip
    print(
        "* paragraphs, captions and headings with text from outside the article "
        "(menus, widgets, footers)"
    )
    print("** share of the article's Chinese characters kept in them")
    missed = met(overall)
    print("targets met" if not missed else "targets missed: " + "; ".join(missed))
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
