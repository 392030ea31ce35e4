"""Read-only SQL for earlier versions and gone articles: one revision read whole, the gone list.

Like ``web.queries``, every function takes a ``sqlite3.Connection`` with ``sqlite3.Row`` rows
and returns plain dicts. An archive made before these columns existed reads as having none.
"""

from __future__ import annotations

import sqlite3
from typing import Any


def _has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


def revision(conn: sqlite3.Connection, revision_id: int) -> dict[str, Any] | None:
    """One earlier version with its article, its place among the versions, and its capture."""
    row = conn.execute("SELECT * FROM revisions WHERE id = ?", [revision_id]).fetchone()
    if row is None:
        return None
    rev = dict(row)
    art = conn.execute(
        "SELECT id, url, title, lang, last_fetched FROM articles WHERE id = ?", [rev["article_id"]]
    ).fetchone()
    if art is None:
        return None
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM revisions WHERE article_id = ? ORDER BY fetched_at, id",
            [rev["article_id"]],
        )
    ]
    position = ids.index(revision_id)
    rev["article"] = dict(art)
    rev["number"] = position + 1
    rev["count"] = len(ids) + 1  # the current version is the last one
    rev["previous"] = ids[position - 1] if position > 0 else None
    rev["next"] = ids[position + 1] if position + 1 < len(ids) else None
    rev["capture"] = None
    if rev.get("capture_id") is not None:
        capture = conn.execute(
            "SELECT id, url, status, fetched_at, body_size, sha256 FROM captures WHERE id = ?",
            [rev["capture_id"]],
        ).fetchone()
        rev["capture"] = dict(capture) if capture else None
    return rev


def gone_articles(conn: sqlite3.Connection, limit: int = 10) -> dict[str, Any]:
    """How many archived articles the site no longer serves, and the most recently gone."""
    if not _has_column(conn, "articles", "gone"):
        return {"count": 0, "items": []}
    total = conn.execute("SELECT count(*) FROM articles WHERE gone IS NOT NULL").fetchone()[0]
    rows = conn.execute(
        "SELECT id, title, lang, gone, gone_reason FROM articles WHERE gone IS NOT NULL "
        "ORDER BY gone DESC, id LIMIT ?",
        [limit],
    )
    return {"count": total, "items": [dict(r) for r in rows]}
