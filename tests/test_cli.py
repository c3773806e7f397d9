"""The command line: output on stdout, errors as two lines on stderr, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CASES, ROOT, SAMPLE, SAMPLE_EXPECTED, load_json
from tests.test_structure import assert_same_parse


def test_parse_json_equals_the_expected_file(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("parse", str(SAMPLE), "--json")
    assert result.code == 0, result.err
    assert_same_parse(json.loads(result.out), load_json(SAMPLE_EXPECTED))
    assert result.err == ""


def test_parse_without_json_prints_a_readable_outline(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("parse", str(SAMPLE))
    assert result.code == 0
    assert "title:    扬帆逐梦再启航 乘风破浪谱新篇" in result.out
    assert "s2  在持续增强经济韧性上彰显担当  [line 27]" in result.out
    assert "s3.p3    [45+47]" in result.out
    assert "dropped (5 lines):" in result.out


def test_parse_shows_nested_headings_indented(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("parse", str(CASES / "numbered_two_levels.txt"))
    assert "\ns2  二、主要任务  [line 11]\n" in result.out
    assert "\n  s3  (一)稳定重点群体就业  [line 13]\n" in result.out


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02\x03" * 64, "binary"),
        ("broken.docx", b"PK not really a zip", "not a valid .docx"),
        (
            "latin1.txt",
            ("Décision très détaillée sur l'économie. " * 10).encode("latin-1"),
            "encoding",
        ),
        ("lossy.txt", "全会\ufffd召开。".encode(), "replacement"),
    ],
)
def test_bad_input_exits_2_with_a_two_line_error(
    run_cli,
    tmp_path: Path,
    name: str,
    data: bytes | None,
    words: str,  # type: ignore[no-untyped-def]
) -> None:
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    result = run_cli("parse", str(path))
    assert result.code == 2
    lines = result.err.splitlines()
    assert len(lines) == 2, result.err
    assert lines[0].startswith("error: ") and str(path) in lines[0] and words in lines[0]
    assert lines[1].startswith("hint: ")
    assert result.out == ""


def test_unknown_option_is_a_usage_error(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("parse", str(SAMPLE), "--no-such-option")
    assert result.code == 2
    assert "No such option" in result.err


def test_unexpected_errors_exit_1_without_a_traceback(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def boom(path: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("briefing.pipeline.parse_file", boom)
    monkeypatch.delenv("BRIEFING_DEBUG", raising=False)
    result = run_cli("parse", str(SAMPLE))
    assert result.code == 1
    assert result.err.splitlines()[0] == "error: unexpected RuntimeError: disk on fire"
    assert "Traceback" not in result.err


def test_interrupt_exits_130(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def interrupted(path: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("briefing.pipeline.parse_file", interrupted)
    result = run_cli("parse", str(SAMPLE))
    assert result.code == 130
    assert result.err.strip() == "error: interrupted"


def test_python_dash_m_and_the_console_script_work_end_to_end() -> None:
    for command in (
        [sys.executable, "-m", "briefing"],
        [str(Path(sys.executable).parent / "briefing")],
    ):
        done = subprocess.run(
            [*command, "parse", str(SAMPLE), "--json"], capture_output=True, text=True, cwd=ROOT
        )
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["title"] == "扬帆逐梦再启航 乘风破浪谱新篇"
        bad = subprocess.run([*command, "parse", "nope.txt"], capture_output=True, text=True)
        assert bad.returncode == 2
        assert bad.stderr.startswith("error: nope.txt: no such file\nhint: ")


def test_every_command_has_help(run_cli) -> None:  # type: ignore[no-untyped-def]
    from briefing.cli import cli

    for name in cli.commands:
        result = run_cli(name, "--help")
        assert result.code == 0
        assert "Usage:" in result.out


def _commands(group, prefix):  # type: ignore[no-untyped-def]
    import click

    for name, command in group.commands.items():
        path = f"{prefix} {name}"
        yield path, command
        if isinstance(command, click.Group):
            yield from _commands(command, path)


def test_every_command_and_option_is_in_the_readme() -> None:
    import click

    from briefing.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for path, command in [("briefing", cli), *_commands(cli, "briefing")]:
        if path not in readme:
            missing.append(path)
        for param in command.params:
            if isinstance(param, click.Option):
                names = [n for n in param.opts if n.startswith("--")]
                missing.extend(f"{path} {n}" for n in names if n not in readme and n != "--help")
    assert missing == []


def _readme_examples() -> list[str]:
    """Every `briefing …` command line of the README's sh blocks (continued lines joined;
    `.venv/bin/` and the parts of `a && b` taken apart)."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", readme, re.S):
        for line in re.sub(r"\\\n\s*", " ", block).splitlines():
            for part in re.split(r"&&|\|", line):
                part = re.sub(r"^\s*(\S*/)?(\.venv/bin/)?", "", part).strip()
                if part.startswith("briefing"):
                    lines.append(part)
    return lines


def test_every_command_and_flag_has_an_example_in_the_readme() -> None:
    """Each command has an example line, and each of its flags is in one of its own
    examples (a translation option in an example of any command that translates)."""
    import re

    import click

    from briefing.cli import _TRANSLATION_PARAMS, cli

    examples = _readme_examples()
    commands = [("briefing", cli), *_commands(cli, "briefing")]

    def of(path: str) -> list[str]:
        return [line for line in examples if line == path or line.startswith(path + " ")]

    translating = [path for path, c in commands if any(p.name == "model_spec" for p in c.params)
                   and any(p.name == "no_memory" for p in c.params)]  # fmt: skip
    missing = []
    for path, command in commands:
        if not of(path):
            missing.append(path)
        for param in command.params:
            flags = [n for n in param.opts if n != "--help"]
            if not isinstance(param, click.Option) or not flags:
                continue
            where = of(path)
            if param.name in _TRANSLATION_PARAMS:
                where = [line for other in translating for line in of(other)]
            if not any(re.search(rf"(^|\s){re.escape(f)}(\s|=|$)", line)
                       for line in where for f in flags):  # fmt: skip
                missing.append(f"{path} {flags[0]}")
    assert missing == []
