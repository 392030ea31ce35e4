"""Reading commands work on a read-only archive (file, folder, filesystem) and on a full disk."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from article_archive.store import open_archive, save_article
from article_archive.store.identity import open_for_reading
from article_archive.web.serve import make_datasette
from conftest import make_article

ROOT = os.geteuid() == 0
CLI = [sys.executable, "-m", "article_archive.cli"]


def _fill(path: Path, count: int = 3) -> None:
    db = open_archive(path)
    for n in range(1, count + 1):
        url = f"https://www.example.org/spip.php?article{n}"
        save_article(db, make_article(url=url, spip_id=n, title=f"Article {n}"))
    db.close()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120)


def _mount_tmpfs(where: Path, size: str) -> None:
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)


@pytest.fixture
def readonly_archive(tmp_path: Path) -> Iterator[Path]:
    """An archive on a filesystem mounted read-only (as root), else in a read-only folder."""
    if ROOT:
        where = tmp_path / "ro"
        _mount_tmpfs(where, "16M")
        _fill(where / "archive.db")
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        try:
            yield where / "archive.db"
        finally:
            subprocess.run(["umount", str(where)], check=True)
    else:
        where = tmp_path / "ro"
        where.mkdir()
        _fill(where / "archive.db")
        (where / "archive.db").chmod(0o444)
        where.chmod(0o555)
        try:
            yield where / "archive.db"
        finally:
            where.chmod(0o755)


@pytest.fixture
def full_disk_archive(tmp_path: Path) -> Iterator[Path]:
    """An archive on a small filesystem filled to the last byte (a tmpfs as root)."""
    if not ROOT:
        pytest.fail("the full-disk test mounts a tmpfs: run the suite as root (CI does)")
    where = tmp_path / "full"
    _mount_tmpfs(where, "8M")
    try:
        _fill(where / "archive.db")
        with (where / "filler").open("wb") as filler:
            try:
                while True:
                    filler.write(bytes(65536))
                    filler.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
        yield where / "archive.db"
    finally:
        subprocess.run(["umount", str(where)], check=True)


@pytest.fixture(params=["readonly", "full"])
def unwritable(request: pytest.FixtureRequest) -> Path:
    name = "full_disk_archive" if request.param == "full" else "readonly_archive"
    return request.getfixturevalue(name)


def test_status_reads_an_unwritable_archive(unwritable: Path) -> None:
    result = _run("status", "--db", str(unwritable))
    assert result.returncode == 0, result.stderr
    assert "Articles:  3 from 1 site(s)" in result.stdout


def test_export_reads_an_unwritable_archive(unwritable: Path) -> None:
    result = _run("export", "--db", str(unwritable), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    titles = sorted(json.loads(line)["title"] for line in result.stdout.splitlines())
    assert titles == ["Article 1", "Article 2", "Article 3"]


async def test_serve_reads_an_unwritable_archive(unwritable: Path) -> None:
    open_for_reading(unwritable).close()  # what serve() does before Datasette starts
    ds = make_datasette(unwritable)
    try:
        response = await ds.client.get("/archive/articles.json?_shape=array")
        assert response.status_code == 200
        titles = sorted(row["title"] for row in response.json())
        assert titles == ["Article 1", "Article 2", "Article 3"]
        search = await ds.client.get("/archive/search?q=centrales")
        assert search.status_code == 200
    finally:
        for database in ds.databases.values():
            database.close()


def test_reading_leaves_no_file_behind(readonly_archive: Path) -> None:
    before = sorted(p.name for p in readonly_archive.parent.iterdir())
    with closing(open_for_reading(readonly_archive).conn) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    assert sorted(p.name for p in readonly_archive.parent.iterdir()) == before


def test_writing_commands_say_one_line_on_a_read_only_archive(readonly_archive: Path) -> None:
    result = _run("crawl", "https://example.org/", "--db", str(readonly_archive), "--quiet")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len([line for line in result.stderr.splitlines() if line.startswith("Error:")]) == 1
    with closing(sqlite3.connect(f"file:{readonly_archive}?immutable=1", uri=True)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
