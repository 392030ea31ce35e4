"""store: the captures history, pages that keep their good answer, and ``articles.gone``."""

from __future__ import annotations

import hashlib
import zlib

import pytest

from article_archive import store
from article_archive.models import FetchResult
from article_archive.store import Capture
from article_archive.store.captures import captures_of, iter_captures, load_capture
from article_archive.store.schema import schema_version
from conftest import make_article

URL = "https://www.example.org/spip.php?article1"
CANONICAL = "https://www.example.org/les-centrales"
BODY = b"<html><body><h1>Les centrales</h1><p>Version 1</p></body></html>"
T0 = "2024-01-01T10:00:00+00:00"


def answer(
    status: int = 200, body: bytes = BODY, at: str = T0, url: str = URL, **extra
) -> FetchResult:
    """One answer as the fetcher gives it."""
    return FetchResult(
        url=url,
        final_url=url,
        status=status,
        headers={"content-type": "text/html", "server": "Apache"},
        body=body,
        fetched_at=at,
        content_type="text/html",
        **extra,
    )


def good(db, body: bytes = BODY, at: str = T0, **article) -> store.Archived:
    return store.archive(
        db, Capture(answer(body=body, at=at), "article"), article=make_article(**article)
    )


def failed(db, status: int, at: str, body: bytes = b"", url: str = URL, **options):
    """A failed answer (no article), archived as the crawl does."""
    error = options.pop("error", None) or (f"HTTP {status}" if status else "ConnectTimeout")
    outcome = options.pop("outcome", "failed")
    result = answer(status, body, at, url=url, error=error)
    keep = status == 200
    return store.archive(db, Capture(result, "article", keep_body=keep), outcome=outcome, **options)


def page(db, url: str = URL) -> dict:
    return next(db.query("SELECT * FROM pages WHERE url = ?", [url]))


def article(db) -> dict:
    return next(db.query("SELECT * FROM articles"))


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_the_same_body_twice_is_one_capture(archive) -> None:
    first = good(archive)
    good(archive, at="2024-01-02T10:00:00+00:00")
    assert count(archive, "captures") == 1
    capture = load_capture(archive, page(archive)["capture_id"])
    assert capture is not None
    assert (capture.url, capture.status, capture.body, capture.fetched_at) == (URL, 200, BODY, T0)
    assert capture.headers["server"] == "Apache"
    assert article(archive)["capture_id"] == capture.id
    assert first.article_id == article(archive)["id"]


def test_a_changed_body_is_a_second_capture_and_the_revision_keeps_the_first(archive) -> None:
    good(archive)
    first_capture = page(archive)["capture_id"]
    edited = BODY.replace(b"Version 1", b"Version 2")
    second = good(archive, body=edited, at="2024-02-01T10:00:00+00:00", body_text="Version 2")
    assert second.saved == "updated"
    assert count(archive, "captures") == 2
    revision = next(archive.query("SELECT * FROM revisions"))
    assert revision["capture_id"] == first_capture
    assert load_capture(archive, first_capture).body == BODY  # the old version, whole
    now = page(archive)["capture_id"]
    assert now != first_capture and load_capture(archive, now).body == edited
    assert article(archive)["capture_id"] == now


@pytest.mark.parametrize("status", [404, 410])
def test_a_404_never_replaces_the_page_and_marks_the_article_gone(archive, status) -> None:
    good(archive)
    stored = page(archive)
    later = "2024-03-01T08:00:00+00:00"
    result = failed(archive, status, later)
    assert result.kept
    row = page(archive)
    assert zlib.decompress(row["body"]) == BODY
    assert (row["status"], row["fetched_at"], row["article_id"]) == (200, T0, stored["article_id"])
    assert (row["last_status"], row["last_checked"], row["last_error"]) == (
        status,
        later,
        f"HTTP {status}",
    )
    art = article(archive)
    assert (art["gone"], art["gone_status"], art["gone_reason"]) == (
        later,
        status,
        f"HTTP {status}",
    )
    assert count(archive, "captures") == 1


def test_a_non_article_answer_is_kept_as_a_capture_and_marks_the_article_gone(archive) -> None:
    good(archive)
    home = b"<html><body class='page_sommaire'>Accueil</body></html>"
    later = "2024-03-01T08:00:00+00:00"
    failed(archive, 200, later, body=home, error="not an article page")
    assert zlib.decompress(page(archive)["body"]) == BODY
    art = article(archive)
    assert (art["gone"], art["gone_status"]) == (later, 200)
    assert art["gone_reason"] == "not an article: not an article page"
    bodies = [zlib.decompress(r[0]) for r in archive.execute("SELECT body FROM captures")]
    assert sorted(bodies) == sorted([BODY, home])


def test_failures_mark_the_article_gone_only_once_they_persist(archive) -> None:
    good(archive)
    failed(archive, 503, "2024-03-01T00:00:00+00:00")
    assert article(archive)["gone"] is None
    assert article(archive)["failing_since"] == "2024-03-01T00:00:00+00:00"
    failed(archive, 503, "2024-03-03T00:00:00+00:00")  # two days: under the default three
    assert article(archive)["gone"] is None
    failed(archive, 0, "2024-03-04T12:00:00+00:00")  # a timeout, three and a half days on
    art = article(archive)
    assert (art["gone"], art["gone_status"], art["failed_checks"]) == (
        "2024-03-01T00:00:00+00:00",
        0,
        3,
    )
    assert art["gone_reason"] == "ConnectTimeout"
    assert page(archive)["last_status"] == 0
    assert zlib.decompress(page(archive)["body"]) == BODY


def test_the_period_is_the_callers(archive) -> None:
    good(archive)
    failed(archive, 502, "2024-03-01T00:00:00+00:00", gone_after=3600)
    failed(archive, 502, "2024-03-01T00:30:00+00:00", gone_after=3600)
    assert article(archive)["gone"] is None
    failed(archive, 502, "2024-03-01T01:00:00+00:00", gone_after=3600)
    assert article(archive)["gone"] == "2024-03-01T00:00:00+00:00"


def test_a_single_failure_with_no_period_is_not_gone(archive) -> None:
    good(archive)
    failed(archive, 503, "2024-03-01T00:00:00+00:00", gone_after=0)
    assert article(archive)["gone"] is None  # one check does not persist


def test_an_empty_page_is_a_failed_check_not_a_replacement(archive) -> None:
    good(archive)
    failed(archive, 200, "2024-03-01T00:00:00+00:00", body=b"", error="empty body")
    assert zlib.decompress(page(archive)["body"]) == BODY
    assert article(archive)["gone"] is None and article(archive)["failing_since"]
    assert count(archive, "captures") == 1


def test_the_article_coming_back_clears_gone(archive) -> None:
    good(archive)
    failed(archive, 404, "2024-03-01T00:00:00+00:00")
    assert article(archive)["gone"]
    good(archive, at="2024-03-02T00:00:00+00:00")  # the same page again: unchanged
    art = article(archive)
    assert (art["gone"], art["gone_status"], art["failing_since"], art["failed_checks"]) == (
        None,
        None,
        None,
        0,
    )
    assert (page(archive)["last_status"], page(archive)["last_error"]) == (200, None)


def test_a_304_clears_a_failing_article(archive) -> None:
    good(archive)
    failed(archive, 503, "2024-03-01T00:00:00+00:00")
    not_modified = answer(304, b"", "2024-03-01T06:00:00+00:00")
    store.archive(archive, Capture(not_modified, "article"), outcome="done")
    assert article(archive)["failing_since"] is None
    assert page(archive)["last_status"] == 304
    assert zlib.decompress(page(archive)["body"]) == BODY


def test_a_check_at_the_canonical_address_reaches_the_article(archive) -> None:
    good(archive, url=CANONICAL)  # found by the id walk at URL, stored under its canonical URL
    result = answer(404, b"", "2024-03-01T00:00:00+00:00", url=CANONICAL, error="HTTP 404")
    store.archive(archive, Capture(result, "article", keep_body=False), outcome="failed")
    assert article(archive)["gone"] == "2024-03-01T00:00:00+00:00"
    assert zlib.decompress(page(archive)["body"]) == BODY  # the page of URL untouched


def test_no_answer_on_an_unknown_address_writes_no_page(archive) -> None:
    failed(archive, 0, T0)
    assert count(archive, "pages") == 0


def test_an_answer_without_a_good_page_replaces_as_before(archive) -> None:
    failed(archive, 404, T0)
    failed(archive, 500, "2024-01-02T00:00:00+00:00")
    row = page(archive)
    assert (row["status"], row["last_status"], row["body"]) == (500, 500, None)


def test_reparse_keeps_the_capture_of_the_article(archive) -> None:
    good(archive)
    capture_id = page(archive)["capture_id"]
    stored = store.StoredCapture(page(archive)["id"], URL, page(archive)["body"])
    store.archive(archive, stored, article=make_article(title="Titre relu"))
    assert article(archive)["capture_id"] == capture_id
    assert count(archive, "revisions") == 0


def test_a_version_3_archive_gets_its_captures(tmp_path) -> None:
    path = tmp_path / "old.db"
    db = store.open_archive(path)
    good(db)
    failed(db, 404, "2024-03-01T00:00:00+00:00", url="https://www.example.org/nothing")
    db.execute("DELETE FROM captures")
    db.execute("UPDATE pages SET capture_id = NULL, last_status = NULL, last_checked = NULL")
    db.execute("UPDATE articles SET capture_id = NULL")
    db.execute("UPDATE _meta SET value = '3' WHERE key = 'schema_version'")
    db.conn.commit()
    db.close()
    db = store.open_archive(path)
    try:
        assert schema_version(db) == 6
        assert count(db, "captures") == 1  # the 404 had no body
        capture = load_capture(db, page(db)["capture_id"])
        assert capture.body == BODY and capture.fetched_at == T0
        assert article(db)["capture_id"] == capture.id
        assert (page(db)["last_status"], page(db)["last_checked"]) == (200, T0)
    finally:
        db.close()


def test_every_capture_reads_back_whole_oldest_first(archive) -> None:
    good(archive)
    edited = BODY.replace(b"Version 1", b"Version 2")
    good(archive, body=edited, at="2024-02-01T10:00:00+00:00", body_text="Version 2")
    records = list(iter_captures(archive))
    assert [(r.url, r.body, r.fetched_at) for r in records] == [
        (URL, BODY, T0),
        (URL, edited, "2024-02-01T10:00:00+00:00"),
    ]
    assert captures_of(archive, URL) == [r.id for r in records]
    assert all(r.sha256 == hashlib.sha256(r.body).hexdigest() for r in records)
