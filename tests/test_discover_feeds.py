"""discover/feeds.py: autodiscovery links and RSS/Atom parsing, on strings."""

from __future__ import annotations

import pytest

from article_archive.discover.feeds import (
    find_feed_links,
    looks_like_feed_url,
    parse_feed,
    spip_backend_url,
)
from article_archive.errors import ExtractionError

HOME = """<html><head>
<link rel="alternate" type="application/rss+xml" title="Tout" href="spip.php?page=backend" />
<link rel="alternate" type="application/atom+xml" href="/atom.xml">
<link rel="stylesheet" type="text/css" href="style.css">
<link rel="alternate" hreflang="en" href="/en/">
<link rel="alternate" type="application/rss+xml" href="spip.php?page=backend#dup">
</head><body><a href="/rss-not-a-link">x</a></body></html>"""

SPIP_RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Solidarit\xc3\xa9s</title><link>http://site.example/</link>
<item><title>La centrale et la baie</title>
<link>http://site.example/la-centrale-et-la-baie</link>
<guid isPermaLink="true">http://site.example/la-centrale-et-la-baie</guid>
<dc:date>2023-10-12T07:30:00Z</dc:date><dc:creator>NAKAMURA Aiko</dc:creator></item>
<item><title>Relative</title><link>/relatif</link><dc:date>2023-10-11T00:00:00Z</dc:date></item>
<item><title>No link</title></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom site</title>
<entry><title>One</title><link href="https://a.example/one"/><id>urn:1</id>
<published>2024-01-02T03:04:05+01:00</published><updated>2024-01-05T00:00:00Z</updated></entry>
</feed>"""


def test_autodiscovery_finds_rss_and_atom_links():
    assert find_feed_links(HOME, "http://site.example/") == [
        "http://site.example/spip.php?page=backend",
        "http://site.example/atom.xml",
    ]


def test_autodiscovery_honours_base_href():
    html = '<head><base href="http://site.example/sub/"><link rel="alternate" '
    html += 'type="application/rss+xml" href="feed.rss"></head>'
    assert find_feed_links(html, "http://other.example/") == ["http://site.example/sub/feed.rss"]


def test_autodiscovery_of_empty_page():
    assert find_feed_links("", "http://site.example/") == []


def test_spip_feed_uses_dc_date_as_publication():
    title, entries = parse_feed(SPIP_RSS, "http://site.example/spip.php?page=backend")
    assert title == "Solidarités"
    assert [e.url for e in entries] == [
        "http://site.example/la-centrale-et-la-baie",
        "http://site.example/relatif",
    ]
    first = entries[0]
    assert first.title == "La centrale et la baie"
    assert first.published == "2023-10-12T07:30:00+00:00"
    assert first.updated is None
    assert first.source == "http://site.example/spip.php?page=backend"


def test_atom_published_and_updated():
    title, (entry,) = parse_feed(ATOM, "https://a.example/feed")
    assert title == "Atom site"
    assert entry.published == "2024-01-02T02:04:05+00:00"
    assert entry.updated == "2024-01-05T00:00:00+00:00"


def test_broken_feed_raises():
    with pytest.raises(ExtractionError, match="not a feed"):
        parse_feed(b"<html><body>Oops</body></html>", "http://x/feed")
    with pytest.raises(ExtractionError):
        parse_feed(b"", "http://x/feed")


def test_truncated_feed_keeps_what_parsed():
    _, entries = parse_feed(SPIP_RSS[: SPIP_RSS.index(b"<item><title>Relative")], "http://x/f")
    assert [e.title for e in entries] == ["La centrale et la baie"]


def test_spip_backend_guess_and_feed_urls():
    assert spip_backend_url("https://www.europe-solidaire.org/") == (
        "https://www.europe-solidaire.org/spip.php?page=backend"
    )
    assert looks_like_feed_url("https://x.org/spip.php?page=backend&id_rubrique=3")
    assert looks_like_feed_url("https://x.org/feed/")
    assert looks_like_feed_url("https://x.org/rss.xml")
    assert not looks_like_feed_url("https://x.org/sitemap.xml")
    assert not looks_like_feed_url("https://x.org/spip.php?article12")
