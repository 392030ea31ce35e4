"""One search engine: the CLI export, the search page, the feeds and the lists find the same
articles, on an archive built by the real crawl of the bundled sample site."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import quote, urlencode

import feedparser
import pytest
import sqlite_utils
from bs4 import BeautifulSoup
from click.testing import CliRunner
from datasette.app import Datasette

from article_archive.cli import cli
from article_archive.web.serve import make_datasette
from sample_archive import build_sample_archive

READ = re.compile(r"/articles/(\d+)/read$")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample_archive(tmp_path_factory.mktemp("sample"))


@pytest.fixture
async def sample_ds(sample_db: Path) -> AsyncIterator[Datasette]:
    datasette = make_datasette(sample_db)
    await datasette.invoke_startup()
    yield datasette
    # Its worker threads end now, not at some later garbage collection (where their
    # connections would surprise a test counting reference cycles).
    datasette.executor.shutdown(wait=True)


def _ids_of(links: list[str]) -> list[int]:
    return [int(m.group(1)) for m in map(READ.search, links) if m]


async def _search_page_ids(ds: Datasette, args: dict[str, str]) -> set[int]:
    """Every article id the search page lists for ``args``, following its pages."""
    found: list[int] = []
    url: str | None = "/archive/search?" + urlencode(args)
    while url:
        response = await ds.client.get(url)
        assert response.status_code == 200
        doc = BeautifulSoup(response.text, "html.parser")
        found += _ids_of([a["href"] for a in doc.select(".aa-card-title a")])
        nxt = doc.select_one(".aa-pager a[rel=next]")
        url = nxt["href"] if nxt else None
    assert len(found) == len(set(found))
    return set(found)


def _export_ids(db: Path, args: dict[str, str]) -> set[int]:
    """The ids `article-archive export --format jsonl` writes for the same search."""
    options = ["export", "--db", str(db), "--format", "jsonl"]
    for name, value in args.items():
        options += ["--search" if name == "q" else f"--{name}", value]
    result = CliRunner().invoke(cli, options)
    assert result.exit_code == 0, result.output
    return {json.loads(line)["id"] for line in result.output.splitlines()}


def _fold(text: str) -> str:
    """Lower case without accents, as a reader compares words."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))


def _texts(db: Path) -> dict[int, str]:
    """Each article's searchable text (title, lead, body, authors), folded."""
    rows = sqlite_utils.Database(db).execute(
        "SELECT id, title, lead, body_text, authors_text FROM articles"
    )
    return {row[0]: _fold(" ".join(filter(None, row[1:]))) for row in rows}


def _author_and_keyword(db: Path) -> tuple[str, str]:
    conn = sqlite_utils.Database(db)
    author = conn.execute(
        "SELECT author_id FROM article_authors GROUP BY author_id ORDER BY count(*) DESC"
    ).fetchone()[0]
    keyword = conn.execute(
        "SELECT keyword_id FROM article_keywords GROUP BY keyword_id ORDER BY count(*) DESC"
    ).fetchone()[0]
    return str(author), str(keyword)


QUERIES: list[dict[str, str]] = [
    {"q": "grève"},
    {"q": "grève OR strike"},
    {"q": "Japon -nucléaire"},
    {"q": "nucl*"},
    {"q": "greve"},  # accents folded
    {"q": "syndicat"},  # stems: syndicats
    {"q": '"salaire minimum"'},
    {"q": 'femmes -"femmes de chambre"'},
    {"q": "Japon NOT Fukushima"},
    {"q": "livreurs OR cheminots OR pêcheurs"},
    {"q": "synd* grève"},
    {"q": "l'eau"},  # French elision
    {"q": "women water"},
    {"q": "Drome"},
    {"q": "grève", "section": "Mouvements sociaux"},
    {"q": "", "section": "Asie"},  # a parent section: with its sub-rubrics
    {"q": "femmes", "lang": "fr", "from": "2020", "to": "2023-06"},
    {"q": "", "year": "2023"},
    {"q": "", "author": "AUTHOR"},
    {"q": "", "keyword": "KEYWORD"},
    {"q": "zzzqqqxxx"},  # nothing
]


@pytest.mark.parametrize("args", QUERIES, ids=lambda a: " ".join(f"{k}={v}" for k, v in a.items()))
async def test_cli_export_finds_what_the_search_page_finds(
    sample_ds: Datasette, sample_db: Path, args: dict[str, str]
) -> None:
    author, keyword = _author_and_keyword(sample_db)
    args = {k: {"AUTHOR": author, "KEYWORD": keyword}.get(v, v) for k, v in args.items()}
    web = await _search_page_ids(sample_ds, args)
    cli_args = {k: v for k, v in args.items() if v}
    assert _export_ids(sample_db, cli_args) == web
    if args["q"] == "zzzqqqxxx":
        assert web == set()
    else:
        assert web, "every query but the last finds something in the sample site"


def test_the_issue_queries_find_what_a_reader_expects(sample_db: Path) -> None:
    texts = _texts(sample_db)
    strike = _export_ids(sample_db, {"q": "grève OR strike"})
    assert {i for i, t in texts.items() if "greve" in t.split() or "strike" in t.split()} <= strike
    assert len(strike) > len(_export_ids(sample_db, {"q": "grève"}))
    japan = _export_ids(sample_db, {"q": "Japon -nucléaire"})
    assert japan and not any("nucleaire" in texts[i] for i in japan)
    assert japan < _export_ids(sample_db, {"q": "Japon"})
    prefix = _export_ids(sample_db, {"q": "nucl*"})
    assert prefix == {i for i, t in texts.items() if re.search(r"\bnucl", t)}


# ---------------------------------------------------------------------------- sections


async def test_a_section_is_the_same_set_on_its_page_feed_search_and_export(
    sample_ds: Datasette, sample_db: Path
) -> None:
    rows = sqlite_utils.Database(sample_db).execute("SELECT id, section_path FROM articles")
    nested = {i for i, path in rows if "Asie" in json.loads(path or "[]")}
    own = {r[0] for r in sqlite_utils.Database(sample_db).execute(
        "SELECT id FROM articles WHERE section = 'Asie'"
    )}  # fmt: skip
    assert own < nested  # the sample site's Asie has sub-rubrics (Japon, Corée)

    listed: list[int] = []
    url: str | None = "/archive/section/" + quote("Asie")
    while url:
        doc = BeautifulSoup((await sample_ds.client.get(url)).text, "html.parser")
        listed += _ids_of([a["href"] for a in doc.select(".aa-card-title a")])
        nxt = doc.select_one(".aa-pager a[rel=next]")
        url = nxt["href"] if nxt else None
    assert set(listed) == nested

    within = doc.find("a", string="Search within")["href"]
    feed_href = doc.select_one("link[type='application/atom+xml']")["href"]
    feed = feedparser.parse((await sample_ds.client.get(feed_href)).text)
    assert set(_ids_of([e.link for e in feed.entries])) == nested
    query = dict(pair.split("=", 1) for pair in within.split("?", 1)[1].split("&"))
    assert await _search_page_ids(sample_ds, {"section": "Asie"}) == nested
    assert query == {"section": "Asie"}
    assert _export_ids(sample_db, {"section": "Asie"}) == nested
