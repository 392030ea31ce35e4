"""No command destroys a file it did not create: ``demo --db``, every ``--db``, missing folders."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from article_archive.cli import cli
from article_archive.store import open_archive
from article_archive.store.identity import FileKind, file_kind


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _foreign_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('shopping list')")
    conn.commit()
    conn.close()
    return path


def _real_archive(path: Path) -> Path:
    open_archive(path).close()
    return path


def _text_file(path: Path) -> Path:
    path.write_text("my thesis, chapter 3\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("make", [_text_file, _foreign_sqlite, _real_archive])
def test_demo_refuses_a_file_it_did_not_build(tmp_path: Path, make) -> None:
    target = make(tmp_path / "precious.db")
    before = _digest(target)
    result = CliRunner().invoke(
        cli, ["demo", "--db", str(target), "--no-serve", "--site-port", "0"]
    )
    assert result.exit_code == 1
    assert "not a demo archive" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert _digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious.db"]


def test_demo_rebuilds_its_own_archive(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    args = ["demo", "--db", str(target), "--no-serve", "--site-port", "0"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert file_kind(target) is FileKind.DEMO
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert "new 36" in second.output  # rebuilt from scratch, not merely re-checked


@pytest.mark.parametrize("command", [["demo", "--no-serve", "--site-port", "0"], ["crawl"]])
def test_no_command_creates_a_missing_folder(tmp_path: Path, command: list[str]) -> None:
    target = tmp_path / "no" / "such" / "folder" / "a.db"
    args = [*command, "--db", str(target)]
    if command == ["crawl"]:
        args += ["http://127.0.0.1:9/", "--quiet"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "does not exist" in result.output
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("make", [_text_file, _foreign_sqlite])
@pytest.mark.parametrize("command", ["status", "export", "reparse"])
def test_reading_and_writing_commands_leave_foreign_files_alone(
    tmp_path: Path, make, command: str
) -> None:
    target = make(tmp_path / "other.db")
    before = _digest(target)
    result = CliRunner().invoke(cli, [command, "--db", str(target)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert _digest(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_file_kind_does_not_write(tmp_path: Path) -> None:
    archive = _real_archive(tmp_path / "a.db")
    archive.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        assert file_kind(archive) is FileKind.ARCHIVE
    finally:
        tmp_path.chmod(0o755)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db"]
