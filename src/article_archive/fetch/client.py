"""The only network code: one httpx.Client with limits, retries, redirects and politeness.

Both edges are injectable: ``transport=`` takes any httpx transport (``httpx.MockTransport``
in the unit tests) and ``clock=`` the time that pacing and retries read and wait on.
"""

from __future__ import annotations

import email.utils
import logging
import random
from collections.abc import Callable
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

import httpx

from article_archive import __version__
from article_archive.discover.urls import is_requestable, redirect_target
from article_archive.errors import (
    BadURLError,
    ContentRejected,
    FetchError,
    HostPaused,
    RobotsDisallowed,
    describe,
)
from article_archive.fetch.clock import SYSTEM_CLOCK, Clock
from article_archive.fetch.decoding import ACCEPT_ENCODING, BadEncoding, BodyTooLarge, BoundedBody
from article_archive.fetch.politeness import Politeness
from article_archive.fetch.problems import plain_problem
from article_archive.fetch.robots import RobotsCache, robots_url
from article_archive.models import FetchResult
from article_archive.timestamps import now_iso

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = (
    f"article-archive/{__version__} (+https://github.com/article-archive/article-archive)"
)
HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
FEED_TYPES = (*XML_TYPES, "text/plain")
SITEMAP_TYPES = (
    *XML_TYPES,
    "text/plain",
    "application/gzip",
    "application/x-gzip",
    "application/octet-stream",
)
PAGE_TYPES = (*HTML_TYPES, *XML_TYPES)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


def media_type(content_type: str | None) -> str | None:
    """``text/html; charset=utf-8`` → ``text/html``."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def header_charset(content_type: str | None) -> str | None:
    """The ``charset=`` parameter of a Content-Type header, lower-cased."""
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date).

    An HTTP date counts from ``now`` (seconds since the epoch; the machine's clock if None).
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = SYSTEM_CLOCK.time() if now is None else now
    return max(0.0, when.timestamp() - current)


FRESH_SECONDS = 60  # a Last-Modified this close to the answer's Date is "now"


def useful_last_modified(headers: dict[str, str]) -> str | None:
    """``Last-Modified``, unless it is the moment of the answer itself (``Date``).

    SPIP stamps its dynamic pages with the time they were computed and never answers 304 for
    them: such a validator changes on every fetch and can only cause needless writes. A slow
    page may take a few seconds between the two stamps, hence the minute of tolerance; a page
    truly changed that recently only misses one 304.
    """
    value = headers.get("last-modified")
    if not value or not headers.get("date"):
        return value
    try:
        modified = email.utils.parsedate_to_datetime(value)
        answered = email.utils.parsedate_to_datetime(headers["date"])
        fresh = (answered - modified).total_seconds() < FRESH_SECONDS
    except (TypeError, ValueError):  # unparsable, or one of them without a time zone
        return value
    return None if fresh else value


def error_result(url: str, exc: BaseException) -> FetchResult:
    """The FetchResult to record for a fetch that raised (the response, when there was one)."""
    result = exc.result if isinstance(exc, FetchError) else None
    if result is not None:
        result.error = str(exc)
        return result
    status = (exc.status if isinstance(exc, FetchError) else None) or 0
    return FetchResult(url, url, status, {}, b"", now_iso("seconds"), error=describe(exc))


class HttpClient:
    """Fetches URLs politely; returns FetchResult, raises FetchError subclasses after retries.

    ``transport`` replaces httpx's network transport (tests pass ``httpx.MockTransport``);
    ``clock`` is the time the pacing, the retries and the robots.txt cache read and wait on.
    """

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        timeout: float = 20.0,
        max_bytes: int = 10_000_000,
        retries: int = 3,
        backoff: float = 1.0,
        max_wait: float = 120.0,
        max_redirects: int = 10,
        delay: float = 1.0,
        max_failures: int = 5,
        ignore_robots: bool = False,
        politeness: Politeness | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = SYSTEM_CLOCK,
        deadline: float | None = None,
    ):
        self.user_agent = user_agent or DEFAULT_USER_AGENT
        self.max_bytes = max_bytes
        # A whole response must arrive within this (default 3 read timeouts): a body dripped
        # a byte at a time resets the read timeout forever, never this.
        self.deadline = deadline if deadline is not None else 3 * timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_wait = max_wait
        self.max_redirects = max_redirects
        self.clock = clock
        self.politeness = politeness or Politeness(delay, max_failures=max_failures, clock=clock)
        self.robots = RobotsCache(
            self._fetch_robots, self.user_agent, ignore=ignore_robots, clock=clock
        )
        self._robots_errors: dict[str, str] = {}
        self._client = httpx.Client(
            transport=transport,
            http2=False,
            follow_redirects=False,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={
                "User-Agent": self.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: tuple[str, ...] | None = PAGE_TYPES,
        allow_redirect: Callable[[str], bool] | None = None,
        check_robots: bool = True,
        retries: int | None = None,
    ) -> FetchResult:
        """GET ``url`` following redirects; a 304 comes back as a FetchResult with status 304.

        ``retries`` overrides the client's for this call: the crawl passes 0 and retries a
        failed URL later in the run, so that it never holds its host's slot twice in a row.
        """
        if not is_requestable(url):
            raise BadURLError(f"not an http(s) URL: {url[:200]}")
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        chain: list[str] = []
        current = url
        for _hop in range(self.max_redirects + 1):
            result = self._fetch_with_retries(
                current, headers, accept, check_robots, self.retries if retries is None else retries
            )
            location = result.headers.get("location")
            if result.status not in REDIRECT_STATUSES or not location:
                result.url, result.final_url, result.redirects = url, current, chain
                return result
            target = redirect_target(current, location)
            if target is None:
                raise FetchError(
                    f"redirect to a malformed address: {location[:200]!r}", url=url, result=result
                )
            chain.append(current)
            if target in chain:
                raise FetchError(f"redirect loop at {target}", url=url, result=result)
            if allow_redirect is not None and not allow_redirect(target):
                raise FetchError(f"redirect off site to {target}", url=url, result=result)
            current = target
        raise FetchError(f"more than {self.max_redirects} redirects", url=url)

    def _fetch_with_retries(
        self,
        url: str,
        headers: dict[str, str],
        accept: tuple[str, ...] | None,
        check_robots: bool,
        retries: int,
    ) -> FetchResult:
        host = urlsplit(url).hostname or ""
        self.politeness.check(host)
        if check_robots and not self.robots.ignore:
            rules = self.robots.rules(url)
            if rules.unavailable:
                raise FetchError(self._unavailable_reason(url, rules.status), url=url)
            if not self.robots.allowed(url):
                raise RobotsDisallowed(f"robots.txt disallows {url}", url=url)
            self.politeness.set_crawl_delay(host, self.robots.crawl_delay(url))
        attempt = 0
        while True:
            result: FetchResult | None = None
            retry_after: float | None = None
            slow = False
            try:
                with self.politeness.slot(host):
                    result = self._request(url, headers, accept)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                problem = plain_problem(exc, self._client.timeout)
                slow = isinstance(exc, httpx.TimeoutException)
            except httpx.HTTPError as exc:  # e.g. a body that fails to decompress
                raise FetchError(plain_problem(exc, self._client.timeout), url=url) from exc
            else:
                # Any answer, a 500 included, says the host is alive (see fetch.politeness).
                self.politeness.record_success(host)
                if result.status not in RETRY_STATUSES:
                    return result
                problem = f"HTTP {result.status}"
                retry_after = parse_retry_after(
                    result.headers.get("retry-after"), now=self.clock.time()
                )
            if result is None and self.politeness.record_failure(host):
                raise HostPaused(f"{host} paused: {problem}", url=url)
            if attempt >= retries:
                status = result.status if result else None
                raise FetchError(problem, url=url, status=status, result=result, slow=slow)
            wait = retry_after if retry_after is not None else self._backoff(attempt)
            wait = min(wait, self.max_wait)
            log.info("%s: %s, retry %d in %.2fs", url, problem, attempt + 1, wait)
            self.politeness.defer(host, wait)
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter, so that parallel retries spread out."""
        return self.backoff * 2**attempt + random.uniform(0, self.backoff)

    def _request(
        self, url: str, headers: dict[str, str], accept: tuple[str, ...] | None
    ) -> FetchResult:
        fetched_at = now_iso("seconds")
        started = self.clock.monotonic()
        with self._client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            ctype = response.headers.get("content-type")
            body = b""
            if status not in REDIRECT_STATUSES and status != 304:
                if (
                    status == 200
                    and accept is not None
                    and media_type(ctype)
                    not in (
                        *accept,
                        None,
                    )
                ):
                    raise ContentRejected(
                        f"content type {media_type(ctype)} not wanted", url=url, status=status
                    )
                body = self._read_limited(url, response, started)
        result = FetchResult(
            url=url,
            final_url=url,
            status=status,
            headers=resp_headers,
            body=body,
            fetched_at=fetched_at,
            elapsed=round(self.clock.monotonic() - started, 4),
            content_type=ctype,
            charset=header_charset(ctype),
            etag=resp_headers.get("etag"),
            last_modified=useful_last_modified(resp_headers),
        )
        if body and media_type(ctype) in (*HTML_TYPES, None):
            result.charset = _html_charset(body, ctype) or result.charset
            result.warnings += _decoding_warnings(body, result.charset)
        return result

    def _read_limited(self, url: str, response: httpx.Response, started: float) -> bytes:
        """The decoded body, within the size limit and the response's total deadline."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise ContentRejected(
                f"body of {declared} bytes over the {self.max_bytes} limit", url=url
            )
        try:
            body = BoundedBody(response.headers.get("content-encoding"), self.max_bytes)
            for raw in response.iter_raw():
                body.feed(raw)
                if self.clock.monotonic() - started > self.deadline:
                    raise FetchError(
                        f"no complete answer within {self.deadline:g} s (body still arriving)",
                        url=url,
                        slow=True,
                    )
            return body.finish()
        except BodyTooLarge as exc:
            raise ContentRejected(str(exc), url=url) from None
        except BadEncoding as exc:
            raise FetchError(str(exc), url=url) from None

    def _unavailable_reason(self, url: str, status: int) -> str:
        """Why a host whose robots.txt could not be read is not fetched: the real cause first."""
        if status == 0:
            cause = self._robots_errors.get(robots_url(url), "no answer")
            return f"cannot reach {urlsplit(url).netloc}: {cause}; not fetching {url} for now"
        return f"robots.txt unavailable (status {status}): not fetching {url} for now"

    def _fetch_robots(self, url: str) -> tuple[int, bytes]:
        """Fetch a robots.txt for RobotsCache: (status, body), status 0 if unreachable."""
        try:
            result = self.fetch(url, accept=None, check_robots=False)
        except HostPaused:
            raise
        except FetchError as exc:
            if not exc.status:
                self._robots_errors[url] = str(exc)
            return (exc.status or 0, b"")
        return (result.status, result.body if result.status == 200 else b"")


def _decoding_warnings(body: bytes, charset: str | None) -> list[str]:
    """A page whose bytes its charset does not decode: said once, on its row, not in the log."""
    if not charset:
        return []
    try:
        body.decode(charset)
    except LookupError:
        return []
    except UnicodeDecodeError:
        bad = body.decode(charset, "replace").count("\ufffd") - body.count("\ufffd".encode())
        return [f"{max(bad, 1)} byte(s) could not be read as {charset} (replaced)"]
    return []


def _html_charset(body: bytes, content_type: str | None) -> str | None:
    """The encoding extract.charset finds for an HTML body (header, meta, then sniffing)."""
    from article_archive.extract.charset import decode_html

    try:
        return decode_html(body, content_type)[1]
    except (LookupError, ValueError) as exc:
        log.debug("charset detection failed: %s", exc)
        return None


def fetch_one(url: str, **options: Any) -> FetchResult:
    """Fetch one page with a throw-away client (the ``extract URL`` command); raises on non-200."""
    with HttpClient(delay=0, **options) as client:
        result = client.fetch(url)
    if result.status != 200:
        raise FetchError(f"HTTP {result.status} for {url}", url=url, status=result.status)
    return result
