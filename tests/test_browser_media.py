"""Real Chromium reading archived articles: every request stays on the archive's own origin.

The archive is crawled from the hostile sample site (a tracking pixel of another host, an
image the site lacks, attached PDFs), the site is stopped, the archive is served on loopback;
every request the browser makes while reading is recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import sqlite_utils
from playwright.sync_api import Page

from fixtures.media_site import HOSTILE_ID, crawl_hostile
from servers import ScriptedServer, served_archive


@dataclass
class Reading:
    base: str  # the archive's origin
    tracker: ScriptedServer
    ids: dict[int, int]  # article row id by SPIP id
    with_media: list[int]  # article row ids that show an archived image


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reading]:
    with ScriptedServer() as tracker:
        crawled = crawl_hostile(tmp_path_factory.mktemp("browser-media"), tracker)
        db = sqlite_utils.Database(crawled.db_path)
        ids = dict(db.execute("SELECT spip_id, id FROM articles").fetchall())
        shown = db.execute(
            "SELECT DISTINCT article_id FROM article_media WHERE media_id IS NOT NULL "
            "AND role = 'image'"
        )
        with_media = sorted(r[0] for r in shown)
        db.close()
        with served_archive(crawled.db_path) as base:
            yield Reading(base, tracker, ids, with_media)


def _read(page: Page, reading: Reading, article_id: int) -> list[str]:
    """Open one reader page, wait for its images; the URLs of every request made."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(f"{reading.base}/archive/articles/{article_id}/read", wait_until="networkidle")
    return seen


def test_reading_sends_no_request_to_another_host(page: Page, reading: Reading) -> None:
    targets = [reading.ids[HOSTILE_ID], *reading.with_media]
    assert len(targets) > 5
    for article_id in targets:
        seen = _read(page, reading, article_id)
        assert seen, article_id
        elsewhere = [url for url in seen if not url.startswith(reading.base + "/")]
        assert elsewhere == [], (article_id, elsewhere)
        # every image on the page came from the archive and was drawn
        sizes = page.eval_on_selector_all(
            ".aa-body img", "imgs => imgs.map(i => [i.complete, i.naturalWidth])"
        )
        assert all(done and width > 0 for done, width in sizes), (article_id, sizes)
    assert reading.tracker.requests == []  # the pixel's server never heard from us
    assert page.console_errors == []  # type: ignore[attr-defined]  # no CSP violation either


def test_hostile_article_shows_its_own_image_and_marks_the_rest(
    page: Page, reading: Reading
) -> None:
    _read(page, reading, reading.ids[HOSTILE_ID])
    assert page.locator(".aa-body img").count() == 1
    assert page.locator(".aa-body .aa-missing").count() == 2
    outside = page.locator(".aa-body a.aa-external", has_text="un rapport ailleurs")
    assert outside.get_attribute("rel") == "external noopener noreferrer"
    assert "example.org" in (outside.get_attribute("title") or "")
    page.locator(".aa-body a.aa-internal", has_text="le premier article").click()
    page.wait_for_url(f"**/archive/articles/{reading.ids[1]}/read")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_an_attached_pdf_opens_from_the_archive(page: Page, reading: Reading) -> None:
    _read(page, reading, reading.ids[HOSTILE_ID])
    href = page.locator(".aa-body a.aa-media", has_text="dossier").get_attribute("href") or ""
    assert href.startswith("/archive/-/media/")
    response = page.request.get(reading.base + href)
    assert response.status == 200 and response.body().startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"
