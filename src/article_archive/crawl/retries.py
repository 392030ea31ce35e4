"""Retries later in the run, never in place: a failing URL does not hold its host twice in a row.

The crawl's fetches are made with ``retries=0``; a failure that may pass (``work.may_pass``: a
5xx, a dropped connection) goes back to the frontier with a ``next_try`` ``backoff * 2**n``
seconds ahead, and the frontier claims it only after every fresh row. A timeout is not tried
again in this run (it would cost its host one more deadline); the next run does.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import sqlite_utils

from article_archive.crawl.options import CrawlOptions
from article_archive.crawl.work import Outcome
from article_archive.store import frontier

log = logging.getLogger(__name__)

# The longest the engine sleeps at once while only retries are left (it looks again after).
LONGEST_NAP = 1.0


class Retries:
    """How many times each URL was tried again in this run, and when the next try is due."""

    def __init__(self, options: CrawlOptions):
        self.options = options
        self.tried: Counter[str] = Counter()

    def schedule(self, outcome: Outcome) -> None:
        """Turn a failure that may pass into a pending row for later, while retries are left."""
        url = outcome.job.url
        if not outcome.retry or self.tried[url] >= self.options.retries:
            return
        seconds = self.options.backoff * 2 ** self.tried[url]
        self.tried[url] += 1
        outcome.state = "pending"
        outcome.retry_at = (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()
        log.info("%s: %s, tried again in %.2fs", url, outcome.error, seconds)

    def wait(self, db: sqlite_utils.Database, sites: list[str], stopping: threading.Event) -> bool:
        """Nothing to claim now: nap towards the next retry due; False when none is waiting."""
        due = frontier.next_retry(db, sites)
        if due is None:
            return False
        seconds = (datetime.fromisoformat(due) - datetime.now(UTC)).total_seconds()
        stopping.wait(min(max(seconds, 0.0), LONGEST_NAP))
        return True
