"""The only network code: HTTP client, robots.txt and per-host politeness."""

from __future__ import annotations

from article_archive.fetch.client import DEFAULT_USER_AGENT, HttpClient, error_result
from article_archive.fetch.clock import SYSTEM_CLOCK, Clock, SystemClock
from article_archive.fetch.politeness import Politeness
from article_archive.fetch.robots import RobotsCache

__all__ = [
    "DEFAULT_USER_AGENT",
    "SYSTEM_CLOCK",
    "Clock",
    "HttpClient",
    "Politeness",
    "RobotsCache",
    "SystemClock",
    "error_result",
]
