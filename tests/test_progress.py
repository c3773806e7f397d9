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


def test_the_printer_gives_each_stage_of_a_run_its_own_progress() -> None:
    from briefing.model import ProgressEvent
    from briefing.progress import ProgressPrinter

    stream = io.StringIO()
    with ProgressPrinter(stream=stream, tty=False) as printer:
        for stage, total in (("translate", 4), ("retry", 2)):
            for done in range(total + 1):
                printer(ProgressEvent(stage, done, total))
    lines = stream.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines] == [
        "translate: 0/4 segments", "translate: 1/4 segments", "translate: 2/4 segments",
        "translate: 3/4 segments", "translate: 4/4 segments",
        "retry: 0/2 segments", "retry: 1/2 segments", "retry: 2/2 segments",
    ]  # fmt: skip


def test_a_quiet_printer_prints_nothing() -> None:
    from briefing.model import ProgressEvent
    from briefing.progress import ProgressPrinter

    stream = io.StringIO()
    with ProgressPrinter(quiet=True, stream=stream, tty=False) as printer:
        printer(ProgressEvent("translate", 1, 1))
    assert stream.getvalue() == ""
