"""Every capture the archive holds, read back as plain records for the WARC writer.

Three sources: ``captures`` (every distinct body ever fetched for an address, through
``store.captures.iter_captures``), ``pages`` (the last good answer of each address, and the
error answers of addresses never served well) and ``media`` (images and documents of
articles, through ``media_urls`` when there is one; read only when the table exists). A body
met twice for one address is yielded once.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

import sqlite_utils

# The time of an answer stored without one (never written by the crawler; a fallback).
EPOCH = "1970-01-01T00:00:00+00:00"


@dataclass
class StoredResponse:
    """One archived HTTP answer: where it came from, when, its status, headers and body.

    ``url`` is the address first asked; ``final_url`` the one that answered with ``body``
    (they differ after redirects).
    """

    url: str
    final_url: str
    fetched_at: str
    status: int
    headers: dict[str, str]
    body: bytes
    redirects: list[str] = field(default_factory=list)


def stored_responses(db: sqlite_utils.Database) -> Iterator[StoredResponse]:
    """Every capture of ``db`` (captures, pages, media), each (address, body) pair once."""
    seen: set[tuple[str, str]] = set()
    sources = (_captures, _pages, _media)
    for source in sources:
        for response in source(db):
            key = (response.final_url, hashlib.sha256(response.body).hexdigest())
            if key in seen:
                continue
            seen.add(key)
            yield response


def _columns(db: sqlite_utils.Database, table: str) -> set[str]:
    """The column names of ``table`` (empty when it does not exist)."""
    if not db[table].exists():
        return set()
    return {column.name for column in db[table].columns}


def _headers(text: str | None) -> tuple[dict[str, str], list[str]]:
    """Stored headers JSON as (plain string headers, the redirect chain kept beside them)."""
    return _kept(json.loads(text) if text else {})


def _kept(raw: dict[str, object]) -> tuple[dict[str, str], list[str]]:
    """Decoded headers as (plain string headers, the redirect chain kept beside them)."""
    redirects = raw.pop("x-redirects", None) or []
    headers = {str(k): str(v) for k, v in raw.items() if isinstance(v, str | int | float)}
    return headers, [str(url) for url in redirects] if isinstance(redirects, list) else []


def _unpacked(body: bytes | None, sha256: str | None = None) -> bytes:
    """A stored body as it was served: zlib-compressed in pages and captures, raw in media.

    When the row says which sha256 the body has, that decides; otherwise zlib is tried.
    """
    if not body:
        return b""
    if sha256 is not None and hashlib.sha256(body).hexdigest() == sha256:
        return body
    try:
        return zlib.decompress(body)
    except zlib.error:
        return body


def _captures(db: sqlite_utils.Database) -> Iterator[StoredResponse]:
    """The ``captures`` history, oldest first, as the store reads it back."""
    from article_archive.store.captures import iter_captures

    if not db["captures"].exists():  # an archive older than schema version 4, read-only
        return
    for capture in iter_captures(db):
        headers, redirects = _kept(dict(capture.headers))
        yield StoredResponse(
            capture.url,
            capture.final_url or capture.url,
            capture.fetched_at or EPOCH,
            capture.status or 200,
            headers,
            capture.body,
            redirects,
        )


def _pages(db: sqlite_utils.Database) -> Iterator[StoredResponse]:
    """Every page row that holds an HTTP answer: its body, or an error or redirect status.

    Rows without status (network errors) and 200s whose body was not kept (SPIP ids that
    answered the home page) say nothing a replay could show.
    """
    sql = (
        "SELECT url, coalesce(final_url, url), fetched_at, status, headers, body FROM pages "
        "WHERE fetched_at IS NOT NULL AND (body IS NOT NULL OR status >= 300) ORDER BY id"
    )
    for url, final_url, fetched_at, code, headers, body in db.execute(sql):
        kept, redirects = _headers(headers)
        yield StoredResponse(url, final_url, fetched_at, code, kept, _unpacked(body), redirects)


def _media(db: sqlite_utils.Database) -> Iterator[StoredResponse]:
    """Images and documents: one answer per address they were fetched from."""
    columns = _columns(db, "media")
    if not {"id", "url", "body"} <= columns:
        return
    pick = [
        name if name in columns else f"NULL AS {name}"
        for name in ("content_type", "sha256", "fetched_at")
    ]
    rows = db.execute(f"SELECT id, url, body, {', '.join(pick)} FROM media ORDER BY id")
    urls = _media_urls(db)
    for media_id, url, body, content_type, sha256, fetched_at in rows:
        payload = _unpacked(body, sha256)
        headers = {"content-type": content_type or "application/octet-stream"}
        for address, when in urls.get(media_id, [(url, fetched_at)]):
            stamp = when or fetched_at or EPOCH
            yield StoredResponse(address, address, stamp, 200, dict(headers), payload)


def _media_urls(db: sqlite_utils.Database) -> dict[int, list[tuple[str, str | None]]]:
    """Every address each media body was fetched from (``media_urls``, when it exists)."""
    columns = _columns(db, "media_urls")
    found: dict[int, list[tuple[str, str | None]]] = {}
    if not {"url", "media_id"} <= columns:
        return found
    when = "fetched_at" if "fetched_at" in columns else "NULL"
    for url, media_id, fetched_at in db.execute(
        f"SELECT url, media_id, {when} FROM media_urls ORDER BY rowid"
    ):
        found.setdefault(media_id, []).append((url, fetched_at))
    return found
