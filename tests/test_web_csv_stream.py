"""``/{db}/{table}.csv?_stream=on`` answered by the plugin: every row, Datasette's own bytes."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from datasette.app import Datasette

from article_archive.store import open_archive, save_article
from article_archive.web import csv_stream
from article_archive.web.serve import SETTINGS, make_datasette
from conftest import make_article

COUNT = 23  # articles, over three pages of the small Datasette below
SMALL = {**SETTINGS, "max_returned_rows": 10}


def _archive(path: Path) -> Path:
    """Articles with distinct dates, a comma, quotes and new lines in their texts, and pages
    with a real, a blob, an invalid UTF-8 text and a foreign key."""
    db = open_archive(path)
    for n in range(COUNT):
        save_article(
            db,
            make_article(
                url=f"https://example.org/{n}",
                spip_id=n,
                lang="en" if n % 3 == 0 else "fr",
                title=f'Article {n}, "cité"' if n % 2 else f"Article {n}",
                published=f"2020-01-{n + 1:02d}",
                word_count=100 + (n * 7) % 23,
                body_text=f"Paragraphe {n}.\r\nLes grèves, « les salaires ».\n" * (n + 1),
                lead="" if n == 4 else None,
                subtitle=("Ligne\nsuivante", 'Il dit "non"', "a\rb", "sans rien")[n % 4],
            ),
        )
    db.close()
    with sqlite3.connect(path) as conn:  # the crawl's rows, written here by hand
        for n in range(1, 6):
            conn.execute(
                "INSERT INTO pages (id, url, kind, status, elapsed, body, error, article_id) "
                "VALUES (?, ?, 'article', 200, ?, ?, CAST(? AS TEXT), ?)",
                [n, f"https://example.org/{n}", n / 3, b"\x00,\x01" * n, b"bad \xff byte", n],
            )
    return path


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _archive(tmp_path_factory.mktemp("csv") / "big.db")


@pytest.fixture
def ours(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the streams the plugin's route answered itself."""
    answered: list[str] = []
    real = csv_stream._response

    async def counted(datasette, request, plan):  # type: ignore[no-untyped-def]
        response = await real(datasette, request, plan)
        if response is not None:
            answered.append(request.full_path)
        return response

    monkeypatch.setattr(csv_stream, "_response", counted)
    return answered


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def _datasettes_own(
    ds: Datasette, url: str, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, bytes]:
    """What Datasette's own view answers (the plugin's route hands every request to it)."""
    with monkeypatch.context() as patch:
        patch.setattr(csv_stream, "_own_request", lambda datasette, request: False)
        response = await ds.client.get(url)
    return response.status_code, response.content


async def test_a_stream_past_max_returned_rows_gives_every_row_in_order(
    big: Path, ours: list[str]
) -> None:
    ds = Datasette([str(big)], settings=SMALL)  # pages of 10 rows at most
    response = await ds.client.get("/big/articles.csv?_stream=on&_size=7")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    rows = _rows(response.text)
    with sqlite3.connect(big) as conn:
        want = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY published DESC")]
        columns = [r[1] for r in conn.execute("PRAGMA table_info(articles)")]
    assert [int(r["id"]) for r in rows] == want and len(want) == COUNT
    assert list(rows[0]) == columns
    assert rows[-1]["body_text"] == "Paragraphe 0.\r\nLes grèves, « les salaires ».\n"
    assert {r["title"] for r in rows} >= {"Article 0", 'Article 1, "cité"'}
    assert len(ours) == 1


async def test_the_stream_is_datasettes_own_csv_byte_for_byte(
    big: Path, monkeypatch: pytest.MonkeyPatch, ours: list[str]
) -> None:
    ds = make_datasette(big)
    cases = [
        "articles.csv?_sort=id",
        "articles.csv",
        "articles.csv?lang=en&_sort_desc=word_count",
        "articles.csv?word_count__gt=110&_col=title&_col=lead&_col=word_count&_sort=title",
        "articles.csv?_nocol=body_html&_nocol=body_text&_header=off&_sort=id",
        "articles.csv?_col=lead&_sort=id",
        "pages.csv",
        "pages.csv?_labels=on",
        "pages.csv?_col=elapsed&_col=error",
        "article_authors.csv?_labels=on",
        "footnotes.csv?_label=article_id",
        "frontier.csv",
        "articles.csv?nope__exact=1",
    ]
    for case in cases:
        url = f"/big/{case}{'&' if '?' in case else '?'}_size=max"
        status, own = await _datasettes_own(ds, url, monkeypatch)  # one page: all rows fit
        response = await ds.client.get(url + "&_stream=on")
        assert (response.status_code, status) == (200, 200), case
        assert response.content == own, case
    assert len(ours) == len(cases)
    pages = _rows((await ds.client.get("/big/pages.csv?_stream=on")).text)
    assert pages[2]["elapsed"] == "1.0" and pages[0]["elapsed"] == "0.3333333333333333"
    assert pages[0]["body"] == "http://localhost/big/pages/1.blob?_blob_column=body"
    assert pages[0]["error"] == "bad \N{REPLACEMENT CHARACTER} byte"


async def test_pages_of_datasettes_stream_and_ours_agree(
    big: Path, monkeypatch: pytest.MonkeyPatch, ours: list[str]
) -> None:
    ds = Datasette([str(big)], settings=SMALL)
    for case in ("articles.csv?_sort=id&lang=fr&_size=max", "pages.csv?_labels=on&_size=2"):
        url = f"/big/{case}&_stream=on"
        status, own = await _datasettes_own(ds, url, monkeypatch)
        response = await ds.client.get(url)
        assert (response.status_code, status) == (200, 200)
        assert response.content == own, case
    assert len(ours) == 2
    download = await ds.client.get("/big/pages.csv?_stream=on&_dl=1")
    assert download.headers["content-type"] == "text/csv; charset=utf-8"
    assert download.headers["content-disposition"] == 'attachment; filename="pages.csv"'


async def test_what_the_stream_does_not_take_is_datasettes_answer(
    big: Path, monkeypatch: pytest.MonkeyPatch, ours: list[str]
) -> None:
    ds = make_datasette(big)
    for case in ("_col=nope", "_sort=nope", "_size=5000", "_where=id>3", "_trace=1"):
        url = f"/big/articles.csv?_stream=on&{case}"
        status, own = await _datasettes_own(ds, url, monkeypatch)
        response = await ds.client.get(url)
        assert response.status_code == status, case
        if status == 200:
            assert response.content == own, case
    assert (await ds.client.get("/big/articles.csv?_stream=on&_col=nope")).status_code == 400
    assert ours == []
    assert (await ds.client.get("/big/export.csv")).headers["content-type"].startswith("text/csv")


async def test_no_time_limit_cuts_a_stream(big: Path) -> None:
    ds = Datasette([str(big)], settings={**SMALL, "sql_time_limit_ms": 1})
    url = "/big/articles.csv?_stream=on&_size=2&_search=salaires"
    response = await ds.client.get(url)  # Datasette's own pages may each meet the limit
    assert response.status_code == 200
    assert len(_rows(response.text)) == COUNT


async def test_a_search_stream_is_stemmed_like_the_search_page(
    ds: Datasette, ours: list[str]
) -> None:
    for q in ("nucléaires", "strike", "retraites OR plastic"):
        page = await ds.client.get("/archive/search", params={"q": q})
        doc = BeautifulSoup(page.text, "html.parser")
        expected = {a.get_text() for a in doc.select(".aa-card-title a")}
        assert expected, q
        response = await ds.client.get(
            "/archive/articles.csv", params={"_stream": "on", "_search": q}
        )
        assert response.status_code == 200
        assert {row["title"] for row in _rows(response.text)} == expected, q
    assert len(ours) == 3
