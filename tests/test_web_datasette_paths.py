"""Datasette's own paths on an archive: stemmed table search, complete CSV, bounded SQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bs4 import BeautifulSoup
from datasette.app import Datasette

from article_archive.store import open_archive, save_article
from article_archive.web.serve import SETTINGS, make_datasette
from conftest import make_article
from fixtures.web_articles import row_id

ENDLESS = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
    "SELECT count(*) FROM c WHERE x < 0"
)


async def _search_page_titles(ds: Datasette, q: str) -> set[str]:
    response = await ds.client.get("/archive/search", params={"q": q})
    doc = BeautifulSoup(response.text, "html.parser")
    return {a.get_text() for a in doc.select(".aa-card-title a")}


async def _table_titles(ds: Datasette, q: str) -> set[str]:
    response = await ds.client.get(
        "/archive/articles.json", params={"_search": q, "_shape": "objects", "_size": "max"}
    )
    assert response.status_code == 200, response.text[:500]
    return {row["title"] for row in response.json()["rows"]}


async def test_table_search_is_stemmed_like_the_search_page(ds: Datasette) -> None:
    for q in ("nucléaires", "nucleaire", "strike", "nucléaire -Fukushima", "retraites OR plastic"):
        expected = await _search_page_titles(ds, q)
        assert expected, q
        assert await _table_titles(ds, q) == expected, q
    assert "Le débat revient au Parlement" in await _table_titles(ds, "nucléaires")


async def test_table_search_html_page_and_bad_input(ds: Datasette) -> None:
    response = await ds.client.get("/archive/articles", params={"_search": "nucléaires"})
    assert response.status_code == 200
    assert "Le débat revient au Parlement" in response.text
    assert "col-title" in response.text and "col-body_html" not in response.text
    chosen = await ds.client.get("/archive/articles?_search=nucléaires&_col=body_html")
    assert "col-body_html" in chosen.text
    data = (await ds.client.get("/archive/articles.json?_search=nucléaires&_shape=objects")).json()
    assert data["rows"] and all("body_html" in row for row in data["rows"])
    for q in ('"', "AND(", "((( ) -", "*", "-nucléaire"):
        response = await ds.client.get("/archive/articles.json", params={"_search": q})
        assert response.status_code == 200, (q, response.text[:300])


async def test_table_search_skips_facets_unless_asked(ds: Datasette) -> None:
    extra = "&_extra=facet_results,suggested_facets"
    searched = (await ds.client.get("/archive/articles.json?_search=nucleaire" + extra)).json()
    assert searched.get("suggested_facets", []) == []
    assert not searched.get("facet_results")
    asked = await ds.client.get("/archive/articles.json?_search=nucleaire&_facet=lang" + extra)
    assert {"lang"} <= set(asked.json()["facet_results"])
    browsing = (await ds.client.get("/archive/articles.json?_size=1" + extra)).json()
    assert {"section", "author_names", "lang", "year"} <= set(browsing["facet_results"])
    assert browsing.get("suggested_facets", []) == []


def _big_archive(path: Path, count: int) -> Path:
    db = open_archive(path)
    for n in range(count):
        body = f"Paragraphe {n}. " + "Les salaires et les grèves. " * 2000  # ~56 KB each
        save_article(db, make_article(url=f"https://example.org/{n}", spip_id=n, body_text=body))
    db.close()
    return path


async def test_csv_stream_gives_every_row_past_the_size_cap(tmp_path: Path) -> None:
    path = _big_archive(tmp_path / "big.db", 40)  # ~2.3 MB of CSV
    url = "/big/articles.csv?_stream=on&_size=max"
    capped = Datasette([str(path)], settings={**SETTINGS, "max_csv_mb": 1})
    text = (await capped.client.get(url)).text
    assert "CSV contains more than" in text  # Datasette's own cap would cut this export
    ours = make_datasette(path)
    response = await ours.client.get(url)
    assert response.status_code == 200
    assert "CSV contains more than" not in response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 40
    assert sorted(int(r["spip_id"]) for r in rows) == list(range(40))
    frontier = await ours.client.get("/big/frontier.csv?_stream=on")
    assert frontier.status_code == 200


async def test_visitor_sql_is_cut_but_our_pages_answer(archive_path: Path) -> None:
    ds = make_datasette(archive_path)
    response = await ds.client.get("/archive.json", params={"sql": ENDLESS})
    assert response.status_code == 400
    assert "too long" in response.text or "interrupted" in response.text
    # Even with a limit far below their cost, our pages never meet it (they use execute_fn).
    tight = Datasette([str(archive_path)], settings={**SETTINGS, "sql_time_limit_ms": 1})
    await tight.invoke_startup()
    art = await row_id(tight, 110)
    for url in ("/", "/archive/search?q=nucléaires", f"/archive/articles/{art}/read"):
        assert (await tight.client.get(url)).status_code == 200, url
    response = await tight.client.get("/archive.json", params={"sql": ENDLESS})
    assert response.status_code == 400
