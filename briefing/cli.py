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
from briefing.errors import EXIT_BAD_INPUT, EXIT_ERROR, EXIT_INTERRUPTED, BriefingError
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
