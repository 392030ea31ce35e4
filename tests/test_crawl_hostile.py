"""No page stops a crawl: malformed addresses in a site's links, feed, sitemap, robots.txt and
redirects, a canonical link to nowhere, and a page on which a finder crashes. Each such page is
recorded with its reason; every other article is archived."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

import article_archive.extract.spip as spip_extractor
from article_archive.crawl import CrawlOptions, run_crawl
from servers import Reply, ScriptedServer

HOSTILE = [
    "https://[votre_fil_twitter]",
    "http://[v1.fe80::a+en1]/",
    "http://[::1/",
    "http://127.0.0.1:99999/spip.php?article1",
    "http://127.0.0.1:port/spip.php?article2",
    "http://exa\u0001mple.org/",
    "http://127.0.0.1/" + "x" * 10_000,
]
GOOD = (1, 2, 3, 5)
POISONED = 4  # its page makes the keyword finder crash
REDIRECTED = 6  # answers with a redirect to a malformed address
OUT_OF_BAD_CANONICAL = 5  # its canonical link names no address
POISON = "poison-pour-le-trouveur"
TEXT = (
    "La commission a rendu son rapport sur la ligne de tramway après dix-huit mois d'enquête "
    "publique, et les riverains y trouvent enfin les chiffres qu'ils réclamaient depuis le début. "
)


def links(addresses: list[str]) -> str:
    return "".join(f'<a href="{a}">lien</a> ' for a in addresses)


def article(n: int, base: str) -> str:
    canonical = HOSTILE[0] if n == OUT_OF_BAD_CANONICAL else f"{base}spip.php?article{n}"
    poison = f'<p class="{POISON}">x</p>' if n == POISONED else ""
    return (
        '<html lang="fr"><head><meta charset="utf-8"><meta name="generator" content="SPIP 4.4.1">'
        f'<link rel="canonical" href="{canonical}"><title>Tramway {n}</title></head><body>'
        f'<h1 class="titre">Tramway, épisode {n}</h1><div class="texte">'
        + "".join(f"<p>{TEXT}({n}.{p})</p>" for p in range(4))
        + f"<p>{links(HOSTILE)}</p>{poison}</div>"
        f'<img class="spip_logo" src="{HOSTILE[1]}"><img src="{HOSTILE[2]}"></body></html>'
    )


def feed(base: str) -> str:
    entries = [*HOSTILE, *(f"{base}spip.php?article{n}" for n in (*GOOD, POISONED, REDIRECTED))]
    items = "".join(
        f"<item><title>t</title><link>{u.replace(chr(1), '')}</link>"
        "<pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate></item>"
        for u in entries
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    )


def urlset(base: str) -> str:
    locs = [*HOSTILE, f"{base}spip.php?article1"]
    entries = "".join(f"<url><loc>{u.replace(chr(1), '')}</loc></url>" for u in locs)
    return (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"{entries}</urlset>"
    )


@pytest.fixture
def site():
    with ScriptedServer() as srv:
        base = srv.base_url
        robots = "User-agent: *\n" + "".join(f"Sitemap: {u}\n" for u in HOSTILE[:3])
        robots += f"Sitemap: {base}sitemap.xml\n"
        srv.route("robots.txt", Reply(body=robots, content_type="text/plain"))
        home = (
            '<html><head><meta name="generator" content="SPIP 4.4.1">'
            f'<link rel="alternate" type="application/rss+xml" href="{HOSTILE[0]}">'
            '<link rel="alternate" type="application/rss+xml" href="spip.php?page=backend">'
            f'</head><body><a href="-Tramway-">Tramway</a>{links(HOSTILE)}</body></html>'
        )
        srv.route("", Reply(body=home))
        listing = (
            f'<html><head><base href="{HOSTILE[0]}"></head><body>'
            f'<a href="spip.php?article2">2</a>{links(HOSTILE)}</body></html>'
        )
        srv.route("-Tramway-", Reply(body=listing))
        srv.route(
            "spip.php?page=backend", Reply(body=feed(base), content_type="application/rss+xml")
        )
        srv.route("sitemap.xml", Reply(body=urlset(base), content_type="application/xml"))
        for n in (*GOOD, POISONED):
            srv.route(f"spip.php?article{n}", Reply(body=article(n, base)))
        srv.route(
            f"spip.php?article{REDIRECTED}",
            Reply(302, "", {"Location": "http://[v1.fe80::a+en1]/"}),
        )
        yield srv


def test_hostile_addresses_and_a_crashing_finder_cost_one_page_each(
    site: ScriptedServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    find_keywords = spip_extractor.find_keywords

    def poisoned(page):  # a finder that crashes on one page shape, as a bug would
        if page.tree.xpath(f"//*[@class='{POISON}']"):
            raise RuntimeError("finder crashed on this page")
        return find_keywords(page)

    monkeypatch.setattr(spip_extractor, "find_keywords", poisoned)
    db = tmp_path / "archive.db"
    options = CrawlOptions(backfill=True, delay=0, retries=0, timeout=5.0, id_gap=2)
    summary = run_crawl(db, [site.base_url], options)
    base = site.base_url
    with closing(sqlite3.connect(db)) as conn:
        stored = dict(conn.execute("SELECT url, title FROM articles").fetchall())
        rows = conn.execute("SELECT url, state, last_error FROM frontier").fetchall()
    assert stored == {f"{base}spip.php?article{n}": f"Tramway, épisode {n}" for n in GOOD}
    frontier = {url: (state, error) for url, state, error in rows}
    assert frontier[f"{base}spip.php?article{POISONED}"] == (
        "failed",
        "internal error (finder crashed on this page)",
    )
    state, error = frontier[f"{base}spip.php?article{REDIRECTED}"]
    assert state == "failed"
    assert "location" in error.lower() and "[v1.fe80::a+en1]" in error  # the reason names it
    assert summary.new == len(GOOD)
    # nothing malformed reached the frontier: every address in it reads back as an address
    assert all(url.startswith(base) for url in frontier)
    assert frontier[f"{base}sitemap.xml"][0] == "done"
    assert frontier[f"{base}-Tramway-"][0] == "done"
