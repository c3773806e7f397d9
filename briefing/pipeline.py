"""The stages in order, and the functions that run them on a file."""

from __future__ import annotations

from pathlib import Path

from briefing.ingest import read_source
from briefing.model import Document
from briefing.progress import Progress
from briefing.segment import DEFAULT_MAX_SEGMENT_TOKENS, segment_document
from briefing.structure import parse
from briefing.translate import Translated, Translator, translate_segments


def parse_file(path: str | Path) -> Document:
    """ingest -> structure."""
    return parse(read_source(path))


def translate_file(
    path: str | Path,
    translator: Translator,
    max_segment_tokens: int = DEFAULT_MAX_SEGMENT_TOKENS,
    *,
    quiet: bool = False,
) -> list[Translated]:
    """ingest -> structure -> segment -> translate, with progress on stderr."""
    document = parse_file(path)
    segments = segment_document(document, translator.count_tokens, max_segment_tokens)
    todo = sum(1 for s in segments if s.translatable)
    with Progress("translate", todo, quiet=quiet) as progress:
        return translate_segments(segments, translator, on_batch=progress.update)
