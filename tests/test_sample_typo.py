"""The sample site's typographer, shortcuts, notes and sommaire (article_archive_sample.typo …)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html as lxml_html

from article_archive_sample.blocks import RenderContext, propre
from article_archive_sample.render import render_fields
from article_archive_sample.site import load_site
from article_archive_sample.sommaire import add_sommaire
from article_archive_sample.typo import Notes, couper, plain_text, typo, typo_title

MINI = Path(__file__).parent / "fixtures" / "mini-site"


@pytest.fixture(scope="module")
def site():
    return load_site(MINI)


def test_french_colon_gets_nbsp_entity_in_text():
    assert typo("Source : revue", "fr") == "Source&nbsp;: revue"
    assert typo("Source: revue", "fr") == "Source&nbsp;: revue"


def test_french_colon_untouched_in_times_and_urls():
    assert typo("à 10:30 sur https://example.org", "fr") == "à 10:30 sur https://example.org"


def test_french_other_punctuation_gets_literal_nbsp():
    assert (
        typo("Vraiment ? Oui ! Non ; 12 %", "fr")
        == "Vraiment\u00a0? Oui\u00a0! Non\u00a0; 12\u00a0%"
    )


def test_guillemets_literal_and_typed_as_chevrons():
    assert typo("« mot »", "fr") == "«&nbsp;mot&nbsp;»"
    assert typo("<<mot>>", "fr") == "&#171;&nbsp;mot&nbsp;&#187;"


def test_apostrophe_entity_in_text_literal_in_titles():
    assert typo("l'atelier", "fr") == "l&#8217;atelier"
    assert typo_title("l'atelier : oui", "fr") == "l’atelier\u00a0: oui"


def test_english_has_no_french_spacing():
    assert typo("Wait: it's here!", "en") == "Wait: it&#8217;s here!"


def test_typographer_leaves_tags_and_entities_alone():
    out = typo('<a href="http://x/?a=1&amp;b=2" title="l\'x">voir :</a>', "fr")
    assert out == '<a href="http://x/?a=1&amp;b=2" title="l\'x">voir&nbsp;:</a>'


def test_couper_cuts_at_word_boundary_with_suite():
    assert couper("Une première partie dont le titre est long", 30) == (
        "Une première partie dont&nbsp;(...)"
    )
    assert couper("Courte", 30) == "Courte"


def test_notes_numbered_chapo_then_texte(site):
    fields = render_fields(site, site.articles[1])
    assert "id='nh1'" in fields.chapo
    assert "id='nh2'" in fields.texte
    assert "id='nh1'" not in fields.texte
    tree = lxml_html.fromstring(f"<div>{fields.notes}</div>")
    assert [d.get("id") for d in tree.xpath("./div")] == ["nb1", "nb2"]
    assert tree.xpath("string(./div[1])").strip().startswith("[1]")
    assert "Une note dans le chapeau." in tree.xpath("string(./div[1])")


def test_note_call_markup_and_title_cut(site):
    fields = render_fields(site, site.articles[1])
    assert (
        "<span class=\"spip_note_ref\">&nbsp;[<a href='#nb1' class='spip_note' rel='appendix' "
        "title='Une note dans le chapeau.' id='nh1'>1</a>]</span>" in fields.chapo
    )
    call = fields.texte.split("id='nh2'")[0].rsplit("title='", 1)[1]
    assert call.endswith("&nbsp;(...)' ")
    assert len(plain_text(call)) <= 90
    assert (
        "<span class=\"spip_note_ref\">[<a href='#nh2' class='spip_note' title='Notes 2' "
        "rev='appendix'>2</a>]&nbsp;</span>" in fields.notes
    )


def test_link_in_note_is_spip_out(site):
    fields = render_fields(site, site.articles[1])
    assert '<a href="https://example.org/rapport" class="spip_out" rel="external">' in fields.notes


def test_sommaire_couteau_suisse(site):
    texte = render_fields(site, site.articles[1]).texte
    tree = lxml_html.fromstring(f"<div>{texte}</div>")
    box = tree.xpath('//div[@id="outil_sommaire"]')[0]
    assert box.get("class") == "cs_sommaire cs_sommaire_avec_fond"
    links = box.xpath(".//li/a")
    assert links[0].get("title") == (
        "Une première partie dont le titre est bien trop long pour le sommaire"
    )
    assert links[0].text == "Une première partie dont\u00a0(...)"
    assert links[0].get("href") == "la-digue-et-le-port#outil_sommaire_0"
    assert links[1].text == "Courte sous-partie"  # short: not cut
    heading = tree.xpath('//h2[@id="outil_sommaire_0"]')[0]
    assert heading.get("class") == "spip"
    assert heading.xpath('./a[@class="sommaire_ancre"]/@href') == ["#outil_sommaire"]
    assert tree.xpath('//h3[@id="outil_sommaire_1"]')


def test_sommaire_needs_two_headings():
    one = '<h2 class="spip">Seul</h2><p>x</p>'
    assert add_sommaire(one, "a") == one


def test_sommaire_spip4_plugin_form(site):
    texte = render_fields(site, site.articles[4]).texte
    assert texte.startswith('<!--sommaire--><div class="well nav-sommaire nav-sommaire-2">')
    assert (
        '<li><a id="s-ce-que-dit-la-loi" href="#ce-que-dit-la-loi">Ce que dit la loi</a></li>'
        in texte
    )
    assert '<h2 class="spip" id="ce-que-dit-la-loi">' in texte
    assert "<a class='sommaire-back sommaire-back-1' href='#s-ce-que-dit-la-loi'" in texte


def test_block_shortcuts(site):
    ctx = RenderContext(site=site, lang="fr", notes=Notes())
    out = propre(
        "{{{Titre}}}\n\n-* un\n-* deux\n\n-# a\n-# b\n\n<quote>Cité.</quote>\n\n----\n\n"
        "Ligne\n_ suite {gras} {{fort}}",
        ctx,
    )
    assert '<h2 class="spip">Titre</h2>' in out
    assert '<ul class="spip">\n<li>un</li>\n<li>deux</li></ul>' in out
    assert '<ol class="spip">' in out
    assert '<blockquote class="spip">\n<p>Cité.</p>\n</blockquote>' in out
    assert '<hr class="spip" />' in out
    assert '<br class="autobr" />' in out
    assert "<i>gras</i> <strong>fort</strong>" in out


def test_table_markup(site):
    ctx = RenderContext(site=site, lang="fr", notes=Notes())
    out = propre("||Légende||\n|{{A}}|{{B}}|\n|x|1|\n|y|2|", ctx)
    tree = lxml_html.fromstring(out)
    assert tree.get("class") == "spip"
    assert tree.xpath("string(caption)") == "Légende"
    assert tree.xpath("thead/tr/th/text()") == ["A", "B"]
    assert [tr.get("class") for tr in tree.xpath("tbody/tr")] == ["row_odd odd", "row_even even"]


def test_documents_spip3_and_spip4(site):
    three = propre("<img1|center>\n\n<img2|left>", RenderContext(site=site, template="spip3"))
    assert "<dl class='spip_document_1 spip_documents spip_documents_center'" in three
    assert "<dt class='crayon document-titre-1 spip_doc_titre'" in three
    assert "<strong>La digue neuve</strong>" in three
    assert "<dd class='crayon document-descriptif-1 spip_doc_descriptif'" in three
    assert (
        "<span class='spip_document_2 spip_documents spip_documents_left'><img "
        "src='IMG/atelier.png'" in three
    )
    assert "width='32' height='24'" in three
    four = propre("<img1|center>", RenderContext(site=site, template="spip4"))
    tree = lxml_html.fromstring(four)
    classes = tree.get("class").split()
    for cls in (
        "spip_document_1",
        "spip_document",
        "spip_documents",
        "spip_document_image",
        "spip_documents_center",
    ):
        assert cls in classes
    assert tree.xpath("./figure[@class='spip_doc_inner']/img/@src") == ["IMG/digue.png"]
    assert (
        tree.xpath(
            "string(.//figcaption[@class='spip_doc_legende']/div[contains(@class,'spip_doc_titre')])"
        )
        == "La digue neuve"
    )


def test_list_dashes_spip3_and_spip4(site):
    three = propre("- un\n- deux", RenderContext(site=site, template="spip3"))
    assert "class='puce' alt='-'" in three
    four = propre("- un", RenderContext(site=site, template="spip4"))
    assert '<span class="spip-puce ltr"><b>–</b></span>' in four
