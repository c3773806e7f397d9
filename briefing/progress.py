"""Progress on stderr: a bar on a terminal, plain periodic lines otherwise, nothing when quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from briefing.model import ProgressEvent


class Progress:
    """Counts work done out of a known total.

    On a terminal the bar is redrawn in place; in logs (cron, CI) a line is written at
    each tenth of the work and at the end, so a scheduled run's log shows it moving.
    """

    def __init__(
        self,
        label: str,
        total: int,
        *,
        unit: str = "segments",
        quiet: bool = False,
        stream: TextIO | None = None,
        tty: bool | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self._started = time.monotonic()
        self._reported_tenth = -1
        self._closed = False

    def update(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        if self.quiet or self.total <= 0:
            return
        if self.tty:
            self._draw()
            return
        tenth = self.done * 10 // self.total
        if tenth > self._reported_tenth and (tenth < 10 or self.done == self.total):
            self._reported_tenth = tenth
            self._line()

    def advance_to(self, done: int) -> None:
        """Report that `done` of the total are finished."""
        if done > self.done:
            self.update(done - self.done)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if not self.quiet and self.tty and self.total > 0:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> Progress:
        if not self.quiet and self.total > 0 and not self.tty:
            self._reported_tenth = 0
            self._line()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _elapsed(self) -> str:
        return f"{time.monotonic() - self._started:.0f}s"

    def _line(self) -> None:
        self.stream.write(
            f"{self.label}: {self.done}/{self.total} {self.unit} ({self._elapsed()})\n"
        )
        self.stream.flush()

    def _draw(self) -> None:
        width = 30
        filled = width * self.done // self.total
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(
            f"\r{self.label} [{bar}] {self.done}/{self.total} {self.unit} {self._elapsed()}"
        )
        self.stream.flush()


class ProgressPrinter:
    """An `on_progress` callback for the library's runs: one `Progress` per stage, each
    closed when the next stage starts (and by `close`)."""

    def __init__(
        self, *, quiet: bool = False, stream: TextIO | None = None, tty: bool | None = None
    ) -> None:
        self.quiet = quiet
        self.stream = stream
        self.tty = tty
        self._current: Progress | None = None

    def __call__(self, event: ProgressEvent) -> None:
        current = self._current
        if (
            current is None
            or (current.label, current.total) != (event.stage, event.total)
            or event.done < current.done
        ):
            self.close()
            current = Progress(event.stage, event.total, unit=event.unit, quiet=self.quiet,
                               stream=self.stream, tty=self.tty).__enter__()  # fmt: skip
            self._current = current
        current.advance_to(event.done)

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None

    def __enter__(self) -> ProgressPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
