"""The command-line interface: parses options, calls the library, reports errors.

stdout carries only what was asked for; messages go to stderr. A `BriefingError`
becomes two lines (``error: …`` / ``hint: …``) and its exit code.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing import __version__
from briefing.errors import (
    EXIT_BAD_INPUT,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    BriefingError,
    UsageError,
)
from briefing.model import Document

F = TypeVar("F", bound=Callable[..., Any])


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
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the parse as JSON on stdout.")
def parse(input_path: Path, as_json: bool) -> None:
    """Show the structure found in a report (.txt or .docx).

    \b
    Example:
      briefing parse seeds/000_161302ac3327b756.txt --json
    """
    from briefing.pipeline import parse_file

    document = parse_file(input_path)
    if as_json:
        click.echo(json.dumps(document.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(outline(document))


def translation_options(func: F) -> F:
    """The options every command that translates shares, so they read the same everywhere."""
    from briefing.segment import DEFAULT_MAX_SEGMENT_TOKENS
    from briefing.translate.marian import DEFAULT_BATCH_SIZE, DEFAULT_BEAM_SIZE

    options = [
        click.option(
            "--model",
            "model_spec",
            metavar="ID|FOLDER",
            help="Model folder or hub id (default: BRIEFING_MODEL, then BRIEFING_HOME, "
            "then the Hugging Face cache).",
        ),
        click.option(
            "--device",
            type=click.Choice(["cpu", "cuda", "auto"]),
            default="auto",
            show_default=True,
            help="Where the model runs.",
        ),
        click.option(
            "--beam-size",
            type=click.IntRange(min=1),
            default=DEFAULT_BEAM_SIZE,
            show_default=True,
            help="Beam search width.",
        ),
        click.option(
            "--batch-size",
            type=click.IntRange(min=1),
            default=DEFAULT_BATCH_SIZE,
            show_default=True,
            help="Segments per batch.",
        ),
        click.option(
            "--max-segment-tokens",
            type=click.IntRange(min=8, max=500),
            default=DEFAULT_MAX_SEGMENT_TOKENS,
            show_default=True,
            help="Longer sentences are split at clause boundaries to fit.",
        ),
        click.option(
            "--allow-pickle",
            is_flag=True,
            help="Load pickle weights (pytorch_model.bin) when no model.safetensors exists.",
        ),
        click.option(
            "--engine",
            type=click.Choice(["auto", "transformers", "ctranslate2"]),
            default="auto",
            show_default=True,
            help="ctranslate2 needs `briefing model convert` first; auto uses it when a "
            "conversion of this model and revision exists.",
        ),
        click.option(
            "--max-batch-tokens",
            type=click.IntRange(min=1),
            default=None,
            help="CTranslate2: padded source tokens per batch (default 512).",
        ),
        click.option(
            "--translators",
            type=click.IntRange(min=1),
            default=None,
            help="CTranslate2: model replicas working in parallel (default: one per core).",
        ),
        click.option(
            "--threads",
            type=click.IntRange(min=1),
            default=None,
            help="CTranslate2: threads per replica (default 1).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def quality_options(func: F) -> F:
    """Glossary and retry options, shared by `translate` and `generate`."""
    options = [
        click.option(
            "--glossary",
            "glossaries",
            multiple=True,
            type=click.Path(path_type=Path),
            metavar="FILE.tsv",
            help="Your own terms (zh, en, note, source), after the shipped glossary; "
            "repeatable, later files win.",
        ),
        click.option(
            "--no-retry",
            is_flag=True,
            help="Do not translate flagged segments a second time with safer decoding.",
        ),
        click.option(
            "--no-glossary",
            is_flag=True,
            help="Do not protect glossary terms and names (numbers are still written out).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print segments as JSON on stdout.")
@translation_options
@quality_options
@click.pass_context
def translate(
    ctx: click.Context,
    /,
    input_path: Path,
    as_json: bool,
    glossaries: tuple[Path, ...],
    no_retry: bool,
    no_glossary: bool,
    **translation: Any,
) -> None:
    """Translate a report sentence by sentence and print Chinese and English.

    \b
    Example:
      briefing translate seeds/000_161302ac3327b756.txt --json
    """
    from briefing.glossary import load_glossary
    from briefing.pipeline import parse_file, run_translation
    from briefing.translate.resolve import TEST_MODEL_MARKER, labelled, resolve_model

    quiet = bool(ctx.obj.get("quiet"))
    # a bad glossary fails before the model loads
    glossary = None if no_glossary else load_glossary(glossaries)
    document = parse_file(input_path)
    resolved = resolve_model(translation["model_spec"])
    translator = _translator(resolved, translation, quiet)
    max_segment_tokens = translation["max_segment_tokens"]
    checked = run_translation(
        document, translator, glossary, max_segment_tokens, retry=not no_retry, quiet=quiet
    )
    if as_json:
        payload = {
            "model": model_json(resolved),
            "engine": translator.engine,
            "beam_size": translator.beam_size,
            "max_segment_tokens": max_segment_tokens,
            "segments": [
                {**s.to_json(), "en": labelled(s.en, resolved.test_model)} for s in checked
            ],
        }
        if resolved.test_model:
            payload["notice"] = TEST_MODEL_MARKER
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        for s in checked:
            click.echo(f"{s.id}\t{s.zh}\n\t{labelled(s.en, resolved.test_model)}")
            for flag in s.flags:
                click.echo(f"\t! {flag.kind}: {flag.detail}")


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
@click.option("--cjk-font", default="SimSun", show_default=True, help="Font for Chinese text.")
@click.option("--latin-font", default="Calibri", show_default=True, help="Font for English text.")
@translation_options
@quality_options
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
    glossaries: tuple[Path, ...],
    no_retry: bool,
    no_glossary: bool,
    **translation: Any,
) -> None:
    """Write a side-by-side Chinese/English Word briefing of a report.

    \b
    Example:
      briefing generate seeds/000_161302ac3327b756.txt -o out/briefing.docx
    """
    from briefing.chinese import parse_date
    from briefing.glossary import load_glossary
    from briefing.model import SourceInfo
    from briefing.pipeline import (
        build_briefing,
        check_output,
        check_report,
        default_output,
        parse_file,
        run_translation,
        write_briefing,
        write_report,
    )
    from briefing.render.docx import Fonts
    from briefing.summary import summarize
    from briefing.translate.resolve import resolve_model

    output = output or default_output(input_path)
    check_output(input_path, output)
    if report:
        check_report(input_path, output, report)
    date = None
    if source_date:
        date = parse_date(source_date)
        if date is None:
            raise UsageError(
                f"--source-date {source_date!r} is not a date", "write it as YYYY-MM-DD"
            )
    quiet = bool(ctx.obj.get("quiet"))
    glossary = None if no_glossary else load_glossary(glossaries)
    document = parse_file(input_path)  # bad input fails before the model is loaded
    translator = _translator(resolve_model(translation["model_spec"]), translation, quiet)
    max_segment_tokens = translation["max_segment_tokens"]
    checked = run_translation(
        document, translator, glossary, max_segment_tokens, retry=not no_retry, quiet=quiet
    )
    summary = summarize(document, translator)
    source = SourceInfo(file=str(input_path), name=source_name, date=date, url=source_url)
    briefing = build_briefing(document, checked, translator, source, max_segment_tokens, summary,
                              glossary=glossary, retry=not no_retry)  # fmt: skip
    write_briefing(briefing, output, Fonts(cjk=cjk_font, latin=latin_font))
    if report:
        write_report(briefing, report)
    if not quiet:
        click.echo(f"wrote {output}" + (f" and {report}" if report else ""), err=True)
        click.echo(f"checks: {flag_summary(briefing.flags, len(briefing.segments))}", err=True)


def flag_summary(flags: Any, segments: int) -> str:
    """'3 flags in 66 segments: number_mismatch 2, omission 1' (or 'no flags in 66 segments')."""
    from briefing.checks import count_by_kind

    counts = count_by_kind(flags)
    if not counts:
        return f"no flags in {segments} segments"
    kinds = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    return f"{len(flags)} flag{'s' if len(flags) != 1 else ''} in {segments} segments: {kinds}"


@cli.command()
@click.argument("pairs_path", metavar="PAIRS.jsonl", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line of flags per pair.")
@click.option(
    "--fail-on-flags", is_flag=True, help="Exit 1 when any pair is flagged (for scripts and CI)."
)
def qa(pairs_path: Path, as_json: bool, fail_on_flags: bool) -> None:
    """Check translations you already have: one {"id", "zh", "en"} JSON object per line.

    Runs the checks of the briefing (numbers, omissions, loops, untranslated or empty
    English) on each pair. Exits 0 whether or not anything is flagged, unless
    --fail-on-flags is given; 2 for input it cannot read, with the line number.

    \b
    Example:
      briefing qa pairs.jsonl --json --fail-on-flags
    """
    from briefing.checks import check_pair, count_by_kind
    from briefing.ingest.pairs import read_pairs

    pairs = read_pairs(pairs_path)
    results = [(pair, check_pair(pair.zh, pair.en)) for pair in pairs]
    if as_json:
        for pair, flags in results:
            line = {"id": pair.id, "flags": [flag.to_json() for flag in flags]}
            click.echo(json.dumps(line, ensure_ascii=False))
    else:
        for pair, flags in results:
            for flag in flags:
                click.echo(f"{pair.id}\t{flag.kind}\t{flag.detail}")
        flagged = sum(1 for _, flags in results if flags)
        all_flags = [flag for _, flags in results for flag in flags]
        kinds = ", ".join(f"{kind} {n}" for kind, n in count_by_kind(all_flags).items())
        click.echo(f"{len(results)} pairs, {flagged} flagged" + (f": {kinds}" if kinds else ""))
    if fail_on_flags and any(flags for _, flags in results):
        sys.exit(EXIT_ERROR)


def _translator(resolved: Any, translation: dict[str, Any], quiet: bool) -> Any:
    """The engine with the command's translation options; warns of a test model."""
    from briefing.translate.engines import make_translator
    from briefing.translate.resolve import TEST_MODEL_MARKER

    translator = make_translator(
        resolved,
        translation["engine"],
        device=translation["device"],
        beam_size=translation["beam_size"],
        batch_size=translation["batch_size"],
        max_batch_tokens=translation["max_batch_tokens"],
        translators=translation["translators"],
        threads=translation["threads"],
        allow_pickle=translation["allow_pickle"],
    )
    if resolved.test_model and not quiet:
        click.echo(f"warning: {resolved.path} is a test model: {TEST_MODEL_MARKER}", err=True)
    return translator


def model_json(resolved: Any) -> dict[str, Any]:
    return {
        "id": resolved.id,
        "path": str(resolved.path),
        "origin": resolved.origin,
        "revision": resolved.revision,
        "weights": resolved.weights,
        "test_model": resolved.test_model,
    }


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print targets and people as JSON.")
@translation_options
@click.pass_context
def targets(
    ctx: click.Context,
    /,
    input_path: Path,
    as_json: bool,
    **translation: Any,
) -> None:
    """List the quantitative targets a report states, and the people in it.

    Works without a model (English descriptions are then null); with one, the target's
    clause and what it counts are machine-translated. Numbers always come from the parser.

    \b
    Example:
      briefing targets seeds/000_161302ac3327b756.txt --json
    """
    from briefing.errors import ModelUnavailable
    from briefing.pipeline import parse_file
    from briefing.summary import person_json, summarize, target_json, value_in_english
    from briefing.translate.resolve import TEST_MODEL_MARKER, labelled, resolve_model

    quiet = bool(ctx.obj.get("quiet"))
    document = parse_file(input_path)
    translator = None
    try:
        resolved = resolve_model(translation["model_spec"])
    except ModelUnavailable:
        if translation["model_spec"]:
            raise
        resolved = None
        if not quiet:
            click.echo("note: no translation model found; English descriptions are null", err=True)
    if resolved is not None:
        translator = _translator(resolved, translation, quiet)
    summary = summarize(document, translator)
    test_model = resolved is not None and resolved.test_model

    def shown(text: str | None) -> str | None:
        return None if text is None else labelled(text, test_model)

    if as_json:
        payload: dict[str, Any] = {
            "targets": [
                {**target_json(t), "en": shown(t.en), "counted_en": shown(t.counted_en)}
                for t in summary.targets
            ],
            "people": [person_json(p) for p in summary.people],
        }
        if test_model:
            payload["notice"] = TEST_MODEL_MARKER
        click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    click.echo(f"targets ({len(summary.targets)}):")
    for t in summary.targets:
        who = t.owner or "-"
        click.echo(f"  {t.paragraph:<7} {value_in_english(t):<32} {t.period_en or '-':<14} {who}")
        click.echo(f"          {t.zh}")
        if t.en:
            click.echo(f"          {shown(t.en)}")
    click.echo(f"people ({len(summary.people)}):")
    for p in summary.people:
        click.echo(
            f"  {p.role:<10} {p.name_en or '(unnamed)'} {p.name_zh or ''}  "
            f"{p.post_en or p.post_zh or ''}, {p.org_en or p.org_zh or ''}  "
            f"[{', '.join(p.paragraphs)}]"
        )


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
    from briefing.glossary import check_lines, glossary_lines

    terms, problems = check_lines(glossary_lines(path), str(path))
    for problem in problems:
        click.echo(f"{path}:{problem.line}: {problem.message}")
    if problems:
        click.echo(f"{len(problems)} problem{'s' if len(problems) > 1 else ''}", err=True)
        sys.exit(EXIT_BAD_INPUT)
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
    from briefing.translate.resolve import TEST_MODEL_MARKER, resolve_model

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


def outline(document: Document) -> str:
    """A readable outline of a parse: front matter, sections, paragraphs, dropped lines."""
    out: list[str] = []
    source = document.source
    out.append(f"{source.path}  ({source.format}, {source.encoding or 'docx'}, {source.script})")
    for label, value in (
        ("title", document.title),
        ("subtitle", document.subtitle),
        ("byline", document.byline),
        ("date", document.date),
    ):
        out.append(f"{label + ':':<10}{value if value is not None else '-'}")
    for section in document.sections:
        indent = "  " * max(section.level - 1, 0)
        heading = section.heading if section.heading is not None else "(lead, no heading)"
        where = f"  [line {section.heading_line}]" if section.heading_line else ""
        out.append("")
        out.append(f"{indent}{section.id}  {heading}{where}")
        for paragraph in section.paragraphs:
            lines = "+".join(str(n) for n in paragraph.lines)
            preview = paragraph.zh if len(paragraph.zh) <= 30 else paragraph.zh[:30] + "…"
            out.append(f"{indent}  {paragraph.id:<8} [{lines}] {preview}")
    out.append("")
    out.append(f"dropped ({len(document.dropped)} lines):")
    out.extend(f"  {text}" for text in document.dropped)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn errors into messages and exit codes."""
    try:
        cli.main(args=argv, prog_name="briefing", standalone_mode=False)
    except BriefingError as exc:
        _report(exc.message, exc.hint)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("error: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
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


def _report(message: str, hint: str) -> None:
    click.echo(f"error: {message}", err=True)
    if hint:
        click.echo(f"hint: {hint}", err=True)
