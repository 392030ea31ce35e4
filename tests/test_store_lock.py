"""One writer per archive: a second crawl exits 4 and does nothing; a killed run's lock is taken."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from article_archive.errors import ArchiveBusy
from article_archive.store.lock import lock_path, writer_lock
from article_archive_sample.server import SampleSite

CLI = [sys.executable, "-m", "article_archive.cli"]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def _start_slow_crawl(db: Path, url: str) -> subprocess.Popen[str]:
    # A polite delay of one second per request keeps the first run busy for the whole test.
    return subprocess.Popen(
        [*CLI, "crawl", url, "--db", str(db), "--backfill", "--delay", "1", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_lock(db: Path, proc: subprocess.Popen[str], limit: float = 30) -> None:
    """Until the first run holds the lock and has written its ``crawls`` row."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if lock_path(db).exists() and db.exists():
            try:
                if _crawl_rows(db):
                    return
            except sqlite3.OperationalError:
                pass  # the schema is still being made
        time.sleep(0.02)
    raise AssertionError("the first crawl never took the archive")


def _crawl_rows(db: Path) -> list[tuple[int, str]]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return conn.execute("SELECT id, status FROM crawls ORDER BY id").fetchall()


def test_a_second_crawl_exits_4_names_the_first_and_does_nothing(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with SampleSite() as site:
        first = _start_slow_crawl(db, site.base_url)
        try:
            _wait_for_lock(db, first)
            # The first run is frozen (its lock still held), so any request now is the second's.
            os.kill(first.pid, signal.SIGSTOP)
            time.sleep(0.2)
            requests_before = len(site.requests)
            second = _cli("crawl", site.base_url, "--db", str(db), "--quiet")
            requests_after = len(site.requests)
            os.kill(first.pid, signal.SIGCONT)
        finally:
            first.send_signal(signal.SIGINT)
            first.communicate(timeout=60)
    assert second.returncode == 4
    lines = (second.stdout + second.stderr).strip().splitlines()
    assert len(lines) == 1
    assert f"crawl (pid {first.pid}) running since" in lines[0]
    assert "Traceback" not in second.stderr
    assert requests_after == requests_before
    assert len(_crawl_rows(db)) == 1


def test_a_killed_crawl_leaves_no_lock_and_is_marked_interrupted(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with SampleSite() as site:
        first = _start_slow_crawl(db, site.base_url)
        _wait_for_lock(db, first)
        time.sleep(0.5)
        os.kill(first.pid, signal.SIGKILL)
        first.communicate(timeout=30)
        assert _crawl_rows(db)[-1][1] == "running"
        again = _cli("crawl", site.base_url, "--db", str(db), "--delay", "0", "--quiet")
    assert again.returncode == 0, again.stderr
    statuses = [status for _, status in _crawl_rows(db)]
    assert statuses == ["interrupted", "finished"]
    assert not lock_path(db).exists()


def test_import_and_reparse_wait_their_turn_too(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    db.touch()
    saved = tmp_path / "page.html"
    saved.write_text("<html><body><h1>t</h1></body></html>", encoding="utf-8")
    with writer_lock(db, "crawl"):
        for args in (
            ["reparse", "--db", str(db)],
            ["import", str(saved), "--base-url", "https://example.org/", "--db", str(db)],
        ):
            result = _cli(*args)
            assert result.returncode == 4, (args, result.stderr)
            assert "is busy: crawl" in result.stderr
    assert db.stat().st_size == 0


def test_the_lock_is_exclusive_within_one_process_too(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with writer_lock(db, "crawl"), pytest.raises(ArchiveBusy), writer_lock(db, "reparse"):
        pass
    with writer_lock(db, "reparse"):  # released: taken again at once
        assert lock_path(db).exists()
    assert not lock_path(db).exists()
