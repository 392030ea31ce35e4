"""The million-article bench's generator, small: its archive is one the store and search read.

``bench/million_load.py`` writes the store's rows in bulk rather than through the store's write
path; these checks keep that from drifting away from what the store writes (schema, stems,
page bodies, links) without anyone noticing, on 200 articles built in-process.
"""

from __future__ import annotations

import sqlite3
import sys
import zlib
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import million
import million_load
from article_archive.search import search_ids
from article_archive.store import open_archive
from article_archive.store.read import load_article
from article_archive.store.schema import SCHEMA_VERSION, schema_version
from article_archive.store.stemming import stem_text

COUNT = 200


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, million.Pools]:
    path = tmp_path_factory.mktemp("million") / "archive.db"
    stats = million_load.build(path, COUNT, workers=1, progress=lambda _: None)
    return path, stats, million.build_pools(million.SEED, million.pool_limit(COUNT))


@pytest.fixture
def conn(built):
    connection = sqlite3.connect(built[0])
    yield connection
    connection.close()


def test_the_store_opens_it_as_a_current_archive(built):
    db = open_archive(built[0])
    try:
        assert schema_version(db) == SCHEMA_VERSION
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (COUNT,)
    finally:
        db.close()
    assert built[1]["articles"] == COUNT
    assert built[1]["fts_bytes"]["articles_fts"] > 0


def test_the_read_door_gives_back_each_generated_article(built, conn):
    pools = built[2]
    for number in (1, 57, COUNT):
        made = million.make_article(pools, number)
        record = load_article(conn, number)
        assert record is not None
        assert record["title"] == made["title"]
        assert record["body_text"] == made["body_text"]
        assert record["section"] == made["section"]
        assert [a["name"] for a in record["authors"]] == [a["name"] for a in made["authors"]]
        assert sorted(record["keywords"]) == sorted(made["keywords"])
        assert len(record["footnotes"]) == len(made["footnotes"])


def test_the_stems_are_those_the_store_writes(conn):
    rows = conn.execute(
        "SELECT a.lang, a.title, a.lead, a.body_text, a.authors_text, s.title, s.lead, s.body, "
        "s.authors FROM articles a JOIN article_stems s ON s.rowid = a.id"
    ).fetchall()
    assert len(rows) == COUNT
    for lang, title, lead, body, authors, *stems in rows:
        expected = [stem_text(t, lang) for t in (title, lead, body)] + [stem_text(authors, None)]
        assert stems == expected


def test_each_article_has_its_page_and_capture(built, conn):
    made = million.make_article(built[2], 9)
    page = conn.execute(
        "SELECT p.body, p.article_id, p.capture_id, c.body FROM articles a "
        "JOIN pages p ON p.id = a.page_id JOIN captures c ON c.id = a.capture_id WHERE a.id = 9"
    ).fetchone()
    assert zlib.decompress(page[0]).decode("utf-8") == million.page_html(made)
    assert page[1] == 9 and page[2] == 9 and page[3] == page[0]


def test_the_search_engine_finds_words_stemmed_and_cjk(conn):
    nuclear = [
        r[0] for r in conn.execute("SELECT id FROM articles WHERE body_text LIKE '%nucléaire %'")
    ]
    assert nuclear
    assert set(nuclear) <= set(search_ids(conn, "nucléaires"))
    cjk = conn.execute("SELECT id, title FROM articles WHERE lang IN ('zh', 'ja')").fetchall()
    assert cjk, "about 1 % of the articles are Chinese or Japanese"
    article_id, title = cjk[0]
    assert article_id in search_ids(conn, title[:3])
