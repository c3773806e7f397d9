"""The translation memory: one SQLite file, keyed by sentence, with every change kept; and
how the translation policy consults it."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from briefing.errors import InputError, UsageError
from briefing.memory import (
    APPLICATION_ID,
    MIGRATIONS,
    SCHEMA_VERSION,
    Memory,
    Write,
    find_entries,
    normalise,
    open_memory,
    sentence_key,
)
from briefing.model import Segment
from briefing.options import TranslationOptions
from briefing.pipeline import translate_document
from briefing.translate.policy import translate_segments
from tests.conftest import ROOT, SAMPLE
from tests.doubles import (
    EchoTranslatorTestDouble,
    ScriptedTranslatorTestDouble,
    StandInModelTestDouble,
)

REPORT = ROOT / "tests" / "data" / "checks" / "report.txt"
JOBS = "全年新增就业岗位7万个。"  # the second sentence of s1.p1 in REPORT
GDP = "今年全市地区生产总值增长5.8%。"  # its first


def edit(memory: Memory, zh: str, en: str, who: str = "alice", status: str = "edited") -> None:
    memory.write([Write(sentence_key(zh), zh, en, status, "edited", who)])  # type: ignore[arg-type]


# --- keys ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("全年新增就业岗位7万个。", "全年新增就业岗位７万个。"),  # full-width digit
        ("加快发展AI产业，推动融合。", "加快发展AI产业,推动融合。"),  # full-width comma
        ("全年新增 就业岗位7万个。", "全年新增就业岗位7万个。"),  # a stray space
        (" 全年新增就业岗位7万个。\n", "全年新增就业岗位7万个。"),
    ],
)
def test_a_sentence_has_one_key_however_it_is_typed(one: str, other: str) -> None:
    assert sentence_key(one) == sentence_key(other)


def test_different_sentences_have_different_keys_and_latin_spaces_count() -> None:
    assert sentence_key(GDP) != sentence_key(JOBS)
    assert normalise("AI 产业 and  more") == "AI产业and more"


# --- the file --------------------------------------------------------------------------------


def test_a_new_memory_is_a_versioned_wal_database(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "memory.sqlite"
    with Memory(path) as memory:
        assert memory.integrity() == "ok"
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
    assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"entries", "history", "briefings", "briefing_units"} <= tables


def test_migrations_are_applied_in_order_to_an_older_file_keeping_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "memory.sqlite"
    with Memory(path) as memory:
        edit(memory, JOBS, "70,000 new jobs.")
    later = (*MIGRATIONS, ("a column", ("ALTER TABLE entries ADD COLUMN extra TEXT",)))
    monkeypatch.setattr("briefing.memory.MIGRATIONS", later)
    monkeypatch.setattr("briefing.memory.SCHEMA_VERSION", len(later))
    with Memory(path) as memory:
        entry = memory.get(sentence_key(JOBS))
        assert entry is not None and entry.en == "70,000 new jobs."
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(later)
    assert "extra" in {r[1] for r in db.execute("PRAGMA table_info(entries)")}


def test_a_memory_from_a_newer_briefing_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "memory.sqlite"
    Memory(path).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(InputError, match="newer than this briefing knows"):
        Memory(path)


@pytest.mark.parametrize("kind", ["text", "other program"])
def test_a_file_that_is_not_a_memory_is_refused_untouched(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "memory.sqlite"
    if kind == "text":
        path.write_text("not a database\n" * 100)
    else:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE songs (title TEXT)")
        db.commit()
        db.close()
    before = path.read_bytes()
    with pytest.raises(InputError, match="is not a translation memory"):
        Memory(path)
    assert path.read_bytes() == before


def test_reading_commands_do_not_create_a_memory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no translation memory there"):
        open_memory(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


def test_the_path_is_the_option_then_the_environment_then_briefing_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.memory import memory_path

    monkeypatch.setenv("BRIEFING_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("BRIEFING_MEMORY")
    assert memory_path() == tmp_path / "home" / "memory.sqlite"
    monkeypatch.setenv("BRIEFING_MEMORY", str(tmp_path / "env.sqlite"))
    assert memory_path() == tmp_path / "env.sqlite"
    assert memory_path(tmp_path / "given.sqlite") == tmp_path / "given.sqlite"


# --- changes and their history ------------------------------------------------------------------


def test_every_change_is_kept_in_the_history(tmp_path: Path) -> None:
    with Memory(tmp_path / "m.sqlite") as memory:
        key = sentence_key(JOBS)
        memory.store_machine([(key, JOBS, ["come on come on"])], "sig-1")
        edit(memory, JOBS, "70,000 new jobs were created.", who="alice")
        edit(memory, JOBS, "70,000 jobs were created this year.", who="bob", status="approved")
        memory.store_machine([(key, JOBS, ["a model's later English"])], "sig-2")
        entry = memory.get(key)
        history = memory.history(key)
    assert entry is not None
    assert (entry.en, entry.status, entry.who) == ("70,000 jobs were created this year.",
                                                   "approved", "bob")  # fmt: skip
    assert (entry.machine_en, entry.signature) == ("come on come on", "sig-1")
    assert [(c.action, c.status, c.who, c.en) for c in history] == [
        ("machine", "machine", "briefing", "come on come on"),
        ("edited", "edited", "alice", "70,000 new jobs were created."),
        ("edited", "approved", "bob", "70,000 jobs were created this year."),
    ]  # the model's later English never replaced the reviewer's


def test_machine_english_under_a_new_signature_replaces_the_old_keeping_it(
    tmp_path: Path,
) -> None:
    with Memory(tmp_path / "m.sqlite") as memory:
        key = sentence_key(GDP)
        assert memory.store_machine([(key, GDP, ["GDP grew 5.8%."])], "sig-1") == 1
        assert memory.store_machine([(key, GDP, ["GDP grew 5.8%."])], "sig-1") == 0  # no change
        assert memory.store_machine([(key, GDP, ["GDP rose 5.8%."])], "sig-2") == 1
        history = memory.history(key)
        entry = memory.get(key)
    assert entry is not None and (entry.en, entry.signature) == ("GDP rose 5.8%.", "sig-2")
    assert [(c.action, c.en, c.signature) for c in history] == [
        ("machine", "GDP grew 5.8%.", "sig-1"),
        ("retranslated", "GDP rose 5.8%.", "sig-2"),
    ]


def test_a_failed_transaction_stores_nothing(tmp_path: Path) -> None:
    with Memory(tmp_path / "m.sqlite") as memory:
        good = Write(sentence_key(GDP), GDP, "GDP grew.", "edited", "edited", "alice")
        bad = Write(sentence_key(JOBS), JOBS, "Jobs.", "reviewed", "edited", "alice")  # type: ignore[arg-type]
        with pytest.raises(sqlite3.IntegrityError):
            memory.write([good, bad])
        assert memory.get(sentence_key(GDP)) is None
        assert memory.history(sentence_key(GDP)) == []


def test_history_is_found_by_hash_prefix_or_by_text(tmp_path: Path) -> None:
    with Memory(tmp_path / "m.sqlite") as memory:
        edit(memory, JOBS, "70,000 new jobs.")
        edit(memory, GDP, "GDP grew by 5.8%.")
        key = sentence_key(JOBS)
        assert [e.key for e in find_entries(memory, key[:8], None)] == [key]
        assert [e.key for e in find_entries(memory, None, "全年新增就业岗位７万个。")] == [key]
        both = find_entries(memory, None, GDP + JOBS)  # a paragraph: each of its sentences
        assert [e.key for e in both] == [sentence_key(GDP), key]
        with pytest.raises(InputError, match="is not a sentence hash"):
            find_entries(memory, "abc", None)
        with pytest.raises(InputError, match="is not in"):
            find_entries(memory, None, "城镇调查失业率下降0.3个百分点。")


# --- concurrency and durability ----------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from briefing.memory import Memory, Write, sentence_key

    path, name, rounds, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    memory = Memory(Path(path))
    while not go.exists():
        time.sleep(0.005)
    for n in range(rounds):
        for k in range(5):
            zh = f"共有的第{k}句。"
            memory.write([Write(sentence_key(zh), zh, f"{name} {n}", "edited", "edited", name)])
        zh = f"{name}自己的第{n}句。"
        memory.write([Write(sentence_key(zh), zh, f"{name} own {n}", "edited", "edited", name)])
        print(f"stored {n}", flush=True)
    """
)


def _writer(path: Path, name: str, rounds: int, go: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), name, str(rounds), str(go)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip


def test_two_processes_editing_at_once_lose_nothing(tmp_path: Path) -> None:
    path, go, rounds = tmp_path / "memory.sqlite", tmp_path / "go", 20
    Memory(path).close()
    writers = [_writer(path, name, rounds, go) for name in ("alice", "bob")]
    time.sleep(0.5)  # both started and waiting
    go.touch()
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert out.splitlines()[-1] == f"stored {rounds - 1}"
    with Memory(path) as memory:
        assert memory.integrity() == "ok"
        for k in range(5):
            history = memory.history(sentence_key(f"共有的第{k}句。"))
            for name in ("alice", "bob"):
                mine = [c.en for c in history if c.who == name]
                assert mine == [f"{name} {n}" for n in range(rounds)]
            entry = memory.get(sentence_key(f"共有的第{k}句。"))
            assert entry is not None and entry.en == history[-1].en
        for name in ("alice", "bob"):
            for n in range(rounds):
                entry = memory.get(sentence_key(f"{name}自己的第{n}句。"))
                assert entry is not None and entry.en == f"{name} own {n}"


def test_an_edit_reported_stored_survives_sigkill(tmp_path: Path) -> None:
    path, go = tmp_path / "memory.sqlite", tmp_path / "go"
    go.touch()
    writer = _writer(path, "carol", 10_000, go)
    assert writer.stdout is not None
    reported = -1
    while reported < 5:
        line = writer.stdout.readline()
        assert line, writer.stderr.read() if writer.stderr else "the writer died"
        reported = int(line.split()[1])
    os.kill(writer.pid, signal.SIGKILL)  # in the middle of its next edits
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL
    with Memory(path) as memory:
        assert memory.integrity() == "ok"
        for n in range(reported + 1):
            entry = memory.get(sentence_key(f"carol自己的第{n}句。"))
            assert entry is not None and entry.en == f"carol own {n}"
            assert [c.en for c in memory.history(entry.key)] == [f"carol own {n}"]


def test_a_writer_waits_for_another_then_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefing.errors import OutputError

    path = tmp_path / "memory.sqlite"
    Memory(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    monkeypatch.setattr("briefing.memory.BUSY_TIMEOUT_S", 0.3)
    with Memory(path) as memory:
        started = time.monotonic()
        with pytest.raises(OutputError, match="database is locked") as caught:
            edit(memory, JOBS, "70,000 new jobs.")
        assert time.monotonic() - started >= 0.25  # it waited before giving up
        assert "--no-memory" in caught.value.hint
        holder.execute("COMMIT")
        edit(memory, JOBS, "70,000 new jobs.")  # and works once the other is done
        assert memory.get(sentence_key(JOBS)) is not None


# --- the policy consults the memory -----------------------------------------------------------


def _translate(model: object, options: TranslationOptions | None = None) -> dict[str, object]:
    options = options or TranslationOptions(glossary=False)
    done = translate_document(REPORT, options, model)  # type: ignore[arg-type]
    return {s.id: s for s in done.segments}


def test_a_reviewer_s_english_is_used_as_is_not_sent_to_the_model_not_retried_still_checked(
    private_memory: Path,
) -> None:
    with open_memory() as memory:
        edit(memory, JOBS, "Jobs were created.")  # lost the number: the checks say so
        edit(memory, GDP, "This year GDP grew by 5.8%.", status="approved")
    model = StandInModelTestDouble()
    segments = _translate(model)
    jobs, gdp = segments["s1.p1.2"], segments["s1.p1.1"]
    assert (jobs.en, jobs.origin, jobs.status) == ("Jobs were created.", "human", "edited")  # type: ignore[attr-defined]
    assert (gdp.en, gdp.status) == ("This year GDP grew by 5.8%.", "approved")  # type: ignore[attr-defined]
    assert "number_mismatch" in [f.kind for f in jobs.flags]  # type: ignore[attr-defined]
    assert not jobs.retried  # type: ignore[attr-defined]
    sent = model.seen + model.retried
    assert not any("就业岗位" in text or "生产总值" in text for text in sent)
    assert any("农村公路" in text for text in model.seen)  # the rest went to the model


def test_machine_english_is_reused_only_under_the_same_signature(private_memory: Path) -> None:
    first = StandInModelTestDouble("r1")
    _translate(first)
    assert first.seen
    again = StandInModelTestDouble("r1")
    reused = _translate(again)
    assert again.seen == [] and again.retried == []
    assert {s.origin for s in reused.values()} <= {"memory", "copy"}  # type: ignore[attr-defined]
    newer = StandInModelTestDouble("r2")  # another revision: another signature
    _translate(newer)
    assert sorted(newer.seen) == sorted(first.seen)
    other_budget = StandInModelTestDouble("r2")
    _translate(other_budget, TranslationOptions(glossary=False, max_segment_tokens=12))
    assert other_budget.seen  # the segment budget is in the signature


def test_a_test_model_s_english_is_never_reused_for_a_real_model(private_memory: Path) -> None:
    test_model = EchoTranslatorTestDouble()
    _translate(test_model)
    with open_memory() as memory:
        entry = memory.get(sentence_key(JOBS))
    assert entry is not None and entry.test_model
    real = StandInModelTestDouble()
    segments = _translate(real)
    assert real.seen
    assert all(s.origin in ("mt", "copy") for s in segments.values())  # type: ignore[attr-defined]


def test_a_correction_sticks_whatever_the_segment_budget(private_memory: Path) -> None:
    sentence = "加快发展AI产业，推动数字经济和实体经济深度融合。"
    with open_memory() as memory:
        edit(memory, sentence, "We will speed up the AI industry.")
    model = StandInModelTestDouble()
    small = _translate(model, TranslationOptions(glossary=False, max_segment_tokens=12))
    assert "s2.p2.2" not in small  # the sentence is one segment again, not its pieces
    assert small["s2.p2.1"].en == "We will speed up the AI industry."  # type: ignore[attr-defined]
    assert small["s2.p2.1"].zh == sentence  # type: ignore[attr-defined]
    assert not any("AI产业" in text for text in model.seen)


def test_english_stored_for_a_whole_paragraph_is_used_for_it(private_memory: Path) -> None:
    paragraph = GDP + JOBS
    with open_memory() as memory:
        memory.write([Write(sentence_key(paragraph), paragraph, "GDP up 5.8%, and 70,000 jobs.",
                            "edited", "edited", "alice", level="paragraph")])  # fmt: skip
    segments = _translate(StandInModelTestDouble())
    assert segments["s1.p1.1"].en == "GDP up 5.8%, and 70,000 jobs."  # type: ignore[attr-defined]
    assert segments["s1.p1.1"].zh == paragraph  # type: ignore[attr-defined]
    assert "s1.p1.2" not in segments


def test_no_memory_neither_reads_nor_makes_the_file(private_memory: Path) -> None:
    model = StandInModelTestDouble()
    segments = _translate(model, TranslationOptions(glossary=False, memory=False))
    assert not private_memory.exists()
    assert all(s.memory_key is None for s in segments.values())  # type: ignore[attr-defined]


def test_memory_and_no_memory_together_are_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="contradict"):
        TranslationOptions(memory=False, memory_path=tmp_path / "m.sqlite")


def test_the_commands_take_memory_and_no_memory(  # type: ignore[no-untyped-def]
    run_cli, tiny_model: Path, tmp_path: Path, private_memory: Path
) -> None:
    chosen = tmp_path / "chosen.sqlite"
    done = run_cli("-q", "translate", str(REPORT), "--model", str(tiny_model), "--no-retry",
                   "--memory", str(chosen))  # fmt: skip
    assert done.code == 0, done.err
    assert chosen.exists() and not private_memory.exists()
    off = run_cli("-q", "translate", str(REPORT), "--model", str(tiny_model), "--no-memory")
    assert off.code == 0 and not private_memory.exists()
    both = run_cli("translate", str(REPORT), "--memory", str(chosen), "--no-memory")
    assert both.code == 2 and "contradict" in both.err


def test_each_sentence_goes_to_the_memory_with_the_english_of_its_pieces(
    tmp_path: Path,
) -> None:
    """Machine English comes back segment by segment, as it was made (same signature, so
    the same pieces); a reviewer's English for the sentence, as one segment."""
    pieces = [
        Segment("s1.p1.1", "s1.p1", "甲，", "甲，", True),
        Segment("s1.p1.2", "s1.p1", "乙。", "乙。", True),
        Segment("s1.p1.3", "s1.p1", "丙。", "丙。", True),
    ]
    script = {"甲，": "A,", "乙。": "B.", "丙。": "C."}
    from briefing.memory import MemoryUse

    with Memory(tmp_path / "m.sqlite") as memory:
        done = translate_segments(pieces, ScriptedTranslatorTestDouble(script), retry=False,
                                  memory=MemoryUse(memory, "sig"))  # fmt: skip
        assert [s.memory_key for s in done] == [sentence_key("甲，乙。")] * 2 + [
            sentence_key("丙。")
        ]
        first = memory.get(sentence_key("甲，乙。"))
        assert first is not None and (first.en, first.signature) == ("A, B.", "sig")
        assert first.machine_pieces == ("A,", "B.")
        again = translate_segments(pieces, ScriptedTranslatorTestDouble({}), retry=False,
                                   memory=MemoryUse(memory, "sig"))  # fmt: skip
        assert [(s.id, s.zh, s.en, s.origin) for s in again] == [
            ("s1.p1.1", "甲，", "A,", "memory"),
            ("s1.p1.2", "乙。", "B.", "memory"),
            ("s1.p1.3", "丙。", "C.", "memory"),
        ]
        edit(memory, "甲，乙。", "A and B.")
        reviewed = translate_segments(pieces, ScriptedTranslatorTestDouble({}), retry=False,
                                      memory=MemoryUse(memory, "sig"))  # fmt: skip
    assert [(s.id, s.zh, s.en, s.origin) for s in reviewed] == [
        ("s1.p1.1", "甲，乙。", "A and B.", "human"),
        ("s1.p1.3", "丙。", "C.", "memory"),
    ]


def test_the_sample_reuses_its_own_english_word_for_word(private_memory: Path) -> None:
    first = translate_document(SAMPLE, TranslationOptions(), StandInModelTestDouble())
    again = translate_document(SAMPLE, TranslationOptions(), StandInModelTestDouble())
    assert [(s.parent, s.en) for s in first.segments if s.origin != "copy"] != []

    def english(done: object) -> dict[str, str]:
        units: dict[str, list[str]] = {}
        for s in done.segments:  # type: ignore[attr-defined]
            units.setdefault(s.parent, []).append(s.en)
        return {unit: " ".join(e for e in parts if e) for unit, parts in units.items()}

    assert english(again) == english(first)
    assert [f for s in again.segments for f in s.flags] == [f for s in first.segments
                                                             for f in s.flags]  # fmt: skip


# --- what a reviewer says besides the English (briefing review) -----------------------------


def test_a_memory_of_schema_1_gains_the_review_tables_and_keeps_its_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "memory.sqlite"
    monkeypatch.setattr("briefing.memory.MIGRATIONS", MIGRATIONS[:1])
    monkeypatch.setattr("briefing.memory.SCHEMA_VERSION", 1)
    with Memory(path) as old:
        edit(old, JOBS, "70,000 new jobs.")
    monkeypatch.undo()
    with Memory(path) as memory:
        assert memory.stats().schema == SCHEMA_VERSION == 2
        assert memory.get(sentence_key(JOBS)).en == "70,000 new jobs."  # type: ignore[union-attr]
        assert memory.dismissals([sentence_key(JOBS)]) == {}


def test_a_dismissal_is_kept_with_who_and_when_and_can_be_withdrawn(tmp_path: Path) -> None:
    key = sentence_key(JOBS)
    with Memory(tmp_path / "m.sqlite") as memory:
        detail = "7万 (70,000) is not in the English"
        made = memory.dismiss(key, "number_mismatch", detail, "Seventy thousand new jobs.",
                              "spelt out in words", "alice")  # fmt: skip
        other = memory.dismiss(key, "omission", "a clause…", "x", "fine", "bob")
        found = memory.dismissals([key, "nothing"])
        assert [d.id for d in found[key]] == [made.id, other.id]
        assert (found[key][0].reason, found[key][0].who) == ("spelt out in words", "alice")
        assert found[key][0].at.endswith("Z")
        assert memory.withdraw_dismissal(other.id, "carol")
        assert not memory.withdraw_dismissal(other.id, "carol")  # once
        assert [d.id for d in memory.dismissals([key])[key]] == [made.id]
        assert memory.stats().dismissals == 1
    with sqlite3.connect(tmp_path / "m.sqlite") as db:  # the withdrawn one is on record
        assert db.execute("SELECT withdrawn_by FROM dismissals WHERE id = ?",
                          (other.id,)).fetchone() == ("carol",)  # fmt: skip


def test_comments_are_kept_per_paragraph_text_and_deleted_ones_stay_on_record(
    tmp_path: Path,
) -> None:
    key = sentence_key(GDP + JOBS)
    with Memory(tmp_path / "m.sqlite") as memory:
        first = memory.add_comment(key, GDP + JOBS, "Check the growth figure <b>", "alice")
        memory.add_comment(key, GDP + JOBS, "Source: the statistics bureau", "bob")
        shown = memory.comments([key])[key]
        assert [(c.text, c.who) for c in shown] == [
            ("Check the growth figure <b>", "alice"),
            ("Source: the statistics bureau", "bob"),
        ]
        assert memory.delete_comment(first.id, "carol")
        assert [c.who for c in memory.comments([key])[key]] == ["bob"]
        assert memory.stats().comments == 1
    with sqlite3.connect(tmp_path / "m.sqlite") as db:
        assert db.execute("SELECT count(*) FROM comments").fetchone() == (2,)


def test_a_term_added_again_replaces_its_english(tmp_path: Path) -> None:
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.add_term("城镇就业", "urban employment", "alice")
        memory.add_term("城镇就业", "urban jobs", "bob", note="as the bureau writes it")
        memory.add_term("新质生产力", "new quality productive forces", "alice")
        terms = memory.terms()
        assert [(t.zh, t.en, t.who) for t in terms] == [
            ("城镇就业", "urban jobs", "bob"),
            ("新质生产力", "new quality productive forces", "alice"),
        ]
        assert memory.stats().terms == 2


def test_a_reviewer_may_put_machine_english_back_over_their_own(tmp_path: Path) -> None:
    """Only an explicit revert (or a pick) does: a model's English never replaces a
    reviewer's on its own."""
    key = sentence_key(JOBS)
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.store_machine([(key, JOBS, ["70,000 jobs."])], "sig")
        edit(memory, JOBS, "70,000 new jobs.")
        memory.store_machine([(key, JOBS, ["Other."])], "sig2")
        assert memory.get(key).en == "70,000 new jobs."  # type: ignore[union-attr]
        made = memory.write([Write(key, JOBS, "70,000 jobs.", "machine", "reverted", "alice",
                                   signature="sig", pieces=("70,000 jobs.",))])  # fmt: skip
        assert made
        entry = memory.get(key)
        assert entry is not None
        assert (entry.en, entry.status, entry.who, entry.signature) == (
            "70,000 jobs.", "machine", "alice", "sig")  # fmt: skip
        assert [c.action for c in memory.history(key)] == ["machine", "edited", "reverted"]


def test_more_keys_than_sqlite_binds_at_once_are_all_looked_up(tmp_path: Path) -> None:
    """Lookups by key go 500 keys a query (SQLite's limit on bound parameters): 1,200
    sentences, their comments and dismissals come back whole, each key's oldest first."""
    sentences = [f"第{n}句。" for n in range(1200)]
    keys = [sentence_key(zh) for zh in sentences]
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.store_machine([(k, zh, [f"sentence {n}"]) for n, (k, zh) in
                              enumerate(zip(keys, sentences, strict=True))], "sig")  # fmt: skip
        for key, zh in zip(keys, sentences, strict=True):
            memory.add_comment(key, zh, "first", "alice")
            memory.add_comment(key, zh, "second", "bob")
        memory.dismiss(keys[-1], "omission", "", "sentence 1199", "fine", "alice")
        found = memory.lookup(keys)
        comments = memory.comments(keys)
        dismissals = memory.dismissals(keys)
    assert len(found) == 1200 and found[keys[700]].en == "sentence 700"
    assert len(comments) == 1200
    assert all([c.text for c in comments[k]] == ["first", "second"] for k in keys)
    assert list(dismissals) == [keys[-1]]
