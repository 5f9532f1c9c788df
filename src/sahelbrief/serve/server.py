"""The preview's HTTP server: the last complete build, read-only, plus a Server-Sent Events
channel that tells open pages to reload or show the build's errors.

The reload script is added to HTML responses as they are sent; the files on disk stay exactly
what `build` writes.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import select
import socket
import threading
from collections.abc import Callable
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from sahelbrief.fingerprint import is_fingerprinted
from sahelbrief.serve.http import Redirect, host_allowed, resolve
from sahelbrief.serve.state import LiveState, Snapshot

log = logging.getLogger(__name__)

EVENTS_PATH = "/__sahelbrief__/events"
KEEPALIVE_SECONDS = 15.0
CHECK_SECONDS = 0.5
FOREVER = "public, max-age=31536000, immutable"  # a file whose name is its content's digest
NOT_BUILT = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Not built yet</title></head>
<body><h1>The site has not been built yet</h1>
<p>Fix the errors below; this page reloads by itself after the first good build.</p>
</body></html>
"""


class PreviewServer(ThreadingHTTPServer):
    """Serves `site_dir`. Handler threads are joined on close (no stray threads), which is why
    event streams must end when `state` closes."""

    daemon_threads = False
    block_on_close = True

    def __init__(self, host: str, port: int, site_dir: Path, state: LiveState) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), PreviewHandler)
        self.host = host
        self.site_dir = site_dir
        self.state = state
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, name="sahelbrief-http"
        )
        self._thread.start()

    def stop(self) -> None:
        self.state.close()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        self.server_close()


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "sahelbrief-preview"
    # A client that connects and sends nothing must not keep shutdown waiting for ever.
    timeout = 10

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def __getattr__(self, name: str) -> Callable[[], None]:
        # Every other method (POST, PUT, DELETE, OPTIONS, made-up ones...) gets 405, not the
        # standard library's 501.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self._plain(HTTPStatus.METHOD_NOT_ALLOWED, "Only GET and HEAD are allowed.\n", True)

    def _answer(self, send_body: bool) -> None:
        server = self.server
        if not host_allowed(self.headers.get("Host"), server.host, server.port):
            self._plain(HTTPStatus.BAD_REQUEST, "Unknown Host header.\n", send_body)
            return
        path = urlsplit(self.path).path
        if path == EVENTS_PATH:
            self._events(send_body)
            return
        # The state is read before the file: a page is never labelled newer than its build, so
        # at worst it reloads once more, never stays stale.
        snapshot = server.state.snapshot()
        if not snapshot.built:
            self._html(HTTPStatus.SERVICE_UNAVAILABLE, NOT_BUILT, snapshot, send_body)
            return
        target = resolve(server.site_dir, path) if path.startswith("/") else None
        if isinstance(target, Redirect):
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", target.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif target is None:
            self._not_found(snapshot, send_body)
        else:
            self._file(target, snapshot, send_body)

    def _file(self, path: Path, snapshot: Snapshot, send_body: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            # A rebuild swapped in a site without this file between resolving and reading.
            self._not_found(snapshot, send_body)
            return
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if kind == "text/html":
            self._html(HTTPStatus.OK, data, snapshot, send_body)
            return
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        # A reload then takes the theme's stylesheet from the browser's cache instead of asking
        # this server for it again before the page's scripts may run.
        kept = is_fingerprinted(path.name, data)
        self.send_header("Cache-Control", FOREVER if kept else "no-cache")
        self._end_headers()
        if send_body:
            self.wfile.write(data)

    def _not_found(self, snapshot: Snapshot, send_body: bool) -> None:
        page = resolve(self.server.site_dir, "/404.html")
        if isinstance(page, Path):
            try:
                self._html(HTTPStatus.NOT_FOUND, page.read_bytes(), snapshot, send_body)
                return
            except OSError:
                pass
        self._plain(HTTPStatus.NOT_FOUND, "Not found.\n", send_body)

    def _html(self, status: HTTPStatus, data: bytes, snapshot: Snapshot, send_body: bool) -> None:
        body = inject(data, snapshot)
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        # Always revalidate: the preview's pages change with every build.
        self.send_header("Cache-Control", "no-cache")
        self._end_headers()
        if send_body:
            self.wfile.write(body)

    def _plain(self, status: HTTPStatus, text: str, send_body: bool) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        if status == HTTPStatus.METHOD_NOT_ALLOWED:
            self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self._end_headers()
        if send_body:
            self.wfile.write(body)

    def _end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()

    def _events(self, send_body: bool) -> None:
        """Stream the build state: once on connect, then on every change, with a comment line
        now and then so a dead connection is noticed. Ends when the server stops."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self._end_headers()
        if not send_body:
            return
        state = self.server.state
        seen = -1
        state.listening(+1)
        try:
            self.wfile.write(b"retry: 1000\n\n")
            idle = 0.0
            while True:
                update = state.wait(seen, CHECK_SECONDS)
                if update is None:
                    return
                version, snapshot = update
                if version != seen:
                    payload = json.dumps(snapshot.as_json(), ensure_ascii=True)
                    self.wfile.write(f"data: {payload}\n\n".encode())
                    seen, idle = version, 0.0
                elif self._client_gone():
                    return
                else:
                    idle += CHECK_SECONDS
                    if idle >= KEEPALIVE_SECONDS:
                        self.wfile.write(b": keep-alive\n\n")
                        idle = 0.0
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return
        finally:
            state.listening(-1)

    def _client_gone(self) -> bool:
        """Whether the page closed its end (a hidden tab, a closed tab): the socket reads as
        end-of-file. Checked between messages so the stream's thread ends promptly."""
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return bool(self.connection.recv(1, socket.MSG_PEEK) == b"")
        except OSError:
            return True

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)


def inject(html: bytes, snapshot: Snapshot) -> bytes:
    """`html` with the reload script before its last </body> (or at the end)."""
    page = {"id": snapshot.id, "epoch": snapshot.epoch, "events": EVENTS_PATH}
    # "<" escaped so no value can close the script element.
    config = json.dumps(page).replace("<", "\\u003c")
    script = f"<script>{_client_script()}({config});</script>\n".encode()
    at = html.lower().rfind(b"</body>")
    if at < 0:
        return html + script
    return html[:at] + script + html[at:]


@cache
def _client_script() -> str:
    return files("sahelbrief.serve").joinpath("client.js").read_text(encoding="utf-8").strip()
