"""Every page type in Chromium: an axe-core accessibility audit, landmarks, footnote calls, dates.

axe-core comes from npm into ``.cache/axe`` (``scripts/axe_core.py``; ``make test`` runs it too).
It is injected into the page by Playwright, with the page's CSP bypassed for that one script.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from fixtures.web_articles import build_archive
from servers import served_archive

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from axe_core import axe_script  # noqa: E402

PAGES = {
    "front": "/",
    "search with results": "/archive/search?q=nucl%C3%A9aire",
    "search with none": "/archive/search?q=zzzyyyxxx",
    "reader": "/archive/articles/{fukushima}/read",
    "section list": "/archive/section/Br%C3%A8ves",
    "author list": "/archive/author/1",
    "404": "/no/such/page",
}


@pytest.fixture(scope="module")
def archive_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web fixture archive."""
    return build_archive(tmp_path_factory.mktemp("a11y") / "archive.db")


@pytest.fixture(scope="module")
def server(archive_file: Path) -> Iterator[str]:
    """``serve()`` in a child process over the web fixture archive."""
    with served_archive(archive_file) as base:
        yield base


@pytest.fixture(scope="module")
def fukushima(archive_file: Path) -> int:
    """Our id of the French Fukushima article (SPIP article 101): notes, TOC, translation."""
    with sqlite3.connect(archive_file) as conn:
        return conn.execute("SELECT id FROM articles WHERE spip_id = 101").fetchone()[0]


@pytest.fixture(scope="module")
def axe() -> str:
    """The source of axe.min.js (installed from npm on first use)."""
    return axe_script().read_text(encoding="utf-8")


@pytest.fixture
def audit_page(browser: Browser) -> Iterator[Page]:
    """A page whose CSP lets the audit's script in (our CSP is tested in test_web_pages)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def _violations(page: Page, axe: str) -> list[dict[str, Any]]:
    page.evaluate(axe)
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_serious_accessibility_violation(
    audit_page: Page, server: str, axe: str, fukushima: int, kind: str
) -> None:
    audit_page.goto(server + PAGES[kind].format(fukushima=fukushima))
    bad = _violations(audit_page, axe)
    assert bad == [], [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5]) for v in bad]


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_has_lang_main_and_a_skip_link(
    page: Page, server: str, fukushima: int, kind: str
) -> None:
    page.goto(server + PAGES[kind].format(fukushima=fukushima))
    assert page.get_attribute("html", "lang") in ("en", "fr")
    assert page.locator("main#aa-main").count() == 1
    page.keyboard.press("Tab")
    skip = page.locator("a.aa-skip")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "aa-main"


def test_one_search_box_on_front_and_search(page: Page, server: str) -> None:
    for path in ("/", "/archive/search?q=union"):
        page.goto(server + path)
        assert page.locator("input[type=search]:visible").count() == 1, path


def test_footnote_calls_are_one_superscript_each(page: Page, server: str, fukushima: int) -> None:
    page.goto(f"{server}/archive/articles/{fukushima}/read")
    calls = page.locator(".aa-body sup.aa-call")
    assert calls.all_inner_texts() == ["[1]", "[2]"]
    style = calls.first.evaluate(
        "el => [getComputedStyle(el).verticalAlign, getComputedStyle(el).fontSize]"
    )
    assert style[0] == "super"
    body_size = page.locator(".aa-body p").first.evaluate("el => getComputedStyle(el).fontSize")
    assert float(style[1][:-2]) < float(body_size[:-2])


def test_the_leads_call_looks_like_the_bodys(page: Page, server: str, tmp_path: Path) -> None:
    from article_archive.store import open_archive, save_article
    from conftest import make_article

    db = open_archive(tmp_path / "archive.db")
    notes = [
        {"number": "1", "text": "Source.", "html": "<p>Source.</p>"},
        {"number": "2", "text": "Autre.", "html": "<p>Autre.</p>"},
    ]
    body = '<p>Le texte<a href="#nb2" class="spip_note" id="nh2">2</a>.</p>'
    lead = "Le chapeau cite une source [1]."
    art, _ = save_article(db, make_article(lead=lead, body_html=body, footnotes=notes))
    db.close()
    with served_archive(tmp_path / "archive.db") as base:
        page.goto(f"{base}/archive/articles/{art}/read")
        lead = page.locator(".aa-lead sup.aa-call")
        body = page.locator(".aa-body sup.aa-call")
        assert (lead.inner_text(), body.inner_text()) == ("[1]", "[2]")
        css = "el => getComputedStyle(el).verticalAlign + ' ' + getComputedStyle(el).fontWeight"
        assert lead.evaluate(css) == body.evaluate(css) == "super 600"


def test_related_dates_stay_on_one_line(browser: Browser, server: str, fukushima: int) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    pg = context.new_page()
    try:
        pg.goto(f"{server}/archive/articles/{fukushima}/read")
        dates = pg.locator(".aa-related time, .aa-card time, .aa-head time")
        assert dates.count() >= 2
        for i in range(dates.count()):
            rects = dates.nth(i).evaluate("el => el.getClientRects().length")
            assert rects == 1, dates.nth(i).inner_text()
    finally:
        context.close()


def test_search_beyond_the_last_page(page: Page, server: str) -> None:
    page.goto(server + "/archive/search?q=union&page=999")
    text = page.locator("main").inner_text()
    assert "No article matches" not in text
    assert "There is no page 999" in text
    assert page.locator(".aa-timing").count() == 0  # no "19981–6 of 6"
    page.locator("main a", has_text="Back to the first page").click()
    assert page.locator(".aa-card").count() >= 1


def test_the_articles_table_page_is_not_a_tower(page: Page, server: str) -> None:
    page.goto(server + "/archive/articles")
    rows = page.locator("table.rows-and-columns tbody tr").count()
    assert rows == 32
    table = page.locator("table.rows-and-columns").bounding_box()
    assert table is not None and table["height"] < 90 * rows, table  # a row is a few lines
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 8000, height  # was 24,773 px for 36 rows with every column shown
    page.locator("a", has_text="show every column").click()
    page.wait_for_load_state()
    assert page.locator("th[data-column=body_text]").count() == 1
