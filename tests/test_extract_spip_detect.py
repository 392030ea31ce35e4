"""extract/spip/detect.py: the one answer to "is this page from SPIP?", for text and bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from article_archive.extract import extract
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
    # no generator meta, no spip.php: the engine's markup and the URL modes' shapes
    "intertitle class": _page(body='<h2 class="spip">Les faits</h2><p>Un texte.</p>'),
    "list class": _page(body='<ul class="spip" role="list"><li>un</li></ul>'),
    "line break class": _page(body="<p>Une ligne<br class='autobr' />et une autre.</p>"),
    "dash": _page(body='<p><span class="spip-puce ltr"><b>–</b></span> un point</p>'),
    "document": _page(body='<div class="spip_document_4 spip_documents">x</div>'),
    "url link class": _page(body='<a class="spip_url" href="https://o.example/">o</a>'),
    "SPIP form": _page(body='<div class="formulaire_spip formulaire_recherche"></div>'),
    "article logo file": _page(body='<img src="IMG/logo/arton12.png" alt="">'),
    "rubric logo file": _page(body='<img src="/IMG/rubon3.jpg" alt="">'),
    "rubric link": _page(body='<a href="-Vie-locale-">Vie locale</a>'),
    "absolute rubric link": _page(body="<a href='https://x.example/-Sport-'>Sport</a>"),
    "keyword link": _page(body='<a href="+-Semences-+">Semences</a>'),
    "author link": _page(body='<a href="_Claire-Fontaine_">Claire Fontaine</a>'),
    "html mode rubric": _page(body='<a href="rubrique7.html">Culture</a>'),
}
OTHER_PAGES = {
    "plain page": _page(),
    "WordPress": _page(
        '<meta name="generator" content="WordPress 6.4">',
        '<a href="/wp-content/uploads/a.jpg">a</a><p class="entry-content">x</p>',
    ),
    "prose naming SPIP": _page(body="<p>Le site tourne sous SPIP, comme tant d'autres.</p>"),
    "prose about skeletons": _page(body="<p>Les squelettes de dinosaures du musée.</p>"),
    "prose with a spaced SPIP": _page(body="<p>Un site SPIP comme tant d'autres.</p>"),
    "dashed slugs": _page(body='<a href="/2024/05/la-fin-du-marche">a</a><a href="/a-b-">b</a>'),
    "dash strings in a script": _page(body="<script>var p = ['-webkit-', '-moz-'];</script>"),
    "blank targets": _page(body='<a href="/_next/x" target="_blank">a</a>'),
    "class with spip inside": _page(body='<p class="inspiration spipeline">x</p>'),
    "article page file": _page(body='<a href="article12.html">a</a>'),
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


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"X-Spip-Cache": "86400"}, True),
        ({"X-Spip-Whatever": "1"}, True),
        ({"Set-Cookie": "spip_session=1_abc; path=/"}, True),
        ({"set-cookie": "spip_lang=fr; path=/"}, True),
        ({"Set-Cookie": "session=1; path=/"}, False),
    ],
)
def test_spip_headers_and_cookies(headers, expected):
    assert is_spip(_page(), headers) is expected


def test_generator_in_any_case_and_spacing():
    for meta in ('<meta name="generator" content = "spip 4.1">', "<meta content=SPIP name=x>"):
        assert is_spip(_page(meta))
        assert is_spip(_page(meta).encode("ascii"))


def test_a_large_page_without_fingerprint_is_not_spip():
    body = '<p class="x"><a href="/news/a-b" target="_blank">Un lien</a> du texte.</p>' * 5000
    assert not is_spip(_page(body=body))
    assert not is_spip(_page(body=body).encode("utf-8"))


GENERIC = sorted((Path(__file__).parent / "fixtures" / "generic").glob("*.html"))


@pytest.mark.parametrize("path", GENERIC, ids=[p.stem for p in GENERIC])
def test_generic_fixture_pages_are_not_spip(path):
    html = path.read_text(encoding="utf-8")
    assert not is_spip(html)
    assert not is_spip(html.encode("utf-8"))
    assert extract(html, "https://news.example.org/page")["extractor"].startswith("generic/")
