"""The article's title on themed SPIP pages (extract/spip/page.py: _title_element, url_slug).

Without a crayon, an ``entry-title`` or a cartouche, the title is the heading nearest before
the texte; SPIP's readable URLs spell the title, so when the address spells another text, the
element showing that text is the title (a theme printing it in a sidebar, after the texte).
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from article_archive.extract.spip import read_page
from article_archive.extract.spip.page import url_slug

THEMES = Path(__file__).parent / "fixtures" / "spip" / "themes"
SITE = "http://cimes.example.org/"


def _title(body: str, url: str, head: str = "") -> str:
    """The title read from a small article page written for one test."""
    html = (
        f"<html><head><meta name='generator' content='SPIP 4.4.1'>{head}</head>"
        f"<body>{body}</body></html>"
    )
    return read_page(lxml.html.fromstring(html), url).title


def test_title_printed_after_the_texte_in_a_sidebar():
    # no heading before the texte, a <title> that is only the site's name, a teaser in the
    # sidebar that starts with the same words: the address spells the title's own block
    tree = lxml.html.fromstring((THEMES / "title-after-texte.html").read_text(encoding="utf-8"))
    url = SITE + "Oeuvre-de-patience-l-estive-des-soeurs-Vial-par-le-Pas-de-l-Ours"
    page = read_page(tree, url)
    assert page.title == "Œuvre de patience\u00a0: l’estive des sœurs Vial par le Pas de l’Ours"
    assert page.title_el is not None and page.title_el.get("class") == "cadre"
    # the region holds the title and the texte: the byline and rubric of the sidebar with them
    assert page.region.get("id") == "bd"


def test_site_name_heading_before_the_texte_is_not_the_title():
    body = (
        "<h1 class='site'>Revue des cimes</h1><div class='texte'><p>Un texte.</p></div>"
        "<h3 class='titre'>La crue de la Durance</h3>"
    )
    assert _title(body, SITE + "La-crue-de-la-Durance") == "La crue de la Durance"


def test_a_long_title_cut_in_the_address_and_a_numbered_name():
    body = (
        "<div class='texte'><p>Un texte.</p></div><div class='titre'>Les bergers du Vercors "
        "obtiennent enfin une cabane chauffée pour l’hiver prochain</div>"
    )
    assert _title(body, SITE + "Les-bergers-du-Vercors-obtiennent-enfin-une-cabane").startswith(
        "Les bergers du Vercors"
    )
    assert _title(body, SITE + "Les-bergers-du-Vercors-obtiennent-2").startswith("Les bergers")


def test_the_heading_before_the_texte_when_the_address_spells_no_title():
    body = "<h2>La crue de la Durance</h2><div class='texte'><p>Un texte.</p></div>"
    for url in (SITE + "spip.php?article3", SITE + "article3.html", SITE + "Autre-chose-ici"):
        assert _title(body, url) == "La crue de la Durance"


def test_a_link_or_a_text_of_the_texte_is_not_the_title():
    # the sidebar links to the article itself, and the texte quotes the title's words
    body = (
        "<div class='texte'><p>La crue de la Durance</p></div><ul><li><a "
        "href='La-crue-de-la-Durance'>La crue de la Durance</a></li></ul>"
    )
    head = "<title>La crue de la Durance - Revue des cimes</title>"
    assert _title(body, SITE + "La-crue-de-la-Durance", head) == "La crue de la Durance"
    # … the title came from the head here: no element of the page is taken for it
    tree = lxml.html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    assert read_page(tree, SITE + "La-crue-de-la-Durance").title_el is None


@pytest.mark.parametrize(
    ("url", "words"),
    [
        (SITE + "La-crue-de-la-Durance", ["la", "crue", "de", "la", "durance"]),
        (SITE + "ville/quais/article/L-ete-des-quais", ["l", "ete", "des", "quais"]),
        (SITE + "Le-pont.html", ["le", "pont"]),
        (SITE + "%C3%89t%C3%A9-de-feu", ["ete", "de", "feu"]),
        (SITE + "spip.php?article3", []),
        (SITE + "article3.html", []),
        (SITE + "-Ville-", []),  # a rubric
        (SITE + "_Ana-Rey_", []),  # an author
        (SITE + "+-Pluie-+", []),  # a keyword
        (SITE + "Durance", []),  # one word says too little
        ("http://[v1.x/La-crue", []),
        (None, []),
    ],
)
def test_url_slug(url, words):
    assert url_slug(url) == words
