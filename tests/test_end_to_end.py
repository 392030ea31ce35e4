"""The whole path: the real CLI crawls the sample site over loopback, Datasette serves the result.

Expected values come from the sample site's sources (`data/sample-site/`), not from our code.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils

from article_archive.web.serve import make_datasette
from article_archive_sample import SampleSite, default_site_dir, load_site
from sample_truth import norm, note_count, plain

SITE = load_site(default_site_dir())
PUBLISHED = {art.id: art for art in SITE.published()}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The installed command, as a user runs it (no terminal: one summary line)."""
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run(
        [sys.executable, "-m", "article_archive.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive built by `article-archive crawl URL --backfill` over the sample site."""
    db_path = tmp_path_factory.mktemp("e2e") / "archive.db"
    with SampleSite() as site:
        first = run_cli("crawl", site.base_url, "--backfill", "--delay", "0", "--db", str(db_path))
        assert first.returncode == 0, first.stderr
        again = run_cli("crawl", site.base_url, "--backfill", "--delay", "0", "--db", str(db_path))
        assert again.returncode == 0, again.stderr
    assert f"new {len(PUBLISHED)}," in first.stdout
    assert "new 0, updated 0" in again.stdout
    return db_path


def test_every_article_arrives_exactly_once(archive: Path) -> None:
    db = sqlite_utils.Database(archive)
    rows = list(db.query("select spip_id, url from articles"))
    assert sorted(r["spip_id"] for r in rows) == sorted(PUBLISHED)
    assert len({r["url"] for r in rows}) == len(rows)
    db.close()


def test_each_article_has_its_fields(archive: Path) -> None:
    db = sqlite_utils.Database(archive)
    paris = ZoneInfo("Europe/Paris")
    for row in db.query("select * from articles"):
        art = PUBLISHED[row["spip_id"]]
        assert norm(row["title"]) == plain(art.title)
        when = art.date.replace(tzinfo=paris).astimezone(UTC)
        assert row["published"] == when.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert row["section"] == SITE.rubriques[art.rubrique].title
        assert json.loads(row["section_path"])[-1] == row["section"]
        authors = [
            norm(a["name"])
            for a in db.query(
                "select name from authors join article_authors on authors.id = author_id "
                "where article_id = ? order by position",
                [row["id"]],
            )
        ]
        assert authors == [norm(SITE.authors[i].name) for i in art.authors]
        keywords = {
            norm(k["name"])
            for k in db.query(
                "select name from keywords join article_keywords on keywords.id = keyword_id "
                "where article_id = ?",
                [row["id"]],
            )
        }
        assert keywords == {norm(SITE.keywords[i].title) for i in art.keywords}
        notes = db.execute(
            "select count(*) from footnotes where article_id = ?", [row["id"]]
        ).fetchone()[0]
        assert notes == note_count(art)
        if art.chapo.strip():
            assert plain(art.chapo)[:50] in norm(row["lead"])
    db.close()


@pytest.fixture(scope="module")
def datasette(archive: Path):
    return make_datasette(archive)


async def test_the_front_page_shows_the_newest_article(datasette) -> None:
    newest = SITE.published()[0]
    response = await datasette.client.get("/")
    assert response.status_code == 200
    assert norm(plain(newest.title)) in norm(response.text).replace("&#39;", "'")


async def test_search_finds_an_article_by_a_word_of_its_body(datasette) -> None:
    response = await datasette.client.get("/archive/search?q=konbini")
    assert response.status_code == 200
    assert "gérants" in response.text  # article 8's title: « konbini » store managers


async def test_the_reader_page_of_every_article(datasette, archive: Path) -> None:
    db = sqlite_utils.Database(archive)
    rows = list(db.query("select id, title from articles"))
    db.close()
    for row in rows:
        response = await datasette.client.get(f"/archive/articles/{row['id']}/read")
        assert response.status_code == 200
        assert "content-security-policy" in response.headers


async def test_csv_export_has_every_article(datasette) -> None:
    response = await datasette.client.get("/archive/articles.csv?_stream=on&_size=max")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(PUBLISHED)


def test_export_command_writes_every_article(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "all.csv"
    result = run_cli("export", "--db", str(archive), "--excel", "--output", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(PUBLISHED)
    assert any("é" in r["title"] for r in rows)


def test_status_command_counts_the_archive(archive: Path) -> None:
    result = run_cli("status", "--db", str(archive))
    assert result.returncode == 0, result.stderr
    assert f"Articles:  {len(PUBLISHED)}" in result.stdout
