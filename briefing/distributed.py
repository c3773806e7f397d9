"""Batch translation on a Ray cluster: `briefing batch … --executor ray`.

The driver (the machine running `briefing batch`) reads and parses the reports, consults
the translation memory, checks, retries, renders and writes the manifest, exactly as a
local run does. Only the engine's work leaves it: every time the translation policy asks
for English, the texts go, in batches of similar length, to a pool of Ray actors, each
holding one loaded engine (CTranslate2 or transformers, CPU or GPU: ``num_cpus`` and
``num_gpus`` per actor), at most two batches at an actor at a time (backpressure).

**Why plain actors and not Ray Data.** Ray Data's ``map_batches`` with a callable class
starts its actor pool for each dataset it executes, and the policy asks for English
several times per chunk of reports (translate, the fallback for broken placeholders,
the retry of flagged segments, each report's summary), each call depending on the checks
of the one before. Measured on 5 reports with 2 actors on a 2-core machine: 14
executions of 12.6-15.7 s each, nearly all of it actor start-up and engine load, against
a few seconds of translation. A pool of actors started once per run loads each engine
once; Ray's own actor restarts and task retries (``max_restarts``, ``max_task_retries``)
give the fault tolerance Ray Data would.

- **The model** reaches the actors as a path: the folder (or hub id) resolved on the
  driver is opened again by each actor, so it must be readable at the same place on
  every node (a shared filesystem, or the same Hugging Face cache on each).
- **Failures**: an actor that dies is restarted by Ray (its engine loaded again) and the
  batches it held are sent again, up to `RayOptions.restarts` times; one that dies past
  that is replaced by a new actor and its batch sent to the pool again, up to as many
  times. An error raised by the engine itself is not retried (it would happen again).
  A call that still fails fails the chunk, and `run_batch` then translates each report
  of the chunk alone: the report whose batches keep failing is marked failed and the
  rest go on.
- **Ctrl-C** ends the run as it would end a local one (nothing half-written, the lock
  released) and kills the actors; the Ray instance is shut down when this run started
  it, and only disconnected from otherwise.
- **Equivalence**: every actor runs the same engine with the same settings on the same
  texts, so the briefings are those of a local run.

Ray is an optional extra (``pip install 'briefing[ray]'``); without it, asking for this
executor is a usage error (exit 2) with that hint.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefing.errors import BriefingError, UsageError
from briefing.model import EngineInfo, ProgressEvent
from briefing.options import TranslationOptions
from briefing.translate import ModelEngine, Translator
from briefing.translate.resolve import ResolvedModel

log = logging.getLogger(__name__)

RAY_HINT = "install it with: pip install 'briefing[ray]'"
# Segments of reports translated together, per actor: enough for a few batches at each,
# so no actor waits for the driver to parse and render the next chunk.
CHUNK_SEGMENTS_PER_ACTOR = 400
START_TIMEOUT_S = 300  # for the cluster to place the actors and each to load its engine
STALL_TIMEOUT_S = 1800  # no batch finished in this long: the pool is lost (or unplaceable)
RESENDS = 1  # a batch Ray gave up on (its actor dead past its restarts) is sent once more


@dataclass(frozen=True)
class RayOptions:
    """Where and how wide: the cluster, the actors and what each one holds."""

    address: str | None = None  # None: a Ray instance of this machine, started for the run
    actors: int = 1  # actors in the pool, each holding one loaded engine
    gpus_per_actor: float = 0.0  # GPUs (or a fraction of one) reserved for each actor
    cpus_per_actor: float = 1.0  # CPUs reserved for each actor; its engine uses as many threads
    segments_per_batch: int = 64  # segments shipped to an actor at a time
    restarts: int = 3  # an actor is restarted, and a batch retried, at most this many times

    def __post_init__(self) -> None:
        if self.actors < 1:
            raise UsageError(f"--actors must be at least 1, not {self.actors}", "try 2")
        if self.gpus_per_actor < 0:
            raise UsageError("--gpus-per-actor cannot be negative", "try 1, or 0.5 to share")
        if self.cpus_per_actor <= 0:
            raise UsageError("--cpus-per-actor must be more than 0", "try 1")
        if self.segments_per_batch < 1:
            raise UsageError("segments per batch must be at least 1", "try 64")
        if self.restarts < 0:
            raise UsageError("restarts cannot be negative", "try 3")
        if self.address is not None and not (
            self.address == "auto" or self.address.startswith("ray://") or ":" in self.address
        ):
            raise UsageError(
                f"--address {self.address!r} is not a Ray address",
                "use auto (the cluster this machine belongs to) or ray://HOST:PORT",
            )


def require_ray() -> Any:
    """The `ray` module, or a usage error that says how to install it."""
    try:
        import ray
    except ImportError as exc:
        raise UsageError(f"--executor ray: Ray is not installed ({exc})", RAY_HINT) from None
    return ray


# --- on the actors -------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenEngine:
    """What an actor runs to get its engine: the engine the driver planned (transformers,
    or CTranslate2 with the conversion folder the driver found), on the model folder the
    driver resolved, both opened again on the actor at the same paths, on the device the
    actor has reserved (a GPU only with --gpus-per-actor), with its share of the cores."""

    options: TranslationOptions
    model: ResolvedModel
    engine: str = "transformers"  # "transformers" or "ctranslate2"
    folder: Path | None = None  # the CTranslate2 conversion
    device: str = "cpu"  # "cuda" when the actor has a GPU (or a share of one) reserved
    threads: int = 1

    def __call__(self) -> Translator:
        from briefing.errors import ModelUnavailable

        hint = ("put it where every node reads it at the same path (a shared filesystem, or "
                "the same Hugging Face cache and BRIEFING_HOME on each node)")  # fmt: skip
        if not self.model.path.is_dir():
            raise ModelUnavailable(
                f"{self.model.path}: the model folder is not readable on this Ray node", hint
            )
        o = self.options
        # one CTranslate2 replica per core of the actor's share (not of the node), one on a GPU
        translators = o.translators or (1 if self.device == "cuda" else self.threads)
        if self.engine == "ctranslate2":
            from briefing.translate.ct2 import CTranslate2Translator

            if self.folder is None or not self.folder.is_dir():
                raise ModelUnavailable(
                    f"{self.folder}: the CTranslate2 conversion is not readable on this Ray "
                    "node", hint,
                )  # fmt: skip
            return CTranslate2Translator(
                self.model, self.folder, device=self.device, beam_size=o.beam_size,
                max_batch_tokens=o.max_batch_tokens, translators=translators, threads=o.threads,
            )  # fmt: skip
        import torch

        from briefing.translate.marian import MarianTranslator

        torch.set_num_threads(self.threads)
        return MarianTranslator(self.model, device=self.device, beam_size=o.beam_size,
                                batch_size=o.batch_size, allow_pickle=o.allow_pickle)  # fmt: skip


class EngineActor:
    """One engine on a Ray actor, loaded when the actor starts (and again when Ray
    restarts it), translating the batches it is sent. An engine that cannot start is
    kept as its error, raised by every call (so the driver gets it as itself)."""

    def __init__(self, open_engine: Callable[[], Translator]) -> None:
        began = time.monotonic()
        self.error: BriefingError | None = None
        try:
            self.engine = open_engine()
            load = getattr(self.engine, "load", None)  # a test double may have none
            if callable(load):
                load()  # the weights now, not inside the first batch
        except BriefingError as exc:  # e.g. no model at that path on this node
            self.error = exc
        except Exception as exc:  # e.g. a dependency missing on this node
            from briefing.errors import ModelUnavailable

            self.error = ModelUnavailable(
                f"the engine could not start on a Ray actor: {type(exc).__name__}: "
                f"{exc}".splitlines()[0],
                "install the same briefing, with its model dependencies, on every node",
            )  # fmt: skip
        self.load_s = time.monotonic() - began
        self.batches = self.segments = 0
        self.busy_s = 0.0  # time spent in the engine

    def _check(self) -> None:
        if self.error is not None:
            raise self.error

    def ready(self) -> float:
        """Seconds the engine took to load (or the error that kept it from loading)."""
        self._check()
        return self.load_s

    def info(self) -> EngineInfo | None:
        """The engine as it runs here (its engine, device and compute type on this node)."""
        self._check()
        describe = getattr(self.engine, "describe", None)  # a test double may have none
        return describe() if callable(describe) else None

    def work(self, texts: list[str], mode: int) -> list[Any]:
        """mode 0: translate; 1: again with safer decoding; n > 1: the n-best lists."""
        self._check()
        began = time.monotonic()
        if mode == 0:
            english: list[Any] = self.engine.translate(texts)
        elif mode == 1:
            english = self.engine.retry(texts)
        else:
            english = self.engine.alternatives(texts, mode)
        self.busy_s += time.monotonic() - began
        self.batches += 1
        self.segments += len(texts)
        return english

    def stats(self) -> dict[str, float]:
        """What this actor has done since it (last) started: for the log and the bench."""
        return {"load_s": self.load_s, "batches": self.batches, "segments": self.segments,
                "busy_s": self.busy_s}  # fmt: skip


class ActorFailed(BriefingError):
    """A batch failed on every try (its actors kept dying, or the engine raised), or no
    actor could start."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --- on the driver -------------------------------------------------------------------------


class RayTranslator(ModelEngine):
    """A `Translator` for the driver: tokens are counted here with the local engine's
    tokenizer (its weights are never loaded), English is made by the pool's actors."""

    def __init__(
        self,
        local: ModelEngine,
        ray_options: RayOptions,
        open_engine: Callable[[], Translator],
    ) -> None:
        self.local = local
        self.model = local.model
        self.engine = local.engine
        self.compute_type = local.compute_type
        self.device = local.device  # until an actor says how it runs the engine
        self.beam_size = local.beam_size
        self.ray_options = ray_options
        self.open_engine = open_engine
        self.actors: list[Any] = []
        self.load_s: list[float] = []  # each actor's engine load time, for benchmarks
        self.replaced = 0  # actors that died for good and were replaced
        self.batches = 0
        self.segments = 0

    # the pool ---------------------------------------------------------------------------

    def start(self, on_progress: Callable[[ProgressEvent], None] | None = None) -> None:
        """Start the pool's actors and wait until each has loaded its engine. An engine
        that cannot load is the error it raised there (e.g. ModelUnavailable); actors the
        cluster cannot place within `START_TIMEOUT_S`, or that die while loading, are given
        up with a warning; none at all is an error. Every actor must run the engine the
        driver planned, all alike."""
        ray = require_ray()
        o = self.ray_options
        nodes = [n.get("Resources", {}) for n in ray.nodes() if n.get("Alive")]
        for name, each in (("GPU", o.gpus_per_actor), ("CPU", o.cpus_per_actor)):
            largest = max((r.get(name, 0) for r in nodes), default=0)
            if each > largest:
                raise UsageError(
                    f"--{name.lower()}s-per-actor {each:g}: no node of the Ray cluster has "
                    f"that many {name}s (the largest has {largest:g})",
                    f"ask for at most {largest:g}, or add a node with more",
                )
        self.actors = [self._new_actor() for _ in range(o.actors)]
        readiness = {actor.ready.remote(): actor for actor in self.actors}
        report = on_progress or (lambda event: None)
        report(ProgressEvent("ray: engines loaded", 0, o.actors, unit="actors"))
        loaded: list[Any] = []
        waiting = list(readiness)
        lost: list[str] = []
        deadline = time.monotonic() + START_TIMEOUT_S
        while waiting and time.monotonic() < deadline:
            done, waiting = ray.wait(waiting, num_returns=1,
                                     timeout=max(0.0, deadline - time.monotonic()))  # fmt: skip
            for ref in done:
                try:
                    self.load_s.append(float(_get(ray, ref)))
                    loaded.append(readiness[ref])
                except ray.exceptions.RayError as exc:  # died while loading (OOM, a crash)
                    lost.append(_first_line(exc))
            report(ProgressEvent("ray: engines loaded", len(loaded), o.actors, unit="actors"))
        if waiting:
            lost.extend(f"not placed within {START_TIMEOUT_S} s" for _ in waiting)
        if not loaded:
            raise ActorFailed(
                f"no Ray actor could start its engine ({lost[0] if lost else 'none started'}; "
                f"each needs {o.cpus_per_actor:g} CPU and {o.gpus_per_actor:g} GPU)",
                "ask for fewer or smaller actors, check the cluster with `ray status`, and see "
                "the Ray logs (/tmp/ray/session_latest/logs on each node)",
            )
        if lost:
            log.warning("%d of %d Ray actors did not start (%s); going on with %d", len(lost),
                        o.actors, lost[0], len(loaded))  # fmt: skip
            for actor in self.actors:
                if not any(actor is ok for ok in loaded):
                    with contextlib.suppress(Exception):
                        ray.kill(actor, no_restart=True)
            self.actors = loaded
        infos = {(i.engine, i.device, i.compute_type) if i else None
                 for i in ray.get([actor.info.remote() for actor in self.actors])}  # fmt: skip
        if len(infos) > 1:
            raise ActorFailed(
                "the Ray actors run the engine differently: " + "; ".join(sorted(map(str, infos))),
                "install the same briefing and CTranslate2 on every node",
            )
        info = infos.pop()
        if info is not None:  # what the briefing's About block says: as the actors run it
            engine, self.device, self.compute_type = info
            if engine != self.engine:
                from briefing.errors import ModelUnavailable

                raise ModelUnavailable(f"the Ray actors run {engine}, not {self.engine}",
                                       "install the same briefing on every node")  # fmt: skip

    def _new_actor(self) -> Any:
        ray = require_ray()
        o = self.ray_options
        remote = ray.remote(EngineActor).options(
            num_cpus=o.cpus_per_actor,
            num_gpus=o.gpus_per_actor,
            max_restarts=o.restarts,  # a dead actor is started again (its engine reloaded)
            max_task_retries=o.restarts,  # and the batches it held are sent again
        )
        return remote.remote(self.open_engine)

    def stop(self) -> None:
        ray = require_ray()
        if self.actors and log.isEnabledFor(logging.INFO):
            with contextlib.suppress(Exception):
                for k, stats in enumerate(ray.get([a.stats.remote() for a in self.actors],
                                                  timeout=10)):  # fmt: skip
                    log.info("Ray actor %d: engine loaded in %.1f s, %d batches, %d segments, "
                             "%.1f s translating", k + 1, stats["load_s"], stats["batches"],
                             stats["segments"], stats["busy_s"])  # fmt: skip
        for actor in self.actors:
            with contextlib.suppress(Exception):
                ray.kill(actor, no_restart=True)
        self.actors = []

    # the Translator ---------------------------------------------------------------------

    @property
    def name(self) -> str:
        o = self.ray_options
        gpus = f", {o.gpus_per_actor:g} GPU each" if o.gpus_per_actor else ""
        return f"{self.local.name} on Ray, {o.actors} actor(s){gpus}"

    def count_tokens(self, text: str) -> int:
        return self.local.count_tokens(text)

    def translate(
        self,
        texts: Sequence[str],
        on_batch: Callable[[int], None] | None = None,
        *,
        safer: bool = False,
    ) -> list[str]:
        return [str(en) for en in self._run(texts, 1 if safer else 0, on_batch)]

    def hypotheses(self, texts: Sequence[str], n: int) -> list[list[str]]:
        if n == 1:
            return [[english] for english in self.translate(texts)]
        return [list(h) for h in self._run(texts, n, None)]

    def _run(self, texts: Sequence[str], mode: int, on_batch: Callable[[int], None] | None
             ) -> list[Any]:  # fmt: skip
        """Batches of similar length to the actors, at most two at each (one working, one
        waiting: no actor idles between batches, and no more is shipped than they take)."""
        if not texts:
            return []
        ray = require_ray()
        tokens = [self.local.count_tokens(text) for text in texts]
        batches = split(tokens, self.ray_options.segments_per_batch, len(self.actors))
        todo = list(reversed(range(len(batches))))  # popped from the end: longest first
        out: list[Any] = [None] * len(texts)
        running: dict[Any, tuple[int, Any, int]] = {}  # reference -> slot, actor, batch
        try:
            self._ship(texts, mode, batches, todo, running, out, on_batch, ray)
        finally:
            for ref in running:  # a batch failed for good, or Ctrl-C: drop the rest
                with contextlib.suppress(Exception):
                    ray.cancel(ref)
        self.segments += len(texts)
        return out

    def _ship(self, texts: Sequence[str], mode: int, batches: list[list[int]], todo: list[int],
              running: dict[Any, tuple[int, Any, int]], out: list[Any],
              on_batch: Callable[[int], None] | None, ray: Any) -> None:  # fmt: skip
        errors = ray.exceptions
        transient = getattr(errors, "ActorUnavailableError", ())  # restarting, or unreachable
        sent: dict[int, int] = {}  # batch -> times sent again
        load = [0] * len(self.actors)
        while todo or running:
            while todo and min(load) < 2:
                slot = load.index(min(load))
                number, actor = todo.pop(), self.actors[slot]
                ref = actor.work.remote([texts[i] for i in batches[number]], mode)
                running[ref], load[slot] = (slot, actor, number), load[slot] + 1
            done, _ = ray.wait(list(running), num_returns=1, timeout=STALL_TIMEOUT_S)
            if not done:
                raise ActorFailed(
                    f"no batch finished on the Ray actors in {STALL_TIMEOUT_S} s",
                    "check the cluster with `ray status`: nodes may be lost, or a replaced "
                    "actor cannot be placed",
                )
            slot, actor, number = running.pop(done[0])
            load[slot] -= 1
            try:
                english = ray.get(done[0])
            except errors.RayTaskError as exc:  # the engine raised: it would again
                if isinstance(exc.cause, BriefingError):
                    raise exc.cause from None  # e.g. a replacement that cannot load the model
                raise ActorFailed(f"the engine failed on a Ray actor: "
                                  f"{_first_line(exc.cause or exc)}") from None  # fmt: skip
            except errors.RayError as exc:
                # Ray restarted the actor and retried its batches as often as allowed, and
                # gave up (or lost the node, or the result): replace an actor that is dead
                # for good (unless one of its other batches has), send the batch once more
                dead = isinstance(exc, errors.RayActorError) and not isinstance(exc, transient)
                if dead and self.actors[slot] is actor:
                    self._replace(slot, exc)
                sent[number] = sent.get(number, 0) + 1
                if sent[number] > RESENDS:
                    size = len(batches[number])
                    raise ActorFailed(f"a batch of {size} segment(s) failed on {sent[number]} "
                                      f"actors: {_first_line(exc)}") from None  # fmt: skip
                todo.append(number)
                continue
            for i, en in zip(batches[number], english, strict=True):
                out[i] = en
            self.batches += 1
            if on_batch is not None:
                on_batch(len(batches[number]))

    def _replace(self, slot: int, why: BaseException) -> None:
        ray = require_ray()
        log.warning("a Ray actor died for good (%s); starting another", _first_line(why))
        with contextlib.suppress(Exception):
            ray.kill(self.actors[slot], no_restart=True)
        self.actors[slot] = self._new_actor()
        self.replaced += 1


def split(tokens: Sequence[int], most: int, actors: int) -> list[list[int]]:
    """The indices of segments of `tokens` source tokens each, in batches for `actors`
    actors: longest first, each batch of similar lengths (little padding), at most `most`
    segments, and at most a (2 x actors)-th of the tokens, so that even a small call keeps
    every actor busy and no actor is left with most of the work."""
    order = sorted(range(len(tokens)), key=lambda i: -tokens[i])
    share = max(1, -(-sum(tokens) // (2 * max(1, actors))))  # ceiling
    batches: list[list[int]] = []
    batch: list[int] = []
    held = 0
    for i in order:
        if batch and (len(batch) >= most or held + tokens[i] > share):
            batches.append(batch)
            batch, held = [], 0
        batch.append(i)
        held += tokens[i]
    if batch:
        batches.append(batch)
    return batches


def _get(ray: Any, ref: Any) -> Any:
    """`ray.get`, with an error the engine raised on an actor (say ModelUnavailable for a
    folder that node cannot read) raised as itself."""
    try:
        return ray.get(ref)
    except ray.exceptions.RayTaskError as exc:
        if isinstance(exc.cause, Exception):
            raise exc.cause from None
        raise


@dataclass(frozen=True)
class RayExecutor:
    """`run_batch`'s executor for a Ray cluster: opens the pool's translator for the run
    and leaves the cluster as it found it."""

    options: RayOptions = RayOptions()
    # What each actor runs to get its engine, given the `OpenEngine` the driver planned
    # (the tests wrap it in doubles that die or fail on cue); None: that `OpenEngine`.
    open_engine: Callable[[OpenEngine], Callable[[], Translator]] | None = None

    @property
    def chunk_segments(self) -> int:
        return CHUNK_SEGMENTS_PER_ACTOR * self.options.actors

    def check(self) -> None:
        """Fail before any file is written when Ray is not installed."""
        require_ray()

    def driver_options(self, translation: TranslationOptions) -> TranslationOptions:
        """The settings of the driver's engine, which only counts tokens (its weights are
        never loaded): on the CPU, whatever device the actors use."""
        return replace(translation, device="cpu")

    def plan(self, local: ModelEngine, translation: TranslationOptions) -> OpenEngine:
        """What every actor opens: the driver's model and engine, at the same paths."""
        if translation.device == "cuda" and not self.options.gpus_per_actor:
            raise UsageError("--device cuda with --executor ray: the actors have no GPU",
                             "add --gpus-per-actor 1 (or a fraction)")  # fmt: skip
        # a GPU only where one is reserved: an actor on a GPU node without one stays off it
        device = "cuda" if self.options.gpus_per_actor > 0 else "cpu"
        plan = OpenEngine(translation, local.model, engine=local.engine,
                          folder=getattr(local, "folder", None), device=device,
                          threads=max(1, int(self.options.cpus_per_actor)))  # fmt: skip
        return plan

    @contextlib.contextmanager
    def opened(
        self,
        local: ModelEngine,
        translation: TranslationOptions,
        on_progress: Callable[[ProgressEvent], None] | None = None,
    ) -> Iterator[RayTranslator]:
        ray = require_ray()
        plan = self.plan(local, translation)
        opener = self.open_engine(plan) if self.open_engine is not None else plan
        started = False
        if not ray.is_initialized():
            began = time.monotonic()
            # "local": a Ray instance of this machine, of this run's own (not one that
            # RAY_ADDRESS or a `ray start` on this machine names)
            address = self.options.address or "local"
            try:
                with _own_sigterm():
                    ray.init(address=address, logging_level=logging.WARNING,
                             log_to_driver=False, include_dashboard=False)  # fmt: skip
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = self.options.address or "this machine"
                raise UsageError(
                    f"--executor ray: cannot start or reach Ray at {where}: {_first_line(exc)}",
                    "--address auto needs `ray start` on this machine first; ray://HOST:PORT a "
                    "cluster's Ray Client port (10001)",
                ) from exc
            started = True
            log.info("connected to Ray in %.1f s: %s", time.monotonic() - began,
                     ray.cluster_resources())  # fmt: skip
        translator: RayTranslator | None = None
        try:
            translator = RayTranslator(local, self.options, opener)
            translator.start(on_progress)
            yield translator
        finally:
            if translator is not None:
                translator.stop()
            if started:
                ray.shutdown()  # this run's instance and its actors (Ctrl-C included)


@contextlib.contextmanager
def _own_sigterm() -> Iterator[None]:
    """Keep briefing's SIGTERM handler (exit 143, temporary files removed) over the one
    `ray.init` installs (which exits 15)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    ours = signal.getsignal(signal.SIGTERM)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, ours)
