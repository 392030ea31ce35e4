"""robots.txt and per-host politeness, measured from the server's request log."""

from __future__ import annotations

import itertools
import threading

import pytest

from article_archive.errors import FetchError, RobotsDisallowed
from article_archive.fetch.client import HttpClient
from article_archive.fetch.politeness import Politeness
from article_archive.fetch.robots import parse_robots, robots_url
from servers import Reply, ScriptedServer, gaps

ROBOTS = """User-agent: *
Disallow: /private/
Crawl-delay: 0.4
Sitemap: /sitemap.xml

User-agent: other-bot
Disallow: /
"""


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


def client(**options) -> HttpClient:
    return HttpClient(**{"delay": 0, "retries": 1, "backoff": 0.01, **options})


def test_disallow_is_honoured_and_ignore_is_explicit(server, caplog):
    server.route("robots.txt", Reply(body=ROBOTS, content_type="text/plain"))
    server.route("private/a", Reply(body="secret"))
    with client() as http, pytest.raises(RobotsDisallowed):
        http.fetch(server.url("private/a"))
    assert server.hits("private/a") == []
    with client(ignore_robots=True) as http:
        assert http.fetch(server.url("private/a")).body == b"secret"
    assert "ignoring robots.txt" in caplog.text


def test_crawl_delay_spaces_requests(server):
    server.route("robots.txt", Reply(body=ROBOTS, content_type="text/plain"))
    server.route("page", Reply(body="ok"))
    with client() as http:
        for _ in range(3):
            http.fetch(server.url("page"))
        assert http.robots.sitemaps(server.url("page")) == [server.url("sitemap.xml")]
    measured = gaps(server.hits("page"))
    assert len(measured) == 2
    assert all(0.4 <= gap < 0.7 for gap in measured), measured


def test_delay_wins_when_longer_than_crawl_delay(server):
    server.route("robots.txt", Reply(body=ROBOTS, content_type="text/plain"))
    server.route("page", Reply(body="ok"))
    with client(delay=0.6) as http:
        http.fetch(server.url("page"))
        http.fetch(server.url("page"))
    (gap,) = gaps(server.hits("page"))
    assert 0.6 <= gap < 0.9


def test_robots_404_allows_everything(server):
    server.route("private/a", Reply(body="open"))
    with client() as http:
        assert http.fetch(server.url("private/a")).status == 200
    assert len(server.hits("robots.txt")) == 1


def test_robots_5xx_disallows_for_now(server):
    server.route("robots.txt", Reply(503, "down", content_type="text/plain"))
    server.route("page", Reply(body="ok"))
    with client() as http, pytest.raises(FetchError, match=r"robots\.txt unavailable"):
        http.fetch(server.url("page"))
    assert server.hits("page") == []


def test_one_request_in_flight_per_host(server):
    server.route("robots.txt", Reply(404, ""))
    server.route("slow", Reply(body="ok", delay=0.2))
    with client() as http:
        threads = [
            threading.Thread(target=http.fetch, args=(server.url("slow"),)) for _ in range(3)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    hits = sorted(server.hits("slow"), key=lambda h: h.start)
    assert len(hits) == 3
    assert all(b.start >= a.end for a, b in itertools.pairwise(hits))


def test_parse_robots_rules():
    rules = parse_robots(ROBOTS, 200, "article-archive/0.1.0", now=0.0)
    assert rules.crawl_delay == 0.4
    assert rules.parser.can_fetch("http://x/private/a", "article-archive/0.1.0") is False
    assert rules.parser.can_fetch("http://x/public", "article-archive/0.1.0") is True
    assert parse_robots("", 404, "a", 0.0).parser is None
    assert parse_robots("", 500, "a", 0.0).unavailable
    assert robots_url("https://www.example.org/spip.php?article1") == (
        "https://www.example.org/robots.txt"
    )


def test_politeness_pauses_after_failures():
    pacing = Politeness(0, max_failures=3)
    assert not pacing.record_failure("h")
    pacing.record_success("h")
    assert not pacing.record_failure("h")
    assert not pacing.record_failure("h")
    assert pacing.record_failure("h")
    assert pacing.is_paused("h")
    assert not pacing.is_paused("other")
