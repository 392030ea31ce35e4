"""A site that stops serving its articles: nothing archived is lost, the articles are marked gone.

The sample SPIP site is crawled (with --backfill), then switched to answer one thing for every
address — 404, 503, its home page, an empty page — and crawled again (ordinary and backfill
runs), over real HTTP on loopback.
"""

from __future__ import annotations

import json
import shutil
import zlib
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from article_archive.cli import cli
from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.crawl.options import parse_duration
from article_archive.reparse import reparse
from article_archive_sample.layout import Page
from article_archive_sample.server import SampleSite, default_site_dir
from article_archive_sample.site import Site, load_site

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "id_gap": 10}


class SwitchableSite(SampleSite):
    """The sample site, or one same answer for every address (``mode``), or a 404 for some."""

    mode: str | None = None
    missing: frozenset[str] = frozenset()

    def _page(self, site: Site, target: str) -> Page:
        if self.mode == "404" or target in self.missing:
            return Page(body="Not Found", status=404, content_type="text/plain")
        if self.mode == "410":
            return Page(body="Gone", status=410, content_type="text/plain")
        if self.mode == "503":
            return Page(body="busy", status=503, content_type="text/plain")
        if self.mode == "empty":
            return Page(body="", status=200)
        if self.mode == "home":
            return super()._page(site, "/")
        return super()._page(site, target)


@pytest.fixture(scope="module")
def site():
    with SwitchableSite() as served:
        yield served


@pytest.fixture(scope="module")
def crawled(site, tmp_path_factory) -> Path:
    """The sample site archived once (backfill); each test works on a copy."""
    path = tmp_path_factory.mktemp("gone") / "archive.db"
    run_crawl(path, [site.base_url], CrawlOptions(backfill=True, **FAST))
    return path


@pytest.fixture
def db_path(crawled, site, tmp_path) -> Path:
    site.mode, site.missing = None, frozenset()
    path = tmp_path / "archive.db"
    shutil.copy(crawled, path)
    yield path
    site.mode, site.missing = None, frozenset()


def bodies(path: Path) -> dict[str, bytes]:
    """Every stored raw page, decompressed, by address."""
    db = sqlite_utils.Database(path)
    try:
        rows = db.execute("SELECT url, body FROM pages WHERE body IS NOT NULL").fetchall()
        return {url: zlib.decompress(body) for url, body in rows}
    finally:
        db.close()


def articles(path: Path) -> list[tuple]:
    """What a reader sees of every article (its content hash covers every content field)."""
    db = sqlite_utils.Database(path)
    try:
        sql = "SELECT id, url, title, body_html, content_hash FROM articles ORDER BY id"
        return db.execute(sql).fetchall()
    finally:
        db.close()


def gone_rows(path: Path) -> list[dict]:
    db = sqlite_utils.Database(path)
    try:
        return list(
            db.query("SELECT id, gone, gone_status, gone_reason, failing_since FROM articles")
        )
    finally:
        db.close()


def crawl(site: SwitchableSite, path: Path, *, backfill: bool = False, **options) -> None:
    run_crawl(path, [site.base_url], CrawlOptions(backfill=backfill, **FAST, **options))


@pytest.mark.parametrize(
    ("mode", "status"),
    [("404", 404), ("410", 410), ("home", 200)],
)
@pytest.mark.parametrize("backfill", [False, True], ids=["ordinary", "backfill"])
def test_a_site_that_stops_serving_keeps_every_capture_and_marks_articles_gone(
    site, db_path, mode, status, backfill
) -> None:
    stored, before = bodies(db_path), articles(db_path)
    assert len(before) > 20
    switched = datetime.now().astimezone().replace(microsecond=0)
    site.mode = mode
    crawl(site, db_path, backfill=backfill)
    assert bodies(db_path) == stored  # not one byte of a stored page replaced
    assert articles(db_path) == before  # every article still there, unchanged
    rows = gone_rows(db_path)
    assert all(r["gone"] and datetime.fromisoformat(r["gone"]) >= switched for r in rows)
    assert {r["gone_status"] for r in rows} == {status}
    if mode == "home":
        assert all(r["gone_reason"].startswith("not an article") for r in rows)
    else:
        assert {r["gone_reason"] for r in rows} == {f"HTTP {status}"}


def test_reparse_restores_every_article_after_the_site_is_gone(site, db_path) -> None:
    before = articles(db_path)
    site.mode = "404"
    crawl(site, db_path, backfill=True)
    db = sqlite_utils.Database(db_path)
    db.execute("UPDATE articles SET title = 'x', body_html = '', content_hash = ''")
    db.conn.commit()
    db.close()
    counts = reparse(db_path, workers=1)
    assert counts["updated"] == len(before)
    assert articles(db_path) == before
    assert all(r["gone"] for r in gone_rows(db_path))  # reparse does not bring them back


@pytest.mark.parametrize("mode", ["503", "empty"])
def test_a_failed_check_marks_no_article_gone_until_it_persists(site, db_path, mode) -> None:
    stored, before = bodies(db_path), articles(db_path)
    site.mode = mode
    crawl(site, db_path)
    first = gone_rows(db_path)
    assert all(r["gone"] is None and r["failing_since"] for r in first)
    crawl(site, db_path)  # failing again, within the default period (days)
    assert all(r["gone"] is None for r in gone_rows(db_path))
    crawl(site, db_path, gone_after=0)  # a period that has passed
    rows = gone_rows(db_path)
    since = {r["id"]: r["failing_since"] for r in first}
    assert all(r["gone"] == since[r["id"]] for r in rows)  # gone since the first failure
    assert bodies(db_path) == stored and articles(db_path) == before


def test_a_503_is_shown_as_a_failed_check(site, db_path) -> None:
    site.mode = "503"
    crawl(site, db_path)
    db = sqlite_utils.Database(db_path)
    try:
        rows = db.execute(
            "SELECT p.status, p.last_status, p.last_error FROM articles a "
            "JOIN pages p ON p.id = a.page_id"
        ).fetchall()
    finally:
        db.close()
    assert rows and all(status == 200 for status, _, _ in rows)  # the good answer stays
    # robots.txt answers 503 too: no article is even asked, each check fails for it
    assert all(last == 0 and "503" in error for _, last, error in rows)


def test_gone_is_cleared_when_the_site_comes_back(site, db_path) -> None:
    before = articles(db_path)
    site.mode = "404"
    crawl(site, db_path)
    assert all(r["gone"] for r in gone_rows(db_path))
    site.mode = None
    crawl(site, db_path)
    rows = gone_rows(db_path)
    assert all(r["gone"] is None and r["gone_status"] is None for r in rows)
    assert all(r["failing_since"] is None for r in rows)
    assert articles(db_path) == before


def test_a_single_deleted_article_is_gone_the_others_not(site, db_path) -> None:
    db = sqlite_utils.Database(db_path)
    article_id, url = db.execute(
        "SELECT id, url FROM articles ORDER BY published DESC LIMIT 1"
    ).fetchone()
    db.close()
    site.missing = frozenset({"/" + url.split("/", 3)[3]})
    crawl(site, db_path)  # the feed lists the newest article: it is re-checked
    assert {r["id"] for r in gone_rows(db_path) if r["gone"]} == {article_id}


def test_an_edited_article_adds_a_capture_and_its_revision_keeps_the_old_one(tmp_path) -> None:
    site_dir = tmp_path / "site"
    shutil.copytree(default_site_dir(), site_dir)
    target = load_site(site_dir).published()[3]  # in the feed: re-checked every run
    path = tmp_path / "archive.db"
    with SampleSite(site_dir=site_dir) as served:
        crawl(served, path)
        first = capture_rows(path)
        crawl(served, path)  # nothing changed: no capture added
        assert capture_rows(path) == first
        text = target.path.read_text(encoding="utf-8")
        target.path.write_text(text.rstrip("\n") + "\n\nAjouté après coup.\n", encoding="utf-8")
        crawl(served, path)
    db = sqlite_utils.Database(path)
    try:
        revision = next(db.query("SELECT article_id, capture_id FROM revisions"))
        url, page_body, capture_id = db.execute(
            "SELECT p.url, p.body, a.capture_id FROM articles a JOIN pages p ON p.id = a.page_id "
            "WHERE a.id = ?",
            [revision["article_id"]],
        ).fetchone()
        old = db.execute(
            "SELECT url, body FROM captures WHERE id = ?", [revision["capture_id"]]
        ).fetchone()
        new = db.execute("SELECT body FROM captures WHERE id = ?", [capture_id]).fetchone()
    finally:
        db.close()
    assert len(capture_rows(path)) == len(first) + 1
    assert old[0] == url and zlib.decompress(old[1]) == first[(url, revision["capture_id"])]
    assert b"Ajout\xc3\xa9 apr\xc3\xa8s coup." not in zlib.decompress(old[1])
    assert zlib.decompress(new[0]) == zlib.decompress(page_body)
    assert b"Ajout\xc3\xa9 apr\xc3\xa8s coup." in zlib.decompress(new[0])


def capture_rows(path: Path) -> dict[tuple[str, int], bytes]:
    """Every capture's raw body by (address, id)."""
    db = sqlite_utils.Database(path)
    try:
        rows = db.execute("SELECT url, id, body FROM captures").fetchall()
        return {(url, i): zlib.decompress(body) for url, i, body in rows}
    finally:
        db.close()


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("7d", 7 * 86400), ("12h", 43200), ("30m", 1800), ("45s", 45), ("90", 90), ("1.5h", 5400)],
)
def test_durations(text, seconds) -> None:
    assert parse_duration(text) == seconds


def test_gone_after_on_the_command_line(site, db_path) -> None:
    runner = CliRunner()
    bad = runner.invoke(cli, ["crawl", site.base_url, "--db", str(db_path), "--gone-after", "soon"])
    assert bad.exit_code == 2 and "--gone-after" in bad.output
    args = ["crawl", site.base_url, "--db", str(db_path), "--delay", "0", "-q"]
    result = runner.invoke(cli, [*args, "--gone-after", "12h"])
    assert result.exit_code == 0, result.output
    db = sqlite_utils.Database(db_path)
    try:
        options = db.execute("SELECT options FROM crawls ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        db.close()
    assert json.loads(options)["gone_after"] == 43200
