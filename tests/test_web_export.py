"""Exports (CSV, Excel CSV, JSON, JSONL), article downloads and Atom feeds."""

from __future__ import annotations

import csv
import io
import json

import feedparser
import pytest
from datasette.app import Datasette

from fixtures.web_articles import ALL
from fixtures.web_articles import row_id as _id


async def test_csv_of_the_whole_archive(ds: Datasette) -> None:
    response = await ds.client.get("/archive/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert not response.text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(ALL)
    assert {r["url"] for r in rows} == {a["url"] for a in ALL}
    fukushima = next(r for r in rows if r["url"].endswith("article101"))
    # The one CSV flattening of the record, as `export` writes it (names may hold commas).
    assert fukushima["authors"] == "HAYASHI Noriko; ROUSSET Pierre"
    assert fukushima["reader_url"].endswith(f"/archive/articles/{fukushima['id']}/read")
    assert "\u00a0août" in fukushima["body_text"]


async def test_csv_of_a_search(ds: Datasette) -> None:
    response = await ds.client.get("/archive/export.csv?q=nucl%C3%A9aires")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["title"] for r in rows} == {
        "Le débat revient au Parlement",
        "Fukushima : douze ans après, l’eau contaminée rejetée dans l’océan",
    }


async def test_excel_csv_starts_with_a_bom(ds: Datasette) -> None:
    response = await ds.client.get("/archive/export.csv?q=gr%C3%A8ve&excel=1")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2


async def test_json_and_jsonl(ds: Datasette) -> None:
    data = (await ds.client.get("/archive/export.json")).json()
    assert len(data) == len(ALL)
    lines = (await ds.client.get("/archive/export.jsonl?section=Social")).text.splitlines()
    records = [json.loads(line) for line in lines]
    assert {r["title"] for r in records} == {
        "Retraites : la mobilisation continue",
        "Grève générale en Grèce",
    }
    assert (await ds.client.get("/archive/export.json?q=%2A")).json() == []


async def test_datasette_table_exports_still_work(ds: Datasette) -> None:
    response = await ds.client.get("/archive/articles.csv?_stream=on&_size=max")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(ALL)


async def test_article_markdown(ds: Datasette) -> None:
    art = await _id(ds, 101)
    response = await ds.client.get(f"/archive/articles/{art}.md")
    assert response.headers["content-type"].startswith("text/markdown")
    text = response.text
    assert text.startswith("---\n")
    assert "# Fukushima : douze ans après" in text
    assert "## Un rejet contesté" in text
    assert "[^1]" in text and "[^1]: Tokyo Electric Power Company." in text
    assert 'authors: "HAYASHI Noriko, ROUSSET Pierre"' in text


async def test_article_json_has_the_spec_fields(ds: Datasette) -> None:
    art = await _id(ds, 101)
    record = (await ds.client.get(f"/archive/articles/{art}.json")).json()
    assert record["authors"][0] == {
        "name": "HAYASHI Noriko",
        "url": "https://www.example-spip.org/spip.php?auteur12",
    }
    assert record["keywords"] == ["Japon", "Nucléaire"]
    assert record["section_path"] == ["Écologie", "Énergie", "ÉTATS NUCLÉAIRES"]
    assert record["toc"][1]["anchor"] == "outil_sommaire_1"
    assert record["footnotes"][1]["number"] == "2"
    assert record["translations"] == [
        {"lang": "en", "url": "https://www.example-spip.org/spip.php?article102"}
    ]
    assert record["written"] == "2023-10-04"


def _feed(text: str) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


async def test_feed_of_everything(ds: Datasette) -> None:
    response = await ds.client.get("/archive/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = _feed(response.text)
    assert feed.version == "atom10"
    assert feed.feed.title == "article-archive: newest articles"
    assert feed.feed.id and feed.feed.updated
    assert len(feed.entries) == len(ALL)
    first = feed.entries[0]
    assert first.title == "Grève générale en Grèce"
    assert first.id == "https://www.example-spip.org/spip.php?article110"
    assert first.link.endswith("/read")
    assert first.author == "ROUSSET Pierre"
    assert first.summary == "Les transports sont à l’arrêt."
    assert "syndicats grecs" in first.content[0].value
    assert first.updated_parsed[:3] == (2023, 11, 8)


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("q=plastic", {"The ocean and the plastic"}),
        ("section=Labour", {"Workers organising at the warehouse"}),
        ("author=3", {"Climate strikes spread across Europe", "The ocean and the plastic",
                      "Workers organising at the warehouse"}),
    ],
)  # fmt: skip
async def test_filtered_feeds(ds: Datasette, query: str, titles: set[str]) -> None:
    feed = _feed((await ds.client.get("/archive/feed.atom?" + query)).text)
    assert {e.title for e in feed.entries} == titles
    assert any(link.rel == "self" for link in feed.feed.links)


async def test_keyword_feed(ds: Datasette) -> None:
    db = ds.get_database("archive")
    kw = (await db.execute("SELECT id FROM keywords WHERE name = 'Grève'")).first()[0]
    feed = _feed((await ds.client.get(f"/archive/feed.atom?keyword={kw}")).text)
    assert [e.title for e in feed.entries] == [
        "Grève générale en Grèce",
        "Retraites : la mobilisation continue",
    ]
    assert "Grève" in feed.feed.title
