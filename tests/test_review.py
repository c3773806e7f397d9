"""`briefing review` without a browser: the session's actions as the memory records them,
the app's security, and the command's options. The browser tests are in
test_review_browser.py (marker `browser`)."""

from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import docx
import pytest

from briefing.memory import open_memory, sentence_key
from briefing.options import TranslationOptions
from briefing.pipeline import import_review, open_review, translate_document
from briefing.review.app import CSP, CSRF_HEADER, cookie_name, create_app, dom_id
from briefing.review.server import accepted_hosts, read_token
from briefing.review.session import ReviewSession
from briefing.translate.prepare import normalise_numbers
from tests.doubles import RecordingTranslatorTestDouble, ScriptedTranslatorTestDouble
from tests.review_server import ALTERNATIVES, REPORT, SCRIPT, stand_in

OPTIONS = TranslationOptions(glossary=False, retry=False)
JOBS = "全年新增就业岗位7万个。"
TOKEN = "t" * 40


@pytest.fixture
def session() -> ReviewSession:
    return open_review(REPORT, OPTIONS, stand_in(), reviewer="Li Ming")  # type: ignore[arg-type]


def entry(zh: str) -> Any:
    with open_memory() as memory:
        return memory.get(sentence_key(zh))


# --- the session: every action is in the memory -------------------------------------------


def test_the_session_shows_the_briefing_generate_would_make(session: ReviewSession) -> None:
    assert list(session.paragraphs) == ["s1.p1", "s1.p2", "s2.p1", "s2.p2", "s2.p3", "s2.p4"]
    assert session.counts().flagged == 2 and session.counts().reviewed == 0
    assert session.status("s1.p1") == "machine"
    assert {f.kind for _, _, f in session.flags("s1.p1")} == {"number_mismatch"}


def test_an_edit_is_stored_per_sentence_as_the_reviewer_s_and_flags_follow(
    session: ReviewSession,
) -> None:
    before = session.english("s1.p1")
    fixed = before.replace("7 million", "70,000")
    done = session.edit("s1.p1", fixed + "  ")
    assert done.units == ["s1.p1"] and done.messages == []
    stored = entry(JOBS)
    assert (stored.en, stored.status, stored.who) == (
        "70,000 new jobs were created over the year.", "edited", "Li Ming")  # fmt: skip
    assert session.english("s1.p1") == fixed
    assert session.status("s1.p1") == "edited" and session.flags("s1.p1") == []
    assert session.counts().flagged == 1 and session.counts().reviewed == 1
    # a later run gives the reviewer's English without asking the model
    again = translate_document(REPORT, OPTIONS, stand_in())  # type: ignore[arg-type]
    assert next(s for s in again.segments if s.parent == "s1.p1" and "70,000" in s.en)


def test_approve_then_revert_then_retranslate(session: ReviewSession) -> None:
    session.approve("s1.p2")
    zh = "全市常住人口达到670万人，比上年增加1.2万人。"
    assert (entry(zh).status, session.status("s1.p2")) == ("approved", "approved")
    session.revert("s1.p2")
    assert (entry(zh).status, entry(zh).who) == ("machine", "Li Ming")
    assert session.status("s1.p2") == "machine"
    session.retranslate("s1.p2")
    with open_memory() as memory:
        actions = [c.action for c in memory.history(sentence_key(zh))]
    assert actions == ["machine", "approved", "reverted", "retranslated", "retranslated"]
    assert session.english("s1.p2") == SCRIPT[zh]


def test_alternatives_are_the_model_s_and_a_pick_is_the_reviewer_s(
    session: ReviewSession,
) -> None:
    zh = "加快发展AI产业，推动数字经济和实体经济深度融合。"
    choices = session.alternatives("s2.p2")
    assert [c.english for c in choices] == ALTERNATIVES[zh]
    assert choices[0].flags and not choices[1].flags
    session.pick("s2.p2", 1)
    assert (entry(zh).en, entry(zh).status) == (ALTERNATIVES[zh][1], "edited")
    with open_memory() as memory:
        assert memory.history(sentence_key(zh))[-1].action == "picked"
    assert session.flags("s2.p2") == [] and session.status("s2.p2") == "edited"
    with pytest.raises(Exception, match="no alternative 9"):
        session.pick("s2.p2", 8)


def test_a_dismissed_flag_is_kept_with_who_when_and_why_and_can_be_restored(
    session: ReviewSession,
) -> None:
    segment, index, flag = session.flags("s1.p1")[0]
    session.dismiss("s1.p1", segment.id, index, "  the bureau  says 7 million ")
    [(_, dismissed)] = session.dismissed("s1.p1")
    assert (dismissed.flag, dismissed.reason, dismissed.who) == (
        flag, "the bureau says 7 million", "Li Ming")  # fmt: skip
    assert len(session.flags("s1.p1")) == 1
    session.withdraw("s1.p1", dismissed.id)
    assert session.dismissed("s1.p1") == [] and len(session.flags("s1.p1")) == 2
    with pytest.raises(Exception, match="the reason is empty"):
        session.dismiss("s1.p1", segment.id, index, "   ")


def test_comments_and_terms_are_in_the_memory_and_the_export(
    session: ReviewSession, tmp_path: Path
) -> None:
    session.comment("s2.p1", "Check the road length with the transport bureau.")
    [comment] = session.briefing.comments["s2.p1"]
    done = session.add_term("农村公路", "rural roads")
    assert done.units == ["s2.p1"] and "enforced in 1 paragraph" in done.messages[0]
    with open_memory() as memory:
        assert [(t.zh, t.en, t.who) for t in memory.terms()] == [("农村公路", "rural roads",
                                                                  "Li Ming")]  # fmt: skip
    # a later run enforces the term: it is protected, and in the signature's glossary
    later = translate_document(REPORT, TranslationOptions(retry=False),
                               RecordingTranslatorTestDouble())  # fmt: skip
    assert later.terms["农村公路"] == ("rural roads",)
    assert "rural roads" in next(s.en for s in later.segments if s.parent == "s2.p1")
    session.edit("s1.p1", "Edited in the browser.")
    name, data = session.export()
    assert name == "report.briefing.docx"
    path = tmp_path / name
    path.write_bytes(data)
    document = docx.Document(str(path))
    rows = {r.cells[0].paragraphs[0].text: r.cells[2].text for t in document.tables
            for r in t.rows if len(r.cells) == 4}  # fmt: skip
    assert rows["s1.p1"] == "Edited in the browser."
    assert [c.text for c in document.comments if c.author == "Li Ming"] == [comment.text]
    # the export is recorded: the Word round trip reads it back
    assert import_review(path, reviewer="Wang Fang").outcomes == []
    session.delete_comment("s2.p1", comment.id)
    assert "s2.p1" not in session.briefing.comments


def test_a_term_must_be_in_the_report(session: ReviewSession) -> None:
    with pytest.raises(Exception, match="not in the report"):
        session.add_term("火星", "Mars")


def test_with_a_test_model_nothing_is_approved_and_a_pick_stays_labelled() -> None:
    read = {normalise_numbers(k)[0]: v for k, v in SCRIPT.items()}
    others = {normalise_numbers(k)[0]: v for k, v in ALTERNATIVES.items()}
    double = ScriptedTranslatorTestDouble(read, others)  # a test model
    session = open_review(REPORT, OPTIONS, double)
    done = session.approve("s1.p2")
    assert "not kept as reviewed" in done.messages[0]
    assert session.status("s1.p2") == "machine"
    session.pick("s1.p2", 1)
    zh = "全市常住人口达到670万人，比上年增加1.2万人。"
    assert (entry(zh).status, entry(zh).en) == ("machine", ALTERNATIVES[zh][1])
    assert session.english_shown("s1.p2").startswith("[TEST MODEL – NOT A TRANSLATION] ")


def test_review_needs_the_memory() -> None:
    with pytest.raises(Exception, match="stores every change in the translation memory"):
        open_review(REPORT, TranslationOptions(memory=False), stand_in())  # type: ignore[arg-type]


# --- the app: token, cookie, CSRF, escaping ------------------------------------------------


@pytest.fixture
def client(session: ReviewSession) -> Any:
    app = create_app(session, TOKEN, hosts=accepted_hosts("127.0.0.1", 8000))
    return app.test_client()


def opened(client: Any) -> tuple[Any, str]:
    """The page after the token's redirect, and its CSRF token."""
    first = client.get("/?token=" + TOKEN, base_url="http://127.0.0.1:8000")
    assert first.status_code == 303 and first.headers["Location"] == "/"
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith(cookie_name(TOKEN) + "=" + TOKEN)
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = client.get("/", base_url="http://127.0.0.1:8000")
    assert page.status_code == 200
    csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert csrf
    return page, csrf.group(1)


def test_every_request_needs_the_token(client: Any) -> None:
    base = "http://127.0.0.1:8000"
    for path in ("/", "/static/app.js", "/p/s1.p1", "/?token=wrong"):
        assert client.get(path, base_url=base).status_code == 403
    assert client.post("/p/s1.p1/approve", base_url=base).status_code == 403
    page, _ = opened(client)
    assert page.headers["Content-Security-Policy"] == CSP
    assert page.headers["Referrer-Policy"] == "same-origin"


def test_a_change_needs_the_csrf_token_and_this_origin(client: Any) -> None:
    base = "http://127.0.0.1:8000"
    _, csrf = opened(client)
    assert client.post("/p/s1.p2/approve", base_url=base).status_code == 403
    evil = {CSRF_HEADER: csrf, "Origin": "http://evil.example"}
    assert client.post("/p/s1.p2/approve", base_url=base, headers=evil).status_code == 403
    ok = client.post("/p/s1.p2/approve", base_url=base,
                     headers={CSRF_HEADER: csrf, "Origin": base})  # fmt: skip
    assert ok.status_code == 200 and 'id="p-s1-p2"' in ok.text
    assert entry("全市常住人口达到670万人，比上年增加1.2万人。").status == "approved"
    assert '<div id="counts" class="counts" hx-swap-oob="true"' in ok.text


def test_another_host_name_is_refused(client: Any) -> None:
    """A page of another site that resolves its name to 127.0.0.1 (DNS rebinding)."""
    assert client.get("/?token=" + TOKEN, base_url="http://evil.example:8000").status_code == 403


def test_a_report_s_markup_is_shown_as_text(client: Any) -> None:
    page, _ = opened(client)
    assert "<script>alert(1)</script>" not in page.text
    assert "页面测试&lt;script&gt;alert(1)&lt;/script&gt;应显示为文字。" in page.text
    assert "The page test &lt;script&gt;alert(1)&lt;/script&gt; should show as text." in page.text


def test_an_edit_answers_saved_after_storing_it(client: Any) -> None:
    base = "http://127.0.0.1:8000"
    _, csrf = opened(client)
    answer = client.post("/p/s1.p1/edit", base_url=base, headers={CSRF_HEADER: csrf},
                         data={"en": "GDP grew by 5.8%. 70,000 new jobs."})  # fmt: skip
    assert answer.status_code == 200 and answer.text.startswith("saved ")
    assert entry(JOBS).en == "70,000 new jobs."
    refused = client.post("/p/s1.p1/dismiss", base_url=base, headers={CSRF_HEADER: csrf},
                          data={"segment": "s1.p1.9", "index": "0", "reason": "x"})  # fmt: skip
    assert refused.status_code == 400 and refused.headers["HX-Retarget"] == "#messages"
    assert "no such flag now" in refused.text


def test_the_export_is_a_word_document(client: Any) -> None:
    _, csrf = opened(client)
    answer = client.post("/export", base_url="http://127.0.0.1:8000", data={"csrf": csrf})
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="report.briefing.docx"'
    assert answer.data[:2] == b"PK"


def test_dom_ids_have_no_dots() -> None:
    assert dom_id("s3.p5") == "p-s3-p5"


# --- the command -------------------------------------------------------------------------


def test_another_host_than_loopback_needs_a_token_file(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="reachable from other machines"):
        read_token("0.0.0.0", None)
    made = tmp_path / "token"
    token = read_token("0.0.0.0", made)
    assert len(token) >= 32 and made.read_text().strip() == token
    assert made.stat().st_mode & 0o777 == 0o600
    assert read_token("0.0.0.0", made) == token
    made.chmod(0o644)
    with pytest.raises(Exception, match="can be read by other users"):
        read_token("0.0.0.0", made)
    short = tmp_path / "short"
    short.write_text("abc\n")
    short.chmod(0o600)
    with pytest.raises(Exception, match="at least 32"):
        read_token("127.0.0.1", short)


def test_review_usage_errors_exit_2(run_cli: Any) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("review", str(REPORT), "--host", "0.0.0.0", "--no-browser")
    assert result.code == 2 and "pass --token-file FILE" in result.err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run_cli("review", str(REPORT), "--port", str(port), "--no-browser")
    assert result.code == 2 and f"cannot serve on 127.0.0.1:{port}" in result.err
    result = run_cli("review", str(REPORT), "--no-memory", "--no-browser")
    assert result.code == 2 and "stores every change" in result.err


def test_without_flask_the_command_says_how_to_install_it(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import builtins

    real = builtins.__import__

    def no_flask(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "flask":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_flask)
    result = run_cli("review", str(REPORT), "--no-browser")
    assert result.code == 2
    assert result.err.splitlines() == [
        "error: briefing review needs Flask, which is not installed",
        "hint: install the review app's packages: pip install 'briefing[review]'",
    ]


def test_english_typed_back_to_what_it_was_stores_nothing(session: ReviewSession) -> None:
    with open_memory() as memory:
        before = memory.stats().changes
    session.edit("s1.p2", " " + session.english("s1.p2") + "\n")
    with open_memory() as memory:
        assert memory.stats().changes == before
    assert session.status("s1.p2") == "machine"


def test_with_the_tiny_model_the_page_labels_its_english_and_offers_its_n_best(
    tiny_model: Path,
) -> None:
    """The real transformers engine behind the session: alternatives are its n-best
    lists, and its English is never shown unlabelled."""
    from briefing.translate.marian import MarianTranslator
    from briefing.translate.resolve import from_folder

    engine = MarianTranslator(from_folder(tiny_model, "--model"), device="cpu")
    session = open_review(REPORT, OPTIONS, engine)
    choices = session.alternatives("s1.p2")
    assert choices and choices[0].english == session.english("s1.p2")
    assert all(session.shown_alternative(c).startswith("[TEST MODEL – NOT A TRANSLATION] ")
               for c in choices)  # fmt: skip
    app = create_app(session, TOKEN, hosts=accepted_hosts("127.0.0.1", 8000))
    client = app.test_client()
    page, _ = opened(client)
    assert "TEST MODEL – NOT A TRANSLATION:</strong>" in page.text
    assert page.text.count("[TEST MODEL – NOT A TRANSLATION] ") >= len(session.paragraphs)
