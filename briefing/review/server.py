"""Serving `briefing review`: the address, the token, and the HTTP server.

The socket is bound before the report is translated (a port in use is reported at
once), the URL is printed on stdout, first, only once the page is ready, and the server
answers from threads until Ctrl-C (exit 130) or SIGTERM (exit 143). Werkzeug's server
(Flask's own) is enough for one reviewer on their own machine; its request log goes to
the `briefing` logger at debug level.
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.errors import UsageError

if TYPE_CHECKING:
    from werkzeug.serving import BaseWSGIServer

    from briefing.review.session import ReviewSession

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost", "::1")
MIN_TOKEN_CHARS = 32
INSTALL_HINT = "install the review app's packages: pip install 'briefing[review]'"


def check_stack() -> None:
    """Flask (and with it Werkzeug and Jinja2) is an extra: say how to get it."""
    try:
        import flask  # noqa: F401
    except ImportError:
        raise UsageError("briefing review needs Flask, which is not installed",
                         INSTALL_HINT) from None  # fmt: skip


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def read_token(host: str, token_file: Path | None) -> str:
    """The run's token: random, or from `token_file` (made, with a random token and mode
    0600, when it does not exist). A non-loopback `host` needs a token file: the server
    is then reachable from other machines, and the token must be one you chose to share."""
    if token_file is None:
        if not is_loopback(host):
            raise UsageError(
                f"--host {host} is reachable from other machines, so its token must be one "
                "you keep",
                "pass --token-file FILE (made with a random token if it does not exist), or "
                "leave out --host to serve on 127.0.0.1 only",
            )
        return secrets.token_urlsafe(32)
    path = Path(token_file).expanduser()
    if not path.exists():
        token = secrets.token_urlsafe(32)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "w", encoding="ascii") as out:
                out.write(token + "\n")
        except OSError as exc:
            raise UsageError(f"--token-file {path}: cannot write it ({exc.strerror})",
                             "pass another --token-file") from None  # fmt: skip
        return token
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--token-file {path}: cannot read it ({exc})",
                         "pass a file with one line: the token") from None  # fmt: skip
    if not stat.S_ISREG(mode):
        raise UsageError(f"--token-file {path} is not a file", "pass a file")
    if mode & 0o077:
        raise UsageError(f"--token-file {path} can be read by other users",
                         f"chmod 600 {path}") from None  # fmt: skip
    if len(text) < MIN_TOKEN_CHARS or not all(c.isalnum() or c in "-_." for c in text):
        raise UsageError(
            f"--token-file {path}: the token must be at least {MIN_TOKEN_CHARS} letters, "
            "digits, - or _",
            "delete the file to have a random one made",
        )
    return text


def accepted_hosts(host: str, port: int) -> set[str] | None:
    """The Host headers a loopback server answers (None: any, for other addresses)."""
    if not is_loopback(host):
        return None
    return {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}


def url_of(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


class _Later:
    """The WSGI app, given once the session is ready (the socket is bound before)."""

    def __init__(self) -> None:
        self.app: Callable[..., Iterable[bytes]] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self.app is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"briefing review is still translating the report\n"]
        return self.app(environ, start_response)


def bind(host: str, port: int) -> BaseWSGIServer:
    """The server socket, bound now; an address in use is a usage error."""
    import socket

    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            log.debug("%s %s %s", self.command, self.path.split("?")[0], code)

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(64)
    except OSError as exc:  # bound here: werkzeug would print and exit on its own
        sock.close()
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}",
                         "pass another --port (0: any free one) or --host") from None  # fmt: skip
    try:
        return make_server(host, sock.getsockname()[1], _Later(), threaded=True,
                           request_handler=QuietHandler, fd=sock.fileno())  # fmt: skip
    finally:
        sock.close()  # the server holds a duplicate of it


def serve(
    server: BaseWSGIServer,
    session: ReviewSession,
    token: str,
    *,
    announce: Callable[[str], None],
    open_browser: bool = True,
) -> None:
    """Serve `session` until interrupted; `announce` gets the URL first."""
    from briefing.review.app import create_app

    host, port = server.host, server.port
    later = server.app
    assert isinstance(later, _Later)
    later.app = create_app(session, token, hosts=accepted_hosts(host, port))
    url = url_of(host, port, token)
    announce(url)
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever()
    finally:
        server.server_close()
