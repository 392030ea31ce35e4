"""Crawl state in the archive itself: the frontier of URLs, feed validators, crawl runs.

Frontier states: ``pending`` (to fetch), ``in_progress`` (claimed by a running crawl; reset to
pending when a crawl starts, since a killed crawl leaves them behind), ``done``, ``failed``
(retried by the next run, up to ``MAX_ATTEMPTS``), ``absent`` (a SPIP id that answers no
article) and ``skipped`` (robots.txt, off site, older than --since).

A re-check (an article a feed lists again, or a sitemap marks with a newer lastmod) goes back
to pending with ``next_try`` set to the time it was queued: claims take rows never fetched
before re-checks, so ``--max-articles`` spends its budget on new articles first.

A fetch that failed for a reason that may pass (a 5xx, a dropped connection) goes back to
pending with ``next_try`` later in the run (``retry_later``): it is claimed after every fresh
row and every re-check of every kind, so a failing URL never holds its host twice in a row.

Claim order (``CLAIM_ORDER``): the home and feeds first (they find the work), then the plan,
then articles, and only then sitemaps, listings and the id walk: a site whose sitemaps list
sitemaps without end cannot keep its articles waiting.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from article_archive.store.forget import is_forgotten
from article_archive.store.rows import dict_row, dict_rows, insert_id, update_row
from article_archive.timestamps import now_iso

KINDS = ("home", "feed", "sitemap", "plan", "listing", "article", "media", "spip_id")
STATES = ("pending", "in_progress", "done", "failed", "absent", "skipped")
MAX_ATTEMPTS = 3
CLAIM_ORDER = ("home", "feed", "plan", "article", "media", "sitemap", "listing", "spip_id")
assert sorted(CLAIM_ORDER) == sorted(KINDS), "every frontier kind has its place in the claim order"
_PRIORITY = (
    "CASE kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(CLAIM_ORDER)) + " END"
)
# A retry later in the run: pending with a next_try and the error it failed with (a re-check
# has its error cleared by ``requeue``).
_RETRY = "(next_try IS NOT NULL AND last_error IS NOT NULL)"
# Lookups sent in one compound SELECT by a claim (SQLite allows 500 terms).
_TERMS_PER_CLAIM = 200


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
    """Add ``url`` to the frontier unless already there or forgotten; True when it was new."""
    if is_forgotten(db, url, site=site, spip_id=spip_id):
        return False
    now = now_iso()
    cursor = db.execute(
        "INSERT OR IGNORE INTO frontier (url, site, kind, state, attempts, discovered_from, "
        "spip_id, lastmod, added_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
        [url, site, kind, state, discovered_from, spip_id, lastmod, now, now],
    )
    return cursor.rowcount > 0


def get(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    """The frontier row of ``url``."""
    return dict_row(db, "SELECT * FROM frontier WHERE url = ?", [url])


def rows_at(db: sqlite_utils.Database, urls: list[str]) -> dict[str, dict[str, Any]]:
    """The frontier rows of ``urls`` that exist, by url (one statement per 500 addresses)."""
    found: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(urls))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in dict_rows(db, f"SELECT * FROM frontier WHERE url IN ({marks})", chunk):
            found[row["url"]] = row
    return found


def claim(
    db: sqlite_utils.Database,
    *,
    kinds: tuple[str, ...] = KINDS,
    busy_sites: set[str] | frozenset[str] = frozenset(),
    sites: list[str] | None = None,
) -> dict[str, Any] | None:
    """Take the next pending URL of the given kinds on a site not busy; mark it in_progress.

    With ``sites`` (the hosts the crawl may fetch from), only those are looked at, one
    indexed lookup per kind and site: fast on a frontier of 100000 pending rows, where the
    general query sorts them all (and scans them all when their one site is busy).
    """
    now = now_iso()
    if sites is None:
        row = _claim_any(db, kinds, busy_sites, now)
    else:
        row = _claim_on(db, kinds, [s for s in sites if s not in busy_sites], now)
    if row is None:
        return None
    db.execute(
        "UPDATE frontier SET state = 'in_progress', attempts = attempts + 1, updated_at = ? "
        "WHERE id = ?",
        [now, row["id"]],
    )
    return row


def _claim_any(
    db: sqlite_utils.Database,
    kinds: tuple[str, ...],
    busy_sites: set[str] | frozenset[str],
    now: str,
) -> dict[str, Any] | None:
    kind_marks = ", ".join("?" for _ in kinds)
    site_marks = ", ".join("?" for _ in busy_sites) or "''"
    return dict_row(
        db,
        f"SELECT * FROM frontier WHERE state = 'pending' AND kind IN ({kind_marks}) "
        f"AND ifnull(site, '') NOT IN ({site_marks}) "
        f"AND (next_try IS NULL OR next_try <= ?) "
        f"ORDER BY {_RETRY}, {_PRIORITY}, next_try IS NOT NULL, id LIMIT 1",
        [*kinds, *busy_sites, now],
    )


def _claim_on(
    db: sqlite_utils.Database, kinds: tuple[str, ...], sites: list[str], now: str
) -> dict[str, Any] | None:
    """Kinds in claim order; never-fetched rows, then re-checks; retries last; lowest id first.

    Each (tier, site) is one indexed lookup of the first row, all of a claim sent as one
    compound SELECT (in chunks below SQLite's limit on compound terms): the first tier that
    has a row on some site gives the row of lowest id among its sites.
    """
    ordered = sorted(kinds, key=CLAIM_ORDER.index)
    tiers = [
        (kind, test)
        for kind in ordered
        for test in ("next_try IS NULL", f"next_try <= ? AND NOT {_RETRY}")
    ]
    tiers += [(kind, f"next_try <= ? AND {_RETRY}") for kind in ordered]
    terms = [(tier, site) for tier in range(len(tiers)) for site in sites]
    best: dict[str, Any] | None = None
    for start in range(0, len(terms), _TERMS_PER_CLAIM):
        if best is not None and best["_tier"] < terms[start][0]:
            break  # later tiers cannot win over a row found already
        chunk = terms[start : start + _TERMS_PER_CLAIM]
        selects, params = [], []
        for tier, site in chunk:
            kind, test = tiers[tier]
            selects.append(
                f"SELECT * FROM (SELECT {tier} AS _tier, * FROM frontier WHERE state = 'pending' "
                f"AND kind = ? AND site = ? AND {test} ORDER BY id LIMIT 1)"
            )
            params += [kind, site, now] if "?" in test else [kind, site]
        for row in dict_rows(db, " UNION ALL ".join(selects), params):
            if best is None or (row["_tier"], row["id"]) < (best["_tier"], best["id"]):
                best = row
    if best is None:
        return None
    del best["_tier"]
    return best


def retry_later(db: sqlite_utils.Database, url: str, when: str, *, error: str | None) -> None:
    """Back to pending, to be claimed again at ``when`` (ISO time) after the fresh rows.

    The claim's attempt is given back: ``attempts`` counts runs (see ``reset_stale``).
    """
    db.execute(
        "UPDATE frontier SET state = 'pending', next_try = ?, last_error = ?, updated_at = ?, "
        "attempts = max(0, attempts - 1) WHERE url = ?",
        [when, error or "failed", now_iso(), url],
    )


def next_retry(db: sqlite_utils.Database, sites: list[str]) -> str | None:
    """The earliest ``next_try`` of a retry still waiting on ``sites`` (None when none)."""
    if not sites:
        return None
    marks = ", ".join("?" for _ in sites)
    row = db.execute(
        f"SELECT min(next_try) FROM frontier WHERE state = 'pending' AND {_RETRY} "
        f"AND site IN ({marks}) AND next_try > ?",
        [*sites, now_iso()],
    ).fetchone()
    return row[0]


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


def requeue(
    db: sqlite_utils.Database, url: str, *, lastmod: str | None = None, recheck: bool = False
) -> None:
    """Put a finished URL back to pending (a feed lists it, a sitemap says it changed).

    With ``recheck`` the row is claimed after the rows never fetched (see the module doc).
    """
    now = now_iso()
    db.execute(
        "UPDATE frontier SET state = 'pending', attempts = 0, next_try = ?, last_error = NULL, "
        "lastmod = coalesce(?, lastmod), updated_at = ? WHERE url = ?",
        [now if recheck else None, lastmod, now, url],
    )


# Archived articles whose last check failed, or that the site no longer serves.
_UNSURE = "SELECT url FROM articles WHERE gone IS NOT NULL OR failing_since IS NOT NULL"


def requeue_archived(
    db: sqlite_utils.Database, site: str, *, before: str, unsure_only: bool = False
) -> int:
    """Queue a re-check of the archived articles of ``site`` not handled since ``before``.

    The crawl asks when a feed of the site stops answering (every article may be gone), and,
    with ``unsure_only``, when it answers again (the gone and failing ones may be back).
    Returns how many rows went back to pending.
    """
    archived = _UNSURE if unsure_only else "SELECT url FROM articles"
    now = now_iso()
    cursor = db.execute(
        "UPDATE frontier SET state = 'pending', attempts = 0, next_try = ?, updated_at = ? "
        "WHERE site = ? AND kind = 'article' AND state IN ('done', 'failed', 'absent') "
        f"AND ifnull(updated_at, '') < ? AND url IN ({archived})",
        [now, now, site, before],
    )
    return cursor.rowcount


def set_lastmod(db: sqlite_utils.Database, row_id: int, lastmod: str) -> None:
    """Replace the freshness marks of one frontier row (the per-source JSON of an article)."""
    db.execute("UPDATE frontier SET lastmod = ? WHERE id = ?", [lastmod, row_id])


# A child sitemap: one that another sitemap row of the frontier listed.
_NOT_CHILD_SITEMAP = (
    " AND ifnull(discovered_from, '') NOT IN (SELECT url FROM frontier WHERE kind = 'sitemap')"
)


def reopen_change_lists(
    db: sqlite_utils.Database, sites: list[str], *, child_sitemaps: bool
) -> int:
    """At start: the finished feeds and sitemaps of ``sites`` back to pending; how many.

    Feeds and sitemaps are change lists, asked again every run (with a conditional GET),
    those that failed last run too (a site down for a while must not lose its feeds).
    Child sitemaps only with ``child_sitemaps`` (a backfill); otherwise when their index
    gives them a new lastmod (``crawl.found``).
    """
    marks = ", ".join("?" for _ in sites)
    roots = "" if child_sitemaps else _NOT_CHILD_SITEMAP
    cursor = db.execute(
        "UPDATE frontier SET state = 'pending', next_try = NULL WHERE "
        f"(kind = 'feed' OR (kind = 'sitemap'{roots})) "
        f"AND state IN ('done', 'absent', 'failed') AND site IN ({marks})",
        sites,
    )
    return cursor.rowcount


def reopen_id_walk(db: sqlite_utils.Database, site: str, above: int) -> int:
    """Absent SPIP ids of ``site`` past ``above`` back to pending (a backfill); how many."""
    cursor = db.execute(
        "UPDATE frontier SET state = 'pending', attempts = 0 WHERE site = ? "
        "AND kind = 'spip_id' AND state = 'absent' AND spip_id > ?",
        [site, above],
    )
    return cursor.rowcount


def walked_ids(db: sqlite_utils.Database, site: str) -> set[int]:
    """The SPIP ids the id walk of ``site`` has queued already (whatever their state)."""
    sql = "SELECT spip_id FROM frontier WHERE site = ? AND kind = 'spip_id'"
    return {row[0] for row in db.execute(sql, [site])}


def close_killed_crawls(db: sqlite_utils.Database) -> int:
    """Runs still marked running become interrupted: called under the writer lock, so they died."""
    cursor = db.execute(
        "UPDATE crawls SET status = 'interrupted' WHERE status = 'running'",
    )
    return cursor.rowcount


def reset_stale(db: sqlite_utils.Database) -> int:
    """At start: in_progress rows (left by a killed run) and retryable failures become pending."""
    cursor = db.execute(
        "UPDATE frontier SET state = 'pending', updated_at = ? WHERE state = 'in_progress' "
        "OR (state = 'failed' AND attempts < ?)",
        [now_iso(), MAX_ATTEMPTS],
    )
    return cursor.rowcount


# Lookups the crawl makes once per claimed row or walked id: without these indexes each is a
# scan of a 70000-article site. Created here (idempotent) so that an archive made before
# they existed gets them on its next crawl.
CRAWL_INDEXES = (
    "CREATE INDEX IF NOT EXISTS idx_articles_site_spip_id ON articles (site, spip_id)",
    "CREATE INDEX IF NOT EXISTS idx_frontier_claim ON frontier (state, kind, site, next_try)",
)


def ensure_indexes(db: sqlite_utils.Database) -> None:
    """Create the indexes the crawl's per-row lookups need (see ``CRAWL_INDEXES``)."""
    for sql in CRAWL_INDEXES:
        db.execute(sql)


def pending_articles(db: sqlite_utils.Database) -> int:
    """Article rows (feed-listed, found, or SPIP ids to probe) still to fetch."""
    row = db.execute(
        "SELECT count(*) FROM frontier WHERE state IN ('pending', 'in_progress') "
        "AND kind IN ('article', 'spip_id')"
    ).fetchone()
    return row[0]


def state_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many frontier rows are in each state."""
    return dict(db.execute("SELECT state, count(*) FROM frontier GROUP BY state").fetchall())


def pending_counts(db: sqlite_utils.Database, kind: str, sites: list[str]) -> dict[str, int]:
    """Pending or in-progress rows of one kind on each of ``sites`` (one statement for all)."""
    if not sites:
        return {}
    marks = ", ".join("?" for _ in sites)
    rows = db.execute(
        f"SELECT site, count(*) FROM frontier WHERE kind = ? AND site IN ({marks}) "
        "AND state IN ('pending', 'in_progress') GROUP BY site",
        [kind, *sites],
    )
    counts = {site: 0 for site in sites}
    counts.update(dict(rows.fetchall()))
    return counts


def max_spip_id(db: sqlite_utils.Database, site: str, *, kind: str = "spip_id") -> int:
    """The highest SPIP id the frontier holds for ``site`` (0 when none)."""
    row = db.execute(
        "SELECT max(spip_id) FROM frontier WHERE site = ? AND kind = ?", [site, kind]
    ).fetchone()
    return row[0] or 0


def feed_state(db: sqlite_utils.Database, url: str) -> dict[str, Any] | None:
    """The ``feeds`` row of ``url`` (validators for the conditional GET)."""
    return dict_row(db, "SELECT * FROM feeds WHERE url = ?", [url])


def save_feed(db: sqlite_utils.Database, url: str, site: str, **fields: Any) -> None:
    """Insert or update a ``feeds`` row (title, etag, last_modified, status, error)."""
    existing = feed_state(db, url)
    row = {"url": url, "site": site, "last_checked": now_iso(), **fields}
    if existing is None:
        insert_id(db, "feeds", row)
    else:
        update_row(db, "feeds", existing["id"], row)


def start_crawl(db: sqlite_utils.Database, seeds: list[str], options: dict[str, Any]) -> int:
    """A new ``crawls`` row in state running; its id."""
    row = {
        "started_at": now_iso(),
        "seeds": json.dumps(seeds),
        "options": json.dumps(options, default=str),
        "status": "running",
    }
    return insert_id(db, "crawls", row)


def finish_crawl(
    db: sqlite_utils.Database, crawl_id: int, counts: dict[str, Any], status: str
) -> None:
    """Write a run's counts and final status (finished, interrupted, failed)."""
    db.table("crawls").update(crawl_id, {**counts, "finished_at": now_iso(), "status": status})
