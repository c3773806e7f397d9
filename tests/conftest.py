"""Shared fixtures: where the sample and golden cases live, and a CLI runner."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from briefing.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_161302ac3327b756.txt"
SAMPLE_EXPECTED = ROOT / "seeds" / "000_161302ac3327b756.expected.json"
CASES = Path(__file__).resolve().parent / "data" / "cases"
# The real documents of the genre: never in the repository, read from where CI has them.
CORPUS = Path(os.environ.get("BRIEFING_CORPUS") or ROOT.parent / "shared" / "corpus")


@functools.cache
def load_script(path: Path) -> ModuleType:
    """A script of the checkout (bench/, models/) as a module, loaded once. It is entered
    in sys.modules under its name first: its dataclasses look their module up there."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", autouse=True)
def _module_memory(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Never the user's translation memory: each test module (its module-scoped fixtures
    included) gets one of its own, and each test one of its own (`private_memory`)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BRIEFING_MEMORY", str(tmp_path_factory.mktemp("memory") / "memory.sqlite"))
        yield


@pytest.fixture(autouse=True)
def private_memory(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """This test's own translation memory (BRIEFING_MEMORY), empty at its start, outside
    its tmp_path (which tests list)."""
    path = tmp_path_factory.mktemp("memory") / "memory.sqlite"
    monkeypatch.setenv("BRIEFING_MEMORY", str(path))
    return path


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


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's tiny random-weight MarianMT, built once per test session.

    Its output is gibberish; it exercises the real transformers code path.
    """
    builder = load_script(ROOT / "models" / "make_tiny_model.py")
    out = tmp_path_factory.mktemp("models") / "tiny"
    return Path(builder.build_tiny_model(out, builder.DEFAULT_ZH_TEXT, builder.DEFAULT_EN_TEXT))


@pytest.fixture
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No model anywhere: empty BRIEFING_HOME and HF cache, no checkout models/, offline."""
    monkeypatch.setenv("BRIEFING_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    monkeypatch.delenv("BRIEFING_MODEL", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr("briefing.translate.resolve._checkout_models", lambda: None)
    return tmp_path / "home"
