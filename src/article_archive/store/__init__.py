"""The only database writes: schema, articles, pages, the crawl frontier."""

from __future__ import annotations

from article_archive.store.articles import content_hash, delete_article, save_article
from article_archive.store.schema import ensure_schema, open_archive

__all__ = ["content_hash", "delete_article", "ensure_schema", "open_archive", "save_article"]
