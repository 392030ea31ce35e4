"""Our own error pages: any unknown address, bad argument or failure, with a way back."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from datasette.app import Datasette

from article_archive.web import queries
from article_archive.web.serve import make_datasette

NOT_FOUND = [
    "/no/such/page",
    "/nodb",
    "/archive/a/b/c/d",
    "/archive/articles/1/read/more/parts",
    "/archive/articles/abc/read",
    "/archive/articles/abc",
    "/archive/articles/999999/read",
    "/archive/nosuchtable",
    "/archive/section/Nowhere",
]


def _ours(text: str) -> BeautifulSoup:
    """The page, checked to be our error page: header, search box, a way home."""
    doc = BeautifulSoup(text, "html.parser")
    assert doc.select_one("body.aa.aa-error"), text[:300]
    assert doc.select_one("header a.aa-brand")["href"] == "/"
    assert doc.select_one("header form[role=search][action='/archive/search'] input[name=q]")
    assert doc.select_one("main a[href='/']")
    return doc


@pytest.mark.parametrize("path", NOT_FOUND)
async def test_unknown_addresses_get_our_404(
    ds: Datasette, path: str, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="article_archive.web.errors"):
        response = await ds.client.get(path)
    assert response.status_code == 404
    doc = _ours(response.text)
    assert doc.select_one("h1").get_text() == "Page not found"
    assert "Database not found" not in response.text
    mine = [r for r in caplog.records if r.name == "article_archive.web.errors"]
    assert len(mine) == 1 and mine[0].getMessage().startswith(f"404 {path}")
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "NotFound" not in out + err


async def test_a_bad_sort_is_a_400_page_of_ours(ds: Datasette) -> None:
    response = await ds.client.get("/archive/articles?_sort=nope")
    assert response.status_code == 400
    doc = _ours(response.text)
    assert "Error 400" in doc.select_one(".aa-kicker").get_text()
    api = await ds.client.get("/archive/articles.json?_sort=nope")
    assert api.status_code == 400
    assert api.json()["ok"] is False and "nope" in api.json()["error"]


async def test_the_error_page_speaks_the_browsers_language(ds: Datasette) -> None:
    response = await ds.client.get("/no/such/page", headers={"Accept-Language": "fr"})
    doc = _ours(response.text)
    assert doc.html.get("lang") == "fr"
    assert doc.select_one("h1").get_text() == "Page introuvable"


async def test_a_failure_is_a_500_page_and_one_log_line(
    archive_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture,
) -> None:
    def broken(conn: sqlite3.Connection) -> dict:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(queries, "overview", broken)
    ds = make_datasette(archive_path)
    await ds.invoke_startup()
    with caplog.at_level(logging.INFO, logger="article_archive.web.errors"):
        response = await ds.client.get("/")
    assert response.status_code == 500
    doc = _ours(response.text)
    assert doc.select_one("h1").get_text() == "Something went wrong"
    assert "disk I/O error" not in response.text  # the reason is for the log, not the page
    mine = [r for r in caplog.records if r.name == "article_archive.web.errors"]
    assert [r.levelname for r in mine] == ["ERROR"]
    assert "OperationalError: disk I/O error" in mine[0].getMessage()
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err
