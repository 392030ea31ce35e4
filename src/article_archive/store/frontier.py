"""Crawl state in the archive itself: the frontier of URLs, feed validators, crawl runs.

Frontier states: ``pending`` (to fetch), ``in_progress`` (claimed by a running crawl; reset to
pending when a crawl starts, since a killed crawl leaves them behind), ``done``, ``failed``
(retried by the next run, up to ``MAX_ATTEMPTS``), ``absent`` (a SPIP id that answers no
article) and ``skipped`` (robots.txt, off site, older than --since).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

KINDS = ("home", "feed", "sitemap", "plan", "listing", "article", "spip_id")
STATES = ("pending", "in_progress", "done", "failed", "absent", "skipped")
MAX_ATTEMPTS = 3
# Claim order: discovery first (it finds the work), then articles, then the id walk.
_PRIORITY = "CASE kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KINDS)) + " END"


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def add_url(
    db: sqlite_utils.Database,
    url: str,
    *,
    kind: str,
    site: str,
    discovered_from: str | None = None,
    spip_id: int | None = None,
    lastmod: str | None = None,
    state: str = "pending",
) -> bool:
    """Add ``url`` to the frontier unless already there; True when it was new."""
    now = now_iso()
    cursor = db.execute(
        "INSERT OR IGNORE INTO frontier (url, site, kind, state, attempts, discovered_from, "
        "spip_id, lastmod, added_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
        [url, site, kind, state, discovered_from, spip_id, lastmod, now, now],
    )
    return cursor.rowcount > 0


def get(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    """The frontier row of ``url``."""
    rows = list(db.query("SELECT * FROM frontier WHERE url = ?", [url]))
    return rows[0] if rows else None


def claim(
    db: sqlite_utils.Database,
    *,
    kinds: tuple[str, ...] = KINDS,
    busy_sites: set[str] | frozenset[str] = frozenset(),
) -> dict[str, Any] | None:
    """Take the next pending URL of the given kinds on a site not busy; mark it in_progress."""
    kind_marks = ", ".join("?" for _ in kinds)
    site_marks = ", ".join("?" for _ in busy_sites) or "''"
    rows = list(
        db.query(
            f"SELECT * FROM frontier WHERE state = 'pending' AND kind IN ({kind_marks}) "
            f"AND ifnull(site, '') NOT IN ({site_marks}) "
            f"AND (next_try IS NULL OR next_try <= ?) ORDER BY {_PRIORITY}, id LIMIT 1",
            [*kinds, *busy_sites, now_iso()],
        )
    )
    if not rows:
        return None
    row = rows[0]
    db.execute(
        "UPDATE frontier SET state = 'in_progress', attempts = attempts + 1, updated_at = ? "
        "WHERE id = ?",
        [now_iso(), row["id"]],
    )
    return row


def set_state(
    db: sqlite_utils.Database,
    url: str,
    state: str,
    *,
    error: str | None = None,
    lastmod: str | None = None,
) -> None:
    """Record how a URL ended (done, failed, absent, skipped or pending again)."""
    db.execute(
        "UPDATE frontier SET state = ?, last_error = ?, lastmod = coalesce(?, lastmod), "
        "updated_at = ? WHERE url = ?",
        [state, error, lastmod, now_iso(), url],
    )


def requeue(db: sqlite_utils.Database, url: str, *, lastmod: str | None = None) -> None:
    """Put a finished URL back to pending (a feed or sitemap says it changed)."""
    db.execute(
        "UPDATE frontier SET state = 'pending', attempts = 0, next_try = NULL, "
        "lastmod = coalesce(?, lastmod), updated_at = ? WHERE url = ?",
        [lastmod, now_iso(), url],
    )


def reset_stale(db: sqlite_utils.Database) -> int:
    """At start: in_progress rows (left by a killed run) and retryable failures become pending."""
    cursor = db.execute(
        "UPDATE frontier SET state = 'pending', updated_at = ? WHERE state = 'in_progress' "
        "OR (state = 'failed' AND attempts < ?)",
        [now_iso(), MAX_ATTEMPTS],
    )
    return cursor.rowcount


def state_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many frontier rows are in each state."""
    return dict(db.execute("SELECT state, count(*) FROM frontier GROUP BY state").fetchall())


def pending_count(db: sqlite_utils.Database, kind: str, site: str) -> int:
    """Pending or in-progress rows of one kind on one site."""
    row = db.execute(
        "SELECT count(*) FROM frontier WHERE kind = ? AND site = ? "
        "AND state IN ('pending', 'in_progress')",
        [kind, site],
    ).fetchone()
    return row[0]


def max_spip_id(db: sqlite_utils.Database, site: str, *, kind: str = "spip_id") -> int:
    """The highest SPIP id the frontier holds for ``site`` (0 when none)."""
    row = db.execute(
        "SELECT max(spip_id) FROM frontier WHERE site = ? AND kind = ?", [site, kind]
    ).fetchone()
    return row[0] or 0


def feed_state(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    """The ``feeds`` row of ``url`` (validators for the conditional GET)."""
    rows = list(db.query("SELECT * FROM feeds WHERE url = ?", [url]))
    return rows[0] if rows else None


def save_feed(db: sqlite_utils.Database, url: str, site: str, **fields: Any) -> None:
    """Insert or update a ``feeds`` row (title, etag, last_modified, status, error)."""
    existing = feed_state(db, url)
    row = {"url": url, "site": site, "last_checked": now_iso(), **fields}
    if existing is None:
        db["feeds"].insert(row)
    else:
        db["feeds"].update(existing["id"], row)


def start_crawl(db: sqlite_utils.Database, seeds: list[str], options: dict[str, Any]) -> int:
    """A new ``crawls`` row in state running; its id."""
    row = {
        "started_at": now_iso(),
        "seeds": json.dumps(seeds),
        "options": json.dumps(options, default=str),
        "status": "running",
    }
    return db["crawls"].insert(row).last_pk


def finish_crawl(
    db: sqlite_utils.Database, crawl_id: int, counts: dict[str, Any], status: str
) -> None:
    """Write a run's counts and final status (finished, interrupted, failed)."""
    db["crawls"].update(crawl_id, {**counts, "finished_at": now_iso(), "status": status})
