"""The settings of a run, each with its one default.

Every command, the benchmark and any caller of `briefing.pipeline` read their defaults
from here; the engines' own defaults refer to `DEFAULTS`. Values are checked when an
options object is made, so a bad setting fails before any file is read or model loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from briefing.errors import UsageError
from briefing.model import Fonts
from briefing.xmlchars import code_point, first_illegal

EngineChoice = Literal["auto", "transformers", "ctranslate2"]
DeviceChoice = Literal["auto", "cpu", "cuda"]
ENGINE_CHOICES: tuple[EngineChoice, ...] = get_args(EngineChoice)
DEVICE_CHOICES: tuple[DeviceChoice, ...] = get_args(DeviceChoice)
MIN_SEGMENT_TOKENS, MAX_SEGMENT_TOKENS = 8, 500
# The longest report read unless told otherwise (0: no limit): 50 times the sample, and
# well past the longest documents of the genre (a five-year plan's outline is about
# 70,000 characters); a 50 MB file no longer runs for hours in gigabytes of memory.
MAX_CHARS = 200_000


@dataclass(frozen=True)
class TranslationOptions:
    """How the English is made: model, engine, decoding, segment budget, terms, retry, and
    the translation memory."""

    model: str | None = None  # a folder or hub id; None: BRIEFING_MODEL, BRIEFING_HOME, cache
    engine: EngineChoice = "auto"
    device: DeviceChoice = "auto"
    beam_size: int = 4  # as in opus-mt-zh-en's generation config
    batch_size: int = 16  # transformers: segments per batch (sorted by length)
    max_segment_tokens: int = 200  # longer sentences are split at clause boundaries
    max_batch_tokens: int = 512  # CTranslate2: padded source tokens per batch
    translators: int | None = None  # CTranslate2: replicas; None: one per core (1 on a GPU)
    threads: int = 1  # CTranslate2: threads per replica
    allow_pickle: bool = False  # load pytorch_model.bin when there is no model.safetensors
    glossary: bool = True  # protect glossary terms and names with placeholders
    glossaries: tuple[Path, ...] = ()  # user glossaries after the shipped one, later wins
    retry: bool = True  # translate flagged segments once more with safer decoding
    max_chars: int = MAX_CHARS  # refuse a longer report before it is parsed (0: no limit)
    memory: bool = True  # consult and fill the translation memory
    memory_path: Path | None = None  # None: BRIEFING_MEMORY, then $BRIEFING_HOME/memory.sqlite

    def __post_init__(self) -> None:
        _writable("--model", self.model)
        if self.engine not in ENGINE_CHOICES:
            raise UsageError(f"unknown engine {self.engine!r}", "use " + ", ".join(ENGINE_CHOICES))
        if self.device not in DEVICE_CHOICES:
            raise UsageError(f"unknown device {self.device!r}", "use --device cpu, cuda or auto")
        for name, hint in (("beam_size", "4"), ("batch_size", "16"),
                           ("max_batch_tokens", "512"), ("threads", "1")):  # fmt: skip
            _at_least_one(name, getattr(self, name), hint)
        if self.translators is not None:
            _at_least_one("translators", self.translators, "the number of cores")
        if self.max_chars < 0:
            raise UsageError(f"--max-chars must be 0 (no limit) or more, not {self.max_chars}",
                             f"try {MAX_CHARS}")  # fmt: skip
        if not self.memory and self.memory_path is not None:
            raise UsageError("--memory and --no-memory contradict each other",
                             "pass one of them")  # fmt: skip
        if not MIN_SEGMENT_TOKENS <= self.max_segment_tokens <= MAX_SEGMENT_TOKENS:
            raise UsageError(
                f"--max-segment-tokens must be {MIN_SEGMENT_TOKENS}–{MAX_SEGMENT_TOKENS}, "
                f"not {self.max_segment_tokens}",
                "try 200",
            )


def _writable(option: str, value: str | None) -> None:
    """An option value that reaches the briefing must be text a Word document can hold."""
    bad = first_illegal(value) if value is not None else None
    if bad is not None:
        raise UsageError(
            f"{option} has a character a Word document cannot hold ({code_point(bad)})",
            f"pass {option} without control characters",
        )


def _at_least_one(name: str, value: int, hint: str) -> None:
    if value < 1:
        option = "--" + name.replace("_", "-")
        raise UsageError(f"{option} must be at least 1, not {value}", f"try {hint}")


@dataclass(frozen=True)
class GenerateOptions:
    """A briefing run: translation settings, source details, fonts and the optional report."""

    translation: TranslationOptions = field(default_factory=TranslationOptions)
    source_name: str | None = None  # default: the report's 来源 line
    source_date: str | None = None  # YYYY-MM-DD (other date forms are read too); default: found
    source_url: str | None = None  # default: a URL found in the report
    report: Path | None = None  # also write every segment and its flags as JSON here
    fonts: Fonts = field(default_factory=Fonts)

    def __post_init__(self) -> None:
        for option, value in (("--source-name", self.source_name),
                              ("--source-date", self.source_date),
                              ("--source-url", self.source_url),
                              ("--cjk-font", self.fonts.cjk),
                              ("--latin-font", self.fonts.latin)):  # fmt: skip
            _writable(option, value)
        if self.source_date is not None:
            from briefing.chinese import parse_date

            date = parse_date(self.source_date)
            if date is None:
                raise UsageError(
                    f"--source-date {self.source_date!r} is not a date", "write it as YYYY-MM-DD"
                )
            object.__setattr__(self, "source_date", date)  # frozen: normalised once, here


DEFAULTS = TranslationOptions()
