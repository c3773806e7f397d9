"""Batch runs: folders of reports -> briefings, unattended, again and again.

`run_batch` takes files, folders (searched recursively) and globs, and writes
``OUTDIR/<relative path>.briefing.docx`` for every report it can read:

- **once**: the model is loaded once; the reports are parsed, then translated together in
  chunks (their segments in one policy call, so the engine's length-sorted batches mix
  them), and each chunk's briefings are written as soon as it is done;
- **skip unchanged**: a report whose content hash and settings (tool, model and revision,
  engine, device asked for, beam, segment budget, checks, glossary, retry, memory, fonts)
  match a finished entry of the manifest, and whose briefing is still there, is not redone;
  nor is a report that could not be read, until it changes (``--force`` redoes both). The
  model is loaded only when there is something to do;
- **contained failures**: a report that cannot be read or fails is recorded with its error
  and the rest go on;
- **manifest and index**: ``OUTDIR/manifest.json`` is written atomically after every report;
  ``OUTDIR/index.html`` lists the briefings (title, date, key targets, flags);
- **one run at a time**: a lock file in OUTDIR (pid, host, start) makes an overlapping run
  stop at once (`BatchLocked`, exit 75); the lock of a process that died is taken over.
  A run killed at any point leaves no half-written file (every output is atomic) and a
  rerun finishes the rest.

Events (`BatchEvent`) report start, each file and the end, for progress and JSON logs.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import html
import json
import os
import socket
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from briefing import __version__
from briefing.errors import BriefingError, UsageError
from briefing.model import Briefing, Document, ProgressEvent, SourceInfo, count_by_kind
from briefing.options import GenerateOptions
from briefing.output import atomic_output

FileStatus = Literal["done", "skipped", "failed", "unsupported"]
MANIFEST = "manifest.json"
INDEX = "index.html"
LOCK = ".briefing-batch.lock"
SUFFIX = ".briefing.docx"
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later
CHUNK_SEGMENTS = 400  # reports are translated together up to about this many segments
MANIFEST_VERSION = 1


class BatchLocked(BriefingError):
    """Another batch run holds the output folder."""

    exit_code = EXIT_LOCKED


@dataclass(frozen=True)
class BatchEvent:
    """What a batch run reports: ``start``, ``file`` (with its status) and ``end``."""

    event: Literal["start", "file", "end"]
    data: dict[str, Any]


@dataclass(frozen=True)
class FileEntry:
    """One input of a run, as the manifest records it."""

    path: str  # relative to its input folder (the name, for a file given by itself)
    source: str  # the file as found
    status: FileStatus
    output: str | None = None  # relative to OUTDIR
    sha256: str | None = None
    settings: str | None = None  # the signature of the settings it was made with
    counts: dict[str, Any] = field(default_factory=dict)
    duration_s: float | None = None
    error: str | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class BatchResult:
    outdir: Path
    entries: tuple[FileEntry, ...]

    def count(self, status: FileStatus) -> int:
        return sum(1 for e in self.entries if e.status == status)

    @property
    def exit_code(self) -> int:
        """0 when everything was done (or skipped, or not a report), 1 when some failed."""
        return 1 if self.count("failed") else 0


# --- inputs --------------------------------------------------------------------------------


def supported(path: Path) -> bool:
    """Whether a reader can take this file: by its suffix, or by its first bytes for a
    page or PDF saved without a suffix or as .doc (see `briefing.ingest.readable`)."""
    from briefing.ingest import readable

    return readable(path)


def _unsupported(path: Path) -> str:
    from briefing.ingest import unsupported_hint

    what = f"{path.suffix or 'no suffix'}: not a report format briefing reads"
    hint = unsupported_hint(path.suffix)
    return f"{what}; {hint}" if hint else what


def collect(inputs: Sequence[str]) -> list[tuple[str, Path]]:
    """(relative path, file) for every file of `inputs`: a folder is searched recursively
    (hidden files and our own outputs left out), a glob is expanded, a file is itself.
    The same file twice is listed once."""
    found: dict[Path, str] = {}
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                inside = file.relative_to(path)
                if any(part.startswith(".") for part in inside.parts):
                    continue
                if file.name.endswith(SUFFIX) or file.name in (MANIFEST, INDEX):
                    continue
                found.setdefault(file.resolve(), inside.as_posix())
        elif path.is_file():
            found.setdefault(path.resolve(), path.name)
        elif glob.has_magic(given):
            for match in sorted(glob.glob(given, recursive=True)):
                file = Path(match)
                if file.is_file():
                    found.setdefault(file.resolve(), file.name)
        else:
            raise UsageError(f"{given}: no such file or folder", "check the path (or quote a glob)")
    names: dict[str, int] = {}
    out: list[tuple[str, Path]] = []
    for resolved, name in found.items():
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:  # two inputs with the same relative path: keep both
            stem = Path(name)
            name = str(stem.with_name(f"{stem.stem}-{names[name]}{stem.suffix}"))
        out.append((name, resolved))
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- the lock ------------------------------------------------------------------------------


@contextlib.contextmanager
def locked(outdir: Path) -> Iterator[None]:
    """Hold OUTDIR's lock for the run; a live holder is `BatchLocked`, a dead one's lock
    is taken over."""
    lock = outdir / LOCK
    mine = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                       "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")})  # fmt: skip
    for _attempt in range(2):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(lock)
            if holder is not None and _alive(holder):
                raise BatchLocked(
                    f"{outdir} is in use by another batch run (pid {holder.get('pid')} on "
                    f"{holder.get('host')}, started {holder.get('started')})",
                    "wait for it to finish, or pass another -o",
                ) from None
            lock.unlink(missing_ok=True)  # its run died: take it over
            continue
        with os.fdopen(fd, "w") as handle:
            handle.write(mine)
        break
    else:
        raise BatchLocked(f"{outdir}: cannot take the lock {lock}", "try again")
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


def _holder(lock: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(lock.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # half-written by a run that died while taking it
    return data if isinstance(data, dict) else None


def _alive(holder: dict[str, Any]) -> bool:
    if holder.get("host") != socket.gethostname():
        return True  # another machine's run: its pid cannot be checked from here
    pid = holder.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the manifest --------------------------------------------------------------------------


def read_manifest(outdir: Path) -> dict[str, FileEntry]:
    """The entries of an earlier run, by relative path (none when there is no manifest or
    it cannot be read: then everything is redone)."""
    path = outdir / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entries: dict[str, FileEntry] = {}
    for item in data.get("files", []) if isinstance(data, dict) else []:
        try:
            entry = FileEntry(**item)
        except TypeError:
            continue
        entries[entry.path] = entry
    return entries


def write_manifest(outdir: Path, entries: Sequence[FileEntry], settings: str) -> None:
    payload = {
        "version": MANIFEST_VERSION,
        "briefing": __version__,
        "settings": settings,
        "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "files": [entry.__dict__ for entry in sorted(entries, key=lambda e: e.path)],
    }
    with atomic_output(outdir / MANIFEST) as temporary:
        temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")  # fmt: skip


# --- the run -------------------------------------------------------------------------------


def run_batch(
    inputs: Sequence[str],
    outdir: Path,
    options: GenerateOptions | None = None,
    translator: Any = None,
    *,
    force: bool = False,
    chunk_segments: int | None = None,
    on_event: Callable[[BatchEvent], None] | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    executor: Any = None,
) -> BatchResult:
    """Briefings of every report of `inputs` in `outdir` (see the module docstring).

    `executor` (e.g. `briefing.distributed.RayExecutor`) takes the engine's work off this
    machine: `executor.opened(engine, translation, on_progress)` wraps the engine for the run.
    Everything else (parsing, the memory, checks, rendering, the manifest) stays here."""
    from briefing.pipeline import open_translator, opened_memory, read_glossary
    from briefing.translate.resolve import resolve_model

    options = options or GenerateOptions()
    translation = options.translation
    if executor is not None:
        executor.check()  # e.g. Ray missing: a usage error before anything is written
    if chunk_segments is None:
        chunk_segments = getattr(executor, "chunk_segments", CHUNK_SEGMENTS)
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir} is a file, not a folder", "pass a folder with -o")
    files = collect(inputs)  # a bad input path is a usage error before anything is written
    glossary = read_glossary(translation)  # so is a bad glossary
    # a missing model is exit 3 with nothing written; it is loaded only if there is work
    model = resolve_model(translation.model) if translator is None else None
    settings = _settings(translator, model, glossary, options)
    outdir.mkdir(parents=True, exist_ok=True)
    emit = on_event or (lambda event: None)
    with locked(outdir), opened_memory(translation) as memory, contextlib.ExitStack() as stack:
        previous = read_manifest(outdir)
        entries: dict[str, FileEntry] = {}
        pending: list[tuple[str, Path, str]] = []  # relative, file, hash
        first_of: dict[str, str] = {}
        emit(BatchEvent("start", {"files": len(files), "outdir": str(outdir)}))
        for relative, file in files:
            if not supported(file):
                entries[relative] = FileEntry(relative, str(file), "unsupported",
                                              error=_unsupported(file))  # fmt: skip
                emit(BatchEvent("file", entries[relative].__dict__))
                continue
            try:
                digest = _sha256(file)
            except OSError as exc:
                entries[relative] = FileEntry(relative, str(file), "failed",
                                              error=f"cannot read it: {exc.strerror}")  # fmt: skip
                emit(BatchEvent("file", entries[relative].__dict__))
                continue
            done = previous.get(relative)
            output = outdir / (relative + SUFFIX)
            finished = (
                done is not None
                and done.sha256 == digest
                and (
                    (done.status in ("done", "skipped") and output.is_file())
                    or (done.status == "failed" and done.settings == settings)  # it would again
                )
            )
            if not force and finished and done is not None and done.settings == settings:
                status: FileStatus = "failed" if done.status == "failed" else "skipped"
                entries[relative] = replace(done, source=str(file), status=status,
                                            duration_s=0.0)  # fmt: skip
                emit(BatchEvent("file", entries[relative].__dict__))
                continue
            pending.append((relative, file, digest))
        for previous_entry in previous.values():  # keep what this run was not given
            entries.setdefault(previous_entry.path, previous_entry)
        if pending and translator is None:
            # with an executor the engine here only counts tokens: its weights stay unloaded
            here = translation if executor is None else executor.driver_options(translation)
            translator = open_translator(here, model)
            if executor is not None:
                translator = stack.enter_context(executor.opened(translator, translation,
                                                                 on_progress))  # fmt: skip
        write_manifest(outdir, list(entries.values()), settings)
        for chunk in _chunks(pending, translation, chunk_segments):
            for entry in _run_chunk(chunk, outdir, options, translator, glossary, memory,
                                    settings, first_of, on_progress):  # fmt: skip
                entries[entry.path] = entry
                write_manifest(outdir, list(entries.values()), settings)
                emit(BatchEvent("file", entry.__dict__))
        write_index(outdir, list(entries.values()))
        result = BatchResult(outdir, tuple(entries[r] for r, _ in files))
        emit(BatchEvent("end", {s: result.count(s) for s in ("done", "skipped", "failed",
                                                           "unsupported")}))  # fmt: skip
    return result


def _settings(translator: Any, model: Any, glossary: Any, options: GenerateOptions) -> str:
    """What a briefing is made with, known before the model is loaded (so that a rerun
    with nothing to do loads none): tool, model and revision, engine, device asked for,
    decoding, segment budget, checks, glossary, retry, memory and fonts."""
    from briefing.checks import CHECKS_VERSION

    t = options.translation
    if translator is not None:
        info = translator.describe()
        model_id, revision, engine, test = (info.model_id, info.model_revision, info.engine,
                                            info.test_model)  # fmt: skip
    else:
        model_id, revision, test = model.id, model.revision, model.test_model
        engine = _planned_engine(t, model)
    return "|".join([
        f"briefing:{__version__}", f"model:{model_id}@{revision or 'unknown'}",
        f"engine:{engine}", f"device:{t.device}", f"beam:{t.beam_size}",
        f"segtok:{t.max_segment_tokens}", f"checks:{CHECKS_VERSION}",
        f"glossary:{glossary.digest if glossary is not None else 'none'}",
        f"retry:{'on' if t.retry else 'off'}", f"memory:{'on' if t.memory else 'off'}",
        f"fonts:{options.fonts.cjk},{options.fonts.latin}",
        *(["test-model"] if test else []),
    ])  # fmt: skip


def _planned_engine(options: Any, model: Any) -> str:
    """The engine `--engine` will give for this model (auto: CTranslate2 when converted)."""
    if options.engine == "transformers":
        return "transformers"
    from briefing.translate.ct2 import ct2_available, find_conversion

    return "ctranslate2" if ct2_available() and find_conversion(model) else "transformers"


@dataclass
class _Parsed:
    relative: str
    file: Path
    digest: str
    started: float
    document: Document | None = None
    error: str | None = None


def _chunks(
    pending: Sequence[tuple[str, Path, str]], translation: Any, limit: int
) -> Iterator[list[_Parsed]]:
    """The pending reports, parsed, in groups of about `limit` segments' worth of text (a
    report that cannot be parsed is its own group, to be recorded as failed)."""
    from briefing.pipeline import parse_file

    chunk: list[_Parsed] = []
    size = 0
    for relative, file, digest in pending:
        parsed = _Parsed(relative, file, digest, time.monotonic())
        try:
            parsed.document = parse_file(file, translation.max_chars)
        except BriefingError as exc:
            parsed.error = exc.message
        except Exception as exc:
            parsed.error = f"unexpected {type(exc).__name__}: {exc}"
        if parsed.document is None:
            yield [parsed]
            continue
        chunk.append(parsed)
        size += sum(len(p.zh) for p in parsed.document.paragraphs()) // 40 + 1  # ~segments
        if size >= limit:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _run_chunk(
    chunk: list[_Parsed],
    outdir: Path,
    options: GenerateOptions,
    translator: Any,
    glossary: Any,
    memory: Any,
    settings: str,
    first_of: dict[str, str],
    on_progress: Callable[[ProgressEvent], None] | None,
) -> Iterator[FileEntry]:
    from briefing.errors import ModelUnavailable
    from briefing.pipeline import brief, translate_documents, write_briefing

    failed = [p for p in chunk if p.document is None]
    for parsed in failed:
        # the input itself is bad: not tried again until it changes (or --force)
        yield _failed(parsed, parsed.error or "cannot be read", settings)
    good = [p for p in chunk if p.document is not None]
    if not good:
        return
    documents = [p.document for p in good if p.document is not None]
    try:
        results, use = translate_documents(documents, glossary, options.translation,
                                           translator, memory, on_progress=on_progress)  # fmt: skip
    except ModelUnavailable:
        raise  # the model itself: every report would fail the same way
    except Exception as exc:
        if len(good) == 1:
            yield _failed(good[0], _reason(exc))
            return
        for parsed in good:  # one of them broke the batch: try each alone
            yield from _run_chunk([parsed], outdir, options, translator, glossary, memory,
                                  settings, first_of, on_progress)  # fmt: skip
        return
    for parsed, done in zip(good, results, strict=True):
        output = outdir / (parsed.relative + SUFFIX)
        try:
            source = SourceInfo(file=str(parsed.file), name=options.source_name,
                                date=options.source_date, url=options.source_url)  # fmt: skip
            briefing = brief(done, use, memory, source, options.translation)
            write_briefing(briefing, output, options.fonts)
        except ModelUnavailable:
            raise
        except Exception as exc:
            yield _failed(parsed, _reason(exc))
            continue
        duplicate = first_of.setdefault(parsed.digest, parsed.relative)
        yield FileEntry(
            parsed.relative, str(parsed.file), "done", output=output.relative_to(outdir).as_posix(),
            sha256=parsed.digest, settings=settings, counts=_counts(briefing),
            duration_s=round(time.monotonic() - parsed.started, 3),
            duplicate_of=duplicate if duplicate != parsed.relative else None,
        )  # fmt: skip


def _reason(exc: Exception) -> str:
    if isinstance(exc, BriefingError):
        return exc.message
    return f"unexpected {type(exc).__name__}: {exc}"


def _failed(parsed: _Parsed, error: str, settings: str | None = None) -> FileEntry:
    return FileEntry(parsed.relative, str(parsed.file), "failed", sha256=parsed.digest,
                     settings=settings, duration_s=round(time.monotonic() - parsed.started, 3),
                     error=error)  # fmt: skip


def _counts(briefing: Briefing) -> dict[str, Any]:
    summary = briefing.summary
    key = summary.targets[:3] if summary else ()
    reviewed = sum(1 for s in briefing.segments if s.status in ("edited", "approved"))
    return {
        "title": briefing.document.title,
        "date": briefing.source.date,
        "paragraphs": sum(1 for _ in briefing.document.paragraphs()),
        "targets": len(summary.targets) if summary else 0,
        "measures": len(summary.measures) if summary else 0,
        "key_targets": [f"{t.display} {t.counted_zh or ''}".strip() for t in key],
        "flags": dict(count_by_kind(briefing.flags)),
        "reviewed_segments": reviewed,
        "test_model": briefing.engine.test_model,
    }


# --- the index -----------------------------------------------------------------------------


def write_index(outdir: Path, entries: Sequence[FileEntry]) -> None:
    """OUTDIR/index.html: every briefing with its title, date, key targets and flags, and
    what failed; one self-contained page, readable offline."""
    rows = []
    for entry in sorted(entries, key=lambda e: e.path):
        c = entry.counts
        e = html.escape
        if entry.status in ("done", "skipped") and entry.output:
            flags = ", ".join(f"{k} {v}" for k, v in c.get("flags", {}).items()) or "none"
            targets = "<br>".join(e(t) for t in c.get("key_targets", []))
            link = f'<a href="{e(entry.output)}">{e(c.get("title") or entry.path)}</a>'
            rows.append(f"<tr><td>{link}<br><small>{e(entry.path)}</small></td>"
                        f"<td>{e(str(c.get('date') or ''))}</td><td>{targets}</td>"
                        f"<td>{c.get('targets', 0)}</td><td>{e(flags)}</td>"
                        f"<td>{e(entry.status)}</td></tr>")  # fmt: skip
        else:
            rows.append(f"<tr class='{e(entry.status)}'><td>{e(entry.path)}</td><td></td>"
                        f"<td colspan='3'>{e(entry.error or '')}</td>"
                        f"<td>{e(entry.status)}</td></tr>")  # fmt: skip
    test_model = any(e.counts.get("test_model") for e in entries)
    notice = ("<p><strong>TEST MODEL – NOT A TRANSLATION</strong>: briefings made with the "
              "project's random-weight test model.</p>") if test_model else ""  # fmt: skip
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Briefings</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;vertical-align:top}}
tr.failed td{{background:#fce4d6}}tr.unsupported td{{color:#777}}
td{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif}}</style></head><body>
<h1>Briefings</h1>{notice}
<p>Machine translation, not reviewed unless the briefing says so. Updated
{html.escape(time.strftime("%Y-%m-%d %H:%M"))}.</p>
<table><tr><th>Briefing</th><th>Date</th><th>Key targets</th><th>Targets</th><th>Flags</th>
<th>Status</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    with atomic_output(outdir / INDEX) as temporary:
        temporary.write_text(page, encoding="utf-8")
