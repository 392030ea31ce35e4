"""Smoke check: the real bundled sample site (data/sample-site) renders and serves entirely."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from lxml import etree
from lxml import html as lxml_html

from article_archive_sample import SampleSite, default_site_dir, load_site
from article_archive_sample.site import Site


@pytest.fixture(scope="module")
def bundled() -> Site:
    return load_site(default_site_dir())


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with SampleSite() as served, httpx.Client(base_url=served.base_url) as c:
        yield c


def test_bundled_site_has_articles(bundled):
    assert bundled.published()


def test_every_article_serves(bundled, client):
    for art in bundled.articles.values():
        r = client.get(f"spip.php?article{art.id}")
        if not art.published:
            assert r.status_code == 200, art.id
            assert f"article-texte-{art.id} " not in r.text
            continue
        assert r.status_code == 301, art.id
        page = client.get(r.headers["location"])
        assert page.status_code == 200, art.id
        tree = lxml_html.fromstring(page.content)
        texte = tree.xpath(f"//div[contains(concat(' ', @class, ' '), ' article-texte-{art.id} ')]")
        assert len(texte) == 1, art.id
        assert tree.xpath(f"//h1[contains(@class, 'article-titre-{art.id}')]"), art.id
        leftovers = [m for m in ("{{", "}}", "[[", "]]", "->") if m in texte[0].text_content()]
        assert not leftovers, (art.id, leftovers)


def test_listings_and_feeds_serve(bundled, client):
    targets = ["", "spip.php?page=plan", "robots.txt"]
    targets += [r.url for r in bundled.rubriques.values()]
    targets += [a.url for a in bundled.authors.values()]
    targets += [k.url for k in bundled.keywords.values()]
    for target in targets:
        assert client.get(target).status_code == 200, target
    feed = etree.fromstring(client.get("spip.php?page=backend").content)
    assert 1 <= len(feed.findall("channel/item")) <= 10
    sitemap = etree.fromstring(client.get("sitemap.xml").content)
    assert len(sitemap) >= len(bundled.published())
    plan = client.get("spip.php?page=plan").text
    for art in bundled.published():
        assert f'href="{art.url}"' in plan, art.id
