"""How a search runs: operators, one MATCH per statement, ties, dates, the in-memory facet data
and its invalidation, archives without the search index, sparse ids."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from article_archive.search import archive_facts, compiler, engine, facets
from article_archive.search.language import parse_query
from article_archive.search.request import SearchRequest
from article_archive.store import open_archive, save_article
from conftest import make_article


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    archive_facts.clear()


def _article(n: int, **fields: object) -> dict:
    return make_article(url=f"https://www.example.org/spip.php?article{n}", spip_id=n, **fields)


def _archive(path: Path, articles: list[dict]) -> Path:
    db = open_archive(path)
    for art in articles:
        save_article(db, art)
    db.close()
    return path


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def _search(conn: sqlite3.Connection, q: str = "", **args: str) -> dict:
    req = SearchRequest.from_args({"q": q, **args})
    compiled = compiler.compile_search(req, parse_query(req.q), archive_facts.languages(conn))
    matches = engine.match_ids(conn, compiled)
    return {
        "compiled": compiled,
        "total": len(matches),
        "ids": engine.ordered_ids(conn, compiled, req.sort, 20, 0),
        "all": engine.ordered_ids(conn, compiled, req.sort),
        "facets": facets.facets(conn, matches),
    }


# ---------------------------------------------------------------------------- operators


def test_words_and_exclusions_fold_into_one_match() -> None:
    req = SearchRequest(q="grève salaires -retraites NOT Japon")
    c = compiler.compile_search(req, parse_query(req.q), ["fr"])
    assert c.table == "article_stems" and c.conds == [] and c.rank_on_driver
    assert c.match == (
        '(("grev" OR "greve") AND ("salair" OR "salaires")) '
        'NOT (("retrait" OR "retraites") OR ("japon"))'
    )


def test_phrases_drive_from_the_unstemmed_index() -> None:
    req = SearchRequest(q='"salaire minimum" -"la grève"')
    c = compiler.compile_search(req, parse_query(req.q), ["fr"])
    assert (c.table, c.match) == ("articles_fts", '"salaire minimum" NOT "la grève"')
    assert c.rank_on_driver


def test_mixed_groups_rank_apart() -> None:
    req = SearchRequest(q='grève OR "salaire minimum"', section="Europe")
    c = compiler.compile_search(req, parse_query(req.q), ["fr"])
    assert c.table is None and not c.rank_on_driver and c.joins_articles
    assert c.rank_table == "article_stems"


# ---------------------------------------------------------------------------- archives


@pytest.fixture
def small(tmp_path: Path) -> Path:
    common = "La grève des dockers continue sur le port."
    arts = [
        _article(1, title="Grève au port", lead=common, published="2023-06-30T23:00:00"),
        _article(2, title="Grève au port", lead=common, published="2023-07-01"),
        _article(3, title="Grève au port", lead=common, published=None),
        _article(4, title="Salaires", lead="Rien à voir.", published="2023-06-01", section="B"),
        _article(
            5,
            title="Port",
            lead="The port is busy.",
            published="2022-01-01",
            lang="en",
            section=None,
        ),
    ]
    return _archive(tmp_path / "small.db", arts)


def test_equal_scores_are_newest_first(small: Path) -> None:
    conn = _connect(small)
    found = _search(conn, "grève")
    assert found["ids"][:3] == [2, 1, 3]  # same score: by date, no date last
    assert found["all"] == found["ids"]
    for offset in range(4):  # one per page: the tie crosses every page boundary
        compiled = found["compiled"]
        assert (
            engine.ordered_ids(conn, compiled, "relevance", 1, offset)
            == found["ids"][offset : offset + 1]
        )


def test_date_range_bounds(small: Path) -> None:
    conn = _connect(small)
    assert set(_search(conn, to="2023-06")["all"]) == {1, 4, 5}
    assert set(_search(conn, to="2023-06-30")["all"]) == {1, 4, 5}
    assert set(_search(conn, **{"from": "2023-07"})["all"]) == {2}
    assert set(_search(conn, **{"from": "2023", "to": "2023"})["all"]) == {1, 2, 4}
    assert set(_search(conn, "port", to="2022")["all"]) == {5}


def test_facets_counted_from_memory(small: Path) -> None:
    conn = _connect(small)
    facets = _search(conn, "port")["facets"]
    assert facets["section"] == [{"value": "ÉTATS NUCLÉAIRES", "label": "ÉTATS NUCLÉAIRES", "n": 3}]
    assert facets["lang"] == [
        {"value": "fr", "label": "fr", "n": 3},
        {"value": "en", "label": "en", "n": 1},
    ]
    assert [r["value"] for r in facets["year"]] == [2023, 2022]
    assert facets["author"][0]["label"] == "HAYASHI Noriko" and facets["author"][0]["n"] == 4


def test_facet_data_follows_the_archive(small: Path) -> None:
    conn = _connect(small)
    assert _search(conn, "port")["total"] == 4
    db = open_archive(small)
    author = {"name": "NEW Author", "url": None}
    save_article(db, _article(6, title="Le port", section="Neuf", authors=[author]))
    db.close()
    conn = _connect(small)
    found = _search(conn, "port")
    assert found["total"] == 5
    assert {"value": "Neuf", "label": "Neuf", "n": 1} in found["facets"]["section"]
    assert "NEW Author" in {r["label"] for r in found["facets"]["author"]}
    assert "en" in archive_facts.languages(conn)


def test_article_newer_than_the_facet_data_is_skipped(small: Path) -> None:
    conn = _connect(small)
    data = archive_facts.facet_data(conn)
    assert data.combo_of(10_000) == 0 and data.authors_of(10_000) == ()


def test_archive_without_search_index(small: Path) -> None:
    conn = _connect(small)
    before = {k: _search(conn, "grève", **{"from": "2023"})[k] for k in ("ids", "facets")}
    raw = sqlite3.connect(small)
    raw.execute("DROP INDEX idx_articles_search")
    raw.commit()
    raw.close()
    conn = _connect(small)
    assert not archive_facts.has_search_index(conn)
    after = {k: _search(conn, "grève", **{"from": "2023"})[k] for k in ("ids", "facets")}
    assert after == before


def test_sparse_ids(tmp_path: Path) -> None:
    path = _archive(tmp_path / "sparse.db", [_article(1, title="Grève")])
    db = open_archive(path)
    db.execute("INSERT INTO articles (id, url, title, section) VALUES (9000000, 'u', 'Grève', 'Z')")
    db.close()
    conn = _connect(path)
    found = _search(conn, "")
    assert isinstance(archive_facts.facet_data(conn).combo, dict)
    assert {r["value"]: r["n"] for r in found["facets"]["section"]} == {
        "ÉTATS NUCLÉAIRES": 1,
        "Z": 1,
    }


def test_memory_database_is_not_cached() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE articles (id INTEGER PRIMARY KEY, lang TEXT)")
    conn.execute("INSERT INTO articles (lang) VALUES ('fr')")
    assert archive_facts.languages(conn) == ["fr"]
    conn.execute("INSERT INTO articles (lang) VALUES ('de')")
    assert sorted(archive_facts.languages(conn)) == ["de", "fr"]


# ---------------------------------------------------------------------------- sections


def test_a_section_holds_its_sub_rubrics(tmp_path: Path) -> None:
    path = _archive(
        tmp_path / "nested.db",
        [
            _article(1, title="Grève", section="Asie", section_path=["Asie"]),
            _article(2, title="Grève", section="Japon", section_path=["Asie", "Japon"]),
            _article(3, title="Grève", section="Japon", section_path=["Europe", "Japon"]),
            _article(4, title="Grève", section="Japon", section_path=[]),
            _article(5, title="Grève", section=None, section_path=["Asie", "Corée"]),
            _article(6, title="Grève", section="Asie", section_path=[]),
        ],
    )
    conn = _connect(path)
    expected = {"Asie": {1, 2, 5, 6}, "Japon": {2, 3, 4}, "Europe": {3}, "Corée": {5}, "X": set()}
    for section, ids in expected.items():
        req = SearchRequest(section=section)
        assert set(engine.matching_ids(conn, req)) == ids  # with the archive's section tree
        without_tree = compiler.compile_search(req, parse_query(""), ["fr"])
        assert set(engine.ordered_ids(conn, without_tree, "newest")) == ids
    assert set(_search(conn, "grève", section="Asie")["all"]) == {1, 2, 5, 6}
    assert archive_facts.section_tree(conn)["Asie"] == {"Japon", None}
