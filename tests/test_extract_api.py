"""The extract() entry point: bytes and charsets, dispatch, errors, the package re-export."""

from __future__ import annotations

from pathlib import Path

import pytest

from article_archive.errors import ExtractionError
from article_archive.extract import EXTRACTOR_VERSION, MAX_INPUT_CHARS, extract, extract_article
from article_archive.models import Article

SPEC_FIELDS = {
    "url",
    "site",
    "spip_id",
    "lang",
    "title",
    "surtitle",
    "subtitle",
    "section",
    "section_path",
    "authors",
    "published",
    "written",
    "updated",
    "lead",
    "toc",
    "body_html",
    "body_text",
    "footnotes",
    "postscript",
    "keywords",
    "translations",
    "word_count",
    "extractor",
}

PARAGRAPHS = (
    "<p>Le marché couvert de la place des Tilleuls rouvre après deux années de travaux. "
    "Les étals de fromages, de légumes et de poissons ont retrouvé leur place sous la "
    "charpente restaurée, et les habitués saluent « un lieu qui a gardé son âme ».</p>"
    "<p>La municipalité a choisi de conserver les piliers de fonte d’origine, repeints "
    "dans leur vert d’autrefois, et d’ajouter une verrière qui laisse entrer la lumière "
    "du matin. Les commerçants paieront un loyer réduit pendant la première année.</p>"
)


def page(charset_meta: str = "") -> str:
    """A small French news page, with an optional charset declaration."""
    return (
        f"<html lang='fr'><head>{charset_meta}<title>Le marché rouvre</title>"
        "<meta name='author' content='Élodie Bérard'></head>"
        f"<body><article><h1>Le marché rouvre</h1>{PARAGRAPHS}</article></body></html>"
    )


def test_latin1_bytes_with_meta_charset():
    data = page('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">')
    result = extract(data.encode("cp1252"), "https://ville.example.fr/marche")
    assert result["title"] == "Le marché rouvre"
    assert result["authors"] == [{"name": "Élodie Bérard", "url": None}]
    assert "« un lieu qui a gardé son âme »" in result["body_text"]
    assert "d’origine" in result["body_text"]  # cp1252's 0x92 apostrophe


def test_utf8_page_with_a_wrong_header_charset():
    data = page('<meta charset="utf-8">').encode("utf-8")
    headers = {"Content-Type": "text/html; charset=ISO-8859-1"}
    result = extract(data, "https://ville.example.fr/marche", headers)
    assert result["title"] == "Le marché rouvre"
    assert "Ã" not in result["body_text"]
    assert "charpente restaurée" in result["body_text"]


def test_header_names_are_case_insensitive():
    data = page().encode("cp1252")
    result = extract(
        data, "https://ville.example.fr/m", {"content-type": "text/html; charset=cp1252"}
    )
    assert result["title"] == "Le marché rouvre"


def test_result_has_exactly_the_spec_fields():
    result = extract(page(), "https://ville.example.fr/marche")
    assert set(result) == SPEC_FIELDS
    assert result["site"] == "ville.example.fr"
    assert result["lang"] == "fr"
    assert result["extractor"].startswith("generic/")


def test_extract_article_returns_the_dataclass():
    article = extract_article(page(), "https://ville.example.fr/marche")
    assert isinstance(article, Article)
    assert article.word_count > 50


def test_no_url_gives_empty_site():
    result = extract(page())
    assert (result["url"], result["site"]) == ("", "")


def test_str_with_xml_declaration_is_accepted():
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + page()
    assert extract(text, "https://ville.example.fr/x")["title"] == "Le marché rouvre"


def test_package_level_import():
    from article_archive import extract as top_level_extract

    result = top_level_extract(page().encode("utf-8"), "https://ville.example.fr/marche")
    assert result["title"] == "Le marché rouvre"


@pytest.mark.parametrize("empty", ["", "   \n\t", b"", b"\x00\x00\x00", "<!-- only a comment -->"])
def test_empty_input_raises_extraction_error(empty):
    with pytest.raises(ExtractionError):
        extract(empty, "https://e.example/")


def test_wrong_type_is_a_type_error():
    with pytest.raises(TypeError):
        extract(12345)  # type: ignore[arg-type]


def test_constants():
    assert EXTRACTOR_VERSION
    assert MAX_INPUT_CHARS >= 2_000_000


def test_dict_matches_the_dataclass_conversion():
    article = extract_article(page(), "https://ville.example.fr/marche")
    assert extract(page(), "https://ville.example.fr/marche") == article.to_dict()


# SPIP pages are parsed from their own bytes when their charset allows it; each of these must
# give exactly what the decoded text gives.
SPIP_PAGE = Path(__file__).parent / "fixtures" / "spip" / "spip20.html"
SPIP_URL = "http://www.example.org/spip.php?article12"
UTF8 = {"content-type": "text/html; charset=utf-8"}


def spip_text() -> str:
    return SPIP_PAGE.read_text(encoding="utf-8")


def test_utf8_spip_bytes_give_the_fields_of_their_text():
    text = spip_text()
    got = extract(text.encode("utf-8"), SPIP_URL, UTF8)
    assert got == extract(text, SPIP_URL)
    assert got["title"] == "Le marché couvert rouvre ses portes"


@pytest.mark.parametrize("errors_first", [0, 150])
def test_spip_page_declared_utf8_but_written_in_windows_1252(errors_first):
    """Read as windows-1252 even when 150 markup errors come before the first accent: libxml2
    stops reporting a page's errors after 100, invalid UTF-8 included."""
    text = spip_text().replace("<head>", "<head>" + "</h3>" * errors_first, 1)
    got = extract(text.encode("cp1252", "xmlcharrefreplace"), SPIP_URL, UTF8)
    assert got["title"] == "Le marché couvert rouvre ses portes"
    assert "\ufffd" not in got["body_text"]
    assert got == extract(text, SPIP_URL)


@pytest.mark.parametrize("odd", ["\x0b", "\x01", "\ufffe", "\uffff"])
def test_control_characters_and_noncharacters_in_utf8_bytes_are_dropped(odd):
    text = spip_text().replace("dès six heures", f"dès six{odd} heures", 1)
    got = extract(text.encode("utf-8"), SPIP_URL, UTF8)
    assert "dès six heures du matin" in got["body_text"]
    assert got == extract(text, SPIP_URL)


def test_extraction_leaves_no_reference_cycles():
    """The page's tree is freed as extract() returns. A reference cycle (a recursive inner
    function holding elements, say) would keep it alive until the garbage collector runs."""
    import gc

    data = spip_text().encode("utf-8")
    extract(data, SPIP_URL, UTF8)  # caches filled
    gc.collect()
    gc.disable()
    try:
        extract(data, SPIP_URL, UTF8)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_import_of_the_package_gives_the_module():
    import importlib
    import types

    import article_archive
    import article_archive.extract as imported
    from article_archive import extract as from_package

    module = importlib.import_module("article_archive.extract")
    assert isinstance(module, types.ModuleType)
    assert imported is module
    assert from_package is module
    assert article_archive.extract is module
    assert module.extract_article is extract_article


def test_the_package_called_is_extract():
    from article_archive import extract as package

    url = "https://ville.example.fr/marche"
    headers = {"Content-Type": "text/html; charset=utf-8"}
    assert package(page(), url) == extract(page(), url)
    assert package(page().encode("utf-8"), url, headers) == extract(page(), url)
    assert package(html=page(), url=url)["title"] == "Le marché rouvre"


def test_to_dict_is_what_dataclasses_asdict_gives_and_shares_no_list():
    import dataclasses
    from pathlib import Path

    html = (Path(__file__).parent / "fixtures" / "spip" / "spip20.html").read_bytes()
    article = extract_article(html, "http://journal.example.fr/article42.html")
    assert article.footnotes and article.authors and article.toc  # nested records to convert
    result = article.to_dict()
    assert result == dataclasses.asdict(article)
    assert result["footnotes"][0] == {
        "number": article.footnotes[0].number,
        "text": article.footnotes[0].text,
        "html": article.footnotes[0].html,
    }
    result["authors"].clear()
    result["footnotes"][0]["number"] = "99"
    assert article.authors and article.footnotes[0].number != "99"
