"""Raw fetched pages: one row per address, the body zlib-compressed so reparse needs no network.

A row holds the last *good* answer of its address (a 200 with a body, see ``GOOD_PAGE``) and,
beside it, the latest answer (``last_status``, ``last_checked``, ``last_error``): a later
error, non-article or empty answer is recorded there and never replaces the body.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import sqlite_utils

from article_archive.models import FetchResult
from article_archive.store.captures import save_capture
from article_archive.store.rows import insert_id, update_row

# The response headers worth keeping: caching, type, server software, redirects, SPIP hints.
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "content-language",
    "etag",
    "last-modified",
    "date",
    "server",
    "location",
    "retry-after",
    "cache-control",
    "link",
    "x-robots-tag",
    "composed-by",
    "x-spip-cache",
)


# Pages that hold, or may hold, an article: every page an article was archived from (however
# it was found: feed, sitemap, listing, id walk, import), and the article pages that gave
# none yet (a newer extractor may succeed where the last one failed).
ARTICLE_PAGES = (
    "status = 200 AND body IS NOT NULL "
    "AND (article_id IS NOT NULL OR kind IN ('article', 'spip_id'))"
)


# A row worth keeping against a later answer: a 200 with a body that gave an article, or
# that was read without error (a feed, a sitemap, a listing).
GOOD_PAGE = "status = 200 AND body IS NOT NULL AND (error IS NULL OR article_id IS NOT NULL)"


@dataclass
class StoredCapture:
    """A page read back from the archive, to extract again (``reparse``).

    ``body`` is the stored, zlib-compressed bytes, so a worker process decompresses it;
    ``headers`` the stored JSON text.
    """

    page_id: int
    url: str
    body: bytes
    headers: str | None = None


def kept_headers(headers: dict[str, str]) -> dict[str, str]:
    """The subset of ``headers`` stored in ``pages.headers``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    return {name: lowered[name] for name in KEPT_HEADERS if name in lowered}


def page_id_for(db: sqlite_utils.Database, url: str) -> int | None:
    """The id of the ``pages`` row of ``url``, if it was ever fetched."""
    row = db.execute("SELECT id FROM pages WHERE url = ?", [url]).fetchone()
    return row[0] if row else None


def save_page(
    db: sqlite_utils.Database,
    result: FetchResult,
    *,
    kind: str,
    keep_body: bool = True,
) -> int:
    """Insert or replace the row of ``result.url``; a 304 only refreshes the time checked.

    Internal to ``store``: callers archive through ``store.archive``.
    """
    existing = page_id_for(db, result.url)
    if result.status == 304 and existing is not None:
        db.execute(
            "UPDATE pages SET fetched_at = ?, elapsed = ?, error = NULL, last_status = 304, "
            "last_checked = ?, last_error = NULL WHERE id = ?",
            [result.fetched_at, result.elapsed, result.fetched_at, existing],
        )
        return existing
    body = result.body if keep_body else b""
    headers = headers_json(result)
    # the capture holds the same compressed bytes: compressed once (or not at all when the
    # address sent this body before)
    saved = save_capture(db, result, headers) if body else None
    capture_id, stored = saved if saved is not None else (None, None)
    row = {
        "url": result.url,
        "final_url": result.final_url,
        "kind": kind,
        "status": result.status,
        "content_type": result.content_type,
        "charset": result.charset,
        "fetched_at": result.fetched_at,
        "elapsed": result.elapsed,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "headers": headers,
        "body": stored,
        "body_size": len(result.body),
        "error": result.error,
        "capture_id": capture_id,
        "last_status": result.status,
        "last_checked": result.fetched_at,
        "last_error": result.error,
        "warnings": json.dumps(result.warnings, ensure_ascii=False) if result.warnings else None,
    }
    if existing is None:
        return insert_id(db, "pages", row)
    update_row(db, "pages", existing, row)
    link_article(db, existing, None)  # a new answer: no article until one is archived from it
    return existing


def headers_json(result: FetchResult) -> str:
    """The JSON text of the headers kept for an answer (and its redirects)."""
    headers: dict[str, object] = dict(kept_headers(result.headers))
    if result.redirects:
        headers["x-redirects"] = result.redirects
    return json.dumps(headers, ensure_ascii=False)


def good_page(db: sqlite_utils.Database, url: str) -> int | None:
    """The id of the row of ``url`` when it holds a good answer a later one must not replace."""
    row = db.execute(f"SELECT id FROM pages WHERE url = ? AND {GOOD_PAGE}", [url]).fetchone()
    return row[0] if row else None


def record_check(db: sqlite_utils.Database, page_id: int, result: FetchResult) -> None:
    """Record the latest answer of a page beside its stored one.

    A failure always moves ``last_checked`` (how long a failure lasts decides whether the
    article is gone); a good answer where a good one is recorded already writes nothing.
    """
    error = result.error
    if error is None and result.status not in (200, 304):
        error = f"HTTP {result.status}"
    if error is None:
        row = db.execute(
            "SELECT last_status, last_error FROM pages WHERE id = ?", [page_id]
        ).fetchone()
        if row is not None and row[0] in (200, 304) and row[1] is None:
            return
    db.execute(
        "UPDATE pages SET last_status = ?, last_checked = ?, last_error = ? WHERE id = ?",
        [result.status, result.fetched_at, error, page_id],
    )


def same_page(db: sqlite_utils.Database, result: FetchResult) -> int | None:
    """The id of the stored row of ``result.url`` when it holds this very answer, else None.

    Same status, validators and body bytes: rewriting the row would only move
    ``fetched_at``, so the crawl leaves it alone (a feed without validators, asked daily).
    """
    row = db.execute(
        "SELECT id, status, etag, last_modified, body_size, body, error FROM pages WHERE url = ?",
        [result.url],
    ).fetchone()
    if row is None or row[6] is not None or result.error is not None:
        return None
    if (row[1], row[2], row[3], row[4]) != (
        result.status,
        result.etag,
        result.last_modified,
        len(result.body),
    ):
        return None
    stored = zlib.decompress(row[5]) if row[5] else b""
    return row[0] if stored == result.body else None


def same_absence(db: sqlite_utils.Database, result: FetchResult) -> int | None:
    """The id of the stored row of ``result.url`` when it records the same absence, else None.

    An id probed again past the end of a SPIP site's range answers as it did last run: the row
    already says so, and a backfill re-run then writes nothing for it.
    """
    row = db.execute(
        "SELECT id FROM pages WHERE url = ? AND status = ? AND final_url = ? AND error IS ?",
        [result.url, result.status, result.final_url, result.error],
    ).fetchone()
    return row[0] if row else None


def link_article(db: sqlite_utils.Database, page_id: int, article_id: int | None) -> None:
    """Point a page row at the article extracted from it (None: at none).

    The one statement that writes ``pages.article_id``.
    """
    sql = "UPDATE pages SET article_id = ? WHERE id = ? AND article_id IS NOT ?"
    db.execute(sql, [article_id, page_id, article_id])


def pages_of_article(db: sqlite_utils.Database, article_id: int) -> list[int]:
    """The ids of the page rows that point at ``article_id``."""
    sql = "SELECT id FROM pages WHERE article_id = ?"
    return [row[0] for row in db.execute(sql, [article_id])]


def article_page_ids(db: sqlite_utils.Database) -> list[int]:
    """The ids of every stored page to extract again (``ARTICLE_PAGES``), in id order."""
    sql = f"SELECT id FROM pages WHERE {ARTICLE_PAGES} ORDER BY id"
    return [row[0] for row in db.execute(sql)]


def stored_captures(
    db: sqlite_utils.Database, ids: list[int], size: int
) -> Iterator[list[StoredCapture]]:
    """The pages of ``ids``, ``size`` at a time, as :class:`StoredCapture` (memory stays flat)."""
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        marks = ", ".join("?" * len(chunk))
        sql = (
            "SELECT id, coalesce(final_url, url), body, headers FROM pages "
            f"WHERE id IN ({marks}) ORDER BY id"
        )
        yield [StoredCapture(*row) for row in db.execute(sql, chunk)]


def stored_page(db: sqlite_utils.Database, url: str) -> tuple[bytes, dict[str, str], str] | None:
    """``(body, headers, final_url)`` of the stored page of ``url`` (a home analysed again)."""
    row = db.execute(
        "SELECT body, headers, coalesce(final_url, url) FROM pages WHERE url = ?", [url]
    ).fetchone()
    if row is None:
        return None
    return (zlib.decompress(row[0]) if row[0] else b""), json.loads(row[1] or "{}"), row[2]


def load_body(db: sqlite_utils.Database, page_id: int) -> bytes:
    """The raw body of a stored page (b"" when none was kept); KeyError for an unknown id."""
    row = db.execute("SELECT body FROM pages WHERE id = ?", [page_id]).fetchone()
    if row is None:
        raise KeyError(page_id)
    return zlib.decompress(row[0]) if row[0] else b""


def page_validators(db: sqlite_utils.Database, url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified stored for ``url``, for a conditional GET."""
    row = db.execute(
        "SELECT etag, last_modified FROM pages WHERE url = ? AND status = 200", [url]
    ).fetchone()
    return (row[0], row[1]) if row else (None, None)


def article_page(db: sqlite_utils.Database, url: str) -> tuple[int, str | None, str | None] | None:
    """``(page_id, etag, last_modified)`` of the page an article at ``url`` was stored from.

    Only pages that gave an article count: a conditional GET on a page whose extraction
    failed would answer 304 and the article would never be retried. The page is looked up by
    its own address first, then through ``articles.page_id`` (an article first fetched as
    ``spip.php?articleN`` and re-checked at its canonical address).
    """
    row = db.execute(
        "SELECT id, etag, last_modified FROM pages WHERE url = ? AND status = 200 "
        "AND article_id IS NOT NULL",
        [url],
    ).fetchone()
    if row is None:
        row = db.execute(
            "SELECT p.id, p.etag, p.last_modified FROM articles a JOIN pages p "
            "ON p.id = a.page_id WHERE a.url = ? AND p.status = 200",
            [url],
        ).fetchone()
    return (row[0], row[1], row[2]) if row else None
