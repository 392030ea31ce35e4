"""The archive schema: tables, constraints, indexes, FTS, versions, opening files."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils

from article_archive.errors import DatabaseError
from article_archive.store import ensure_schema, open_archive, save_article
from article_archive.store.schema import SCHEMA_VERSION, TABLES, schema_version
from conftest import make_article

EXPECTED_TABLES = {
    "_meta",
    "articles",
    "authors",
    "article_authors",
    "keywords",
    "article_keywords",
    "footnotes",
    "revisions",
    "pages",
    "feeds",
    "frontier",
    "crawls",
    "articles_fts",
    "article_stems",
}


def test_open_archive_creates_every_table(tmp_path) -> None:
    # The folder must exist: nothing creates missing folders silently (issue 13).
    (tmp_path / "sub" / "folder").mkdir(parents=True)
    db = open_archive(tmp_path / "sub" / "folder" / "a.db")
    assert set(db.table_names()) >= EXPECTED_TABLES
    assert (tmp_path / "sub" / "folder" / "a.db").exists()
    db.close()


def test_open_archive_refuses_a_missing_folder(tmp_path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        open_archive(tmp_path / "sub" / "a.db")
    assert not (tmp_path / "sub").exists()


def test_pragmas(archive) -> None:
    assert archive.journal_mode == "wal"
    assert archive.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert archive.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_articles_columns_and_constraints(archive) -> None:
    columns = archive["articles"].columns_dict
    for name in ("url", "title", "section_path", "toc", "translations", "content_hash", "year"):
        assert name in columns
    assert columns["spip_id"] is int and columns["year"] is int
    with pytest.raises(sqlite3.IntegrityError):
        archive["articles"].insert({"url": "https://x.org/a"})  # no title
    archive["articles"].insert({"url": "https://x.org/a", "title": "A"})
    with pytest.raises(sqlite3.IntegrityError):
        archive["articles"].insert({"url": "https://x.org/a", "title": "B"})


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("articles", ["url"]),
        ("pages", ["url"]),
        ("feeds", ["url"]),
        ("frontier", ["url"]),
        ("keywords", ["name"]),
    ],
)
def test_unique_indexes(archive, table: str, columns: list[str]) -> None:
    unique = [i.columns for i in archive[table].indexes if i.unique and i.origin == "c"]
    assert columns in unique


def test_authors_unique_on_name_and_url_even_without_url(archive) -> None:
    archive["authors"].insert({"name": "Ana", "url": None})
    archive["authors"].insert({"name": "Ana", "url": "https://x.org/ana"})
    with pytest.raises(sqlite3.IntegrityError):
        archive["authors"].insert({"name": "Ana", "url": None})


def test_facet_and_frontier_indexes(archive) -> None:
    indexed = {tuple(i.columns) for i in archive["articles"].indexes}
    for column in ("published", "section", "lang", "year", "site"):
        assert (column,) in indexed
    assert ("state", "next_try") in {tuple(i.columns) for i in archive["frontier"].indexes}


def test_foreign_keys_cascade_from_articles(archive) -> None:
    fks = {
        (fk.table, fk.column, fk.other_table, fk.on_delete)
        for name in ("article_authors", "article_keywords", "footnotes", "revisions", "pages")
        for fk in archive[name].foreign_keys
    }
    for table in ("article_authors", "article_keywords", "footnotes", "revisions"):
        assert (table, "article_id", "articles", "CASCADE") in fks
    assert ("pages", "article_id", "articles", "SET NULL") in fks


def test_fts_tables_use_folded_unicode_tokenizer(archive) -> None:
    for name in ("articles_fts", "article_stems"):
        assert "remove_diacritics 2" in archive[name].schema
    assert {"articles_ai", "articles_ad", "articles_au", "article_stems_ad"} <= {
        t.name for t in archive["articles"].triggers
    }


def test_fts_update_trigger_only_watches_indexed_columns(archive) -> None:
    [trigger] = [t for t in archive["articles"].triggers if t.name == "articles_au"]
    assert "AFTER UPDATE OF title, lead, body_text, authors_text ON articles" in trigger.sql


def test_schema_version_and_idempotent_reopen(tmp_path) -> None:
    path = tmp_path / "a.db"
    open_archive(path).close()
    db = open_archive(path)
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("SELECT count(*) FROM _meta").fetchone()[0] == 2
    db.close()


def test_missing_columns_are_added_on_open(tmp_path) -> None:
    path = tmp_path / "a.db"
    db = open_archive(path)
    db.execute("ALTER TABLE feeds DROP COLUMN error")
    assert "error" not in db["feeds"].columns_dict
    ensure_schema(db)
    assert "error" in db["feeds"].columns_dict
    db.close()


def test_every_declared_table_exists(archive) -> None:
    for name, spec in TABLES.items():
        assert set(spec["columns"]) == set(archive[name].columns_dict), name


def test_not_sqlite_file_is_a_database_error(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("just some text, not a database\n")
    with pytest.raises(DatabaseError, match="not a SQLite database"):
        open_archive(path)


def test_someone_elses_sqlite_file_is_refused(tmp_path) -> None:
    path = tmp_path / "other.db"
    other = sqlite_utils.Database(path)
    other["dogs"].insert({"name": "Cleo"})
    other.close()
    with pytest.raises(DatabaseError, match="not an article-archive"):
        open_archive(path)


def test_newer_schema_is_refused(tmp_path) -> None:
    path = tmp_path / "a.db"
    db = open_archive(path)
    db.execute("UPDATE _meta SET value = '999' WHERE key = 'schema_version'")
    db.close()
    with pytest.raises(DatabaseError, match="newer"):
        open_archive(path)


def test_folder_path_is_a_database_error(tmp_path) -> None:
    with pytest.raises(DatabaseError, match="folder"):
        open_archive(tmp_path)


def test_error_messages_are_one_line(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"\x00" * 200)
    with pytest.raises(DatabaseError) as info:
        open_archive(path)
    assert "\n" not in str(info.value)


def test_datasette_finds_the_fts_table_for_search(archive) -> None:
    from datasette.utils import detect_fts

    assert detect_fts(archive.conn, "articles") == "articles_fts"


def test_search_index_on_new_archives(archive) -> None:
    indexes = {i.name: i.columns for i in archive["articles"].indexes}
    assert indexes["idx_articles_search"] == ["id", "published", "section", "lang", "year"]


def test_version_1_archive_is_migrated_to_the_search_index(tmp_path) -> None:
    path = tmp_path / "a.db"
    db = open_archive(path)
    db.execute("DROP INDEX idx_articles_search")
    db.execute("UPDATE _meta SET value = '1' WHERE key = 'schema_version'")
    db.close()
    db = open_archive(path)
    assert schema_version(db) == SCHEMA_VERSION == 6
    assert "idx_articles_search" in {i.name for i in db["articles"].indexes}
    db.close()


def test_version_2_archive_gets_author_names_for_the_facet(tmp_path) -> None:
    path = tmp_path / "a.db"
    db = open_archive(path)
    save_article(db, make_article(authors=[{"name": "B", "url": None}, {"name": "A", "url": None}]))
    db.execute("UPDATE articles SET author_names = NULL")
    db.execute("UPDATE _meta SET value = '2' WHERE key = 'schema_version'")
    db.close()
    db = open_archive(path)
    assert schema_version(db) == 6
    assert json.loads(db.execute("SELECT author_names FROM articles").fetchone()[0]) == ["B", "A"]
    db.close()
