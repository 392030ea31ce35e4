"""Dates stored in UTC: rows given with different offsets sort, filter and facet together."""

from __future__ import annotations

import json

import pytest
import sqlite_utils
from click.testing import CliRunner

from article_archive.cli import cli
from article_archive.store import open_archive, save_article
from article_archive.store.dates import utc_date
from article_archive.store.schema import schema_version
from conftest import make_article


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("2024-01-02T03:30:00+01:00", "2024-01-02T02:30:00Z"),
        ("2024-01-02T02:45:00Z", "2024-01-02T02:45:00Z"),
        ("2024-01-02T01:00:00-02:00", "2024-01-02T03:00:00Z"),
        ("2024-01-02T01:00-0200", "2024-01-02T03:00:00Z"),
        ("2024-01-01T00:30:00.250+01:00", "2023-12-31T23:30:00Z"),
        ("2024-01-02 10:00:00+05:30", "2024-01-02T04:30:00Z"),
        ("2024-01-02", "2024-01-02"),  # a date alone stays a date
        ("2024-01-02T10:00:00", "2024-01-02T10:00:00"),  # no offset: whose clock? kept
        ("2024-02-30T10:00:00Z", "2024-02-30T10:00:00Z"),  # not a day: kept as written
        (None, None),
    ],
)
def test_utc_date(given, stored) -> None:
    assert utc_date(given) == stored


# Newest first in real time: 03:00Z, 02:45Z, 02:30Z; as written they sort the other way.
MIXED = [
    ("https://www.example.org/spip.php?article1", "2024-01-02T03:30:00+01:00"),
    ("https://www.example.org/spip.php?article2", "2024-01-02T02:45:00Z"),
    ("https://www.example.org/spip.php?article3", "2024-01-02T01:00:00-02:00"),
]
NEWEST_FIRST = [MIXED[2][0], MIXED[1][0], MIXED[0][0]]


def save_mixed(db: sqlite_utils.Database) -> None:
    for number, (url, published) in enumerate(MIXED, start=1):
        save_article(
            db,
            make_article(url=url, spip_id=number, published=published, title=f"Grève {number}"),
        )


def exported(db_path, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["export", "--format", "json", "--db", str(db_path), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_mixed_offsets_sort_in_real_time_and_keep_the_pages_text(tmp_path) -> None:
    db = open_archive(tmp_path / "archive.db")
    save_mixed(db)
    rows = {r["url"]: r for r in db.query("SELECT url, published, dates_as_given FROM articles")}
    db.close()
    assert rows[MIXED[0][0]]["published"] == "2024-01-02T02:30:00Z"
    assert json.loads(rows[MIXED[0][0]]["dates_as_given"]) == {"published": MIXED[0][1]}
    assert rows[MIXED[1][0]]["dates_as_given"] is None  # already UTC: nothing to keep
    db_path = tmp_path / "archive.db"
    assert [r["url"] for r in exported(db_path, "--sort", "newest")] == NEWEST_FIRST
    assert [r["url"] for r in exported(db_path, "--sort", "oldest")] == NEWEST_FIRST[::-1]
    searched = exported(db_path, "--search", "grève", "--sort", "newest")
    assert [r["url"] for r in searched] == NEWEST_FIRST


def test_year_and_date_filters_agree_on_a_new_years_eve_article(tmp_path) -> None:
    db = open_archive(tmp_path / "archive.db")
    url = "https://www.example.org/spip.php?article9"
    save_article(db, make_article(url=url, published="2024-01-01T00:30:00+01:00"))
    year = db.execute("SELECT year FROM articles").fetchone()[0]
    db.close()
    assert year == 2023
    db_path = tmp_path / "archive.db"
    assert [r["url"] for r in exported(db_path, "--year", "2023")] == [url]
    assert [r["url"] for r in exported(db_path, "--to", "2023-12-31")] == [url]
    assert exported(db_path, "--from", "2024-01-01") == []


def test_the_same_page_again_is_unchanged(tmp_path) -> None:
    db = open_archive(tmp_path / "archive.db")
    article = make_article(published="2024-01-02T03:30:00+01:00", updated="2024-01-03T08:00+01:00")
    _, first = save_article(db, article)
    _, again = save_article(db, article)
    _, reextracted = save_article(db, article, reextract=True)
    db.close()
    assert (first, again, reextracted) == ("new", "unchanged", "unchanged")


def test_migration_puts_stored_dates_in_utc(tmp_path) -> None:
    path = tmp_path / "archive.db"
    db = open_archive(path)
    save_mixed(db)
    # An archive of version 4 held the dates as the pages wrote them.
    for url, published in MIXED:
        db.execute(
            "UPDATE articles SET published = ?, written = ?, dates_as_given = NULL, year = ? "
            "WHERE url = ?",
            [published, "2023-12-31T23:30:00-01:00", int(published[:4]), url],
        )
    db.execute("UPDATE _meta SET value = '4' WHERE key = 'schema_version'")
    db.close()
    db = open_archive(path)
    assert schema_version(db) == 6
    rows = {
        r["url"]: r
        for r in db.query("SELECT url, published, written, year, dates_as_given FROM articles")
    }
    db.close()
    first = rows[MIXED[0][0]]
    assert (first["published"], first["written"]) == (
        "2024-01-02T02:30:00Z",
        "2024-01-01T00:30:00Z",
    )
    assert json.loads(first["dates_as_given"]) == {
        "published": MIXED[0][1],
        "written": "2023-12-31T23:30:00-01:00",
    }
    assert [r["url"] for r in exported(path, "--sort", "newest")] == NEWEST_FIRST
