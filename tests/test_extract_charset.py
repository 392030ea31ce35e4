"""Decoding page bytes: BOM, header, meta, detection, and never an exception."""

from __future__ import annotations

import codecs

import pytest

from article_archive.extract.charset import charset_from_content_type, decode_html

FRENCH = "Les élèves ont réclamé « l’égalité » — à l’école, déjà."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text/html; charset=UTF-8", "utf-8"),
        ('text/html; charset="ISO-8859-1"', "iso-8859-1"),
        ("text/html;charset=windows-1252; foo=bar", "windows-1252"),
        ("text/html", None),
        ("", None),
        (None, None),
    ],
)
def test_charset_from_content_type(value, expected):
    assert charset_from_content_type(value) == expected


def test_utf8_bom_wins_over_a_wrong_header():
    data = codecs.BOM_UTF8 + FRENCH.encode("utf-8")
    assert decode_html(data, "text/html; charset=iso-8859-1") == (FRENCH, "utf-8")


def test_utf16_bom():
    data = codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le")
    assert decode_html(data) == (FRENCH, "utf-16-le")


def test_header_iso_8859_1_is_read_as_windows_1252():
    # 0x92 and 0x85 are cp1252's apostrophe and ellipsis; true ISO-8859-1 has controls there.
    data = b"L\x92\xe9t\xe9 arrive\x85"
    assert decode_html(data, "text/html; charset=ISO-8859-1") == ("L’été arrive…", "windows-1252")


def test_meta_http_equiv_in_the_first_kilobytes():
    head = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">'
    data = (head + "<p>Coût : 5 €</p>").encode("iso-8859-15")
    text, encoding = decode_html(data)
    assert encoding == "iso8859-15"
    assert "Coût : 5 €" in text


def test_meta_charset_attribute():
    data = ('<meta charset="windows-1252"><p>' + FRENCH + "</p>").encode("cp1252")
    text, encoding = decode_html(data)
    assert (encoding, FRENCH in text) == ("windows-1252", True)


def test_header_comes_before_meta():
    data = ('<meta charset="utf-8"><p>' + "Œuvre “citée”" + "</p>").encode("cp1252")
    text, encoding = decode_html(data, "text/html; charset=windows-1252")
    assert encoding == "windows-1252"
    assert "Œuvre “citée”" in text


def test_utf8_bytes_declared_latin1_are_read_as_utf8():
    data = ("<p>" + FRENCH + "</p>").encode("utf-8")
    text, encoding = decode_html(data, "text/html; charset=iso-8859-1")
    assert encoding == "utf-8"
    assert FRENCH in text  # and not "Ã©lÃ¨ves"


def test_declared_utf8_that_is_really_cp1252_falls_back_to_detection():
    data = ('<meta charset="utf-8"><p>' + FRENCH + "</p>").encode("cp1252")
    text, encoding = decode_html(data)
    assert encoding == "windows-1252"
    assert FRENCH in text


def test_cyrillic_without_declaration_is_detected():
    phrase = "Съешь же ещё этих мягких французских булок, да выпей чаю. "
    text, encoding = decode_html((phrase * 10).encode("cp1251"))
    assert encoding == "windows-1251"
    assert text.startswith(phrase)


def test_ascii_only():
    assert decode_html(b"<p>plain</p>", "text/html; charset=utf-8") == ("<p>plain</p>", "ascii")


def test_unknown_declared_charset_is_ignored():
    data = ('<meta charset="x-no-such-thing"><p>' + FRENCH + "</p>").encode("utf-8")
    assert decode_html(data) == (data.decode("utf-8"), "utf-8")


def test_utf8_page_with_a_few_stray_bytes_keeps_utf8():
    data = b"<p>caf\xc3\xa9</p>" * 20 + b"<p>\xff\xfe</p>"
    text, encoding = decode_html(data, "text/html; charset=utf-8")
    assert encoding == "utf-8"
    assert text.count("café") == 20
    assert text.endswith("<p>\ufffd\ufffd</p>")


def test_undecodable_bytes_never_raise():
    data = bytes(range(256)) * 4
    text, encoding = decode_html(data, "text/html; charset=utf-8")
    assert isinstance(text, str) and len(text) >= 256
    assert encoding
