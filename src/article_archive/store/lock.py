"""One writer per archive: a lock file beside it, held with ``flock`` for the whole run.

Cron starts a crawl every hour whether or not the last one ended; two writers on one archive
fetch pages twice and lose outcomes to "database is locked". The kernel drops an ``flock`` when
its process dies, so the lock of a killed run is never stale: the next run simply takes it.
The file names who holds it, so the refused run can say which run is in the way.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from article_archive.errors import ArchiveBusy, DatabaseError


def lock_path(db_path: Path) -> Path:
    """The lock file of the archive at ``db_path`` (beside it, like SQLite's -wal and -shm)."""
    return Path(f"{db_path}-lock")


@contextmanager
def writer_lock(db_path: Path, command: str) -> Iterator[None]:
    """Hold the archive's writer lock for ``command``; ``ArchiveBusy`` if another run holds it."""
    path = lock_path(db_path)
    fd = _acquire(path, command)
    try:
        os.ftruncate(fd, 0)
        holder = {"command": command, "pid": os.getpid(), "since": _now()}
        os.write(fd, json.dumps(holder).encode())
        yield
    finally:
        # Removed while still held, so a run that opens it next finds a fresh file (see _acquire).
        path.unlink(missing_ok=True)
        os.close(fd)


def _acquire(path: Path, command: str) -> int:
    while True:
        if not path.parent.is_dir():
            raise DatabaseError(
                f"folder {path.parent} does not exist; create it or give another --db"
            )
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DatabaseError(
                f"cannot write beside the archive ({path}): {exc.strerror}"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise ArchiveBusy(_busy_message(path, command, holder)) from None
        # The holder before us may have removed the file between our open and our flock: then
        # we locked a file nobody else will see, so start again on the current one.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _read_holder(fd: int) -> dict:
    try:
        data = os.pread(fd, 4096, 0)
        holder = json.loads(data.decode() or "{}")
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _busy_message(path: Path, command: str, holder: dict) -> str:
    archive = str(path)[: -len("-lock")]
    who = holder.get("command", "another run")
    pid = f" (pid {holder['pid']})" if holder.get("pid") else ""
    since = f" since {holder['since']}" if holder.get("since") else ""
    return f"{archive} is busy: {who}{pid} running{since}; this {command} did nothing"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
