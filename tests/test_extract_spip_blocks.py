"""Subtitle, chapo and P.-S. on themed pages: told apart by SPIP's typography, labels and links."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from article_archive.extract.html import html_to_text
from article_archive.extract.spip import extract_spip, read_page
from article_archive.extract.spip.blocks import chapo_block, postscript, subtitle_block

FIELDS = Path(__file__).parent / "fixtures" / "spip" / "fields"
SITE = "https://fleuve.example/"


def _fixture(name: str) -> lxml.html.HtmlElement:
    """The parsed fixture page ``name``."""
    return lxml.html.fromstring((FIELDS / f"{name}.html").read_text(encoding="utf-8"))


def _page(inside: str, after: str = ""):
    """A SPIP page: ``inside`` the article's block around the title and texte, ``after`` it."""
    html = (
        "<html><body><div id='page'><div class='article'><h1 class='titre'>Le titre</h1>"
        f"{inside}<div class='texte'><p>Le texte.</p></div></div>{after}</div></body></html>"
    )
    return read_page(lxml.html.fromstring(html), SITE + "spip.php?article9")


def _text(el) -> str | None:
    return html_to_text(el) if el is not None else None


def test_a_subtitle_block_of_paragraphs_is_the_chapo():
    article = extract_spip(_fixture("typo-subtitle"), SITE + "typo-subtitle")
    assert article.subtitle == "Une parcelle sur trois attend un repreneur"
    assert article.lead == (
        "La génération qui a bêché ces terrains pendant quarante ans passe la main, "
        "et la liste d'attente se vide."
    )


def test_a_chapo_dressed_as_a_subtitle_is_no_subtitle():
    page = _page("<div class='soustitre'><p>Un chapo en paragraphe.</p></div>")
    assert subtitle_block(page) is None
    assert _text(chapo_block(page)) == "Un chapo en paragraphe."


def test_a_chapo_classed_block_wins_over_a_subtitle_of_paragraphs():
    page = _page("<div class='soustitre'><p>Autre.</p></div><div class='chapo'>Le chapo</div>")
    assert _text(chapo_block(page)) == "Le chapo"


@pytest.mark.parametrize("cls", ["sous-titre", "soustitre", "subtitle", "cadre_soustitre"])
def test_subtitle_classes_a_theme_uses(cls):
    assert _text(subtitle_block(_page(f"<div class='{cls}'>Un sous-titre</div>"))) == (
        "Un sous-titre"
    )


def test_a_forum_message_s_chapo_is_not_the_lead():
    forum = "<ul class='forum'><li><div class='forum-chapo'><small>2 mai 2024, par Min</small>"
    page = _page(forum + "</div></li></ul>")
    assert chapo_block(page) is None


def test_p_s_blocks_that_are_lists_of_links_are_not_the_p_s():
    page = read_page(_fixture("ps-lists"), SITE + "ps-lists")
    assert postscript(page) == "Visites du chantier le samedi, sur inscription."
    tree = _fixture("ps-lists")
    real = tree.xpath("//div[@class='ps'][not(@id)]")[0]
    real.getparent().remove(real)
    assert postscript(read_page(tree, SITE + "ps-lists")) is None


def test_the_p_s_beside_the_texte_s_column():
    page = read_page(_fixture("ps-beside"), SITE + "ps-beside")
    assert postscript(page) == "The winter timetable will be published in October."


def test_an_unclassed_p_s_known_by_spip_s_label():
    page = read_page(_fixture("linked-byline"), SITE + "linked-byline")
    assert postscript(page) == "Les chiffres de production ont été donnés par la coopérative."


@pytest.mark.parametrize("label", ["P.-S.", "Post-scriptum :", "Postscript", "Nachwort"])
def test_p_s_labels(label):
    block = f"<div class='bas'><h3>{label}</h3><div><p>Merci aux lecteurs.</p></div></div>"
    expected = None if label == "Nachwort" else "Merci aux lecteurs."  # not SPIP's label
    assert postscript(_page(block)) == expected


def test_a_p_s_in_a_sidebar_is_not_the_article_s():
    page = _page("", "<div id='sidebar'><div class='ps'><p>Un autre P.-S.</p></div></div>")
    assert postscript(page) is None


def test_a_p_s_headed_articles_de_cet_auteur_is_a_list_of_links():
    block = "<div class='ps'><h3>Articles de cet auteur</h3><p><a href='Un'>Un</a></p></div>"
    assert postscript(_page(block)) is None
