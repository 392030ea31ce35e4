"""crawl/discovery.py and spip_feed_links: what the pages that lead to articles give, on strings."""

from __future__ import annotations

from article_archive.crawl.discovery import analyse_home, analyse_listing, analyse_plan
from article_archive.discover.feeds import spip_feed_links
from article_archive.discover.links import SiteScope

BASE = "http://site.example/"
RUBRIC = b"""<html><head><meta name="generator" content="SPIP 4.2.8">
<link rel="alternate" type="application/rss+xml" href="spip.php?page=backend&amp;id_rubrique=3">
</head><body class="page_rubrique">
<a href="spip.php?article41">Un article</a> <a href="-Asie-?debut_articles=10">suite</a>
<a href="spip.php?rubrique4">Japon</a>
<a href="spip.php?page=backend&amp;lang=en">English</a>
<a href="spip.php?page=backend&amp;id_rubrique=3">RSS</a>
<a href="https://elsewhere.example/spip.php?page=backend">their feed</a>
<a href="spip.php?page=plan">Plan</a></body></html>"""
HOME = b"""<html><head><meta name="generator" content="SPIP 4.2.8"></head><body>
<a href="spip.php?rubrique3">Asie</a>
<a href="spip.php?page=backend&amp;id_rubrique=3" type="application/rss+xml">RSS Asie</a>
</body></html>"""


def by_kind(found) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {}
    for item in found:
        kinds.setdefault(item.kind, []).append(item.url)
    return kinds


def test_spip_feed_links_are_the_backend_links_of_a_page():
    assert spip_feed_links(RUBRIC, BASE + "spip.php?rubrique3") == [
        BASE + "spip.php?page=backend&lang=en",
        BASE + "spip.php?page=backend&id_rubrique=3",
        "https://elsewhere.example/spip.php?page=backend",
    ]


def test_a_rubric_page_leads_to_its_articles_pages_rubrics_and_feeds():
    found = by_kind(analyse_listing(RUBRIC, BASE + "spip.php?rubrique3", SiteScope([BASE])))
    assert found["article"] == [BASE + "spip.php?article41"]
    assert found["listing"] == [BASE + "-Asie-?debut_articles=10", BASE + "spip.php?rubrique4"]
    # the autodiscovery link and the footer links, once each, on this site only
    assert found["feed"] == [
        BASE + "spip.php?page=backend&id_rubrique=3",
        BASE + "spip.php?page=backend&lang=en",
    ]


def test_the_home_gives_robots_sitemaps_to_a_backfill_and_rubric_feeds_only_then():
    scope = SiteScope([BASE])
    robots = [BASE + "hidden.xml", "https://elsewhere.example/sitemap.xml"]
    spip, found = analyse_home(HOME, {}, BASE, backfill=True, scope=scope, robots_sitemaps=robots)
    kinds = by_kind(found)
    assert spip
    assert kinds["feed"] == [
        BASE + "spip.php?page=backend",
        BASE + "spip.php?page=backend&id_rubrique=3",
    ]
    assert kinds["sitemap"] == [
        BASE + "hidden.xml",
        BASE + "sitemap.xml",
        BASE + "spip.php?page=sitemap.xml",
    ]
    assert kinds["plan"] == [BASE + "spip.php?page=plan"]
    assert kinds["listing"] == [BASE + "spip.php?rubrique3"]
    # an ordinary run: the site's feed only (it has one, so no sitemap either)
    _spip, found = analyse_home(HOME, {}, BASE, backfill=False, scope=scope, robots_sitemaps=robots)
    assert by_kind(found) == {"feed": [BASE + "spip.php?page=backend"]}


def test_the_plan_lists_articles_and_rubrics():
    found = by_kind(analyse_plan(RUBRIC, BASE + "spip.php?page=plan", SiteScope([BASE])))
    assert found == {
        "article": [BASE + "spip.php?article41"],
        "listing": [BASE + "spip.php?rubrique4"],
    }
