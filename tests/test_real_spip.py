"""A real SPIP 4.4 (Debian's package, PHP's built-in server) holding the sample site's articles.

Crawled from its home page with --backfill, every published article must arrive exactly once with
its fields as SPIP itself rendered them; a re-run over the unchanged site writes nothing; an edit
made in SPIP comes back as one revision; and every page of the reader works on that archive.
Expected values come from what the editor typed (the sample site's sources), adjusted only where
SPIP's dist templates show something else: authors in name order (``{par nom}``), no earlier
writing date (dist's article.html does not print ``date_redac``).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import sqlite3
import zlib
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import feedparser
import pytest
import sqlite_utils
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.web.serve import make_datasette
from article_archive_sample import default_site_dir, load_site
from real_spip import RealSpip
from sample_truth import headings, norm, note_count, plain
from servers import served_archive
from test_crawl_updates import snapshot

FAST = {"delay": 0, "retries": 1, "backoff": 0.01}


@pytest.fixture(scope="module")
def source():
    return load_site(default_site_dir())


@pytest.fixture(scope="module")
def spip(tmp_path_factory, source):
    with RealSpip(tmp_path_factory.mktemp("spip"), source) as site:
        yield site


@pytest.fixture(scope="module")
def spip_archive(spip, tmp_path_factory):
    db_path = tmp_path_factory.mktemp("archive") / "archive.db"
    summary = run_crawl(db_path, [spip.base_url], CrawlOptions(backfill=True, **FAST))
    return db_path, summary


def copy_db(db_path: Path, target: Path) -> Path:
    with closing(sqlite3.connect(db_path)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def test_backfill_from_the_home_page_archives_every_published_article_once(
    spip, spip_archive, source
) -> None:
    db_path, summary = spip_archive
    published = {a.id: a for a in source.published()}
    unpublished = [a.id for a in source.articles.values() if a.id not in published]
    assert (summary.new, summary.updated, summary.failed) == (len(published), 0, 0)
    db = sqlite_utils.Database(db_path)
    rows = list(db.query("select * from articles order by spip_id"))
    assert [r["spip_id"] for r in rows] == sorted(published)  # each once, none other
    # spip.php?articleN answered 301 to the readable address, which is the one stored
    assert all("spip.php" not in r["url"] for r in rows)
    probes = dict(db.execute("select spip_id, state from frontier where kind = 'spip_id'"))
    assert unpublished and all(probes[i] == "absent" for i in unpublished)
    home = db.execute("select body from pages where kind = 'home'").fetchone()[0]
    assert b'<meta name="generator" content="SPIP 4.4' in zlib.decompress(home)
    for row in rows:
        art = published[row["spip_id"]]
        expected_authors = sorted(source.authors[i].name for i in art.authors)
        got = {
            "title": norm(row["title"]),
            "surtitle": norm(row["surtitle"]),
            "subtitle": norm(row["subtitle"]),
            "lang": row["lang"],
            "section_path": json.loads(row["section_path"]),
            "authors": [norm(name) for name in json.loads(row["author_names"])],
            "published": row["published"][:16],
            "written": row["written"],
            "lead": norm(_without_calls(row["lead"])),
            "postscript": norm(row["postscript"]),
            "toc": [(e["level"], norm(e["title"])) for e in json.loads(row["toc"])],
            "keywords": sorted(k.strip() for k in (row["keywords_text"] or "").split(",") if k),
            "translations": sorted(t["lang"] for t in json.loads(row["translations"])),
        }
        want = {
            "title": plain(art.title),
            "surtitle": plain(art.surtitle),
            "subtitle": plain(art.subtitle),
            "lang": art.lang,
            "section_path": [r.title for r in source.rubric_path(art.rubrique)],
            "authors": expected_authors,
            "published": art.date.strftime("%Y-%m-%dT%H:%M"),
            "written": None,
            "lead": plain(art.chapo),
            "postscript": plain(art.ps),
            "toc": headings(art.texte),
            "keywords": sorted(source.keywords[k].title for k in art.keywords),
            "translations": sorted(t.lang for t in source.translations(art) if t.id != art.id),
        }
        assert got == want, art.id
        notes = db.execute("select count(*) from footnotes where article_id = ?", [row["id"]])
        assert notes.fetchone()[0] == note_count(art), art.id
        body = norm(row["body_text"])
        for message in source.forum.get(art.id, []):  # the forum under the article stays out
            assert norm(plain(message.text))[:60] not in body
        for chrome in ("Dans la même rubrique", "Répondre à cet article", "Mots-clés"):
            assert chrome not in body
        for number in re.findall(r"<img(\d+)", art.texte):  # SPIP's thumbnail, absolute
            title = source.documents[int(number)].title
            assert f'<img src="{spip.base_url}local/cache-vignettes/' in row["body_html"]
            assert not title or norm(title) in norm(html.unescape(row["body_html"]))
    db.close()


def _without_calls(text: str | None) -> str:
    """A lead without its footnote calls (`` [1]``), which the sources keep as [[…]]."""
    return re.sub(r"\s*\[\d+\]", "", text or "")


def test_a_site_with_spip_php_addresses_is_archived_once_too(tmp_path, source) -> None:
    """Europe Solidaire's scheme: no readable URLs, ``spip.php?articleN`` is the address."""
    published = sorted(a.id for a in source.published())
    db_path = tmp_path / "a.db"
    with RealSpip(tmp_path / "spip", source, urls="page") as spip:
        summary = run_crawl(db_path, [spip.base_url], CrawlOptions(backfill=True, **FAST))
        base = spip.base_url
    assert (summary.new, summary.failed) == (len(published), 0)
    db = sqlite_utils.Database(db_path)
    rows = list(db.query("select spip_id, url from articles order by spip_id"))
    assert [r["spip_id"] for r in rows] == published
    assert all(r["url"] == f"{base}spip.php?article{r['spip_id']}" for r in rows)
    db.close()


def test_a_rerun_over_the_unchanged_site_writes_nothing(spip, spip_archive, tmp_path) -> None:
    """SPIP never answers 304 for its pages: nothing may be written all the same."""
    db_path = copy_db(spip_archive[0], tmp_path / "again.db")
    before = snapshot(db_path)
    summary = run_crawl(db_path, [spip.base_url], CrawlOptions(backfill=True, **FAST))
    assert (summary.new, summary.updated, summary.failed) == (0, 0, 0)
    assert summary.unchanged >= 10  # the feed's articles were checked again
    after = snapshot(db_path)
    changed = set(after["pages"]) - set(before["pages"])
    assert not changed, sorted(changed)
    assert after == before


def test_an_edit_made_in_spip_comes_back_as_one_revision(tmp_path, source) -> None:
    newest = source.published()[0]
    db_path = tmp_path / "a.db"
    with RealSpip(tmp_path / "spip", source) as spip:
        first = run_crawl(db_path, [spip.base_url], CrawlOptions(**FAST))
        spip.edit_article(newest.id, texte=newest.texte + "\n\nUn paragraphe ajouté dans SPIP.")
        second = run_crawl(db_path, [spip.base_url], CrawlOptions(**FAST))
    assert (first.new, first.failed) == (10, 0)  # an ordinary run: the feed's ten newest
    assert (second.new, second.updated, second.unchanged) == (0, 1, 9)
    db = sqlite_utils.Database(db_path)
    (body,) = db.execute("select body_text from articles where spip_id = ?", [newest.id]).fetchone()
    assert "Un paragraphe ajouté dans SPIP." in body
    assert db["revisions"].count == 1
    db.close()


async def test_every_reader_page_works_on_the_real_spip_archive(spip_archive, source) -> None:
    db_path = spip_archive[0]
    ds = make_datasette(db_path)
    await ds.invoke_startup()
    db = sqlite_utils.Database(db_path)
    ids = {r["spip_id"]: r["id"] for r in db.query("select id, spip_id from articles")}
    for row in db.query("select * from articles"):
        art = source.articles[row["spip_id"]]
        reader = await ds.client.get(f"/archive/articles/{row['id']}/read")
        assert reader.status_code == 200
        doc = BeautifulSoup(reader.text, "html.parser")
        assert norm(doc.select("h1.aa-title")[0].get_text()) == plain(art.title)
        for link in doc.select(".aa-toc a"):  # the contents lead to headings of the body
            assert doc.find(id=link.get("href")[1:]).name in ("h2", "h3")
        calls = doc.select(".aa-body a.spip_note, .aa-lead a.spip_note")
        assert len(calls) == note_count(art)
        for call in calls:  # each call leads to its note, whose back-link leads to the call
            note = doc.find(id=call.get("href")[1:])
            assert note.select("a.aa-back")[0].get("href") == "#" + call.get("id")
        for other in source.translations(art):
            if other.id != art.id:
                href = f"/archive/articles/{ids[other.id]}/read"
                assert href in [a.get("href") for a in doc.select(".aa-translations a")]
        lists = [f"/archive/section/{quote(row['section'])}", f"/archive/year/{row['year']}"]
        lists += [
            f"/archive/author/{a}"
            for (a,) in db.execute(
                "select author_id from article_authors where article_id = ?", [row["id"]]
            )
        ]
        for path in lists:
            listed = await ds.client.get(path)
            assert listed.status_code == 200
            assert f"/archive/articles/{row['id']}/read" in listed.text, path
        word = max(plain(art.title).split(), key=len).strip("«»:,.'’")
        found = await ds.client.get(f"/archive/search?q={quote(word)}")
        assert f"/archive/articles/{row['id']}/read" in found.text, word
    everything = await ds.client.get("/archive/export.csv")
    assert len(list(csv.DictReader(io.StringIO(everything.text)))) == len(ids)
    feed = feedparser.parse((await ds.client.get("/archive/feed.atom")).text)
    assert not feed.bozo and feed.entries
    db.close()


def test_read_a_real_spip_article_in_the_browser(page: Page, spip_archive) -> None:
    """Contents, a note and its way back, the translation: on pages SPIP 4 itself made."""
    with served_archive(spip_archive[0]) as base:
        page.goto(base + "/archive/search?q=agentes+municipales")
        page.locator(".aa-card-title a", has_text="agentes municipales").click()
        page.wait_for_url("**/read")
        expect(page.locator("h1.aa-title")).to_contain_text("agentes municipales")
        first = page.locator(".aa-toc a").first
        target = first.get_attribute("href")
        first.click()
        expect(page.locator(target)).to_be_in_viewport()
        page.locator("a.spip_note[href='#nb2']").first.click()
        expect(page.locator("#nb2")).to_be_in_viewport()
        page.locator("#nb2 a.aa-back").click()
        assert page.url.endswith("#nh2")
        expect(page.locator("#nh2")).to_be_in_viewport()
        page.locator(".aa-translations a", has_text="English").click()
        page.wait_for_url("**/read")
        expect(page.locator("h1.aa-title")).to_contain_text("municipal workers")
        assert page.locator("article.aa-article").get_attribute("lang") == "en"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.console_errors == []  # type: ignore[attr-defined]
