"""The checks on the evaluation set (`tests/data/checks/eval/`): the targets of issue 17,
and the injected errors kept in step with the script that makes them."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT, load_script


def load(name: str) -> ModuleType:
    return load_script(ROOT / "bench" / f"{name}.py")


@pytest.fixture(scope="module")
def evaluation() -> object:
    return load("checks_quality").evaluate()


def test_the_evaluation_set_is_big_enough() -> None:
    bench = load("checks_quality")
    folder: Path = bench.EVAL
    assert len(bench.read_rows(folder / "pairs.tsv", 3)) >= 150
    assert len(bench.read_rows(folder / "hard.tsv", 3)) >= 30
    errors = bench.read_rows(folder / "errors.tsv", 4)
    assert len(errors) >= 300
    assert {kind for _, kind, _, _ in errors} == set(bench.MEANT)


def test_the_injected_errors_are_what_the_script_makes() -> None:
    inject = load("inject_errors")
    made = inject.render(inject.inject(inject.read_pairs(inject.EVAL / "pairs.tsv")))
    assert (inject.EVAL / "errors.tsv").read_text(encoding="utf-8") == made, (
        "run .venv/bin/python bench/inject_errors.py"
    )


def test_recall_and_false_flags_meet_the_targets(evaluation: object) -> None:
    bench = load("checks_quality")
    result = evaluation
    assert isinstance(result, bench.Evaluation)
    assert result.overall.recall >= 0.92
    assert result.group(bench.GROUPS["omission"]).recall_meant >= 0.80
    assert result.group(bench.GROUPS["term"]).recall_meant >= 0.90
    assert result.false_flag_rate <= 0.03
    assert result.slowest_ms < 50 * 4  # generous: the machine is shared
