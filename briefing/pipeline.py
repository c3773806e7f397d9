"""The stages in order, and the functions that run them on a file."""

from __future__ import annotations

from pathlib import Path

from briefing.ingest import read_source
from briefing.model import Document
from briefing.structure import parse


def parse_file(path: str | Path) -> Document:
    """ingest -> structure."""
    return parse(read_source(path))
