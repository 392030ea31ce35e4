"""The reader and the cards, page by page: footnote calls, the interface's language, dates."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from datasette.app import Datasette

from article_archive.store import open_archive, save_article
from article_archive.web.serve import make_datasette
from conftest import make_article
from fixtures.web_articles import row_id as _id


async def _html(ds: Datasette, path: str, status: int = 200) -> BeautifulSoup:
    response = await ds.client.get(path)
    assert response.status_code == status, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


async def _one(tmp_path: Path, **fields: object) -> tuple[Datasette, int]:
    """A Datasette over an archive of one article made from ``make_article(**fields)``."""
    db = open_archive(tmp_path / "archive.db")
    article_id, _ = save_article(db, make_article(**fields))
    db.close()
    ds = make_datasette(tmp_path / "archive.db")
    await ds.invoke_startup()
    return ds, article_id


SPIP_BODY = (
    '<p>Chaque gardien note l’heure<span class="spip_note_ref">&nbsp;[<a href="#nb2" '
    'class="spip_note" rel="appendix" id="nh2">2</a>]</span> et celle de l’extinction.</p>'
)


async def test_spip_note_calls_show_their_brackets_once(tmp_path: Path) -> None:
    ds, art = await _one(
        tmp_path,
        lead="Deux gardiens se relaient [1].",
        body_html=SPIP_BODY,
        body_text="Chaque gardien note l’heure [2] et celle de l’extinction.",
        footnotes=[
            {"number": "1", "text": "Douze milles.", "html": "<p>Douze milles.</p>"},
            {"number": "2", "text": "Un carnet.", "html": "<p>Un carnet.</p>"},
        ],
    )
    doc = await _html(ds, f"/archive/articles/{art}/read")
    body = doc.select_one(".aa-body")
    assert body.get_text() == "Chaque gardien note l’heure[2] et celle de l’extinction."
    calls = body.select("sup.aa-call")
    assert [c.get_text() for c in calls] == ["[2]"]
    assert calls[0].select_one("a")["href"] == "#nb2" and calls[0].select_one("a")["id"] == "nh2"
    lead_calls = doc.select(".aa-lead sup.aa-call")
    assert [c.get_text() for c in lead_calls] == ["[1]"]  # a superscript, as in the body
    assert lead_calls[0].select_one("a")["href"] == "#nb1"


async def test_bare_note_links_become_the_same_superscript(ds: Datasette) -> None:
    doc = await _html(ds, f"/archive/articles/{await _id(ds, 101)}/read")
    calls = doc.select(".aa-body sup.aa-call")
    assert [c.get_text() for c in calls] == ["[1]", "[2]"]
    assert "[[" not in doc.select_one(".aa-body").get_text()


async def test_the_stylesheet_adds_no_brackets(ds: Datasette) -> None:
    css = (await ds.client.get("/-/static-plugins/article_archive/archive.css")).text
    assert not re.search(r"content:\s*\"[\[\]]\"", css)


async def test_cards_and_snippets_leave_out_note_calls(ds: Datasette) -> None:
    doc = await _html(ds, "/archive/search?q=r%C3%A9acteurs")
    snippets = [p.get_text() for p in doc.select(".aa-snippet")]
    assert any("Fukushima" in s for s in snippets), snippets
    assert not any(re.search(r"\[\d+\]", s) for s in snippets), snippets


async def test_list_cards_leave_out_the_leads_calls(tmp_path: Path) -> None:
    ds, _ = await _one(tmp_path, lead="Le chapeau cite une source [1] et continue.")
    doc = await _html(ds, "/archive/author/1")
    assert doc.select_one(".aa-snippet").get_text() == "Le chapeau cite une source et continue."
