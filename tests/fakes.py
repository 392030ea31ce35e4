"""A fake clock and a scripted site behind ``httpx.MockTransport``, for exact, instant tests.

``FakeClock.sleep`` moves the clock's hands and returns at once, so a test of pacing or retries
reads the waits exactly instead of measuring them on the real clock. ``FakeSite`` answers the
client's requests with ``servers.Reply`` objects (a reply's ``delay`` moves the fake clock,
``drop`` is a connection reset) and logs each request at the fake clock's time.
"""

from __future__ import annotations

import gzip
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from servers import Reply

BASE = "http://site.test/"


class FakeClock:
    """Monotonic and wall time that only move when slept on or advanced."""

    def __init__(self, start: float = 0.0, epoch: float = 1_700_000_000.0) -> None:
        self.now = start
        self.epoch = epoch
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def monotonic(self) -> float:
        """The fake monotonic time."""
        return self.now

    def time(self) -> float:
        """The fake wall time: ``epoch`` plus the monotonic time."""
        return self.epoch + self.now

    def sleep(self, seconds: float) -> None:
        """Record the wait and move the clock by it, at once."""
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass (a slow server, a long pause between two runs)."""
        with self._lock:
            self.now += seconds


@dataclass
class Seen:
    """One request the fake site answered, with the fake clock's times."""

    path: str
    headers: dict[str, str]
    start: float
    end: float


FakeResponder = Reply | Callable[[dict[str, str]], Reply]


class FakeSite:
    """Scripted replies per path (the last one repeats); robots.txt is a 404 unless routed."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.routes: dict[str, list[FakeResponder]] = {}
        self.requests: list[Seen] = []
        self.transport = httpx.MockTransport(self._answer)

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` on the fake site."""
        return BASE + path.lstrip("/")

    def route(self, path: str, *replies: FakeResponder) -> None:
        """Answer ``path`` with ``replies`` in turn (the last one repeats)."""
        self.routes["/" + path.lstrip("/")] = list(replies)

    def hits(self, path: str) -> list[Seen]:
        """The requests for ``path`` (with its query), in order."""
        return [r for r in self.requests if r.path == "/" + path.lstrip("/")]

    def gaps(self, path: str) -> list[float]:
        """Seconds between the end of each request for ``path`` and the start of the next."""
        return [b.start - a.end for a, b in itertools.pairwise(self.hits(path))]

    def _answer(self, request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode("ascii")
        headers = {k.lower(): v for k, v in request.headers.items()}
        seen = Seen(path, headers, self.clock.monotonic(), self.clock.monotonic())
        self.requests.append(seen)
        reply = self._next_reply(path, headers)
        self.clock.advance(reply.delay)
        seen.end = self.clock.monotonic()
        if reply.drop:
            raise httpx.RemoteProtocolError("connection dropped", request=request)
        body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
        out = dict(reply.headers)
        if reply.content_type:
            out["Content-Type"] = reply.content_type
        if reply.gzip:
            body = gzip.compress(body)
            out["Content-Encoding"] = "gzip"
        # A stream, as a real transport gives: the client reads the raw bytes and decodes them.
        out.setdefault("Content-Length", str(len(body)))
        return httpx.Response(reply.status, headers=out, stream=httpx.ByteStream(body))

    def _next_reply(self, path: str, headers: dict[str, str]) -> Reply:
        replies = self.routes.get(path)
        if not replies:
            return Reply(404, "not found", content_type="text/plain")
        responder = replies.pop(0) if len(replies) > 1 else replies[0]
        return responder(headers) if callable(responder) else responder
