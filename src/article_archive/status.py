"""Counts that describe an archive, for the ``status`` command."""

from __future__ import annotations

from typing import Any

import sqlite_utils

RECENT_ERRORS = 10

# A failed page: a transport error, or an HTTP error status.
FAILED_PAGE = "(error IS NOT NULL OR status >= 400)"
RECENT_ERRORS_SQL = f"""
SELECT url, error, at FROM (
  SELECT url, coalesce(error, 'HTTP ' || status) AS error, fetched_at AS at
  FROM pages WHERE {FAILED_PAGE}
  UNION ALL
  SELECT url, last_error AS error, updated_at AS at
  FROM frontier WHERE state = 'failed'
)
ORDER BY at IS NULL, at DESC
LIMIT ?
"""


def _count(db: sqlite_utils.Database, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


def _grouped(db: sqlite_utils.Database, sql: str) -> dict[str, int]:
    return {str(key): n for key, n in db.execute(sql)}


def archive_status(db: sqlite_utils.Database) -> dict[str, Any]:
    """Counts of articles, sites, authors, feeds, pages, frontier; recent failures; last crawl."""
    page_classes = _grouped(
        db,
        """SELECT CASE WHEN status IS NULL OR status = 0 THEN 'error'
                       ELSE (status / 100) || 'xx' END AS class, count(*)
           FROM pages GROUP BY class ORDER BY class""",
    )
    last_crawl = db.execute("SELECT * FROM crawls ORDER BY id DESC LIMIT 1")
    names = [d[0] for d in last_crawl.description]
    crawl_row = last_crawl.fetchone()
    recent = [
        {"url": url, "error": error, "at": at}
        for url, error, at in db.execute(RECENT_ERRORS_SQL, [RECENT_ERRORS])
    ]
    return {
        "articles": _count(db, "SELECT count(*) FROM articles"),
        "sites": _count(db, "SELECT count(DISTINCT site) FROM articles"),
        "authors": _count(db, "SELECT count(*) FROM authors"),
        "keywords": _count(db, "SELECT count(*) FROM keywords"),
        "revisions": _count(db, "SELECT count(*) FROM revisions"),
        "feeds": _count(db, "SELECT count(*) FROM feeds"),
        "pages": page_classes,
        "frontier": _grouped(
            db, "SELECT state, count(*) FROM frontier GROUP BY state ORDER BY state"
        ),
        "failures": {
            "pages": _count(db, f"SELECT count(*) FROM pages WHERE {FAILED_PAGE}"),
            "frontier": _count(db, "SELECT count(*) FROM frontier WHERE state = 'failed'"),
            "recent": recent,
        },
        "last_crawl": dict(zip(names, crawl_row, strict=True)) if crawl_row else None,
    }


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return "none"
    return ", ".join(f"{key} {n}" for key, n in counts.items())


def format_status(d: dict[str, Any]) -> str:
    """The status dict as a few readable lines for the terminal."""
    lines = [
        f"Articles:  {d['articles']} from {d['sites']} site(s), "
        f"{d['authors']} author(s), {d['keywords']} keyword(s), {d['revisions']} revision(s)",
        f"Feeds:     {d['feeds']}",
        f"Pages:     {sum(d['pages'].values())} ({_counts(d['pages'])})",
        f"Frontier:  {sum(d['frontier'].values())} ({_counts(d['frontier'])})",
    ]
    failures = d["failures"]
    lines.append(f"Failures:  {failures['pages']} page(s), {failures['frontier']} in the frontier")
    for error in failures["recent"]:
        lines.append(f"  {error['at'] or '-'}  {error['url']}  {error['error']}")
    crawl = d["last_crawl"]
    if crawl is None:
        lines.append("Last crawl: never")
    else:
        counts = ", ".join(
            f"{key} {crawl.get(key) or 0}"
            for key in ("discovered", "fetched", "new", "updated", "unchanged", "failed", "absent")
        )
        finished = crawl.get("finished_at") or "not finished"
        lines.append(
            f"Last crawl: {crawl.get('started_at')} → {finished} ({crawl.get('status')}): {counts}"
        )
    return "\n".join(lines)
