"""Every table, index, full-text index and trigger of the archive, and opening a database file.

The schema is declared once in ``TABLES``; ``ensure_schema`` creates what is missing and adds
columns a newer version declares (so adding a column is a one-line change here). Changes that
need more than a new column go in ``MIGRATIONS``, keyed by the version they lead to.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.db import ForeignKey

from article_archive.errors import DatabaseError
from article_archive.store.captures import migrate_pages
from article_archive.store.chrome import CHROME_INDEXES, CHROME_TABLES
from article_archive.store.cjk import restem_cjk
from article_archive.store.dates import normalize_stored_dates
from article_archive.store.media import MEDIA_INDEXES, MEDIA_TABLES

log = logging.getLogger(__name__)

SCHEMA_VERSION = 6
APP_NAME = "article-archive"
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000

FTS_COLUMNS = ["title", "lead", "body_text", "authors_text"]
FTS_TOKENIZE = "unicode61 remove_diacritics 2"


def _fk(table: str, column: str, other: str, on_delete: str = "CASCADE") -> ForeignKey:
    return ForeignKey(table, column, other, "id", on_delete=on_delete)


# name -> keyword arguments of Table.create (columns in display order).
TABLES: dict[str, dict[str, Any]] = {
    "_meta": {"columns": {"key": str, "value": str}, "pk": "key"},
    "articles": {
        "columns": {
            "id": int,
            "url": str,
            "site": str,
            "spip_id": int,
            "lang": str,
            "title": str,
            "surtitle": str,
            "subtitle": str,
            "section": str,
            "section_path": str,
            "published": str,
            "written": str,
            "updated": str,
            "dates_as_given": str,
            "year": int,
            "lead": str,
            "body_html": str,
            "body_text": str,
            "postscript": str,
            "toc": str,
            "translations": str,
            "word_count": int,
            "extractor": str,
            "authors_text": str,
            "author_names": str,
            "keywords_text": str,
            "page_id": int,
            "first_seen": str,
            "last_fetched": str,
            "content_hash": str,
            "capture_id": int,
            "gone": str,
            "gone_status": int,
            "gone_reason": str,
            "failing_since": str,
            "failed_checks": int,
        },
        "pk": "id",
        "not_null": ["url", "title"],
    },
    "authors": {"columns": {"id": int, "name": str, "url": str}, "pk": "id", "not_null": ["name"]},
    "article_authors": {
        "columns": {"article_id": int, "author_id": int, "position": int},
        "pk": ("article_id", "position"),
        "not_null": ["author_id"],
        "foreign_keys": [
            _fk("article_authors", "article_id", "articles"),
            _fk("article_authors", "author_id", "authors", "NO ACTION"),
        ],
    },
    "keywords": {"columns": {"id": int, "name": str}, "pk": "id", "not_null": ["name"]},
    "article_keywords": {
        "columns": {"article_id": int, "keyword_id": int},
        "pk": ("article_id", "keyword_id"),
        "foreign_keys": [
            _fk("article_keywords", "article_id", "articles"),
            _fk("article_keywords", "keyword_id", "keywords", "NO ACTION"),
        ],
    },
    "footnotes": {
        "columns": {"article_id": int, "position": int, "number": str, "text": str, "html": str},
        "pk": ("article_id", "position"),
        "foreign_keys": [_fk("footnotes", "article_id", "articles")],
    },
    "revisions": {
        "columns": {
            "id": int,
            "article_id": int,
            "content_hash": str,
            "fetched_at": str,
            "title": str,
            "body_text": str,
            "body_html": str,
            "capture_id": int,
        },
        "pk": "id",
        "not_null": ["article_id"],
        "foreign_keys": [_fk("revisions", "article_id", "articles")],
    },
    "captures": {
        "columns": {
            "id": int,
            "url": str,
            "final_url": str,
            "status": int,
            "content_type": str,
            "fetched_at": str,
            "headers": str,
            "sha256": str,
            "body": bytes,
            "body_size": int,
        },
        "pk": "id",
        "not_null": ["url", "sha256"],
    },
    "pages": {
        "columns": {
            "id": int,
            "url": str,
            "final_url": str,
            "kind": str,
            "status": int,
            "content_type": str,
            "charset": str,
            "fetched_at": str,
            "elapsed": float,
            "etag": str,
            "last_modified": str,
            "headers": str,
            "body": bytes,
            "body_size": int,
            "error": str,
            "article_id": int,
            "capture_id": int,
            "last_status": int,
            "last_checked": str,
            "last_error": str,
            "warnings": str,  # JSON list: what went wrong without failing the page
        },
        "pk": "id",
        "not_null": ["url"],
        "foreign_keys": [_fk("pages", "article_id", "articles", "SET NULL")],
    },
    "feeds": {
        "columns": {
            "id": int,
            "url": str,
            "site": str,
            "title": str,
            "last_checked": str,
            "etag": str,
            "last_modified": str,
            "status": int,
            "error": str,
        },
        "pk": "id",
        "not_null": ["url"],
    },
    "frontier": {
        "columns": {
            "id": int,
            "url": str,
            "site": str,
            "kind": str,
            "state": str,
            "attempts": int,
            "next_try": str,
            "last_error": str,
            "discovered_from": str,
            "spip_id": int,
            "added_at": str,
            "updated_at": str,
            "lastmod": str,
        },
        "pk": "id",
        "not_null": ["url", "state"],
        "defaults": {"state": "pending", "attempts": 0},
    },
    # Addresses an archivist removed (``article-archive forget``): never archived again.
    "forgotten": {
        "columns": {
            "url": str,
            "site": str,
            "spip_id": int,
            "forgotten_at": str,
            "reason": str,
        },
        "pk": "url",
    },
    "crawls": {
        "columns": {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "seeds": str,
            "options": str,
            "discovered": int,
            "fetched": int,
            "new": int,
            "updated": int,
            "unchanged": int,
            "failed": int,
            "status": str,
            "absent": int,
            "skipped": int,
            "feeds_not_modified": int,
            "elapsed": float,
            "media": int,
            "media_refused": int,
            "warned": int,
        },
        "pk": "id",
    },
}

# (table, columns, unique)
INDEXES: list[tuple[str, list[str], bool]] = [
    ("articles", ["url"], True),
    ("articles", ["published"], False),
    ("articles", ["section"], False),
    ("articles", ["section", "published"], False),  # a reader page's previous and next
    ("articles", ["lang"], False),
    ("articles", ["year"], False),
    ("articles", ["site"], False),
    ("article_authors", ["author_id"], False),
    ("keywords", ["name"], True),
    ("article_keywords", ["keyword_id"], False),
    ("revisions", ["article_id"], False),
    ("captures", ["url", "sha256"], True),
    ("articles", ["gone"], False),
    ("pages", ["url"], True),
    ("pages", ["kind", "status"], False),
    ("pages", ["article_id"], False),
    ("feeds", ["url"], True),
    ("frontier", ["url"], True),
    ("frontier", ["state", "next_try"], False),
    ("frontier", ["site"], False),
    ("frontier", ["spip_id"], False),
    ("forgotten", ["site", "spip_id"], False),
]
TABLES.update(MEDIA_TABLES)  # images and attached documents: declared in store/media.py
INDEXES += MEDIA_INDEXES
TABLES.update(CHROME_TABLES)  # the sites' learned templates: declared in store/chrome.py
INDEXES += CHROME_INDEXES

# NULL urls would not collide in a plain unique index, hence the expression.
EXTRA_SQL = [
    "CREATE UNIQUE INDEX IF NOT EXISTS idx_authors_name_url ON authors (name, ifnull(url, ''))",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS article_stems USING fts5(
        title, lead, body, authors, tokenize="{FTS_TOKENIZE}")""",
    """CREATE TRIGGER IF NOT EXISTS article_stems_ad AFTER DELETE ON articles BEGIN
        DELETE FROM article_stems WHERE rowid = old.id;
    END""",
]

# The search page joins its FTS matches to these few columns of ``articles`` (not to the
# ~10 KB rows), naming the index with ``INDEXED BY`` (see ``web/search_sql.py``).
SEARCH_INDEXES = [
    """CREATE INDEX IF NOT EXISTS idx_articles_search
        ON articles (id, published, section, lang, year)""",
]


def _v2_search_indexes(db: sqlite_utils.Database) -> None:
    """Version 2: the covering index of the search page."""
    for sql in SEARCH_INDEXES:
        db.execute(sql)


def _v3_author_names(db: sqlite_utils.Database) -> None:
    """Version 3: ``articles.author_names``, a JSON list that Datasette facets author by author."""
    db.execute(
        """UPDATE articles SET author_names = (
            SELECT json_group_array(name) FROM (
                SELECT authors.name FROM article_authors
                JOIN authors ON authors.id = article_authors.author_id
                WHERE article_authors.article_id = articles.id
                ORDER BY article_authors.position))"""
    )


# version reached -> function(db); run in order for versions above the stored one
# (all of them for a new archive).
MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], object]] = {
    2: _v2_search_indexes,
    3: _v3_author_names,
    4: migrate_pages,  # every stored body becomes the first row of its captures history
    5: normalize_stored_dates,  # published/updated/written in UTC, the page's text kept
    6: restem_cjk,  # Chinese, Japanese and Korean runs indexed as pairs of characters
}


def schema_version(db: sqlite_utils.Database) -> int:
    """The schema version stored in ``_meta`` (0 for a database without one)."""
    if not db.table("_meta").exists():
        return 0
    row = db.execute("SELECT value FROM _meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create every missing table, column, index, FTS table and trigger; run migrations."""
    stored = schema_version(db)
    if stored > SCHEMA_VERSION:
        raise DatabaseError(
            f"the archive uses schema version {stored}, newer than this article-archive "
            f"({SCHEMA_VERSION}); upgrade article-archive"
        )
    with db.atomic():
        for name, spec in TABLES.items():
            table = db.table(name)
            if table.exists():
                _add_missing_columns(table, spec["columns"])
            else:
                table.create(**spec, if_not_exists=True)
        for name, columns, unique in INDEXES:
            db.table(name).create_index(columns, unique=unique, if_not_exists=True)
        for sql in EXTRA_SQL:
            db.execute(sql)
        if not db.table("articles_fts").exists():
            db.table("articles").enable_fts(
                FTS_COLUMNS, fts_version="FTS5", tokenize=FTS_TOKENIZE, create_triggers=True
            )
            _narrow_fts_update_trigger(db)
        for version in sorted(v for v in MIGRATIONS if v > stored):
            log.info("migrating archive schema to version %d", version)
            MIGRATIONS[version](db)
        db.table("_meta").upsert_all(
            [
                {"key": "application", "value": APP_NAME},
                {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            ],
            pk="key",
        )


def _narrow_fts_update_trigger(db: sqlite_utils.Database) -> None:
    """Re-index only when an indexed column changes, not on every ``last_fetched`` update."""
    columns = ", ".join(FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    db.execute("DROP TRIGGER IF EXISTS articles_au")
    db.execute(
        f"""CREATE TRIGGER articles_au AFTER UPDATE OF {columns} ON articles BEGIN
          INSERT INTO articles_fts (articles_fts, rowid, {columns})
            VALUES ('delete', old.rowid, {old});
          INSERT INTO articles_fts (rowid, {columns}) VALUES (new.rowid, {new});
        END"""
    )


def _add_missing_columns(table: sqlite_utils.db.Table, columns: dict[str, Any]) -> None:
    existing = set(table.columns_dict)
    for column, col_type in columns.items():
        if column not in existing:
            table.add_column(column, col_type)


def open_archive(path: str | Path) -> sqlite_utils.Database:
    """Open (creating or upgrading) the archive at ``path``: WAL, foreign keys, busy timeout."""
    path = Path(path)
    _check_file(path)
    if not path.parent.is_dir():
        raise DatabaseError(f"folder {path.parent} does not exist; create it or give another --db")
    try:
        db = sqlite_utils.Database(path)
    except (OSError, sqlite3.Error) as exc:
        raise DatabaseError(f"cannot open {path}: {exc}") from exc
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _check_ours(db, path)
        db.enable_wal()
        db.execute("PRAGMA foreign_keys = ON")
        ensure_schema(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise DatabaseError(f"{path} is not a usable SQLite database: {exc}") from exc
    except DatabaseError:
        db.close()
        raise
    return db


def sync_per_checkpoint(db: sqlite_utils.Database) -> None:
    """WAL with ``synchronous = NORMAL``: no fsync per commit, for a crawl's many small ones.

    A power cut may lose the last commits (never corrupt the file); the crawl's frontier
    fetches those pages again, each outcome being one transaction.
    """
    db.execute("PRAGMA synchronous = NORMAL")


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a database file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(f"cannot read {path}: {exc}") from exc
    if header != SQLITE_MAGIC:
        raise DatabaseError(f"{path} is not a SQLite database; give another --db path")


def _check_ours(db: sqlite_utils.Database, path: Path) -> None:
    names = set(db.table_names())
    if not names or ("_meta" in names and _application(db) == APP_NAME):
        return
    raise DatabaseError(
        f"{path} is a SQLite database but not an article-archive; give another --db path"
    )


def _application(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT value FROM _meta WHERE key = 'application'").fetchone()
    return row[0] if row else None
