"""The only database writes: schema, articles, pages, the crawl frontier.

Everything archived goes through one door, :func:`archive` (a capture with its outcome and,
when there is one, its article); the frontier's reads and writes are named functions of
``store.frontier``, and what the crawl asks about stored articles those of ``store.known``.
"""

from __future__ import annotations

from article_archive.store.archive import OUTCOMES, Archived, Capture, Outcome, archive
from article_archive.store.articles import content_hash, delete_article, save_article
from article_archive.store.pages import StoredCapture
from article_archive.store.schema import ensure_schema, open_archive

__all__ = [
    "OUTCOMES",
    "Archived",
    "Capture",
    "Outcome",
    "StoredCapture",
    "archive",
    "content_hash",
    "delete_article",
    "ensure_schema",
    "open_archive",
    "save_article",
]
