"""Servers on 127.0.0.1 for the tests (real sockets, no mocks).

``ScriptedServer`` is for fetch and crawl tests: each path (with its query) gets a list of
responses served in turn; the last one repeats. A response is a ``Reply`` or a callable taking
the request headers and returning one. ``requests`` logs (path, headers, start time, end time)
in monotonic seconds. ``served_archive`` runs ``article-archive``'s own ``serve()`` on an
archive, in a child process, for the browser tests.
"""

from __future__ import annotations

import gzip
import itertools
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    gzip: bool = False  # Content-Encoding: gzip
    length: bool = True  # send Content-Length (else the body ends when the connection closes)
    raw: bytes | None = None  # sent as it is, status line included, then the connection closes


@dataclass
class Logged:
    """One request the server received."""

    path: str
    headers: dict[str, str]
    start: float
    end: float = 0.0
    status: int = 0


Responder = Reply | Callable[[dict[str, str]], Reply]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        entry = Logged(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic())
        with owner.lock:
            owner.requests.append(entry)
        reply = owner.next_reply(self.path, entry.headers)
        if reply.delay:
            time.sleep(reply.delay)
        if reply.raw is not None:
            entry.end = time.monotonic()
            self.close_connection = True
            self.wfile.write(reply.raw)
            self.wfile.flush()
            return
        if reply.drop:
            entry.end = time.monotonic()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        if reply.gzip:
            body = gzip.compress(body)
            self.send_header("Content-Encoding", "gzip")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (size limit)
            self.close_connection = True
        entry.status = reply.status
        entry.end = time.monotonic()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: ScriptedServer

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up are part of the tests; stay quiet."""


class ScriptedServer:
    """Serves scripted replies on a free loopback port; a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Responder]] = {}
        self.requests: list[Logged] = []
        self.lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    def url(self, path: str) -> str:
        """The absolute URL of ``path``."""
        return self.base_url + path.lstrip("/")

    def route(self, path: str, *replies: Responder) -> None:
        """Answer ``path`` with ``replies`` in turn (the last one repeats)."""
        self.routes["/" + path.lstrip("/")] = list(replies)

    def next_reply(self, path: str, headers: dict[str, str]) -> Reply:
        """The reply for this request (404 for unknown paths)."""
        with self.lock:
            replies = self.routes.get(path)
            if not replies:
                return Reply(404, "not found", content_type="text/plain")
            responder = replies.pop(0) if len(replies) > 1 else replies[0]
        return responder(headers) if callable(responder) else responder

    def hits(self, path: str) -> list[Logged]:
        """The requests made to ``path``."""
        return [r for r in self.requests if r.path == "/" + path.lstrip("/")]

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def gaps(entries: list[Logged]) -> list[float]:
    """Seconds between the end of each request and the start of the next one."""
    return [b.start - a.end for a, b in itertools.pairwise(entries)]


def etag_reply(body: str, etag: str, content_type: str = "application/rss+xml") -> Responder:
    """A responder answering 304 when the request carries ``If-None-Match: etag``."""

    def respond(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag}, content_type=None)
        return Reply(200, body, {"ETag": etag}, content_type=content_type)

    return respond


SERVER_CODE = (
    "import sys; from article_archive.web.serve import serve; "
    "serve(sys.argv[1], port=int(sys.argv[2]))"
)


def free_port() -> int:
    """A loopback port nobody listens on (for a child process to take)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served_archive(db_path: Path) -> Iterator[str]:
    """``serve()`` on ``db_path`` in a child process on a free loopback port; yields its URL."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-c", SERVER_CODE, str(db_path), str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start (exit code {proc.poll()})")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)
