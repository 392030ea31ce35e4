"""One read door: `extract`, `export --format json` and the reader's `.json` give one record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from article_archive.cli import cli
from article_archive.models import Article
from article_archive.store import save_article
from article_archive.store.read import RECORD_FIELDS, article_record, load_article
from article_archive.web.serve import make_datasette
from article_archive_sample import SampleSite
from conftest import make_article
from sample_archive import FAST

ARCHIVE_ONLY = {"id", "first_seen", "last_fetched", "content_hash", "revisions"}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """A backfill of the sample site, with the site still served (for `extract URL`)."""
    from article_archive.crawl import CrawlOptions, run_crawl

    path = tmp_path_factory.mktemp("read") / "archive.db"
    with SampleSite() as site:
        run_crawl(path, [site.base_url], CrawlOptions(backfill=True, **FAST))
        yield path


def _richest(path: Path) -> tuple[int, str]:
    """The article with the most footnotes, keywords and translations (id, url)."""
    row = (
        sqlite_utils.Database(path)
        .execute(
            """SELECT a.id, a.url FROM articles a ORDER BY
        (SELECT count(*) FROM footnotes f WHERE f.article_id = a.id) > 0 DESC,
        (SELECT count(*) FROM article_keywords k WHERE k.article_id = a.id) > 0 DESC,
        json_array_length(a.translations) > 0 DESC, a.id LIMIT 1"""
        )
        .fetchone()
    )
    return row[0], row[1]


def _cli_json(*args: str) -> object:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _same_shape(value: object, like: object) -> None:
    """Same JSON type all the way down (None matches anything: a field may be empty)."""
    if value is None or like is None:
        return
    assert type(value) is type(like), (value, like)
    if isinstance(value, list):
        for a, b in zip(value, like, strict=False):
            _same_shape(a, b)
    if isinstance(value, dict):
        assert list(value) == list(like)
        for key in value:
            _same_shape(value[key], like[key])


async def test_extract_export_and_reader_give_one_record(crawled: Path) -> None:
    article_id, url = _richest(crawled)
    extracted = _cli_json("extract", url)
    exported = next(r for r in _cli_json("export", "--db", str(crawled), "--format", "json")
                    if r["id"] == article_id)  # fmt: skip
    ds = make_datasette(crawled)
    await ds.invoke_startup()
    response = await ds.client.get(f"/archive/articles/{article_id}.json")
    assert response.status_code == 200
    downloaded = response.json()
    ds.executor.shutdown(wait=True)

    assert list(extracted) == list(RECORD_FIELDS)  # extract: the extracted fields only
    assert extracted["footnotes"] and extracted["keywords"] and extracted["authors"]
    for record in (exported, downloaded):
        assert [k for k in record if k in extracted] == list(extracted)
        assert {k: record[k] for k in extracted} == extracted
        _same_shape({k: record[k] for k in extracted}, extracted)
        assert set(record) - set(extracted) >= ARCHIVE_ONLY
    assert exported == downloaded


def test_load_article_gives_one_record_or_none(crawled: Path) -> None:
    conn = sqlite_utils.Database(crawled).conn
    article_id, _ = _richest(crawled)
    record = load_article(conn, article_id)
    assert record is not None and record["id"] == article_id
    assert load_article(conn, 10**9) is None


def test_article_record_orders_and_plains_an_extracted_article() -> None:
    fields = make_article(authors=["Plain Name"], keywords=("Japon",))
    record = article_record(fields)
    assert list(record) == list(RECORD_FIELDS)
    assert record["authors"] == [{"name": "Plain Name", "url": None}]
    assert record["keywords"] == ["Japon"]
    typed = Article(url="https://x.example/a", site="x.example", title="T")
    assert article_record(typed) == article_record(typed.to_dict())


def test_stored_record_keeps_page_order_and_revisions(archive) -> None:
    save_article(archive, make_article(keywords=["Zèbre", "Abeille"]))
    save_article(archive, make_article(keywords=["Zèbre", "Abeille"], body_text="Changé."))
    record = load_article(archive.conn, 1)
    assert record["keywords"] == ["Zèbre", "Abeille"]  # as the page lists them, not sorted
    assert record["section_path"] == ["Monde", "ÉTATS NUCLÉAIRES"]
    assert record["toc"] == [{"level": 2, "title": "Le contexte", "anchor": "contexte"}]
    assert [r["body_text"] for r in record["revisions"]] == [
        "Le contexte\n\nLes réacteurs vieillissent [1]."
    ]
