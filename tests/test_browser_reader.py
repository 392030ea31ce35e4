"""Real Chromium against a real served archive: search, read, notes, TOC, CSV, phone layout.

Chromium is Debian's ``/usr/bin/chromium`` (Playwright's own download cannot run here). A
missing browser is a failure, not a skip: these tests must run in CI.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from fixtures.web_articles import build_archive
from servers import served_archive

# Kept out of git; `scripts/screenshots.py` makes the README's pictures from the demo archive.
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``serve()`` in a child process on a free loopback port; yields the base URL."""
    with served_archive(build_archive(tmp_path_factory.mktemp("browser") / "archive.db")) as base:
        yield base


def _search(page: Page, base: str, words: str) -> None:
    page.goto(base + "/")
    page.fill("#aa-front-q", words)
    page.press("#aa-front-q", "Enter")
    page.wait_for_url("**/search?**")


def test_search_finds_the_singular_with_the_plural(page: Page, server: str) -> None:
    _search(page, server, "nucléaires")
    titles = page.locator(".aa-card-title").all_inner_texts()
    assert "Le débat revient au Parlement" in titles
    expect(page.locator(".aa-results-head")).to_contain_text("2 results")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_front_page(page: Page, server: str) -> None:
    page.goto(server + "/")
    expect(page.locator("h1")).to_contain_text("The archive")
    assert page.locator(".aa-card").count() == 10
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "front.png"), full_page=True)
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_read_toc_notes_and_translation(page: Page, server: str) -> None:
    _search(page, server, "Fukushima eau")
    page.locator(".aa-card-title a", has_text="douze ans").click()
    page.wait_for_url("**/read")
    expect(page.locator("h1.aa-title")).to_contain_text("Fukushima")
    assert page.locator("article.aa-article").get_attribute("lang") == "fr"
    page.screenshot(path=str(SCREENSHOTS / "reader.png"), full_page=True)

    page.locator(".aa-toc a", has_text="Les pêcheurs en première ligne").click()
    assert page.url.endswith("#outil_sommaire_1")
    expect(page.locator("#outil_sommaire_1")).to_be_in_viewport()

    page.locator("a.spip_note[href='#nb2']").click()
    assert page.url.endswith("#nb2")
    expect(page.locator("#nb2")).to_be_in_viewport()
    expect(page.locator("#nb2")).to_contain_text("fédération nationale des pêcheurs")
    page.locator("#nb2 a.aa-back").click()
    assert page.url.endswith("#nh2")
    expect(page.locator("#nh2")).to_be_in_viewport()

    page.locator(".aa-translations a", has_text="English").click()
    page.wait_for_url("**/read")
    expect(page.locator("h1.aa-title")).to_contain_text("twelve years on")
    assert page.locator("article.aa-article").get_attribute("lang") == "en"
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_download_the_search_as_csv(page: Page, server: str) -> None:
    _search(page, server, "grève OR retraites")
    shown = int(page.locator(".aa-total").inner_text())
    with page.expect_download() as info:
        page.locator("a.aa-export-csv").click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == shown == 2
    assert {r["title"] for r in rows} == {
        "Retraites : la mobilisation continue",
        "Grève générale en Grèce",
    }


def test_phone_layout_has_no_horizontal_scroll(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    pg = context.new_page()
    try:
        for path in ["/", "/archive/search?q=union", "/archive/articles/1/read"]:
            pg.goto(server + path)
            assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        pg.goto(server + "/")
        pg.locator(".aa-card-title a", has_text="warehouse").click()
        pg.wait_for_url("**/read")
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        pg.goto(server + "/")
        pg.locator(".aa-card-title a", has_text="douze ans").click()
        pg.wait_for_url("**/read")
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        pg.screenshot(path=str(SCREENSHOTS / "reader-phone.png"), full_page=True)
    finally:
        context.close()
