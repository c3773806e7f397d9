"""Segment: `Document` -> sentences sized for the model (`Segment`s).

Rules:
- A sentence ends after 。！？!?；; or an ellipsis (…… … ...); closing quotes and brackets
  that follow stay with it (a half-width " only when it closes a quote opened in the
  sentence).
- A sentence longer than the token budget is split further after ，,、：: (never inside
  a number such as 1,000 or 08:30), packing clauses greedily up to the budget; a
  clause still over the budget is cut at the budget, between characters, not inside
  a number (3.5%, 4.6万) or a Latin word. A number or word longer than the budget on its
  own (a 1,500-digit run) is cut too, between characters, and the segments with its
  pieces are marked `cut` (the policy flags them). Nothing is ever truncated: the pieces
  joined are the sentence.
- The budget is counted by the counter passed in: in a run, what the model reads
  (numbers written out, terms as placeholders; `briefing.translate.policy.model_tokens`),
  so the budget holds for the model's input, not only for the Chinese.
- Ids extend the parent's: paragraph ``s3.p5`` gives ``s3.p5.1``, ``s3.p5.2``…; the
  title ``title.1``, the subtitle ``subtitle.1``, the heading of section ``s2``
  ``s2.h.1``.
- Empty or punctuation-only segments are kept (so the text stays whole) but marked
  not to be sent to the model.

Pure: the token counter is passed in (the model's source tokenizer in production).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from briefing.chinese import is_punctuation_only
from briefing.model import Document, Segment
from briefing.options import DEFAULTS

TokenCounter = Callable[[str], int]

_ENDERS = re.compile(r"(?:\.\.\.|[。！？!?；;…])+")
_FULL_CLOSERS = "”’」』）)】》〕"
_CLAUSE_END = re.compile(r"[，、：](?=.)|[,:](?!\d)(?=.)|(?<!\d)[,:](?=.)")
# Units that may not be cut: a number with its separators, sign and magnitude, or a
# Latin word; everything else is one character.
_ATOM = re.compile(r"\d[\d.,:：%％]*[万亿千百十]?(?<![.,:：])|[A-Za-z][A-Za-z'\-]*|.", re.S)


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences; joined, they give back the paragraph."""
    sentences: list[str] = []
    start = 0
    for match in _ENDERS.finditer(text):
        end = match.end()
        while end < len(text) and (
            text[end] in _FULL_CLOSERS
            or (text[end] in "\"'" and text[start:end].count(text[end]) % 2 == 1)
        ):
            end += 1
        sentences.append(text[start:end])
        start = end
    if start < len(text):
        sentences.append(text[start:])
    return sentences


def split_clauses(text: str) -> list[str]:
    """Split after clause punctuation (，,、：:), not inside numbers such as 1,000 or 08:30."""
    pieces: list[str] = []
    start = 0
    for match in _CLAUSE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    return [p for p in pieces if p]


@dataclass(frozen=True)
class Piece:
    text: str
    cut: bool  # holds part of a number or word that was longer than the budget on its own


def fit_to_budget(text: str, count: TokenCounter, budget: int) -> list[str]:
    """Split one sentence into pieces of at most `budget` tokens."""
    return [piece.text for piece in fit_pieces(text, count, budget)]


def fit_pieces(text: str, count: TokenCounter, budget: int) -> list[Piece]:
    """`fit_to_budget`, saying which pieces hold part of a run that had to be cut."""
    if count(text) <= budget:
        return [Piece(text, False)]
    pieces: list[Piece] = []
    current = Piece("", False)
    for clause in split_clauses(text):
        if current.text and count(current.text + clause) <= budget:
            current = Piece(current.text + clause, current.cut)
            continue
        if current.text:
            pieces.append(current)
        if count(clause) <= budget:
            current = Piece(clause, False)
        else:
            *full, current = _cut(clause, count, budget)
            pieces.extend(full)
    if current.text:
        pieces.append(current)
    return pieces


def _cut(text: str, count: TokenCounter, budget: int) -> list[Piece]:
    """Cut at the budget between atoms (numbers and Latin words stay whole unless one
    alone is over the budget: that one is cut between characters)."""
    units = [(m.group(), False) for m in _ATOM.finditer(text)]  # (text, part of a cut run)
    pieces: list[Piece] = []
    while units:
        taken = _longest_prefix(units, count, budget)
        first = units[0][0]
        if taken == 1 and len(first) > 1 and count(first) > budget:
            units[0:1] = [(char, True) for char in first]
            continue
        pieces.append(Piece("".join(t for t, _ in units[:taken]),
                            any(cut for _, cut in units[:taken])))  # fmt: skip
        units = units[taken:]
    return pieces


def _longest_prefix(units: Sequence[tuple[str, bool]], count: TokenCounter, budget: int) -> int:
    """How many units from the front fit the budget (at least one). Galloping, then a
    binary search: the texts counted are at most twice the piece, so a long clause is
    cut in O(n log n), not O(n² log n)."""

    def fits(k: int) -> bool:
        return count("".join(t for t, _ in units[:k])) <= budget

    good, bad = 1, len(units) + 1
    size = 2
    while size <= len(units):
        if not fits(size):
            bad = size
            break
        good, size = size, size * 2
    else:
        if good < len(units):
            if fits(len(units)):
                return len(units)
            bad = len(units)
    while bad - good > 1:
        mid = (good + bad) // 2
        if fits(mid):
            good = mid
        else:
            bad = mid
    return good


def _units(document: Document) -> Iterator[tuple[str, str, str]]:
    """(parent id, source text, analysis text) for everything that is translated."""
    if document.title:
        yield "title", document.title, _analysis_of(document, document.title)
    if document.subtitle:
        yield "subtitle", document.subtitle, _analysis_of(document, document.subtitle)
    for section in document.sections:
        if section.heading is not None:
            yield f"{section.id}.h", section.heading, _analysis_of(document, section.heading)
        for paragraph in section.paragraphs:
            yield paragraph.id, paragraph.zh, paragraph.analysis


def _analysis_of(document: Document, text: str) -> str:
    if document.source.script == "simplified":
        return text
    from briefing.chinese import to_simplified

    return to_simplified(text)


def segment_text(
    parent: str, zh: str, analysis: str, count: TokenCounter, budget: int
) -> list[Segment]:
    """Segments of one unit. Decisions are made on the analysis copy; when it aligns
    character for character with the source (as OpenCC's conversion does), the source
    text is cut at the same places."""
    pieces = [
        piece
        for sentence in split_sentences(analysis)
        for piece in fit_pieces(sentence, count, budget)
    ]
    aligned = len(zh) == len(analysis)
    segments: list[Segment] = []
    offset = 0
    for number, piece in enumerate(pieces, start=1):
        shown = zh[offset : offset + len(piece.text)] if aligned else piece.text
        offset += len(piece.text)
        segments.append(
            Segment(
                id=f"{parent}.{number}",
                parent=parent,
                zh=shown,
                analysis=piece.text,
                translatable=not is_punctuation_only(piece.text),
                cut=piece.cut,
            )
        )
    return segments


def segment_document(
    document: Document, count: TokenCounter, budget: int = DEFAULTS.max_segment_tokens
) -> tuple[Segment, ...]:
    return tuple(
        segment
        for parent, zh, analysis in _units(document)
        for segment in segment_text(parent, zh, analysis, count, budget)
    )
