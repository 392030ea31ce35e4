"""Time as the fetch code sees it: a three-method protocol and the real clock behind it.

Pacing, Retry-After, backoff and the robots.txt retry all read and wait on a ``Clock`` handed
in, so that a test can pass a fake one whose ``sleep`` only moves its hands: the waits are then
exact and take no time.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """What the fetch code asks of time."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (intervals, deadlines)."""
        ...

    def time(self) -> float:
        """Seconds since the epoch (to read an HTTP date such as Retry-After's)."""
        ...

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        ...


class SystemClock:
    """The machine's clock: ``time.monotonic``, ``time.time`` and ``time.sleep``."""

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def time(self) -> float:
        """``time.time()``."""
        return time.time()

    def sleep(self, seconds: float) -> None:
        """``time.sleep(seconds)``."""
        time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()
