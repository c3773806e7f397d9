"""The Word round-trip: generate, edit the .docx as Word leaves it, import-review,
regenerate. The edits are made with python-docx the way Word's own save writes them:
runs split by the spell checker and by editing sessions (rsids, proofing marks, a
bookmark), a tracked change accepted, a reviewer's comment."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from briefing.errors import InputError
from briefing.memory import open_memory, sentence_key
from briefing.model import Briefing
from briefing.options import GenerateOptions, TranslationOptions
from briefing.pipeline import generate, import_review, parse_file
from briefing.present import TEST_MODEL_MARKER
from briefing.wordreview import align
from tests.conftest import ROOT, SAMPLE
from tests.doubles import EchoTranslatorTestDouble, StandInModelTestDouble

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
SMALL = ROOT / "tests" / "data" / "checks" / "report.txt"


# --- editing a .docx as Word does ----------------------------------------------------------


def rows_by_id(document: Any) -> dict[str, Any]:
    """The paragraph rows (ID | 中文 | English | Status) by paragraph id."""
    rows = {}
    for table in document.tables:
        if [c.text for c in table.rows[0].cells] == ["ID", "中文", "English", "Status"]:
            for row in table.rows[1:]:
                rows[row.cells[0].paragraphs[0].text] = row
    return rows


def _run(text: str, rpr: Any, rsid: str) -> Any:
    run = OxmlElement("w:r")
    run.set(qn("w:rsidR"), rsid)
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = OxmlElement("w:t")
    t.set(XML_SPACE, "preserve")
    t.text = text
    run.append(t)
    return run


def _mark(tag: str, **attributes: str) -> Any:
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def rewrite_as_word_does(cell: Any, pieces: list[str], inserted: int | None = None) -> None:
    """The cell's English replaced by `pieces`, one run each, as Word saves a paragraph
    after editing: each run with its revision id, proofing marks around some, a bookmark
    in the middle; piece `inserted` written in another session (an accepted tracked
    insertion leaves exactly that: a plain run with its own rsid). The comment anchors
    of the checks stay where they were."""
    paragraph = cell.paragraphs[0]._p
    text_runs = [r for r in paragraph.iterchildren(qn("w:r")) if r.find(qn("w:t")) is not None]
    rpr = text_runs[0].find(qn("w:rPr"))
    anchor = text_runs[0].getprevious()
    for run in text_runs:
        paragraph.remove(run)
    made: list[Any] = []
    for k, piece in enumerate(pieces):
        if k % 3 == 1:
            made.append(_mark("w:proofErr", type="spellStart"))
        made.append(_run(piece, rpr, "00C71D2A" if k == inserted else f"00A4{k:02d}E1"))
        if k % 3 == 1:
            made.append(_mark("w:proofErr", type="spellEnd"))
        if k == len(pieces) // 2:
            made.append(_mark("w:bookmarkStart", id="7", name="_GoBack"))
            made.append(_mark("w:bookmarkEnd", id="7"))
    position = paragraph.index(anchor) + 1 if anchor is not None else 1
    for offset, element in enumerate(made):
        paragraph.insert(position + offset, element)


def split_like_the_spell_checker(text: str, size: int = 9) -> list[str]:
    return [text[k : k + size] for k in range(0, len(text), size)]


def sentences_of(briefing: Briefing, unit: str) -> list[str]:
    """A paragraph's English, sentence by sentence, as the briefing showed it."""
    out: list[tuple[str | None, list[str]]] = []
    for s in briefing.segments:
        if s.parent != unit:
            continue
        if out and out[-1][0] == s.memory_key and s.memory_key is not None:
            out[-1][1].append(s.en)
        else:
            out.append((s.memory_key, [s.en]))
    return [" ".join(e for e in pieces if e) for _, pieces in out]


def multi_sentence_paragraphs(briefing: Briefing) -> list[str]:
    keys: dict[str, set[str]] = {}
    for s in briefing.segments:
        if s.memory_key and s.parent.startswith("s"):
            keys.setdefault(s.parent, set()).add(s.memory_key)
    return [unit for unit, found in keys.items() if len(found) >= 3]


# --- the round trip ------------------------------------------------------------------------


def test_edits_made_in_word_come_back_as_edited_reviewed_and_not_from_the_model(
    tmp_path: Path,
) -> None:
    first = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(),
                     StandInModelTestDouble("r1")).briefing  # fmt: skip
    a, b, c, d = multi_sentence_paragraphs(first)[:4]
    document = docx.Document(str(tmp_path / "b.docx"))
    rows = rows_by_id(document)
    assert {rows[u].cells[3].text for u in (a, b, c, d)} == {"machine"}

    # a: its second sentence rewritten; the spell checker split the runs
    sa = sentences_of(first, a)
    new_a = " ".join([sa[0], "On 7 May the Eighth Plenary Session met and adopted a decision.",
                      *sa[2:]])  # fmt: skip
    rewrite_as_word_does(rows[a].cells[2], split_like_the_spell_checker(new_a))
    # b: a tracked change in its last sentence, accepted (the deleted text is gone, the
    # inserted text is a run of its own)
    sb = sentences_of(first, b)
    head, last = " ".join(sb[:-1]) + " ", sb[-1]
    new_b = head + "The city will " + last[len(last) // 2 :]
    rewrite_as_word_does(rows[b].cells[2],
                         [head, "The city will ", last[len(last) // 2 :]], inserted=1)  # fmt: skip
    # c: rewritten as one sentence: it cannot be split back into its sentences
    new_c = "In short, the city will keep its promises."
    rewrite_as_word_does(rows[c].cells[2], split_like_the_spell_checker(new_c, 13))
    # d: English untouched, Status set to approved
    rows[d].cells[3].paragraphs[0].runs[0].text = "approved"
    # and a reviewer's comment on a's English
    document.add_comment(rows[a].cells[2].paragraphs[0].runs[-1], text="Check the date.",
                         author="Li Ming", initials="LM")  # fmt: skip
    document.save(str(tmp_path / "edited.docx"))

    report = import_review(tmp_path / "edited.docx", reviewer="Li Ming")
    outcomes = {o.unit: o for o in report.outcomes}
    assert set(outcomes) == {a, b, c, d}
    assert outcomes[a].action == "edited"
    assert outcomes[a].detail == f"1 of {len(sa)} sentences changed"
    assert outcomes[b].detail == f"1 of {len(sb)} sentences changed"
    assert outcomes[c].detail.startswith("stored for the whole paragraph")
    assert outcomes[d].action == "approved"
    assert report.warnings == []

    model = StandInModelTestDouble("r2")  # a new revision: no machine English is reused
    second = generate(SAMPLE, tmp_path / "again.docx", GenerateOptions(), model).briefing
    again = rows_by_id(docx.Document(str(tmp_path / "again.docx")))
    for unit, text in ((a, new_a), (b, new_b), (c, new_c)):
        assert again[unit].cells[2].text == text
        assert again[unit].cells[3].text == "edited"
    assert again[d].cells[2].text == first.english[d]
    assert again[d].cells[3].text == "approved"
    others = [u for u in again if u not in (a, b, c, d) and again[u].cells[3].text]
    assert others and {again[u].cells[3].text for u in others} == {"machine"}

    # the model was asked for everything but the reviewed paragraphs
    def inputs(units: set[str], briefing: Briefing) -> set[str]:
        return {s.model_input or s.zh for s in briefing.segments
                if s.parent in units and s.origin == "mt"}  # fmt: skip

    reviewed = {a, b, c, d}
    asked = set(model.seen) | set(model.retried)
    assert inputs(reviewed, first).isdisjoint(asked)
    assert inputs(set(again) - reviewed, first) <= asked
    assert {s.origin for s in second.segments if s.parent in reviewed} == {"human"}
    about = {r.cells[0].text: r.cells[1].text for r in docx.Document(
        str(tmp_path / "again.docx")).tables[0].rows}  # fmt: skip
    assert about["Review"].startswith(f"{len(again)} paragraphs: 3 edited, 1 approved, ")
    assert about["Notice"].startswith("Machine translation with reviewed paragraphs")


def test_a_reviewer_s_history_says_who_changed_what(tmp_path: Path) -> None:
    first = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(),
                     StandInModelTestDouble()).briefing  # fmt: skip
    unit = multi_sentence_paragraphs(first)[0]
    document = docx.Document(str(tmp_path / "b.docx"))
    sentences = sentences_of(first, unit)
    sentences[0] = "A better first sentence."
    rewrite_as_word_does(rows_by_id(document)[unit].cells[2], [" ".join(sentences)])
    document.save(str(tmp_path / "edited.docx"))
    report = import_review(tmp_path / "edited.docx", reviewer="Li Ming")
    key = report.outcomes[0].keys[0]
    with open_memory() as memory:
        history = memory.history(key)
        kept = memory.get(report.outcomes[0].keys[1])
    assert [(c.action, c.who) for c in history] == [("machine", "briefing"), ("edited", "Li Ming")]
    assert history[0].en != history[1].en == "A better first sentence."
    assert history[1].note == f"import-review edited.docx {unit}"
    # the sentences the reviewer read and kept are theirs too now
    assert kept is not None and (kept.status, kept.who) == ("edited", "Li Ming")
    assert kept.en == sentences[1]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    first = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(),
                     StandInModelTestDouble()).briefing  # fmt: skip
    unit = multi_sentence_paragraphs(first)[0]
    document = docx.Document(str(tmp_path / "b.docx"))
    rewrite_as_word_does(rows_by_id(document)[unit].cells[2], ["All new English."])
    document.save(str(tmp_path / "edited.docx"))
    assert len(import_review(tmp_path / "edited.docx").outcomes) == 1
    again = import_review(tmp_path / "edited.docx")
    assert again.outcomes == [] and again.unchanged == len(rows_by_id(document))


def test_two_reviewers_of_one_briefing_the_later_wins_the_earlier_stays_in_history(
    tmp_path: Path,
) -> None:
    first = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(),
                     StandInModelTestDouble()).briefing  # fmt: skip
    unit = multi_sentence_paragraphs(first)[0]
    sentences = sentences_of(first, unit)
    for name, text in (("alice", "Alice's first sentence."), ("bob", "Bob's first sentence.")):
        document = docx.Document(str(tmp_path / "b.docx"))  # each edits the same briefing
        rewrite_as_word_does(rows_by_id(document)[unit].cells[2],
                             [" ".join([text, *sentences[1:]])])  # fmt: skip
        document.save(str(tmp_path / f"{name}.docx"))
    assert import_review(tmp_path / "alice.docx", reviewer="alice").warnings == []
    again = import_review(tmp_path / "alice.docx", reviewer="alice")  # the same file again
    assert (again.outcomes, again.warnings) == ([], [])
    report = import_review(tmp_path / "bob.docx", reviewer="bob")
    [warning] = report.warnings
    assert warning.startswith(f"{unit}: sentence ") and "replaced by this edit" in warning
    with open_memory() as memory:
        history = memory.history(report.outcomes[0].keys[0])
    assert [(c.who, c.en) for c in history][1:] == [("alice", "Alice's first sentence."),
                                                    ("bob", "Bob's first sentence.")]  # fmt: skip


# --- what is refused ------------------------------------------------------------------------


def _history_rows(path: Path) -> int:
    return int(sqlite3.connect(path).execute("SELECT count(*) FROM history").fetchone()[0])


def test_a_briefing_whose_chinese_was_changed_is_refused_and_nothing_stored(
    tmp_path: Path, private_memory: Path
) -> None:
    first = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(),
                     StandInModelTestDouble()).briefing  # fmt: skip
    a, b = multi_sentence_paragraphs(first)[:2]
    document = docx.Document(str(tmp_path / "b.docx"))
    rows = rows_by_id(document)
    rewrite_as_word_does(rows[a].cells[2], ["Edited English."])
    rows[b].cells[1].paragraphs[0].runs[0].text += "补充一句。"
    document.save(str(tmp_path / "edited.docx"))
    before = _history_rows(private_memory)
    with pytest.raises(InputError, match=f"{b}: its Chinese is not what the briefing showed"):
        import_review(tmp_path / "edited.docx")
    assert _history_rows(private_memory) == before


def test_tracked_changes_not_yet_accepted_are_refused(tmp_path: Path) -> None:
    first = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(),
                     StandInModelTestDouble()).briefing  # fmt: skip
    unit = multi_sentence_paragraphs(first)[0]
    document = docx.Document(str(tmp_path / "b.docx"))
    paragraph = rows_by_id(document)[unit].cells[2].paragraphs[0]._p
    insertion = _mark("w:ins", id="1", author="Li Ming", date="2026-11-27T10:00:00Z")
    insertion.append(_run(" More.", None, "00B1"))
    paragraph.append(insertion)
    document.save(str(tmp_path / "edited.docx"))
    with pytest.raises(InputError, match="tracked changes not yet accepted") as caught:
        import_review(tmp_path / "edited.docx")
    assert "Accept" in caught.value.hint


@pytest.mark.parametrize("kind", ["not a briefing", "not a docx", "no memory"])
def test_a_file_that_is_not_a_reviewable_briefing_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "edited.docx"
    if kind == "not a briefing":
        other = docx.Document()
        other.add_paragraph("A letter.")
        other.add_table(rows=2, cols=2)
        other.save(str(path))
        expected = "is not a briefing"
    elif kind == "not a docx":
        path.write_text("plain text")
        expected = "is not a Word document"
    else:
        options = GenerateOptions(translation=TranslationOptions(memory=False))
        generate(SAMPLE, path, options, StandInModelTestDouble())
        expected = "generated without the translation memory"
    with pytest.raises(InputError, match=expected):
        import_review(path)


def test_a_briefing_from_another_memory_is_refused_with_a_hint(tmp_path: Path) -> None:
    generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(), StandInModelTestDouble())
    open_memory(tmp_path / "other.sqlite").close()
    with pytest.raises(InputError, match="has no record of its review id") as caught:
        import_review(tmp_path / "b.docx", tmp_path / "other.sqlite")
    assert "--memory" in caught.value.hint


# --- a test model's English is never made a reviewer's ------------------------------------------


def test_a_test_model_s_english_is_neither_approved_nor_kept_as_reviewed(tmp_path: Path) -> None:
    first = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(),
                     EchoTranslatorTestDouble()).briefing  # fmt: skip
    unit = multi_sentence_paragraphs(first)[0]
    document = docx.Document(str(tmp_path / "b.docx"))
    row = rows_by_id(document)[unit]
    shown = row.cells[2].text
    assert shown.startswith(f"[{TEST_MODEL_MARKER}] ")
    sentences = sentences_of(first, unit)
    rewrite_as_word_does(row.cells[2], [" ".join(["A real first sentence.", *sentences[1:]])])
    document.save(str(tmp_path / "edited.docx"))

    report = import_review(tmp_path / "edited.docx", approve=True)
    assert [o.unit for o in report.outcomes] == [unit]  # only the edit
    assert report.outcomes[0].action == "edited, approved"
    assert any("test model's English" in w for w in report.warnings)
    with open_memory() as memory:
        stats = memory.stats()
    assert stats.entries["approved"] == 1 and stats.entries["edited"] == 0

    generate(SAMPLE, tmp_path / "again.docx", GenerateOptions(), EchoTranslatorTestDouble())
    again = rows_by_id(docx.Document(str(tmp_path / "again.docx")))[unit]
    assert again.cells[3].text == "part edited"
    # the test model's sentences are still there, so the paragraph is still labelled
    assert again.cells[2].text.startswith(f"[{TEST_MODEL_MARKER}] A real first sentence. ")


def test_a_fully_rewritten_test_model_paragraph_is_the_reviewer_s_and_not_labelled(
    tmp_path: Path,
) -> None:
    first = generate(SAMPLE, tmp_path / "b.docx", GenerateOptions(),
                     EchoTranslatorTestDouble()).briefing  # fmt: skip
    unit = multi_sentence_paragraphs(first)[0]
    document = docx.Document(str(tmp_path / "b.docx"))
    # the reviewer typed over the label too
    rewrite_as_word_does(rows_by_id(document)[unit].cells[2], ["The reviewer's own English."])
    document.save(str(tmp_path / "edited.docx"))
    import_review(tmp_path / "edited.docx")
    generate(SAMPLE, tmp_path / "again.docx", GenerateOptions(), EchoTranslatorTestDouble())
    again = rows_by_id(docx.Document(str(tmp_path / "again.docx")))[unit]
    assert (again.cells[2].text, again.cells[3].text) == ("The reviewer's own English.", "edited")


# --- the command ---------------------------------------------------------------------------------


def test_the_import_review_command_reports_each_paragraph_stored(  # type: ignore[no-untyped-def]
    run_cli, tiny_model: Path, tmp_path: Path
) -> None:
    out = tmp_path / "b.docx"
    assert run_cli("-q", "generate", str(SMALL), "-o", str(out), "--model", str(tiny_model),
                   "--no-retry").code == 0  # fmt: skip
    document = docx.Document(str(out))
    rewrite_as_word_does(rows_by_id(document)["s1.p1"].cells[2], ["The economy grew by 5.8%."])
    document.save(str(tmp_path / "edited.docx"))
    result = run_cli("import-review", str(tmp_path / "edited.docx"), "--reviewer", "Li Ming")
    assert result.code == 0, result.err
    unit, action, detail, keys = result.out.strip().split("\t")
    assert (unit, action) == ("s1.p1", "edited")
    # two Chinese sentences, one English one: kept for the paragraph
    assert detail.startswith("stored for the whole paragraph")
    paragraph = next(parse_file(SMALL).paragraphs()).analysis
    assert keys == sentence_key(paragraph)[:12]
    assert "import-review: 1 paragraph edited (1 stored for the whole paragraph), 0 approved" in (
        result.err
    )
    history = run_cli("memory", "history", keys)
    assert history.code == 0 and "Li Ming" in history.out and "grew by 5.8%" in history.out
    bad = run_cli("import-review", str(SMALL))
    assert bad.code == 2 and bad.err.startswith("error: ") and "\nhint: " in bad.err


# --- aligning a paragraph's English to its sentences ------------------------------------------


@pytest.mark.parametrize(
    ("original", "edited", "expected"),
    [
        (["One sentence."], "Now two. Sentences.", ["Now two. Sentences."]),
        (["GDP grew 5.8%.", "Jobs: 70,000."], "GDP grew 5.8%. 70,000 new jobs were created.",
         ["GDP grew 5.8%.", "70,000 new jobs were created."]),
        (["GDP grew 5.8%.", "Jobs: 70,000."], "The economy grew 5.8%. Jobs: 70,000.",
         ["The economy grew 5.8%.", "Jobs: 70,000."]),
        # both sides of the boundary changed: cut at the English sentence end
        (["EN(甲)", "EN(乙)"], "First one. Second one.", ["First one.", "Second one."]),
        # punctuation between sentences has no English of its own to change
        (["A.", "", "B."], "A. Better B.", ["A.", "", "Better B."]),
        (["EN(甲)", "EN(乙)", "EN(丙)"], "All in one sentence now.", None),
        (["EN(甲)", "EN(乙)"], "Three. English. Sentences.", None),
    ],
)  # fmt: skip
def test_align(original: list[str], edited: str, expected: list[str] | None) -> None:
    assert align(original, edited) == expected
