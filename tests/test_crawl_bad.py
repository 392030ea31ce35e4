"""A crawl over a misbehaving generic site: failures are recorded and the crawl goes on."""

from __future__ import annotations

import pytest
import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from servers import Reply, ScriptedServer

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "timeout": 1.0}

PARAGRAPH = (
    "Les habitants du quartier se sont réunis mardi soir pour la troisième fois en un mois. "
    "Ils demandent que la mairie publie enfin le calendrier des travaux et que les loyers "
    "soient gelés pendant toute la durée du chantier, comme cela avait été promis en 2021. "
)


def article(title: str, charset: str = "utf-8") -> str:
    paragraphs = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(6))
    return (
        f'<html lang="fr"><head><meta charset="{charset}"><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        '<meta property="article:published_time" content="2024-03-02T10:00:00Z"></head>'
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def feed(base: str, paths: list[str]) -> str:
    items = "".join(
        f"<item><title>{p}</title><link>{base}{p}</link>"
        "<pubDate>Sat, 02 Mar 2024 10:00:00 GMT</pubDate></item>"
        for p in paths
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    )


@pytest.fixture
def site():
    with ScriptedServer() as srv:
        base = srv.base_url
        srv.route(
            "robots.txt",
            Reply(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        )
        srv.route(
            "",
            Reply(
                body="<html><head>"
                + "".join(
                    f'<link rel="alternate" type="application/rss+xml" href="{href}">'
                    for href in ("/broken.xml", "/feed.xml", "https://other.example/f.xml")
                )
                + "</head><body>Accueil</body></html>"
            ),
        )
        srv.route(
            "broken.xml", Reply(body="<rss><channel><item><title>oops", content_type="text/xml")
        )
        paths = ["good", "latin", "notarticle", "down", "drop", "garbled"]
        paths += ["private/secret", "image"]
        srv.route("feed.xml", Reply(body=feed(base, paths), content_type="application/rss+xml"))
        srv.route("good", Reply(body=article("Un bon article")))
        # declared UTF-8, sent in ISO-8859-1: the bytes win
        srv.route(
            "latin",
            Reply(
                body=article("Grève générale à Liège").encode("iso-8859-1"),
                content_type="text/html; charset=utf-8",
            ),
        )
        srv.route("notarticle", Reply(body="<html><body><p>x</p></body></html>"))
        srv.route("down", Reply(500, "boom"))
        srv.route("drop", Reply(drop=True))
        # a status line no HTTP client accepts (PHP's own server sends SPIP's 404 this way)
        srv.route("garbled", Reply(raw=b"Http/1.0  404 Not Found\r\nContent-Length: 0\r\n\r\n"))
        srv.route("private/secret", Reply(body=article("Secret")))
        srv.route("image", Reply(body=b"\x89PNG", content_type="image/png"))
        yield srv


def test_bad_inputs_are_recorded_and_the_crawl_goes_on(site, tmp_path):
    db_path = tmp_path / "a.db"
    summary = run_crawl(db_path, [site.base_url], CrawlOptions(**FAST))
    db = sqlite_utils.Database(db_path)
    titles = sorted(r[0] for r in db.execute("SELECT title FROM articles"))
    assert titles == ["Grève générale à Liège", "Un bon article"]
    states = dict(db.execute("SELECT url, state FROM frontier").fetchall())
    base = site.base_url
    assert states[base + "broken.xml"] == "failed"
    assert states[base + "feed.xml"] == "done"
    assert states[base + "notarticle"] == "failed"
    assert states[base + "down"] == "failed"
    assert states[base + "drop"] == "failed"
    assert states[base + "garbled"] == "failed"
    assert states[base + "image"] == "failed"
    assert states[base + "private/secret"] == "skipped"
    assert "https://other.example/f.xml" not in states
    assert site.hits("private/secret") == []
    assert (summary.new, summary.failed, summary.skipped) == (2, 6, 1)
    errors = dict(db.execute("SELECT url, last_error FROM frontier").fetchall())
    assert "HTTP 500" in errors[base + "down"]
    assert "image/png" in errors[base + "image"]
    assert "illegal status line" in errors[base + "garbled"]
    page = db.execute("SELECT status, error FROM pages WHERE url = ?", [base + "down"]).fetchone()
    assert page == (500, "HTTP 500")
    feed_row = db.execute("SELECT error FROM feeds WHERE url = ?", [base + "broken.xml"]).fetchone()
    db.close()
    assert "not a feed" in feed_row[0]
