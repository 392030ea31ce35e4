"""Several archives of several sites served together: one front page, one search, site filters."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from datasette.app import Datasette

from article_archive.cli import cli
from article_archive.store import open_archive, save_article
from article_archive.web.serve import make_datasette
from conftest import make_article

ATOM = "{http://www.w3.org/2005/Atom}"
SITES = {
    "alpha": ("alpha.example.org", ["Grève des dockers", "Les dockers reprennent le travail"]),
    "beta": ("beta.example.net", ["La grève s'étend aux ports", "Budget des hôpitaux"]),
}


def _archive(path: Path, sites: list[tuple[str, list[str]]]) -> Path:
    db = open_archive(path)
    n = 0
    for site, titles in sites:
        for title in titles:
            n += 1
            art = make_article(
                url=f"https://{site}/spip.php?article{n}",
                site=site,
                spip_id=n,
                title=title,
                lead=title,
                body_text=title,
                published=f"2024-01-{n:02d}",
                keywords=[],
            )
            save_article(db, art)
    db.close()
    return path


@pytest.fixture
async def two(tmp_path: Path) -> Datasette:
    a = _archive(tmp_path / "alpha.db", [SITES["alpha"]])
    b = _archive(tmp_path / "beta.db", [SITES["beta"]])
    ds = make_datasette(a, b)
    await ds.invoke_startup()
    return ds


def _doc(response) -> BeautifulSoup:
    assert response.status_code == 200, response.text[:800]
    return BeautifulSoup(response.text, "html.parser")


def _facet(doc: BeautifulSoup, title: str) -> dict[str, str]:
    for section in doc.select(".aa-facets section"):
        if section.h2 and section.h2.get_text(strip=True) == title:
            return {
                li.a.get_text(strip=True): li.span.get_text(strip=True)
                for li in section.select("li")
            }
    return {}


async def test_front_page_lists_both_archives_and_sites(two: Datasette) -> None:
    doc = _doc(await two.client.get("/"))
    block = doc.select_one(".aa-archives")
    assert block is not None
    links = {a.get_text(strip=True): a["href"] for a in block.select("li > a")}
    assert links["alpha.example.org"] == "/alpha/site/alpha.example.org"
    assert links["beta.example.net"] == "/beta/site/beta.example.net"
    assert block.form["action"] == "/-/search"


async def test_one_search_finds_both_with_a_site_facet(two: Datasette) -> None:
    doc = _doc(await two.client.get("/-/search", params={"q": "grèves"}))
    cards = {a.get_text(): a["href"] for a in doc.select(".aa-card-title a")}
    assert set(cards) == {"Grève des dockers", "La grève s'étend aux ports"}
    assert cards["Grève des dockers"].startswith("/alpha/articles/")
    assert cards["La grève s'étend aux ports"].startswith("/beta/articles/")
    assert _facet(doc, "Site") == {"alpha.example.org": "1", "beta.example.net": "1"}
    narrowed = _doc(
        await two.client.get("/-/search", params={"q": "grève", "site": "beta.example.net"})
    )
    assert [a.get_text() for a in narrowed.select(".aa-card-title a")] == [
        "La grève s'étend aux ports"
    ]


async def test_site_list_and_feed_filter(tmp_path: Path) -> None:
    both = _archive(tmp_path / "both.db", list(SITES.values()))
    ds = make_datasette(both)
    doc = _doc(await ds.client.get("/both/site/beta.example.net"))
    titles = {a.get_text() for a in doc.select(".aa-card-title a")}
    assert titles == set(SITES["beta"][1])
    assert (await ds.client.get("/both/site/gamma.example.com")).status_code == 404
    search = _doc(await ds.client.get("/both/search", params={"q": "grève"}))
    assert _facet(search, "Site") == {"alpha.example.org": "1", "beta.example.net": "1"}
    feed = await ds.client.get("/both/feed.atom", params={"site": "alpha.example.org"})
    root = ET.fromstring(feed.content)
    entry_titles = {e.findtext(ATOM + "title") for e in root.iter(ATOM + "entry")}
    assert entry_titles == set(SITES["alpha"][1])
    front = _doc(await ds.client.get("/"))
    assert front.select_one(".aa-archives") is not None  # one archive, two sites


def test_cli_export_site(tmp_path: Path) -> None:
    both = _archive(tmp_path / "both.db", list(SITES.values()))
    result = CliRunner().invoke(
        cli, ["export", "--db", str(both), "--site", "alpha.example.org", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert {r["title"] for r in json.loads(result.output)} == set(SITES["alpha"][1])
