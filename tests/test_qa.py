"""`briefing qa PAIRS.jsonl`: the checks on translations a user already has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

GOOD = {"id": "p1", "zh": "全年新增就业岗位7万个。", "en": "70,000 new jobs were created."}
BAD = {"id": "p2", "zh": "全年新增就业岗位7万个。", "en": "7 million new jobs were created."}
EMPTY = {"id": "p3", "zh": "全会召开。", "en": ""}


def write(tmp_path: Path, *lines: object) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                  for line in lines) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    return path


def test_json_gives_one_line_per_pair_in_input_order(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path, BAD, GOOD, EMPTY)
    result = run_cli("qa", str(path), "--json")
    assert result.code == 0
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [line["id"] for line in lines] == ["p2", "p1", "p3"]
    assert lines[1] == {"id": "p1", "flags": []}
    assert {f["kind"] for f in lines[0]["flags"]} == {"number_mismatch"}
    assert lines[2]["flags"] == [{"kind": "empty", "detail": "the English is empty"}]


def test_the_readable_summary_names_each_flag_and_the_totals(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("qa", str(write(tmp_path, GOOD, BAD)))
    assert result.code == 0
    assert "p2\tnumber_mismatch\t7万个 (70,000) is not in the English" in result.out
    assert "p1\t" not in result.out
    assert result.out.splitlines()[-1] == ("2 pairs, 1 flagged: number_mismatch 2")


def test_fail_on_flags_exits_1_only_when_something_is_flagged(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("qa", str(write(tmp_path, GOOD, BAD)), "--fail-on-flags").code == 1
    assert run_cli("qa", str(write(tmp_path, GOOD)), "--fail-on-flags").code == 0
    assert run_cli("qa", str(write(tmp_path, GOOD, BAD))).code == 0


def test_blank_lines_are_skipped(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("qa", str(write(tmp_path, GOOD, "", "   ", EMPTY)), "--json")
    assert result.code == 0
    assert len(result.out.splitlines()) == 2


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ((GOOD, "{not json"), "pairs.jsonl:2: not a JSON object"),
        ((GOOD, "[1, 2]"), "pairs.jsonl:2: a JSON list, not an object"),
        (({"id": "a", "zh": "全会召开。"},), "pairs.jsonl:1: no en field"),
        (({"id": 7, "zh": "全会召开。", "en": "x"},), "pairs.jsonl:1: id must be a string"),
        ((GOOD, "", GOOD), "pairs.jsonl:3: id 'p1' was already used on line 1"),
        (("",), "pairs.jsonl: no pairs in the file"),
    ],
)
def test_bad_input_exits_2_with_the_line_number(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path, lines: tuple[object, ...], message: str
) -> None:
    result = run_cli("qa", str(write(tmp_path, *lines)))
    assert result.code == 2
    first, hint = result.err.splitlines()[:2]
    assert first.startswith("error: ") and message in first
    assert hint.startswith("hint: ")
    assert result.out == ""


def test_a_file_that_is_not_utf8_or_missing_exits_2(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(json.dumps(GOOD, ensure_ascii=False).encode() + b"\n" +
                     '{"id": "x", "zh": "全会", "en": "x"}'.encode("gbk"))  # fmt: skip
    result = run_cli("qa", str(path))
    assert result.code == 2
    assert "gbk.jsonl:2: not UTF-8" in result.err
    missing = run_cli("qa", str(tmp_path / "nope.jsonl"))
    assert missing.code == 2
    assert "nope.jsonl: no such file" in missing.err


def test_dash_reads_standard_input(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import io

    data = (json.dumps(BAD, ensure_ascii=False) + "\n").encode()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    result = run_cli("qa", "-", "--json")
    assert result.code == 0
    assert json.loads(result.out)["id"] == "p2"


TERM = {"id": "t1", "zh": "加快发展新质生产力。", "en": "We will speed up new productivity."}


def test_the_shipped_glossary_is_checked_by_default(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("qa", str(write(tmp_path, TERM)), "--json")
    assert result.code == 0
    flags = json.loads(result.out)["flags"]
    assert flags == [{"kind": "term_missing", "clause": "加快发展新质生产力。",
                      "detail": "新质生产力 should be 'new quality productive forces'"}]
    good = dict(TERM, en="We will speed up the development of new quality productive forces.")
    assert json.loads(run_cli("qa", str(write(tmp_path, good)), "--json").out)["flags"] == []


def test_no_glossary_turns_the_term_check_off(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("qa", str(write(tmp_path, TERM)), "--json", "--no-glossary")
    assert json.loads(result.out)["flags"] == []


def test_a_user_glossary_adds_terms_and_variants(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    terms = tmp_path / "mine.tsv"
    terms.write_text("zh\ten\tnote\tsource\tvariants\n"
                     "绿色发展\tgreen development\t\tMYDOC\tgreen growth\n", encoding="utf-8")
    zh = "推动绿色发展。"
    pairs = write(tmp_path, {"id": "a", "zh": zh, "en": "We will pursue green growth."},
                  {"id": "b", "zh": zh, "en": "We will pursue eco progress."})  # fmt: skip
    assert run_cli("qa", str(pairs), "--json").out.count("term_missing") == 0
    result = run_cli("qa", str(pairs), "--json", "--glossary", str(terms))
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert lines[0]["flags"] == []
    assert [f["kind"] for f in lines[1]["flags"]] == ["term_missing"]


def test_a_bad_glossary_exits_2_before_the_pairs_are_read(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.tsv"
    bad.write_text("zh\ten\tnote\tsource\n绿色发展\tgreen development\t\t\n", encoding="utf-8")
    result = run_cli("qa", str(tmp_path / "missing.jsonl"), "--glossary", str(bad))
    assert result.code == 2 and "bad.tsv:2: no source" in result.err


# --- input the old reader split wrongly, refused or crashed on (issue 16) ----------------


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_a_line_separator_inside_valid_json_is_no_line_end(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """str.splitlines cut these lines in two and shifted every line number after them."""
    inside = [{"id": f"p{k}", "zh": f"全年{sep}新增", "en": f"x{sep}y"}
              for k, sep in enumerate(("\u2028", "\u0085", "\u2029", "\x1c"), start=1)]  # fmt: skip
    lines = [json.dumps(pair, ensure_ascii=False) for pair in inside]
    path = write(tmp_path, *lines, "\x0b", "{not json")
    result = run_cli("qa", str(path))
    assert result.code == 2
    assert result.err.startswith(f"error: {path}:6: not a JSON object")


def test_a_bom_on_stdin_is_skipped_as_in_a_file(run_cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _stdin(monkeypatch, b"\xef\xbb\xbf" + json.dumps(GOOD).encode() + b"\n")
    result = run_cli("qa", "-", "--json")
    assert (result.code, json.loads(result.out)["id"]) == (0, "p1")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (json.dumps(GOOD).encode() + b'\n{"id": "p2", "zh": "\xff", "en": "x"}\n',
         "-:2: not UTF-8 (byte "),
        (b'{"id": "\\ud800", "zh": "a", "en": "b"}', "-:1: id has a lone surrogate (U+D800)"),
        (b'{"id": "p1", "zh": "a", "en": "b", "n": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
         "-:1: not a JSON object (nested too deeply to read)"),
        (b'{"id": ' + b"9" * 5_000 + b', "zh": "a", "en": "b"}', "-:1: id must be a string"),
    ],
    ids=["invalid UTF-8", "a lone surrogate", "100,000 nested brackets", "a 5,000-digit id"],
)  # fmt: skip
def test_bad_input_on_stdin_exits_2_with_the_line(  # type: ignore[no-untyped-def]
    run_cli, monkeypatch: pytest.MonkeyPatch, data: bytes, message: str
) -> None:
    _stdin(monkeypatch, data)
    result = run_cli("qa", "-", "--json")
    assert result.code == 2, result.err
    assert result.err.startswith(f"error: {message}")
    assert result.err.splitlines()[1].startswith("hint: ")
    assert result.out == ""


def test_a_huge_number_in_a_field_the_checks_do_not_read_is_no_error(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path
) -> None:
    """Valid JSON: it crashed with the int-string limit; it is read, and not used."""
    path = write(tmp_path, '{"id": "p1", "zh": "全会召开。", "en": "x", "n": ' + "9" * 5000 + "}")
    assert run_cli("qa", str(path), "--json").code == 0
