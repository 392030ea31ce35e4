"""robots.txt and per-host politeness: pacing read exactly from a fake site's log on a fake
clock; what needs real sockets (robots.txt answers, threads) on a loopback server."""

from __future__ import annotations

import itertools
import threading

import pytest

from article_archive.errors import FetchError, RobotsDisallowed
from article_archive.fetch.client import HttpClient
from article_archive.fetch.politeness import Politeness
from article_archive.fetch.robots import UNAVAILABLE_RETRY, parse_robots, robots_url
from fakes import FakeClock, FakeSite
from servers import Reply, ScriptedServer

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


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def site(clock) -> FakeSite:
    return FakeSite(clock)


def client(**options) -> HttpClient:
    return HttpClient(**{"delay": 0, "retries": 1, "backoff": 0.01, **options})


def fake_client(site: FakeSite, **options) -> HttpClient:
    """A client on the fake site's transport and the fake clock: every wait is exact."""
    return client(transport=site.transport, clock=site.clock, **options)


def test_disallow_is_honoured_and_ignore_is_explicit(server, caplog):
    server.route("robots.txt", Reply(body=ROBOTS, content_type="text/plain"))
    server.route("private/a", Reply(body="secret"))
    with client() as http, pytest.raises(RobotsDisallowed):
        http.fetch(server.url("private/a"))
    assert server.hits("private/a") == []
    with client(ignore_robots=True) as http:
        assert http.fetch(server.url("private/a")).body == b"secret"
    assert "ignoring robots.txt" in caplog.text


def test_crawl_delay_spaces_requests(site):
    site.route("robots.txt", Reply(body=ROBOTS, content_type="text/plain"))
    site.route("page", Reply(body="ok"))
    with fake_client(site) as http:
        for _ in range(3):
            http.fetch(site.url("page"))
        assert http.robots.sitemaps(site.url("page")) == [site.url("sitemap.xml")]
    assert site.gaps("page") == [0.4, 0.4]


def test_delay_wins_when_longer_than_crawl_delay(site):
    site.route("robots.txt", Reply(body=ROBOTS, content_type="text/plain"))
    site.route("page", Reply(body="ok"))
    with fake_client(site, delay=0.6) as http:
        http.fetch(site.url("page"))
        http.fetch(site.url("page"))
    assert site.gaps("page") == [0.6]


def test_unavailable_robots_is_asked_again_later(site, clock):
    site.route(
        "robots.txt",
        Reply(503, "down", content_type="text/plain"),
        Reply(body=ROBOTS, content_type="text/plain"),
    )
    site.route("page", Reply(body="ok"))
    with fake_client(site, retries=0) as http:  # one answer per robots.txt fetch
        with pytest.raises(FetchError, match=r"robots\.txt unavailable"):
            http.fetch(site.url("page"))
        clock.advance(UNAVAILABLE_RETRY - 1)
        with pytest.raises(FetchError, match=r"robots\.txt unavailable"):
            http.fetch(site.url("page"))
        assert len(site.hits("robots.txt")) == 1  # still the cached 503
        clock.advance(1)
        assert http.fetch(site.url("page")).body == b"ok"
    assert len(site.hits("robots.txt")) == 2
    assert len(site.hits("page")) == 1


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


def test_politeness_slot_waits_the_gap_then_the_deferral():
    clock = FakeClock()
    pacing = Politeness(0.5, clock=clock)
    with pacing.slot("h"):
        pass
    with pacing.slot("h"):
        clock.advance(2.0)  # a slow answer: the gap counts from its end
    pacing.defer("h", 3.0)
    with pacing.slot("h"):
        pass
    with pacing.slot("other"):
        pass
    assert clock.sleeps == [0.5, 3.0]


def test_politeness_waits_through_the_given_sleep():
    clock, waits = FakeClock(), []
    pacing = Politeness(1.0, clock=clock, sleep=waits.append)
    with pacing.slot("h"):
        pass
    with pacing.slot("h"):
        pass
    assert waits == [1.0]
    assert clock.sleeps == []


def test_politeness_pauses_after_failures():
    pacing = Politeness(0, max_failures=3)
    assert not pacing.record_failure("h")
    pacing.record_success("h")
    assert not pacing.record_failure("h")
    assert not pacing.record_failure("h")
    assert pacing.record_failure("h")
    assert pacing.is_paused("h")
    assert not pacing.is_paused("other")
