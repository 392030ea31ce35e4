"""run_crawl over the bundled sample SPIP site served on loopback."""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.crawl.progress import Recorder
from article_archive.store.pages import load_body
from article_archive_sample.server import SampleSite, default_site_dir
from article_archive_sample.site import load_site

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "id_gap": 10}


@pytest.fixture(scope="module")
def sample():
    return load_site(default_site_dir())


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory):
    """One backfill crawl of the sample site, shared by the read-only tests below."""
    db_path = tmp_path_factory.mktemp("crawl") / "archive.db"
    recorder = Recorder()
    with SampleSite() as site:
        summary = run_crawl(
            db_path,
            [site.base_url],
            CrawlOptions(backfill=True, **FAST),
            on_progress=recorder.update,
        )
        requests = list(site.requests)
        base = site.base_url
    db = sqlite_utils.Database(db_path)
    yield db, summary, requests, base, recorder
    db.close()


def test_backfill_finds_every_published_article_once(backfilled, sample):
    db, summary, _requests, _base, _ = backfilled
    published = {a.id for a in sample.published()}
    rows = db.execute("SELECT spip_id, url FROM articles").fetchall()
    assert sorted(r[0] for r in rows) == sorted(published)
    assert len({r[1] for r in rows}) == len(rows)
    assert summary.new == len(published)
    assert summary.failed == 0
    # the feed lists only the ten latest: the others came from plan, listings, sitemap, ids
    assert len(published) > 10


def test_articles_fetched_once_each(backfilled, sample):
    _db, _summary, requests, _base, _ = backfilled
    slugs = [a.slug for a in sample.published()]
    fetched = [urlsplit(r.path).path.lstrip("/") for r in requests]
    for slug in slugs:
        assert fetched.count(slug) == 1, slug


def test_id_walk_records_gaps_as_absent(backfilled, sample):
    db, summary, requests, base, _ = backfilled
    ids = set(sample.articles)
    published = {a.id for a in sample.published()}
    top = max(published)
    absent = {
        r[0] for r in db.execute("SELECT spip_id FROM frontier WHERE state = 'absent'").fetchall()
    }
    walked_gaps = {n for n in range(1, top + 11) if n not in published}
    assert absent == walked_gaps  # unknown and unpublished ids, and id_gap=10 past the top
    assert summary.absent == len(walked_gaps)
    unpublished = ids - published
    assert all(
        not db.execute("SELECT 1 FROM articles WHERE spip_id = ?", [n]).fetchone()
        for n in unpublished
    )
    # the home page answered for an unknown id is kept as a page row without its body
    page = db.execute(
        "SELECT id, status, body, error FROM pages WHERE url = ?",
        [f"{base}spip.php?article{top + 5}"],
    ).fetchone()
    assert page[1] == 200 and page[2] is None and "no article" in page[3]
    # ids already known from the plan and listings were not asked again
    asked = {int(m.group(1)) for r in requests if (m := re.search(r"article(\d+)$", r.path))}
    assert asked == walked_gaps


def test_pages_hold_compressed_bodies_and_iso_text(backfilled, sample):
    db, *_ = backfilled
    iso = next(a for a in sample.published() if sample.charset_of(a.rubrique) == "iso-8859-1")
    row = db.execute(
        "SELECT a.title, p.id, p.charset FROM articles a JOIN pages p ON p.id = a.page_id "
        "WHERE a.spip_id = ?",
        [iso.id],
    ).fetchone()
    title, page_id, charset = row
    assert charset in ("iso-8859-1", "windows-1252", "cp1252")
    assert title.replace("\xa0", " ") == iso.title.replace("\xa0", " ")
    assert any(ch in title for ch in "éèàâêôûç")
    body = load_body(db, page_id)
    assert iso.title.split()[0].encode("iso-8859-1") in body


def test_crawl_row_and_progress(backfilled):
    db, summary, _requests, _base, recorder = backfilled
    crawl = next(db.query("SELECT * FROM crawls"))
    assert crawl["status"] == "finished"
    assert crawl["new"] == summary.new and crawl["absent"] == summary.absent
    assert recorder.updates[-1][0] == summary.new
    assert recorder.updates[-1][1] >= summary.new


def test_feeds_table_and_frontier_states(backfilled):
    db, *_ = backfilled
    feed = next(db.query("SELECT * FROM feeds"))
    assert feed["url"].endswith("spip.php?page=backend")
    assert feed["status"] == 200 and feed["etag"]
    states = dict(db.execute("SELECT state, count(*) FROM frontier GROUP BY state").fetchall())
    assert set(states) <= {"done", "absent"}


def test_second_run_rechecks_the_feed_articles_and_writes_nothing(tmp_path):
    db_path = tmp_path / "a.db"
    with SampleSite() as site:
        first = run_crawl(db_path, [site.base_url], CrawlOptions(**FAST))
        db = sqlite_utils.Database(db_path)
        before = db.execute("SELECT id, content_hash, last_fetched FROM articles").fetchall()
        pages = db.execute("SELECT * FROM pages ORDER BY id").fetchall()
        db.close()
        site.requests.clear()
        second = run_crawl(db_path, [site.base_url], CrawlOptions(**FAST))
        paths = [(r.path, r.status) for r in site.requests]
        conditional = [bool(r.headers.get("If-None-Match")) for r in site.requests]
    assert first.new == 10  # the feed's ten latest articles
    # the feed answers 304; the ten articles it lists are asked again, conditionally
    assert paths[:2] == [("/robots.txt", 200), ("/spip.php?page=backend", 304)]
    assert [status for _path, status in paths[2:]] == [304] * 10
    assert conditional == [False] + [True] * 11
    assert (second.new, second.updated, second.unchanged) == (0, 0, 10)
    assert (second.fetched, second.feeds_not_modified) == (11, 1)
    db = sqlite_utils.Database(db_path)
    assert db.execute("SELECT id, content_hash, last_fetched FROM articles").fetchall() == before
    assert db.execute("SELECT * FROM pages ORDER BY id").fetchall() == pages
    assert db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0
    db.close()


def test_changed_article_makes_one_revision(tmp_path, sample):
    site_dir = tmp_path / "site"
    shutil.copytree(default_site_dir(), site_dir)
    target = sorted(sample.published(), key=lambda a: a.date)[0]  # an old one, not in the feed
    db_path = tmp_path / "a.db"
    options = CrawlOptions(backfill=True, **FAST)
    with SampleSite(site_dir=site_dir) as site:
        run_crawl(db_path, [site.base_url], options)
        text = target.path.read_text(encoding="utf-8")
        edited = text.replace("+++\n", '+++\ndate_modif = "2024-06-01T10:00:00"\n', 1)
        edited = edited.rstrip("\n") + "\n\nUn paragraphe ajouté après coup.\n"
        (site_dir / "articles" / target.path.name).write_text(edited, encoding="utf-8")
        second = run_crawl(db_path, [site.base_url], options)
        third = run_crawl(db_path, [site.base_url], options)
    db = sqlite_utils.Database(db_path)
    revisions = db.execute(
        "SELECT a.spip_id FROM revisions r JOIN articles a ON a.id = r.article_id"
    ).fetchall()
    assert revisions == [(target.id,)]
    assert (second.updated, second.new) == (1, 0)
    assert (third.updated, third.new) == (0, 0)
    body = db.execute("SELECT body_text FROM articles WHERE spip_id = ?", [target.id]).fetchone()
    db.close()
    assert "Un paragraphe ajouté après coup." in body[0]


def test_id_range_and_max_articles(tmp_path, sample):
    published = sorted(a.id for a in sample.published())
    low, high = published[0], published[4]
    db_path = tmp_path / "a.db"
    with SampleSite() as site:
        # only the id walk: a seed on a site whose feed and plan we ignore is not possible, so
        # bound the work by --max-articles and check the walk stayed inside --ids.
        summary = run_crawl(
            db_path,
            [site.base_url],
            CrawlOptions(backfill=True, ids=(low, high), max_articles=3, **FAST),
        )
    db = sqlite_utils.Database(db_path)
    assert summary.new == 3
    walked = [r[0] for r in db.execute("SELECT spip_id FROM frontier WHERE kind = 'spip_id'")]
    db.close()
    assert all(low <= n <= high for n in walked)


def test_since_limits_to_recent_articles(tmp_path, sample):
    newest = sorted(sample.published(), key=lambda a: a.date, reverse=True)
    since = newest[2].date.date().isoformat()
    db_path = tmp_path / "a.db"
    with SampleSite() as site:
        run_crawl(db_path, [site.base_url], CrawlOptions(since=since, **FAST))
    db = sqlite_utils.Database(db_path)
    dates = [r[0] for r in db.execute("SELECT published FROM articles")]
    db.close()
    assert dates and all(d[:10] >= since for d in dates)
    expected = [a for a in newest[:10] if a.date.date().isoformat() >= since]
    assert len(dates) == len(expected)


def test_the_progress_total_never_swings_back(backfilled):
    _db, summary, _requests, _base, recorder = backfilled
    totals = [known for _done, known in recorder.updates]
    assert len(totals) > 2
    assert totals[:-1] == sorted(totals[:-1])  # only grows while the crawl runs
    done = summary.new + summary.updated + summary.unchanged
    assert recorder.updates[-1] == (done, done)  # and is exact once it is over
