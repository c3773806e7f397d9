"""The glossary: the shipped terms and their sources, user files, `briefing glossary check`,
names from the report, and what is enforced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing.errors import InputError
from briefing.glossary import (
    HEADER,
    Problem,
    check_lines,
    glossary_lines,
    load_glossary,
    read_glossary_file,
    shipped_terms,
)
from tests.conftest import ROOT, SAMPLE

SOURCES = ROOT / "briefing" / "data" / "GLOSSARY-SOURCES.md"
REQUIRED = {
    "新质生产力": "new quality productive forces",
    "高质量发展": "high-quality development",
    "共同富裕": "common prosperity",
    "乡村振兴": "rural revitalization",
    "十五五": "the 15th Five-Year Plan",
    "两个维护": "the Two Upholds",
    "碳达峰": "peaking carbon emissions",
    "总书记": "General Secretary",
    "长三角": "Yangtze River Delta",
    "党工委": "Party Working Committee",
    "管委会": "Administrative Committee",
    "市委党校": "Party School of the Municipal Party Committee",
}


def test_the_shipped_glossary_has_the_required_terms_and_150_more() -> None:
    terms = {t.zh: t for t in shipped_terms()}
    assert {zh: terms[zh].en for zh in REQUIRED} == REQUIRED
    assert all(terms[zh].verified for zh in REQUIRED)
    assert len(terms) >= len(REQUIRED) + 150


def test_every_shipped_source_is_a_named_document_in_the_glossary_notes() -> None:
    notes = SOURCES.read_text(encoding="utf-8")
    defined = set(re.findall(r"^\| ([A-Z0-9]+) \|", notes, re.M))
    used = {t.source for t in shipped_terms() if t.verified}
    assert used <= defined
    for key in used:  # each row gives a title, a year and a publisher
        row = next(line for line in notes.splitlines() if line.startswith(f"| {key} |"))
        title, year, publisher = [cell.strip() for cell in row.split("|")[2:5]]
        assert title and re.search(r"\d{4}|n\.d\.", year) and publisher, key


def write(tmp_path: Path, *rows: str, header: bool = True) -> Path:
    path = tmp_path / "terms.tsv"
    lines = (["\t".join(HEADER)] if header else []) + list(rows)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        (["新质生产力\tnew productivity\t\t"], 2, "no source"),
        (["\tsomething\t\tMYDOC"], 2, "empty zh"),
        (["绿色发展\t\t\tMYDOC"], 2, "empty en"),
        (["绿色发展\tgreen development\tMYDOC"], 2, "3 fields, not 4"),
        (["绿色发展\tgreen development\t\tMYDOC", "绿色发展\tgreen development\t\tMYDOC"], 3,
         "duplicate of line 2"),
        (["绿色发展\tgreen development\t\tMYDOC", "绿色发展\tgreen growth\t\tMYDOC"], 3,
         "conflicts with ('green development' on) line 2"),
    ],
)  # fmt: skip
def test_a_bad_entry_is_reported_with_its_line(rows: list[str], line: int, message: str) -> None:
    _, problems = check_lines(["\t".join(HEADER), *rows], "terms.tsv")
    assert [(p.line, p.message) for p in problems if message in p.message] == [
        (line, next(p.message for p in problems if message in p.message))
    ]


def test_an_entry_without_a_source_is_accepted_only_when_marked_unverified() -> None:
    terms, problems = check_lines(
        ["\t".join(HEADER), "绿色发展\tgreen development\t\tunverified"], "t"
    )
    assert problems == [] and not terms[0].verified
    _, problems = check_lines(["\t".join(HEADER), "绿色发展\tgreen development\t\t"], "t")
    assert problems and "no source" in problems[0].message


def test_a_file_without_the_header_is_refused() -> None:
    _, problems = check_lines(["绿色发展\tgreen development\t\tMYDOC"], "t")
    assert problems[0].line == 1 and "header" in problems[0].message


def test_user_files_come_after_the_shipped_glossary_and_later_files_win(tmp_path: Path) -> None:
    first = write(tmp_path, "新质生产力\tnew-type productive forces\t\tMYDOC",
                  "绿色发展\tgreen development\t\tMYDOC")  # fmt: skip
    second = tmp_path / "second.tsv"
    second.write_text("\t".join(HEADER) + "\n绿色发展\tgreen growth\t\tHERDOC\n", "utf-8")
    glossary = load_glossary([first, second])
    enforced = glossary.enforced()
    assert enforced["新质生产力"] == "new-type productive forces"
    assert enforced["绿色发展"] == "green growth"
    assert enforced["高质量发展"] == "high-quality development"  # shipped, untouched


def test_unverified_terms_are_not_enforced_and_the_digest_follows_what_is() -> None:
    shipped = load_glossary()
    unverified = [t.zh for t in shipped.terms.values() if not t.verified]
    assert unverified and not set(unverified) & set(shipped.enforced())
    assert re.fullmatch("[0-9a-f]{12}", shipped.digest)
    assert load_glossary().digest == shipped.digest


def test_a_bad_user_glossary_is_an_input_error_naming_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "绿色发展\tgreen development\t\tMYDOC", "新质生产力\tnew\t\t")
    with pytest.raises(InputError) as caught:
        read_glossary_file(path)
    assert caught.value.message == f"{path}:3: no source: name the public document, or write " \
        "'unverified'"  # fmt: skip
    assert "briefing glossary check" in caught.value.hint


def test_glossary_check_command(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = write(
        tmp_path, "绿色发展\tgreen development\t\tMYDOC", "数字中国\tDigital China\t\tunverified"
    )
    result = run_cli("glossary", "check", str(good))
    assert result.code == 0
    assert result.err.strip() == f"{good}: 2 terms, 1 unverified (not enforced)"
    bad = write(tmp_path, "绿色发展\tgreen development\t\tMYDOC", "绿色发展\tgreen growth\t\tX",
                "\tx\t\tY")  # fmt: skip
    result = run_cli("glossary", "check", str(bad))
    assert result.code == 2
    assert result.out.splitlines() == [
        f"{bad}:3: 绿色发展: conflicts with ('green development' on) line 2",
        f"{bad}:4: empty zh",
    ]
    assert run_cli("glossary", "check", str(tmp_path / "none.tsv")).code == 2


def test_the_shipped_glossary_passes_its_own_check(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("glossary", "check", str(ROOT / "briefing" / "data" / "glossary.tsv")).code == 0


def test_people_named_in_the_report_enter_as_pinyin() -> None:
    from briefing.people import find_people
    from briefing.pipeline import enforced_terms, parse_file

    terms = enforced_terms(load_glossary(), find_people(parse_file(SAMPLE)))
    assert terms["孙海山"] == ("Sun Haishan",)
    assert terms["新质生产力"][0] == "new quality productive forces"


def test_generate_refuses_a_bad_glossary_before_loading_the_model(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = write(tmp_path, "绿色发展\tgreen development\t\t")
    out = tmp_path / "b.docx"
    result = run_cli("generate", str(SAMPLE), "-o", str(out), "--glossary", str(bad),
                     "--model", str(tmp_path / "no-model"))  # fmt: skip
    assert result.code == 2
    assert "no source" in result.err


def test_a_fifth_column_lists_variants_the_checks_accept(tmp_path: Path) -> None:
    path = tmp_path / "v.tsv"
    path.write_text("zh\ten\tnote\tsource\tvariants\n"
                    "新发展格局\ta new pattern of development\t\tCPC20\tnew development pattern\n"
                    "绿色发展\tgreen development\t\tMYDOC\n", encoding="utf-8")  # fmt: skip
    terms = {t.zh: t for t in read_glossary_file(path)}
    assert terms["新发展格局"].variants == ("new development pattern",)
    assert terms["绿色发展"].variants == ()  # the empty last column may be left out
    glossary = load_glossary([path])
    assert glossary.accepted()["新发展格局"] == (
        "a new pattern of development", "new development pattern")
    assert glossary.enforced()["新发展格局"] == "a new pattern of development"  # what is written


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("绿色发展\tgreen development\t\tMYDOC\tgreen growth||x", "an empty variant"),
        ("绿色发展\tgreen development\tMYDOC", "3 fields, not 5"),
    ],
)
def test_a_bad_variants_column_is_reported(row: str, message: str) -> None:
    _, problems = check_lines(["\t".join((*HEADER, "variants")), row], "t")
    assert [p.line for p in problems] == [2] and message in problems[0].message


def test_the_digest_changes_with_the_variants(tmp_path: Path) -> None:
    plain, with_variant = tmp_path / "a.tsv", tmp_path / "b.tsv"
    plain.write_text("zh\ten\tnote\tsource\n绿色发展\tgreen development\t\tMYDOC\n", "utf-8")
    with_variant.write_text(
        "zh\ten\tnote\tsource\tvariants\n绿色发展\tgreen development\t\tMYDOC\tgreen growth\n",
        "utf-8",
    )
    assert load_glossary([plain]).digest != load_glossary([with_variant]).digest


def test_an_entry_with_a_character_xml_cannot_hold_is_a_problem() -> None:
    """Its English would reach the briefing, which cannot hold it."""
    lines = ["zh\ten\tnote\tsource", "新质生产力\tnew quality\x00forces\t\tunverified"]
    terms, problems = check_lines(lines, "g.tsv")
    assert terms == []
    assert problems == [Problem(2, "a character a Word document cannot hold (U+0000)")]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"], ids=["LS", "PS", "NEL"])
def test_a_unicode_line_separator_inside_a_field_does_not_split_the_line(
    tmp_path: Path, separator: str
) -> None:
    """str.splitlines split there: one term silently became two broken lines."""
    path = write(tmp_path, f"新质生产力\tnew quality{separator}productive forces\t\tunverified",
                 "数字中国\tDigital China\t\tGWR2024")  # fmt: skip
    terms, problems = check_lines(glossary_lines(path), str(path))
    assert problems == []
    assert [(t.zh, t.where) for t in terms] == [
        ("新质生产力", f"{path}:2"),
        ("数字中国", f"{path}:3"),
    ]


@pytest.mark.parametrize("separator", ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e"],
                         ids=["VT", "FF", "FS", "GS", "RS"])  # fmt: skip
def test_a_control_separator_inside_a_field_is_a_problem_on_its_own_line(
    tmp_path: Path, separator: str
) -> None:
    path = write(tmp_path, f"新质{separator}生产力\tnew quality productive forces\t\tunverified",
                 "数字中国\tDigital China\t\tGWR2024")  # fmt: skip
    terms, problems = check_lines(glossary_lines(path), str(path))
    assert [p.line for p in problems] == [2]
    assert [t.zh for t in terms] == ["数字中国"]


def test_glossary_check_of_a_folder_or_a_file_with_problems_keeps_the_error_contract(  # type: ignore[no-untyped-def]
    run_cli, tmp_path: Path
) -> None:
    folder = run_cli("glossary", "check", str(tmp_path))  # was IsADirectoryError, exit 1
    assert folder.code == 2
    assert folder.err.splitlines() == [
        f"error: {tmp_path}: is a folder, not a file",
        "hint: pass a glossary file (UTF-8 TSV)",
    ]
    bad = run_cli("glossary", "check", str(write(tmp_path, "\tx\t\tY")))
    assert bad.code == 2
    assert bad.err.splitlines()[0] == f"error: {tmp_path / 'terms.tsv'}: 1 problem, each listed " \
        "with its line"  # fmt: skip
    assert bad.err.splitlines()[1].startswith("hint: ")
