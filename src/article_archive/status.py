"""Counts that describe an archive, for the ``status`` command.

*Absent* is not a failure: an id the SPIP id walk probed that answered 404, the home page or
a page that is not an article (an unpublished or deleted article), or a guessed address (the
plan page, ``/sitemap.xml``) that does not exist. *Failures* are what needs a look: transport
errors, HTTP errors on addresses a feed, sitemap, listing or the user gave, pages that should
have been articles and did not extract, and files ``import`` could not use.

*Gone* articles are the ones the site no longer serves (``articles.gone``): still in the
archive, with every capture; *failing* ones had their last check fail, not for long enough yet
to count as gone (``crawl --gone-after``).
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

RECENT_ERRORS = 10
GONE_LISTED = 50  # the terminal shows the most recently gone; the count says how many in all
GONE_SQL = """
SELECT id, url, title, gone, gone_status, gone_reason FROM articles
WHERE gone IS NOT NULL ORDER BY gone DESC, id LIMIT ?
"""

# A failed page with no frontier row is an `import` that failed (crawled pages have one, and
# their frontier state says whether the error was expected).
_ORPHAN_FAILED_PAGES = """
  FROM pages p LEFT JOIN frontier f ON f.url = p.url
  WHERE f.id IS NULL AND (p.error IS NOT NULL OR p.status >= 400 OR p.status = 0)
"""
RECENT_ERRORS_SQL = f"""
SELECT url, error, at FROM (
  SELECT url, coalesce(last_error, 'failed') AS error, updated_at AS at
  FROM frontier WHERE state = 'failed'
  UNION ALL
  SELECT p.url, coalesce(p.error, 'HTTP ' || p.status) AS error, p.fetched_at AS at
  {_ORPHAN_FAILED_PAGES}
)
ORDER BY at IS NULL, at DESC
LIMIT ?
"""


def _count(db: sqlite_utils.Database, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


def _grouped(db: sqlite_utils.Database, sql: str) -> dict[str, int]:
    return {str(key): n for key, n in db.execute(sql)}


def _by_kind(db: sqlite_utils.Database) -> dict[str, dict[str, int]]:
    """Frontier rows per kind, then per state."""
    out: dict[str, dict[str, int]] = {}
    sql = "SELECT kind, state, count(*) FROM frontier GROUP BY kind, state ORDER BY kind, state"
    for kind, state, n in db.execute(sql):
        out.setdefault(str(kind), {})[str(state)] = n
    return out


def archive_status(db: sqlite_utils.Database) -> dict[str, Any]:
    """Counts of articles, sites, feeds, pages, frontier; absent ids; real failures; last crawl."""
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
    frontier_failed = _count(db, "SELECT count(*) FROM frontier WHERE state = 'failed'")
    orphans = _count(db, f"SELECT count(*) {_ORPHAN_FAILED_PAGES}")
    return {
        "articles": _count(db, "SELECT count(*) FROM articles"),
        "sites": _count(db, "SELECT count(DISTINCT site) FROM articles"),
        "authors": _count(db, "SELECT count(*) FROM authors"),
        "keywords": _count(db, "SELECT count(*) FROM keywords"),
        "revisions": _count(db, "SELECT count(*) FROM revisions"),
        "feeds": _count(db, "SELECT count(*) FROM feeds"),
        "pages": page_classes,
        "page_kinds": _grouped(
            db, "SELECT ifnull(kind, 'other'), count(*) FROM pages GROUP BY 1 ORDER BY 1"
        ),
        "frontier": _grouped(
            db, "SELECT state, count(*) FROM frontier GROUP BY state ORDER BY state"
        ),
        "frontier_kinds": _by_kind(db),
        "absent": _count(db, "SELECT count(*) FROM frontier WHERE state = 'absent'"),
        "captures": _count(db, "SELECT count(*) FROM captures"),
        "warnings": _warnings(db),
        "forgotten": (
            _count(db, "SELECT count(*) FROM forgotten") if db["forgotten"].exists() else 0
        ),
        "gone": {
            "count": _count(db, "SELECT count(*) FROM articles WHERE gone IS NOT NULL"),
            "failing": _count(
                db, "SELECT count(*) FROM articles WHERE gone IS NULL AND failing_since IS NOT NULL"
            ),
            "articles": [dict(row) for row in db.query(GONE_SQL, [GONE_LISTED])],
        },
        "failures": {
            "count": frontier_failed + orphans,
            "frontier": frontier_failed,
            "pages": orphans,
            "recent": recent,
        },
        "last_crawl": dict(zip(names, crawl_row, strict=True)) if crawl_row else None,
    }


def _counts(counts: dict[str, int]) -> str:
    if not counts:
        return "none"
    return ", ".join(f"{key} {n}" for key, n in counts.items())


def _gone_lines(gone: dict[str, Any]) -> list[str]:
    """The articles the site no longer serves, newest first, and those failing their checks."""
    lines = [
        f"Gone:      {gone['count']} article(s) no longer on the site (kept here), "
        f"{gone['failing']} failing their last check"
    ]
    for art in gone["articles"]:
        lines.append(f"  since {art['gone']}  {art['url']}  ({art['gone_reason']})")
    if gone["count"] > len(gone["articles"]):
        lines.append(f"  … and {gone['count'] - len(gone['articles'])} more")
    return lines


def _warnings(db: sqlite_utils.Database) -> dict[str, Any]:
    """Pages archived with warnings (bytes that did not decode…): how many, and the latest."""
    if "warnings" not in db["pages"].columns_dict:  # an older archive read as it is
        return {"count": 0, "recent": []}
    count = _count(db, "SELECT count(*) FROM pages WHERE warnings IS NOT NULL")
    rows = db.execute(
        "SELECT url, warnings FROM pages WHERE warnings IS NOT NULL ORDER BY fetched_at DESC "
        "LIMIT ?",
        [RECENT_ERRORS],
    ).fetchall()
    recent = [{"url": url, "warnings": "; ".join(json.loads(text))} for url, text in rows]
    return {"count": count, "recent": recent}


def format_status(d: dict[str, Any]) -> str:
    """The status dict as a few readable lines for the terminal."""
    lines = [
        f"Articles:  {d['articles']} from {d['sites']} site(s), "
        f"{d['authors']} author(s), {d['keywords']} keyword(s), {d['revisions']} revision(s), "
        f"{d['captures']} capture(s)",
        f"Feeds:     {d['feeds']}",
        f"Pages:     {sum(d['pages'].values())} ({_counts(d['pages'])}); "
        f"by kind: {_counts(d['page_kinds'])}",
        f"Frontier:  {sum(d['frontier'].values())} ({_counts(d['frontier'])})",
    ]
    for kind, states in d["frontier_kinds"].items():
        lines.append(f"  {kind + ':':<10}{_counts(states)}")
    lines.append(
        f"Absent:    {d['absent']} (ids and addresses with no article: 404, the home page, "
        "not an article; not failures)"
    )
    lines += _gone_lines(d["gone"])
    if d.get("forgotten"):
        lines.append(f"Forgotten: {d['forgotten']} (removed by forget; never fetched again)")
    warned = d["warnings"]
    if warned["count"]:
        lines.append(f"Warnings:  {warned['count']} page(s) archived with a warning")
        lines += [f"  {w['url']}  {w['warnings']}" for w in warned["recent"]]
    failures = d["failures"]
    lines.append(f"Failures:  {failures['count']}")
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
