"""Model resolution: one rule for every command, never a network call, clear errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from briefing.errors import ModelUnavailable
from briefing.translate import resolve
from briefing.translate.resolve import HUB_ID, METADATA_FILE, download_model, resolve_model
from tests.conftest import ROOT

SHA = "0123456789abcdef0123456789abcdef01234567"


def copy_model(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def put_in_hf_cache(tiny_model: Path, hf_home: Path, repo_id: str = HUB_ID) -> Path:
    """Lay the model out the way huggingface_hub's cache does (refs/main -> snapshot)."""
    repo = hf_home / "hub" / ("models--" + repo_id.replace("/", "--"))
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(SHA)
    return copy_model(tiny_model, repo / "snapshots" / SHA)


def test_nothing_anywhere_is_model_unavailable_with_a_hint(isolated_home: Path) -> None:
    with pytest.raises(ModelUnavailable) as caught:
        resolve_model()
    assert HUB_ID in caught.value.message
    assert "briefing model download" in caught.value.hint


def test_the_hf_cache_is_the_last_resort(isolated_home: Path, tiny_model: Path) -> None:
    snapshot = put_in_hf_cache(tiny_model, Path(os.environ["HF_HOME"]))
    found = resolve_model()
    assert (found.id, found.path, found.origin, found.revision) == (
        HUB_ID,
        snapshot,
        "huggingface cache",
        SHA,
    )


def test_briefing_home_comes_before_the_cache(isolated_home: Path, tiny_model: Path) -> None:
    put_in_hf_cache(tiny_model, Path(os.environ["HF_HOME"]))
    home_copy = copy_model(tiny_model, isolated_home / "models" / "opus-mt-zh-en")
    found = resolve_model()
    assert (found.path, found.origin) == (home_copy, "BRIEFING_HOME")


def test_the_checkout_models_folder_is_searched_after_briefing_home(
    isolated_home: Path, tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkout = tmp_path / "checkout" / "models"
    copy_model(tiny_model, checkout / "opus-mt-zh-en")
    monkeypatch.setattr(resolve, "_checkout_models", lambda: checkout)
    assert resolve_model().origin == "checkout"
    copy_model(tiny_model, isolated_home / "models" / "opus-mt-zh-en")
    assert resolve_model().origin == "BRIEFING_HOME"


def test_briefing_model_env_beats_home_and_model_option_beats_env(
    isolated_home: Path, tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_model(tiny_model, isolated_home / "models" / "opus-mt-zh-en")
    env_copy = copy_model(tiny_model, tmp_path / "env-model")
    option_copy = copy_model(tiny_model, tmp_path / "option-model")
    monkeypatch.setenv("BRIEFING_MODEL", str(env_copy))
    assert (resolve_model().path, resolve_model().origin) == (env_copy, "BRIEFING_MODEL")
    found = resolve_model(str(option_copy))
    assert (found.path, found.origin) == (option_copy, "--model")


def test_a_hub_id_option_is_looked_up_in_the_cache(isolated_home: Path, tiny_model: Path) -> None:
    put_in_hf_cache(tiny_model, Path(os.environ["HF_HOME"]), "someone/opus-mt-zh-en-finetuned")
    found = resolve_model("someone/opus-mt-zh-en-finetuned")
    assert (found.id, found.revision) == ("someone/opus-mt-zh-en-finetuned", SHA)


@pytest.mark.parametrize(
    ("spec", "words"),
    [("/no/such/folder", "no model folder"), ("not a hub id", "no model folder")],
)
def test_a_bad_model_option_is_model_unavailable(
    isolated_home: Path, spec: str, words: str
) -> None:
    with pytest.raises(ModelUnavailable) as caught:
        resolve_model(spec)
    assert words in caught.value.message


def test_an_incomplete_folder_names_what_is_missing(tiny_model: Path, tmp_path: Path) -> None:
    broken = copy_model(tiny_model, tmp_path / "broken")
    (broken / "target.spm").unlink()
    (broken / "model.safetensors").unlink()
    with pytest.raises(ModelUnavailable) as caught:
        resolve_model(str(broken))
    assert "target.spm" in caught.value.message
    assert "model.safetensors or pytorch_model.bin" in caught.value.message


def test_the_tiny_model_is_recognised_as_a_test_model(tiny_model: Path) -> None:
    assert resolve_model(str(tiny_model)).test_model is True


def test_model_info_says_what_would_be_used(run_cli, tiny_model: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("model", "info", "--model", str(tiny_model))
    assert result.code == 0
    assert f"folder:     {tiny_model}" in result.out
    assert "found by:   --model" in result.out
    assert "revision:   unknown" in result.out
    assert "test model: YES: TEST MODEL – NOT A TRANSLATION" in result.out
    info = json.loads(run_cli("model", "info", "--model", str(tiny_model), "--json").out)
    assert info["test_model"] is True and info["origin"] == "--model"


# --- downloading, against a stubbed hub (no network) ------------------------------------


class StubHub:
    """Stands in for huggingface_hub's HfApi.model_info and snapshot_download."""

    def __init__(self, model_dir: Path, fail: bool = False) -> None:
        self.model_dir = model_dir
        self.fail = fail
        self.calls: list[dict[str, object]] = []

    def model_info(self, repo_id: str, revision: str | None = None, **_: object):  # type: ignore[no-untyped-def]
        if self.fail:
            raise ConnectionError("Name or service not known")
        files = [p.name for p in self.model_dir.iterdir()]
        return SimpleNamespace(sha=SHA, siblings=[SimpleNamespace(rfilename=f) for f in files])

    def snapshot_download(self, repo_id: str, **kwargs: object) -> str:
        self.calls.append({"repo_id": repo_id, **kwargs})
        local_dir = Path(str(kwargs["local_dir"]))
        local_dir.mkdir(parents=True, exist_ok=True)
        patterns = set(kwargs["allow_patterns"])  # type: ignore[call-overload]
        for path in self.model_dir.iterdir():
            if path.name in patterns:
                shutil.copy(path, local_dir / path.name)
        return str(local_dir)


@pytest.fixture
def stub_hub(monkeypatch: pytest.MonkeyPatch, tiny_model: Path, isolated_home: Path) -> StubHub:
    import huggingface_hub

    hub = StubHub(tiny_model)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setattr(huggingface_hub.HfApi, "model_info", hub.model_info)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", hub.snapshot_download)
    return hub


def test_download_fetches_into_briefing_home_and_records_the_revision(
    stub_hub: StubHub,
    isolated_home: Path,
    run_cli,  # type: ignore[no-untyped-def]
) -> None:
    result = run_cli("model", "download")
    assert result.code == 0, result.err
    dest = isolated_home / "models" / "opus-mt-zh-en"
    assert json.loads((dest / METADATA_FILE).read_text())["revision"] == SHA
    assert stub_hub.calls[0]["revision"] == SHA
    # safetensors exists upstream, so the pickle weights are not fetched
    assert "pytorch_model.bin" not in stub_hub.calls[0]["allow_patterns"]  # type: ignore[operator]
    found = resolve_model()
    assert (found.id, found.origin, found.revision) == (HUB_ID, "BRIEFING_HOME", SHA)
    info = run_cli("model", "info")
    assert f"revision:   {SHA}" in info.out and f"model:      {HUB_ID}" in info.out


def test_a_failed_download_leaves_the_existing_model_untouched(
    stub_hub: StubHub, isolated_home: Path, tiny_model: Path
) -> None:
    download_model()
    dest = isolated_home / "models" / "opus-mt-zh-en"
    before = sorted(p.name for p in dest.iterdir())
    stub_hub.fail = True
    with pytest.raises(ModelUnavailable) as caught:
        download_model()
    assert "internet" in caught.value.hint
    assert sorted(p.name for p in dest.iterdir()) == before
    assert not (dest.parent / "opus-mt-zh-en.partial").exists()


def run_offline(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "BRIEFING_HOME": str(home / "home"),
        "HF_HOME": str(home / "hf"),
        "BRIEFING_MODEL": "",
    }
    env.pop("HF_HUB_CACHE", None)
    # --model points at the hub id so the checkout's models/ folder plays no part.
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("model", "info", "--model", HUB_ID),
        ("translate", "seeds/000_161302ac3327b756.txt", "--model", HUB_ID),
        ("model", "download"),
    ],
)
def test_offline_without_a_model_exits_3_with_a_hint(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = run_offline(*args, home=tmp_path)
    assert done.returncode == 3, done.stderr
    lines = done.stderr.strip().splitlines()
    assert lines[-2].startswith("error: ") and HUB_ID in lines[-2]
    assert lines[-1].startswith("hint: ")
    assert done.stdout == ""
