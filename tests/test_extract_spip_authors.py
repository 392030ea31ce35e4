"""SPIP authors on themed pages: author links known by their URL shape, bylines without links."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from article_archive.extract.spip import read_page
from article_archive.extract.spip.authors import find_authors, is_author_url

FIELDS = Path(__file__).parent / "fixtures" / "spip" / "fields"
SITE = "https://fleuve.example/"


def _authors(name: str) -> list[tuple[str, str | None]]:
    """(name, url) of the authors found on the fixture page ``name``."""
    tree = lxml.html.fromstring((FIELDS / f"{name}.html").read_text(encoding="utf-8"))
    return [(a.name, a.url) for a in find_authors(read_page(tree, SITE + name))]


def _page(body: str):
    """A SPIP page made of a title, ``body`` around it and a texte."""
    html = (
        "<html><body><div id='main'><div class='article'><h1>Un titre</h1>"
        f"{body}<div class='texte'><p>Le texte.</p></div></div></div></body></html>"
    )
    return read_page(lxml.html.fromstring(html), SITE + "spip.php?article4")


@pytest.mark.parametrize(
    "href",
    [
        "spip.php?auteur12",
        "spip.php?auteur12&lang=en",
        "spip.php?page=auteur&id_auteur=3",
        "auteur12.html",
        "_Jeanne-Morel_",
        "_Jeanne-Morel_?lang=fr",
        "_Jeanne-Morel_.html",
        "./?_Jeanne-Morel_",
        "https://fleuve.example/_Jeanne-Morel_",
        "auteur/jeanne-morel",
        "https://fleuve.example/auteur/jeanne-morel/",
    ],
)
def test_author_links_in_every_url_mode(href):
    assert is_author_url(href)


@pytest.mark.parametrize(
    "href",
    [
        "spip.php?article12",
        "spip.php?rubrique2",
        "-Ville-",
        "+-Patrimoine-+",
        "Les-jardins-ouvriers",
        "article12.html",
        "auteurs-du-mois.html",
        "https://fleuve.example/spip.php?page=plan",
        "#nb1",
        "",
    ],
)
def test_other_links_are_not_author_links(href):
    assert not is_author_url(href)


def test_linked_byline_without_vcards_in_page_order():
    # the sidebar's author link (another column) is not the article's
    assert _authors("linked-byline") == [
        ("Anne Roux", SITE + "_Anne-Roux_?lang=fr"),
        ("Paul Ibarra", SITE + "spip.php?auteur7&lang=fr"),
    ]


def test_arbo_author_link_beside_a_bracketed_date():
    assert _authors("typo-subtitle") == [("Jeanne Morel", SITE + "auteur/jeanne-morel")]


def test_a_vcard_holding_the_byline_text_alone_is_split_into_names():
    assert _authors("vcard-text") == [("Ana Silva", None), ("Tom Reed", None)]


def test_vcards_keep_their_links():
    assert _authors("small-date-line") == [
        ("Lucie Perrin", SITE + "_Lucie-Perrin_"),
        ("Marc Olivier", SITE + "_Marc-Olivier_"),
    ]


def test_author_links_in_a_menu_or_an_other_site_are_not_authors():
    page = _page(
        "<div class='menu'><a href='spip.php?auteur2'>Équipe</a></div>"
        "<p>Voir <a href='https://ailleurs.example/_Jeanne-Morel_'>ailleurs</a></p>"
    )
    assert find_authors(page) == []


def test_author_links_inside_the_texte_are_not_the_byline():
    html = (
        "<html><body><div><h1>Un titre</h1><div class='texte'><p>Lire "
        "<a href='spip.php?auteur5'>Paul</a>.</p></div></div></body></html>"
    )
    page = read_page(lxml.html.fromstring(html), SITE + "spip.php?article4")
    assert find_authors(page) == []
