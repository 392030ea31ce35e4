"""SPIP's URL shapes (article_archive.spip_urls), shared by discovery and extraction."""

from __future__ import annotations

from article_archive.discover.spip import spip_id_from_url
from article_archive.spip_urls import (
    ARTICLE_LOGO,
    ENCODED_ARTICLE,
    ID_ARTICLE_PARAM,
    article_id,
    backend_filters,
    is_backend_url,
    is_rubric_url,
)


def test_article_id_in_every_url_scheme():
    assert article_id("https://www.europe-solidaire.org/spip.php?article68578") == 68578
    assert article_id("http://x/spip.php?article12&lang=en") == 12
    assert article_id("http://x/spip.php?article12#forum3") == 12
    assert article_id("http://x/article12.html") == 12
    assert article_id("http://x/fr/article12.html?var_mode=calcul") == 12
    assert article_id("http://x/spip.php?page=article&id_article=5") == 5
    assert article_id("http://x/article.php3?id_article=7") == 7
    # a return address with slashes in the query does not hide the id
    assert article_id("http://x/spip.php?article9&retour=/plan/") == 9


def test_what_is_not_an_article_id():
    assert article_id("http://x/spip.php?rubrique3") is None
    assert article_id("http://x/spip.php?rubrique3&debut_articles=10") is None
    assert article_id("http://x/la-centrale") is None
    assert article_id("http://x/spip.php?articles12") is None
    assert article_id(None) is None and article_id("") is None


def test_discovery_reads_ids_with_the_same_grammar():
    assert spip_id_from_url is article_id


def test_ids_in_links_that_name_the_page_article():
    assert ID_ARTICLE_PARAM.search("spip.php?page=forum&id_article=41").group(1) == "41"
    assert ENCODED_ARTICLE.search("spip.php?page=login&url=spip.php%3Farticle8").group(1) == "8"
    assert ARTICLE_LOGO.search("IMG/arton33.jpg?1700000000").group(1) == "33"
    assert ARTICLE_LOGO.search("IMG/logo/carton3.jpg") is None


def test_backend_feeds():
    assert is_backend_url("http://x/spip.php?page=backend")
    assert is_backend_url("http://x/spip.php?page=backend&id_rubrique=3")
    assert is_backend_url("http://x/spip.php?lang=en&page=backend")
    assert is_backend_url("http://x/spip.php?page=backend-breves")
    assert not is_backend_url("http://x/spip.php?page=plan")
    assert not is_backend_url("http://x/spip.php?mypage=backend")
    assert not is_backend_url("http://x/backend.html")


def test_what_a_feed_is_narrowed_to():
    assert backend_filters("http://x/spip.php?page=backend") == {}
    assert backend_filters("http://x/spip.php?page=backend&id_rubrique=3") == {"id_rubrique": "3"}
    assert backend_filters("http://x/spip.php?lang=en&page=backend") == {"lang": "en"}
    assert backend_filters("http://x/spip.php?rubrique3&lang=en") == {}


def test_rubric_url_in_every_url_mode():
    assert is_rubric_url("http://x/spip.php?rubrique3")  # page
    assert is_rubric_url("http://x/spip.php?rubrique3&lang=en")
    assert is_rubric_url("http://x/spip.php?page=rubrique&id_rubrique=3")
    assert is_rubric_url("http://x/rubrique.php3?id_rubrique=3")  # old sites
    assert is_rubric_url("http://x/rubrique3.html")  # html
    assert is_rubric_url("http://x/-Les-quais-")  # propres, libres, standard
    assert is_rubric_url("http://x/-Les-quais-2-?lang=fr")
    assert is_rubric_url("http://x/fr/-Les-quais-.html")  # propres2
    assert is_rubric_url("http://x/spip.php?-Les-quais-")  # propres_qs


def test_what_is_not_a_rubric_url():
    assert not is_rubric_url("http://x/spip.php?rubrique3&debut_articles=10")  # a later page
    assert not is_rubric_url("http://x/spip.php?page=backend&id_rubrique=3")  # its feed
    assert not is_rubric_url("http://x/spip.php?page=forum&id_rubrique=3")
    assert not is_rubric_url("http://x/spip.php?article3")
    assert not is_rubric_url("http://x/Le-titre-de-l-article")
    assert not is_rubric_url("http://x/+-Pluie-+")  # a keyword
    assert not is_rubric_url("http://x/_Ana-Rey_")  # an author
    assert not is_rubric_url("http://x/@Un-site@")
    assert not is_rubric_url("http://[v1.x/-Ville-")
    assert not is_rubric_url(None) and not is_rubric_url("")
