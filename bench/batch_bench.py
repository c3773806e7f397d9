"""Batch runs against separate runs: documents per minute, side by side in one run.

    .venv/bin/python bench/batch_bench.py [--model FOLDER] [--runs 1] [--work DIR]
    .venv/bin/python bench/batch_bench.py --executor ray [--model FOLDER] [--reports N] \
        [--engine transformers|ctranslate2]

Makes 20 reports of different lengths from the sample (its title and the first k of its
paragraphs, k from 1 to all), then measures, each in its own process:
- `briefing generate` once per report (20 processes: what a cron job looping over files
  does), and
- one `briefing batch` over the folder,
both with the same model and settings and without the translation memory (so neither
reuses the other's English), and finally
- a rerun of `briefing batch` with nothing changed.
Without --model it uses the project's tiny test model (built here in seconds): then the
figures say what loading, parsing and rendering cost and what batching saves on them, not
what a real model's translation costs. The last line is one summary.

With --executor ray (Ray installed: the `ray` extra) it measures instead, each round in
its own processes, one `briefing batch` with the local executor and with
`--executor ray --actors 1` and `--actors 2` (a Ray instance of this machine, started by
each run), and then, in this process, what a batch costs on an actor: the engine's load
time on the actor, segments per second of engine time, and the overhead of shipping a
batch (round trip minus the actor's engine time), from the reports' own segments sent one
batch at a time to one actor.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "seeds" / "000_161302ac3327b756.txt"
REPORTS = 20


def make_reports(folder: Path) -> list[Path]:
    """20 reports: the sample's title and byline, then its first k paragraphs."""
    sys.path.insert(0, str(ROOT))
    from briefing.pipeline import parse_file

    document = parse_file(SAMPLE)
    paragraphs = [p.zh for p in document.paragraphs()]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n in range(REPORTS):
        k = 1 + n * (len(paragraphs) - 1) // (REPORTS - 1)
        text = "\n\n".join([f"{document.title}（{n + 1}）", *paragraphs[:k]]) + "\n"
        path = folder / f"report-{n + 1:02d}.txt"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def tiny_model(work: Path) -> Path:
    spec = importlib.util.spec_from_file_location("tiny", ROOT / "models" / "make_tiny_model.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Path(module.build_tiny_model(work / "tiny", module.DEFAULT_ZH_TEXT,
                                        module.DEFAULT_EN_TEXT))  # fmt: skip


def briefing(*args: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "briefing", "-q", *args], cwd=ROOT,
                          capture_output=True, text=True)  # fmt: skip
    took = time.perf_counter() - start
    if done.returncode not in (0,):
        sys.exit(f"bench: briefing {' '.join(args[:2])} failed ({done.returncode}):\n"
                 f"{done.stderr[-2000:]}")  # fmt: skip
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a model folder (default: the tiny model)")
    parser.add_argument("--runs", type=int, default=1, help="rounds, medians reported")
    parser.add_argument("--work", type=Path, help="where to work (default: a temp dir)")
    parser.add_argument("--executor", choices=["local", "ray"], default="local",
                        help="ray: local executor against 1 and 2 Ray actors")
    parser.add_argument("--reports", type=int, default=REPORTS,
                        help="the first N of the 20 reports (the shortest)")
    parser.add_argument("--engine", default="auto", help="passed to briefing batch")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="briefing-batch-bench-"))
    model = args.model or tiny_model(work)
    files = make_reports(work / "inbox")
    for extra in files[args.reports:]:
        extra.unlink()
    files = files[: args.reports]
    settings = ["--model", str(model), "--no-memory", "--engine", args.engine]
    print(f"bench: {len(files)} reports of {min(len(f.read_text()) for f in files)}–"
          f"{max(len(f.read_text()) for f in files)} characters, model {model}", flush=True)
    if args.executor == "ray":
        ray_bench(work, files, model, settings, args)
        return
    separate, batch, rerun = [], [], []
    for run in range(args.runs):
        out = work / f"separate-{run}"
        separate.append(sum(briefing("generate", str(f), "-o", str(out / (f.name + ".docx")),
                                     *settings) for f in files))  # fmt: skip
        folder = work / f"batch-{run}"
        batch.append(briefing("batch", str(work / "inbox"), "-o", str(folder), *settings))
        rerun.append(briefing("batch", str(work / "inbox"), "-o", str(folder), *settings))
        print(f"  run {run + 1}: separate {separate[-1]:.1f}s, batch {batch[-1]:.1f}s, "
              f"rerun {rerun[-1]:.2f}s", flush=True)  # fmt: skip
    s, b, r = (statistics.median(x) for x in (separate, batch, rerun))
    per_minute = {name: len(files) / t * 60 for name, t in (("separate", s), ("batch", b))}
    print(f"\nseparate generate runs: {s:.1f}s, {per_minute['separate']:.1f} documents/min")
    print(f"one batch run:          {b:.1f}s, {per_minute['batch']:.1f} documents/min")
    print(f"bench: batch {per_minute['batch']:.1f} vs separate {per_minute['separate']:.1f} "
          f"documents/min = {s / b:.1f}x; rerun with nothing changed {r:.2f}s")  # fmt: skip


def ray_bench(work: Path, files: list[Path], model: Path, settings: list[str],
              args: argparse.Namespace) -> None:  # fmt: skip
    """Documents per minute: local, 1 actor, 2 actors; then the per-batch costs."""
    configurations = {"local": [], "ray-1": ["--executor", "ray", "--actors", "1"],
                      "ray-2": ["--executor", "ray", "--actors", "2"]}  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in configurations}
    for run in range(args.runs):
        for name, extra in configurations.items():
            out = work / f"{name}-{run}"
            times[name].append(briefing("batch", str(work / "inbox"), "-o", str(out),
                                        *settings, *extra))  # fmt: skip
        print(f"  run {run + 1}: " + ", ".join(f"{n} {t[-1]:.1f}s" for n, t in times.items()),
              flush=True)  # fmt: skip
    wall = {name: statistics.median(t) for name, t in times.items()}
    per_minute = {name: len(files) / t * 60 for name, t in wall.items()}
    for name in configurations:
        print(f"{name:6} {wall[name]:7.1f}s  {per_minute[name]:6.1f} documents/min")
    costs = actor_costs(files, model, args.engine)
    print(f"one actor: engine loaded in {costs['load_s']:.1f}s; {costs['segments']} segments in "
          f"{costs['batches']} batches of up to {costs['batch_size']}: "
          f"{costs['segments_per_s']:.1f} segments/s of engine time; shipping overhead "
          f"{costs['overhead_ms']:.0f} ms per batch (median; round trip minus engine time)")
    print(f"bench: documents/min local {per_minute['local']:.1f}, ray 1 actor "
          f"{per_minute['ray-1']:.1f} ({wall['local'] / wall['ray-1']:.2f}x), ray 2 actors "
          f"{per_minute['ray-2']:.1f} ({wall['local'] / wall['ray-2']:.2f}x); actor load "
          f"{costs['load_s']:.1f}s, {costs['segments_per_s']:.1f} segments/s per actor, "
          f"overhead {costs['overhead_ms']:.0f} ms per batch")  # fmt: skip


def actor_costs(files: list[Path], model: Path, engine: str) -> dict[str, Any]:
    """One actor's load time, engine speed and per-batch overhead on the reports' segments
    (as the segmenter cuts them, sorted by length and batched as `--executor ray` does)."""
    sys.path.insert(0, str(ROOT))
    import ray

    from briefing.distributed import RayExecutor, RayOptions, RayTranslator, split
    from briefing.options import TranslationOptions
    from briefing.pipeline import open_translator, parse_file
    from briefing.segment import segment_document
    from briefing.translate.resolve import resolve_model

    options = TranslationOptions(model=str(model), engine=engine, memory=False)  # type: ignore[arg-type]
    local = open_translator(options, resolve_model(options.model))
    texts = [s.zh for f in files for s in segment_document(parse_file(f), local.count_tokens)
             if s.translatable]  # fmt: skip
    ray.init(num_cpus=os.cpu_count() or 1, include_dashboard=False, log_to_driver=False)
    try:
        pool = RayOptions(actors=1)
        translator = RayTranslator(local, pool, RayExecutor(pool).plan(local, options))
        translator.start()
        actor = translator.actors[0]
        size = pool.segments_per_batch
        overheads = []
        for batch in split([local.count_tokens(t) for t in texts], size, 1):
            before = ray.get(actor.stats.remote())["busy_s"]
            start = time.perf_counter()
            ray.get(actor.work.remote([texts[i] for i in batch], 0))
            round_trip = time.perf_counter() - start
            overheads.append(round_trip - (ray.get(actor.stats.remote())["busy_s"] - before))
        stats = ray.get(actor.stats.remote())
        translator.stop()
    finally:
        ray.shutdown()
    return {"load_s": translator.load_s[0], "segments": len(texts), "batches": len(overheads),
            "batch_size": size, "segments_per_s": len(texts) / stats["busy_s"],
            "overhead_ms": 1000 * statistics.median(overheads)}  # fmt: skip


if __name__ == "__main__":
    main()
