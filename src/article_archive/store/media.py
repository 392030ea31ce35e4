"""Images and attached documents of archived articles: one row per distinct body.

Three tables (declared in ``MEDIA_TABLES``, created with the rest of the schema):

- ``media``: one row per distinct body (``sha256`` unique): the first address it came from,
  the type sniffed from its bytes, its size, the bytes themselves (images and PDFs are
  compressed already: stored as they came, so the reader serves them byte for byte);
- ``media_urls``: every address a body was fetched from (two addresses, one body: one row
  in ``media``, two here);
- ``article_media``: the addresses an article uses (``role`` ``image``, ``logo`` or
  ``document``), with the ``media`` row once fetched (null until then, or when refused).

Writes are internal to ``store``: the crawl archives media through ``store.archive``.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils
from sqlite_utils.db import ForeignKey

from article_archive.models import FetchResult
from article_archive.store.rows import insert_id

ROLES = ("image", "logo", "document")

MEDIA_TABLES: dict[str, dict[str, Any]] = {
    "media": {
        "columns": {
            "id": int,
            "url": str,
            "content_type": str,
            "size": int,
            "sha256": str,
            "body": bytes,
            "declared_type": str,
            "fetched_at": str,
        },
        "pk": "id",
        "not_null": ["url", "sha256"],
    },
    "media_urls": {
        "columns": {"url": str, "media_id": int, "fetched_at": str},
        "pk": "url",
        "foreign_keys": [ForeignKey("media_urls", "media_id", "media", "id", on_delete="CASCADE")],
    },
    "article_media": {
        "columns": {"article_id": int, "url": str, "role": str, "media_id": int},
        "pk": ("article_id", "url"),
        "foreign_keys": [
            ForeignKey("article_media", "article_id", "articles", "id", on_delete="CASCADE"),
            ForeignKey("article_media", "media_id", "media", "id", on_delete="SET NULL"),
        ],
    },
}
MEDIA_INDEXES: list[tuple[str, list[str], bool]] = [
    ("media", ["sha256"], True),
    ("media_urls", ["media_id"], False),
    ("article_media", ["url"], False),
    ("article_media", ["media_id"], False),
]


@dataclass(frozen=True)
class MediaRef:
    """An address an article needs to be read offline, and what it is to the article."""

    url: str
    role: str = "image"


def save_media(db: sqlite_utils.Database, result: FetchResult) -> int:
    """Store a fetched media body once (by sha256), map its address to it; the ``media`` id.

    ``result.content_type`` is the type sniffed from the bytes (``crawl.media`` sets it);
    the server's own Content-Type is kept as ``declared_type``. The articles that use the
    address get their ``media_id``.
    """
    digest = hashlib.sha256(result.body).hexdigest()
    row = db.execute("SELECT id FROM media WHERE sha256 = ?", [digest]).fetchone()
    if row is not None:
        media_id = row[0]
    else:
        media_id = insert_id(
            db,
            "media",
            {
                "url": result.url,
                "content_type": result.content_type,
                "size": len(result.body),
                "sha256": digest,
                "body": result.body,
                "declared_type": result.headers.get("content-type"),
                "fetched_at": result.fetched_at,
            },
        )
    for url in dict.fromkeys((result.url, result.final_url)):
        db.execute(
            "INSERT OR REPLACE INTO media_urls (url, media_id, fetched_at) VALUES (?, ?, ?)",
            [url, media_id, result.fetched_at],
        )
        db.execute("UPDATE article_media SET media_id = ? WHERE url = ?", [media_id, url])
    return media_id


def link_article_media(
    db: sqlite_utils.Database, article_id: int, refs: Sequence[MediaRef]
) -> None:
    """Record the media an article uses (replacing the list of its earlier version).

    Writes nothing when the list is the stored one (an unchanged article fetched again).
    """
    stored = db.execute(
        "SELECT url, role FROM article_media WHERE article_id = ?", [article_id]
    ).fetchall()
    if {(url, role) for url, role in stored} == {(ref.url, ref.role) for ref in refs}:
        return
    db.execute("DELETE FROM article_media WHERE article_id = ?", [article_id])
    for ref in refs:
        db.execute(
            "INSERT OR IGNORE INTO article_media (article_id, url, role, media_id) "
            "VALUES (?, ?, ?, (SELECT media_id FROM media_urls WHERE url = ?))",
            [article_id, ref.url, ref.role, ref.url],
        )


# -- reads (the reader's connection is a plain sqlite3 one) ------------------------------


def article_id_at(db: sqlite_utils.Database, url: str | None) -> int | None:
    """The id of the article stored at ``url``."""
    row = db.execute("SELECT id FROM articles WHERE url = ?", [url]).fetchone() if url else None
    return row[0] if row else None


def _has_media(conn: sqlite3.Connection) -> bool:
    """Whether the archive has the media tables (one made before them has not)."""
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'media_urls'"
    return conn.execute(sql).fetchone() is not None


def archived_media(conn: sqlite3.Connection, urls: Iterable[str]) -> dict[str, dict[str, Any]]:
    """For the addresses of ``urls`` the archive holds a body of: sha256 and type of each."""
    wanted = list(dict.fromkeys(urls))
    if not wanted or not _has_media(conn):
        return {}
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = conn.execute(
            "SELECT media_urls.url, media.sha256, media.content_type FROM media_urls "
            f"JOIN media ON media.id = media_urls.media_id WHERE media_urls.url IN ({marks})",
            chunk,
        )
        for url, sha256, content_type in rows:
            found[url] = {"sha256": sha256, "content_type": content_type}
    return found


def media_body(conn: sqlite3.Connection, sha256: str) -> tuple[bytes, str, str] | None:
    """The bytes, sniffed type and first address of the media with this sha256."""
    if not _has_media(conn):
        return None
    row = conn.execute(
        "SELECT body, content_type, url FROM media WHERE sha256 = ?", [sha256]
    ).fetchone()
    return (bytes(row[0]), row[1], row[2]) if row else None


def media_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many media rows and bytes the archive holds, and article links to them."""
    row = db.execute("SELECT count(*), coalesce(sum(size), 0) FROM media").fetchone()
    links = db.execute("SELECT count(*) FROM article_media WHERE media_id IS NOT NULL").fetchone()
    return {"media": row[0], "bytes": row[1], "links": links[0]}
