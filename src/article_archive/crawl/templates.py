"""The sites' templates during a crawl: learned as pages arrive, handed to extraction.

Workers fingerprint every HTML page they fetch (``extract.learn_blocks``, into
``Outcome.blocks``); the engine thread counts them in the archive (``store.chrome``) and keeps
each site's chrome blocks in ``chrome``, which the workers read when they extract an article
(a dict whose values are replaced whole, read by threads without a lock).

Early pages: a site's first articles come before its template is known. The crawl fetches a
site's home page (and, with ``--backfill``, its plan and listings) before the articles they
lead to, so the template is mostly learned from them; and the articles archived while the
site has fewer than ``EARLY_PAGES`` learned pages are re-extracted from their stored bodies
whenever the chrome changes, so none keeps a field the template later shows to be chrome.
Past that, the chrome is judged again every ``REFRESH_EVERY`` pages (``reparse`` applies the
final template to every page).
"""

from __future__ import annotations

import logging
import zlib

import sqlite_utils

from article_archive.crawl.disk import is_disk_full
from article_archive.errors import ExtractionError
from article_archive.extract.chrome import Block, ChromeBlocks
from article_archive.sites import site_of
from article_archive.store import StoredCapture, archive
from article_archive.store.chrome import (
    learn_page,
    learned_sites,
    page_charsets,
    refresh_chrome,
    site_pages,
)
from article_archive.store.pages import stored_captures

log = logging.getLogger(__name__)

EARLY_PAGES = 50
REFRESH_EVERY = 10


class SiteTemplates:
    """Per-site chrome, learned and refreshed from the engine thread only."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.chrome: dict[str, ChromeBlocks] = {s: refresh_chrome(db, s) for s in learned_sites(db)}
        # site -> {page id of an early article: the chrome it was extracted with}
        self.early: dict[str, dict[int, ChromeBlocks]] = {}

    def for_url(self, url: str) -> ChromeBlocks | None:
        """The chrome of the site of ``url``, if any was learned."""
        return self.chrome.get(site_of(url)) or None

    def record(
        self,
        url: str,
        kind: str,
        blocks: list[Block] | None,
        article_page: int | None,
        used: ChromeBlocks | None,
    ) -> None:
        """One stored answer: learn its blocks; an early article is remembered for revisits."""
        if blocks is None and article_page is None:
            return  # a feed, a sitemap, a media file: no template in it
        site = site_of(url)
        learned = blocks is not None and learn_page(self.db, site, url, kind, blocks)
        pages = site_pages(self.db, site)
        if article_page is not None and pages <= EARLY_PAGES:
            self.early.setdefault(site, {})[article_page] = used or frozenset()
        if not learned or (pages > EARLY_PAGES and pages % REFRESH_EVERY):
            return
        self.chrome[site] = refresh_chrome(self.db, site)
        self._revisit(site)
        if pages >= EARLY_PAGES:
            self.early.pop(site, None)

    def _revisit(self, site: str) -> None:
        """Re-extract the early articles of ``site`` that saw another chrome than today's."""
        chrome = self.chrome.get(site, frozenset())
        early = self.early.get(site, {})
        stale = sorted(page for page, used in early.items() if used != chrome)
        if not stale:
            return
        log.info("%s: template learned; re-extracting %d early article(s)", site, len(stale))
        charsets = page_charsets(self.db, stale)
        for batch in stored_captures(self.db, stale, len(stale)):
            for page in batch:
                early[page.page_id] = chrome
                self._reextract(page, charsets.get(page.page_id), chrome)

    def _reextract(self, page: StoredCapture, charset: str | None, chrome: ChromeBlocks) -> None:
        from article_archive.extract import as_text, extract_article
        from article_archive.reparse import stored_headers

        try:
            headers = stored_headers(page)
            body = as_text(zlib.decompress(page.body), charset)
            article = extract_article(body, page.url, headers, chrome=chrome)
            archive(self.db, page, article=article)
        except ExtractionError as exc:
            log.info("re-extracting %s with its site's template: %s", page.url, exc)
        except Exception as exc:  # the article stays as first extracted: not this page's fault
            if is_disk_full(exc):
                raise
            log.exception("re-extracting %s with its site's template", page.url)
