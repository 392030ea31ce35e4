"""The archive's one search engine: the web pages, the Atom feeds, the lists and the CLI export.

- ``language``: the query language (words, ``"phrases"``, ``-exclusions``, ``OR``, ``prefix*``).
- ``request``: a search's arguments (text, section, author, keyword, language, dates, sort).
- ``compiler``: a parsed query and its filters as FTS5 MATCH expressions and SQL conditions.
- ``engine``: running it — every match, one ranked page, snippets.
- ``facets``: counts per section, author, language and year among the matches.
- ``related``: the articles most like one article.
- ``archive_facts``: what searches read about a whole archive, kept while the file is unchanged.

Read-only: nothing here writes to the archive.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from article_archive.search.engine import matching_count, matching_ids
from article_archive.search.request import SearchRequest

__all__ = ["SearchRequest", "matching_count", "matching_ids", "search_ids"]


def search_ids(db: Any, q: str, *, limit: int | None = None) -> list[int]:
    """Ids of the articles matching the query text ``q``, best first (as the search page ranks).

    ``db``: a ``sqlite3.Connection`` or a ``sqlite_utils.Database``.
    """
    conn: sqlite3.Connection = getattr(db, "conn", db)
    req = SearchRequest(q=q.strip(), sort="relevance")
    if not req.q:
        return []
    return matching_ids(conn, req, -1 if limit is None else limit)
