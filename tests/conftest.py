"""Shared fixtures: where the sample and golden cases live, and a CLI runner."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from briefing.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_161302ac3327b756.txt"
SAMPLE_EXPECTED = ROOT / "seeds" / "000_161302ac3327b756.expected.json"
CASES = Path(__file__).resolve().parent / "data" / "cases"


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `briefing ARGS…` in-process, as the console script does."""

    def run(*args: str) -> Result:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run
