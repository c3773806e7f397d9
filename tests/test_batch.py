"""Batch runs: a folder of reports becomes briefings, unattended, again and again: skip what
has not changed, contain failures, one run at a time, resume after a kill."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import docx
import pytest

from briefing.batch import LOCK, SUFFIX, BatchEvent, BatchLocked, locked, run_batch
from briefing.ingest import read_source
from briefing.options import GenerateOptions, TranslationOptions
from briefing.structure import parse
from tests.conftest import CASES, ROOT, SAMPLE, load_script
from tests.doubles import RecordingTranslatorTestDouble
from tests.pages import government_page
from tests.pdfs import Text, page_of, pdf

REPORT = ROOT / "tests" / "data" / "checks" / "report.txt"


def _sample_page(**style: Any) -> str:
    return government_page(parse(read_source(SAMPLE)), **style)


def _sample_pdf() -> bytes:
    """The sample's title and first six paragraphs on two A4 pages."""
    document = parse(read_source(SAMPLE))
    paragraphs = [p.zh for s in document.sections for p in s.paragraphs]
    title = Text(150, 72, document.title or "", 18)
    return pdf([[title, *page_of(paragraphs[:3], top=110)], page_of(paragraphs[3:6])])


def inbox(tmp_path: Path) -> Path:
    """Reports of every format we read (text in two encodings, Word, a web page in GB18030,
    a PDF), a duplicate, a PDF cut off mid-download, an empty file and a picture."""
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "sample.txt")
    shutil.copy(SAMPLE, folder / "sub" / "same-as-sample.txt")
    shutil.copy(REPORT, folder / "report.txt")
    shutil.copy(CASES / "docx_heading_styles.docx", folder / "sub" / "plan.docx")
    shutil.copy(CASES / "sample_gb18030.txt", folder / "sub" / "gb.txt")
    page = _sample_page(charset="gb18030").encode("gb18030")
    (folder / "sub" / "page.html").write_bytes(page)
    (folder / "plenum.pdf").write_bytes(_sample_pdf())
    (folder / "broken.pdf").write_bytes(_sample_pdf()[:1500])
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")
    return folder


def web_inbox(tmp_path: Path) -> Path:
    """What a scraper leaves in a folder: pages (one served as .doc, one with no suffix),
    a PDF, a real Word 97 .doc and a note to self."""
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "article.html").write_bytes(_sample_page().encode())
    (folder / "download.doc").write_bytes(_sample_page(headings="strong").encode())
    (folder / "content").write_bytes(_sample_page(breaks=True).encode())
    (folder / "report.pdf").write_bytes(_sample_pdf())
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (folder / "NOTES").write_text("remember to check the PDF\n", encoding="utf-8")
    return folder


def run(folder: Path, out: Path, double: Any = None, **kwargs: Any) -> Any:
    options = GenerateOptions(translation=TranslationOptions(retry=False))
    return run_batch([str(folder)], out, options, double or RecordingTranslatorTestDouble(),
                     **kwargs)  # fmt: skip


def statuses(result: Any) -> dict[str, str]:
    return {entry.path: entry.status for entry in result.entries}


def test_every_file_gets_its_status_and_every_report_its_briefing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run(inbox(tmp_path), out)
    assert statuses(result) == {
        "broken.pdf": "failed", "empty.txt": "failed", "photo.png": "unsupported",
        "plenum.pdf": "done", "report.txt": "done", "sample.txt": "done", "sub/gb.txt": "done",
        "sub/page.html": "done", "sub/plan.docx": "done", "sub/same-as-sample.txt": "done",
    }  # fmt: skip
    assert result.exit_code == 1  # some failed
    for name in ("plenum.pdf", "report.txt", "sample.txt", "sub/gb.txt", "sub/page.html",
                 "sub/plan.docx"):  # fmt: skip
        reopened = docx.Document(str(out / (name + SUFFIX)))
        assert reopened.tables  # a briefing, not an empty file
    errors = {entry.path: entry.error or "" for entry in result.entries}
    assert "the file is empty" in errors["empty.txt"]
    assert "broken.pdf" in errors["broken.pdf"] and "not a readable PDF" in errors["broken.pdf"]
    assert not (out / ("broken.pdf" + SUFFIX)).exists()
    same = next(e for e in result.entries if e.path == "sub/same-as-sample.txt")
    assert same.duplicate_of == "sample.txt"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    by_path = {f["path"]: f for f in manifest["files"]}
    assert by_path["sample.txt"]["counts"]["targets"] == 5
    assert by_path["sample.txt"]["counts"]["flags"]  # the echo double's English is flagged
    assert by_path["sample.txt"]["duration_s"] >= 0
    assert not list(out.rglob("*.part"))


def test_pages_and_pdfs_in_a_folder_are_read_and_a_broken_pdf_is_contained(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    result = run(web_inbox(tmp_path), out)
    assert statuses(result) == {
        "NOTES": "unsupported", "article.html": "done", "content": "done",
        "download.doc": "done", "old.doc": "unsupported", "report.pdf": "done",
    }  # fmt: skip
    assert result.exit_code == 0  # unsupported files are no failure
    errors = {entry.path: entry.error or "" for entry in result.entries}
    assert "save it as .docx" in errors["old.doc"]  # what to do with it
    sample = parse(read_source(SAMPLE))
    assert sample.title
    headings = [s.heading for s in sample.sections if s.heading]
    for name in ("article.html", "download.doc", "content"):
        text = "\n".join(p.text for p in docx.Document(str(out / (name + SUFFIX))).paragraphs)
        assert sample.title in text, name
        assert all(heading in text for heading in headings), name  # the report's own headings
    briefing = docx.Document(str(out / ("report.pdf" + SUFFIX)))
    assert sample.title in "\n".join(p.text for p in briefing.paragraphs)
    again = RecordingTranslatorTestDouble()
    rerun = run(tmp_path / "web", out, again)
    assert again.seen == [] and "done" not in statuses(rerun).values()


def test_reports_are_translated_together(tmp_path: Path) -> None:
    """One call for the segments of all the reports (a chunk), not one per report."""

    class Counting(RecordingTranslatorTestDouble):
        calls = 0

        def translate(self, texts: Any, on_batch: Any = None) -> list[str]:
            Counting.calls += 1
            return super().translate(texts, on_batch)

    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(4):
        shutil.copy(REPORT, folder / f"r{k}.txt")
    double = Counting()
    run(folder, tmp_path / "out", double)
    body = Counting.calls
    assert body < 4 * 2  # 4 reports: one body call for all, a summary call each at most


def test_a_rerun_with_nothing_changed_redoes_nothing(tmp_path: Path) -> None:
    folder, out = inbox(tmp_path), tmp_path / "out"
    run(folder, out)
    again = RecordingTranslatorTestDouble()
    result = run(folder, out, again)
    assert again.seen == []  # not one sentence sent to the model
    assert {p: s for p, s in statuses(result).items() if s != "skipped"} == {
        "broken.pdf": "failed", "empty.txt": "failed",  # an unchanged bad input stays bad
        "photo.png": "unsupported",
    }  # fmt: skip


def test_a_changed_file_is_redone_and_only_it(tmp_path: Path) -> None:
    folder, out = inbox(tmp_path), tmp_path / "out"
    run(folder, out)
    with (folder / "report.txt").open("a", encoding="utf-8") as handle:
        handle.write("\n全年新建公园20个。\n")
    again = RecordingTranslatorTestDouble()
    result = run(folder, out, again)
    assert [p for p, s in statuses(result).items() if s == "done"] == ["report.txt"]
    assert any("公园" in text for text in again.seen)


def test_force_and_new_settings_redo_everything(tmp_path: Path) -> None:
    folder, out = inbox(tmp_path), tmp_path / "out"
    run(folder, out)
    assert "skipped" not in statuses(run(folder, out, force=True)).values()
    options = GenerateOptions(translation=TranslationOptions(retry=True))
    result = run_batch([str(folder)], out, options, RecordingTranslatorTestDouble())
    assert statuses(result)["sample.txt"] == "done"  # retry on: another briefing


def test_an_overlapping_run_is_refused_naming_the_holder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / LOCK).write_text(json.dumps({"pid": holder.pid, "host": os.uname().nodename,
                                            "started": "2026-12-01T06:00:00+0000"}))  # fmt: skip
        with pytest.raises(BatchLocked) as caught:
            run(inbox(tmp_path), out)
        assert f"pid {holder.pid}" in caught.value.message
        assert caught.value.exit_code == 75
    finally:
        holder.kill()
        holder.wait()
    # its holder is gone: the lock is taken over
    assert statuses(run(inbox(tmp_path / "again"), out))["sample.txt"] == "done"
    assert not (out / LOCK).exists()


def test_two_runs_at_once_through_the_cli_one_exits_75(  # type: ignore[no-untyped-def]
    run_cli, tiny_model: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with locked(out):  # a run in progress holds the folder
        result = run_cli("batch", str(inbox(tmp_path)), "-o", str(out), "--model", str(tiny_model))
    assert result.code == 75
    assert result.err.startswith(f"error: {out} is in use by another batch run (pid {os.getpid()}")


def test_a_run_killed_halfway_is_finished_by_the_next_without_redoing_anything(
    tmp_path: Path,
) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for k in range(5):
        (folder / f"r{k}.txt").write_text(REPORT.read_text(encoding="utf-8") + f"\n第{k}份。\n",
                                          encoding="utf-8")  # fmt: skip
    script = f"""
import os, signal, sys
sys.path.insert(0, {str(ROOT)!r})
import briefing.render.docx as render
from briefing.batch import run_batch
from briefing.options import GenerateOptions, TranslationOptions
from tests.doubles import RecordingTranslatorTestDouble

real = render.render_docx
written = []
def render_docx(briefing, path, fonts=None):
    if len(written) == 2:  # the third briefing: killed while its temporary file is written
        path.write_bytes(b"half a briefing")
        os.kill(os.getpid(), signal.SIGKILL)
    written.append(path)
    return real(briefing, path, fonts)
render.render_docx = render_docx
run_batch([{str(folder)!r}], __import__("pathlib").Path({str(out)!r}),
          GenerateOptions(translation=TranslationOptions(retry=False)),
          RecordingTranslatorTestDouble(), chunk_segments=1)
"""
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)  # fmt: skip
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    finished = sorted(p.name for p in out.glob(f"*{SUFFIX}"))
    assert finished == [f"r0.txt{SUFFIX}", f"r1.txt{SUFFIX}"]
    assert (out / LOCK).exists()  # left by the dead run
    assert len(list(out.glob("*.part"))) == 1  # and its half-written temporary file
    again = RecordingTranslatorTestDouble()
    result = run(folder, out, again)
    assert statuses(result) == {"r0.txt": "skipped", "r1.txt": "skipped", "r2.txt": "done",
                                "r3.txt": "done", "r4.txt": "done"}  # fmt: skip
    assert not any("第0份" in t or "第1份" in t for t in again.seen)
    assert sorted(p.name for p in out.glob(f"*{SUFFIX}")) == [f"r{k}.txt{SUFFIX}" for k in range(5)]
    # the half-written file the dead run left is gone once the next run writes there
    assert not list(out.glob("*.part")), list(out.iterdir())


def test_the_index_lists_the_briefings_and_escapes_what_it_shows(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").write_text("关于<script>alert(1)</script>加快发展的实施方案\n\n"
                                  "到2027年，建成5G基站3万个。\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    run(folder, out)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert f'href="x.txt{SUFFIX}"' in page
    assert "30,000" in page  # a key target


def test_events_are_reported_for_logs(tmp_path: Path) -> None:
    events: list[BatchEvent] = []
    run(inbox(tmp_path), tmp_path / "out", on_event=events.append)
    assert events[0].event == "start" and events[-1].event == "end"
    assert events[-1].data == {"done": 7, "skipped": 0, "failed": 2, "unsupported": 1}
    assert sorted(e.data["path"] for e in events if e.event == "file") == [
        "broken.pdf", "empty.txt", "photo.png", "plenum.pdf", "report.txt", "sample.txt",
        "sub/gb.txt", "sub/page.html", "sub/plan.docx", "sub/same-as-sample.txt",
    ]  # fmt: skip


def test_the_cli_with_the_tiny_model_exit_codes_and_json_log(  # type: ignore[no-untyped-def]
    run_cli, tiny_model: Path, tmp_path: Path
) -> None:
    folder, out, log = inbox(tmp_path), tmp_path / "out", tmp_path / "log.jsonl"
    first = run_cli("batch", str(folder), "-o", str(out), "--model", str(tiny_model),
                    "--log-json", str(log), "--no-retry")  # fmt: skip
    assert first.code == 1, first.err  # empty.txt and broken.pdf failed
    assert re.search(r"batch: \[\d+/10\] failed empty\.txt", first.err), first.err
    assert re.search(r"batch: \[\d+/10\] done sub/page\.html", first.err), first.err
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["event"] == "start" and lines[-1]["event"] == "end"
    (folder / "empty.txt").unlink()
    (folder / "broken.pdf").unlink()
    start = time.monotonic()
    again = run_cli("-q", "batch", str(folder), "-o", str(out), "--model", str(tiny_model),
                    "--no-retry")  # fmt: skip
    assert again.code == 0, again.err
    assert time.monotonic() - start < 30  # nothing to do: no model loaded (timed in the bench)


def test_without_a_model_nothing_is_written_and_the_exit_is_3(  # type: ignore[no-untyped-def]
    run_cli, isolated_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = run_cli("batch", str(inbox(tmp_path)), "-o", str(out))
    assert result.code == 3
    assert not out.exists()


def test_a_missing_input_is_a_usage_error(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("batch", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out"))
    assert result.code == 2 and "no such file or folder" in result.err


def test_the_bench_makes_twenty_reports_of_growing_length(tmp_path: Path) -> None:
    bench = load_script(ROOT / "bench" / "batch_bench.py")
    files = bench.make_reports(tmp_path / "inbox")
    sizes = [len(f.read_text(encoding="utf-8")) for f in files]
    assert len(files) == 20 and sizes == sorted(sizes) and sizes[0] < sizes[-1] / 10
