"""`briefing review` end to end in a real headless Chromium (Debian's `chromium`, driven by
Playwright's Python package): the server is the command itself, in a process of its own
(`tests/review_server.py`: a scripted stand-in for the model), on a memory of the test's.

Marked `browser` (deselected by default, like `libreoffice`); `.ci/run` installs
chromium with apt where it is missing and runs `pytest -m browser`. Set
BRIEFING_SCREENSHOTS=FOLDER to keep the screenshots the tests take.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from briefing.memory import open_memory, sentence_key
from tests.conftest import ROOT
from tests.review_server import ALTERNATIVES, SCRIPT

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
AI = "加快发展AI产业，推动数字经济和实体经济深度融合。"
TIMEOUT_MS = 15_000


@dataclass
class Server:
    process: subprocess.Popen[str]
    url: str  # as printed, with the token
    base: str
    memory: Path


def start_server(tmp_path: Path) -> Server:
    memory = tmp_path / "memory.sqlite"
    env = {**os.environ, "BRIEFING_MEMORY": str(memory), "BRIEFING_HOME": str(tmp_path / "home")}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "review_server.py"), "--port", "0",
         "--reviewer", "Li Ming"],
        stdout=subprocess.PIPE, stderr=(tmp_path / "server.err").open("w"), text=True, env=env,
    )  # fmt: skip
    assert process.stdout is not None
    url = process.stdout.readline().strip()  # the first line: the page's address
    assert url.startswith("http://127.0.0.1:") and "/?token=" in url, (
        url + (tmp_path / "server.err").read_text()
    )
    return Server(process, url, url.split("/?", 1)[0], memory)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    started = start_server(tmp_path)
    yield started
    if started.process.poll() is None:
        started.process.terminate()
        started.process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert Path(CHROMIUM).exists(), "needs Debian's chromium: apt-get install -y chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def screenshot(page: Any, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    page.screenshot(path=str(path))
    keep = os.environ.get("BRIEFING_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / name)
    return path


def english_rows(path: Path) -> dict[str, str]:
    import docx

    document = docx.Document(str(path))
    return {r.cells[0].paragraphs[0].text: r.cells[2].text for t in document.tables
            for r in t.rows if len(r.cells) == 4 and r.cells[0].text != "ID"}  # fmt: skip


def test_review_edit_approve_jump_pick_reload_export(
    server: Server, page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(server.url)
    assert page.url == server.base + "/"  # the token left the address bar for a cookie
    expect(page.locator("#counts")).to_contain_text("0 of 6 reviewed")
    expect(page.locator("#counts")).to_contain_text("2 flagged")
    # approve s2.p1 with the mouse, so that `n` has something to skip
    page.locator('#p-s2-p1 button[data-action="approve"]').click()
    expect(page.locator("#status-p-s2-p1")).to_have_text("approved")

    # edit s1.p1 with the keyboard: k, k up from s2.p1 to it, e edits, saved as typed
    expect(page.locator("#p-s2-p1")).to_have_class("para current")
    page.keyboard.press("k")
    page.keyboard.press("k")
    expect(page.locator("#p-s1-p1")).to_have_class("para current")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, tmp_path, "review.png")
    page.keyboard.press("e")
    area = page.locator("#p-s1-p1 textarea.en-edit")
    expect(area).to_be_focused()
    fixed = "This year the city's GDP grew by 5.8%. 70,000 new jobs were created over the year."
    area.fill(fixed)
    expect(page.locator("#saved-p-s1-p1")).to_contain_text("saved")
    page.keyboard.press("Escape")
    expect(page.locator("#view-p-s1-p1")).to_have_text(fixed)
    expect(page.locator("#status-p-s1-p1")).to_have_text("edited")
    expect(page.locator("#counts")).to_contain_text("1 flagged")

    # approve the next paragraph with the keyboard alone
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(page.locator("#status-p-s1-p2")).to_have_text("approved")

    # n: the next flagged or unreviewed paragraph, past the approved s2.p1
    page.keyboard.press("n")
    expect(page.locator("#p-s2-p2")).to_have_class("para current")
    expect(page.locator("#flags-p-s2-p2 .flag").first).to_be_visible()

    # pick the model's second alternative
    page.locator('#p-s2-p2 button[data-action="alternatives"]').click()
    choices = page.locator("#alts-p-s2-p2 .alt-en")
    expect(choices).to_have_count(2)
    expect(choices.nth(1)).to_have_text(ALTERNATIVES[AI][1])
    page.locator("#alts-p-s2-p2 button.pick").nth(1).click()
    expect(page.locator("#view-p-s2-p2")).to_have_text(ALTERNATIVES[AI][1])
    expect(page.locator("#counts")).to_contain_text("0 flagged")
    expect(page.locator("#counts")).to_contain_text("4 of 6 reviewed")
    screenshot(page, tmp_path, "review-after-edits.png")

    # reload: everything came from the memory
    page.reload()
    expect(page.locator("#view-p-s1-p1")).to_have_text(fixed)
    expect(page.locator("#status-p-s1-p1")).to_have_text("edited")
    expect(page.locator("#status-p-s1-p2")).to_have_text("approved")
    expect(page.locator("#status-p-s2-p1")).to_have_text("approved")
    expect(page.locator("#view-p-s2-p2")).to_have_text(ALTERNATIVES[AI][1])
    expect(page.locator("#counts")).to_contain_text("4 of 6 reviewed")
    screenshot(page, tmp_path, "review-reloaded.png")

    # export: the briefing has the edits
    with page.expect_download() as download:
        page.locator("#export").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(str(path))
    assert path.name == "report.briefing.docx"
    rows = english_rows(path)
    assert rows["s1.p1"] == fixed
    assert rows["s2.p2"] == ALTERNATIVES[AI][1]
    assert page.dialogs == []


def test_a_request_without_the_token_gets_403(server: Server, browser: Any) -> None:
    for address in (server.base + "/", server.base + "/static/app.js",
                    server.base + "/?token=not-the-token"):  # fmt: skip
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(address, timeout=10)
        assert refused.value.code == 403
    context = browser.new_context()  # a browser without the cookie
    try:
        answer = context.new_page().goto(server.base + "/")
        assert answer.status == 403
        assert "open the address `briefing review` printed" in answer.text()
    finally:
        context.close()


def test_a_paragraph_with_a_script_is_shown_as_text(
    server: Server, page: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page.goto(server.url)
    row = page.locator("#p-s2-p3")
    expect(row.locator(".zh")).to_have_text("页面测试<script>alert(1)</script>应显示为文字。")
    expect(row.locator(".en-view")).to_have_text(SCRIPT[row.locator(".zh").inner_text()])
    assert row.locator("script").count() == 0
    # and English a reviewer types with markup in it, after a reload
    row.locator('button[data-action="edit"]').click()
    markup = 'Shown <img src=x onerror="alert(2)"> as text.'
    row.locator("textarea.en-edit").fill(markup)
    expect(row.locator(".saved")).to_contain_text("saved")
    page.keyboard.press("Escape")
    page.reload()
    expect(page.locator("#view-p-s2-p3")).to_have_text(markup)
    assert page.locator("#p-s2-p3 img").count() == 0
    screenshot(page, tmp_path, "review-markup.png")
    assert page.dialogs == []


def test_an_acknowledged_edit_survives_sigkill(server: Server, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(server.url)
    row = page.locator("#p-s2-p4")
    row.locator('button[data-action="edit"]').click()
    typed = "Six major projects for people's livelihoods, benefiting countless families."
    row.locator("textarea.en-edit").fill(typed)
    expect(row.locator(".saved")).to_contain_text("saved")  # the server answered
    os.kill(server.process.pid, signal.SIGKILL)
    assert server.process.wait(timeout=30) == -signal.SIGKILL
    started = time.monotonic()
    with open_memory(server.memory, create=False) as memory:
        entry = memory.get(sentence_key("全年实施六大民生工程，惠及千家万户。"))
        assert memory.integrity() == "ok"
    assert entry is not None and (entry.en, entry.status, entry.who) == (typed, "edited", "Li Ming")
    assert time.monotonic() - started < 30


def test_a_term_a_dismissal_and_a_comment_from_the_page(server: Server, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(server.url)
    # select 农村公路 in s2.p1's Chinese, press t, give its English
    page.evaluate("""() => {
        const zh = document.querySelector('#p-s2-p1 .zh');
        const text = zh.firstChild, at = text.data.indexOf('农村公路');
        const range = document.createRange();
        range.setStart(text, at); range.setEnd(text, at + 4);
        getSelection().removeAllRanges(); getSelection().addRange(range);
        zh.closest('article').click();
    }""")
    page.keyboard.press("t")
    expect(page.locator("#term-zh")).to_have_value("农村公路")
    expect(page.locator("#term-en")).to_be_focused()
    page.keyboard.type("rural roads")
    page.keyboard.press("Enter")
    expect(page.locator("#messages")).to_contain_text("农村公路 = rural roads")
    expect(page.locator("#term-dialog")).not_to_be_visible()
    # dismiss s1.p1's first flag as a false alarm
    flag = page.locator("#flags-p-s1-p1 .flag").first
    flag.locator("summary").click()
    flag.locator('input[name="reason"]').fill("the bureau counts 7 million")
    flag.locator('button[type="submit"]').click()
    expect(page.locator("#flags-p-s1-p1 .flag.dismissed")).to_contain_text(
        "dismissed by Li Ming")  # fmt: skip
    # comment on s2.p4
    row = page.locator("#p-s2-p4")
    row.locator(".add-comment summary").click()
    row.locator('textarea[name="text"]').fill("Which projects? Ask the city office.")
    row.locator('.add-comment button[type="submit"]').click()
    expect(page.locator("#p-s2-p4 .comment")).to_contain_text("Which projects? Ask the city")
    with open_memory(server.memory, create=False) as memory:
        assert [(t.zh, t.en) for t in memory.terms()] == [("农村公路", "rural roads")]
        assert memory.stats().dismissals == 1 and memory.stats().comments == 1
    assert page.dialogs == []
