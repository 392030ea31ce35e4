"""A crawl through the SPIP id walk, then ``reparse``: every archived article is extracted again.

The site is the bundled sample's articles, served on loopback by a server that answers
nothing else (no feed, sitemap, plan or rubric page), so the id walk alone finds them and
their pages are stored as ``spip_id`` pages — the kind ``reparse`` once left out.
"""

from __future__ import annotations

import httpx
import pytest
import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.reparse import reparse
from article_archive_sample.server import SampleSite, default_site_dir
from article_archive_sample.site import load_site
from servers import Reply, ScriptedServer

FAST = {"delay": 0, "retries": 1, "backoff": 0.01}
HOME = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<meta name="generator" content="SPIP 4.2"><title>Accueil</title></head>
<body class="page_sommaire"><p>Bienvenue.</p></body></html>"""
WALKED = 4  # the first published ids of the sample: enough to count, quick to fetch


@pytest.fixture
def ids_only_site():
    """A loopback server with the sample's first articles, reachable only by their SPIP ids."""
    published = sorted(load_site(default_site_dir()).published(), key=lambda a: a.id)[:WALKED]
    with ScriptedServer() as server, SampleSite() as sample:
        server.route("/", Reply(body=HOME, headers={"Composed-By": "SPIP 4.2.8"}))
        with httpx.Client(follow_redirects=True) as http:
            for art in published:
                answer = http.get(f"{sample.base_url}spip.php?article{art.id}")
                assert answer.status_code == 200, art.id
                page = answer.text.replace(sample.base_url, server.base_url)
                path = answer.url.path
                server.route(f"/spip.php?article{art.id}", Reply(301, headers={"Location": path}))
                server.route(path, Reply(body=page))
        yield server, [art.id for art in published]


def test_reparse_re_extracts_the_articles_the_id_walk_found(ids_only_site, tmp_path) -> None:
    server, ids = ids_only_site
    db_path = tmp_path / "archive.db"
    summary = run_crawl(
        db_path, [server.base_url], CrawlOptions(backfill=True, ids=(1, max(ids)), **FAST)
    )
    assert (summary.new, summary.failed) == (len(ids), 0)
    db = sqlite_utils.Database(db_path)
    kinds = db.execute(
        "SELECT p.kind, count(*) FROM articles a JOIN pages p ON p.article_id = a.id "
        "GROUP BY p.kind"
    ).fetchall()
    assert kinds == [("spip_id", len(ids))]  # every article came from the id walk
    extracted = {r["id"]: (r["title"], r["body_text"]) for r in db.query("SELECT * FROM articles")}
    assert sorted(r[0] for r in db.execute("SELECT spip_id FROM articles")) == ids
    db.execute("UPDATE articles SET title = 'stale', body_text = 'stale'")
    db.conn.commit()
    db.close()

    counts = reparse(db_path, workers=1)

    assert counts["pages"] == len(ids)
    assert (counts["updated"], counts["new"], counts["failed"]) == (len(ids), 0, 0)
    db = sqlite_utils.Database(db_path)
    restored = {r["id"]: (r["title"], r["body_text"]) for r in db.query("SELECT * FROM articles")}
    assert restored == extracted
    assert all(title != "stale" and body != "stale" for title, body in restored.values())
    assert db["revisions"].count == 0  # a re-extraction, not a new version
    db.close()
