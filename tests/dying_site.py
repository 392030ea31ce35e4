"""The sample SPIP site in its last days: it answers 404, 503 or its home page instead.

``DyingSite`` serves the bundled sample site (or a copy) like ``SampleSite`` until ``mode`` is
set: ``"404"``, ``"503"`` and ``"home"`` answer that (the home page) for every address,
robots.txt, feeds and images included; ``"home-articles"`` answers the home page at every
article's address only and serves the rest as before (its feeds still list the articles).
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import unquote, urlsplit

from article_archive_sample.layout import Page
from article_archive_sample.server import SampleSite
from article_archive_sample.site import Site

Mode = Literal["404", "503", "home", "home-articles"] | None


class DyingSite(SampleSite):
    """The sample site, answering one failure for every address (or every article) per ``mode``."""

    mode: Mode = None

    def _page(self, site: Site, target: str) -> Page:
        if self.mode == "404":
            return Page(body="Not Found", status=404, content_type="text/plain")
        if self.mode == "503":
            return Page(body="busy", status=503, content_type="text/plain")
        if self.mode == "home" or (self.mode == "home-articles" and _is_article(site, target)):
            return super()._page(site, "/")
        return super()._page(site, target)


def _is_article(site: Site, target: str) -> bool:
    """Whether ``target`` (path and query) is an article's readable address."""
    path = unquote(urlsplit(target).path).lstrip("/")
    return bool(path) and site.article_by_slug(path) is not None
