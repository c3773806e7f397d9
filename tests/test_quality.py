"""The package passes its own linters and type checker (part of the test command)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BIN = Path(sys.executable).parent


def test_ruff_finds_nothing() -> None:
    done = subprocess.run(
        [str(BIN / "ruff"), "check", "briefing", "tests", "models", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_passes_on_the_package() -> None:
    done = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_readme_test_command_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    block = readme.split("Install and run the tests", 1)[1].split("```sh\n", 1)[1]
    command = block.split("\n", 1)[0]
    assert command.endswith("python -m pytest")
    assert command in ci
