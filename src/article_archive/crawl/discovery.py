"""What the crawl learns from the pages that lead to articles: the home, the plan, rubric listings.

Pure functions of a page's text (and, for the home, of its robots.txt ``Sitemap:`` lines), used
the same way on every run: a ``--backfill`` after ordinary runs fetches the home again and
reads it with the same :func:`analyse_home` as a first run, robots.txt sitemaps included.

Feeds are read wherever they are announced: the autodiscovery ``<link>`` of a page, SPIP's
site-wide backend, and the rubric and language feeds SPIP's templates link from rubric pages
(``spip.php?page=backend&id_rubrique=N``, ``&lang=xx``). Once in the frontier, a feed is asked
again on every run (with a conditional GET), like the site's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from article_archive.discover.feeds import find_feed_links, spip_backend_url, spip_feed_links
from article_archive.discover.links import SiteScope
from article_archive.discover.sitemaps import default_sitemap_urls
from article_archive.discover.spip import (
    listing_links,
    plan_links,
    plan_url,
    rubric_links,
)
from article_archive.extract.spip import is_spip


@dataclass
class Found:
    """A URL discovered on a page, with what the source said about its freshness."""

    url: str
    kind: str
    lastmod: str | None = None
    published: str | None = None
    source: str = "page"


def page_feeds(body: bytes, url: str, scope: SiteScope, *, spip: bool) -> list[str]:
    """The feeds a page announces (autodiscovery) and, on SPIP, the backend feeds it links."""
    feeds = find_feed_links(body, url)
    if spip:
        feeds += spip_feed_links(body, url)
    return scope.filter(list(dict.fromkeys(feeds)))


def analyse_home(
    body: bytes,
    headers: dict[str, str],
    url: str,
    *,
    backfill: bool,
    scope: SiteScope,
    robots_sitemaps: list[str],
) -> tuple[bool, list[Found]]:
    """Whether the home is SPIP's, and what it leads to.

    Always its feeds (autodiscovery, SPIP's backend); with ``backfill`` also the rubric and
    language feeds it links, the plan, the rubrics and the sitemaps (robots.txt's, then the
    usual places). Without backfill the sitemaps too when the site has no feed at all.
    """
    spip = is_spip(body, headers)
    feeds = scope.filter(find_feed_links(body, url))
    if spip and spip_backend_url(url) not in feeds:
        feeds.append(spip_backend_url(url))
    if backfill:
        feeds += [f for f in page_feeds(body, url, scope, spip=spip) if f not in feeds]
    found = [Found(f, "feed") for f in feeds]
    if backfill or not feeds:
        sitemaps = scope.filter(robots_sitemaps) + default_sitemap_urls(url, spip=spip)
        found += [Found(s, "sitemap") for s in dict.fromkeys(sitemaps)]
    if backfill and spip:
        found.append(Found(plan_url(url), "plan"))
        found += [Found(u, "listing") for u in scope.filter(rubric_links(body, url))]
    return spip, found


def analyse_plan(body: bytes, url: str, scope: SiteScope) -> list[Found]:
    """The articles and rubrics of SPIP's plan page."""
    articles = scope.filter(plan_links(body, url))
    rubrics = scope.filter(rubric_links(body, url))
    return [Found(u, "article") for u in articles] + [Found(u, "listing") for u in rubrics]


def analyse_listing(body: bytes, url: str, scope: SiteScope) -> list[Found]:
    """A rubric listing's articles, its next pages, the rubrics it links, and its feeds."""
    articles, pages = listing_links(body, url)
    rubrics = rubric_links(body, url)
    found = [Found(u, "article") for u in scope.filter(articles)]
    found += [Found(u, "listing") for u in scope.filter(pages + rubrics)]
    found += [Found(f, "feed") for f in page_feeds(body, url, scope, spip=True)]
    return found
