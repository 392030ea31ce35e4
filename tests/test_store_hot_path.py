"""The per-page write path: plain statements, a body compressed once, claims in one statement.

The crawl archives every page through ``store.archive`` and claims every URL from
``store.frontier``: these tests pin what each costs in statements, and that the claim made
in one compound statement picks the row the claim order says, however many sites there are.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from article_archive import store
from article_archive.models import FetchResult
from article_archive.store import Capture, frontier
from article_archive.store.articles import prepare_article, save_article
from conftest import make_article

URL = "https://www.example.org/spip.php?article1"
BODY = ("<html><body><h1>Les centrales</h1>" + "<p>Une phrase du texte.</p>" * 200).encode()


def fetched(url: str = URL, body: bytes = BODY) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=url,
        status=200,
        headers={},
        body=body,
        fetched_at="2024-01-01T10:00:00+00:00",
        content_type="text/html",
    )


@contextmanager
def traced(db) -> Iterator[list[str]]:
    """The statements sent on ``db`` inside the block (as sqlite3's trace sees them)."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        db.conn.set_trace_callback(None)


def test_archiving_an_article_asks_sqlite_master_nothing_and_wraps_no_query(archive) -> None:
    with traced(archive) as seen, archive.atomic():
        done = store.archive(archive, Capture(fetched(), "article"), article=make_article())
    assert done.saved == "new"
    assert not [s for s in seen if "sqlite_master" in s]
    assert not [s for s in seen if "sqlite_utils_query" in s]


def test_page_and_capture_hold_the_same_compressed_bytes(archive) -> None:
    store.archive(archive, Capture(fetched(), "article"), article=make_article())
    page = archive.execute("SELECT body, capture_id FROM pages WHERE url = ?", [URL]).fetchone()
    capture = archive.execute("SELECT body FROM captures WHERE id = ?", [page[1]]).fetchone()
    assert page[0] == capture[0] and zlib.decompress(page[0]) == BODY


def test_a_body_sent_again_is_not_compressed_again(archive, monkeypatch) -> None:
    store.archive(archive, Capture(fetched(), "article"), article=make_article())
    # the same body from another answer (new validators): the capture's bytes are reused
    calls: list[int] = []
    real = zlib.compress
    monkeypatch.setattr(zlib, "compress", lambda data, level=-1: calls.append(1) or real(data))
    again = fetched()
    again.etag = '"v2"'
    store.archive(archive, Capture(again, "article"), article=make_article(title="Autre"))
    assert calls == []
    page = archive.execute("SELECT body FROM pages WHERE url = ?", [URL]).fetchone()
    assert zlib.decompress(page[0]) == BODY


def test_a_prepared_article_is_saved_as_the_article_itself(archive) -> None:
    article = make_article()
    first = save_article(archive, article)
    other = make_article(url="https://www.example.org/spip.php?article2", spip_id=2)
    second = save_article(archive, prepare_article(other))
    rows = archive.execute(
        "SELECT content_hash, title, authors_text, year FROM articles ORDER BY id"
    ).fetchall()
    assert (first[1], second[1]) == ("new", "new")
    assert rows[0] == rows[1]  # same content, same row
    stems = archive.execute("SELECT title, body FROM article_stems ORDER BY rowid").fetchall()
    assert stems[0] == stems[1] and stems[0][0]


def _queue(db, site: str, kind: str, n: int, **extra) -> str:
    url = f"https://{site}/{kind}/{n}"
    assert frontier.add_url(db, url, kind=kind, site=site, **extra)
    return url


def test_a_claim_over_many_sites_takes_the_claim_order_first(archive) -> None:
    # 40 sites × 8 kinds × 3 tiers: more lookups than one compound statement holds
    sites = [f"site{n}.example.org" for n in range(40)]
    order: list[str] = []
    for n, site in enumerate(reversed(sites)):
        order.append(_queue(archive, site, "spip_id", n))
    for n, site in enumerate(sites[::7]):
        order.append(_queue(archive, site, "listing", n))
    for n, site in enumerate(sites[5::9]):
        order.append(_queue(archive, site, "article", n))
    article_urls = [u for u in order if "/article/" in u]
    listing_urls = [u for u in order if "/listing/" in u]
    walk_urls = [u for u in order if "/spip_id/" in u]
    claimed = []
    with traced(archive) as seen:
        row = frontier.claim(archive, sites=sites)
        while row is not None:
            claimed.append(row["url"])
            row = frontier.claim(archive, sites=sites)
    # articles before listings before the id walk; within a kind, the oldest row first
    assert claimed == article_urls + listing_urls + walk_urls
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    # each claim: at most one statement per 200 lookups (40 sites × 24 tiers = 960 → 5)
    assert len(selects) <= 5 * (len(claimed) + 1)


def test_a_claim_skips_busy_sites_and_waits_for_retries(archive) -> None:
    first = _queue(archive, "a.example.org", "article", 1)
    second = _queue(archive, "b.example.org", "article", 2)
    frontier.retry_later(archive, second, "2000-01-01T00:00:00+00:00", error="HTTP 503")
    third = _queue(archive, "b.example.org", "spip_id", 3)
    sites = ["a.example.org", "b.example.org"]
    # site a busy: b's fresh id row goes before b's retry, though the retry is an article
    row = frontier.claim(archive, sites=sites, busy_sites={"a.example.org"})
    assert row is not None and row["url"] == third
    row = frontier.claim(archive, sites=sites)
    assert row is not None and row["url"] == first
    row = frontier.claim(archive, sites=sites)
    assert row is not None and row["url"] == second
    assert frontier.claim(archive, sites=sites) is None
