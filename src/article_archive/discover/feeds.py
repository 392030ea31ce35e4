"""Feeds: autodiscovery links in HTML pages, RSS/Atom parsing (feedparser), SPIP's backend."""

from __future__ import annotations

import calendar
import logging
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import feedparser

from article_archive.discover.links import (
    document_base,
    page_links,
    parse_html,
    resolve,
    site_url,
)
from article_archive.errors import ExtractionError
from article_archive.models import FeedEntry
from article_archive.spip_urls import is_backend_url

log = logging.getLogger(__name__)

FEED_MEDIA_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml"}
)


def find_feed_links(html: str | bytes, base_url: str) -> list[str]:
    """The feeds a page announces with ``<link rel="alternate" type="application/rss+xml">``."""
    tree = parse_html(html)
    if tree is None:
        return []
    base = document_base(tree, base_url)
    found: dict[str, None] = {}
    for link in tree.xpath("//link[@href]"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        if "alternate" in rels and kind in FEED_MEDIA_TYPES:
            url = resolve(base, link.get("href"))
            if url:
                found.setdefault(url, None)
    return list(found)


def spip_feed_links(html: str | bytes, base_url: str) -> list[str]:
    """SPIP feeds a page links to: a rubric's (``id_rubrique=N``), a language's (``lang=xx``).

    SPIP's templates link them from rubric pages and footers as plain ``<a>``, not as
    autodiscovery ``<link>``: they are found only by reading the page's links.
    """
    return [url for url in page_links(html, base_url) if is_backend_url(url)]


def spip_backend_url(base_url: str) -> str:
    """SPIP's site-wide RSS feed, ``spip.php?page=backend``, next to the site's home."""
    return site_url(base_url, "spip.php?page=backend")


def looks_like_feed_url(url: str) -> bool:
    """A guess from the address alone: SPIP backends, .rss/.atom/.xml files, /feed paths."""
    try:
        path = urlsplit(url).path.lower()
    except ValueError:  # a malformed address is no feed
        return False
    if is_backend_url(url):
        return True
    if "sitemap" in path:
        return False
    return path.endswith((".rss", ".atom", ".rdf", "/feed", "/feed/", "/rss", "/rss/")) or (
        path.endswith(".xml") and ("rss" in path or "feed" in path or "atom" in path)
    )


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    stamp = calendar.timegm(parsed)
    return datetime.fromtimestamp(stamp, UTC).isoformat()


def parse_feed(data: bytes, url: str) -> tuple[str | None, list[FeedEntry]]:
    """The title and entries of an RSS or Atom feed; ExtractionError if it is not one."""
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception") or "no RSS or Atom document"
        raise ExtractionError(f"not a feed: {url}: {problem}")
    if parsed.get("bozo"):
        log.info("feed %s is not well-formed (%s); kept what parsed", url, parsed.bozo_exception)
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        link = item.get("link") or (item.get("id") if item.get("guidislink") else None)
        target = resolve(url, link) if link else None
        if not target:
            continue
        # feedparser files RSS pubDate under "published" and dc:date under "updated":
        # SPIP feeds carry only dc:date, which is the publication date there.
        published = _iso(item.get("published_parsed"))
        updated = _iso(item.get("updated_parsed"))
        if published is None:
            published, updated = updated, None
        entries.append(FeedEntry(target, item.get("title"), published, updated, source=url))
    if parsed.get("bozo") and not entries:
        raise ExtractionError(f"not a feed: {url}: {parsed.get('bozo_exception')}")
    return parsed.feed.get("title"), entries
