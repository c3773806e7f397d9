"""`briefing batch --executor ray`: the same briefings as a local run, made by a pool of
Ray actors; an actor that dies is replaced, a report whose batches keep failing is marked
failed and the rest go on, Ctrl-C leaves the folder as a local run would. The tests with
the `ray` marker start a local Ray instance (`ray.init(num_cpus=2)`)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefing.batch import LOCK, SUFFIX, run_batch
from briefing.distributed import RAY_HINT, RayExecutor, RayOptions
from briefing.errors import UsageError
from briefing.options import GenerateOptions, TranslationOptions
from tests.conftest import CASES, ROOT, SAMPLE
from tests.test_batch import REPORT, _sample_page, _sample_pdf

NEEDLE = "农村公路"  # in report.txt only


def five_reports(tmp_path: Path) -> Path:
    """Five reports in five formats: text, GB18030 text, Word, a GB18030 page, a PDF."""
    folder = tmp_path / "five"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "sample.txt")
    shutil.copy(REPORT, folder / "report.txt")
    shutil.copy(CASES / "docx_heading_styles.docx", folder / "plan.docx")
    (folder / "page.html").write_bytes(_sample_page(charset="gb18030").encode("gb18030"))
    (folder / "plenum.pdf").write_bytes(_sample_pdf())
    return folder


def briefing_text(path: Path) -> str:
    """A briefing's body and comments, its generation time and comment dates taken out."""
    with zipfile.ZipFile(path) as package:
        xml = "".join(package.read(name).decode() for name in ("word/document.xml",
                                                               "word/comments.xml")
                      if name in package.namelist())  # fmt: skip
    xml = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "<time>", xml)
    return re.sub(r'w:date="[^"]*"', "", xml)


def options(model: Path) -> GenerateOptions:
    # no memory: a second run must translate again, not reuse the first run's English
    return GenerateOptions(translation=TranslationOptions(model=str(model), memory=False))


# --- without Ray ----------------------------------------------------------------------------


def test_without_ray_the_executor_is_a_usage_error_with_the_install_hint(  # type: ignore[no-untyped-def]
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tiny_model: Path
) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    out = tmp_path / "out"
    result = run_cli("batch", str(five_reports(tmp_path)), "-o", str(out), "--model",
                     str(tiny_model), "--executor", "ray")  # fmt: skip
    assert result.code == 2, result.err
    assert "Ray is not installed" in result.err
    assert "pip install 'briefing[ray]'" in result.err
    assert not out.exists()


def test_ray_settings_without_the_ray_executor_are_refused(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("batch", str(tmp_path), "-o", str(tmp_path / "out"), "--actors", "2")
    assert result.code == 2
    assert "--actors: only with --executor ray" in result.err


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"actors": 0}, "--actors must be at least 1"),
        ({"gpus_per_actor": -1}, "--gpus-per-actor cannot be negative"),
        ({"cpus_per_actor": 0}, "--cpus-per-actor must be more than 0"),
        ({"address": "my-cluster"}, "is not a Ray address"),
    ],
)
def test_bad_pool_settings_are_refused_with_a_hint(given: dict[str, Any], says: str) -> None:
    with pytest.raises(UsageError, match=re.escape(says)) as caught:
        RayOptions(**given)
    assert caught.value.hint


def test_the_hint_names_the_extra() -> None:
    assert "pip install 'briefing[ray]'" in RAY_HINT


def test_a_cluster_that_cannot_be_reached_is_a_usage_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, tiny_model: Path, tmp_path: Path
) -> None:
    import types

    def unreachable(**kwargs: Any) -> None:
        raise ConnectionError(f"could not connect to {kwargs['address']}\n(details)")

    fake = types.SimpleNamespace(is_initialized=lambda: False, init=unreachable)
    monkeypatch.setitem(sys.modules, "ray", fake)  # a Ray test double: refuses to connect
    executor = RayExecutor(RayOptions(address="ray://head:10001"))
    with pytest.raises(UsageError, match=r"cannot start or reach Ray at ray://head:10001") as e:
        run_batch([str(five_reports(tmp_path))], tmp_path / "out", options(tiny_model),
                  executor=executor)  # fmt: skip
    assert "\n" not in e.value.message and "ray start" in e.value.hint


# --- on a local Ray instance ---------------------------------------------------------------


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[Any]:
    import ray
    from ray import cloudpickle

    import tests.ray_engines

    cloudpickle.register_pickle_by_value(tests.ray_engines)  # the actors need no `tests`
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def local_run(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> tuple[Path, Path]:
    """The five reports and their briefings from the local executor."""
    tmp = tmp_path_factory.mktemp("local")
    folder = five_reports(tmp)
    result = run_batch([str(folder)], tmp / "out", options(tiny_model))
    assert [e.status for e in result.entries] == ["done"] * 5
    return folder, tmp / "out"


def same_as_local(local_out: Path, out: Path, but: tuple[str, ...] = ()) -> None:
    names = sorted(p.name for p in local_out.glob(f"*{SUFFIX}") if p.name not in but)
    assert names and sorted(p.name for p in out.glob(f"*{SUFFIX}")) == names
    for name in names:
        assert briefing_text(out / name) == briefing_text(local_out / name), name


@pytest.mark.ray
def test_the_same_briefings_as_the_local_executor(  # type: ignore[no-untyped-def]
    ray_instance, local_run: tuple[Path, Path], tiny_model: Path, tmp_path: Path
) -> None:
    folder, local_out = local_run
    executor = RayExecutor(RayOptions(actors=2))
    result = run_batch([str(folder)], tmp_path / "out", options(tiny_model), executor=executor)
    assert [e.status for e in result.entries] == ["done"] * 5
    same_as_local(local_out, tmp_path / "out")


@pytest.mark.ray
def test_an_actor_killed_mid_run_is_restarted_and_the_run_completes(  # type: ignore[no-untyped-def]
    ray_instance, local_run: tuple[Path, Path], tiny_model: Path, tmp_path: Path
) -> None:
    from tests.ray_engines import DiesOnceTestDouble

    folder, local_out = local_run
    marker = tmp_path / "died"
    executor = RayExecutor(RayOptions(actors=2), open_engine=DiesOnceTestDouble(str(marker)))
    result = run_batch([str(folder)], tmp_path / "out", options(tiny_model), executor=executor)
    assert marker.exists()  # an actor did die, holding a batch
    assert [e.status for e in result.entries] == ["done"] * 5
    same_as_local(local_out, tmp_path / "out")


@pytest.mark.ray
def test_a_report_whose_batches_keep_failing_is_marked_failed_and_the_rest_go_on(  # type: ignore[no-untyped-def]
    ray_instance, local_run: tuple[Path, Path], tiny_model: Path, tmp_path: Path
) -> None:
    from tests.ray_engines import FailsOnTestDouble

    folder, local_out = local_run
    executor = RayExecutor(RayOptions(actors=2), open_engine=FailsOnTestDouble(NEEDLE))
    result = run_batch([str(folder)], tmp_path / "out", options(tiny_model), executor=executor)
    status = {e.path: e.status for e in result.entries}
    assert status == {"sample.txt": "done", "report.txt": "failed", "plan.docx": "done",
                      "page.html": "done", "plenum.pdf": "done"}  # fmt: skip
    failed = next(e for e in result.entries if e.status == "failed")
    assert failed.error and "the engine failed on a Ray actor" in failed.error
    assert NEEDLE in failed.error
    same_as_local(local_out, tmp_path / "out", but=("report.txt" + SUFFIX,))


@pytest.mark.ray
def test_an_actor_that_dies_on_every_try_is_replaced_and_only_its_report_fails(  # type: ignore[no-untyped-def]
    ray_instance, local_run: tuple[Path, Path], tiny_model: Path, tmp_path: Path
) -> None:
    from tests.ray_engines import AlwaysDiesTestDouble

    folder, local_out = local_run
    executor = RayExecutor(RayOptions(actors=2, restarts=1),
                           open_engine=AlwaysDiesTestDouble(NEEDLE))  # fmt: skip
    result = run_batch([str(folder)], tmp_path / "out", options(tiny_model), executor=executor)
    status = {e.path: e.status for e in result.entries}
    assert status["report.txt"] == "failed"
    assert [s for p, s in status.items() if p != "report.txt"] == ["done"] * 4
    failed = next(e for e in result.entries if e.status == "failed")
    assert failed.error and "failed on 2 actors" in failed.error
    same_as_local(local_out, tmp_path / "out", but=("report.txt" + SUFFIX,))


@pytest.mark.ray
def test_an_actor_dead_for_good_is_replaced_by_the_driver_and_its_batch_sent_again(  # type: ignore[no-untyped-def]
    ray_instance, local_run: tuple[Path, Path], tiny_model: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from tests.ray_engines import DiesOnceTestDouble

    folder, local_out = local_run
    marker = tmp_path / "died"
    # no restarts by Ray: the driver sees the death, starts another actor, sends the batch
    executor = RayExecutor(RayOptions(actors=2, restarts=0),
                           open_engine=DiesOnceTestDouble(str(marker)))  # fmt: skip
    result = run_batch([str(folder)], tmp_path / "out", options(tiny_model), executor=executor)
    assert marker.exists()
    assert "a Ray actor died for good" in caplog.text
    assert [e.status for e in result.entries] == ["done"] * 5
    same_as_local(local_out, tmp_path / "out")


@pytest.mark.ray
def test_a_replacement_that_cannot_load_the_model_stops_the_run_with_exit_3(  # type: ignore[no-untyped-def]
    ray_instance, local_run: tuple[Path, Path], tiny_model: Path, tmp_path: Path
) -> None:
    from briefing.errors import ModelUnavailable
    from tests.ray_engines import DiesOnceThenCannotLoadTestDouble

    folder, _ = local_run
    double = DiesOnceThenCannotLoadTestDouble(str(tmp_path / "died"))
    executor = RayExecutor(RayOptions(actors=1, restarts=0), open_engine=double)
    with pytest.raises(ModelUnavailable, match="the model is gone from this node"):
        run_batch([str(folder)], tmp_path / "out", options(tiny_model), executor=executor)


@pytest.mark.ray
def test_the_ctranslate2_engine_on_the_actors_gives_the_local_briefings(  # type: ignore[no-untyped-def]
    ray_instance, tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.translate.ct2 import convert_model
    from briefing.translate.resolve import from_folder

    monkeypatch.setenv("BRIEFING_HOME", str(tmp_path / "home"))
    convert_model(from_folder(tiny_model, "--model"))  # the actors get its folder as a path
    folder = five_reports(tmp_path)
    translation = TranslationOptions(model=str(tiny_model), engine="ctranslate2", memory=False)
    ct2 = GenerateOptions(translation=translation)
    run_batch([str(folder)], tmp_path / "local", ct2)
    executor = RayExecutor(RayOptions(actors=2))
    result = run_batch([str(folder)], tmp_path / "ray", ct2, executor=executor)
    assert [e.status for e in result.entries] == ["done"] * 5
    assert "ctranslate2" in briefing_text(tmp_path / "ray" / ("sample.txt" + SUFFIX))
    same_as_local(tmp_path / "local", tmp_path / "ray")


@pytest.mark.ray
def test_a_model_no_node_can_read_is_exit_3_with_a_hint(  # type: ignore[no-untyped-def]
    ray_instance, tiny_model: Path, tmp_path: Path
) -> None:
    import dataclasses

    from briefing.distributed import OpenEngine
    from briefing.errors import ModelUnavailable

    def elsewhere(plan: OpenEngine) -> OpenEngine:
        # the driver reads the model; the actors are told a folder that is not there
        return dataclasses.replace(plan, model=dataclasses.replace(plan.model,
                                                                   path=tmp_path / "gone"))

    executor = RayExecutor(RayOptions(actors=1), open_engine=elsewhere)
    with pytest.raises(ModelUnavailable, match="not readable on this Ray node") as caught:
        run_batch([str(five_reports(tmp_path))], tmp_path / "out", options(tiny_model),
                  executor=executor)  # fmt: skip
    assert "shared filesystem" in caught.value.hint
    assert caught.value.exit_code == 3


def test_the_actors_open_the_driver_s_model_and_engine_and_a_gpu_only_when_reserved(
    tiny_model: Path,
) -> None:
    from briefing.pipeline import open_translator

    translation = TranslationOptions(model=str(tiny_model), engine="transformers")
    local = open_translator(translation)
    on_cpu = RayExecutor(RayOptions(cpus_per_actor=2)).plan(local, translation)
    assert (on_cpu.engine, on_cpu.device, on_cpu.threads) == ("transformers", "cpu", 2)
    assert on_cpu.model.path == local.model.path and on_cpu.folder is None
    on_gpu = RayExecutor(RayOptions(gpus_per_actor=0.5)).plan(local, translation)
    assert on_gpu.device == "cuda"


def test_a_call_is_split_so_that_every_actor_has_work_and_none_most_of_it() -> None:
    from briefing.distributed import split

    tokens = [100, 90, 80, 10, 10, 10, 5, 5]
    batches = split(tokens, 64, actors=2)
    assert sorted(i for b in batches for i in b) == list(range(len(tokens)))  # each once
    assert len(batches) >= 4  # two for each actor, even for a small call
    assert max(sum(tokens[i] for i in b) for b in batches) <= 100  # no batch holds most
    assert [tokens[b[0]] for b in batches] == sorted((tokens[b[0]] for b in batches),
                                                     reverse=True)  # longest first
    many = split([10] * 200, 64, actors=1)
    assert [len(b) for b in many] == [64, 64, 64, 8]  # at most 64 segments a batch


def test_device_cuda_needs_gpus_for_the_actors(
    monkeypatch: pytest.MonkeyPatch, tiny_model: Path, tmp_path: Path
) -> None:
    import types

    monkeypatch.setitem(sys.modules, "ray", types.SimpleNamespace())  # never reached
    translation = TranslationOptions(model=str(tiny_model), device="cuda", memory=False)
    with pytest.raises(UsageError, match="the actors have no GPU") as caught:
        run_batch([str(five_reports(tmp_path))], tmp_path / "out",
                  GenerateOptions(translation=translation), executor=RayExecutor())  # fmt: skip
    assert "--gpus-per-actor" in caught.value.hint


@pytest.mark.ray
def test_more_gpus_per_actor_than_the_cluster_has_is_a_usage_error(  # type: ignore[no-untyped-def]
    ray_instance, tiny_model: Path, tmp_path: Path
) -> None:
    executor = RayExecutor(RayOptions(actors=1, gpus_per_actor=1))  # the test instance has none
    with pytest.raises(UsageError, match="--gpus-per-actor 1: no node of the Ray cluster has"):
        run_batch([str(five_reports(tmp_path))], tmp_path / "out", options(tiny_model),
                  executor=executor)  # fmt: skip


def _ray_daemons() -> set[int]:
    """The pids of the raylets running on this machine (one per Ray instance)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if b"raylet" in command.split(b"\0")[0]:
                found.add(int(entry.name))
    return found


@pytest.mark.ray
@pytest.mark.parametrize(("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_stops_the_actors_and_leaves_the_folder_as_a_local_run_would(
    tiny_model: Path, tmp_path: Path, sent: int, code: int
) -> None:
    folder, out = five_reports(tmp_path), tmp_path / "out"
    before = _ray_daemons()
    child = subprocess.Popen(
        [sys.executable, "-m", "briefing", "batch", str(folder), "-o", str(out), "--model",
         str(tiny_model), "--no-memory", "--executor", "ray", "--actors", "2"],
        stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert child.stderr is not None
    seen = []
    for line in child.stderr:  # the actors are working once segments are counted
        seen.append(line)
        if line.startswith("translate: "):
            break
    assert any(line.startswith("translate: ") for line in seen), "".join(seen)
    assert _ray_daemons() - before  # the run started a Ray instance of its own
    child.send_signal(sent)
    rest = child.stderr.read()
    assert child.wait(timeout=120) == code, rest
    assert not (out / LOCK).exists()
    assert not [p for p in out.rglob("*") if p.name.endswith(".part")]  # no half-written file
    deadline = time.monotonic() + 30
    while _ray_daemons() - before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _ray_daemons() - before  # its Ray instance, actors and all, is gone
    again = run_batch([str(folder)], out, options(tiny_model))  # a rerun finishes the rest
    assert [e.status for e in again.entries if e.status != "skipped"] == ["done"] * sum(
        1 for e in again.entries if e.status != "skipped"
    )
