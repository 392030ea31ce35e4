"""The plugin's pages through Datasette's test client: content, links, headers, lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from datasette.app import Datasette

from article_archive.store import open_archive, save_article
from article_archive.web.serve import make_datasette
from fixtures.web_articles import INLINE_SCRIPT, build_archive
from fixtures.web_articles import row_id as _id


async def _html(ds: Datasette, path: str, status: int = 200) -> BeautifulSoup:
    response = await ds.client.get(path)
    assert response.status_code == status, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


async def test_front_page(ds: Datasette) -> None:
    doc = await _html(ds, "/")
    titles = [a.get_text() for a in doc.select(".aa-card-title a")]
    assert titles[0] == "Grève générale en Grèce"  # newest first
    assert len(titles) == 10
    text = doc.get_text()
    assert "32 articles" in text
    sections = {
        li.select("a")[0].text: li.select("span")[0].text
        for li in doc.select(".aa-side li")
        if li.select("span")
    }
    assert sections["Brèves"] == "22"
    assert sections["ROUSSET Pierre"] == "5"
    assert sections["Français"] == "28"
    hrefs = [a.get("href") for a in doc.select("a")]
    assert "/archive" in hrefs  # Browse the data
    assert "/archive/feed.atom" in hrefs
    assert doc.select("form[action='/archive/search'] input[name=q]")
    assert doc.select("link[rel=alternate][type='application/atom+xml']")


PAGES = [
    "/",
    "/archive/search",
    "/archive/search?q=nucléaire",
    "/archive/articles/{fukushima}/read",
    "/archive/section/%C3%89nergie",
    "/archive/author/1",
    "/archive/keyword/1",
    "/archive/year/2023",
]


@pytest.mark.parametrize("path", PAGES)
async def test_our_pages_send_csp_and_have_no_inline_script(ds: Datasette, path: str) -> None:
    path = path.format(fukushima=await _id(ds, 101))
    response = await ds.client.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert not re.search(INLINE_SCRIPT, response.text), "inline script on " + path
    assert ' style="' not in response.text
    assert "/-/static-plugins/article_archive/archive.css" in response.text


async def test_reader_page(ds: Datasette) -> None:
    art = await _id(ds, 101)
    doc = await _html(ds, f"/archive/articles/{art}/read")
    article = doc.select("article.aa-article")[0]
    assert article.get("lang") == "fr"
    assert doc.select(".aa-surtitle")[0].text == "Japon"
    assert doc.select("h1.aa-title")[0].text.startswith("Fukushima : douze ans")
    assert "opposition des pêcheurs" in doc.select(".aa-subtitle")[0].text
    path = [(a.text, a.get("href")) for a in doc.select(".aa-path a")]
    assert path[0] == ("Écologie", "/archive/section/%C3%89cologie")
    assert path[-1][0] == "ÉTATS NUCLÉAIRES"
    byline = doc.select(".aa-head .aa-byline")[0]
    assert [a.text for a in byline.select("a")] == ["HAYASHI Noriko", "ROUSSET Pierre"]
    assert byline.select("a")[0].get("href").startswith("/archive/author/")
    assert "12\u00a0octobre 2023" in byline.get_text()
    assert "Date de rédaction antérieure" in doc.select(".aa-written")[0].get_text()
    assert "4\u00a0octobre 2023" in doc.select(".aa-written")[0].get_text()
    assert "eaux traitées" in doc.select(".aa-lead")[0].text
    # The TOC's anchors exist in the body.
    toc = doc.select(".aa-toc a")
    assert [a.text for a in toc] == ["Un rejet contesté", "Les pêcheurs en première ligne"]
    for link in toc:
        assert doc.find(id=link.get("href")[1:]).name == "h2"
    # Footnote calls and notes point at each other.
    for n in ("1", "2"):
        call = doc.find(id=f"nh{n}")
        assert call.get("href") == f"#nb{n}"
        note = doc.find(id=f"nb{n}")
        assert note.select("a.aa-back")[0].get("href") == f"#nh{n}"
    assert "fédération nationale" in doc.find(id="nb2").get_text()
    assert "\u00a0août" in doc.select(".aa-body")[0].get_text()  # U+00A0 kept
    assert "Traduit de l’anglais" in doc.select(".aa-ps")[0].get_text()
    keywords = {a.text: a.get("href") for a in doc.select(".aa-keywords a")}
    assert set(keywords) == {"Japon", "Nucléaire"}
    assert all(h.startswith("/archive/keyword/") for h in keywords.values())
    english = await _id(ds, 102)
    assert doc.select(".aa-translations a")[0].get("href") == f"/archive/articles/{english}/read"
    assert (
        doc.select(".aa-url")[0].get("href") == "https://www.example-spip.org/spip.php?article101"
    )
    # The side panel speaks the article's language (issue 15).
    assert "Archivé le 1er\u00a0décembre 2023" in doc.select(".aa-source")[0].get_text()
    downloads = [a.get("href") for a in doc.select(".aa-downloads a")]
    assert f"/archive/articles/{art}.md" in downloads
    assert f"/archive/articles/{art}.json" in downloads
    related = [a.text for a in doc.select(".aa-related a")]
    assert 1 <= len(related) <= 5
    # Its translation is under "Other languages", not listed again as related (issue 15).
    assert "Fukushima: twelve years on, contaminated water released into the ocean" not in related
    assert "The ocean and the plastic" in related


async def test_reader_adds_missing_note_ids_and_links_translations(ds: Datasette) -> None:
    doc = await _html(ds, f"/archive/articles/{await _id(ds, 102)}/read")
    assert doc.select("article.aa-article")[0].get("lang") == "en"
    assert doc.find(id="nh1").get("href") == "#nb1"  # the call had no id
    assert doc.find(id="nb1") is not None
    links = {a.text: a.get("href") for a in doc.select(".aa-translations a")}
    assert links["Français"].endswith("/read")
    assert links["Español"] == "https://www.example-spip.org/es/article102"  # not archived


async def test_reader_previous_and_next_in_section(ds: Datasette) -> None:
    doc = await _html(ds, f"/archive/articles/{await _id(ds, 104)}/read")
    nxt = doc.select(".aa-neighbours a[rel=next]")[0]
    assert nxt.text == "Grève générale en Grèce"
    assert not doc.select(".aa-neighbours a[rel=prev]")


async def test_reader_shows_changes_since_archived(ds: Datasette) -> None:
    doc = await _html(ds, f"/archive/articles/{await _id(ds, 104)}/read")
    diff = doc.select(".aa-diff")[0]
    assert "Modifié depuis l’archivage" in diff.get_text()  # a French article's panel
    assert "et les ports." in diff.select(".aa-change ins")[0].text
    assert diff.select("del")


async def test_reader_sanitizes_again(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "evil.db")
    art_id, _ = save_article(
        db,
        {
            "url": "https://evil.example/1",
            "site": "evil.example",
            "title": "Evil",
            "lang": "en",
            "body_html": '<p onclick="x()">Hi<script>alert(1)</script>'
            '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">j</a></p>'
            "<style>body{}</style><iframe src='https://evil.example'></iframe>",
            "body_text": "Hi",
        },
    )
    db.close()
    ds = make_datasette(tmp_path / "evil.db")
    await ds.invoke_startup()
    response = await ds.client.get(f"/evil/articles/{art_id}/read")
    body = response.text.split('class="aa-body">')[1].split("</div>")[0]
    for bad in ("<script", "onclick", "onerror", "javascript:", "<style", "<iframe"):
        assert bad not in body


async def test_unknown_things_are_404(ds: Datasette) -> None:
    for path in [
        "/archive/articles/999999/read",
        "/archive/articles/999999.md",
        "/archive/author/999999",
        "/archive/author/abc",
        "/archive/keyword/999999",
        "/archive/section/Nowhere",
        "/nodb/search?q=x",
    ]:
        assert (await ds.client.get(path)).status_code == 404, path


async def test_lists_newest_first_with_pages(ds: Datasette) -> None:
    doc = await _html(ds, "/archive/section/Br%C3%A8ves")
    assert "22 articles" in doc.select(".aa-count")[0].get_text()
    dates = [t.get("datetime") for t in doc.select(".aa-card time")]
    assert len(dates) == 20 and dates == sorted(dates, reverse=True)
    nxt = doc.select(".aa-pager a[rel=next]")[0].get("href")
    page2 = await _html(ds, nxt)
    assert len(page2.select(".aa-card")) == 2
    assert page2.select(".aa-pager a[rel=prev]")


async def test_parent_section_lists_its_subsections(ds: Datasette) -> None:
    doc = await _html(ds, "/archive/section/%C3%89cologie")
    titles = {a.text for a in doc.select(".aa-card-title a")}
    assert "Le prix de l’électricité s’envole" in titles  # section Énergie, under Écologie
    assert "Fukushima : douze ans après, l’eau contaminée rejetée dans l’océan" in titles


async def test_author_keyword_and_year_lists(ds: Datasette) -> None:
    doc = await _html(ds, "/archive/author/1")
    assert doc.select("h1")[0].text == "ROUSSET Pierre"
    assert len(doc.select(".aa-card")) == 5
    feed = doc.select("link[type='application/atom+xml']")[0].get("href")
    assert feed == "/archive/feed.atom?author=1"
    doc = await _html(ds, "/archive/year/2022")
    assert {t.get("datetime")[:4] for t in doc.select(".aa-card time")} == {"2022"}
    db = ds.get_database("archive")
    kw = (await db.execute("SELECT id FROM keywords WHERE name = 'Grève'")).first()[0]
    doc = await _html(ds, f"/archive/keyword/{kw}")
    assert [a.text for a in doc.select(".aa-card-title a")] == [
        "Grève générale en Grèce",
        "Retraites : la mobilisation continue",
    ]


async def test_articles_table_links_to_reader_and_is_faceted(ds: Datasette) -> None:
    response = await ds.client.get("/archive/articles")
    assert response.status_code == 200
    art = await _id(ds, 110)
    assert f'href="/archive/articles/{art}/read"' in response.text
    data = (await ds.client.get("/archive/articles.json?_shape=objects&_size=3")).json()
    assert data["rows"][0]["title"] == "Grève générale en Grèce"  # sort_desc published
    assert {"section", "author_names", "lang", "year"} <= set(data["facet_results"])
    authors = {r["value"]: r["count"] for r in data["facet_results"]["author_names"]["results"]}
    assert authors["ROUSSET Pierre"] == 5  # each author counted on their own, not per group
    searched = await ds.client.get("/archive/articles.json?_search=nucleaire&_shape=objects")
    titles = {row["title"] for row in searched.json()["rows"]}
    assert "Le débat revient au Parlement" in titles


async def test_pages_body_is_never_shown_raw(tmp_path: Path) -> None:
    path = build_archive(tmp_path / "archive.db")
    db = open_archive(path)
    db["pages"].insert({"url": "https://x.example/", "body": b"\x78\x9c" + b"\x00" * 3000})
    db.close()
    ds = make_datasette(path)
    await ds.invoke_startup()
    response = await ds.client.get("/archive/pages")
    assert "KB compressed" in response.text
    assert "&lt;Binary" not in response.text


async def test_metadata_describes_the_archive(ds: Datasette) -> None:
    meta = (await ds.client.get("/-/metadata.json")).json()
    assert meta["title"] == "article-archive"
    tables = meta["databases"]["archive"]["tables"]
    for table in (
        "articles",
        "authors",
        "keywords",
        "footnotes",
        "pages",
        "frontier",
        "feeds",
        "revisions",
    ):
        assert tables[table]["columns"], table
    assert tables["articles"]["label_column"] == "title"


async def test_static_files_are_served(ds: Datasette) -> None:
    css = await ds.client.get("/-/static-plugins/article_archive/archive.css")
    assert css.status_code == 200 and "66ch" in css.text and "@media print" in css.text
    js = await ds.client.get("/-/static-plugins/article_archive/archive.js")
    assert js.status_code == 200


async def test_crawl_failures_are_browsable(tmp_path: Path) -> None:
    db = open_archive(tmp_path / "archive.db")
    db["frontier"].insert_all(
        [
            {
                "url": "https://site.example/spip.php?article3",
                "kind": "spip_id",
                "state": "failed",
                "attempts": 3,
                "last_error": "HTTP 500 after 3 tries",
                "updated_at": "2026-01-02T00:00:00+00:00",
            },
            {
                "url": "https://site.example/spip.php?article4",
                "kind": "spip_id",
                "state": "pending",
                "attempts": 0,
            },
        ]
    )
    db.close()
    ds = make_datasette(tmp_path / "archive.db")
    await ds.invoke_startup()
    failures = await ds.client.get("/archive/failures.json?_shape=array")
    assert failures.status_code == 200
    assert [(r["url"], r["last_error"]) for r in failures.json()] == [
        ("https://site.example/spip.php?article3", "HTTP 500 after 3 tries")
    ]
    pending = await ds.client.get("/archive/pending.json?_shape=array")
    assert [r["url"] for r in pending.json()] == ["https://site.example/spip.php?article4"]
    by_state = await ds.client.get("/archive/frontier_by_state.json?_shape=array")
    assert {(r["state"], r["n"]) for r in by_state.json()} == {("failed", 1), ("pending", 1)}


async def test_a_note_called_from_the_lead_links_both_ways(tmp_path: Path) -> None:
    from conftest import make_article

    db = open_archive(tmp_path / "archive.db")
    body = '<p>Texte<span class="spip_note_ref">[<a href="#nb2" id="nh2">2</a>]</span>.</p>'
    article_id, _ = save_article(
        db,
        make_article(
            lead="Le chapeau cite une source [1] et rien d'autre <b>.",
            body_html=body,
            footnotes=[
                {"number": "1", "text": "Source du chapeau.", "html": "<p>Source du chapeau.</p>"},
                {"number": "2", "text": "Note du texte.", "html": "<p>Note du texte.</p>"},
            ],
        ),
    )
    db.close()
    ds = make_datasette(tmp_path / "archive.db")
    await ds.invoke_startup()
    doc = await _html(ds, f"/archive/articles/{article_id}/read")
    lead = doc.select_one(".aa-lead")
    call = lead.select_one("a[href='#nb1']")
    assert call is not None and call.get("id") == "nh1"
    assert "<b>" in lead.get_text()  # the lead is text: markup in it stays escaped
    assert doc.select_one("#nb1 a.aa-back")["href"] == "#nh1"
    assert len(doc.select("#nh2")) == 1  # the body's own call keeps the only nh2
