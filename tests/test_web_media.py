"""The reader serves an article's images and documents from the archive and keeps links inside."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import sqlite_utils
from bs4 import BeautifulSoup
from datasette.app import Datasette

from article_archive.web.media import Targets, rewrite
from article_archive.web.serve import make_datasette
from fixtures.media_site import HOSTILE_ID, CrawledSite, crawl_hostile
from servers import ScriptedServer

TYPES = {".png": "image/png", ".pdf": "application/pdf"}
MEDIA = "/archive/-/media/"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrawledSite]:
    """A backfill of the hostile sample site; the site and the tracker are gone after it."""
    with ScriptedServer() as tracker:
        yield crawl_hostile(tmp_path_factory.mktemp("web-media"), tracker)


@pytest.fixture
async def ds(crawled: CrawledSite) -> Datasette:
    datasette = make_datasette(crawled.db_path)
    await datasette.invoke_startup()
    return datasette


def _ids(crawled: CrawledSite) -> dict[int, int]:
    """Article row id by SPIP id."""
    with closing(sqlite_utils.Database(crawled.db_path)) as db:
        return dict(db.execute("SELECT spip_id, id FROM articles").fetchall())


def _shown(crawled: CrawledSite, article_id: int) -> set[str]:
    """Original addresses of the images and documents an article uses (logos aside)."""
    with closing(sqlite_utils.Database(crawled.db_path)) as db:
        rows = db.execute(
            "SELECT url FROM article_media WHERE article_id = ? AND media_id IS NOT NULL "
            "AND role != 'logo'",
            [article_id],
        )
        return {r[0] for r in rows}


async def _reader(ds: Datasette, article_id: int) -> tuple[BeautifulSoup, dict[str, str]]:
    response = await ds.client.get(f"/archive/articles/{article_id}/read")
    assert response.status_code == 200
    return BeautifulSoup(response.text, "html.parser"), dict(response.headers)


async def test_every_image_and_document_link_resolves_byte_identical(
    ds: Datasette, crawled: CrawledSite
) -> None:
    checked = 0
    for article_id in _ids(crawled).values():
        doc, _headers = await _reader(ds, article_id)
        for img in doc.select("img"):
            assert img["src"].startswith(MEDIA), img
        wanted = {a["href"] for a in doc.select("a[href^='/archive/-/media/']")}
        wanted |= {img["src"] for img in doc.select("img")}
        served: set[str] = set()
        for href in wanted:
            response = await ds.client.get(href)
            assert response.status_code == 200
            assert response.headers["x-content-type-options"] == "nosniff"
            original = _original(crawled, response.content)
            assert response.headers["content-type"] == TYPES[original.suffix]
            served.add(crawled.base_url + original.relative_to(crawled.site_dir).as_posix())
            checked += 1
        assert served == _shown(crawled, article_id), article_id
    assert checked >= 12


def _original(crawled: CrawledSite, body: bytes) -> Path:
    """The sample site's file whose bytes these are (each file is distinct)."""
    digest = hashlib.sha256(body).hexdigest()
    matches = [
        p
        for p in (crawled.site_dir / "IMG").rglob("*")
        if p.is_file() and hashlib.sha256(p.read_bytes()).hexdigest() == digest
    ]
    assert len(matches) == 1, matches
    return matches[0]


async def test_the_hostile_article_loads_nothing_from_elsewhere(
    ds: Datasette, crawled: CrawledSite
) -> None:
    ids = _ids(crawled)
    doc, headers = await _reader(ds, ids[HOSTILE_ID])
    body = doc.select_one(".aa-body")
    assert "img-src 'self' data:" in headers["content-security-policy"]
    assert "pixel.gif" not in " ".join(img["src"] for img in doc.select("img"))
    missing = [span["title"] for span in body.select("span.aa-missing")]
    assert len(missing) == 2
    assert any("pixel.gif" in m for m in missing) and any("absent.png" in m for m in missing)
    [image] = body.select("img")
    response = await ds.client.get(image["src"])
    assert response.content == (crawled.site_dir / "IMG" / "manifestation.png").read_bytes()


async def test_links_to_archived_articles_stay_inside_others_are_marked(
    ds: Datasette, crawled: CrawledSite
) -> None:
    ids = _ids(crawled)
    doc, _ = await _reader(ds, ids[HOSTILE_ID])
    links = {a.get_text(" ", strip=True): a for a in doc.select(".aa-body a")}
    assert links["le premier article"]["href"] == f"/archive/articles/{ids[1]}/read"
    assert "aa-internal" in links["le premier article"]["class"]
    assert links["le même sujet par son numéro"]["href"] == f"/archive/articles/{ids[5]}/read"
    outside = links["un rapport ailleurs ↗"]
    assert outside["href"] == "https://example.org/rapport"
    assert "aa-external" in outside["class"] and "external" in outside["rel"]
    assert "example.org" in outside["title"] and outside.select_one(".aa-leaves")
    # refused attachments are not in the archive: they lead to the original, marked
    for text in ("une fausse photo ↗", "un gros dossier (PDF) ↗"):
        assert links[text]["href"].startswith(crawled.base_url)
        assert "aa-external" in links[text]["class"]
    pdf = links["le dossier de la coopérative (PDF)"]
    data = (crawled.site_dir / "IMG" / "pdf" / "dossier-kitaura.pdf").read_bytes()
    assert pdf["href"] == MEDIA + hashlib.sha256(data).hexdigest()
    response = await ds.client.get(pdf["href"])
    assert response.content == data and response.headers["content-type"] == "application/pdf"
    assert "dossier-kitaura.pdf" in response.headers["content-disposition"]


async def test_media_route_answers_404_for_what_it_does_not_hold(ds: Datasette) -> None:
    for path in (MEDIA + "0" * 64, MEDIA + "not-a-hash", "/nodb/-/media/" + "a" * 64):
        assert (await ds.client.get(path)).status_code == 404, path


async def test_media_are_sandboxed(ds: Datasette, crawled: CrawledSite) -> None:
    data = (crawled.site_dir / "IMG" / "port.png").read_bytes()
    response = await ds.client.get(MEDIA + hashlib.sha256(data).hexdigest())
    assert response.content == data
    assert "sandbox" in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]


BASE = "https://site.org/article-3"


def test_rewrite_rules_on_a_fragment() -> None:
    html = (
        '<p><img src="https://site.org/IMG/a.png" srcset="https://site.org/IMG/a2.png 2x">'
        '<img src="data:image/gif;base64,R0lGOD"><img src="//cdn.example/t.gif" alt="logo">'
        '<a href="#nb1">1</a><a href="mailto:x@site.org">mail</a>'
        '<a href="/IMG/pdf/r.pdf">r</a><a href="https://site.org/article-9#s2">nine</a>'
        '<a href="https://else.org/x" title="Source">src</a></p>'
    )
    targets = Targets(
        media={
            "https://site.org/IMG/a.png": {"sha256": "a" * 64},
            "https://site.org/IMG/pdf/r.pdf": {"sha256": "b" * 64},
        },
        articles={"https://site.org/article-9": 9},
    )
    doc = BeautifulSoup(str(rewrite(html, BASE, targets, "/db")), "html.parser")
    srcs = [img["src"] for img in doc.select("img")]
    assert srcs == ["/db/-/media/" + "a" * 64, "data:image/gif;base64,R0lGOD"]
    assert not doc.select("img[srcset]")
    assert (
        doc.select_one("span.aa-missing")["title"]
        == "Image not archived: https://cdn.example/t.gif"
    )
    hrefs = [a["href"] for a in doc.select("a")]
    assert hrefs == [
        "#nb1",
        "mailto:x@site.org",
        "/db/-/media/" + "b" * 64,
        "/db/articles/9/read#s2",
        "https://else.org/x",
    ]
    external = doc.select("a")[-1]
    assert external["title"] == "Source (leaves the archive for else.org)"
    assert not doc.select("a[href^='#'].aa-external, a[href^='mailto'].aa-external")
