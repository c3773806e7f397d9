"""Exchanging the memory as TMX 1.4, and the `briefing memory` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from briefing.errors import InputError
from briefing.memory import Memory, Write, sentence_key
from briefing.tmx import export_tmx, import_tmx

GDP = "今年全市地区生产总值增长5.8%。"
JOBS = "全年新增就业岗位7万个。"
ROADS = "新建和改造农村公路1200公里。"
PARAGRAPH = "城镇调查失业率下降0.3个百分点。加快发展AI产业，推动数字经济和实体经济深度融合。"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def fill(memory: Memory) -> None:
    """Machine English (one of it a test model's), edits, an approval, a whole paragraph."""
    memory.store_machine([(sentence_key(GDP), GDP, ["GDP grew by 5.8%."])],
                         "briefing:0.1.0|model:opus@abc|retry:on")  # fmt: skip
    memory.store_machine([(sentence_key(JOBS), JOBS, ["Jobs,", "70,000."])],
                         "briefing:0.1.0|model:opus@abc|retry:on")  # fmt: skip
    memory.store_machine([(sentence_key(ROADS), ROADS, ["ure protect bu"])],
                         "briefing:0.1.0|model:tiny@unknown|retry:on|test-model")  # fmt: skip
    memory.write([Write(sentence_key(JOBS), JOBS, "70,000 new jobs & more <soon>.", "edited",
                        "edited", "Li Ming")])  # fmt: skip
    memory.write([Write(sentence_key(GDP), GDP, "GDP grew by 5.8%.", "approved", "approved",
                        "Wang Fang")])  # fmt: skip
    memory.write([Write(sentence_key(PARAGRAPH), PARAGRAPH, "Unemployment fell; AI grew.",
                        "edited", "edited", "Li Ming", level="paragraph")])  # fmt: skip


def units(path: Path) -> list[dict[str, Any]]:
    """Every <tu> as data: its attributes, properties and segments."""
    root = etree.parse(str(path)).getroot()
    out = []
    for tu in root.iter("tu"):
        out.append({
            "attributes": dict(tu.attrib),
            "props": [(p.get("type"), p.text) for p in tu.findall("prop")],
            "segs": [(tuv.get(XML_LANG), tuv.findtext("seg")) for tuv in tu.findall("tuv")],
        })  # fmt: skip
    return out


def test_export_import_into_an_empty_memory_export_gives_the_same_units(tmp_path: Path) -> None:
    with Memory(tmp_path / "a.sqlite") as memory:
        fill(memory)
        first = export_tmx(memory, tmp_path / "a.tmx")
    assert (first.units, first.left_out) == (3, 1)  # the test model's English stays home
    with Memory(tmp_path / "b.sqlite") as empty:
        report = import_tmx(empty, tmp_path / "a.tmx")
        assert report.counts == {"added": 3, "updated": 0, "unchanged": 0, "kept": 0}
        export_tmx(empty, tmp_path / "b.tmx")
        jobs = empty.get(sentence_key(JOBS))
    assert units(tmp_path / "a.tmx") == units(tmp_path / "b.tmx")
    assert jobs is not None and jobs.machine_pieces == ("Jobs,", "70,000.")


def test_a_unit_is_tmx_1_4_with_status_and_reviewer_as_properties(tmp_path: Path) -> None:
    with Memory(tmp_path / "a.sqlite") as memory:
        fill(memory)
        export_tmx(memory, tmp_path / "a.tmx")
    root = etree.parse(str(tmp_path / "a.tmx")).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None and header.get("srclang") == "zh-CN"
    assert header.get("datatype") == "plaintext" and header.get("segtype") == "sentence"
    jobs = next(u for u in units(tmp_path / "a.tmx")
                if u["attributes"]["tuid"] == sentence_key(JOBS))  # fmt: skip
    assert jobs["segs"] == [("zh-CN", JOBS), ("en", "70,000 new jobs & more <soon>.")]
    props = dict(jobs["props"])
    assert (props["x-briefing-status"], props["x-briefing-reviewer"]) == ("edited", "Li Ming")
    assert props["x-briefing-machine"] == "Jobs, 70,000."
    assert json.loads(props["x-briefing-machine-pieces"]) == ["Jobs,", "70,000."]
    assert jobs["attributes"]["changeid"] == "Li Ming"
    assert len(jobs["attributes"]["changedate"]) == 16  # YYYYMMDDThhmmssZ
    paragraph = next(u for u in units(tmp_path / "a.tmx") if u["attributes"]["segtype"]
                     == "paragraph")  # fmt: skip
    assert paragraph["segs"][0] == ("zh-CN", PARAGRAPH)
    assert "ure protect" not in (tmp_path / "a.tmx").read_text(encoding="utf-8")


def _tmx(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="zh-CN" '
        f'datatype="plaintext" segtype="sentence" adminlang="en"/><body>{body}</body></tmx>'
    )


def test_a_cat_tool_s_tmx_is_read_as_a_person_s_translations(tmp_path: Path) -> None:
    (tmp_path / "omegat.tmx").write_text(_tmx(
        '<tu changeid="zhang" changedate="20261120T080000Z">'
        '<tuv xml:lang="zh-TW"><seg>全年新增就業崗位7萬個。</seg></tuv>'
        '<tuv xml:lang="en-GB"><seg>70,000 new <ph x="1">&lt;b&gt;</ph>jobs.</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>No Chinese here.</seg></tuv></tu>'
    ), encoding="utf-8")  # fmt: skip
    with Memory(tmp_path / "m.sqlite") as memory:
        report = import_tmx(memory, tmp_path / "omegat.tmx")
        entry = memory.get(sentence_key(JOBS))  # read as Simplified
    assert report.counts["added"] == 1 and report.skipped == 1
    assert entry is not None
    assert (entry.en, entry.status, entry.who, entry.at) == (
        "70,000 new jobs.", "edited", "zhang", "2026-11-20T08:00:00Z")  # fmt: skip


@pytest.mark.parametrize(
    ("mine", "theirs", "expected", "result"),
    [
        # a reviewer's English replaces machine English
        (("machine", "2026-11-20T08:00:00Z"), ("edited", "20261101T000000Z"), "updated", "theirs"),
        # machine English never replaces a reviewer's
        (("edited", "2026-11-01T00:00:00Z"), ("machine", "20261120T000000Z"), "kept", "mine"),
        # between reviewers, the later change wins
        (("edited", "2026-11-01T00:00:00Z"), ("approved", "20261120T000000Z"), "updated", "theirs"),
        (("edited", "2026-11-20T00:00:00Z"), ("approved", "20261101T000000Z"), "kept", "mine"),
    ],
)  # fmt: skip
def test_merging_keeps_the_reviewer_s_and_the_later_english(
    tmp_path: Path, mine: tuple[str, str], theirs: tuple[str, str], expected: str, result: str
) -> None:
    (tmp_path / "in.tmx").write_text(_tmx(
        f'<tu changedate="{theirs[1]}" changeid="bob"><prop type="x-briefing-status">{theirs[0]}'
        f'</prop><tuv xml:lang="zh-CN"><seg>{JOBS}</seg></tuv>'
        '<tuv xml:lang="en"><seg>theirs</seg></tuv></tu>'), encoding="utf-8")  # fmt: skip
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.write([Write(sentence_key(JOBS), JOBS, "mine", mine[0], "edited", "alice",  # type: ignore[arg-type]
                            at=mine[1])])  # fmt: skip
        report = import_tmx(memory, tmp_path / "in.tmx")
        entry = memory.get(sentence_key(JOBS))
        history = memory.history(sentence_key(JOBS))
    assert report.counts[expected] == 1
    assert entry is not None and entry.en == result
    assert [c.en for c in history] == (["mine", "theirs"] if result == "theirs" else ["mine"])


def test_an_entity_in_a_tmx_file_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    (tmp_path / "evil.tmx").write_text(
        f'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<tmx version="1.4"><header srclang="zh-CN"/><body><tu>'
        f'<tuv xml:lang="zh-CN"><seg>{JOBS}</seg></tuv><tuv xml:lang="en"><seg>&x;</seg></tuv>'
        "</tu></body></tmx>", encoding="utf-8")  # fmt: skip
    with Memory(tmp_path / "m.sqlite") as memory:
        import_tmx(memory, tmp_path / "evil.tmx")
        entry = memory.get(sentence_key(JOBS))
    assert entry is None or "SECRET" not in entry.en


@pytest.mark.parametrize(
    ("text", "expected"),
    [("<tmx", "not well-formed"), ("<html><body/></html>", "is not a TMX file")],
)
def test_a_file_that_is_not_tmx_is_refused(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "bad.tmx").write_text(text)
    with Memory(tmp_path / "m.sqlite") as memory, pytest.raises(InputError, match=expected):
        import_tmx(memory, tmp_path / "bad.tmx")


# --- the commands ------------------------------------------------------------------------------


def test_the_memory_commands(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "m.sqlite"
    with Memory(path) as memory:
        fill(memory)
    stats = run_cli("memory", "stats", "--memory", str(path), "--json")
    assert stats.code == 0, stats.err
    assert json.loads(stats.out)["entries"] == {"machine": 1, "edited": 2, "approved": 1}
    assert json.loads(stats.out)["reviewers"] == ["Li Ming", "Wang Fang"]
    text = run_cli("memory", "stats", "--memory", str(path))
    assert "sentences: 4 (machine 1, edited 2, approved 1); 1 for a whole paragraph" in text.out

    history = run_cli("memory", "history", "--text", JOBS, "--memory", str(path), "--json")
    [jobs] = json.loads(history.out)
    assert [c["action"] for c in jobs["history"]] == ["machine", "edited"]
    by_hash = run_cli("memory", "history", sentence_key(ROADS)[:10], "--memory", str(path))
    assert by_hash.code == 0 and "[TEST MODEL – NOT A TRANSLATION] ure protect bu" in by_hash.out

    assert run_cli("memory", "export", "--tmx", str(tmp_path / "out.tmx"), "--memory",
                   str(path)).code == 0  # fmt: skip
    imported = run_cli("memory", "import", str(tmp_path / "out.tmx"), "--memory",
                       str(tmp_path / "new.sqlite"))  # fmt: skip
    assert imported.code == 0
    assert "3 added, 0 updated, 0 unchanged" in imported.err

    both = run_cli("memory", "history", "abcdef", "--text", JOBS, "--memory", str(path))
    assert both.code == 2 and "not both" in both.err
    missing = run_cli("memory", "stats", "--memory", str(tmp_path / "none.sqlite"))
    assert missing.code == 2 and "no translation memory there" in missing.err
