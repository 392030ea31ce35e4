"""The plugin inside someone's Datasette: other databases untouched, their metadata first,
the articles table page short, the file downloadable when served read-only."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bs4 import BeautifulSoup
from datasette.app import Datasette

from article_archive.web.integration import HIDDEN_COLUMNS
from article_archive.web.serve import make_datasette


def _unrelated(tmp_path: Path) -> Path:
    path = tmp_path / "birds.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE sightings (id INTEGER PRIMARY KEY, bird TEXT)")
        conn.execute("INSERT INTO sightings (bird) VALUES ('heron')")
    return path


async def test_an_unrelated_database_keeps_datasettes_own_pages(tmp_path: Path) -> None:
    ds = Datasette([str(_unrelated(tmp_path))])
    await ds.invoke_startup()
    home = await ds.client.get("/")
    assert home.status_code == 200
    doc = BeautifulSoup(home.text, "html.parser")
    assert doc.select_one('a[href="/birds"]')  # Datasette's index lists the database
    assert "aa-" not in home.text and "article-archive" not in home.text
    meta = (await ds.client.get("/-/metadata.json")).json()
    assert meta == {}
    missing = await ds.client.get("/no/such/page")
    assert missing.status_code == 404 and "aa-error" not in missing.text
    table = await ds.client.get("/birds/sightings")
    assert table.status_code == 200 and "heron" in table.text


async def test_a_users_metadata_wins_over_ours(archive_path: Path) -> None:
    ds = Datasette(
        [str(archive_path)],
        metadata={"title": "Mes archives", "description": "Les miennes, rien qu’à moi"},
    )
    await ds.invoke_startup()
    meta = (await ds.client.get("/-/metadata.json")).json()
    assert meta["title"] == "Mes archives"
    assert meta["description"] == "Les miennes, rien qu’à moi"
    assert meta["databases"]["archive"]["tables"]["articles"]["label_column"] == "title"
    front = BeautifulSoup((await ds.client.get("/")).text, "html.parser")
    assert front.select_one("a.aa-brand").get_text() == "Mes archives"
    assert front.title.get_text().endswith("· Mes archives")


async def test_the_articles_table_page_hides_its_long_columns(ds: Datasette) -> None:
    response = await ds.client.get("/archive/articles")
    assert response.status_code == 200
    doc = BeautifulSoup(response.text, "html.parser")
    headers = {th.get("data-column") for th in doc.select("th[data-column]")}
    assert {"title", "section", "published"} <= headers
    assert not headers & set(HIDDEN_COLUMNS)
    link = next(a for a in doc.select("a") if a.get_text() == "show every column")
    everything = BeautifulSoup((await ds.client.get(f"/archive/articles{link['href']}")).text,
                               "html.parser")  # fmt: skip
    shown = {th.get("data-column") for th in everything.select("th[data-column]")}
    assert set(HIDDEN_COLUMNS) <= shown
    assert {"gone", "capture_id", "failed_checks"} <= shown  # every column, listed or not
    one = await ds.client.get("/archive/articles?_nocol=url")
    kept = {th.get("data-column") for th in BeautifulSoup(one.text, "html.parser").select("th")}
    assert "body_text" in kept and "url" not in kept  # the user's own choice is kept
    api = (await ds.client.get("/archive/articles.json?_shape=objects&_size=1")).json()
    assert "body_html" in api["rows"][0]  # the API keeps every column


async def test_the_file_downloads_when_served_read_only(archive_path: Path) -> None:
    ds = make_datasette(archive_path, immutable=True)
    await ds.invoke_startup()
    response = await ds.client.get("/archive.db")
    assert response.status_code == 200
    assert response.content[:16] == b"SQLite format 3\x00"
    page = await ds.client.get("/archive")
    assert re.search(r'href="/archive\.db"', page.text)


async def test_a_writable_archive_is_not_downloadable(ds: Datasette) -> None:
    response = await ds.client.get("/archive.db")
    assert response.status_code == 403
    assert "aa-error" in response.text  # our page, with a way home
