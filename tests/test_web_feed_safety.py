"""Feeds and downloads safe for their readers (issue 13, item 10): a title holding a character
XML forbids leaves the Atom feed well-formed, and HTML in a title or body is text in the .md."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import pytest
from datasette.app import Datasette
from markdown_it import MarkdownIt

from article_archive.store import open_archive, save_article
from article_archive.web.feeds import atom_feed, xml_safe
from article_archive.web.render import article_markdown
from fixtures.web_articles import _article

CONTROL_TITLE = "Bilan\x01 de la grève\x0b\ufffe en 2023"
SCRIPT_TITLE = "<script>alert('titre')</script> & le reste"
SCRIPT_BODY = "<p>Le code &lt;img src=x onerror=alert(1)&gt; reste du texte.</p>"


@pytest.fixture
async def hostile_ds(tmp_path: Path) -> Datasette:
    from article_archive.web.serve import make_datasette

    path = tmp_path / "archive.db"
    db = open_archive(path)
    try:
        for n, title, body in ((1, CONTROL_TITLE, "<p>Un.</p>"), (2, SCRIPT_TITLE, SCRIPT_BODY)):
            text = lxml.etree.fromstring(body.encode()).xpath("string()")
            art = _article(n, title=title, body_html=body, body_text=text, lead="<b>chapô</b>")
            save_article(db, art, fetched_at="2023-12-01T10:00:00+00:00")
    finally:
        db.close()
    datasette = make_datasette(path)
    await datasette.invoke_startup()
    return datasette


def _strict(xml: bytes) -> lxml.etree._Element:
    """Parse as every feed reader must: no recovery from an ill-formed document."""
    return lxml.etree.fromstring(xml, lxml.etree.XMLParser(recover=False))


async def test_the_atom_feed_stays_well_formed(hostile_ds: Datasette) -> None:
    response = await hostile_ds.client.get("/archive/feed.atom")
    assert response.status_code == 200
    root = _strict(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = {t.text for t in root.iterfind("a:entry/a:title", ns)}
    assert "Bilan de la grève en 2023" in titles  # only the forbidden characters went
    assert SCRIPT_TITLE in titles  # XML escapes markup itself


def test_xml_safe_drops_only_what_xml_forbids() -> None:
    assert xml_safe("a\x00b\x01c\x1fd\ud800e\uffff") == "abcde"
    kept = "tab\tline\nret\r é 中 😀 \ue000"
    assert xml_safe(kept) == kept


def test_attribute_values_are_cleaned_too() -> None:
    entry = {
        "original": "https://example.org/a\x02",
        "url": "/archive/articles/1/read",
        "title": "T\x03",
        "section": "Éco\x04",
        "published": "2023-01-01",
    }
    xml = atom_feed(title="F\x05", feed_url="/f", page_url="/p", entries=[entry])
    root = _strict(xml)
    category = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}category")
    assert category is not None and category.get("term") == "Éco"
    assert b"\x02" not in xml and b"\x04" not in xml


def _rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


async def test_the_markdown_download_escapes_html(hostile_ds: Datasette) -> None:
    db = hostile_ds.get_database("archive")
    row = (await db.execute("SELECT id FROM articles WHERE spip_id = 2")).first()[0]
    response = await hostile_ds.client.get(f"/archive/articles/{row}.md")
    assert response.status_code == 200
    html = _rendered(response.text)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(" in html  # shown as the text it is
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    title = next(line for line in response.text.splitlines() if line.startswith("# "))
    assert title == "# &lt;script&gt;alert('titre')&lt;/script&gt; &amp; le reste"


def test_markdown_keeps_its_own_markup() -> None:
    art = _article(
        3,
        title="Tom & Jerry",
        body_html='<p>Voir <a href="https://example.org/">le site</a> et <em>ceci</em>.</p>',
        body_text="Voir le site et ceci.",
    )
    html = _rendered(article_markdown(art))
    assert '<a href="https://example.org/">le site</a>' in html
    assert "<em>ceci</em>" in html
    assert "<h1>Tom &amp; Jerry</h1>" in html
