"""Errors the user can act on.

Every error carries a one-line ``message`` (what went wrong, naming the file) and a
``hint`` (what to do next). The CLI turns them into two lines on stderr and an exit
code; library code never prints.
"""

from __future__ import annotations

# Exit codes, documented in the README and shared by every command.
EXIT_OK = 0
EXIT_ERROR = 1  # an I/O failure, or a bug
EXIT_BAD_INPUT = 2  # usage error or bad input
EXIT_MODEL_UNAVAILABLE = 3
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT)
EXIT_TERMINATED = 143  # SIGTERM: 128 + 15, what a shell reports for a process it ended


class Terminated(BaseException):
    """SIGTERM arrived (cron wrappers, systemd, `kill`): unwound like Ctrl-C, so temporary
    files are removed on the way out. A BaseException, so no `except Exception` stops it."""


class BriefingError(Exception):
    """Base class: a problem the user can fix, with a hint on how."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[type[BriefingError], tuple[str, str]]:
        # pickled whole (message and hint), e.g. when raised on a Ray actor
        return (type(self), (self.message, self.hint))


class InputError(BriefingError):
    """The input file is missing, unreadable, or not a Chinese report we can read."""

    exit_code = EXIT_BAD_INPUT


class UsageError(BriefingError):
    """An option or combination of options that cannot work."""

    exit_code = EXIT_BAD_INPUT


class ModelUnavailable(BriefingError):
    """The translation model cannot be found or loaded."""

    exit_code = EXIT_MODEL_UNAVAILABLE


class ModelNotFound(ModelUnavailable):
    """No model anywhere it is looked for (as opposed to one that is named, or found, and
    cannot be read)."""


class OutputError(BriefingError):
    """An output could not be written."""

    exit_code = EXIT_ERROR
