"""Which translation model to use, from where, and fetching it once.

One rule for every command, first match wins:

1. ``--model`` (a folder, or a hub id looked up in the Hugging Face cache);
2. the ``BRIEFING_MODEL`` environment variable (same forms);
3. ``BRIEFING_HOME/models/opus-mt-zh-en/`` (BRIEFING_HOME defaults to the user data
   directory); in a source checkout, the repository's ``models/opus-mt-zh-en/`` too;
4. ``Helsinki-NLP/opus-mt-zh-en`` in the Hugging Face cache (HF_HOME, HF_HUB_CACHE).

Resolution never downloads: a model that is not on this machine is a
`ModelUnavailable` error within seconds, with a hint to run `briefing model download`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.errors import ModelNotFound, ModelUnavailable

HUB_ID = "Helsinki-NLP/opus-mt-zh-en"
MODEL_DIRNAME = "opus-mt-zh-en"
METADATA_FILE = "briefing-model.json"  # written by `briefing model download`
TEST_MODEL_KEY = "briefing_test_model"  # set in config.json of the project's tiny model
SAFETENSORS = "model.safetensors"
PICKLE = "pytorch_model.bin"
TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")
_DOWNLOAD_FILES = (
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "README.md",
    *TOKENIZER_FILES,
)
_HUB_ID_RE = re.compile(r"^[\w.\-]+/[\w.\-]+$")

_MISSING_HINT = (
    "run `briefing model download` once with internet access, or pass --model FOLDER "
    f"(a local copy of {HUB_ID}), or set BRIEFING_MODEL"
)


@dataclass(frozen=True)
class ResolvedModel:
    id: str  # the hub id it came from, or the folder's path
    path: Path  # the local folder holding config, tokenizer and weights
    origin: str  # which rule found it: --model, BRIEFING_MODEL, BRIEFING_HOME, checkout, cache
    revision: str | None  # the hub commit, when known
    weights: str  # the weights file name: model.safetensors or pytorch_model.bin
    test_model: bool  # the project's random-weight test model: output is not a translation

    @property
    def pickle_weights(self) -> bool:
        return self.weights == PICKLE


def briefing_home() -> Path:
    env = os.environ.get("BRIEFING_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("briefing", appauthor=False))


def _checkout_models() -> Path | None:
    """The repository's models/ folder when running from a source checkout."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and (root / "models").is_dir():
        return root / "models"
    return None


def search_folders() -> list[tuple[str, Path]]:
    """The folders rule 3 looks in, in order."""
    folders = [("BRIEFING_HOME", briefing_home() / "models" / MODEL_DIRNAME)]
    checkout = _checkout_models()
    if checkout is not None:
        folders.append(("checkout", checkout / MODEL_DIRNAME))
    return folders


def resolve_model(option: str | None = None) -> ResolvedModel:
    """Find the model to use, without touching the network."""
    if option:
        return _from_spec(option, "--model")
    env = os.environ.get("BRIEFING_MODEL")
    if env:
        return _from_spec(env, "BRIEFING_MODEL")
    for origin, folder in search_folders():
        if (folder / "config.json").is_file():
            return from_folder(folder, origin)
    return _from_cache(HUB_ID, "huggingface cache")


def _from_spec(spec: str, origin: str) -> ResolvedModel:
    path = Path(spec).expanduser()
    if path.exists():
        return from_folder(path, origin)
    if _HUB_ID_RE.match(spec):
        return _from_cache(spec, origin)
    raise ModelUnavailable(
        f"no model folder at {spec} (from {origin})",
        "pass a folder holding config.json, source.spm, target.spm, vocab.json and the "
        "weights, or a hub id such as " + HUB_ID,
    )


def from_folder(folder: Path, origin: str, hub_id: str | None = None) -> ResolvedModel:
    if not folder.is_dir():
        raise ModelUnavailable(f"{folder} is not a folder (from {origin})", _MISSING_HINT)
    missing = [name for name in ("config.json", *TOKENIZER_FILES) if not (folder / name).is_file()]
    if (folder / SAFETENSORS).is_file():
        weights = SAFETENSORS
    elif (folder / PICKLE).is_file():
        weights = PICKLE
    else:
        weights = ""
        missing.append(f"{SAFETENSORS} or {PICKLE}")
    if missing:
        raise ModelUnavailable(
            f"{folder} is not a complete MarianMT model folder: missing {', '.join(missing)}",
            "download it again with `briefing model download`, or point --model at a full copy "
            f"of {HUB_ID}",
        )
    config = _read_json(folder / "config.json")
    metadata = _read_json(folder / METADATA_FILE) if (folder / METADATA_FILE).is_file() else {}
    return ResolvedModel(
        id=str(metadata.get("id") or hub_id or folder),
        path=folder,
        origin=origin,
        revision=metadata.get("revision") or None,
        weights=weights,
        test_model=bool(config.get(TEST_MODEL_KEY, False)),
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelUnavailable(
            f"{path}: cannot read it ({exc})", "download the model again"
        ) from None
    return data if isinstance(data, dict) else {}


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment when asked (HF_HUB_CACHE,
    then HF_HOME/hub, then XDG_CACHE_HOME/huggingface/hub), as huggingface_hub does."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "huggingface" / "hub"


def offline() -> bool:
    """HF_HUB_OFFLINE, read when asked (huggingface_hub reads it once, at import)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in {"1", "on", "yes", "true"}


def _from_cache(repo_id: str, origin: str) -> ResolvedModel:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    try:
        # local_files_only: resolution never touches the network, online or not.
        path = Path(
            str(snapshot_download(repo_id, cache_dir=hf_cache_dir(), local_files_only=True))
        )
    except (LocalEntryNotFoundError, HFValidationError, OSError):
        raise ModelNotFound(
            f"the model {repo_id} is not on this machine (looked in "
            + ", ".join(str(folder) for _, folder in search_folders())
            + f" and the Hugging Face cache {hf_cache_dir()})",
            _MISSING_HINT,
        ) from None
    resolved = from_folder(path, origin, hub_id=repo_id)
    # A cache snapshot's folder name is the commit it was downloaded at.
    return ResolvedModel(
        id=repo_id,
        path=path,
        origin=origin,
        revision=resolved.revision or path.name,
        weights=resolved.weights,
        test_model=resolved.test_model,
    )


def download_model(
    repo_id: str = HUB_ID, revision: str | None = None, home: Path | None = None
) -> ResolvedModel:
    """Fetch the model into BRIEFING_HOME/models/, replacing any earlier copy only on success.

    huggingface_hub shows its download progress on stderr.
    """
    if offline():
        raise ModelUnavailable(
            f"cannot download {repo_id}: Hugging Face offline mode is on (HF_HUB_OFFLINE)",
            "unset HF_HUB_OFFLINE on a machine with internet access, or copy the model folder "
            "and pass it with --model",
        )
    dest = (home or briefing_home()) / "models" / _dirname(repo_id)
    partial = dest.with_name(dest.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        sha = _fetch(repo_id, revision, partial)
        (partial / METADATA_FILE).write_text(
            json.dumps(
                {
                    "id": repo_id,
                    "revision": sha,
                    "downloaded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                },
                indent=1,
            ),
            encoding="utf-8",
        )
        shutil.rmtree(partial / ".cache", ignore_errors=True)
        replace_dir(partial, dest)
    except BaseException:  # failure or Ctrl-C: no half-downloaded folder is left behind
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return from_folder(dest, "BRIEFING_HOME")


def _fetch(repo_id: str, revision: str | None, folder: Path) -> str:
    """Download the files the engine needs into `folder`; return the commit fetched."""
    from huggingface_hub import HfApi, snapshot_download

    try:
        info = HfApi().model_info(repo_id, revision=revision, files_metadata=False)
        files = {sibling.rfilename for sibling in (info.siblings or [])}
        weights = SAFETENSORS if SAFETENSORS in files else PICKLE
        snapshot_download(
            repo_id,
            revision=info.sha,
            local_dir=folder,
            allow_patterns=[*_DOWNLOAD_FILES, weights],
        )
    except (TypeError, AttributeError, NameError, AssertionError):
        raise  # our bugs, not the network's
    except Exception as exc:  # network, auth, missing repo; the HTTP library varies by version
        raise ModelUnavailable(
            f"cannot download {repo_id}: {type(exc).__name__}: {exc}".splitlines()[0],
            "check the internet connection (and HF_ENDPOINT or a proxy if you use one), "
            "or copy the model folder from another machine and pass it with --model",
        ) from None
    return str(info.sha)


def _dirname(repo_id: str) -> str:
    return MODEL_DIRNAME if repo_id == HUB_ID else repo_id.replace("/", "--")


def replace_dir(new: Path, dest: Path) -> None:
    """Swap `new` into place; the old copy is removed only once the new one is there."""
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    new.rename(dest)
    shutil.rmtree(old, ignore_errors=True)
