"""The sites' learned templates: ``site_templates``, ``template_blocks``, ``template_pages``.

What ``extract.chrome`` finds on each page is counted here, per site, over the distinct
pages learned (each address once: ``template_pages``): how many pages hold each block, how
many of them are not articles, and how many pages the site had when the block first
appeared (``since``). ``refresh_chrome`` turns the counts into the verdict (``chrome`` = 1,
``extract.chrome.is_chrome``) and gives the chrome blocks of a site, which extraction takes.
The tables are plain and readable, so Datasette shows what was learned: each block's path
(tag, id and classes), a sample of its link texts, its counts and its verdict.

Blocks seen on fewer than ``MIN_PAGES`` pages, ``PRUNE_WINDOW`` pages after they appeared,
can no longer reach the share a chrome block needs before a fresh copy would: they are
deleted, so the table holds the template and the recent pages, not every article's blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlite_utils

from article_archive.timestamps import now_iso

if TYPE_CHECKING:  # the extract package loads its extractors: not for every store import
    from article_archive.extract.chrome import Block, ChromeBlocks

MIN_PAGES = 5  # extract.chrome.MIN_PAGES (a test holds them equal)

NOT_ARTICLES = ("home", "listing", "plan")  # page kinds that count as "not an article"
LEARNED_KINDS = (*NOT_ARTICLES, "article", "spip_id")
PRUNE_WINDOW = 200
PRUNE_EVERY = 50

CHROME_TABLES: dict[str, dict[str, Any]] = {
    "site_templates": {
        "columns": {
            "site": str,
            "pages": int,
            "article_pages": int,
            "chrome_blocks": int,
            "updated_at": str,
        },
        "pk": "site",
        "defaults": {"pages": 0, "article_pages": 0, "chrome_blocks": 0},
    },
    "template_blocks": {
        "columns": {
            "site": str,
            "fingerprint": str,
            "chrome": int,
            "pages": int,
            "other_pages": int,
            "since": int,
            "links": int,
            "path": str,
            "sample": str,
            "first_seen": str,
            "last_seen": str,
        },
        "pk": ("site", "fingerprint"),
        "defaults": {"chrome": 0, "pages": 0, "other_pages": 0},
    },
    "template_pages": {
        "columns": {"url": str, "site": str, "kind": str, "learned_at": str},
        "pk": "url",
    },
}
CHROME_INDEXES: list[tuple[str, list[str], bool]] = [
    ("template_blocks", ["site", "pages"], False),
    ("template_pages", ["site"], False),
]

_BUMP_BLOCK = """
INSERT INTO template_blocks
    (site, fingerprint, chrome, pages, other_pages, since, links, path, sample,
     first_seen, last_seen)
VALUES (?, ?, 0, 1, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (site, fingerprint) DO UPDATE SET
    pages = pages + 1,
    other_pages = other_pages + excluded.other_pages,
    last_seen = excluded.last_seen
"""


def is_learned(db: sqlite_utils.Database, url: str) -> bool:
    """Whether the page at ``url`` was counted already (each address counts once)."""
    return db.execute("SELECT 1 FROM template_pages WHERE url = ?", [url]).fetchone() is not None


def learn_page(
    db: sqlite_utils.Database, site: str, url: str, kind: str, blocks: Iterable[Block]
) -> bool:
    """Count one page's blocks in its site's template; False when the address was counted."""
    if kind not in LEARNED_KINDS or is_learned(db, url):
        return False
    now = now_iso()
    row = db.execute("SELECT pages FROM site_templates WHERE site = ?", [site]).fetchone()
    before = row[0] if row else 0
    other = int(kind in NOT_ARTICLES)
    with db.atomic():
        db.execute(
            """INSERT INTO site_templates (site, pages, article_pages, chrome_blocks, updated_at)
               VALUES (?, 1, ?, 0, ?)
               ON CONFLICT (site) DO UPDATE SET pages = pages + 1,
                 article_pages = article_pages + excluded.article_pages,
                 updated_at = excluded.updated_at""",
            [site, 1 - other, now],
        )
        for b in blocks:
            db.execute(
                _BUMP_BLOCK,
                [site, b.fingerprint, other, before, b.links, b.path, b.sample, now, now],
            )
        db.execute(
            "INSERT INTO template_pages (url, site, kind, learned_at) VALUES (?, ?, ?, ?)",
            [url, site, kind, now],
        )
        if (before + 1) % PRUNE_EVERY == 0:
            _prune(db, site, before + 1)
    return True


def _prune(db: sqlite_utils.Database, site: str, pages: int) -> None:
    """Drop the blocks that are no template and can no longer become one (module docstring)."""
    db.execute(
        "DELETE FROM template_blocks WHERE site = ? AND chrome = 0 AND pages < ? AND ? - since > ?",
        [site, MIN_PAGES, pages, PRUNE_WINDOW],
    )


def site_pages(db: sqlite_utils.Database, site: str) -> int:
    """How many distinct pages of ``site`` were learned."""
    row = db.execute("SELECT pages FROM site_templates WHERE site = ?", [site]).fetchone()
    return row[0] if row else 0


def refresh_chrome(db: sqlite_utils.Database, site: str) -> ChromeBlocks:
    """Judge the blocks of ``site`` again from their counts; its chrome blocks' fingerprints."""
    from article_archive.extract.chrome import is_chrome

    pages = site_pages(db, site)
    rows = db.execute(
        """SELECT fingerprint, pages, other_pages, since, chrome FROM template_blocks
           WHERE site = ? AND (pages >= ? OR chrome = 1)""",
        [site, MIN_PAGES],
    ).fetchall()
    chrome, changed = set(), []
    for fingerprint, held, other, since, was in rows:
        verdict = is_chrome(held, pages - since, other)
        if verdict:
            chrome.add(fingerprint)
        if verdict != bool(was):
            changed.append((int(verdict), site, fingerprint))
    if changed:
        with db.atomic():
            db.conn.executemany(
                "UPDATE template_blocks SET chrome = ? WHERE site = ? AND fingerprint = ?",
                changed,
            )
            db.execute(
                "UPDATE site_templates SET chrome_blocks = ? WHERE site = ?", [len(chrome), site]
            )
    return frozenset(chrome)


def learned_sites(db: sqlite_utils.Database) -> list[str]:
    """The sites with a learned template."""
    return [row[0] for row in db.execute("SELECT site FROM site_templates ORDER BY site")]


def forget_templates(db: sqlite_utils.Database) -> None:
    """Empty every learned template (``reparse`` learns them again from the stored pages)."""
    with db.atomic():
        for table in ("template_blocks", "template_pages", "site_templates"):
            db.execute(f"DELETE FROM {table}")


def learnable_page_ids(db: sqlite_utils.Database) -> list[int]:
    """The stored HTML pages a template is learned from (home, listings, plan, articles)."""
    marks = ", ".join("?" * len(LEARNED_KINDS))
    sql = (
        "SELECT id FROM pages WHERE status = 200 AND body IS NOT NULL "
        f"AND kind IN ({marks}) AND ifnull(content_type, 'text/html') LIKE '%html%' ORDER BY id"
    )
    return [row[0] for row in db.execute(sql, list(LEARNED_KINDS))]


def page_kinds(db: sqlite_utils.Database, ids: list[int]) -> dict[int, str]:
    """The frontier kind each stored page was fetched as."""
    marks = ", ".join("?" * len(ids))
    sql = f"SELECT id, kind FROM pages WHERE id IN ({marks})"
    return dict(db.execute(sql, ids).fetchall()) if ids else {}


def page_charsets(db: sqlite_utils.Database, ids: list[int]) -> dict[int, str]:
    """The charset each stored page was decoded with when it was fetched."""
    marks = ", ".join("?" * len(ids))
    sql = f"SELECT id, charset FROM pages WHERE id IN ({marks}) AND charset IS NOT NULL"
    return dict(db.execute(sql, ids).fetchall()) if ids else {}
