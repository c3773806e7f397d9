"""Progress: a bar on a terminal, periodic lines in logs, nothing when quiet."""

from __future__ import annotations

import io

from briefing.progress import Progress


def run(total: int, *, tty: bool, quiet: bool = False) -> str:
    stream = io.StringIO()
    with Progress("translate", total, quiet=quiet, stream=stream, tty=tty) as progress:
        for _ in range(total):
            progress.update(1)
    return stream.getvalue()


def test_logs_get_a_line_per_tenth_and_one_at_the_end() -> None:
    lines = run(61, tty=False).splitlines()
    assert lines[0].startswith("translate: 0/61 segments")
    assert lines[-1].startswith("translate: 61/61 segments")
    assert len(lines) == 11
    assert all("\r" not in line for line in lines)


def test_a_terminal_gets_a_bar_redrawn_in_place() -> None:
    out = run(5, tty=True)
    assert out.count("\r") == 5
    assert "[##############################] 5/5 segments" in out
    assert out.endswith("\n")


def test_quiet_prints_nothing() -> None:
    assert run(10, tty=False, quiet=True) == ""
    assert run(10, tty=True, quiet=True) == ""
