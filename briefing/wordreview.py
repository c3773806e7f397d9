"""The Word round-trip: a briefing a reviewer edited in Word -> corrections in the memory.

Reads the .docx as Word saved it (runs split by the spell checker, tracked changes
accepted, comments added): the About block's review id, then every row of the paragraph
tables (ID | 中文 | English | Status). The review id names the memory's record of what
the briefing showed (`briefing.memory.BriefingRecord`); each row is matched to it by
paragraph id and Chinese text, and the whole file is refused, before anything is stored,
when a row's Chinese is not what the briefing showed, or the file is not a briefing.

For each row whose English differs from what the briefing showed, the paragraph's
English is split back into its sentences' (`align`): at the places the original
sentences met, where the text around them is unchanged, else at English sentence ends
when there are as many as Chinese sentences. Each sentence is stored as ``edited`` (its
unchanged sentences too: the reviewer read the paragraph and kept them). When the
English cannot be split so, it is stored for the whole paragraph, and the report says
so. A row whose Status cell says approved, or every row with ``--approve``, is stored as
``approved``. One transaction per paragraph.

A test model's English is never made a reviewer's: an unchanged sentence of a test
model is neither kept as edited nor approved.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from briefing.errors import InputError
from briefing.memory import (
    BriefingRecord,
    Entry,
    Memory,
    Shown,
    ShownUnit,
    Write,
    normalise,
    sentence_key,
    short_key,
)
from briefing.model import ReviewStatus
from briefing.present import TEST_MODEL_MARKER
from briefing.render.docx import REVIEW_ID_LABEL, SIGNATURE_LABEL, TABLE_HEADER

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TRACKED = {f"{_W}{tag}" for tag in ("ins", "del", "moveFrom", "moveTo")}
_LABEL = f"[{TEST_MODEL_MARKER}] "
# An English sentence ends at . ! ? (and closing quotes or brackets) before a space and
# what can start a sentence.
_EN_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_CONTEXT = 3  # characters on one side of a sentence boundary that must be unchanged


@dataclass(frozen=True)
class Row:
    """One paragraph row of the edited briefing, as Word saved it."""

    id: str
    zh: str
    en: str
    status: str
    tracked: bool  # tracked changes not yet accepted or rejected


@dataclass(frozen=True)
class EditedBriefing:
    path: Path
    review_id: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Outcome:
    """What became of one row."""

    unit: str
    action: str  # "edited", "approved", "edited, approved"
    detail: str  # e.g. "1 of 3 sentences changed" or "stored for the whole paragraph"
    keys: tuple[str, ...]


@dataclass
class ReviewReport:
    path: Path
    outcomes: list[Outcome] = field(default_factory=list)
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


# --- reading the .docx -----------------------------------------------------------------------


def read_edited(path: Path) -> EditedBriefing:
    """The review id and paragraph rows of an edited briefing; an InputError for a file
    that is not a briefing generated with the memory."""
    import docx

    if not path.is_file():
        raise InputError(f"{path}: no such file", "pass the .docx the reviewer sent back")
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and key errors for non-docx
        raise InputError(
            f"{path} is not a Word document ({type(exc).__name__})",
            "pass the briefing as Word saved it (.docx)",
        ) from exc
    about: dict[str, str] = {}
    rows: list[Row] = []
    for table in document.tables:
        cells = [[_cell_text(c)[0] for c in r.cells] for r in table.rows[:1]]
        if cells and tuple(cells[0]) == TABLE_HEADER:
            rows.extend(_rows(table))
        elif cells and len(cells[0]) == 2 and not about:
            about = {_cell_text(r.cells[0])[0]: _cell_text(r.cells[1])[0] for r in table.rows}
    if not about.get(SIGNATURE_LABEL, "").startswith("briefing:"):
        raise InputError(
            f"{path} is not a briefing: it has no About block with a briefing signature",
            "pass a .docx written by `briefing generate`",
        )
    review_id = about.get(REVIEW_ID_LABEL, "").strip()
    if not review_id:
        raise InputError(
            f"{path} was generated without the translation memory (no review id in its "
            "About block), so what it showed was not recorded",
            "generate the briefing again with the memory on (the default) and review that",
        )
    return EditedBriefing(path, review_id, tuple(rows))


def _rows(table: Any) -> Iterator[Row]:
    for row in table.rows[1:]:
        cells = row.cells
        if len(cells) < len(TABLE_HEADER):
            continue
        first = cells[0].paragraphs
        unit = _paragraph_text(first[0]._p)[0].strip() if first else ""
        zh, zh_tracked = _cell_text(cells[1])
        en, en_tracked = _cell_text(cells[2])
        status, _ = _cell_text(cells[3])
        if unit or zh or en:
            yield Row(unit, zh, en, status.strip().lower(), zh_tracked or en_tracked)


def _cell_text(cell: Any) -> tuple[str, bool]:
    """A cell's text as a reader sees it (its paragraphs joined by a space, whitespace
    collapsed), and whether it has tracked changes still pending."""
    texts: list[str] = []
    tracked = False
    for paragraph in cell._tc.iterchildren(f"{_W}p"):
        text, pending = _paragraph_text(paragraph)
        texts.append(text)
        tracked = tracked or pending
    return " ".join(" ".join(texts).split()), tracked


def _paragraph_text(element: Any) -> tuple[str, bool]:
    """The text of every run in `element`, however Word split them (proofing marks,
    bookmarks, comment anchors and revision ids between them); deleted text and
    compatibility fallbacks left out."""
    parts: list[str] = []
    tracked = False

    def walk(node: Any) -> None:
        nonlocal tracked
        for child in node:
            tag = child.tag
            if tag in _TRACKED:
                tracked = True
                if tag in (f"{_W}del", f"{_W}moveFrom"):
                    continue
            if tag == _MC_FALLBACK:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag in (f"{_W}tab", f"{_W}br", f"{_W}cr"):
                parts.append(" ")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(element)
    return "".join(parts), tracked


# --- matching and aligning ---------------------------------------------------------------------


def unlabelled(english: str) -> str:
    """The English without the test-model label a briefing puts before it."""
    return english[len(_LABEL) :].strip() if english.startswith(_LABEL) else english


def align(original: Sequence[str], edited: str) -> list[str] | None:
    """`edited` (a paragraph's English) cut into one piece per sentence of `original`
    (the English each sentence had, joined by a space, was the paragraph); None when it
    cannot be. Pieces are cut where the original sentences met, when the text on one
    side of that place is unchanged; else at English sentence ends, when there are
    exactly as many."""
    filled = [k for k, piece in enumerate(original) if piece]
    out = ["" for _ in original]
    if not filled:
        return None
    if len(filled) == 1:
        out[filled[0]] = edited
        return out
    cuts = _mapped_boundaries([original[k] for k in filled], edited)
    if cuts is None:
        pieces = _EN_SENTENCE_END.split(edited)
        if len(pieces) != len(filled):
            return None
        texts = [p.strip() for p in pieces]
    else:
        bounds = [0, *cuts, len(edited)]
        texts = [edited[a:b].strip() for a, b in itertools.pairwise(bounds)]
    if not all(texts):
        return None
    for k, text in zip(filled, texts, strict=True):
        out[k] = text
    return out


def _mapped_boundaries(pieces: Sequence[str], edited: str) -> list[int] | None:
    """Where, in `edited`, each boundary between `pieces` (joined by a space) is: the
    place of the space between them, found through the unchanged text beside it."""
    original = " ".join(pieces)
    blocks = SequenceMatcher(None, original, edited, autojunk=False).get_matching_blocks()
    cuts: list[int] = []
    position = 0
    for piece in pieces[:-1]:
        position += len(piece)  # the space after this piece
        cut = _through_unchanged(blocks, position)
        if cut is None or (cuts and cut <= cuts[-1]) or cut <= 0:
            return None
        cuts.append(cut)
        position += 1
    return cuts


def _through_unchanged(blocks: Sequence[Any], position: int) -> int | None:
    """`position` of the original mapped into the edited text, when it lies in an
    unchanged stretch with at least _CONTEXT characters before or after it."""
    for a, b, size in blocks:
        if a <= position < a + size:
            before, after = position - a, a + size - position - 1
            if before >= _CONTEXT or after >= _CONTEXT:
                return int(b + (position - a))
            return None
    return None


# --- storing -----------------------------------------------------------------------------------


def import_review(
    memory: Memory, edited: EditedBriefing, reviewer: str, *, approve_all: bool = False
) -> ReviewReport:
    """Store what a reviewer changed in an edited briefing (see the module docstring)."""
    path = edited.path
    record = memory.briefing(edited.review_id)
    if record is None:
        raise InputError(
            f"{path}: this memory ({memory.path}) has no record of its review id "
            f"{edited.review_id}",
            "pass --memory FILE (or set BRIEFING_MEMORY) with the memory the briefing was "
            "generated with",
        )
    rows = _matched(edited, record)
    report = ReviewReport(path)
    shown = {row.id for row in rows}
    missing = [unit for unit in record.units if unit not in shown]
    if missing:
        report.warnings.append(
            f"{len(missing)} paragraph{'s' if len(missing) > 1 else ''} of the briefing "
            f"{'are' if len(missing) > 1 else 'is'} not in the file "
            f"({', '.join(missing[:5])}{'…' if len(missing) > 5 else ''}): left as they are"
        )
    for row in rows:
        unit = record.units[row.id]
        # a Status the reviewer set to approved (one that was shown approved stays so
        # only while its English is unchanged)
        was_approved = all(s.status == "approved" for s in unit.sentences if s.key)
        approve = approve_all or (row.status == "approved" and not was_approved)
        if row.status not in ("", "approved", "machine", "edited", "part edited"):
            report.warnings.append(
                f"{row.id}: Status {row.status!r} is not one a briefing reads "
                "(set it to approved, or leave it); ignored"
            )
        english = unlabelled(row.en)
        if english == unit.en and not approve:
            report.unchanged += 1
            continue
        outcome = store_paragraph(memory, unit, english, approve=approve, reviewer=reviewer,
                                  note=f"import-review {path.name} {unit.unit}",
                                  test_model=record.test_model, report=report)  # fmt: skip
        if outcome is None:
            report.unchanged += 1
        else:
            report.outcomes.append(outcome)
    return report


def _matched(edited: EditedBriefing, record: BriefingRecord) -> list[Row]:
    """The rows, each checked against what the briefing showed; any mismatch refuses the
    file before anything is stored."""
    problems: list[str] = []
    for row in edited.rows:
        unit = record.units.get(row.id)
        if unit is None:
            problems.append(f"{row.id or '(a row with no id)'}: not a paragraph of the briefing")
        elif normalise(row.zh) != normalise(unit.zh):
            problems.append(f"{row.id}: its Chinese is not what the briefing showed")
        elif row.tracked:
            problems.append(f"{row.id}: tracked changes not yet accepted or rejected")
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        tracked = any("tracked" in p for p in problems)
        raise InputError(
            f"{edited.path}: {'; '.join(problems[:3])}{more}; nothing was stored",
            "in Word, accept or reject the tracked changes (Review > Accept), save, and "
            "import again"
            if tracked and all("tracked" in p for p in problems)
            else "change only the English and Status columns; undo changes to the Chinese "
            "or the ids, or generate a new briefing of the report and review that one",
        )
    return list(edited.rows)


def store_paragraph(
    memory: Memory,
    unit: ShownUnit,
    english: str,
    *,
    approve: bool,
    reviewer: str,
    note: str,
    test_model: bool,
    report: ReviewReport,
) -> Outcome | None:
    """A paragraph's English as a reviewer left it (`unit`: what they were shown), in one
    transaction: split back into its sentences (`align`), each stored as ``edited`` (or
    ``approved``), else stored for the whole paragraph; None when nothing changed. The
    Word round trip and `briefing review` both store a reviewer's English this way.
    Warnings (a sentence changed by someone else meanwhile, a test model's English not
    kept as reviewed) go to `report`."""
    status: ReviewStatus = "approved" if approve else "edited"
    changed = english != unit.en
    sentences = [s for s in unit.sentences if s.key]
    if not sentences:
        return None  # punctuation only: nothing is translated, nothing to review
    if changed and not english:
        report.warnings.append(f"{unit.unit}: its English was deleted; left as it was")
        return None
    pieces = align([s.en for s in unit.sentences], english) if changed else None
    writes: list[Write] = []
    if changed and pieces is None:
        key = sentence_key(unit.analysis)
        writes.append(Write(key, unit.analysis, english, status, "edited", reviewer,
                            level="paragraph", note=note))  # fmt: skip
        detail = (
            f"stored for the whole paragraph: its English could not be split into its "
            f"{len(sentences)} Chinese sentences"
        )
        made = memory.write(writes)
        action = "edited, approved" if approve else "edited"
        return Outcome(unit.unit, action, detail, (key,)) if made else None
    new = pieces if pieces is not None else [s.en for s in unit.sentences]
    current = memory.lookup(s.key for s in sentences if s.key)
    edits = 0
    for shown, text in zip(unit.sentences, new, strict=True):
        if not shown.key:
            continue
        entry = current.get(shown.key)
        if text != shown.en:
            edits += 1
            if entry is not None and entry.human and entry.en not in (shown.en, text):
                report.warnings.append(
                    f"{unit.unit}: sentence {short_key(shown.key)} was changed in the memory "
                    "after this briefing was made; replaced by this edit (the other is in "
                    "its history)"
                )
            level = entry.level if entry is not None else "sentence"
            writes.append(Write(shown.key, shown.zh, text, status, "edited", reviewer,
                                level=level, note=note))  # fmt: skip
            continue
        keep = _kept(shown, entry, test_model, status, unit.unit, report)
        if keep is not None:
            level = entry.level if entry is not None else "sentence"
            writes.append(Write(shown.key, shown.zh, shown.en, keep,
                                "approved" if keep == "approved" else "reviewed", reviewer,
                                level=level, note=note))  # fmt: skip
    made = memory.write(writes)
    if not made:
        return None
    if edits:
        action = "edited, approved" if approve else "edited"
        detail = f"{edits} of {len(sentences)} sentence{'s' if len(sentences) > 1 else ''} changed"
    else:
        action, detail = "approved", f"{len(made)} sentence{'s' if len(made) > 1 else ''}"
    return Outcome(unit.unit, action, detail, tuple(w.key for w in made))


def _kept(
    shown: Shown,
    entry: Entry | None,
    test_model: bool,
    status: ReviewStatus,
    unit: str,
    report: ReviewReport,
) -> ReviewStatus | None:
    """The status an unchanged sentence of a reviewed paragraph gets, or None to leave it."""
    if entry is not None and entry.status == "approved" and status == "edited":
        return None  # approved already, and still as approved
    if entry is not None and entry.human and entry.en != shown.en:
        report.warnings.append(
            f"{unit}: sentence {short_key(shown.key or '')} was changed in the memory after "
            "this briefing was made; left as it is now"
        )
        return None
    if shown.status == "machine" and test_model:
        report.warnings.append(
            f"{unit}: sentence {short_key(shown.key or '')} is the test model's English, "
            "not a translation; not kept as reviewed"
        )
        return None
    return status
