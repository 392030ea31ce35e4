"""robots.txt rules per host (protego), cached for the run, with Crawl-delay and Sitemap lines."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from protego import Protego

from article_archive.discover.links import resolve
from article_archive.errors import BadURLError
from article_archive.fetch.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)

# A robots.txt that answered 5xx (or could not be fetched) forbids the host for this long,
# then it is asked again: the server may be down, and down is not "allow all".
UNAVAILABLE_RETRY = 300.0

RobotsFetcher = Callable[[str], tuple[int, bytes]]
"""Fetches a robots.txt URL and returns (status, body); status 0 for a transport failure."""


@dataclass
class RobotsRules:
    """What one host's robots.txt says."""

    parser: Protego | None
    status: int
    checked: float
    sitemaps: list[str] = field(default_factory=list)
    crawl_delay: float | None = None

    @property
    def unavailable(self) -> bool:
        """True when the file answered 5xx or not at all: everything is disallowed for now."""
        return self.status == 0 or self.status >= 500


def robots_url(url: str) -> str:
    """The robots.txt address for the host of ``url`` (BadURLError when it has none)."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise BadURLError(f"not a web address: {url[:200]!r} ({exc})") from None
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def parse_robots(text: str, status: int, agent: str, now: float) -> RobotsRules:
    """Rules from a robots.txt answer; 4xx means allow all, 5xx disallow for now."""
    if status == 0 or status >= 500:
        return RobotsRules(None, status, now)
    if status >= 400 or not text.strip():
        return RobotsRules(None, status, now)
    parser = Protego.parse(text)
    delay = parser.crawl_delay(agent)
    return RobotsRules(parser, status, now, list(parser.sitemaps), delay)


class RobotsCache:
    """Answers ``allowed(url)`` from each host's robots.txt, fetched once per run."""

    def __init__(
        self,
        fetcher: RobotsFetcher,
        user_agent: str,
        *,
        ignore: bool = False,
        clock: Clock = SYSTEM_CLOCK,
    ):
        self._fetcher = fetcher
        self.user_agent = user_agent
        self.ignore = ignore
        self._clock = clock
        self._rules: dict[str, RobotsRules] = {}
        self._lock = threading.Lock()
        if ignore:
            log.warning("ignoring robots.txt as asked (--ignore-robots)")

    def rules(self, url: str) -> RobotsRules:
        """The (cached) rules for the host of ``url``; refetched after an unavailable answer."""
        key = robots_url(url)
        with self._lock:
            rules = self._rules.get(key)
        now = self._clock.monotonic()
        if rules is not None and not (
            rules.unavailable and now - rules.checked >= UNAVAILABLE_RETRY
        ):
            return rules
        status, body = self._fetcher(key)
        rules = parse_robots(body.decode("utf-8", "replace"), status, self.user_agent, now)
        if rules.unavailable:
            log.warning("%s answered %s: host disallowed for now", key, status or "nothing")
        with self._lock:
            self._rules[key] = rules
        return rules

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (always True with ignore)."""
        if self.ignore:
            return True
        rules = self.rules(url)
        if rules.unavailable:
            return False
        if rules.parser is None:
            return True
        return rules.parser.can_fetch(url, self.user_agent)

    def crawl_delay(self, url: str) -> float | None:
        """The Crawl-delay for our agent on the host of ``url`` (None with ignore)."""
        if self.ignore:
            return None
        return self.rules(url).crawl_delay

    def sitemaps(self, url: str) -> list[str]:
        """The Sitemap: lines of the host's robots.txt (read even with ignore)."""
        base = robots_url(url)
        found = (resolve(base, s) for s in self.rules(url).sitemaps)
        return [s for s in found if s is not None]  # a Sitemap: line to nowhere is none
