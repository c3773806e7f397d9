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


USAGE_ERRORS = {
    "unknown option": (["parse", str(SAMPLE), "--no-such-option"],
                       "briefing parse: no such option '--no-such-option'", "arguments"),
    "missing argument": (["generate"], "briefing generate: missing argument 'INPUT'", "arguments"),
    "bad value": (["translate", str(SAMPLE), "--beam-size", "x"],
                  "briefing translate: invalid value for '--beam-size': 'x' is not a valid "
                  "integer", "arguments"),
    "a choice": (["translate", str(SAMPLE), "--device", "tpu"],
                 "briefing translate: invalid value for '--device': 'tpu' is not one of 'auto', "
                 "'cpu', 'cuda'", "arguments"),
    "extra argument": (["qa", "a.jsonl", "b.jsonl"],
                       "briefing qa: got unexpected extra argument (b.jsonl)", "arguments"),
    "unknown command": (["nosuchcmd"], "briefing: no such command 'nosuchcmd'", "commands"),
}  # fmt: skip


@pytest.mark.parametrize(("args", "message", "what"), USAGE_ERRORS.values(),
                         ids=USAGE_ERRORS.keys())  # fmt: skip
def test_usage_errors_keep_the_two_line_contract(  # type: ignore[no-untyped-def]
    run_cli, args: list[str], message: str, what: str
) -> None:
    """click printed its own form (Usage: …, Try …, Error: …), without error:/hint:."""
    result = run_cli(*args)
    command = message.split(":")[0]
    assert result.code == 2
    assert result.err.splitlines() == [
        f"error: {message}",
        f"hint: run `{command} --help` for its {what} and options",
    ]
    assert result.out == ""


@pytest.mark.parametrize("args", [[], ["glossary"], ["model"]], ids=["briefing", "glossary",
                                                                      "model"])  # fmt: skip
def test_a_group_without_a_command_is_a_two_line_usage_error(run_cli, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(*args)
    command = " ".join(["briefing", *args])
    assert result.code == 2
    assert result.err.splitlines() == [
        f"error: {command}: no command given",
        f"hint: run `{command} --help` for its commands",
    ]


def test_unexpected_errors_exit_1_without_a_traceback(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def boom(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("briefing.pipeline.parse_file", boom)
    monkeypatch.delenv("BRIEFING_DEBUG", raising=False)
    result = run_cli("parse", str(SAMPLE))
    assert result.code == 1
    assert result.err.splitlines()[0] == "error: unexpected RuntimeError: disk on fire"
    assert "Traceback" not in result.err


def test_interrupt_exits_130(run_cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def interrupted(*args: object) -> None:
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


def test_an_option_value_xml_cannot_hold_exits_2_before_any_model_is_looked_for(  # type: ignore[no-untyped-def]
    run_cli, isolated_home: Path, tmp_path: Path
) -> None:
    """No model is installed here: exit 2, not 3, shows the value was refused first."""
    result = run_cli("generate", str(SAMPLE), "-o", str(tmp_path / "b.docx"),
                     "--source-name", "Yancheng\x02Daily")  # fmt: skip
    assert result.code == 2
    assert result.err.splitlines() == [
        "error: --source-name has a character a Word document cannot hold (U+0002)",
        "hint: pass --source-name without control characters",
    ]


def test_a_report_over_max_chars_exits_2_before_any_model_is_looked_for(  # type: ignore[no-untyped-def]
    run_cli, isolated_home: Path, tmp_path: Path
) -> None:
    for command in (["parse"], ["generate", "-o", str(tmp_path / "b.docx")], ["targets"]):
        result = run_cli(*command, str(SAMPLE), "--max-chars", "1000")
        assert result.code == 2, result.err
        first, hint = result.err.splitlines()
        assert first.startswith(f"error: {SAMPLE}: the report is too long (")
        assert hint == "hint: split it, or raise the limit with --max-chars (0 for none)"
    assert run_cli("parse", str(SAMPLE), "--max-chars", "0").code == 0


def test_sigterm_while_writing_exits_143_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    """What cron wrappers and systemd send: handled like Ctrl-C (it killed the run with
    the temporary .part file left beside the output)."""
    out = tmp_path / "out"
    script = f"""
import os, signal, sys, time
sys.path.insert(0, {str(ROOT)!r})
import briefing.pipeline as pipeline
import briefing.render.docx as render
from tests.doubles import EchoTranslatorTestDouble

def render_docx(briefing, path, fonts):
    path.write_bytes(b"half a briefing")
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)

render.render_docx = render_docx
pipeline.open_translator = lambda options, model=None: EchoTranslatorTestDouble()
from briefing.cli import main
main(["-q", "generate", {str(SAMPLE)!r}, "-o", {str(out / "b.docx")!r}])
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 143, done.stderr
    assert done.stderr.strip() == "error: terminated (SIGTERM)"
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("option", "where", "words"),
    [("-o", "file/b.docx", "file is a file, not a folder"),
     ("-o", "file/deeper/b.docx", "file is a file, not a folder"),
     ("--report", "file/r.json", "file is a file, not a folder"),
     ("-o", "x" * 250 + ".docx", "the file name is too long")],
)  # fmt: skip
def test_an_output_path_that_cannot_be_written_exits_2_before_any_model_is_looked_for(  # type: ignore[no-untyped-def]
    run_cli, isolated_home: Path, tmp_path: Path, option: str, where: str, words: str
) -> None:
    """It failed with exit 1 only after the whole translation."""
    (tmp_path / "file").write_text("a file")
    args = ["-o", str(tmp_path / "b.docx")] if option == "--report" else []
    result = run_cli("generate", str(SAMPLE), *args, option, str(tmp_path / where))
    assert result.code == 2, result.err
    assert words in result.err.splitlines()[0]
    assert result.err.splitlines()[1].startswith("hint: pass another ")


def test_an_output_folder_without_write_permission_exits_2(  # type: ignore[no-untyped-def]
    run_cli, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != tmp_path and real(p, mode))
    result = run_cli("generate", str(SAMPLE), "-o", str(tmp_path / "new" / "b.docx"))
    assert result.code == 2
    assert f"cannot write in {tmp_path} (permission denied)" in result.err


@pytest.mark.parametrize("command", [["parse"], ["qa"], ["glossary", "check"],
                                     ["translate", str(SAMPLE), "--glossary"]])  # fmt: skip
def test_special_files_are_refused_not_read(  # type: ignore[no-untyped-def]
    run_cli, isolated_home: Path, tmp_path: Path, command: list[str]
) -> None:
    """A named pipe blocked for ever; a loop of symbolic links was 'no such file'."""
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    special = [(fifo, "is a named pipe (FIFO), not a regular file"),
               (tmp_path / "a.txt", "a loop of symbolic links, not a file"),
               (Path("/dev/zero"), "is a character device, not a regular file")]  # fmt: skip
    for path, words in special:
        result = run_cli(*command, str(path))
        assert result.code == 2, result.err
        assert result.err.splitlines()[0] == f"error: {path}: {words}"
        assert result.err.splitlines()[1].startswith("hint: ")


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


@pytest.mark.parametrize("name", ["new\nline.txt", "esc\x1b[31mred.txt", "bidi\u202etxt.exe"])
def test_a_file_name_with_control_characters_stays_one_escaped_error_line(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, name: str
) -> None:
    result = run_cli("parse", str(tmp_path / name))  # no such file
    lines = result.err.splitlines()
    assert result.code == 2 and len(lines) == 2, result.err
    assert name.encode("unicode_escape").decode() in lines[0]  # shown, escaped
    assert not any(ch in result.err for ch in "\x1b\u202e")


def test_a_model_variable_with_a_newline_stays_one_error_line(  # type: ignore[no-untyped-def]
    run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_MODEL", "/no/such\nfolder")
    result = run_cli("translate", str(SAMPLE))
    lines = result.err.splitlines()
    assert result.code == 3 and len(lines) == 2, result.err
    assert "/no/such\\nfolder" in lines[0]


def test_chinese_and_full_width_spaces_in_an_error_are_shown_as_they_are(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path
) -> None:
    result = run_cli("parse", str(tmp_path / "政府工作报告　全文.txt"))
    assert "政府工作报告　全文.txt" in result.err
