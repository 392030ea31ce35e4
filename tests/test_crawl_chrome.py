"""A crawl learns the site's template as pages arrive: a tag cloud on every page is no keyword.

The site (tests/chrome_pages.py) is served on loopback by real HTTP: every page carries a
"Mots-clés" tag cloud and a "Derniers articles" list; each article shows its own keywords.
"""

from __future__ import annotations

import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.reparse import reparse
from chrome_pages import STORIES, article_page, backend, home_page
from servers import Reply, ScriptedServer

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "timeout": 2.0, "media": False}
RSS = "application/rss+xml; charset=utf-8"


def _serve(server: ScriptedServer) -> None:
    server.route("/", Reply(body=home_page()))
    server.route("/spip.php?page=backend", Reply(body=backend(server.base_url), content_type=RSS))
    for story in STORIES:
        server.route(f"/spip.php?article{story.id}", Reply(body=article_page(story)))


def _keywords(path) -> dict[int, list[str]]:
    db = sqlite_utils.Database(path)
    rows = db.execute(
        """SELECT a.spip_id, k.name FROM articles a
           LEFT JOIN article_keywords ak ON ak.article_id = a.id
           LEFT JOIN keywords k ON k.id = ak.keyword_id ORDER BY a.spip_id, k.name"""
    ).fetchall()
    found: dict[int, list[str]] = {}
    for spip_id, name in rows:
        found.setdefault(spip_id, [])
        if name is not None:
            found[spip_id].append(name)
    db.close()
    return found


def _chrome_paths(path, site: str) -> set[str]:
    db = sqlite_utils.Database(path)
    paths = {r["path"] for r in db["template_blocks"].rows_where("site = ? AND chrome = 1", [site])}
    db.close()
    return paths


def test_each_article_keeps_its_own_keywords_not_the_tag_cloud(tmp_path) -> None:
    path = tmp_path / "archive.db"
    with ScriptedServer() as server:
        _serve(server)
        site = server.base_url.split("//", 1)[1].rstrip("/")
        summary = run_crawl(path, [server.base_url], CrawlOptions(**FAST))
    assert summary.new == len(STORIES)
    want = {s.id: sorted(s.keyword_names) for s in STORIES}
    assert _keywords(path) == want

    paths = _chrome_paths(path, site)
    assert "ul < div.nuage < div.extra" in paths
    assert "ul < div.derniers < div.extra" in paths
    assert not any(p.startswith("p.tags") for p in paths)  # an article's own block
    db = sqlite_utils.Database(path)
    learned = db["site_templates"].get(site)
    assert learned["pages"] == len(STORIES) + 1 and learned["article_pages"] == len(STORIES)
    db.close()

    counts = reparse(path, workers=1)
    assert counts["not_article"] == counts["failed"] == 0
    assert _keywords(path) == want
    assert _chrome_paths(path, site) == paths
