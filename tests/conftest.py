"""Fixtures shared across the test suite (add yours below; keep each small)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# --- store: article records and archives (store engineer) ---


def make_article(**overrides: object) -> dict:
    """A plain article dict shaped like ``extract()``'s output; override any field."""
    article: dict = {
        "url": "https://www.example.org/spip.php?article1",
        "site": "www.example.org",
        "spip_id": 1,
        "lang": "fr",
        "title": "Les centrales nucléaires",
        "surtitle": None,
        "subtitle": "Un état des lieux",
        "section": "ÉTATS NUCLÉAIRES",
        "section_path": ["Monde", "ÉTATS NUCLÉAIRES"],
        "authors": [{"name": "HAYASHI Noriko", "url": "https://www.example.org/auteur1"}],
        "published": "2023-10-12",
        "written": "2023-10-04",
        "updated": None,
        "lead": "Après l'élection, le débat reprend.",
        "toc": [{"level": 2, "title": "Le contexte", "anchor": "contexte"}],
        "body_html": "<h2 id='contexte'>Le contexte</h2><p>Les réacteurs vieillissent [1].</p>",
        "body_text": "Le contexte\n\nLes réacteurs vieillissent [1].",
        "footnotes": [{"number": "1", "text": "Rapport 2022.", "html": "<p>Rapport 2022.</p>"}],
        "postscript": "Traduit par la rédaction.",
        "keywords": ["Japon", "Énergie"],
        "translations": [{"lang": "en", "url": "https://www.example.org/spip.php?article2"}],
        "word_count": 4,
        "extractor": "spip 0.1",
    }
    article.update(overrides)
    return article


@pytest.fixture
def archive(tmp_path):
    """A fresh archive database file in ``tmp_path`` (closed after the test)."""
    from article_archive.store import open_archive

    db = open_archive(tmp_path / "archive.db")
    yield db
    db.close()


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web fixture archive (tests/fixtures/web_articles.py), one per test module."""
    from fixtures.web_articles import build_archive

    return build_archive(tmp_path_factory.mktemp("web") / "archive.db")


@pytest.fixture
async def ds(archive_path: Path):
    """A started Datasette with our plugin over the web fixture archive."""
    from article_archive.web.serve import make_datasette

    datasette = make_datasette(archive_path)
    await datasette.invoke_startup()
    return datasette


# --- browser: Debian's chromium through Playwright (its own download cannot run here) ---

CHROMIUM = os.environ.get("AA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium; fails (never skips) when the browser is missing."""
    assert Path(CHROMIUM).exists(), f"Chromium is required for the browser tests: {CHROMIUM}"
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop-sized page that records console errors (CSP violations show there)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.console_errors = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))  # type: ignore[attr-defined]
    yield pg
    context.close()
