"""Atomic outputs: the temporary file beside the output, and those that runs left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from briefing.output import _HOST, atomic_output, sweep_stale


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def test_the_temporary_file_names_this_machine_and_process(tmp_path: Path) -> None:
    with atomic_output(tmp_path / "b.docx") as temporary:
        assert temporary.name.startswith(f".b.docx.{_HOST}-{os.getpid()}.")
        assert temporary.name.endswith(".part")
        temporary.write_text("new")
    assert [p.name for p in tmp_path.iterdir()] == ["b.docx"]


def test_stale_temporary_files_of_dead_runs_are_swept_and_no_others(tmp_path: Path) -> None:
    """A run killed while writing left its .part file beside the output for ever."""
    day_ago = time.time() - 2 * 24 * 3600
    stale = {
        f".b.docx.{_HOST}-{_dead_pid()}.k3j2h1g0.part": None,  # this machine, process gone
        ".b.docx.k3j2h1g0.part": day_ago,  # named before the process was recorded, old
        ".b.docx.0123abcd-77.k3j2h1g0.part": day_ago,  # another machine's, old
    }
    kept = {
        f".b.docx.{_HOST}-{os.getpid()}.a1b2c3d4.part": None,  # a run still going
        ".b.docx.0123abcd-77.a1b2c3d4.part": None,  # another machine's, recent
        ".b.docx.a1b2c3d4.part": None,  # recent: perhaps still being written
        ".other.docx.k3j2h1g0.part": day_ago,  # another output's
        "b.docx.k3j2h1g0.part": day_ago,  # not a temporary name
    }
    for name, mtime in {**stale, **kept}.items():
        (tmp_path / name).write_text("half")
        if mtime is not None:
            os.utime(tmp_path / name, (mtime, mtime))
    removed = sweep_stale(tmp_path / "b.docx")
    assert sorted(p.name for p in removed) == sorted(stale)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept)


def test_writing_an_output_sweeps_its_stale_temporary_files(tmp_path: Path) -> None:
    left = tmp_path / f".b.docx.{_HOST}-{_dead_pid()}.k3j2h1g0.part"
    left.write_text("half")
    with atomic_output(tmp_path / "b.docx") as temporary:
        temporary.write_text("new")
    assert [p.name for p in tmp_path.iterdir()] == ["b.docx"]
