"""extract/spip/locate.py: the texte (and chapo) of themes the extractor knows no class of.

The pages of tests/fixtures/spip_themes/ reproduce, in our own words, the structures real
third-party themes give an article page: the texte in a block of its own with an empty class
(box), in a theme's block next to the P.-S. and notes blocks with an unlabelled chapo before it
(element), among a byline in one block (inner), bare in the page's content column between the
title and a ``<br />`` before the P.-S. (bare), inside a wrapper that also holds the subtitle,
chapo and notes (nested), in ``<div id="Texte">`` on a page without a generator meta (texte-id);
and pages that hold no one article texte: a home page of introductions and a plan (home), a
rubric listing (listing), a blog home showing two whole textes (blog).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from article_archive.errors import ExtractionError
from article_archive.extract import extract
from article_archive.extract.spip import is_spip
from article_archive.extract.spip.index import PageIndex
from article_archive.extract.spip.locate import chapo_before, texte_by_marks, texte_by_name
from article_archive.extract.spip.page import head_metas

FIXTURES = Path(__file__).parent / "fixtures" / "spip_themes"


def _html(name: str) -> str:
    return (FIXTURES / f"{name}.html").read_text(encoding="utf-8")


def _extract(name: str, html: str | None = None) -> dict:
    return extract(html or _html(name), f"https://site.example.org/{name}")


def _tree(html: str) -> etree._Element:
    return etree.fromstring(html, etree.HTMLParser())


def test_texte_in_a_block_with_an_empty_class():
    got = _extract("box")
    body = got["body_text"]
    assert body.startswith("Le moulin de la Sauldre tourne de nouveau depuis le 2\u00a0mars.")
    assert body.endswith("La fédération des moulins suit le projet de près.")
    assert "Une meule remontée pièce par pièce" in body
    assert "Le devis" not in body and "Un message" not in body and "Plan du site" not in body
    assert [note["text"] for note in got["footnotes"]] == ["Le devis dépassait douze mille euros."]
    assert got["lead"] is None
    assert got["lang"] == "fr"


def test_texte_in_a_theme_block_beside_the_ps_and_notes_blocks():
    got = _extract("element")
    body = got["body_text"]
    assert body.startswith("Ils sont quarante-deux, retraités pour la plupart")
    assert body.endswith("a promis d’en tenir compte au prochain budget.")
    assert "Huit mille heures" in body
    for other in ("Post-Scriptum", "assemblée générale", "Cahier tenu", "Au printemps", "forum"):
        assert other not in body
    assert got["lead"] == (
        "Au printemps, les bénévoles de l’épicerie solidaire du quartier Nord ont compté leurs"
        " heures. Le total a surpris tout le monde, à commencer par eux."
    )
    assert len(got["footnotes"]) == 1


def test_unlabelled_chapo_needs_the_description_to_start_with_it():
    html = _html("element")
    start = html.index('<meta name="description"')
    without = html[:start] + html[html.index("/>", start) + 2 :]
    got = _extract("element", without)
    assert got["lead"] is None
    assert got["body_text"].startswith("Ils sont quarante-deux")


def test_texte_after_a_byline_in_the_same_block():
    got = _extract("inner")
    body = got["body_text"]
    assert body.startswith("From Monday, two bus lines will again run after midnight")
    assert body.endswith("by the hospital trust and the two largest employers.")
    assert "Shift workers made the case" in body
    for other in ("Ada Moss", "October 2023", "Keywords", "Made with", "Home"):
        assert other not in body
    assert got["lang"] == "en"


def test_texte_bare_in_the_content_column():
    got = _extract("bare")
    body = got["body_text"]
    assert body.startswith("Après deux ans de recherche, l’association a signé un bail")
    assert body.endswith("à condition de venir tailler au moins une fois par an.")
    assert "une mare pour les batraciens" in body
    for other in ("Le verger partagé a trouvé", "inscriptions", "Greffons", "ACCUEIL", "Répondre"):
        assert other not in body
    assert [note["text"] for note in got["footnotes"]] == [
        "Greffons fournis par le conservatoire régional."
    ]


def test_texte_inside_a_wrapper_with_the_subtitle_chapo_and_notes():
    assert is_spip(_html("nested"))  # no generator meta
    got = _extract("nested")
    body = got["body_text"]
    assert body.startswith("L’idée vient d’une consultation menée l’hiver dernier")
    assert body.endswith("Un premier bilan sera présenté au conseil municipal en mars.")
    for other in ("Un essai de six mois", "Les trois médiathèques", "Accord signé", "Horaires"):
        assert other not in body
    assert got["lead"] == (
        "Les trois médiathèques de la ville ouvriront leurs portes le dimanche après-midi"
        " à partir de septembre."
    )
    assert len(got["footnotes"]) == 1


def test_texte_in_div_id_texte_without_generator_nor_marks():
    html = _html("texte-id")
    assert "generator" not in html and "spip" not in html.lower()
    assert is_spip(html)  # by its rubric, keyword and author links
    got = _extract("texte-id")
    assert got["extractor"].startswith("spip/")
    assert got["body_text"] == (
        "On y dépose un sachet de graines de son jardin, on en repart avec un autre. Les"
        " variétés sont notées sur un registre tenu par les bénévoles.\n\nAu bout d’un an, le"
        " registre compte trois cents variétés de tomates, de haricots et de courges, dont une"
        " cinquantaine cultivées dans le canton depuis plus d’un siècle."
    )
    assert got["lead"] == "Une grainothèque s’est installée dans l’ancienne gare de Saint-Aubin."


@pytest.mark.parametrize("name", ["home", "listing", "blog"])
def test_pages_without_one_article_texte_raise(name):
    with pytest.raises(ExtractionError):
        _extract(name)


def test_a_dedicated_block_is_the_texte_itself():
    tree = _tree(_html("box"))
    texte = texte_by_marks(tree, PageIndex(tree))
    assert texte is not None
    assert texte.get("class") == "" and texte.getparent().get("class") == "box"


def test_a_run_among_other_blocks_is_wrapped_in_place():
    tree = _tree(_html("inner"))
    texte = texte_by_marks(tree, PageIndex(tree))
    assert texte is not None and texte.tag == "div" and not texte.attrib
    inner = texte.getparent()
    assert inner.get("class") == "inner"
    byline = inner[0]
    assert byline.tag == "p" and "Ada Moss" in etree.tostring(byline, encoding="unicode")
    assert [child.tag for child in texte] == ["p", "h2", "p", "p"]


def test_the_innermost_block_named_texte():
    tree = _tree(
        "<html><body><div id='Texte' class='wrap'><div class='article-texte'>"
        "<p>Le texte.</p></div><div class='ps'><p>P.-S.</p></div></div></body></html>"
    )
    found = texte_by_name(tree, PageIndex(tree))
    assert found is not None and found.get("class") == "article-texte"


def test_a_rubric_block_named_texte_is_not_the_article_texte():
    tree = _tree(
        "<html><body><div class='crayon rubrique-texte-4 rub_texte'><p>La rubrique.</p></div>"
        "</body></html>"
    )
    assert texte_by_name(tree, PageIndex(tree)) is None


def test_chapo_named_by_its_class_before_the_texte():
    tree = _tree(
        "<html><body><div><h2>Sous-titre</h2><div class='chapo_article'><p>Le chapo.</p></div>"
        "<div class='corps'><p>Le texte.</p></div></div></body></html>"
    )
    texte = tree.find(".//div[@class='corps']")
    chapo = chapo_before(texte, {})
    assert chapo is not None and chapo.get("class") == "chapo_article"


def test_bare_chapo_of_several_paragraphs_is_wrapped():
    tree = _tree(
        "<html><head><meta name='description' content='Premier paragraphe du chapo, assez"
        " long pour (…)'></head><body><div><p>Premier paragraphe du chapo, assez long pour"
        " être reconnu.</p><p>Second paragraphe.</p><div class='x'><p>Le texte.</p></div>"
        "</div></body></html>"
    )
    texte = tree.find(".//div[@class='x']")
    chapo = chapo_before(texte, head_metas(tree))
    assert chapo is not None and [c.tag for c in chapo] == ["p", "p"]
    assert chapo.getnext() is texte


def test_a_mark_in_a_spip_table_cell_counts_for_the_texte_around_the_table():
    tree = _tree(
        "<html><body><div class='page'><h1>Titre</h1><div>"
        "<p>Les relevés de la station, mois par mois.</p>"
        "<table class='spip'><tbody><tr class='row_odd odd'><td>Mars</td>"
        "<td>Un mois sans pluie, le plus sec depuis que la station relève les précipitations"
        "<span class='spip_note_ref'>&nbsp;[<a href='#nb1' class='spip_note' id='nh1'>1</a>]"
        "</span></td></tr>"
        "</tbody></table><p>Le printemps a été sec.</p></div></div></body></html>"
    )
    texte = texte_by_marks(tree, PageIndex(tree))
    assert texte is not None
    assert [child.tag for child in texte] == ["p", "table", "p"]
