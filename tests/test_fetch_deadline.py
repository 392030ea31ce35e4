"""A response has a total deadline: a body dripped a byte at a time cannot hold a host's slot."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from article_archive.errors import FetchError
from article_archive.fetch.client import HttpClient


@pytest.fixture
def dripping_server() -> Iterator[str]:
    """Answers 200 with a long body sent one byte every 0.1 s (each byte resets a read timeout)."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"
                )
                for _ in range(600):  # a minute of drip unless the client gives up
                    if stop.is_set():
                        break
                    try:
                        conn.sendall(b"x")
                    except OSError:
                        break
                    time.sleep(0.1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/slow"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def test_a_dripped_body_ends_at_the_response_deadline(dripping_server: str) -> None:
    http = HttpClient(delay=0, ignore_robots=True, retries=0, timeout=1.0, deadline=2.0)
    started = time.monotonic()
    with http, pytest.raises(FetchError, match="no complete answer within 2 s"):
        http.fetch(dripping_server)
    assert time.monotonic() - started < 4.0


def test_the_default_deadline_is_three_read_timeouts() -> None:
    with HttpClient(timeout=5.0) as http:
        assert http.deadline == 15.0
