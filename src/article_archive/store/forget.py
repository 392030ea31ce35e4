"""Forgetting an article: a takedown request or a mistake, removed everywhere and kept out.

``forget`` deletes the article's rows (the article, its search and stemmed index rows, its
authors and keywords links, footnotes, revisions, media links; with ``captures=True`` also its
pages, captures and the media files no other article uses) and records the address in
``forgotten`` (url, site, spip_id, forgotten_at, reason). The crawl's frontier refuses a
forgotten address (``frontier.add_url``) and the write door stores no article at one, so a
later crawl does not bring it back. Lists, feeds and search pages read ``articles``: they
forget it with the row.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from article_archive.errors import UserError
from article_archive.sites import site_of
from article_archive.store.articles import delete_article
from article_archive.timestamps import now_iso

#: The frontier's note on the rows of a forgotten address (state ``skipped``: never fetched).
FORGOTTEN_NOTE = "forgotten"


@dataclass
class Forgotten:
    """What ``forget`` did for one address: the article deleted (if any), rows removed."""

    url: str
    article_id: int | None
    title: str | None
    pages: int = 0
    captures: int = 0
    media: int = 0


def is_forgotten(
    db: sqlite_utils.Database,
    url: str,
    *,
    site: str | None = None,
    spip_id: int | None = None,
) -> bool:
    """Whether ``url`` (or, given ``site``, the SPIP article ``spip_id`` there) was forgotten.

    Asked for every address the crawl queues and every article it archives: one indexed
    statement (an archive made before ``forgotten`` existed has forgotten nothing).
    """
    params: list[str | int] = [url]
    if site is None or spip_id is None:
        sql = "SELECT 1 FROM forgotten WHERE url = ?"
    else:
        sql = "SELECT 1 FROM forgotten WHERE url = ? OR (site = ? AND spip_id = ?) LIMIT 1"
        params = [url, site, spip_id]
    try:
        return db.execute(sql, params).fetchone() is not None
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return False
        raise


def forget(
    db: sqlite_utils.Database,
    targets: list[str],
    *,
    captures: bool = False,
    reason: str | None = None,
) -> list[Forgotten]:
    """Remove the articles named by ``targets`` (URLs or article ids) and keep them out.

    An address with no stored article is still recorded, so that it is never fetched.
    Everything happens in one transaction: an unknown id refuses the whole command.
    """
    done = []
    with db.atomic():
        for target in targets:
            row = _article(db, target)
            if row is None and target.strip().isdigit():
                raise UserError(f"no article with id {target.strip()} in the archive")
            url = row["url"] if row else target.strip()
            item = Forgotten(url, row["id"] if row else None, row["title"] if row else None)
            urls = _addresses(db, url, item.article_id)
            if captures:
                item.media = _delete_media(db, item.article_id)
                item.pages, item.captures = _delete_captures(db, urls, item.article_id)
            if item.article_id is not None:
                _delete_links(db, item.article_id)
                delete_article(db, item.article_id)
            _record(db, item, row, reason)
            _close_frontier(db, urls, row)
            done.append(item)
        _drop_orphans(db)
    return done


def forget_in(
    db_path: Path, targets: list[str], *, captures: bool = False, reason: str | None = None
) -> list[Forgotten]:
    """``forget`` on the archive file at ``db_path``, holding its writer lock (no crawl runs)."""
    from article_archive.store.lock import writer_lock
    from article_archive.store.schema import open_archive

    with writer_lock(db_path, "forget"):
        db = open_archive(db_path)
        try:
            return forget(db, targets, captures=captures, reason=reason)
        finally:
            db.close()


def _article(db: sqlite_utils.Database, target: str) -> dict | None:
    """The article a target names: an id, else an address (its own or one of its pages)."""
    target = target.strip()
    if target.isdigit():
        rows = db.query("SELECT id, url, title, site, spip_id FROM articles WHERE id = ?", [target])
        return next(iter(rows), None)
    sql = (
        "SELECT id, url, title, site, spip_id FROM articles WHERE url = ? OR id IN "
        "(SELECT article_id FROM pages WHERE url = ? OR final_url = ?)"
    )
    return next(iter(db.query(sql, [target, target, target])), None)


def _addresses(db: sqlite_utils.Database, url: str, article_id: int | None) -> list[str]:
    """Every address the article was seen at: its own and its pages' (before redirects)."""
    found = {url}
    if article_id is not None:
        sql = "SELECT url, final_url FROM pages WHERE article_id = ?"
        for page_url, final in db.execute(sql, [article_id]):
            found.update(u for u in (page_url, final) if u)
    return sorted(found)


def _delete_links(db: sqlite_utils.Database, article_id: int) -> None:
    """Link rows of other slices' tables that ``delete_article`` does not know."""
    if db["article_media"].exists():
        db.execute("DELETE FROM article_media WHERE article_id = ?", [article_id])


def _delete_media(db: sqlite_utils.Database, article_id: int | None) -> int:
    """The media files only this article uses (images, documents); how many."""
    if article_id is None or not db["article_media"].exists() or not db["media"].exists():
        return 0
    ids = [
        row[0]
        for row in db.execute(
            "SELECT DISTINCT media_id FROM article_media WHERE article_id = ? AND media_id "
            "NOT IN (SELECT media_id FROM article_media WHERE article_id != ? "
            "AND media_id IS NOT NULL)",
            [article_id, article_id],
        )
        if row[0] is not None
    ]
    for media_id in ids:
        if db["media_urls"].exists():
            db.execute("DELETE FROM media_urls WHERE media_id = ?", [media_id])
        db.execute("DELETE FROM media WHERE id = ?", [media_id])
    return len(ids)


def _delete_captures(
    db: sqlite_utils.Database, urls: list[str], article_id: int | None
) -> tuple[int, int]:
    """The article's pages and raw captures (its own and its revisions'); how many of each."""
    marks = ", ".join("?" for _ in urls)
    capture_ids = {
        row[0]
        for row in db.execute(
            f"SELECT id FROM captures WHERE url IN ({marks}) OR final_url IN ({marks})",
            [*urls, *urls],
        )
    }
    if article_id is not None:
        for sql in (
            "SELECT capture_id FROM articles WHERE id = ?",
            "SELECT capture_id FROM revisions WHERE article_id = ?",
            "SELECT capture_id FROM pages WHERE article_id = ?",
        ):
            capture_ids.update(r[0] for r in db.execute(sql, [article_id]) if r[0] is not None)
    pages = db.execute(
        f"DELETE FROM pages WHERE url IN ({marks}) OR article_id = ?", [*urls, article_id]
    ).rowcount
    for capture_id in capture_ids:
        db.execute("DELETE FROM captures WHERE id = ?", [capture_id])
    return pages, len(capture_ids)


def _record(
    db: sqlite_utils.Database, item: Forgotten, row: dict | None, reason: str | None
) -> None:
    db.table("forgotten").upsert(
        {
            "url": item.url,
            "site": site_of(item.url),
            "spip_id": row["spip_id"] if row else None,
            "forgotten_at": now_iso(),
            "reason": reason,
        },
        pk="url",
    )


def _close_frontier(db: sqlite_utils.Database, urls: list[str], row: dict | None) -> None:
    """The frontier rows of the addresses: skipped, so that no re-check asks for them again."""
    marks = ", ".join("?" for _ in urls)
    where, args = f"url IN ({marks})", list(urls)
    if row and row["spip_id"]:
        where += " OR (site = ? AND spip_id = ?)"
        args += [site_of(row["url"]), row["spip_id"]]
    db.execute(
        f"UPDATE frontier SET state = 'skipped', last_error = ?, updated_at = ? WHERE {where}",
        [FORGOTTEN_NOTE, now_iso(), *args],
    )


def _drop_orphans(db: sqlite_utils.Database) -> None:
    """Authors and keywords no article names any more (an author page would list nothing)."""
    db.execute("DELETE FROM authors WHERE id NOT IN (SELECT author_id FROM article_authors)")
    db.execute("DELETE FROM keywords WHERE id NOT IN (SELECT keyword_id FROM article_keywords)")


def forgotten_rows(db: sqlite_utils.Database) -> list[dict]:
    """Every forgotten address, newest first (what ``status`` and the tests read)."""
    if not db["forgotten"].exists():
        return []
    return list(db.query("SELECT * FROM forgotten ORDER BY forgotten_at DESC, url"))
