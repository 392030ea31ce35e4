"""What the archive already holds, as the crawl asks it: named reads over ``articles``.

The crawl decides from these whether a URL is new, whether an id is known, and whether an
answer changes anything; it never holds the SQL.
"""

from __future__ import annotations

import sqlite_utils

from article_archive.models import FetchResult
from article_archive.sites import site_host, site_of
from article_archive.store.articles import content_hash


def article_at(db: sqlite_utils.Database, url: str) -> bool:
    """Whether an article is stored at ``url``."""
    return bool(db.execute("SELECT 1 FROM articles WHERE url = ?", [url]).fetchone())


def article_with_id(db: sqlite_utils.Database, site: str, spip_id: int) -> str | None:
    """The address of the stored article with SPIP id ``spip_id`` on ``site``.

    ``site`` is a site key (``article_archive.sites.site_of``): ``articles.site`` holds the host
    name, so of the host's articles with that id, the one whose address is on the site.
    """
    rows = db.execute(
        "SELECT url FROM articles WHERE site = ? AND spip_id = ?", [site_host(site), spip_id]
    ).fetchall()
    return next((url for (url,) in rows if site_of(url) == site), None)


def highest_spip_id(db: sqlite_utils.Database, site: str) -> int:
    """The highest SPIP id among the stored articles of ``site`` (a site key; 0 when none)."""
    rows = db.execute(
        "SELECT spip_id, url FROM articles WHERE site = ? AND spip_id IS NOT NULL",
        [site_host(site)],
    )
    return max((spip_id for spip_id, url in rows if site_of(url) == site), default=0)


def article_is_current(db: sqlite_utils.Database, article: dict, result: FetchResult) -> bool:
    """Whether ``article`` has the stored content hash, from a page with the stored validators.

    Then archiving it would change nothing (not even ``last_fetched``): ``store.archive``
    writes nothing for it.
    """
    row = db.execute(
        "SELECT a.content_hash, p.etag, p.last_modified FROM articles a "
        "LEFT JOIN pages p ON p.id = a.page_id WHERE a.url = ?",
        [article.get("url")],
    ).fetchone()
    if row is None or row[0] != content_hash(article):
        return False
    return (row[1], row[2]) == (result.etag, result.last_modified)
