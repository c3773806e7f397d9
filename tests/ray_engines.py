"""Engines for the Ray actors of the tests: the real engine (the tiny model), wrapped in test
doubles that die or fail on cue. `RayExecutor(open_engine=…)` ships them to the actors;
`tests/test_distributed.py` registers this module to be pickled by value, so the actors
need not import `tests`."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from briefing.distributed import OpenEngine
from briefing.errors import ModelUnavailable
from briefing.translate import Translator


class _WrappedEngineTestDouble:
    """The real engine, with `before(texts)` run before every batch it is given."""

    def __init__(self, engine: Any, before: Callable[[Sequence[str]], None]) -> None:
        self.engine = engine
        self.before = before

    def load(self) -> None:
        self.engine.load()

    def translate(self, texts: Sequence[str], on_batch: Any = None) -> list[str]:
        self.before(texts)
        return list(self.engine.translate(texts))

    def retry(self, texts: Sequence[str], on_batch: Any = None) -> list[str]:
        self.before(texts)
        return list(self.engine.retry(texts))

    def alternatives(self, texts: Sequence[str], n: int) -> list[list[str]]:
        self.before(texts)
        return list(self.engine.alternatives(texts, n))


@dataclass(frozen=True)
class _Opener:
    inner: OpenEngine
    before: Callable[[Sequence[str]], None]

    def __call__(self) -> Translator:
        return _WrappedEngineTestDouble(self.inner(), self.before)  # type: ignore[return-value]


@dataclass(frozen=True)
class DiesOnceTestDouble:
    """The actor's process exits (as if killed: no exception, no cleanup) on its second
    batch, once in the whole run: the first actor to get there creates `marker` and dies."""

    marker: str

    def __call__(self, plan: OpenEngine) -> _Opener:
        return _Opener(plan, _DieOnSecondBatch(self.marker))


class _DieOnSecondBatch:
    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.seen = 0

    def __call__(self, texts: Sequence[str]) -> None:
        self.seen += 1
        if self.seen < 2:
            return
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return  # someone died already
        os._exit(1)


@dataclass(frozen=True)
class FailsOnTestDouble:
    """The engine raises on every batch holding a text with `needle` in it."""

    needle: str

    def __call__(self, plan: OpenEngine) -> _Opener:
        return _Opener(plan, _FailOn(self.needle))


@dataclass(frozen=True)
class _FailOn:
    needle: str

    def __call__(self, texts: Sequence[str]) -> None:
        if any(self.needle in text for text in texts):
            raise ValueError(f"this engine cannot take {self.needle!r}")


@dataclass(frozen=True)
class AlwaysDiesTestDouble:
    """The actor's process exits on every batch holding `needle`: restarts and retries
    cannot save that batch."""

    needle: str

    def __call__(self, plan: OpenEngine) -> _Opener:
        return _Opener(plan, _DieOn(self.needle))


@dataclass(frozen=True)
class _DieOn:
    needle: str

    def __call__(self, texts: Sequence[str]) -> None:
        if any(self.needle in text for text in texts):
            os._exit(1)


@dataclass(frozen=True)
class DiesOnceThenCannotLoadTestDouble:
    """The first actor to start loads the engine and dies on its second batch; every actor
    started after it (a restart, a replacement) cannot load the model."""

    marker: str

    def __call__(self, plan: OpenEngine) -> _CannotLoadAfterADeath:
        return _CannotLoadAfterADeath(_Opener(plan, _DieOnSecondBatch(self.marker)), self.marker)


@dataclass(frozen=True)
class _CannotLoadAfterADeath:
    inner: _Opener
    marker: str

    def __call__(self) -> Translator:
        if os.path.exists(self.marker):
            raise ModelUnavailable("the model is gone from this node", "put it back")
        return self.inner()
