"""store.archive's media path: one body once, every address mapped, articles linked."""

from __future__ import annotations

import hashlib

import pytest

from article_archive.models import FetchResult
from article_archive.store import Capture, archive, open_archive
from article_archive.store.media import MediaRef, archived_media, media_body
from conftest import make_article

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
SITE = "https://www.example.org/"


@pytest.fixture
def archive_db(tmp_path):
    db = open_archive(tmp_path / "archive.db")
    yield db
    db.close()


def _media(url: str, body: bytes = PNG, kind: str = "image/png") -> FetchResult:
    return FetchResult(
        url, url, 200, {"content-type": "image/jpeg"}, body, "2026-12-04T01:00:00",
        content_type=kind,
    )  # fmt: skip


def _page(url: str) -> FetchResult:
    return FetchResult(
        url, url, 200, {"content-type": "text/html"}, b"<html>a</html>", "2026-12-04T01:00:00"
    )


def test_same_bytes_at_two_addresses_are_one_row(archive_db) -> None:
    db = archive_db
    one = archive(db, Capture(_media(SITE + "IMG/a.png"), "media"))
    two = archive(db, Capture(_media(SITE + "IMG/copie.png"), "media"))
    assert one.media_id == two.media_id and one.page_id is None
    rows = list(db.query("SELECT url, content_type, size, sha256, body, declared_type FROM media"))
    assert rows == [
        {
            "url": SITE + "IMG/a.png",
            "content_type": "image/png",
            "size": len(PNG),
            "sha256": hashlib.sha256(PNG).hexdigest(),
            "body": PNG,
            "declared_type": "image/jpeg",
        }
    ]
    assert db["media_urls"].count == 2
    assert not db["pages"].count  # a media body is not a page


def test_an_article_is_linked_before_and_after_its_media_come(archive_db) -> None:
    db = archive_db
    refs = [MediaRef(SITE + "IMG/a.png"), MediaRef(SITE + "IMG/pdf/r.pdf", "document")]
    art = make_article(url=SITE + "article-1")
    saved = archive(db, Capture(_page(art["url"]), "article"), article=art, media=refs)
    links = list(db.query("SELECT url, role, media_id FROM article_media ORDER BY url"))
    assert [(r["url"], r["role"], r["media_id"]) for r in links] == [
        (SITE + "IMG/a.png", "image", None),
        (SITE + "IMG/pdf/r.pdf", "document", None),
    ]
    got = archive(db, Capture(_media(SITE + "IMG/a.png"), "media"))
    linked = db.execute(
        "SELECT media_id FROM article_media WHERE article_id = ? AND url = ?",
        [saved.article_id, SITE + "IMG/a.png"],
    ).fetchone()
    assert linked[0] == got.media_id
    # a second article using the same image is linked at once
    other = make_article(url=SITE + "article-2", spip_id=2)
    second = archive(db, Capture(_page(other["url"]), "article"), article=other, media=refs[:1])
    row = db.execute(
        "SELECT media_id FROM article_media WHERE article_id = ?", [second.article_id]
    ).fetchone()
    assert row[0] == got.media_id


def test_an_unchanged_article_gets_its_media_list_too(archive_db) -> None:
    db = archive_db
    art = make_article(url=SITE + "article-1")
    archive(db, Capture(_page(art["url"]), "article"), article=art)
    assert db["article_media"].count == 0
    again = archive(
        db, Capture(_page(art["url"]), "article"), article=art, media=[MediaRef(SITE + "x.png")]
    )
    assert again.saved == "unchanged"
    assert [r[0] for r in db.execute("SELECT url FROM article_media")] == [SITE + "x.png"]


def test_a_refused_media_is_a_page_row_saying_why(archive_db) -> None:
    db = archive_db
    result = _media(SITE + "IMG/faux.jpg", b"<html>404</html>", "image/jpeg")
    result.error = "refused: the bytes are text/html"
    archive(db, Capture(result, "media", keep_body=False), outcome="skipped")
    assert db["media"].count == 0
    page = next(db.query("SELECT kind, body, error FROM pages"))
    assert page == {"kind": "media", "body": None, "error": "refused: the bytes are text/html"}


def test_reads_for_the_reader(archive_db) -> None:
    db = archive_db
    archive(db, Capture(_media(SITE + "IMG/a.png"), "media"))
    digest = hashlib.sha256(PNG).hexdigest()
    conn = db.conn
    found = archived_media(conn, [SITE + "IMG/a.png", SITE + "IMG/none.png"])
    assert found == {SITE + "IMG/a.png": {"sha256": digest, "content_type": "image/png"}}
    assert media_body(conn, digest) == (PNG, "image/png", SITE + "IMG/a.png")
    assert media_body(conn, "0" * 64) is None
