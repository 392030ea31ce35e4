"""discover/sitemaps.py: urlset, index, gzip, hreflang, robots lines."""

from __future__ import annotations

import gzip

import pytest

from article_archive.discover.sitemaps import (
    default_sitemap_urls,
    gunzip_limited,
    parse_sitemap,
    robots_sitemaps,
)
from article_archive.errors import ExtractionError

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:xhtml="http://www.w3.org/1999/xhtml">
<url><loc>http://site.example/</loc></url>
<url><loc>http://site.example/la-centrale</loc><lastmod>2023-10-14T16:00:00Z</lastmod>
  <xhtml:link rel="alternate" hreflang="en" href="http://site.example/the-plant"/>
  <xhtml:link rel="alternate" hreflang="fr" href="http://site.example/la-centrale"/>
</url>
<url><loc> /relative </loc></url>
</urlset>"""

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>http://site.example/sitemap-1.xml.gz</loc><lastmod>2024-03-02</lastmod></sitemap>
<sitemap><loc>http://site.example/sitemap-2.xml</loc></sitemap>
</sitemapindex>"""


def test_urlset_with_lastmod_and_hreflang():
    entries, children = parse_sitemap(URLSET, "http://site.example/sitemap.xml")
    assert children == []
    assert [(e.url, e.updated) for e in entries] == [
        ("http://site.example/", None),
        ("http://site.example/la-centrale", "2023-10-14T16:00:00Z"),
        ("http://site.example/the-plant", "2023-10-14T16:00:00Z"),
        ("http://site.example/relative", None),
    ]


def test_sitemap_index():
    entries, children = parse_sitemap(INDEX, "http://site.example/sitemap.xml")
    assert entries == []
    assert [(c.url, c.updated) for c in children] == [
        ("http://site.example/sitemap-1.xml.gz", "2024-03-02"),
        ("http://site.example/sitemap-2.xml", None),
    ]


def test_gzip_sitemap():
    entries, _ = parse_sitemap(gzip.compress(URLSET), "http://site.example/s.xml.gz")
    assert len(entries) == 4


def test_gzip_bomb_is_refused():
    with pytest.raises(ExtractionError, match="larger than"):
        gunzip_limited(gzip.compress(b"0" * 10_000), limit=1000)
    with pytest.raises(ExtractionError, match="broken gzip"):
        gunzip_limited(b"\x1f\x8bnot gzip at all")


def test_not_a_sitemap():
    with pytest.raises(ExtractionError):
        parse_sitemap(b"<html><body>no</body></html>", "http://x/sitemap.xml")
    with pytest.raises(ExtractionError):
        parse_sitemap(b"", "http://x/sitemap.xml")


def test_robots_sitemap_lines_and_defaults():
    robots = "User-agent: *\nDisallow:\nSitemap: /sitemap.xml\nsitemap: http://b.example/s.xml\n"
    assert robots_sitemaps(robots, "http://a.example/robots.txt") == [
        "http://a.example/sitemap.xml",
        "http://b.example/s.xml",
    ]
    assert default_sitemap_urls("http://a.example/blog/", spip=True) == [
        "http://a.example/sitemap.xml",
        "http://a.example/blog/spip.php?page=sitemap.xml",
    ]
