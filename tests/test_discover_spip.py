"""discover/spip.py and discover/links.py: ids, link kinds, plan and listing pages."""

from __future__ import annotations

from article_archive.discover.links import SiteScope, normalize_url, page_links
from article_archive.discover.spip import (
    article_url_for_id,
    classify,
    listing_links,
    plan_links,
    plan_url,
    rubric_links,
    spip_id_from_url,
)
from article_archive.extract.spip import is_spip

BASE = "http://site.example/"

LISTING = """<html><head><meta name="generator" content="SPIP 3.2.7 [24473]" /></head><body>
<ul class="menu"><li><a href="-Asie-">Asie</a></li><li><a href="-Japon-">Japon</a></li></ul>
<h1>Asie</h1>
<ul><li><a href="la-centrale-et-la-baie">La centrale</a></li>
<li><a href="spip.php?article41">Aides à domicile</a></li>
<li><a href="_NAKAMURA-Aiko_">NAKAMURA Aiko</a> <a href="+-Nucleaire-+">Nucléaire</a></li></ul>
<p class="pagination"><span class="pages"><strong class="on">0</strong>
<a href="-Asie-?debut_articles=10#pagination_articles" class="lien_pagination" rel="nofollow">10</a>
<a href="-Asie-?debut_articles=20#pagination_articles" class="lien_pagination">20</a></span></p>
<a href="spip.php?page=backend&amp;id_rubrique=1">RSS</a> <a href="IMG/arton12.png">logo</a>
<a href="https://elsewhere.example/article">dehors</a> <a href="./">Accueil</a>
</body></html>"""


def test_spip_ids_from_urls():
    assert spip_id_from_url("https://www.europe-solidaire.org/spip.php?article68578") == 68578
    assert spip_id_from_url("http://x/article12.html") == 12
    assert spip_id_from_url("http://x/spip.php?page=article&id_article=5") == 5
    assert spip_id_from_url("http://x/article.php3?id_article=7") == 7
    assert spip_id_from_url("http://x/spip.php?rubrique3") is None
    assert spip_id_from_url("http://x/la-centrale") is None
    assert article_url_for_id(BASE, 42) == "http://site.example/spip.php?article42"
    assert plan_url(BASE) == "http://site.example/spip.php?page=plan"


def test_classify_links():
    assert classify(BASE + "spip.php?article12") == "article"
    assert classify(BASE + "la-centrale") == "article"
    assert classify(BASE + "-Asie-") == "rubrique"
    assert classify(BASE + "spip.php?rubrique3") == "rubrique"
    assert classify(BASE + "-Asie-?debut_articles=10") == "listing"
    assert classify(BASE + "_NAKAMURA-Aiko_") == "other"
    assert classify(BASE + "+-Nucleaire-+") == "other"
    assert classify(BASE + "spip.php?page=plan") == "other"
    assert classify(BASE + "IMG/arton12.png") == "other"
    assert classify(BASE) == "home"


def test_listing_articles_and_pagination():
    articles, pages = listing_links(LISTING, BASE + "-Asie-")
    scope = SiteScope([BASE])
    assert scope.filter(articles) == [
        "http://site.example/la-centrale-et-la-baie",
        "http://site.example/spip.php?article41",
    ]
    assert pages == [
        "http://site.example/-Asie-?debut_articles=10",
        "http://site.example/-Asie-?debut_articles=20",
    ]
    assert rubric_links(LISTING, BASE) == [
        "http://site.example/-Asie-",
        "http://site.example/-Japon-",
    ]
    assert "https://elsewhere.example/article" not in scope
    assert plan_links(LISTING, BASE)[:2] == articles[:2]


def test_is_spip():
    assert is_spip(LISTING)
    assert is_spip(b"<html></html>", {"Composed-By": "SPIP 4.2.1 @ www.spip.net"})
    assert not is_spip("<html><body>WordPress</body></html>", {"Server": "nginx"})


def test_links_helpers():
    assert normalize_url("HTTP://Site.Example:80/a?b=1#frag") == "http://site.example/a?b=1"
    assert normalize_url("https://site.example") == "https://site.example/"
    scope = SiteScope(["https://www.site.example/"])
    assert "https://www.site.example/x" in scope and "https://evil.example/" not in scope
    # the named site only: no guessed www. twin (a site living there redirects its seed)
    assert "https://site.example/x" not in scope
    assert page_links('<a href="mailto:a@b">m</a><a href="#top">t</a><a href="/x">x</a>', BASE) == [
        "http://site.example/x"
    ]
