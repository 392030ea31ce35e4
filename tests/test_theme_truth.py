"""The theme evaluation's truth (bench/theme_truth.py): what a marked article page shows.

The pages here are written by hand the way a theme could print a marked article: a menu naming
every rubric, a tag cloud naming every keyword, and the article's own blocks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from article_archive_sample import default_site_dir, load_site
from sample_truth import plain
from theme_truth import expected, read_page, url_article

BASE = "http://127.0.0.1:8000/"
MENU = "<ul>" + "".join(f"<li>ZQRUB{i}Z</li>" for i in (1, 2, 3, 4, 5, 6, 7)) + "</ul>"
CLOUD = "<div>" + "".join(f"<a>ZQMOT{i}Z</a>" for i in range(1, 20)) + "</div>"


@pytest.fixture(scope="module")
def site():
    return load_site(default_site_dir())


def _page(article: str, *, lang: str = "fr") -> str:
    head = f"<html lang='{lang}'><head><title>x</title></head>"
    return f"{head}<body>{MENU}{CLOUD}{article}</body></html>"


def test_a_menu_or_a_tag_cloud_alone_shows_no_section_and_no_keyword(site) -> None:
    art = site.articles[50]
    page = read_page(_page("<h1>ZQTIT50Z</h1><div>ZQTEXTE50Z texte</div>"))
    want = expected(site, art, page, BASE, {})
    assert want["title"] == plain(art.title)
    assert want["body"] == plain(art.texte)
    assert (want["section"], want["section_path"], want["keywords"]) == (None, [], [])
    assert (want["surtitle"], want["lead"], want["postscript"]) == (None, None, None)
    assert (want["published"], want["authors"], want["footnotes"]) == (None, [], 0)
    assert want["lang"] == "fr"


def test_the_article_s_own_blocks_are_shown_beside_the_chrome(site) -> None:
    art = site.articles[50]  # rubric 5, author 1 (SPIP's 2), keywords 4, 11, 2; English twin 58
    page = read_page(
        _page(
            "<p>Accueil &gt; ZQRUB5Z</p><h1>ZQTIT50Z</h1><p>jeudi 7 mars 1850, par ZQAUT2Z</p>"
            "<div>ZQTEXTE50Z texte</div><div>ZQNOTEZ une</div><div>ZQNOTEZ deux</div>"
            "<ul><li>ZQMOT4Z</li></ul>"
            "<a href='spip.php?article58' hreflang='en'>English</a>"
            "<a href='Un-autre-article'>ZQTIT61Z</a>"
        )
    )
    want = expected(site, art, page, BASE, {"Un-autre-article": 61})
    assert want["section"] == "Féminismes"
    assert want["section_path"] == ["Féminismes"]
    assert want["authors"] == ["NAKAMURA Aiko"]
    assert want["keywords"] == [site.keywords[4].title]  # the only one named twice
    assert want["published"] == art.date.strftime("%Y-%m-%d")
    assert want["footnotes"] == 2
    assert want["translations"] == ["en"]


def test_the_language_is_the_page_s_or_the_texte_s_not_a_link_s(site) -> None:
    art = site.articles[58]
    around = "<div lang='en'><p>ZQTEXTE58Z text</p></div><span lang='fr'>Français</span>"
    assert expected(site, art, read_page(_page(around, lang="")), BASE, {})["lang"] == "en"
    link_only = "<p>ZQTEXTE58Z text</p><span lang='en'>English</span>"
    assert expected(site, art, read_page(_page(link_only, lang="fr")), BASE, {})["lang"] is None


def test_an_address_leads_to_its_article() -> None:
    urls = {"Japon-les-agentes": 50}
    assert url_article(BASE + "spip.php?article12", BASE, urls) == 12
    assert url_article(BASE + "spip.php?page=article&id_article=7", BASE, urls) == 7
    assert url_article(BASE + "Japon-les-agentes#forum", BASE, urls) == 50
    assert url_article(BASE + "-Asie-", BASE, urls) is None
