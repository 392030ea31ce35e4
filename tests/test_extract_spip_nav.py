"""The rubric path of a SPIP article (extract/spip/nav.py: find_section_path), whatever the theme.

The fixture pages of tests/fixtures/spip/themes/ are written for these tests: each reproduces the
structure of a breadcrumb or a rubric link as third-party themes print it (their own ids and
classes, "Vous êtes ici" labels, separators in tags of their own), with a menu of the same
rubrics beside it that must not be taken for the path.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from article_archive.extract.spip import extract_spip, read_page
from article_archive.extract.spip.nav import find_section_path

THEMES = Path(__file__).parent / "fixtures" / "spip" / "themes"
SITE = "http://cimes.example.org/"


def _extract(name: str, url: str) -> dict:
    """The fields of the fixture page ``name`` fetched from ``url``."""
    tree = lxml.html.fromstring((THEMES / f"{name}.html").read_text(encoding="utf-8"))
    return extract_spip(tree, url).to_dict()


def _path(body: str, url: str = SITE + "Le-titre", head: str = "") -> list[str]:
    """The rubric path of a small article page written for one test."""
    html = (
        f"<html><head><meta name='generator' content='SPIP 4.4.1'>{head}</head>"
        f"<body>{body}</body></html>"
    )
    return find_section_path(read_page(lxml.html.fromstring(html), url))


@pytest.mark.parametrize(
    ("name", "url", "path"),
    [
        # a labelled trail in a block of the theme's own id, ending with the title cut short
        (
            "trail-you-are-here",
            SITE + "Au-refuge-du-col-le-gardien-compte-les-nuitees-et-les-orages",
            ["Montagne", "Refuges"],
        ),
        # separators in tags of their own, page-mode rubric links, a menu of the same rubrics
        ("trail-separator-tags", SITE + "spip.php?article8", ["Rivières", "Bateliers"]),
        # "Dans la rubrique:" and two rubric links without marks, beside a title after the texte
        (
            "title-after-texte",
            SITE + "Oeuvre-de-patience-l-estive-des-soeurs-Vial-par-le-Pas-de-l-Ours",
            ["Montagne", "Estives"],
        ),
        # one rubric link after the texte ("Posted in"), the same rubric in the menu and footer
        ("category-link", SITE + "Hut-wardens-count-a-short-season", ["In English"]),
    ],
)
def test_breadcrumb_known_by_its_links_and_marks(name, url, path):
    got = _extract(name, url)
    assert got["section_path"] == path
    assert got["section"] == path[-1]


def test_menus_and_lists_of_rubrics_are_no_section():
    # "Accueil | A | B" in the header, "» A » B" bullets by the texte, "A, B, C" in the footer
    got = _extract("menus-only", SITE + "Le-pont-suspendu-de-Vaux-sera-repeint")
    assert got["section_path"] == [] and got["section"] is None


def test_a_path_of_propres2_html_and_page_urls():
    for a, b in (("-Ville-.html", "-Quais-.html"), ("rubrique3.html", "rubrique7.html")):
        body = (
            f"<div id='fil'><a href='/'>Accueil</a> &raquo; <a href='{a}'>Ville</a> &raquo; "
            f"<a href='{b}'>Quais</a></div><h1>Le titre</h1><div class='texte'><p>Un texte.</p>"
            "</div>"
        )
        assert _path(body) == ["Ville", "Quais"]


def test_wrapped_links_of_a_trail():
    # <span><a/></span> › <span><a/></span>, the article's title as the last, linked, step
    body = (
        "<div class='chemin'><span><a href='./'>Accueil</a></span> › <span><a "
        "href='spip.php?rubrique2'>Ville</a></span> › <span><a href='Le-titre'>Le titre</a>"
        "</span></div><h1>Le titre</h1><div class='texte'><p>Un texte.</p></div>"
    )
    assert _path(body) == ["Ville"]


def test_a_trail_with_another_kind_of_link_is_no_path():
    # a keyword and an author among the rubrics: a line of links, not a breadcrumb
    body = (
        "<h1>Le titre</h1><div class='texte'><p>Un texte.</p></div><div class='liens'><a "
        "href='-Ville-'>Ville</a> &gt; <a href='+-Pluie-+'>Pluie</a> &gt; <a href='_Ana-Rey_'>"
        "Ana Rey</a></div>"
    )
    assert _path(body) == []


def test_links_inside_the_texte_are_no_path():
    body = (
        "<h1>Le titre</h1><div class='texte'><p><a href='/'>Accueil</a> &gt; <a href='-Ville-'>"
        "Ville</a></p></div>"
    )
    assert _path(body) == []


def test_a_labelled_rubric_link_in_a_sidebar_is_no_path():
    # a label and one rubric link, but in a sidebar beside the article: another article's
    body = (
        "<h1>Le titre</h1><div class='texte'><p>Un texte.</p></div></div><div class='sidebar'>"
        "<p>Voir aussi : <a href='-Champs-'>Champs</a></p></div>"
    )
    assert _path(f"<div class='article'>{body}") == []


def test_the_site_name_is_no_rubric():
    # the breadcrumb's home link is written with the site's name, and points at the sommaire
    arbo = (
        "<p class='arbo'><a href='spip.php?page=sommaire'>Revue des cimes</a> &gt; <a "
        "href='-Ville-'>Ville</a> &gt; <strong>Le titre</strong></p>"
    )
    texte = "<h1>Le titre</h1><div class='texte'><p>Un texte.</p></div>"
    assert _path(arbo + texte) == ["Ville"]
    # a rubric link named as the site, told by og:site_name or the <title>'s "Title - Site"
    trail = (
        "<p class='arbo'><a href='/'>Accueil</a> &gt; <a href='-Revue-'>Revue des cimes</a> "
        "&gt; <a href='-Ville-'>Ville</a></p>"
    )
    site_meta = "<meta property='og:site_name' content='Revue des cimes'>"
    assert _path(trail + texte, head=site_meta) == ["Ville"]
    assert _path(trail + texte, head="<title>Le titre - Revue des cimes</title>") == ["Ville"]
    # without either, the name stays (it may be a rubric's)
    assert _path(trail + texte) == ["Revue des cimes", "Ville"]


def test_hostile_link_targets_do_not_stop_the_path():
    body = (
        "<div id='fil'><a href='https://[votre_fil]/-x-'>Fil</a></div>"
        "<div id='chemin'><a href='/'>Accueil</a> &gt; <a href='http://[v1.x/-Ville-'>Ville</a>"
        "</div><p class='arbo'><a href='https://[votre_fil_twitter]'>Suivre</a></p>"
        "<h1>Le titre</h1><div class='texte'><p>Un texte.</p></div>"
    )
    assert _path(body) == []
