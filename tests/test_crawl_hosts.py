"""--concurrency: several hosts crawled at once, each one paced by --delay, one request at a time.

A host is a host *name*: two ports of one name are one host (one machine), so the two sample
sites here are served as ``127.0.0.1`` and ``localhost``.
"""

from __future__ import annotations

import itertools

import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive_sample.server import SampleSite

DELAY = 0.15


def test_two_hosts_progress_together_and_each_keeps_its_delay(tmp_path):
    db_path = tmp_path / "a.db"
    with SampleSite(host="127.0.0.1") as one, SampleSite(host="localhost") as two:
        summary = run_crawl(
            db_path,
            [one.base_url, two.base_url],
            CrawlOptions(delay=DELAY, concurrency=2, retries=1, backoff=0.01, media=False),
            # (media keep the delay too: tests/test_crawl_media.py)
        )
        first = [r.time for r in one.requests]
        second = [r.time for r in two.requests]
    assert summary.new == 20 and summary.failed == 0
    db = sqlite_utils.Database(db_path)
    sites = dict(db.execute("SELECT site, count(*) FROM articles GROUP BY site").fetchall())
    db.close()
    assert sites == {"127.0.0.1": 10, "localhost": 10}
    # each host: 13 requests (robots.txt, home, feed, ten articles), never closer than --delay
    assert len(first) == len(second) == 13
    for times in (first, second):
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= DELAY * 0.95, gaps
    # and the two went side by side, not one after the other
    during = [t for t in second if first[0] < t < first[-1]]
    assert len(during) >= 8, (first, second)
