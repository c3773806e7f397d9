"""Test doubles for the `Translator` protocol. They are not translators: they stand in
for the model in tests of the stages around it, and say so in their engine info."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from briefing.model import EngineInfo


class EchoTranslatorTestDouble:
    """'EN(<text>)' for every text, one token per character."""

    name = "echo test double"

    def count_tokens(self, text: str) -> int:
        return len(text)

    def translate(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        if on_batch:
            on_batch(len(texts))
        return [f"EN({t})" for t in texts]

    def retry(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        return self.translate(texts, on_batch)

    def alternatives(self, texts: Sequence[str], n: int) -> list[list[str]]:
        """'EN(<text>)' first (as `translate`), then 'EN2(<text>)'… up to `n`."""
        return [[f"EN({t})", *(f"EN{k}({t})" for k in range(2, n + 1))] for t in texts]

    def describe(self) -> EngineInfo:
        return EngineInfo("test-double", None, "echo", "none", "cpu", 1, test_model=True)


class ScriptedTranslatorTestDouble:
    """Replies from a script {Chinese segment: English}; a segment not in the script is an
    error, so a test says exactly what every segment gets."""

    name = "scripted test double"

    def __init__(
        self, script: Mapping[str, str], alternatives: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        self.script = dict(script)
        self.others = {zh: list(en) for zh, en in (alternatives or {}).items()}
        self.calls: list[list[str]] = []

    def count_tokens(self, text: str) -> int:
        return len(text)

    def translate(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        self.calls.append(list(texts))
        missing = [t for t in texts if t not in self.script]
        assert not missing, f"not in the script: {missing}"
        if on_batch:
            on_batch(len(texts))
        return [self.script[t] for t in texts]

    def retry(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        """The script's English again: a retry changes nothing unless a test says so."""
        return self.translate(texts, on_batch)

    def alternatives(self, texts: Sequence[str], n: int) -> list[list[str]]:
        """The script's English, then the alternatives the test gave for that text."""
        best = self.translate(texts)
        return [[en, *self.others.get(t, [])][:n] for t, en in zip(texts, best, strict=True)]

    def describe(self) -> EngineInfo:
        return EngineInfo("test-double", None, "scripted", "none", "cpu", 1, test_model=True)


class RecordingTranslatorTestDouble(EchoTranslatorTestDouble):
    """Echoes like its parent and records every text it is given, translate and retry."""

    name = "recording test double"

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.retried: list[str] = []

    def translate(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        self.seen.extend(texts)
        return super().translate(texts, on_batch)

    def retry(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> list[str]:
        self.retried.extend(texts)
        return super().translate(texts, on_batch)


class StandInModelTestDouble(RecordingTranslatorTestDouble):
    """Echoes and records like its parent (`seen`, `retried`: every text the model was
    asked for), but describes itself as a real model would (not a test model), under a
    revision of its own: for tests of what the memory and a reviewer do with a real
    model's English. A new revision is a new signature."""

    name = "stand-in model test double"

    def __init__(self, revision: str = "r1") -> None:
        super().__init__()
        self.revision = revision

    def describe(self) -> EngineInfo:
        return EngineInfo("stand-in-model", self.revision, "echo", "none", "cpu", 1,
                          test_model=False)  # fmt: skip


class ScriptedStandInModelTestDouble(ScriptedTranslatorTestDouble):
    """Replies from a script, with alternatives, like its parent, but describes itself as
    a real model would (not a test model): for tests of what a reviewer does with a real
    model's English (approving it, picking an alternative)."""

    name = "scripted stand-in model test double"

    def describe(self) -> EngineInfo:
        return EngineInfo("stand-in-model", "r1", "scripted", "none", "cpu", 1, test_model=False)
