"""The reader and the site gone: the notice, the front page's list, earlier versions read whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from datasette.app import Datasette

from article_archive import store
from article_archive.models import FetchResult
from article_archive.status import archive_status, format_status
from article_archive.store import Capture
from article_archive.web.serve import make_datasette
from conftest import make_article

URL = "https://www.example.org/spip.php?article1"
OTHER = "https://www.example.org/spip.php?article2"
BUSY = "https://www.example.org/spip.php?article3"


def answer(url: str, body: bytes, at: str, status: int = 200, **extra) -> FetchResult:
    return FetchResult(url, url, status, {}, body, at, content_type="text/html", **extra)


@pytest.fixture(scope="module")
def gone_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Article 1 in two versions, then gone (404); article 2 still served; 3 failing (503)."""
    path = tmp_path_factory.mktemp("versions") / "archive.db"
    db = store.open_archive(path)
    first = make_article(
        title="Première version",
        body_html="<p>Le texte d'origine, paragraphe un.</p><p>Paragraphe deux.</p>",
        body_text="Le texte d'origine, paragraphe un.\n\nParagraphe deux.",
    )
    store.archive(
        db,
        Capture(answer(URL, b"<html>v1</html>", "2024-01-01T10:00:00+00:00"), "article"),
        article=first,
    )
    second = make_article(
        title="Version corrigée",
        body_html="<p>Le texte corrigé.</p>",
        body_text="Le texte corrigé.",
    )
    store.archive(
        db,
        Capture(answer(URL, b"<html>v2</html>", "2024-02-01T10:00:00+00:00"), "article"),
        article=second,
    )
    gone = answer(URL, b"", "2024-03-05T09:00:00+00:00", status=404, error="HTTP 404")
    store.archive(db, Capture(gone, "article", keep_body=False), outcome="failed")
    other = make_article(url=OTHER, spip_id=2, title="Toujours en ligne")
    store.archive(
        db,
        Capture(answer(OTHER, b"<html>2</html>", "2024-01-01T10:00:00+00:00"), "article"),
        article=other,
    )
    busy = make_article(url=BUSY, spip_id=3, title="Serveur occupé")
    store.archive(
        db,
        Capture(answer(BUSY, b"<html>3</html>", "2024-01-01T10:00:00+00:00"), "article"),
        article=busy,
    )
    down = answer(BUSY, b"busy", "2024-03-06T09:00:00+00:00", status=503, error="HTTP 503")
    store.archive(db, Capture(down, "article", keep_body=False), outcome="failed")
    db.close()
    return path


@pytest.fixture
async def gone_ds(gone_archive: Path) -> Datasette:
    datasette = make_datasette(gone_archive)
    await datasette.invoke_startup()
    return datasette


async def _html(ds: Datasette, path: str, status: int = 200) -> BeautifulSoup:
    response = await ds.client.get(path)
    assert response.status_code == status, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


async def test_the_reader_says_the_article_is_no_longer_on_the_site(gone_ds) -> None:
    doc = await _html(gone_ds, "/archive/articles/1/read")
    notice = doc.select_one(".aa-gone")
    assert notice is not None
    # A French article's page speaks French (issue 15).
    assert "Plus en ligne sur le site depuis le 5\u00a0mars 2024" in notice.get_text()
    assert "HTTP 404" in notice.get_text()
    assert doc.select_one(".aa-title").get_text() == "Version corrigée"  # the archived copy
    served = await _html(gone_ds, "/archive/articles/2/read")
    assert served.select_one(".aa-gone") is None and served.select_one(".aa-failing") is None


async def test_the_reader_shows_a_failed_check_as_such(gone_ds) -> None:
    doc = await _html(gone_ds, "/archive/articles/3/read")
    assert doc.select_one(".aa-gone") is None
    notice = doc.select_one(".aa-failing").get_text()
    assert "ne sert plus cet article depuis le 6\u00a0mars 2024 (1 vérification échouée)" in notice


async def test_an_earlier_version_is_read_whole(gone_ds) -> None:
    reader = await _html(gone_ds, "/archive/articles/1/read")
    links = [a["href"] for a in reader.select(".aa-versions a")]
    assert links == ["/archive/revisions/1/read"]
    doc = await _html(gone_ds, links[0])
    assert doc.select_one(".aa-title").get_text() == "Première version"
    paragraphs = [p.get_text() for p in doc.select(".aa-body p")]
    assert paragraphs == ["Le texte d'origine, paragraphe un.", "Paragraphe deux."]
    notice = doc.select_one(".aa-notice").get_text()
    assert "version 1 sur 2" in notice and "1er\u00a0janvier 2024" in notice
    assert doc.select_one('a[href="/archive/articles/1/read"]') is not None
    assert "capture" in doc.select_one(".aa-about").get_text()


async def test_an_unknown_version_is_a_404(gone_ds) -> None:
    response = await gone_ds.client.get("/archive/revisions/99/read")
    assert response.status_code == 404


async def test_the_front_page_lists_gone_articles(gone_ds) -> None:
    doc = await _html(gone_ds, "/")
    section = doc.select_one(".aa-gone-list")
    assert section is not None
    assert "1" in section.select_one("h2").get_text()
    assert [a.get_text() for a in section.select("a")] == ["Version corrigée"]


def test_status_lists_gone_articles(gone_archive) -> None:
    db = store.open_archive(gone_archive)
    try:
        status = archive_status(db)
    finally:
        db.close()
    assert status["gone"]["count"] == 1 and status["gone"]["failing"] == 1
    assert status["captures"] == 4
    assert [a["url"] for a in status["gone"]["articles"]] == [URL]
    text = format_status(status)
    assert "Gone:      1 article(s) no longer on the site (kept here), 1 failing" in text
    assert f"since 2024-03-05T09:00:00+00:00  {URL}  (HTTP 404)" in text
