"""Batch runs against separate runs: documents per minute, side by side in one run.

    .venv/bin/python bench/batch_bench.py [--model FOLDER] [--runs 1] [--work DIR]

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
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="briefing-batch-bench-"))
    model = args.model or tiny_model(work)
    files = make_reports(work / "inbox")
    settings = ["--model", str(model), "--no-memory"]
    print(f"bench: {len(files)} reports of {min(len(f.read_text()) for f in files)}–"
          f"{max(len(f.read_text()) for f in files)} characters, model {model}", flush=True)
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


if __name__ == "__main__":
    main()
