"""extract/spip/detect.py: the one answer to "is this page from SPIP?", for text and bytes."""

from __future__ import annotations

import pytest

from article_archive.extract.spip import is_spip


def _page(head: str = "", body: str = "<p>Bonjour.</p>") -> str:
    return f"<!DOCTYPE html><html><head><title>T</title>{head}</head><body>{body}</body></html>"


SPIP_PAGES = {
    "generator meta": _page('<meta name="generator" content="SPIP 4.2.8 [23421]">'),
    "generator meta, other order and quotes": _page("<meta content='Spip 3.2' name='generator'>"),
    "link to spip.php": _page(body='<a href="spip.php?page=backend">RSS</a>'),
    "absolute spip.php link": _page(body='<a href="https://x.example/spip.php?article3">a</a>'),
    "template stylesheet": _page('<link rel="stylesheet" href="squelettes/css/site.css">'),
    "dist stylesheet": _page('<link rel="stylesheet" href="squelettes-dist/css/spip.css">'),
    "note call": _page(body='<p>Texte<a href="#nb1" class="spip_note">1</a></p>'),
    "outgoing link class": _page(body='<a class="spip_out" href="https://o.example/">o</a>'),
    "internal link class": _page(body='<a class="spip_in" href="-Rubrique-">r</a>'),
    "logo class": _page(body='<img class="spip_logo" src="IMG/logo.png" alt="">'),
    "crayons title": _page(body='<h1 class="crayon article-titre-12 ">Titre</h1>'),
    "cached image": _page(body='<img src="local/cache-vignettes/L150xH100/arton3.jpg" alt="">'),
}
OTHER_PAGES = {
    "plain page": _page(),
    "WordPress": _page(
        '<meta name="generator" content="WordPress 6.4">',
        '<a href="/wp-content/uploads/a.jpg">a</a><p class="entry-content">x</p>',
    ),
    "prose naming SPIP": _page(body="<p>Le site tourne sous SPIP, comme tant d'autres.</p>"),
    "prose about skeletons": _page(body="<p>Les squelettes de dinosaures du musée.</p>"),
}


@pytest.mark.parametrize("name", SPIP_PAGES)
def test_each_fingerprint_says_spip_in_text_and_in_bytes(name):
    html = SPIP_PAGES[name]
    assert is_spip(html)
    assert is_spip(html.encode("utf-8"))
    assert is_spip(html.encode("cp1252"))


@pytest.mark.parametrize("name", OTHER_PAGES)
def test_pages_without_a_fingerprint_are_not_spip(name):
    html = OTHER_PAGES[name]
    assert not is_spip(html)
    assert not is_spip(html.encode("utf-8"))


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Composed-By": "SPIP 4.2.8 @ www.spip.net + spip(4.2.8)"}, True),
        ({"composed-by": "spip"}, True),
        ({"X-Spip-Cache": "86400"}, True),
        ({"Composed-By": "Hugo"}, False),
        ({"Server": "nginx", "X-Powered-By": "PHP/8.2"}, False),
        (None, False),
    ],
)
def test_headers(headers, expected):
    assert is_spip(_page(), headers) is expected
    assert is_spip(_page().encode("ascii"), headers) is expected
