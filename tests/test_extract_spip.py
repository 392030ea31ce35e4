"""The SPIP extractor on small pages written for the tests, each with fields checked by eye."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from article_archive.errors import ExtractionError
from article_archive.extract.spip import SpipPage, extract_spip, is_spip, read_page
from article_archive.extract.spip.authors import find_authors
from article_archive.extract.spip.dates import find_dates

FIXTURES = Path(__file__).parent / "fixtures" / "spip"
ARTICLES = ["essf-dist32", "spip20", "spip4-sommaire", "themed-regards"]
FIELDS = [
    "url", "site", "spip_id", "lang", "title", "surtitle", "subtitle", "section",
    "section_path", "authors", "published", "written", "updated", "lead", "toc",
    "body_html", "body_text", "footnotes", "postscript", "keywords", "translations",
    "word_count", "extractor",
]  # fmt: skip


def _markup(name: str) -> str:
    """The HTML of the fixture page ``name``."""
    return (FIXTURES / f"{name}.html").read_text(encoding="utf-8")


def _page(name: str):
    """The parsed fixture page ``name``."""
    return lxml.html.fromstring(_markup(name))


def _expected(name: str) -> dict:
    """The fields expected from the fixture page ``name``."""
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=ARTICLES)
def extracted(request) -> tuple[dict, dict]:
    """(extracted fields, expected fields) for one fixture article."""
    expected = _expected(request.param)
    article = extract_spip(_page(request.param), expected["_page_url"])
    return article.to_dict(), expected


@pytest.mark.parametrize("field", FIELDS)
def test_field(extracted, field):
    got, expected = extracted
    assert got[field] == expected[field]


@pytest.mark.parametrize("name", [*ARTICLES, "home", "rubrique"])
def test_fixture_pages_are_spip(name):
    assert is_spip(_markup(name))
    assert is_spip(_markup(name).encode("utf-8"))


def test_plain_page_is_not_spip():
    assert not is_spip("<html><body><p class='x'>Hello</p></body></html>")


def test_composed_by_header_says_spip():
    html = "<html><body><p>Hello</p></body></html>"
    assert is_spip(html, {"Composed-By": "SPIP 4.2.8 @ www.spip.net"})


def test_read_page_finds_the_landmarks_the_finders_start_from():
    expected = _expected("spip20")
    page = read_page(_page("spip20"), expected["_page_url"])
    assert isinstance(page, SpipPage)
    assert page.spip_id == expected["spip_id"]
    assert page.title == expected["title"]
    assert page.lang == expected["lang"]
    assert page.page_url == expected["url"]
    assert page.texte.get("class") == "texte entry-content"
    inside = list(page.region.iter())
    assert page.title_el in inside and page.texte in inside


def test_finders_take_the_page():
    expected = _expected("spip20")
    page = read_page(_page("spip20"), expected["_page_url"])
    dates = (expected["published"], expected["written"], expected["updated"])
    assert find_dates(page) == dates
    assert [a.name for a in find_authors(page)] == [a["name"] for a in expected["authors"]]


@pytest.mark.parametrize("name", ["home", "rubrique"])
def test_non_article_pages_raise(name):
    with pytest.raises(ExtractionError):
        extract_spip(_page(name), "http://journal.example.fr/")


def test_rubric_texte_without_body_class_raises():
    html = (
        "<html><body><h1 class='crayon rubrique-titre-3'>Vie locale</h1>"
        "<div class='crayon rubrique-texte-3 texte'><p>Tout le canton.</p></div></body></html>"
    )
    with pytest.raises(ExtractionError):
        extract_spip(lxml.html.fromstring(html), "http://journal.example.fr/rubrique3.html")


def test_sidebar_crayon_title_is_not_the_article_title():
    got = extract_spip(_page("themed-regards"), None).to_dict()
    assert got["title"] == "Cinq chantiers à l’arrêt"
    assert got["url"] == "http://mag.example.org/societe/article/cinq-chantiers-a-l-arret"


def test_sommaire_and_chrome_are_not_in_the_body():
    got = extract_spip(_page("essf-dist32"), None).to_dict()
    for chrome in ("ne&nbsp;(...)", "Sommaire", "tracker", "Merci pour ce récit", "Dans la même"):
        assert chrome not in got["body_html"]
        assert chrome not in got["body_text"]


def test_id_from_crayons_when_url_has_none():
    got = extract_spip(_page("essf-dist32"), "https://www.europe-solidaire.org/une-page")
    assert got.spip_id == 68578


def _article(body: str, head: str = "", url: str = "http://mag.example.org/") -> dict:
    """The fields of a small SPIP article page written for one test."""
    html = (
        f"<html lang='fr'><head><meta name='generator' content='SPIP 4.2.8'>{head}</head>"
        f"<body class='page_article'>{body}</body></html>"
    )
    return extract_spip(lxml.html.fromstring(html), url).to_dict()


def test_section_from_the_menu_link_of_an_arbo_url():
    # no breadcrumb: the menu's links to the rubric paths of the address give the names
    got = _article(
        "<nav class='menu'><ul><li><a href='/'>Accueil</a></li>"
        "<li class='on'><a href='ville/'>Ville</a></li><li><a href='ville/quais/'>Les quais</a>"
        "</li><li><a href='champs/'>Champs</a></li></ul></nav>"
        "<h2>Le marché du dimanche</h2><div class='texte'><p>Il ouvre à sept heures.</p></div>",
        head="<base href='http://mag.example.org/'>",
        url="http://mag.example.org/ville/quais/article/le-marche-du-dimanche",
    )
    assert got["section_path"] == ["Ville", "Les quais"]
    assert got["section"] == "Les quais"


def test_no_section_from_an_arbo_url_without_a_link_to_its_rubric():
    got = _article(
        "<ul><li><a href='champs/'>Champs</a></li></ul>"
        "<h2>Le marché du dimanche</h2><div class='texte'><p>Il ouvre à sept heures.</p></div>",
        url="http://mag.example.org/ville/article/le-marche-du-dimanche",
    )
    assert got["section_path"] == [] and got["section"] is None


def test_breadcrumb_repeating_a_rubric_gives_it_once():
    got = _article(
        "<p class='arbo'><a href='/'>Accueil</a> &gt; <a href='-Essais-.html'>Essais</a>"
        " &gt; <a href='-Essais-.html'>Essais</a> &gt; <strong class='on'>Le titre</strong></p>"
        "<h1 class='entry-title'>Le titre</h1><div class='texte'><p>Un texte.</p></div>",
        url="http://revue.example.org/Le-titre.html",
    )
    assert got["section_path"] == ["Essais"]


def test_leading_picture_caption_stays_in_the_html_but_not_the_text():
    got = _article(
        "<h1 class='entry-title'>Deux villes</h1><div class='texte'>"
        "<figure class='spip_document_12 spip_documents spip_documents_center'>"
        "<img src='IMG/jpg/pont.jpg' alt=''><figcaption><div class='spip_doc_descriptif'>"
        "cc pontier <a href='https://photos.example.com/p/42'>https://photos.example.com/p/42</a>"
        "</div></figcaption></figure>"
        "<p>Deux villes se font face.</p>"
        "<figure class='spip_documents'><img src='IMG/jpg/quai.jpg' alt=''>"
        "<figcaption>Le quai nord</figcaption></figure><p>Fin.</p></div>",
        url="http://mag.example.org/spip.php?article12",
    )
    assert got["body_text"] == "Deux villes se font face.\n\nLe quai nord\n\nFin."
    assert "cc pontier" in got["body_html"] and "<figure>" in got["body_html"]
    assert got["word_count"] == 9


def test_spip4_puce_becomes_a_plain_dash():
    got = _article(
        "<h1 class='entry-title'>Liste</h1><div class='texte'><p>"
        "<span class='spip-puce ltr'><b>–</b></span> un;<br class='autobr'>"
        "<span class='spip-puce ltr'><b>–</b></span>deux.</p></div>",
        url="http://mag.example.org/spip.php?article13",
    )
    assert got["body_html"] == "<p>– un;<br>– deux.</p>"
    assert got["body_text"] == "– un;\n– deux."


def test_keywords_by_the_title_join_those_of_the_keywords_block():
    got = _article(
        "<div class='cartouche'><p><a href='-Essais-.html'>Essai</a> <a href='+-Climat-+.html'>"
        "Climat</a></p><h1 class='entry-title'>Les glaciers</h1>"
        "<div class='texte'><p>Ils fondent.</p></div></div>"
        "<div class='mots'><h3>Mots-clés</h3><a href='+-Alpes-+.html'>Alpes</a>"
        " <a href='+-Climat-+.html'>Climat</a></div>",
        url="http://revue.example.org/Les-glaciers.html",
    )
    assert got["keywords"] == ["Climat", "Alpes"]
    assert got["section_path"] == ["Essai"]


def test_keyword_links_inside_the_texte_are_not_keywords():
    got = _article(
        "<div class='hentry'><h1 class='entry-title'>Les glaciers</h1><div class='corps'>"
        "<p class='tags'><a rel='tag' href='+-Climat-+.html'>Climat</a></p>"
        "<div class='texte'><p>Voir <a rel='tag' href='+-Glace-+.html'>glace</a>.</p></div>"
        "<p class='tags'><a rel='tag' href='+-Alpes-+.html'>Alpes</a></p></div></div>",
        url="http://revue.example.org/Les-glaciers.html",
    )
    assert got["keywords"] == ["Climat", "Alpes"]


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_latin1_spip_bytes_read_as_their_text(apostrophe):
    """ISO-8859-1 bytes (parsed by libxml2 as such, or as windows-1252 with its 0x80–0x9F
    characters) give the fields of the decoded text."""
    from article_archive.extract import extract

    text = (FIXTURES / "spip20.html").read_text(encoding="utf-8").replace("’", apostrophe)
    text = text.replace("charset=utf-8", "charset=iso-8859-1")
    data = text.encode("cp1252", "xmlcharrefreplace")
    url = "http://www.example.org/spip.php?article12"
    headers = {"content-type": "text/html; charset=iso-8859-1"}
    assert extract(data, url, headers) == extract(text, url)
    assert (apostrophe == "’") == (b"\x92" in data)


def test_calls_of_a_second_note_series_point_at_the_note_numbers():
    """SPIP 4 may render an article's notes as series 2 (``nb2-1``): stored by number, as nbN."""
    got = _article(
        "<h1 class='entry-title'>Notes</h1><div class='texte'><p>Eau<span class='spip_note_ref'>"
        "&nbsp;[<a href='#nb2-1' class='spip_note' rel='appendix' id='nh2-1'>1</a>]</span> et "
        "sel<span class='spip_note_ref'>&nbsp;[<a href='#nb2-2' class='spip_note' id='nh2-2'>2"
        "</a>]</span>.</p></div><div class='notes'><div id='nb2-1'><p><span class='spip_note_ref'>"
        "[<a href='#nh2-1' class='spip_note' rev='appendix'>1</a>]&nbsp;</span>Puits.</p></div>"
        "<div id='nb2-2'><p><span class='spip_note_ref'>[<a href='#nh2-2' class='spip_note'>2</a>]"
        "&nbsp;</span>Marais.</p></div></div>",
        url="http://mag.example.org/spip.php?article14",
    )
    assert [(n["number"], n["text"]) for n in got["footnotes"]] == [
        ("1", "Puits."),
        ("2", "Marais."),
    ]
    assert 'href="#nb1"' in got["body_html"] and 'id="nh1"' in got["body_html"]
    assert 'href="#nb2"' in got["body_html"] and 'id="nh2"' in got["body_html"]
    assert "nb2-" not in got["body_html"] and "nh2-" not in got["body_html"]
    assert got["body_text"] == "Eau\u00a0[1] et sel\u00a0[2]."


def test_notes_of_a_theme_that_drops_the_calls_are_taken_from_the_notes_block():
    got = _article(
        "<h1 class='entry-title'>Les digues</h1><div class='texte'><p>Elles tiennent.</p></div>"
        "<div id='nb9'><p>Un id de note hors du bloc des notes.</p></div>"
        "<div class='notes'><div id='nb1'><p><span class='spip_note_ref'>[<a href='#nh1' "
        "class='spip_note'>1</a>]&nbsp;</span>Relevé de 2019.</p></div><div id='nb2'><p>"
        "<span class='spip_note_ref'>[<a href='#nh2' class='spip_note'>2</a>]&nbsp;</span>"
        "Selon la préfecture.</p></div></div>",
        url="http://mag.example.org/spip.php?article21",
    )
    assert [(n["number"], n["text"]) for n in got["footnotes"]] == [
        ("1", "Relevé de 2019."),
        ("2", "Selon la préfecture."),
    ]


@pytest.mark.parametrize(
    "head",
    [
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Les digues",'
        ' "dateModified": "2024-03-05T10:00:00+01:00"}</script>',
        '<meta name="DCTERMS.modified" content="2024-03-05T10:00:00+01:00">',
        '<meta itemprop="dateModified" content="2024-03-05T10:00:00+01:00">',
    ],
)
def test_updated_from_the_head_when_the_page_shows_none(head):
    from article_archive.extract import extract

    html = (
        f"<html lang='fr'><head><meta name='generator' content='SPIP 4.2.8'>{head}</head>"
        "<body class='page_article'><h1 class='entry-title'>Les digues</h1>"
        "<div class='texte'><p>Elles tiennent.</p></div></body></html>"
    )
    got = extract(html, "http://mag.example.org/spip.php?article22")
    assert got["extractor"].startswith("spip")
    assert got["updated"] == "2024-03-05T10:00:00+01:00"
