"""The SPIP extractor on small pages written for the tests, each with fields checked by eye."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

from article_archive.errors import ExtractionError
from article_archive.extract.spip import extract_spip, is_spip

FIXTURES = Path(__file__).parent / "fixtures" / "spip"
ARTICLES = ["essf-dist32", "spip20", "spip4-sommaire", "themed-regards"]
FIELDS = [
    "url", "site", "spip_id", "lang", "title", "surtitle", "subtitle", "section",
    "section_path", "authors", "published", "written", "updated", "lead", "toc",
    "body_html", "body_text", "footnotes", "postscript", "keywords", "translations",
    "word_count", "extractor",
]  # fmt: skip


def _page(name: str):
    """The parsed fixture page ``name``."""
    return lxml.html.fromstring((FIXTURES / f"{name}.html").read_text(encoding="utf-8"))


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
    assert is_spip(_page(name))


def test_plain_page_is_not_spip():
    tree = lxml.html.fromstring("<html><body><p class='x'>Hello</p></body></html>")
    assert not is_spip(tree)


def test_composed_by_header_says_spip():
    tree = lxml.html.fromstring("<html><body><p>Hello</p></body></html>")
    assert is_spip(tree, {"Composed-By": "SPIP 4.2.8 @ www.spip.net"})


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
