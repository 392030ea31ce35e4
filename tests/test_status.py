"""archive_status / format_status: a hand-filled archive, and a real backfill of the sample site."""

from __future__ import annotations

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.status import archive_status, format_status
from article_archive.store import open_archive, save_article
from article_archive_sample.server import SampleSite, default_site_dir
from article_archive_sample.site import load_site
from conftest import make_article


def fill(db) -> None:
    """Two articles (two sites), a revision, crawled pages of each kind, an import, two crawls."""
    save_article(db, make_article(), fetched_at="2024-01-01T00:00:00")
    save_article(db, make_article(title="Autre titre"), fetched_at="2024-01-02T00:00:00")
    save_article(db, make_article(url="https://b.org/x", site="b.org", keywords=["Japon"]))
    db["pages"].insert_all(
        [
            {
                "url": "https://a.org/1",
                "kind": "article",
                "status": 200,
                "fetched_at": "2024-01-01",
            },
            # id probes: 404, and the home page answered for an unknown id: absent, not failures
            {
                "url": "https://a.org/spip.php?article2",
                "kind": "spip_id",
                "status": 404,
                "error": "HTTP 404",
                "fetched_at": "2024-01-03",
            },
            {
                "url": "https://a.org/spip.php?article3",
                "kind": "spip_id",
                "status": 200,
                "error": "redirected home",
                "fetched_at": "2024-01-03",
            },
            # a real failure: an article a feed listed answers 500
            {
                "url": "https://a.org/down",
                "kind": "article",
                "status": 500,
                "error": "HTTP 500",
                "fetched_at": "2024-01-04",
            },
            # an imported file that did not extract (no frontier row)
            {
                "url": "https://a.org/saved/x.html",
                "kind": "article",
                "status": 200,
                "error": "ExtractionError: no text",
                "fetched_at": "2024-01-02",
            },
            {
                "url": "https://a.org/feed",
                "kind": "feed",
                "status": 301,
                "fetched_at": "2024-01-01",
            },
        ]
    )
    db["frontier"].insert_all(
        [
            {"url": "https://a.org/1", "kind": "article", "state": "done"},
            {"url": "https://a.org/spip.php?article2", "kind": "spip_id", "state": "absent"},
            {"url": "https://a.org/spip.php?article3", "kind": "spip_id", "state": "absent"},
            {"url": "https://a.org/spip.php?article4", "kind": "spip_id", "state": "pending"},
            {
                "url": "https://a.org/down",
                "kind": "article",
                "state": "failed",
                "last_error": "HTTP 500",
                "updated_at": "2024-01-04T00:00:00",
            },
            {
                "url": "https://a.org/slow",
                "kind": "article",
                "state": "failed",
                "last_error": "ReadTimeout",
                "updated_at": "2024-01-05T00:00:00",
            },
            {"url": "https://a.org/feed", "kind": "feed", "state": "done"},
        ]
    )
    db["feeds"].insert({"url": "https://a.org/spip.php?page=backend", "site": "a.org"})
    db["crawls"].insert_all(
        [
            {"started_at": "2024-01-01T00:00:00", "status": "finished", "new": 1},
            {
                "started_at": "2024-01-05T00:00:00",
                "finished_at": "2024-01-05T00:10:00",
                "status": "finished",
                "fetched": 5,
                "new": 1,
                "updated": 1,
                "failed": 2,
                "absent": 2,
            },
        ]
    )


def test_counts(archive) -> None:
    fill(archive)
    status = archive_status(archive)
    assert (status["articles"], status["sites"], status["authors"]) == (2, 2, 1)
    assert (status["keywords"], status["revisions"], status["feeds"]) == (2, 1, 1)
    assert status["pages"] == {"2xx": 3, "3xx": 1, "4xx": 1, "5xx": 1}
    assert status["page_kinds"] == {"article": 3, "feed": 1, "spip_id": 2}
    assert status["frontier"] == {"absent": 2, "done": 2, "failed": 2, "pending": 1}
    assert status["frontier_kinds"] == {
        "article": {"done": 1, "failed": 2},
        "feed": {"done": 1},
        "spip_id": {"absent": 2, "pending": 1},
    }
    assert status["absent"] == 2
    assert status["last_crawl"]["started_at"] == "2024-01-05T00:00:00"


def test_absent_ids_are_not_failures(archive) -> None:
    fill(archive)
    failures = archive_status(archive)["failures"]
    assert (failures["count"], failures["frontier"], failures["pages"]) == (3, 2, 1)
    assert [(e["url"], e["error"]) for e in failures["recent"]] == [
        ("https://a.org/slow", "ReadTimeout"),
        ("https://a.org/down", "HTTP 500"),
        ("https://a.org/saved/x.html", "ExtractionError: no text"),
    ]


def test_recent_failures_are_capped_at_ten(archive) -> None:
    archive["frontier"].insert_all(
        {
            "url": f"https://a.org/{i}",
            "state": "failed",
            "last_error": "HTTP 500",
            "updated_at": f"2024-01-{i + 1:02d}",
        }
        for i in range(15)
    )
    recent = archive_status(archive)["failures"]["recent"]
    assert len(recent) == 10
    assert recent[0]["url"] == "https://a.org/14"


def test_format_status(archive) -> None:
    fill(archive)
    text = format_status(archive_status(archive))
    assert "Articles:  2 from 2 site(s), 1 author(s), 2 keyword(s), 1 revision(s)" in text
    assert "Pages:     6 (2xx 3, 3xx 1, 4xx 1, 5xx 1); by kind: article 3, feed 1, spip_id 2" in (
        text
    )
    assert "Frontier:  7 (absent 2, done 2, failed 2, pending 1)" in text
    assert "  spip_id:  absent 2, pending 1" in text
    assert "Absent:    2 (" in text
    assert "Failures:  3\n  2024-01-05T00:00:00  https://a.org/slow  ReadTimeout" in text
    assert "article2" not in text and "article3" not in text
    assert (
        "Last crawl: 2024-01-05T00:00:00 → 2024-01-05T00:10:00 (finished): "
        "discovered 0, fetched 5, new 1, updated 1, unchanged 0, failed 2, absent 2"
    ) in text


def test_empty_archive(archive) -> None:
    status = archive_status(archive)
    assert status["articles"] == 0
    assert status["pages"] == {}
    assert status["last_crawl"] is None
    text = format_status(status)
    assert "Pages:     0 (none); by kind: none" in text
    assert "Failures:  0" in text
    assert "Last crawl: never" in text


def test_status_after_a_backfill_of_the_sample_site(tmp_path) -> None:
    """The id walk's gaps (unknown, unpublished, past the top) show as absent, not failures."""
    sample = load_site(default_site_dir())
    published = {a.id for a in sample.published()}
    gaps = {n for n in range(1, max(published) + 11) if n not in published}
    db_path = tmp_path / "a.db"
    with SampleSite() as site:
        run_crawl(
            db_path,
            [site.base_url],
            CrawlOptions(backfill=True, delay=0, retries=1, backoff=0.01, id_gap=10),
        )
    db = open_archive(db_path)
    status = archive_status(db)
    db.close()
    assert status["articles"] == len(published)
    assert status["frontier_kinds"]["spip_id"]["absent"] == len(gaps)
    assert status["failures"]["count"] == 0 and status["failures"]["recent"] == []
    text = format_status(status)
    assert f"Absent:    {status['absent']} (" in text
    assert "Failures:  0\n" in text
    assert "(finished)" in text
