"""A disk that fills up mid-crawl (issue 13, item 8): one clear line and exit 1, the summary of
what was saved, the run's row marked, and an archive whose integrity and FTS checks pass."""

from __future__ import annotations

import errno
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from article_archive.store import open_archive
from servers import Reply, ScriptedServer

CLI = [sys.executable, "-m", "article_archive.cli"]
ARTICLES = 60
WORDS = [
    "grève",
    "loyer",
    "mairie",
    "chantier",
    "quartier",
    "réunion",
    "calendrier",
    "travaux",
    "promesse",
    "habitants",
]


def _article(n: int) -> str:
    """A page of about 30 KB of words no two articles share in the same order."""
    rng = random.Random(n)
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(WORDS) + str(rng.randrange(10**6)) for _ in range(60)) + "</p>"
        for _ in range(40)
    )
    title = f"Article numéro {n}"
    return (
        f'<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="article:published_time" content="2024-03-02T10:00:00Z"></head>'
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def _feed(base: str) -> str:
    items = "".join(
        f"<item><title>A{n}</title><link>{base}a{n}.html</link></item>"
        for n in range(1, ARTICLES + 1)
    )
    channel = f"<channel><title>T</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs holding a new archive (as root)."""
    if os.geteuid() != 0:
        pytest.fail("the full-disk crawl test mounts a tmpfs: run the suite as root (CI does)")
    where = tmp_path / "small"
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16M", "tmpfs", str(where)], check=True)
    try:
        open_archive(where / "archive.db").close()
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def _leave_free(where: Path, free: int) -> Path:
    """Fill the filesystem of ``where`` until ``free`` bytes are left; the filler's path."""
    filler = where / "filler"
    stat = os.statvfs(where)
    room = stat.f_bavail * stat.f_frsize - free
    with filler.open("wb") as out:
        try:
            while room > 0:
                out.write(bytes(min(65536, room)))
                room -= 65536
            out.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


def _crawl(db: Path, url: str) -> subprocess.CompletedProcess[str]:
    command = [*CLI, "crawl", url, "--db", str(db), "--quiet", "--delay", "0"]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_a_disk_filling_up_mid_crawl_stops_it_cleanly(small_disk: Path) -> None:
    db = small_disk / "archive.db"
    with ScriptedServer() as server:
        server.route("robots.txt", Reply(404, "", content_type="text/plain"))
        feed = _feed(server.base_url)
        server.route("feed.xml", Reply(body=feed, content_type="application/rss+xml"))
        for n in range(1, ARTICLES + 1):
            server.route(f"a{n}.html", Reply(body=_article(n)))
        filler = _leave_free(small_disk, 600_000)  # room for a few of the 60 pages of 30 KB
        result = _crawl(db, server.url("feed.xml"))

        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        errors = result.stderr.splitlines()
        assert len(errors) == 1 and errors[0].startswith("Error: "), result.stderr
        assert "is full" in errors[0] and "saved: " in errors[0] and "new " in errors[0]
        saved = int(errors[0].split("new ", 1)[1].split(",", 1)[0])

        filler.unlink()
        with closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
            stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            runs = conn.execute("SELECT status, new FROM crawls ORDER BY id").fetchall()
        assert 0 < stored < ARTICLES  # the disk filled midway
        assert saved == stored  # the line tells what was saved
        # the run is marked as it ended, or (when even that did not fit) by the next start
        assert runs[0][0] in ("failed", "running")

        again = _crawl(db, server.url("feed.xml"))  # with room again: the rest, nothing twice
    assert again.returncode == 0, again.stderr
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES
        assert conn.execute("SELECT count(DISTINCT url) FROM articles").fetchone()[0] == ARTICLES
        statuses = [r[0] for r in conn.execute("SELECT status FROM crawls ORDER BY id")]
    assert statuses[0] in ("failed", "interrupted") and statuses[-1] == "finished"
