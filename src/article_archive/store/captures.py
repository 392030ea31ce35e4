"""The ``captures`` history: every distinct body an address ever answered, kept for good.

A page row (``pages``) holds the last good answer of an address; its history lives here, one
row per distinct body (sha256 of the raw bytes), zlib-compressed, with the answer's status,
headers and the time it was first seen. The same body fetched again adds nothing; a changed
body adds a row, and the revision made from the older version keeps pointing at the old one.
Written by ``store.archive`` for every fetched answer whose body it keeps.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

from article_archive.models import FetchResult
from article_archive.store.rows import insert_id

COMPRESSION_LEVEL = 6


@dataclass
class CaptureRecord:
    """One stored capture read back: the raw body decompressed, the headers decoded."""

    id: int
    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    fetched_at: str | None
    headers: dict[str, object]
    sha256: str
    body: bytes


def body_hash(body: bytes) -> str:
    """The hex SHA-256 of a raw body: the key that deduplicates captures of one address."""
    return hashlib.sha256(body).hexdigest()


def save_capture(
    db: sqlite_utils.Database, result: FetchResult, headers: str
) -> tuple[int, bytes] | None:
    """The id of the capture of ``result``'s body, added when this address never sent it.

    With the id, the body as stored (zlib-compressed): the page row keeps the same bytes, so a
    body is compressed once, and not at all when the address sent it before. ``headers`` is
    the JSON text kept with the page (``pages.kept_headers``). None for an answer without a
    body. Internal to ``store``: callers archive through ``store.archive``.
    """
    if not result.body:
        return None
    sha256 = body_hash(result.body)
    found = db.execute(
        "SELECT id, body FROM captures WHERE url = ? AND sha256 = ?", [result.url, sha256]
    ).fetchone()
    if found is not None and found[1]:
        return found[0], found[1]
    compressed = zlib.compress(result.body, COMPRESSION_LEVEL)
    if found is not None:
        return found[0], compressed
    row = {
        "url": result.url,
        "final_url": result.final_url,
        "status": result.status,
        "content_type": result.content_type,
        "fetched_at": result.fetched_at,
        "headers": headers,
        "sha256": sha256,
        "body": compressed,
        "body_size": len(result.body),
    }
    return insert_id(db, "captures", row), compressed


def _stored(db: sqlite_utils.Database, row: dict[str, object]) -> int:
    """The id of the capture of ``row``'s address and hash, inserting ``row`` when new."""
    found = db.execute(
        "SELECT id FROM captures WHERE url = ? AND sha256 = ?", [row["url"], row["sha256"]]
    ).fetchone()
    if found is not None:
        return found[0]
    return insert_id(db, "captures", row)


def load_capture(db: sqlite_utils.Database, capture_id: int) -> CaptureRecord | None:
    """One capture with its raw body, or None for an unknown id."""
    row = db.execute(
        "SELECT id, url, final_url, status, content_type, fetched_at, headers, sha256, body "
        "FROM captures WHERE id = ?",
        [capture_id],
    ).fetchone()
    if row is None:
        return None
    body = zlib.decompress(row[8]) if row[8] else b""
    rid, url, final_url, status, content_type, fetched_at = row[:6]
    headers = json.loads(row[6] or "{}")
    return CaptureRecord(
        rid, url, final_url, status, content_type, fetched_at, headers, row[7], body
    )


def iter_captures(db: sqlite_utils.Database) -> Iterator[CaptureRecord]:
    """Every capture, oldest first, one body in memory at a time (a WARC export reads them)."""
    ids = [row[0] for row in db.execute("SELECT id FROM captures ORDER BY fetched_at, id")]
    for capture_id in ids:
        record = load_capture(db, capture_id)
        if record is not None:
            yield record


def captures_of(db: sqlite_utils.Database, url: str) -> list[int]:
    """The ids of the captures of ``url``, oldest first."""
    sql = "SELECT id FROM captures WHERE url = ? ORDER BY fetched_at, id"
    return [row[0] for row in db.execute(sql, [url])]


def page_capture(db: sqlite_utils.Database, page_id: int | None) -> int | None:
    """The capture a page row holds (the one an article extracted from it came from)."""
    if page_id is None:
        return None
    row = db.execute("SELECT capture_id FROM pages WHERE id = ?", [page_id]).fetchone()
    return row[0] if row else None


def migrate_pages(db: sqlite_utils.Database) -> None:
    """Schema version 4: a capture for every stored body; pages and articles point at it."""
    ids = [
        row[0]
        for row in db.execute("SELECT id FROM pages WHERE body IS NOT NULL AND capture_id IS NULL")
    ]
    for page_id in ids:  # one body in memory at a time
        url, final_url, status, ctype, at, headers, body, size = db.execute(
            "SELECT url, final_url, status, content_type, fetched_at, headers, body, body_size "
            "FROM pages WHERE id = ?",
            [page_id],
        ).fetchone()
        capture_id = _stored(
            db,
            {
                "url": url,
                "final_url": final_url,
                "status": status,
                "content_type": ctype,
                "fetched_at": at,
                "headers": headers,
                "sha256": body_hash(zlib.decompress(body)),
                "body": body,  # compressed already
                "body_size": size,
            },
        )
        db.execute("UPDATE pages SET capture_id = ? WHERE id = ?", [capture_id, page_id])
    db.execute(
        "UPDATE pages SET last_status = status, last_checked = fetched_at, last_error = error "
        "WHERE last_checked IS NULL"
    )
    db.execute(
        "UPDATE articles SET capture_id = (SELECT capture_id FROM pages WHERE pages.id = "
        "articles.page_id) WHERE capture_id IS NULL"
    )
