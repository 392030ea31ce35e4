"""Sitemaps: urlset, sitemap index, gzip, hreflang alternates, robots.txt Sitemap lines."""

from __future__ import annotations

import logging
import zlib

import lxml.etree

from article_archive.discover.links import resolve, site_url
from article_archive.errors import ExtractionError
from article_archive.models import FeedEntry

log = logging.getLogger(__name__)

# A gzip sitemap may hold at most 50 MB uncompressed (sitemaps.org); past that it is a bomb.
MAX_UNCOMPRESSED = 50 * 1024 * 1024
_XHTML = "http://www.w3.org/1999/xhtml"


def gunzip_limited(data: bytes, limit: int = MAX_UNCOMPRESSED) -> bytes:
    """Decompress gzip ``data``, refusing more than ``limit`` bytes of output."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ExtractionError(f"broken gzip sitemap: {exc}") from exc
    if len(out) > limit:
        raise ExtractionError(f"gzip sitemap larger than {limit} bytes")
    return out


def _local(tag: object) -> str:
    return lxml.etree.QName(tag).localname if isinstance(tag, str) else ""


def parse_sitemap(data: bytes, url: str) -> tuple[list[FeedEntry], list[FeedEntry]]:
    """Page entries and child sitemaps of a sitemap or sitemap index (gzip or not).

    Both come as FeedEntry with the ``<lastmod>`` in ``updated``: a child sitemap whose lastmod
    did not change since the last run need not be asked again.
    """
    if data[:2] == b"\x1f\x8b":
        data = gunzip_limited(data)
    parser = lxml.etree.XMLParser(
        recover=True, resolve_entities=False, no_network=True, huge_tree=False
    )
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise ExtractionError(f"not a sitemap: {url}: {exc}") from exc
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        raise ExtractionError(f"not a sitemap: {url}")
    entries: list[FeedEntry] = []
    children: list[FeedEntry] = []
    for item in root:
        name = _local(item.tag)
        fields = {_local(child.tag): (child.text or "").strip() for child in item}
        loc = resolve(url, fields.get("loc", ""))
        if not loc:
            continue
        lastmod = fields.get("lastmod") or None
        if name == "sitemap":
            children.append(FeedEntry(loc, None, None, lastmod, source=url))
        elif name == "url":
            entries.append(FeedEntry(loc, None, None, lastmod, source=url))
            for alt in item.iter(f"{{{_XHTML}}}link"):
                href = resolve(url, alt.get("href") or "")
                if href and alt.get("rel") == "alternate" and href != loc:
                    entries.append(FeedEntry(href, None, None, lastmod, source=url))
    return entries, children


def robots_sitemaps(robots_txt: str, base_url: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt, as absolute URLs."""
    found: list[str] = []
    for line in robots_txt.splitlines():
        key, _, value = line.partition(":")
        if key.strip().lower() == "sitemap" and value.strip():
            url = resolve(base_url, value.strip())
            if url is not None:  # a Sitemap: line to nowhere is no sitemap
                found.append(url)
    return found


def default_sitemap_urls(base_url: str, *, spip: bool = False) -> list[str]:
    """Where sitemaps usually live: ``/sitemap.xml`` (and SPIP's ``page=sitemap.xml``)."""
    urls = [site_url(base_url, "/sitemap.xml")]
    if spip:
        urls.append(site_url(base_url, "spip.php?page=sitemap.xml"))
    return urls
