"""Per-host pacing: one request in flight per host, a delay between requests, cooling down.

A host whose requests fail at the transport level (timeouts, refused or reset connections)
``max_failures`` times in a row is left alone for a short cooldown that doubles on each new
run of failures (``COOLDOWN`` seconds, then twice that, up to ``MAX_COOLDOWN``): a few hanging
pages cost the host a little time, never the rest of the run. A server that answers, even with
a 500, is alive and resets the count. Only a host that never answered in this run is paused for
the rest of it (a dead or unreachable site: there is nothing to wait for).
"""

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
#: The first cooldown of a host after ``max_failures`` transport failures in a row (seconds),
#: doubled on each further run of failures, never longer than ``MAX_COOLDOWN``.
COOLDOWN = 5.0
MAX_COOLDOWN = 120.0


@dataclass
class _HostState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_allowed: float = 0.0
    crawl_delay: float = 0.0
    failures: int = 0
    paused: bool = False
    answered: bool = False
    capped: bool = False  # its Crawl-delay was capped (and the user told so)
    cooldowns: int = 0


class Politeness:
    """Paces requests per host; cools a host down after ``max_failures`` failures in a row.

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
        cooldown: float = COOLDOWN,
        max_cooldown: float = MAX_COOLDOWN,
    ):
        self.delay = max(0.0, delay)
        self.cooldown = max(0.0, cooldown)
        self.max_cooldown = max(self.cooldown, max_cooldown)
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
            if not state.capped:
                state.capped = True
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
        """Whether ``host`` is paused for the rest of the run (it never answered)."""
        return self._state(host).paused

    def check(self, host: str) -> None:
        """Raise HostPaused if ``host`` is paused."""
        if self._state(host).paused:
            raise HostPaused(
                f"{host} paused: no answer to {self.max_failures} requests in a row this run"
            )

    def cooling_for(self, host: str) -> float:
        """Seconds before ``host`` takes a request again (cooldown, Retry-After, the delay)."""
        return max(0.0, self._state(host).next_allowed - self._clock.monotonic())

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
        """The host answered (whatever the status): it is alive, its run of failures ends."""
        state = self._state(host)
        state.failures = 0
        state.answered = True

    def record_failure(self, host: str) -> bool:
        """Count one transport failure; True when this one paused the host for the run.

        After ``max_failures`` in a row a host that answered before cools down (a growing
        delay, see the module doc); one that never answered in this run is paused.
        """
        state = self._state(host)
        state.failures += 1
        if state.paused or state.failures < self.max_failures:
            return False
        if not state.answered:
            state.paused = True
            log.warning(
                "pausing %s for this run: no answer to %d requests in a row", host, state.failures
            )
            return True
        seconds = min(self.cooldown * 2**state.cooldowns, self.max_cooldown)
        state.cooldowns += 1
        state.failures = 0
        log.warning(
            "%s: %d failures in a row, cooling down for %g s", host, self.max_failures, seconds
        )
        self.defer(host, seconds)
        return False
