"""The routes of `briefing review`: a Flask app over a `ReviewSession`.

Security, for a server that holds a reviewer's work on their own machine:
- every request needs the run's random token: given once in the URL (``/?token=…``),
  answered with a redirect that sets it as an HttpOnly, SameSite=Strict cookie and drops
  it from the address bar; without it, 403;
- on a loopback address the Host header must name that address (no DNS rebinding);
- every change is a POST carrying the page's CSRF token (a header htmx sends, or a
  form field) and, where the browser says one, an Origin of this server; else 403;
- every text is escaped by Jinja2's autoescaping (a report's ``<script>`` is shown as
  text), and the Content-Security-Policy allows no inline script, no other origin and no
  framing; no Referer leaves for another site.

Every POST's change is committed to the memory before the answer goes out (the session
writes, then the page is rendered). htmx (vendored in static/, 0BSD) swaps what changed:
the paragraph, the counts in the header bar, and a message line.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Collection
from typing import Any

from flask import Flask, Response, abort, make_response, redirect, render_template, request

from briefing.errors import BriefingError
from briefing.review.session import Outcome, ReviewSession

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
CSRF_HEADER = "X-CSRF-Token"


def dom_id(unit: str) -> str:
    """A paragraph's element id: `s3.p5` -> `p-s3-p5` (a dot would read as a CSS class)."""
    return "p-" + unit.replace(".", "-")


def cookie_name(token: str) -> str:
    """Per run, so that two review servers on one host do not overwrite each other's."""
    return "briefing-review-" + hashlib.sha256(token.encode()).hexdigest()[:12]


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def create_app(
    session: ReviewSession, token: str, *, hosts: Collection[str] | None = None
) -> Flask:
    """The app for `session`; `hosts` the Host headers accepted (None: any, for a server
    on a non-loopback address, where the token alone guards it)."""
    app = Flask(__name__, static_folder="static", template_folder="templates")
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.jinja_env.globals.update(dom_id=dom_id)
    csrf = secrets.token_urlsafe(32)
    cookie = cookie_name(token)
    origins = {f"http://{host}" for host in hosts} if hosts is not None else None

    @app.before_request
    def guard() -> Any:
        if hosts is not None and request.host not in hosts:
            abort(403)
        given = request.args.get("token")
        if given is not None:
            if not _same(given, token):
                abort(403)
            answer = redirect(request.path, code=303)
            answer.set_cookie(cookie, token, httponly=True, samesite="Strict", path="/")
            return answer
        if not _same(request.cookies.get(cookie), token):
            abort(403)
        if request.method not in ("GET", "HEAD"):
            sent = request.headers.get(CSRF_HEADER) or request.form.get("csrf")
            origin = request.headers.get("Origin")
            if not _same(sent, csrf) or (origin and origins is not None and origin not in origins):
                abort(403)
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        # not no-referrer: under it a form's POST says Origin "null"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(403)
    def forbidden(_: Any) -> Response:
        text = (
            "403 Forbidden: open the address `briefing review` printed (it carries the "
            "run's token), in the browser that opened it.\n"
        )
        return Response(text, status=403, mimetype="text/plain")

    @app.errorhandler(BriefingError)
    def refused(exc: BriefingError) -> Response:
        """A change the session refused: said in the message line; nothing was stored."""
        response = make_response(render_template("_messages.html", messages=[
            f"{exc.message} ({exc.hint})" if exc.hint else exc.message]), 400)  # fmt: skip
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
        return response

    def page(**extra: Any) -> str:
        return render_template("page.html", s=session, csrf=csrf, csrf_header=CSRF_HEADER,
                               **extra)  # fmt: skip

    def rows(done: Outcome) -> str:
        """The paragraphs an action made again (the first as the swap's target, the
        others out of band), the counts and the message line."""
        out = [render_template("_paragraph.html", s=session, unit=unit, oob=k > 0)
               for k, unit in enumerate(done.units)]  # fmt: skip
        out.append(render_template("_counts.html", s=session, oob=True))
        out.append(render_template("_messages.html", messages=done.messages, oob=True))
        return "".join(out)

    @app.get("/")
    def index() -> str:
        return page()

    @app.get("/p/<unit>")
    def paragraph(unit: str) -> str:
        session.unit(unit)
        return render_template("_paragraph.html", s=session, unit=unit, oob=False)

    @app.post("/p/<unit>/edit")
    def edit(unit: str) -> str:
        done = session.edit(unit, request.form.get("en", ""))
        return render_template("_saved.html", s=session, unit=unit, messages=done.messages,
                               at=time.strftime("%H:%M:%S"))  # fmt: skip

    def action(name: str, run: Callable[[str], Outcome]) -> None:
        def view(unit: str) -> str:
            return rows(run(unit))

        app.add_url_rule(f"/p/<unit>/{name}", f"do_{name}", view, methods=["POST"])

    action("approve", session.approve)
    action("revert", session.revert)
    action("retranslate", session.retranslate)
    action("pick", lambda unit: session.pick(unit, _number("rank")))
    action("dismiss", lambda unit: session.dismiss(unit, request.form.get("segment", ""),
                                                   _number("index"),
                                                   request.form.get("reason", "")))  # fmt: skip
    action("withdraw", lambda unit: session.withdraw(unit, _number("dismissal")))
    action("comment", lambda unit: session.comment(unit, request.form.get("text", "")))
    action("uncomment", lambda unit: session.delete_comment(unit, _number("comment")))

    @app.get("/p/<unit>/alternatives")
    def alternatives(unit: str) -> str:
        return render_template("_alternatives.html", s=session, unit=unit,
                               choices=session.alternatives(unit))  # fmt: skip

    @app.post("/terms")
    def terms() -> str:
        done = session.add_term(request.form.get("zh", ""), request.form.get("en", ""))
        out = [render_template("_paragraph.html", s=session, unit=unit, oob=True)
               for unit in done.units]  # fmt: skip
        out.append(render_template("_counts.html", s=session, oob=True))
        return render_template("_messages.html", messages=done.messages) + "".join(out)

    @app.post("/export")
    def export() -> Response:
        name, data = session.export()
        response = Response(data, mimetype="application/vnd.openxmlformats-officedocument."
                                             "wordprocessingml.document")  # fmt: skip
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    return app


def _number(field: str) -> int:
    value = request.form.get(field, "")
    if not value.isdigit():
        abort(400)
    return int(value)
