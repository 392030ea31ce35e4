"""archive_status / format_status over a small hand-filled archive."""

from __future__ import annotations

from article_archive.status import archive_status, format_status
from article_archive.store import save_article
from conftest import make_article


def fill(db) -> None:
    """Two articles (two sites), one revision, pages of each class, a frontier, two crawls."""
    save_article(db, make_article(), fetched_at="2024-01-01T00:00:00")
    save_article(db, make_article(title="Autre titre"), fetched_at="2024-01-02T00:00:00")
    save_article(db, make_article(url="https://b.org/x", site="b.org", keywords=["Japon"]))
    db["pages"].insert_all(
        [
            {"url": "https://a.org/1", "status": 200, "fetched_at": "2024-01-01T00:00:00"},
            {"url": "https://a.org/2", "status": 200, "fetched_at": "2024-01-01T00:00:01"},
            {"url": "https://a.org/3", "status": 404, "fetched_at": "2024-01-03T00:00:00"},
            {
                "url": "https://a.org/4",
                "status": None,
                "error": "timed out",
                "fetched_at": "2024-01-04T00:00:00",
            },
            {"url": "https://a.org/5", "status": 301, "fetched_at": "2024-01-01T00:00:02"},
        ]
    )
    db["frontier"].insert_all(
        [
            {"url": "https://a.org/6", "state": "pending"},
            {"url": "https://a.org/7", "state": "done"},
            {
                "url": "https://a.org/8",
                "state": "failed",
                "last_error": "HTTP 503",
                "updated_at": "2024-01-02T00:00:00",
            },
        ]
    )
    db["feeds"].insert({"url": "https://a.org/spip.php?page=backend", "site": "a.org"})
    db["crawls"].insert_all(
        [
            {"started_at": "2024-01-01T00:00:00", "status": "done", "new": 1},
            {
                "started_at": "2024-01-05T00:00:00",
                "finished_at": "2024-01-05T00:10:00",
                "status": "done",
                "fetched": 5,
                "new": 1,
                "updated": 1,
                "failed": 2,
            },
        ]
    )


def test_counts(archive) -> None:
    fill(archive)
    status = archive_status(archive)
    assert status["articles"] == 2
    assert status["sites"] == 2
    assert status["authors"] == 1
    assert status["keywords"] == 2
    assert status["revisions"] == 1
    assert status["feeds"] == 1
    assert status["pages"] == {"2xx": 2, "3xx": 1, "4xx": 1, "error": 1}
    assert status["frontier"] == {"done": 1, "failed": 1, "pending": 1}
    assert status["last_crawl"]["started_at"] == "2024-01-05T00:00:00"
    assert status["last_crawl"]["fetched"] == 5


def test_failures_newest_first(archive) -> None:
    fill(archive)
    failures = archive_status(archive)["failures"]
    assert failures["pages"] == 2
    assert failures["frontier"] == 1
    assert [(e["url"], e["error"]) for e in failures["recent"]] == [
        ("https://a.org/4", "timed out"),
        ("https://a.org/3", "HTTP 404"),
        ("https://a.org/8", "HTTP 503"),
    ]


def test_recent_failures_are_capped_at_ten(archive) -> None:
    archive["pages"].insert_all(
        {"url": f"https://a.org/{i}", "status": 500, "fetched_at": f"2024-01-{i + 1:02d}"}
        for i in range(15)
    )
    recent = archive_status(archive)["failures"]["recent"]
    assert len(recent) == 10
    assert recent[0]["url"] == "https://a.org/14"


def test_format_status(archive) -> None:
    fill(archive)
    text = format_status(archive_status(archive))
    assert "Articles:  2 from 2 site(s), 1 author(s), 2 keyword(s), 1 revision(s)" in text
    assert "Pages:     5 (2xx 2, 3xx 1, 4xx 1, error 1)" in text
    assert "Frontier:  3 (done 1, failed 1, pending 1)" in text
    assert "  2024-01-04T00:00:00  https://a.org/4  timed out" in text
    assert (
        "Last crawl: 2024-01-05T00:00:00 → 2024-01-05T00:10:00 (done): "
        "discovered 0, fetched 5, new 1, updated 1, unchanged 0, failed 2, absent 0"
    ) in text


def test_empty_archive(archive) -> None:
    status = archive_status(archive)
    assert status["articles"] == 0
    assert status["pages"] == {}
    assert status["last_crawl"] is None
    text = format_status(status)
    assert "Pages:     0 (none)" in text
    assert "Last crawl: never" in text
