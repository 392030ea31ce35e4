"""What searches read about a whole archive, kept in memory while the file is unchanged.

Keyed on the database file's path plus the size and modification time of the file and of its
``-wal`` (every commit changes the WAL, every checkpoint the file), so a crawl writing to the
archive while it is served shows at the next search. In-memory databases are never cached.

- ``languages``: the languages present (the query's words are stemmed in each).
- ``has_search_index``: whether ``idx_articles_search`` exists (an archive of schema 1 served
  without having been opened by ``open_archive`` lacks it).
- ``facet_data``: section/language/year and authors of every article, compactly, so that the
  facets of a search are counted over its match ids in a few milliseconds.
- ``section_tree``: for each section, the sections of the articles filed below it (their
  breadcrumb passes through it), so that a section filter reads breadcrumbs only there.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

MAX_ARCHIVES = 4
_lock = threading.Lock()
_entries: OrderedDict[str, _Entry] = OrderedDict()


@dataclass
class FacetData:
    """Per-article facet values: ``combo[id]`` indexes ``combos`` (section, lang, year)."""

    combo: array | dict[int, int]  # an array indexed by id, or a dict when ids are sparse
    combos: list[tuple[Any, Any, Any]]
    authors: list[tuple[int, ...]] | dict[int, tuple[int, ...]]
    author_names: dict[int, str]
    site: dict[int, int] = field(default_factory=dict)  # id -> index in ``sites`` (if several)
    sites: list[str | None] = field(default_factory=list)

    def combo_of(self, article_id: int) -> int:
        """Index in ``combos`` of the article (0: unknown, e.g. saved after the snapshot)."""
        try:
            return self.combo[article_id]
        except (IndexError, KeyError):
            return 0

    def site_of(self, article_id: int) -> str | None:
        """The article's site; the only site when the archive holds one."""
        if len(self.sites) == 1:
            return self.sites[0]
        found = self.site.get(article_id)
        return None if found is None else self.sites[found]

    def authors_of(self, article_id: int) -> tuple[int, ...]:
        """Author ids of the article, in order."""
        try:
            return self.authors[article_id]
        except (IndexError, KeyError):
            return ()


@dataclass
class _Entry:
    key: tuple[Any, ...]
    values: dict[str, Any] = field(default_factory=dict)


def file_key(conn: sqlite3.Connection) -> tuple[Any, ...] | None:
    """Path, size and mtime of the main database file and its WAL; None for a memory database."""
    path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    if not path:
        return None
    key: list[Any] = [path]
    for name in (path, path + "-wal"):
        try:
            st = os.stat(name)
        except OSError:
            key += [None, None]
        else:
            key += [st.st_size, st.st_mtime_ns]
    return tuple(key)


def _cached(conn: sqlite3.Connection, name: str, build: Any) -> Any:
    """``build(conn)``, remembered for the archive file as it is now."""
    key = file_key(conn)
    if key is None:
        return build(conn)
    with _lock:
        entry = _entries.get(key[0])
        if entry is not None and entry.key == key and name in entry.values:
            _entries.move_to_end(key[0])
            return entry.values[name]
    value = build(conn)  # outside the lock: another archive's searches need not wait
    with _lock:
        entry = _entries.get(key[0])
        if entry is None or entry.key != key:
            entry = _entries[key[0]] = _Entry(key)
        entry.values[name] = value
        _entries.move_to_end(key[0])
        while len(_entries) > MAX_ARCHIVES:
            _entries.popitem(last=False)
    return value


def remembered(conn: sqlite3.Connection, name: str, build: Any) -> Any:
    """``build(conn)`` computed once while the archive file is unchanged (size and mtime).

    For what scans a whole archive (the front page's counts): at a million articles each
    such scan costs tens of milliseconds, paid again only after the file changes.
    """
    return _cached(conn, name, build)


def article_count(conn: sqlite3.Connection) -> int:
    """How many articles the archive holds."""
    return int(_cached(conn, "article_count", _article_count))


def _article_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def clear() -> None:
    """Forget everything (tests)."""
    with _lock:
        _entries.clear()


def _languages(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT lang FROM articles") if r[0]]


def languages(conn: sqlite3.Connection) -> list[str]:
    """The languages present in the archive."""
    return list(_cached(conn, "languages", _languages))


def _has_search_index(conn: sqlite3.Connection) -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'idx_articles_search'"
    return conn.execute(sql).fetchone() is not None


def has_search_index(conn: sqlite3.Connection) -> bool:
    """Whether the narrow covering index of ``articles`` exists (schema version 2)."""
    return bool(_cached(conn, "search_index", _has_search_index))


def _facet_data(conn: sqlite3.Connection) -> FacetData:
    low, top, total = conn.execute("SELECT min(id), max(id), count(*) FROM articles").fetchone()
    dense = (low or 0) >= 0 and (top or 0) <= 2 * total + 10_000
    size = (top or 0) + 1 if dense else 0
    combo: array | dict[int, int] = array("I", bytes(4 * size)) if dense else {}
    authors: list[tuple[int, ...]] | dict[int, tuple[int, ...]] = [()] * size if dense else {}
    combos: dict[tuple[Any, Any, Any], int] = {}
    hint = " INDEXED BY idx_articles_search" if _has_search_index(conn) else ""
    for row in conn.execute(f"SELECT id, section, lang, year FROM articles{hint}"):
        if not dense or row[0] < size:  # a row saved since max(id) was read waits
            combo[row[0]] = combos.setdefault((row[1], row[2], row[3]), len(combos) + 1)
    current: int | None = None
    found: list[int] = []
    sql = "SELECT article_id, author_id FROM article_authors ORDER BY article_id, position"
    for row in chain(conn.execute(sql), [(None, None)]):
        if row[0] != current:
            if current is not None and (not dense or current < size):
                authors[current] = tuple(found)
            current, found = row[0], []
        found.append(row[1])
    names = {row[0]: row[1] for row in conn.execute("SELECT id, name FROM authors")}
    sites, site_of = _sites(conn)
    return FacetData(combo, [(None, None, None), *combos], authors, names, site_of, sites)


def _sites(conn: sqlite3.Connection) -> tuple[list[str | None], dict[int, int]]:
    """The sites of the archive and, when there are several, each article's (read from the
    narrow ``site`` index)."""
    sites = [row[0] for row in conn.execute("SELECT DISTINCT site FROM articles ORDER BY site")]
    if len(sites) <= 1:
        return sites, {}
    number = {site: n for n, site in enumerate(sites)}
    rows = conn.execute("SELECT id, site FROM articles")
    return sites, {row[0]: number[row[1]] for row in rows if row[1] in number}


def facet_data(conn: sqlite3.Connection) -> FacetData:
    """Section, language, year and authors of every article, compactly."""
    return _cached(conn, "facets", _facet_data)


def _section_tree(conn: sqlite3.Connection) -> dict[str, frozenset[str | None]]:
    below: dict[str, set[str | None]] = {}
    sql = "SELECT DISTINCT section, section_path FROM articles WHERE json_valid(section_path)"
    for section, path in conn.execute(sql):
        for name in json.loads(path):
            if isinstance(name, str) and name != section:
                below.setdefault(name, set()).add(section)
    return {name: frozenset(sections) for name, sections in below.items()}


def section_tree(conn: sqlite3.Connection) -> dict[str, frozenset[str | None]]:
    """Section -> the (own) sections of the articles whose breadcrumb passes below it."""
    return _cached(conn, "sections", _section_tree)
