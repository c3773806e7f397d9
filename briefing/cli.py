"""The command-line interface: parses options, calls the library, reports errors.

stdout carries only what was asked for; messages go to stderr. A `BriefingError`
becomes two lines (``error: …`` / ``hint: …``) and its exit code.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
import sys
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from briefing import __version__
from briefing.errors import (
    EXIT_BAD_INPUT,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    BriefingError,
    Terminated,
    UsageError,
)
from briefing.model import Fonts
from briefing.options import TranslationOptions

if TYPE_CHECKING:
    from briefing.progress import ProgressPrinter

F = TypeVar("F", bound=Callable[..., Any])


class _StderrHandler(logging.Handler):
    """Log records as ``level: message`` on whatever stderr is when they are emitted."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{record.levelname.lower()}: {record.getMessage()}", err=True)


def _configure_logging(level: int) -> None:
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _StderrHandler)]:
        root.removeHandler(handler)
    root.addHandler(_StderrHandler())
    root.setLevel(level)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="briefing")
@click.option("-q", "--quiet", is_flag=True, help="Print no progress or warnings, only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Log details to stderr.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """Turn Chinese official and press reports into English briefings."""
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet
    level = logging.WARNING if not verbose else logging.DEBUG
    if quiet:
        level = logging.ERROR
    _configure_logging(level)


def _max_chars_option(func: F) -> F:
    from briefing.options import MAX_CHARS

    return click.option(
        "--max-chars", type=click.IntRange(min=0), default=MAX_CHARS, show_default=True,
        help="Refuse a longer report before reading it (0 for no limit).",
    )(func)  # fmt: skip


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the parse as JSON on stdout.")
@_max_chars_option
def parse(input_path: Path, as_json: bool, max_chars: int) -> None:
    """Show the structure found in a report (.txt, .docx, a saved web page or a PDF).

    \b
    Example:
      briefing parse seeds/000_161302ac3327b756.txt --json
    """
    from briefing.pipeline import parse_file
    from briefing.present import document_json, outline

    document = parse_file(input_path, max_chars)
    if as_json:
        click.echo(json.dumps(document_json(document), ensure_ascii=False, indent=1))
    else:
        click.echo(outline(document))


def translation_options(func: F) -> F:
    """The options of every command that translates, read into one `TranslationOptions`
    (passed as `translation`), so they mean the same everywhere, default once and are
    checked once (by `TranslationOptions`, whose errors carry a hint)."""
    from briefing.options import DEFAULTS, DEVICE_CHOICES, ENGINE_CHOICES, TranslationOptions

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        given = {name: kwargs.pop(name) for name in _TRANSLATION_PARAMS}
        kwargs["translation"] = TranslationOptions(
            model=given["model_spec"],
            engine=given["engine"],
            device=given["device"],
            beam_size=given["beam_size"],
            batch_size=given["batch_size"],
            max_segment_tokens=given["max_segment_tokens"],
            max_batch_tokens=given["max_batch_tokens"],
            translators=given["translators"],
            threads=given["threads"],
            allow_pickle=given["allow_pickle"],
            glossary=not given["no_glossary"],
            glossaries=tuple(given["glossaries"]),
            retry=not given["no_retry"],
            max_chars=given["max_chars"],
            memory=not given["no_memory"],
            memory_path=given["memory_path"],
        )
        return func(*args, **kwargs)

    d = DEFAULTS
    options = [
        click.option("--model", "model_spec", metavar="ID|FOLDER",
                     help="Model folder or hub id (default: BRIEFING_MODEL, then BRIEFING_HOME, "
                     "then the Hugging Face cache)."),
        click.option("--device", type=click.Choice(DEVICE_CHOICES), default=d.device,
                     show_default=True, help="Where the model runs."),
        click.option("--beam-size", type=int, default=d.beam_size,
                     show_default=True, help="Beam search width."),
        click.option("--batch-size", type=int, default=d.batch_size,
                     show_default=True, help="Segments per batch (transformers)."),
        click.option("--max-segment-tokens", type=int,
                     default=d.max_segment_tokens, show_default=True,
                     help="Longer sentences are split at clause boundaries to fit."),
        click.option("--allow-pickle", is_flag=True,
                     help="Load pickle weights (pytorch_model.bin) when no model.safetensors "
                     "exists."),
        click.option("--engine", type=click.Choice(ENGINE_CHOICES), default=d.engine,
                     show_default=True,
                     help="ctranslate2 needs `briefing model convert` first; auto uses it when "
                     "a conversion of this model and revision exists."),
        click.option("--max-batch-tokens", type=int,
                     default=d.max_batch_tokens, show_default=True,
                     help="CTranslate2: padded source tokens per batch."),
        click.option("--translators", type=int, default=d.translators,
                     help="CTranslate2: model replicas working in parallel (default: one per "
                     "core)."),
        click.option("--threads", type=int, default=d.threads,
                     show_default=True, help="CTranslate2: threads per replica."),
        _glossary_file_option(),
        click.option("--no-retry", is_flag=True,
                     help="Do not translate flagged segments a second time with safer "
                     "decoding."),
        click.option("--no-glossary", is_flag=True,
                     help="Do not protect glossary terms and names (numbers are still written "
                     "out)."),
        _max_chars_option,
        _memory_path_option(),
        click.option("--no-memory", is_flag=True,
                     help="Do not consult or fill the translation memory."),
    ]  # fmt: skip
    for option in reversed(options):
        wrapper = option(wrapper)
    return cast(F, wrapper)


def _glossary_file_option() -> Callable[[F], F]:
    """`--glossary FILE.tsv`, the same for every command that reads terms."""
    return click.option("--glossary", "glossaries", multiple=True,
                        type=click.Path(path_type=Path), metavar="FILE.tsv",
                        help="Your own terms (zh, en, note, source[, variants]), after the "
                        "shipped glossary; repeatable, later files win.")  # fmt: skip


_TRANSLATION_PARAMS = ("model_spec", "engine", "device", "beam_size", "batch_size",
                       "max_segment_tokens", "max_batch_tokens", "translators", "threads",
                       "allow_pickle", "glossaries", "no_retry", "no_glossary",
                       "max_chars", "memory_path", "no_memory")  # fmt: skip


def _memory_path_option() -> Callable[[F], F]:
    """--memory PATH, the same for every command that reads or writes the memory."""
    return click.option(
        "--memory", "memory_path", type=click.Path(path_type=Path), metavar="PATH",
        help="The translation memory file (default: BRIEFING_MEMORY, then "
        "$BRIEFING_HOME/memory.sqlite).",
    )  # fmt: skip


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print segments as JSON on stdout.")
@translation_options
@click.pass_context
def translate(
    ctx: click.Context, /, input_path: Path, as_json: bool, translation: TranslationOptions
) -> None:
    """Translate a report sentence by sentence and print Chinese and English.

    \b
    Example:
      briefing translate seeds/000_161302ac3327b756.txt --json
    """
    from briefing.pipeline import translate_document
    from briefing.present import segments_text, translate_json

    with _progress(ctx) as progress:
        done = translate_document(input_path, translation, on_progress=progress)
    if as_json:
        payload = translate_json(done.segments, done.engine, done.model,
                                 translation.max_segment_tokens)  # fmt: skip
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(segments_text(done.segments, done.engine.test_model)))


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Where to write the .docx (default: INPUT's name + .briefing.docx, beside it).",
)
@click.option("--source-name", help="The publication or issuer, e.g. 'Yancheng Daily'.")
@click.option("--source-date", help="The report's date, e.g. 2025-05-08 (default: found in it).")
@click.option("--source-url", help="Where the report was published.")
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    help="Also write every segment (id, zh, en, flags) to this JSON file.",
)
@click.option("--cjk-font", default=Fonts.cjk, show_default=True, help="Font for Chinese text.")
@click.option("--latin-font", default=Fonts.latin, show_default=True, help="Font for English text.")
@translation_options
@click.pass_context
def generate(
    ctx: click.Context,
    /,
    input_path: Path,
    output: Path | None,
    source_name: str | None,
    source_date: str | None,
    source_url: str | None,
    report: Path | None,
    cjk_font: str,
    latin_font: str,
    translation: TranslationOptions,
) -> None:
    """Write a side-by-side Chinese/English Word briefing of a report.

    \b
    Example:
      briefing generate seeds/000_161302ac3327b756.txt -o out/briefing.docx
    """
    from briefing.options import GenerateOptions
    from briefing.pipeline import generate as run
    from briefing.present import checks_line

    options = GenerateOptions(translation, source_name, source_date, source_url, report,
                              Fonts(cjk=cjk_font, latin=latin_font))  # fmt: skip
    with _progress(ctx) as progress:
        done = run(input_path, output, options, on_progress=progress)
    if not ctx.obj.get("quiet"):
        click.echo(f"wrote {done.output}" + (f" and {done.report}" if done.report else ""),
                   err=True)  # fmt: skip
        click.echo(f"checks: {checks_line(done.briefing)}", err=True)


@cli.command()
@click.argument("pairs_path", metavar="PAIRS.jsonl", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line of flags per pair.")
@click.option(
    "--fail-on-flags", is_flag=True, help="Exit 1 when any pair is flagged (for scripts and CI)."
)
@_glossary_file_option()
@click.option("--no-glossary", is_flag=True, help="Do not check glossary terms (term_missing).")
def qa(
    pairs_path: Path,
    as_json: bool,
    fail_on_flags: bool,
    glossaries: tuple[Path, ...],
    no_glossary: bool,
) -> None:
    """Check translations you already have: one {"id", "zh", "en"} JSON object per line.

    Runs the checks of the briefing (numbers, omitted clauses, glossary terms, loops,
    untranslated or empty English) on each pair. The shipped glossary is used unless
    --no-glossary is given; --glossary adds your own terms. Exits 0 whether or not anything
    is flagged, unless --fail-on-flags is given; 2 for input it cannot read, with the line
    number.

    \b
    Example:
      briefing qa pairs.jsonl --json --fail-on-flags
      briefing qa pairs.jsonl --glossary my-terms.tsv
    """
    from briefing.pipeline import check_pairs_file
    from briefing.present import qa_json, qa_text

    done = check_pairs_file(pairs_path, glossary=not no_glossary, glossaries=glossaries)
    if as_json:
        for line in qa_json(done.results):
            click.echo(json.dumps(line, ensure_ascii=False))
    else:
        click.echo("\n".join(qa_text(done.results)))
    if fail_on_flags and any(flags for _, flags in done.results):
        sys.exit(EXIT_ERROR)


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print targets and people as JSON.")
@translation_options
@click.pass_context
def targets(
    ctx: click.Context, /, input_path: Path, as_json: bool, translation: TranslationOptions
) -> None:
    """List the quantitative targets a report states, and the people in it.

    Works without a model (English descriptions are then null); with one, the target's
    clause and what it counts are machine-translated. Numbers always come from the parser.

    \b
    Example:
      briefing targets seeds/000_161302ac3327b756.txt --json
    """
    from briefing.pipeline import summarize_document
    from briefing.present import targets_json, targets_text

    with _progress(ctx) as progress:
        done = summarize_document(input_path, translation, on_progress=progress)
    test_model = done.engine is not None and done.engine.test_model
    if as_json:
        click.echo(json.dumps(targets_json(done.summary, test_model), ensure_ascii=False,
                              indent=1))  # fmt: skip
    else:
        click.echo("\n".join(targets_text(done.summary, test_model)))


def _progress(ctx: click.Context) -> ProgressPrinter:
    from briefing.progress import ProgressPrinter

    return ProgressPrinter(quiet=bool(ctx.obj.get("quiet")))


@cli.group()
def glossary() -> None:
    """Check a glossary of your own terms before you use it with --glossary."""


@glossary.command("check")
@click.argument("path", metavar="FILE.tsv", type=click.Path(path_type=Path))
def glossary_check(path: Path) -> None:
    """Report every problem of a glossary file, with its line number.

    A glossary is UTF-8 TSV with the header zh, en, note, source. Problems: a missing
    header, a wrong number of fields, an empty zh or en, no source (name the public
    document, or write 'unverified'), a term listed twice, or two renderings of one term.
    Exits 0 when the file is good, 2 when it has problems.

    \b
    Example:
      briefing glossary check my-terms.tsv
    """
    from briefing.errors import InputError
    from briefing.glossary import check_lines, glossary_lines

    terms, problems = check_lines(glossary_lines(path), str(path))
    for problem in problems:
        click.echo(f"{path}:{problem.line}: {problem.message}")
    if problems:
        n = len(problems)
        raise InputError(f"{path}: {n} problem{'s' if n > 1 else ''}, each listed with its line",
                         "fix the lines listed, then check the file again")  # fmt: skip
    unverified = sum(1 for t in terms if not t.verified)
    click.echo(f"{path}: {len(terms)} terms, {unverified} unverified (not enforced)", err=True)


@cli.group()
def model() -> None:
    """See which translation model is used, and download it."""


@model.command("info")
@click.option("--model", "model_spec", metavar="ID|FOLDER", help="Model folder or hub id.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON on stdout.")
def model_info(model_spec: str | None, as_json: bool) -> None:
    """Say which model would be used, from where, its revision, and whether it is a test model.

    \b
    Example:
      briefing model info
    """
    from briefing.present import TEST_MODEL_MARKER, model_json
    from briefing.translate.resolve import resolve_model

    resolved = resolve_model(model_spec)
    if as_json:
        click.echo(json.dumps(model_json(resolved), ensure_ascii=False, indent=1))
        return
    test = f"YES: {TEST_MODEL_MARKER}" if resolved.test_model else "no"
    weights = resolved.weights + (
        " (pickle: needs --allow-pickle)" if resolved.pickle_weights else ""
    )
    for label, value in (
        ("model", resolved.id),
        ("folder", str(resolved.path)),
        ("found by", resolved.origin),
        ("revision", resolved.revision or "unknown"),
        ("weights", weights),
        ("test model", test),
    ):
        click.echo(f"{label + ':':<12}{value}")


@model.command("convert")
@click.option("--model", "model_spec", metavar="ID|FOLDER", help="Model folder or hub id.")
@click.option(
    "--quantization",
    type=click.Choice(["int8", "float32", "int8_float16", "float16"]),
    default="int8",
    show_default=True,
    help="Weight type of the conversion (int8 for CPUs).",
)
def model_convert(model_spec: str | None, quantization: str) -> None:
    """Convert the model for the faster CTranslate2 engine, into BRIEFING_HOME.

    The conversion records the model id and revision it came from; `--engine auto`
    (the default) uses it only for that model at that revision.

    \b
    Example:
      briefing model convert
    """
    from briefing.translate.ct2 import convert_model
    from briefing.translate.resolve import resolve_model

    resolved = resolve_model(model_spec)
    click.echo(f"converting {resolved.id} ({quantization})…", err=True)
    folder = convert_model(resolved, quantization)
    click.echo(f"converted {resolved.id} at {resolved.revision or 'unknown'} to {folder}", err=True)


@model.command("download")
@click.option(
    "--model",
    "repo_id",
    metavar="ID",
    default=None,
    help="Hub id to fetch (default: Helsinki-NLP/opus-mt-zh-en).",
)
@click.option("--revision", default=None, help="A branch, tag or commit (default: main).")
def model_download(repo_id: str | None, revision: str | None) -> None:
    """Fetch the model once into BRIEFING_HOME, for offline use afterwards.

    \b
    Example:
      briefing model download
    """
    from briefing.translate.resolve import HUB_ID, download_model

    resolved = download_model(repo_id or HUB_ID, revision=revision)
    click.echo(f"downloaded {resolved.id} at {resolved.revision} to {resolved.path}", err=True)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUTS...")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(path_type=Path),
              metavar="OUTDIR", help="The folder for the briefings, manifest.json and index.html.")
@click.option("--force", is_flag=True, help="Redo every report, changed or not.")
@click.option("--log-json", type=click.Path(path_type=Path), metavar="FILE",
              help="Append one JSON object per event (start, each file, end) to FILE; - for "
              "stdout.")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local",
              show_default=True,
              help="ray: translate on a pool of Ray actors (pip install 'briefing[ray]').")
@click.option("--address", metavar="auto|ray://HOST:PORT",
              help="Ray: the cluster to use (default: a Ray instance on this machine, started "
              "for the run).")
@click.option("--actors", type=int, default=None,
              help="Ray: actors in the pool, each with one loaded engine  [default: 1]")
@click.option("--gpus-per-actor", type=float, default=None,
              help="Ray: GPUs for each actor (0.5 shares one between two)  [default: 0]")
@click.option("--cpus-per-actor", type=float, default=None,
              help="Ray: CPUs for each actor, and its engine's threads  [default: 1]")
@translation_options
@click.pass_context
def batch(
    ctx: click.Context,
    /,
    inputs: tuple[str, ...],
    outdir: Path,
    force: bool,
    log_json: Path | None,
    executor: str,
    address: str | None,
    actors: int | None,
    gpus_per_actor: float | None,
    cpus_per_actor: float | None,
    translation: TranslationOptions,
) -> None:
    """Write briefings of every report in folders (recursively), globs and files.

    The model is loaded once and the reports are translated together; a report whose
    content and settings have not changed since the last run is skipped; a report that
    fails is recorded and the rest go on. OUTDIR gets <relative path>.briefing.docx for
    each report, manifest.json and index.html. Exit 0 when all are done, 1 when some
    failed, 3 without a model (nothing written), 75 when another run holds OUTDIR.

    With --executor ray the reports are still read, checked and written here; only the
    translation goes to the actors, and the model must be readable at the same path on
    every node.

    \b
    Examples:
      briefing batch inbox/ -o briefings/ --engine ctranslate2
      briefing batch inbox/ -o briefings/ --executor ray --address auto --actors 4 \\
          --gpus-per-actor 1
    """
    from briefing.batch import run_batch
    from briefing.options import GenerateOptions

    ray_given = {"--address": address, "--actors": actors, "--gpus-per-actor": gpus_per_actor,
                 "--cpus-per-actor": cpus_per_actor}  # fmt: skip
    pool: Any = None
    if executor == "ray":
        from briefing.distributed import RayExecutor, RayOptions

        given: dict[str, Any] = {"address": address, "actors": actors,
                                 "gpus_per_actor": gpus_per_actor,
                                 "cpus_per_actor": cpus_per_actor}  # fmt: skip
        pool = RayExecutor(RayOptions(**{k: v for k, v in given.items() if v is not None}))
    elif any(value is not None for value in ray_given.values()):
        named = ", ".join(k for k, v in ray_given.items() if v is not None)
        raise UsageError(f"{named}: only with --executor ray", "add --executor ray")
    quiet = bool(ctx.obj.get("quiet"))
    progress = _progress(ctx)
    with progress, _event_log(log_json, quiet, progress) as on_event:
        result = run_batch(list(inputs), outdir, GenerateOptions(translation), force=force,
                           on_event=on_event, on_progress=progress,
                           executor=pool)  # fmt: skip
    if not quiet:
        counts = ", ".join(f"{result.count(s)} {s}" for s in ("done", "skipped", "failed",
                                                               "unsupported"))  # fmt: skip
        click.echo(f"batch: {counts}; {outdir / 'index.html'}", err=True)
    if result.exit_code:
        sys.exit(result.exit_code)


@contextlib.contextmanager
def _event_log(
    path: Path | None, quiet: bool, progress: ProgressPrinter
) -> Iterator[Callable[[Any], None]]:
    """The batch's events: a line per file on stderr, numbered out of the files found
    ("[3/20]"), and JSON lines to `path`. A segment bar being drawn is ended first, so a
    file's line never lands on it."""
    handle = None
    if path is not None:
        handle = sys.stdout if str(path) == "-" else path.open("a", encoding="utf-8")
    files, seen = 0, 0

    def on_event(event: Any) -> None:
        nonlocal files, seen
        if event.event == "start":
            files = event.data["files"]
        if event.event == "file" and not quiet:
            seen += 1
            d = event.data
            why = f": {d['error']}" if d.get("error") else ""
            took = f" ({d['duration_s']:.1f} s)" if d.get("duration_s") else ""
            progress.close()
            click.echo(f"batch: [{seen}/{files}] {d['status']} {d['path']}{took}{why}",
                       err=True)  # fmt: skip
        if handle is not None:
            line = {"event": event.event, "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    **event.data}  # fmt: skip
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
            handle.flush()

    try:
        yield on_event
    finally:
        if handle is not None and handle is not sys.stdout:
            handle.close()


@cli.command("import-review")
@click.argument("docx_path", metavar="EDITED.docx", type=click.Path(path_type=Path))
@click.option("--approve", is_flag=True,
              help="Approve every paragraph of the file, edited or not.")  # fmt: skip
@click.option("--reviewer", metavar="NAME", help="Who reviewed it (default: the OS user).")
@_memory_path_option()
@click.pass_context
def import_review(
    ctx: click.Context,
    /,
    docx_path: Path,
    approve: bool,
    reviewer: str | None,
    memory_path: Path | None,
) -> None:
    """Store in the translation memory what a reviewer changed in a briefing in Word.

    Reads the briefing as Word saved it, matches each paragraph row by its id and its
    Chinese, and stores every changed English as edited (a row whose Status was set to
    approved, or every row with --approve, as approved). Prints one line per paragraph
    stored; a file that is not a briefing, or whose Chinese was changed, is refused and
    nothing is stored. The next generate or translate uses the reviewer's English.

    \b
    Example:
      briefing import-review report.briefing.docx --reviewer "Li Ming"
    """
    from briefing.pipeline import import_review as run

    report = run(docx_path, memory_path, reviewer=reviewer, approve=approve)
    for outcome in report.outcomes:
        keys = ",".join(key[:12] for key in outcome.keys)
        click.echo(f"{outcome.unit}\t{outcome.action}\t{outcome.detail}\t{keys}")
    if not ctx.obj.get("quiet"):
        for warning in report.warnings:
            click.echo(f"warning: {warning}", err=True)
        edited = sum(1 for o in report.outcomes if o.action.startswith("edited"))
        whole = sum(1 for o in report.outcomes if "whole paragraph" in o.detail)
        approved = sum(1 for o in report.outcomes if "approved" in o.action)
        click.echo(f"import-review: {edited} paragraph{'s' if edited != 1 else ''} edited"
                   + (f" ({whole} stored for the whole paragraph)" if whole else "")
                   + f", {approved} approved, {report.unchanged} unchanged", err=True)  # fmt: skip


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="The port to serve on (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to serve on; another than loopback needs --token-file.")
@click.option("--token-file", type=click.Path(path_type=Path), metavar="FILE",
              help="Read the token from FILE (made, mode 0600, with a random one if it does "
              "not exist) instead of a random one per run.")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@click.option("--reviewer", metavar="NAME", help="Who reviews (default: the OS user).")
@translation_options
@click.pass_context
def review(
    ctx: click.Context,
    /,
    input_path: Path,
    port: int,
    host: str,
    token_file: Path | None,
    no_browser: bool,
    reviewer: str | None,
    translation: TranslationOptions,
) -> None:
    """Review a report's English paragraph by paragraph in the browser.

    Translates the report as generate does (through the translation memory), then serves
    a local page and prints its address (with the run's token) on stdout, first. Every
    change (edit, approve, revert, retranslate, pick an alternative, dismiss a flag,
    comment, add a term) is stored in the memory before the page shows it. Ctrl-C stops
    the server.

    \b
    Example:
      briefing review seeds/000_161302ac3327b756.txt --no-browser
    """
    from briefing.pipeline import open_review
    from briefing.review.server import bind, check_stack, read_token, serve

    check_stack()
    token = read_token(host, token_file)
    server = bind(host, port)
    try:
        with _progress(ctx) as progress:
            session = open_review(input_path, translation, reviewer=reviewer,
                                  on_progress=progress)  # fmt: skip
    except BaseException:
        server.server_close()
        raise
    if not ctx.obj.get("quiet"):
        click.echo(f"review: {input_path}; Ctrl-C stops the server", err=True)
    serve(server, session, token, announce=click.echo, open_browser=not no_browser)


@cli.group()
def memory() -> None:
    """The translation memory: what it holds, a sentence's history, TMX exchange."""


@memory.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON on stdout.")
@_memory_path_option()
def memory_stats(as_json: bool, memory_path: Path | None) -> None:
    """How many sentences the memory holds, by status, and who reviewed them.

    \b
    Example:
      briefing memory stats
    """
    from briefing.memory import open_memory
    from briefing.present import memory_stats_json, memory_stats_text

    with open_memory(memory_path, create=False) as opened:
        stats = opened.stats()
    if as_json:
        click.echo(json.dumps(memory_stats_json(stats), ensure_ascii=False, indent=1))
    else:
        click.echo("\n".join(memory_stats_text(stats)))


@memory.command("history")
@click.argument("key", metavar="SENTENCE-HASH", required=False)
@click.option(
    "--text", metavar="中文", help="The Chinese sentence (or paragraph) instead of its hash."
)
@click.option("--json", "as_json", is_flag=True, help="Print as JSON on stdout.")
@_memory_path_option()
def memory_history(
    key: str | None, text: str | None, as_json: bool, memory_path: Path | None
) -> None:
    """Every change of a sentence's English: who, when, and what it was.

    SENTENCE-HASH is its key as `import-review` and the TMX export (tuid) show it (any
    unique prefix of 6 or more characters).

    \b
    Example:
      briefing memory history --text "全年新增城镇就业7万人。"
    """
    from briefing.errors import UsageError
    from briefing.memory import find_entries, open_memory
    from briefing.present import history_json, history_text

    if (key is None) == (text is None):
        raise UsageError(
            "give a SENTENCE-HASH or --text, not both or neither",
            'e.g. briefing memory history --text "全年新增城镇就业7万人。"',
        )
    with open_memory(memory_path, create=False) as opened:
        found = [(entry, opened.history(entry.key)) for entry in find_entries(opened, key, text)]
    if as_json:
        click.echo(json.dumps([history_json(e, h) for e, h in found], ensure_ascii=False,
                              indent=1))  # fmt: skip
    else:
        click.echo("\n\n".join("\n".join(history_text(e, h)) for e, h in found))


@memory.command("export")
@click.option("--tmx", "tmx_path", required=True, type=click.Path(path_type=Path),
              metavar="FILE", help="The TMX 1.4 file to write.")  # fmt: skip
@_memory_path_option()
def memory_export(tmx_path: Path, memory_path: Path | None) -> None:
    """Write the memory as TMX 1.4 (zh-CN -> en) for a colleague or a CAT tool.

    Status, reviewer and the machine English's signature are TMX properties; a test
    model's English is left out.

    \b
    Example:
      briefing memory export --tmx corrections.tmx
    """
    from briefing.memory import open_memory
    from briefing.tmx import export_tmx

    with open_memory(memory_path, create=False) as opened:
        report = export_tmx(opened, tmx_path)
    left = f" (left out {report.left_out} of a test model's)" if report.left_out else ""
    click.echo(f"exported {report.units} units to {report.path}{left}", err=True)


@memory.command("import")
@click.argument("tmx_path", metavar="FILE.tmx", type=click.Path(path_type=Path))
@_memory_path_option()
def memory_import(tmx_path: Path, memory_path: Path | None) -> None:
    """Merge a TMX file into the memory (made if there is none yet).

    A reviewer's English replaces machine English, and another reviewer's when it was
    changed later; machine English never replaces a reviewer's. Every change is kept
    in the history.

    \b
    Example:
      briefing memory import corrections.tmx
    """
    from briefing.memory import open_memory
    from briefing.tmx import import_tmx

    with open_memory(memory_path) as opened:
        report = import_tmx(opened, tmx_path)
    c = report.counts
    skipped = f"; skipped {report.skipped} without Chinese and English" if report.skipped else ""
    click.echo(f"imported {report.path}: {c['added']} added, {c['updated']} updated, "
               f"{c['unchanged']} unchanged, {c['kept']} kept (the memory's was newer or a "
               f"reviewer's){skipped}", err=True)  # fmt: skip


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into messages and exit codes."""
    import signal
    import threading

    handles_sigterm = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if handles_sigterm else None
    try:
        _run(argv)
    finally:
        if handles_sigterm:
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _run(argv: list[str] | None) -> None:
    try:
        cli.main(args=argv, prog_name="briefing", standalone_mode=False)
    except BriefingError as exc:
        if os.environ.get("BRIEFING_DEBUG"):
            traceback.print_exception(exc)  # with the cause it was raised from
        _report(exc.message, exc.hint)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("error: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Terminated:
        click.echo("error: terminated (SIGTERM)", err=True)
        sys.exit(EXIT_TERMINATED)
    except click.UsageError as exc:
        _report(*_usage(exc))
        sys.exit(EXIT_BAD_INPUT)
    except click.ClickException as exc:
        _report(_one_line(exc.format_message()), "run `briefing --help` for the commands")
        sys.exit(exc.exit_code if exc.exit_code else EXIT_BAD_INPUT)
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `| head`); nothing more to say.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(EXIT_ERROR)
    except Exception as exc:
        if os.environ.get("BRIEFING_DEBUG"):
            raise
        _report(
            f"unexpected {type(exc).__name__}: {exc}",
            "this is a bug; run again with BRIEFING_DEBUG=1 for the traceback and report it",
        )
        sys.exit(EXIT_ERROR)


def _usage(exc: click.UsageError) -> tuple[str, str]:
    """A usage error in the two-line contract (click prints its own three-line form):
    ``error: briefing parse: missing argument 'INPUT'`` / ``hint: run …``."""
    command = exc.ctx.command_path if exc.ctx is not None else "briefing"
    group = exc.ctx is None or isinstance(exc.ctx.command, click.Group)
    hint = f"run `{command} --help` for its {'commands' if group else 'arguments'} and options"
    no_command = getattr(click.exceptions, "NoArgsIsHelpError", None)
    if no_command is not None and isinstance(exc, no_command):  # click 8.2+: a bare group
        return f"{command}: no command given", f"run `{command} --help` for its commands"
    message = _one_line(exc.format_message())
    return f"{command}: {message[:1].lower()}{message[1:]}".rstrip("."), hint


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _printable(text: str) -> str:
    """Control characters (a newline or an escape sequence in a file name or a variable)
    written as escapes, so an error stays one line and cannot drive the terminal."""
    return "".join(
        ch.encode("unicode_escape").decode() if _CONTROL.match(unicodedata.category(ch)) else ch
        for ch in text
    )


_CONTROL = re.compile(r"C|Z[lp]")  # control, format (bidi), private; line and paragraph breaks


def _report(message: str, hint: str) -> None:
    click.echo(f"error: {_printable(message)}", err=True)
    if hint:
        click.echo(f"hint: {_printable(hint)}", err=True)
