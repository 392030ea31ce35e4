"""Whether the site still serves an archived article: ``articles.gone`` and the failed checks.

Every answer at an article's address is a check, and its *verdict* says what it means:

- ``"served"``: the article came back (a 200 that extracted, a 304): ``gone`` and the run of
  failed checks are cleared;
- ``"gone"``: the site stopped serving it, a 404 or 410, or a page that is no longer an
  article (the home page, another page): ``gone`` is set at once to the time of the check;
- ``"failing"``: a failed check, a 5xx, a timeout, an empty body, any other error: the
  article is marked gone only when the failures persist, at least two checks spanning
  ``gone_after`` seconds; ``gone`` is then the time of the first of them.

The article and its captures always stay; only these columns change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import sqlite_utils

from article_archive.models import FetchResult
from article_archive.store.rows import update_row

Verdict = Literal["served", "gone", "failing"]

# A site down for a weekend is not gone; a site down for days may be.
DEFAULT_GONE_AFTER = 3 * 24 * 3600.0
GONE_STATUSES = (404, 410)
SERVED_OUTCOMES = ("done", "unchanged")
NO_ARTICLE_OUTCOMES = ("failed", "absent")


def verdict(result: FetchResult, outcome: str) -> Verdict | None:
    """What an answer at an article's address says about the article (None: nothing)."""
    if outcome == "skipped":
        return None
    if outcome in SERVED_OUTCOMES and result.status in (200, 304):
        return "served"
    if result.status in GONE_STATUSES:
        return "gone"
    if result.status == 200 and result.body and outcome in NO_ARTICLE_OUTCOMES:
        return "gone"
    return "failing"


def reason(result: FetchResult) -> str:
    """A short text saying what the answer was, for the reader and ``status``."""
    if result.status == 200 and result.body:
        return f"not an article: {result.error}" if result.error else "not an article"
    if result.status == 200:
        return "empty page"
    if result.status == 0:
        return result.error or "no answer"
    return result.error or f"HTTP {result.status}"


def articles_at(db: sqlite_utils.Database, url: str) -> list[int]:
    """The articles an answer at ``url`` checks: stored at ``url``, or from its page row."""
    sql = (
        "SELECT id FROM articles WHERE url = :url UNION "
        "SELECT article_id FROM pages WHERE url = :url AND article_id IS NOT NULL"
    )
    return [row[0] for row in db.execute(sql, {"url": url})]


def record_verdict(
    db: sqlite_utils.Database,
    article_ids: list[int],
    result: FetchResult,
    what: Verdict,
    *,
    gone_after: float = DEFAULT_GONE_AFTER,
) -> None:
    """Apply one check's verdict to the articles it concerns (see the module docstring)."""
    if not article_ids:
        return
    if what == "served":
        marks = ", ".join("?" * len(article_ids))
        db.execute(
            "UPDATE articles SET gone = NULL, gone_status = NULL, gone_reason = NULL, "
            "failing_since = NULL, failed_checks = 0 WHERE id IN "
            f"({marks}) AND (gone IS NOT NULL OR failing_since IS NOT NULL)",
            article_ids,
        )
        return
    for article_id in article_ids:
        _failed_check(db, article_id, result, what, gone_after)


def _failed_check(
    db: sqlite_utils.Database,
    article_id: int,
    result: FetchResult,
    what: Verdict,
    gone_after: float,
) -> None:
    """One failed check of one article: count it, and mark the article gone when due."""
    row = db.execute(
        "SELECT gone, failing_since, ifnull(failed_checks, 0) FROM articles WHERE id = ?",
        [article_id],
    ).fetchone()
    if row is None:
        return
    gone, since, checks = row
    at = result.fetched_at
    since = since or at
    checks += 1
    update: dict[str, object] = {"failing_since": since, "failed_checks": checks}
    if what == "gone":
        update.update(gone=gone or at, gone_status=result.status, gone_reason=reason(result))
    elif gone is None and checks >= 2 and _seconds(since, at) >= gone_after:
        update.update(gone=since, gone_status=result.status, gone_reason=reason(result))
    update_row(db, "articles", article_id, update)


def _seconds(start: str, end: str) -> float:
    """Seconds from ``start`` to ``end`` (ISO 8601 times; 0 when one is unreadable)."""
    try:
        return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
    except (TypeError, ValueError):
        return 0.0
