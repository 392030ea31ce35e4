"""fetch/client.py: headers, limits and redirects on a real loopback server; the waits of
retries and pacing on a fake site and a fake clock, exact and instant."""

from __future__ import annotations

import time
from email.utils import formatdate

import pytest

from article_archive.errors import ContentRejected, FetchError, HostPaused
from article_archive.fetch.client import (
    DEFAULT_USER_AGENT,
    HttpClient,
    error_result,
    header_charset,
    media_type,
    parse_retry_after,
)
from fakes import FakeClock, FakeSite
from servers import Reply, ScriptedServer, etag_reply


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        srv.route("robots.txt", Reply(404, "", content_type="text/plain"))
        yield srv


def client(**options) -> HttpClient:
    defaults = {"delay": 0, "retries": 2, "backoff": 0.05, "timeout": 2.0}
    return HttpClient(**{**defaults, **options})


def test_fetch_sends_user_agent_and_decodes_gzip(server):
    server.route("page", Reply(body="<p>café</p>", gzip=True, headers={"ETag": '"v1"'}))
    with client() as http:
        result = http.fetch(server.url("page"))
    assert result.status == 200
    assert result.body == "<p>café</p>".encode()
    assert result.etag == '"v1"'
    assert result.content_type == "text/html; charset=utf-8"
    assert result.charset == "utf-8"
    sent = server.hits("page")[0].headers
    assert sent["user-agent"] == DEFAULT_USER_AGENT
    assert DEFAULT_USER_AGENT.startswith("article-archive/0.1.0 (+https://github.com/")
    assert "gzip" in sent["accept-encoding"] and "br" in sent["accept-encoding"]


def test_custom_user_agent(server):
    server.route("page", Reply(body="ok"))
    with client(user_agent="my-bot/2") as http:
        http.fetch(server.url("page"))
    assert server.hits("page")[0].headers["user-agent"] == "my-bot/2"


def test_conditional_get_answers_304(server):
    server.route("feed.xml", etag_reply("<rss/>", '"abc"'))
    with client() as http:
        first = http.fetch(server.url("feed.xml"), accept=None)
        second = http.fetch(server.url("feed.xml"), etag=first.etag, accept=None)
    assert (first.status, second.status) == (200, 304)
    assert second.body == b""
    assert server.hits("feed.xml")[1].headers["if-none-match"] == '"abc"'


def test_if_modified_since_is_sent(server):
    server.route("page", Reply(body="x"))
    with client() as http:
        http.fetch(server.url("page"), last_modified="Tue, 18 Jun 2024 13:30:00 GMT")
    assert server.hits("page")[0].headers["if-modified-since"] == "Tue, 18 Jun 2024 13:30:00 GMT"


def test_last_modified_of_the_moment_itself_is_no_validator(server):
    """SPIP stamps dynamic pages with the time they were made, and never answers 304 to it."""
    server.route("dynamic", Reply(body="x", headers={"Last-Modified": formatdate(usegmt=True)}))
    old = "Tue, 18 Jun 2024 13:30:00 GMT"
    server.route("static", Reply(body="x", headers={"Last-Modified": old}))
    with client() as http:
        dynamic = http.fetch(server.url("dynamic"))
        static = http.fetch(server.url("static"))
    assert dynamic.last_modified is None
    assert dynamic.headers["last-modified"]  # still kept among the page's headers
    assert static.last_modified == old


def test_redirect_chain_is_recorded(server):
    server.route("a", Reply(301, "", {"Location": "/b"}))
    server.route("b", Reply(302, "", {"Location": server.url("c")}))
    server.route("c", Reply(body="end"))
    with client() as http:
        result = http.fetch(server.url("a"))
    assert result.url == server.url("a")
    assert result.final_url == server.url("c")
    assert result.redirects == [server.url("a"), server.url("b")]
    assert result.body == b"end"


def test_redirect_loop_and_bound(server):
    server.route("x", Reply(301, "", {"Location": "/y"}))
    server.route("y", Reply(301, "", {"Location": "/x"}))
    for n in range(5):
        server.route(f"r{n}", Reply(301, "", {"Location": f"/r{n + 1}"}))
    with client(max_redirects=3) as http:
        with pytest.raises(FetchError, match="redirect loop"):
            http.fetch(server.url("x"))
        with pytest.raises(FetchError, match="more than 3 redirects"):
            http.fetch(server.url("r0"))


def test_redirect_off_site_refused(server):
    server.route("out", Reply(301, "", {"Location": "http://example.invalid/"}))
    with client() as http, pytest.raises(FetchError, match="off site"):
        http.fetch(server.url("out"), allow_redirect=lambda url: "127.0.0.1" in url)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def site(clock) -> FakeSite:
    return FakeSite(clock)


def fake_client(site: FakeSite, **options) -> HttpClient:
    """A client on the fake site's transport and the fake clock: every wait is exact."""
    return client(transport=site.transport, clock=site.clock, **options)


def test_retry_after_seconds_is_honoured(site, clock):
    site.route("busy", Reply(429, "slow down", {"Retry-After": "1"}), Reply(body="ok"))
    with fake_client(site) as http:
        result = http.fetch(site.url("busy"))
    assert result.status == 200
    assert site.gaps("busy") == [1.0]
    assert clock.sleeps == [1.0]


def test_retry_after_http_date_is_honoured(site, clock):
    def busy(headers):
        return Reply(503, "", {"Retry-After": formatdate(clock.time() + 2, usegmt=True)})

    site.route("busy", busy, Reply(body="ok"))
    with fake_client(site) as http:
        assert http.fetch(site.url("busy")).status == 200
    assert site.gaps("busy") == [2.0]


def test_retry_after_in_the_past_retries_at_once(site):
    site.route(
        "busy", Reply(503, "", {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), Reply(body="ok")
    )
    with fake_client(site) as http:
        assert http.fetch(site.url("busy")).status == 200
    assert site.gaps("busy") == [0.0]


def test_retry_after_is_capped(site):
    site.route("busy", Reply(503, "", {"Retry-After": "3600"}), Reply(body="ok"))
    with fake_client(site, max_wait=0.2) as http:
        assert http.fetch(site.url("busy")).status == 200
    assert site.gaps("busy") == [0.2]


def test_exponential_backoff_on_5xx(site):
    site.route("flaky", Reply(500), Reply(502), Reply(body="ok"))
    with fake_client(site, backoff=0.1, retries=3) as http:
        assert http.fetch(site.url("flaky")).status == 200
    first, second = site.gaps("flaky")
    # backoff * 2**attempt plus up to one backoff of jitter: [0.1, 0.2) then [0.2, 0.3)
    assert 0.1 <= first < 0.2
    assert 0.2 <= second < 0.3


def test_repeated_500_raise_but_never_pause_the_host(site):
    # issue 13, item 5: a server that answers 500 for some pages is alive; its other pages
    # are still fetched (the old behaviour paused the host for the run after max_failures)
    site.route("down", Reply(500, "boom"))
    site.route("fine", Reply(body="ok"))
    with fake_client(site, retries=1, backoff=0.01, max_failures=2) as http:
        for _ in range(3):
            with pytest.raises(FetchError) as failed:
                http.fetch(site.url("down"))
            assert not isinstance(failed.value, HostPaused)
            assert failed.value.status == 500
            assert error_result(site.url("down"), failed.value).status == 500
            assert failed.value.result is not None and failed.value.result.body == b"boom"
        assert http.fetch(site.url("fine")).status == 200
    assert len(site.hits("down")) == 6  # three fetches of two attempts each


def test_a_call_may_ask_for_no_retry(site):
    site.route("down", Reply(500, "boom"))
    with fake_client(site, retries=3, backoff=0.01) as http, pytest.raises(FetchError):
        http.fetch(site.url("down"), retries=0)
    assert len(site.hits("down")) == 1


def test_elapsed_is_read_from_the_clock(site):
    site.route("slow", Reply(body="late", delay=0.25))
    with fake_client(site) as http:
        assert http.fetch(site.url("slow")).elapsed == 0.25


def test_delay_counts_from_the_end_of_a_slow_answer(site):
    site.route("slow", Reply(body="ok", delay=3.0))
    with fake_client(site, delay=1.5) as http:
        http.fetch(site.url("slow"))
        http.fetch(site.url("slow"))
    assert site.gaps("slow") == [1.5]


def test_slow_response_times_out(server):
    server.route("slow", Reply(body="late", delay=1.0))
    started = time.monotonic()
    with client(timeout=0.2, retries=1, backoff=0.01) as http, pytest.raises(FetchError) as err:
        http.fetch(server.url("slow"))
    assert str(err.value) == "timed out after 0.2 s"
    assert time.monotonic() - started < 1.5
    assert len(server.hits("slow")) == 2


def test_dropped_connection_is_retried(server):
    server.route("drop", Reply(drop=True), Reply(body="back"))
    with client() as http:
        result = http.fetch(server.url("drop"))
    assert result.body == b"back"
    assert len(server.hits("drop")) == 2


def test_body_over_the_limit_is_rejected(server):
    big = b"x" * 5000
    server.route("declared", Reply(body=big))
    server.route("streamed", Reply(body=big, length=False))
    with client(max_bytes=1000) as http:
        with pytest.raises(ContentRejected, match="5000 bytes"):
            http.fetch(server.url("declared"))
        with pytest.raises(ContentRejected, match="over the 1000 bytes limit"):
            http.fetch(server.url("streamed"))
        server.route("small", Reply(body=b"y" * 1000, length=False))
        assert len(http.fetch(server.url("small")).body) == 1000


def test_wrong_content_type_is_rejected(server):
    server.route("img", Reply(body=b"\x89PNG", content_type="image/png"))
    with client() as http:
        with pytest.raises(ContentRejected, match="image/png"):
            http.fetch(server.url("img"))
        assert http.fetch(server.url("img"), accept=None).body == b"\x89PNG"


def test_iso_8859_1_page_charset(server):
    page = "<html><head><title>Grève</title></head><body><p>Été déjà</p></body></html>"
    server.route("latin", Reply(body=page.encode("iso-8859-1"), content_type="text/html"))
    server.route(
        "declared",
        Reply(body=page.encode("iso-8859-1"), content_type="text/html; charset=ISO-8859-1"),
    )
    with client() as http:
        sniffed = http.fetch(server.url("latin"))
        declared = http.fetch(server.url("declared"))
    assert declared.charset in ("iso-8859-1", "windows-1252", "cp1252")
    assert sniffed.charset in ("iso-8859-1", "windows-1252", "cp1252")
    assert sniffed.body.decode(sniffed.charset) == page


def test_non_http_url_refused():
    from article_archive.errors import BadURLError

    with client() as http, pytest.raises(BadURLError):
        http.fetch("ftp://example.org/file")


def test_small_helpers():
    assert media_type("text/HTML; charset=UTF-8") == "text/html"
    assert media_type(None) is None
    assert header_charset('text/html; charset="ISO-8859-1"') == "iso-8859-1"
    assert header_charset("text/html") is None
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
