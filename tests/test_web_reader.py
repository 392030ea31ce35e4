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


# --- the interface's language ---


async def test_a_french_article_gets_a_french_page(ds: Datasette) -> None:
    doc = await _html(ds, f"/archive/articles/{await _id(ds, 101)}/read")
    assert doc.html.get("lang") == "fr"
    headings = [h.get_text() for h in doc.select(".aa-about h2")]
    assert headings[:2] == ["Autres langues", "Source"]
    assert "Articles proches" in headings
    assert not [h for h in headings if h.startswith("In ")]
    assert doc.select_one(".aa-about")["aria-label"] == "À propos de cet article"
    assert doc.select_one(".aa-skip").get_text() == "Aller au contenu"
    assert "Télécharger" in doc.select_one(".aa-downloads").get_text()


async def test_an_english_article_gets_an_english_page(ds: Datasette) -> None:
    doc = await _html(ds, f"/archive/articles/{await _id(ds, 102)}/read")
    assert doc.html.get("lang") == "en"
    headings = [h.get_text() for h in doc.select(".aa-about h2")]
    assert headings[:2] == ["Other languages", "Source"]
    assert "Archived December\u00a01, 2023." in doc.select_one(".aa-source").get_text()


async def test_the_section_heading_does_not_double_its_words(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "archive.db")
    for n in (1, 2):
        save_article(
            db,
            make_article(
                url=f"https://www.example.org/en/article{n}",
                lang="en",
                section="In English",
                section_path=["In English"],
                published=f"2023-10-1{n}",
                translations=[],
            ),
        )
    db.close()
    ds = make_datasette(tmp_path / "archive.db")
    await ds.invoke_startup()
    doc = await _html(ds, "/archive/articles/1/read")
    section = doc.select_one(".aa-neighbours")
    assert section.select_one("h2").get_text() == "Same section"
    assert section.select_one("p a").get_text() == "In English"
    assert "In In" not in doc.get_text()


async def test_related_dates_are_written_out_in_the_page_language(ds: Datasette) -> None:
    doc = await _html(ds, f"/archive/articles/{await _id(ds, 101)}/read")
    dates = [t.get_text() for t in doc.select(".aa-related time")]
    assert dates, "the fixture's article has related articles with dates"
    for text in dates:
        assert not re.search(r"\d{4}-\d{2}", text), text
        assert re.fullmatch(r"(1er|\d{1,2})\u00a0[a-zéû]+ \d{4}", text), text


async def test_updated_is_shown_when_present(tmp_path: Path) -> None:
    ds, art = await _one(tmp_path, published="2022-12-28", updated="2023-01-05T10:00:00")
    doc = await _html(ds, f"/archive/articles/{art}/read")
    assert "28\u00a0décembre 2022" in doc.select_one(".aa-head .aa-byline").get_text()
    updated = doc.select_one(".aa-updated")
    assert updated.get_text() == "Mis à jour le 5\u00a0janvier 2023"
    assert updated.select_one("time")["datetime"] == "2023-01-05T10:00:00"


async def test_no_updated_line_without_an_update(tmp_path: Path) -> None:
    ds, art = await _one(tmp_path, updated=None)
    doc = await _html(ds, f"/archive/articles/{art}/read")
    assert doc.select_one(".aa-updated") is None


async def test_a_language_without_catalogue_falls_back_to_the_browsers(tmp_path: Path) -> None:
    ds, art = await _one(tmp_path, lang="ja", translations=[])
    doc = await _html(ds, f"/archive/articles/{art}/read")
    assert doc.html.get("lang") == "en"
    assert doc.select_one("article.aa-article")["lang"] == "ja"
    response = await ds.client.get(
        f"/archive/articles/{art}/read", headers={"Accept-Language": "fr-FR,fr;q=0.9"}
    )
    assert '<html lang="fr">' in response.text


async def test_other_pages_follow_the_browsers_language(ds: Datasette) -> None:
    english = await _html(ds, "/")
    assert english.html.get("lang") == "en"
    assert english.select_one("h1").get_text() == "The archive"
    response = await ds.client.get("/", headers={"Accept-Language": "de;q=1, fr;q=0.8, en;q=0.5"})
    french = BeautifulSoup(response.text, "html.parser")
    assert french.html.get("lang") == "fr"
    assert french.select_one("h1").get_text() == "L’archive"
    assert "32 articles" in french.select_one(".aa-tagline").get_text()
    assert "du 1er\u00a0" in french.select_one(".aa-tagline").get_text()
    search = await ds.client.get("/archive/search?q=nucléaire", headers={"Accept-Language": "fr"})
    doc = BeautifulSoup(search.text, "html.parser")
    assert "résultats pour « nucléaire »" in doc.select_one(".aa-results-head").get_text()
    titles = [h.get_text() for h in doc.select(".aa-facets .aa-section-title")]
    assert "Rubrique" in titles and "Langue" in titles


# --- the search form and the lists ---


async def test_date_fields_have_no_placeholder_that_looks_like_a_filter(ds: Datasette) -> None:
    doc = await _html(ds, "/archive/search?q=union")
    for name in ("from", "to"):
        field = doc.select_one(f"input[name={name}]")
        assert field.get("placeholder") is None and field.get("value") == ""
        assert doc.find(id=field["aria-describedby"]).get_text().startswith("a year")
    assert doc.select_one(".aa-active") is None  # nothing says a date filter is on


async def test_a_page_beyond_the_last_says_so_once(ds: Datasette) -> None:
    doc = await _html(ds, "/archive/search?q=union&page=999")
    text = doc.select_one("main").get_text()
    assert "No article matches" not in text
    assert not doc.select(".aa-timing") and not doc.select(".aa-pager")
    note = doc.select_one(".aa-note")
    assert "There is no page 999" in note.get_text()
    assert note.select_one("a")["href"] == "/archive/search?q=union"


async def test_front_and_search_have_one_search_box(ds: Datasette) -> None:
    for path in ("/", "/archive/search?q=union"):
        doc = await _html(ds, path)
        assert len(doc.select("input[type=search]")) == 1, path
    doc = await _html(ds, "/archive/author/1")
    assert len(doc.select("input[type=search]")) == 1  # the header's, on other pages


async def test_a_section_list_does_not_repeat_its_section(ds: Datasette) -> None:
    doc = await _html(ds, "/archive/section/Br%C3%A8ves")
    kickers = [k.get_text(" ", strip=True) for k in doc.select(".aa-card .aa-kicker")]
    assert len(kickers) == 20
    assert not any("Brèves" in k for k in kickers)
    # A parent section's list still names the sub-section each card comes from.
    doc = await _html(ds, "/archive/section/%C3%89cologie")
    named = {a.get_text() for a in doc.select(".aa-card .aa-kicker a")}
    assert "Énergie" in named and "Écologie" not in named


async def test_an_author_list_shows_only_the_co_authors(ds: Datasette) -> None:
    doc = await _html(ds, "/archive/author/1")  # ROUSSET Pierre
    assert doc.select_one("h1").get_text() == "ROUSSET Pierre"
    bylines = [b.get_text() for b in doc.select(".aa-card .aa-byline")]
    assert not any("ROUSSET Pierre" in b for b in bylines)
    assert "HAYASHI Noriko" in bylines  # the Fukushima article, written with her


async def test_ignored_arguments_are_explained_in_the_page_language(ds: Datasette) -> None:
    response = await ds.client.get(
        "/archive/search?q=union&from=hier&author=abc", headers={"Accept-Language": "fr"}
    )
    doc = BeautifulSoup(response.text, "html.parser")
    notes = [p.get_text() for p in doc.select(".aa-note")]
    assert "author=abc ignoré : ce doit être un nombre." in notes
    assert "Date hier ignorée : écrivez-la 2023, 2023-10 ou 2023-10-12." in notes
