"""A crawl killed with SIGKILL (or stopped with SIGINT) resumes to the same archive."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive_sample.server import SampleSite, default_site_dir
from article_archive_sample.site import load_site

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "id_gap": 10}
RUNNER = (
    "import sys\n"
    "from article_archive.crawl import CrawlOptions, run_crawl\n"
    "delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05\n"
    "s = run_crawl(sys.argv[1], [sys.argv[2]], CrawlOptions(backfill=True, delay=delay, "
    "retries=1, backoff=0.01, id_gap=10))\n"
    "print(s.line())\n"
    "sys.exit(130 if s.interrupted else 0)\n"
)


def start_runner(db_path, url, delay: float = 0.05) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(db_path), url, str(delay)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_articles(db_path, count: int, proc: subprocess.Popen, limit: float = 30) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if db_path.exists():
            try:
                with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
                    n = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                n = 0
            if n >= count:
                return n
        time.sleep(0.02)
    raise AssertionError(f"the crawl did not store {count} articles in time")


def snapshot(db_path) -> dict:
    db = sqlite_utils.Database(db_path)
    try:
        return {
            "articles": sorted(db.execute("SELECT url, spip_id, content_hash FROM articles")),
            "pages": db.execute("SELECT count(*), count(DISTINCT url) FROM pages").fetchone(),
            "frontier": sorted(db.execute("SELECT url, kind, state FROM frontier")),
            "revisions": db.execute("SELECT count(*) FROM revisions").fetchone()[0],
        }
    finally:
        db.close()


def test_sigkill_then_resume_gives_the_same_archive(tmp_path):
    with SampleSite() as site:
        whole = tmp_path / "whole.db"
        run_crawl(whole, [site.base_url], CrawlOptions(backfill=True, **FAST))
        killed = tmp_path / "killed.db"
        proc = start_runner(killed, site.base_url)
        stored = wait_for_articles(killed, 8, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)  # reaps it and closes its pipes
        assert proc.returncode == -signal.SIGKILL
        before = snapshot(killed)
        assert stored <= len(before["articles"]) < len(snapshot(whole)["articles"])
        resumed = run_crawl(killed, [site.base_url], CrawlOptions(backfill=True, **FAST))
    assert resumed.failed == 0
    after, reference = snapshot(killed), snapshot(whole)
    assert after["articles"] == reference["articles"]
    assert after["frontier"] == reference["frontier"]
    assert after["pages"][0] == after["pages"][1]  # one row per address
    assert after["revisions"] == 0


def test_sigint_finishes_cleanly_and_resumes(tmp_path):
    with SampleSite() as site:
        db_path = tmp_path / "a.db"
        proc = start_runner(db_path, site.base_url)
        wait_for_articles(db_path, 5, proc)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
        assert proc.returncode == 130, err
        assert "(interrupted)" in out
        db = sqlite_utils.Database(db_path)
        crawl = next(db.query("SELECT status, new FROM crawls"))
        assert crawl["status"] == "interrupted" and crawl["new"] >= 5
        in_progress = db.execute(
            "SELECT count(*) FROM frontier WHERE state = 'in_progress'"
        ).fetchone()[0]
        assert in_progress == 0
        db.close()
        resumed = run_crawl(db_path, [site.base_url], CrawlOptions(backfill=True, **FAST))
    assert resumed.failed == 0
    db = sqlite_utils.Database(db_path)
    urls = [r[0] for r in db.execute("SELECT url FROM articles")]
    db.close()
    published = load_site(default_site_dir()).published()
    assert len(urls) == len(set(urls)) == len(published)


def test_a_stop_signal_cuts_a_long_politeness_wait_short(tmp_path):
    """SIGINT (or SIGTERM from cron/systemd) while a worker waits out a 30 s --delay."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        with SampleSite() as site:
            db_path = tmp_path / f"{sig.name}.db"
            proc = start_runner(db_path, site.base_url, delay=30)
            deadline = time.monotonic() + 20
            while not site.requests and time.monotonic() < deadline:
                time.sleep(0.02)
            assert [r.path for r in site.requests] == ["/robots.txt"]
            time.sleep(0.3)  # the worker is now waiting 30 s for its turn on the host
            sent = time.monotonic()
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=20)
            took = time.monotonic() - sent
        assert proc.returncode == 130, err
        assert took < 5, took
        assert "(interrupted)" in out
        db = sqlite_utils.Database(db_path)
        assert next(db.query("SELECT status FROM crawls"))["status"] == "interrupted"
        states = dict(db.execute("SELECT url, state FROM frontier").fetchall())
        assert states == {site.base_url: "pending"}  # the home page: asked next time
        db.close()
