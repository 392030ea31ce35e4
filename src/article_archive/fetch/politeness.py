"""Per-host pacing: one request in flight per host, a delay between requests, pausing."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from article_archive.errors import HostPaused
from article_archive.fetch.clock import SYSTEM_CLOCK, Clock

log = logging.getLogger(__name__)

#: The longest robots.txt Crawl-delay obeyed by default (seconds): 30 s is already 2,880
#: requests a day, a full backfill of a large site in weeks; more than that is refused politely.
MAX_CRAWL_DELAY = 30.0


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_allowed: float = 0.0
    crawl_delay: float = 0.0
    failures: int = 0
    paused: bool = False


class Politeness:
    """Paces requests per host; pauses a host after ``max_failures`` failures in a row.

    Time is read from ``clock``; the waits go to ``sleep`` when given (the crawl passes one
    that a stop signal cuts short), else to ``clock.sleep``.
    """

    def __init__(
        self,
        delay: float = 1.0,
        *,
        max_failures: int = 5,
        clock: Clock = SYSTEM_CLOCK,
        sleep: Callable[[float], None] | None = None,
        max_crawl_delay: float | None = MAX_CRAWL_DELAY,
    ):
        self.delay = max(0.0, delay)
        self.max_crawl_delay = max_crawl_delay
        self.max_failures = max_failures
        self._clock = clock
        self._sleep = sleep or clock.sleep
        self._hosts: dict[str, _HostState] = {}
        self._guard = threading.Lock()

    def _state(self, host: str) -> _HostState:
        with self._guard:
            return self._hosts.setdefault(host.lower(), _HostState())

    def gap(self, host: str) -> float:
        """Seconds kept between two requests to ``host``: max(delay, Crawl-delay)."""
        return max(self.delay, self._state(host).crawl_delay)

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Record the robots.txt Crawl-delay of ``host``, capped at ``max_crawl_delay``.

        A site asking for a day between requests would make one crawl last for years: the cap
        is said once per host, with the option that accepts the site's value.
        """
        if not seconds:
            return
        state = self._state(host)
        wanted = float(seconds)
        cap = self.max_crawl_delay
        if cap is not None and wanted > cap:
            if state.crawl_delay != cap:
                log.warning(
                    "%s asks for Crawl-delay %g s in robots.txt; using %g s "
                    "(--honor-crawl-delay accepts the site's value)",
                    host,
                    wanted,
                    cap,
                )
            wanted = cap
        state.crawl_delay = wanted

    def defer(self, host: str, seconds: float) -> None:
        """Allow no request to ``host`` for ``seconds`` from now (Retry-After, backoff)."""
        state = self._state(host)
        state.next_allowed = max(state.next_allowed, self._clock.monotonic() + seconds)

    def is_paused(self, host: str) -> bool:
        """Whether ``host`` has been paused for the rest of the run."""
        return self._state(host).paused

    def check(self, host: str) -> None:
        """Raise HostPaused if ``host`` is paused."""
        if self._state(host).paused:
            raise HostPaused(f"{host} paused after {self.max_failures} failures in a row")

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold the host's only request slot, waiting for its turn first."""
        state = self._state(host)
        self.check(host)
        with state.lock:
            self.check(host)
            wait = state.next_allowed - self._clock.monotonic()
            if wait > 0:
                self._sleep(wait)
            try:
                yield
            finally:
                # The gap counts from the end of a request so a slow server is not hammered.
                ended = self._clock.monotonic()
                state.next_allowed = max(state.next_allowed, ended + self.gap(host))

    def record_success(self, host: str) -> None:
        """Reset the host's run of failures."""
        self._state(host).failures = 0

    def record_failure(self, host: str) -> bool:
        """Count one failure; return True when this one paused the host."""
        state = self._state(host)
        state.failures += 1
        if not state.paused and state.failures >= self.max_failures:
            state.paused = True
            log.warning("pausing %s for this run after %d failures in a row", host, state.failures)
            return True
        return False
