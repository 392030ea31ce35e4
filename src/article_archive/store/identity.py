"""What a file at an archive path is, found without writing to it, and the demo's own mark.

Commands that replace or create an archive must not destroy a file they did not make: another
program's SQLite database, a text file, a user's real archive given to ``demo --db`` by mistake.
The look is read-only (``mode=ro``), so it also works on a read-only file or a full disk.
"""

from __future__ import annotations

import os
import sqlite3
from enum import Enum
from pathlib import Path

import sqlite_utils

from article_archive.errors import DatabaseError
from article_archive.store.schema import (
    APP_NAME,
    SCHEMA_VERSION,
    SQLITE_MAGIC,
    open_archive,
    schema_version,
)

#: ``_meta`` key set on archives built by ``article-archive demo``.
DEMO_KEY = "built_by"
DEMO_VALUE = "demo"


class FileKind(Enum):
    """What lies at an archive path."""

    MISSING = "missing"
    EMPTY = "empty"
    FOLDER = "folder"
    NOT_SQLITE = "not SQLite"
    FOREIGN = "another program's SQLite database"
    ARCHIVE = "an article-archive archive"
    DEMO = "a demo archive"


def file_kind(path: Path) -> FileKind:
    """Classify ``path`` without changing it (no journal, no schema, no lock held after)."""
    if path.is_dir():
        return FileKind.FOLDER
    if not path.exists():
        return FileKind.MISSING
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            header = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc}") from exc
    if size == 0:
        return FileKind.EMPTY
    if header != SQLITE_MAGIC:
        return FileKind.NOT_SQLITE
    return _sqlite_kind(path)


def _sqlite_kind(path: Path) -> FileKind:
    # Without a -wal file everything is in the main file: read it as immutable, which creates
    # no -shm/-wal beside it (a plain read-only open of a WAL archive leaves both behind).
    wal = Path(f"{path}-wal").exists()
    query = "mode=ro" if wal else "immutable=1"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?{query}", uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    try:
        meta = dict(conn.execute("SELECT key, value FROM _meta").fetchall())
    except sqlite3.Error:
        return FileKind.FOREIGN
    finally:
        conn.close()
    if meta.get("application") != APP_NAME:
        return FileKind.FOREIGN
    return FileKind.DEMO if meta.get(DEMO_KEY) == DEMO_VALUE else FileKind.ARCHIVE


def check_demo_target(path: Path) -> None:
    """Refuse a ``demo --db`` path the demo may not replace: anything but its own archive.

    A missing or empty file is fine; its folder must exist (nothing creates folders silently).
    """
    kind = file_kind(path)
    if kind in (FileKind.MISSING, FileKind.EMPTY, FileKind.DEMO):
        parent = path.parent
        if not parent.is_dir():
            raise DatabaseError(f"folder {parent} does not exist; create it or give another --db")
        return
    raise DatabaseError(
        f"{path} is {kind.value}, not a demo archive; the demo replaces only its own archive, "
        "so give another --db path"
    )


def mark_demo(db: sqlite_utils.Database) -> None:
    """Mark an archive as built by the demo, so that the next demo run may replace it."""
    db.table("_meta").upsert({"key": DEMO_KEY, "value": DEMO_VALUE}, pk="key")


def open_reader(path: Path) -> sqlite_utils.Database:
    """Open an archive for reading only: works on a read-only file or folder and a full disk.

    Without a -wal file (no writer, nothing left to checkpoint) the file is opened immutable,
    which needs no lock and no -shm beside it; with one, read-only with normal locking, so a
    crawl writing at the same time is seen consistently.
    """
    kind = file_kind(path)
    if kind is FileKind.MISSING:
        raise DatabaseError(f"no archive at {path} (run `article-archive crawl URL --db {path}`)")
    if kind not in (FileKind.ARCHIVE, FileKind.DEMO):
        raise DatabaseError(f"{path} is {kind.value}, not an article-archive archive")
    query = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?{query}", uri=True, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    return sqlite_utils.Database(conn)


def writable(path: Path) -> bool:
    """Whether a writer could work on ``path``: the file and its folder both writable."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def open_for_reading(path: Path) -> sqlite_utils.Database:
    """``open_reader``, after bringing an older archive's schema forward when it can be written.

    An up-to-date archive is never written to, so reading works on a full disk; a read-only
    archive of an older version is read as it is.
    """
    reader = open_reader(path)
    if schema_version(reader) >= SCHEMA_VERSION or not writable(path):
        return reader
    reader.close()
    open_archive(path).close()
    return open_reader(path)
