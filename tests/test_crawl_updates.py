"""Daily re-runs over the sample SPIP site: edits picked up, nothing written when nothing changed.

Also --max-articles (articles, not id probes) and a single article given as seed.
"""

from __future__ import annotations

import re
import shutil

import pytest
import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive_sample.feeds import FEED_SIZE
from article_archive_sample.server import SampleSite, default_site_dir
from article_archive_sample.site import load_site

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "id_gap": 10}


@pytest.fixture(scope="module")
def sample():
    return load_site(default_site_dir())


def snapshot(db_path) -> dict:
    """Every row a re-run could write, with the columns that would change."""
    db = sqlite_utils.Database(db_path)
    try:
        return {
            "articles": db.execute(
                "SELECT id, url, content_hash, last_fetched, page_id FROM articles ORDER BY id"
            ).fetchall(),
            "pages": db.execute(
                "SELECT id, url, status, fetched_at, etag, body_size, error FROM pages ORDER BY id"
            ).fetchall(),
            "revisions": db.execute("SELECT count(*) FROM revisions").fetchone()[0],
        }
    finally:
        db.close()


def test_edit_of_a_feed_article_is_picked_up_by_a_plain_rerun(tmp_path, sample):
    site_dir = tmp_path / "site"
    shutil.copytree(default_site_dir(), site_dir)
    target = sample.published()[3]  # in the feed (the ten newest)
    db_path = tmp_path / "a.db"
    with SampleSite(site_dir=site_dir) as site:
        first = run_crawl(db_path, [site.base_url], CrawlOptions(**FAST))
        before = snapshot(db_path)
        # An edit at the end of the text: the feed (publication dates, introductions) stays
        # byte for byte the same and answers 304.
        text = target.path.read_text(encoding="utf-8")
        edited = text.rstrip("\n") + "\n\nUn paragraphe ajouté après coup.\n"
        (site_dir / "articles" / target.path.name).write_text(edited, encoding="utf-8")
        site.requests.clear()
        second = run_crawl(db_path, [site.base_url], CrawlOptions(**FAST))
        asked = [(r.path, r.status, r.headers.get("If-None-Match")) for r in site.requests]
        after_edit = snapshot(db_path)
        site.requests.clear()
        third = run_crawl(db_path, [site.base_url], CrawlOptions(**FAST))
        statuses = [r.status for r in site.requests]
    assert first.new == FEED_SIZE
    assert ("/spip.php?page=backend", 304) in [a[:2] for a in asked]
    article_asks = [a for a in asked if a[0].startswith("/") and "?" not in a[0] and a[0] != "/"]
    article_asks = [a for a in article_asks if a[0] != "/robots.txt"]
    assert len(article_asks) == FEED_SIZE and all(a[2] for a in article_asks)  # conditional
    assert [a[1] for a in article_asks].count(200) == 1  # only the edited one came back
    assert (second.new, second.updated, second.unchanged, second.failed) == (0, 1, 9, 0)
    assert after_edit["revisions"] == 1
    db = sqlite_utils.Database(db_path)
    body = db.execute("SELECT body_text FROM articles WHERE spip_id = ?", [target.id]).fetchone()
    assert "Un paragraphe ajouté après coup." in body[0]
    db.close()
    # rows of the other articles untouched by the second run
    changed = {r[1] for r in set(after_edit["articles"]) - set(before["articles"])}
    assert changed == {site.base_url + target.url}
    # third run: every answer a 304, nothing written at all
    assert statuses == [200] + [304] * (FEED_SIZE + 1)  # robots.txt, feed, ten articles
    assert (third.new, third.updated, third.unchanged, third.fetched) == (
        0,
        0,
        FEED_SIZE,
        FEED_SIZE + 1,
    )
    assert snapshot(db_path) == after_edit


def test_max_articles_counts_articles_not_id_probes(tmp_path, sample):
    published = {a.id for a in sample.published()}
    top = max(published)
    gaps = {n for n in range(1, top + FAST["id_gap"] + 1) if n not in published}
    with SampleSite() as site:
        three = run_crawl(
            tmp_path / "three.db",
            [site.base_url],
            CrawlOptions(backfill=True, max_articles=3, **FAST),
        )
        # One more than the site has: the budget is never spent, so every gap of the id walk
        # is probed (absent ids do not count), and the walk still stops id_gap past the top.
        roomy = run_crawl(
            tmp_path / "all.db",
            [site.base_url],
            CrawlOptions(backfill=True, max_articles=len(published) + 1, **FAST),
        )
    assert (three.new, three.updated, three.unchanged) == (3, 0, 0)
    assert roomy.new == len(published)
    assert roomy.absent == len(gaps)
    db = sqlite_utils.Database(tmp_path / "all.db")
    walked = {r[0] for r in db.execute("SELECT spip_id FROM frontier WHERE kind = 'spip_id'")}
    assert max(walked) == top + FAST["id_gap"]
    db.close()


def test_one_article_as_seed(tmp_path, sample):
    target = sample.published()[-1]  # the oldest: not in the feed
    db_path = tmp_path / "a.db"
    with SampleSite() as site:
        seed = site.base_url + target.url
        summary = run_crawl(db_path, [seed], CrawlOptions(**FAST))
        paths = [r.path for r in site.requests]
    db = sqlite_utils.Database(db_path)
    stored = {r[0] for r in db.execute("SELECT spip_id FROM articles")}
    assert target.id in stored
    # its site's feed was found on the article page, and gives the newest articles
    feeds = [r[0] for r in db.execute("SELECT url FROM feeds")]
    assert feeds == [site.base_url + "spip.php?page=backend"]
    assert stored == {target.id} | {a.id for a in sample.published()[:FEED_SIZE]}
    assert summary.new == len(stored) and summary.failed == 0
    # but the site is not walked without --backfill: no home, plan, listing, sitemap or id
    kinds = {r[0] for r in db.execute("SELECT DISTINCT kind FROM frontier")}
    assert kinds - {"media"} == {"article", "feed"}  # (media: the articles' images)
    assert not [p for p in paths if re.search(r"page=plan|sitemap|article\d+$", p) or p == "/"]
    db.close()
