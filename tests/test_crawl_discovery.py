"""Discovery's one door (issue 12): what a crawl finds does not depend on which run it is.

- a ``--backfill`` after an ordinary run reads the robots.txt ``Sitemap:`` lines, as a first
  backfill does;
- the rubric and language feeds SPIP links from rubric pages are discovered and read;
- two sites on one host name with different ports are two sites, each walked by id;
- a seed that redirects to another site brings that site in, on this run and the next.
"""

from __future__ import annotations

import re

import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive_sample.server import SampleSite, default_site_dir
from article_archive_sample.site import load_site
from servers import Reply, ScriptedServer

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "timeout": 2.0}
TEXT = (
    "The harbour authority met on Tuesday evening for the third time this month, and the room "
    "was full long before the session began. Fishermen from the northern quays came to ask when "
    "the promised breakwater would finally be built, and why the works had stopped in spring. "
    "The deputy in charge answered that the contractor had gone bankrupt and that a new call "
    "for tenders would be published before the summer; several said they had heard that before."
)


def story(title: str) -> str:
    """An article page the generic extractor takes (no SPIP markers)."""
    paragraphs = "".join(f"<p>{TEXT} {title} ({n}).</p>" for n in range(3))
    return (
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        '<meta property="article:published_time" content="2024-03-02T10:00:00Z"></head>'
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def rss(base: str, paths: list[str]) -> Reply:
    items = "".join(
        f"<item><title>{p}</title><link>{base}{p}</link>"
        "<pubDate>Sat, 02 Mar 2024 10:00:00 GMT</pubDate></item>"
        for p in paths
    )
    body = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
    )
    return Reply(body=body, content_type="application/rss+xml")


def urlset(base: str, paths: list[str]) -> Reply:
    urls = "".join(f"<url><loc>{base}{p}</loc></url>" for p in paths)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )
    return Reply(body=body, content_type="application/xml")


def titles(db_path) -> set[str]:
    db = sqlite_utils.Database(db_path)
    try:
        return {r[0] for r in db.execute("SELECT title FROM articles")}
    finally:
        db.close()


def test_backfill_after_an_ordinary_run_reads_the_robots_txt_sitemaps(tmp_path):
    db_path = tmp_path / "a.db"
    with ScriptedServer() as srv:
        base = srv.base_url
        robots = f"User-agent: *\nAllow: /\nSitemap: {base}archive/articles.xml\n"
        srv.route("robots.txt", Reply(body=robots, content_type="text/plain"))
        home = (
            '<html><head><title>Harbour News</title><link rel="alternate" '
            'type="application/rss+xml" href="/feed.xml"></head><body>Harbour</body></html>'
        )
        srv.route("", Reply(body=home))
        srv.route("feed.xml", rss(base, ["news/breakwater"]))
        srv.route("archive/articles.xml", urlset(base, ["news/breakwater", "old/first-quay"]))
        srv.route("news/breakwater", Reply(body=story("Breakwater")))
        srv.route("old/first-quay", Reply(body=story("First Quay")))
        first = run_crawl(db_path, [base], CrawlOptions(**FAST))
        after_first = titles(db_path)
        asked_first = [r.path for r in srv.requests]
        srv.requests.clear()
        second = run_crawl(db_path, [base], CrawlOptions(backfill=True, **FAST))
        asked_second = [r.path for r in srv.requests]
    # an ordinary run with a feed does not read sitemaps
    assert after_first == {"Breakwater"} and first.failed == 0
    assert "/archive/articles.xml" not in asked_first
    # the backfill does, the robots.txt one included: the article only it lists is archived
    assert asked_second.count("/archive/articles.xml") == 1
    assert titles(db_path) == {"Breakwater", "First Quay"}
    assert (second.new, second.failed) == (1, 0)


SPIP_HOME = (
    '<html><head><meta name="generator" content="SPIP 4.2.8"><title>Le Port</title></head>'
    '<body><a href="spip.php?rubrique1">Le port</a></body></html>'
)
SPIP_RUBRIC = (
    '<html><head><meta name="generator" content="SPIP 4.2.8"><title>Le port</title></head>'
    '<body class="page_rubrique"><h1>Le port</h1><ul>'
    '<li><a href="spip.php?page=backend&amp;id_rubrique=1" type="application/rss+xml">RSS</a>'
    '<li><a href="spip.php?page=backend&amp;lang=en">English feed</a></ul></body></html>'
)


PORT_STORIES = {"le-quai": "Le quai", "le-brise-lames": "Le brise-lames", "the-breakwater": "Eng"}


def test_rubric_and_language_feeds_are_discovered_from_rubric_pages_and_read(tmp_path):
    db_path = tmp_path / "a.db"
    with ScriptedServer() as srv:
        base = srv.base_url
        srv.route("", Reply(body=SPIP_HOME))
        srv.route("spip.php?rubrique1", Reply(body=SPIP_RUBRIC))
        srv.route("spip.php?page=backend", rss(base, ["le-quai"]))
        srv.route("spip.php?page=backend&id_rubrique=1", rss(base, ["le-quai", "le-brise-lames"]))
        srv.route("spip.php?page=backend&lang=en", rss(base, ["the-breakwater"]))
        for path, title in PORT_STORIES.items():
            srv.route(path, Reply(body=story(title)))
        summary = run_crawl(db_path, [base], CrawlOptions(backfill=True, id_gap=2, **FAST))
        rubric_feed = srv.hits("spip.php?page=backend&id_rubrique=1")
        lang_feed = srv.hits("spip.php?page=backend&lang=en")
        srv.requests.clear()
        again = run_crawl(db_path, [base], CrawlOptions(**FAST))
        asked_again = sorted(r.path for r in srv.requests)
    assert len(rubric_feed) == len(lang_feed) == 1
    assert titles(db_path) == set(PORT_STORIES.values())
    assert summary.failed == 0
    # the next ordinary run reads every feed (and root sitemap) again, and re-checks the
    # articles of the site's feed (an edit does not show in SPIP's feed); a rubric's or a
    # language's feed only brings new articles
    assert asked_again == [
        "/le-quai",
        "/robots.txt",
        "/sitemap.xml",
        "/spip.php?page=backend",
        "/spip.php?page=backend&id_rubrique=1",
        "/spip.php?page=backend&lang=en",
        "/spip.php?page=sitemap.xml",
    ]
    assert (again.unchanged, again.failed) == (1, 0)
    db = sqlite_utils.Database(db_path)
    feeds = {r[0]: r[1] for r in db.execute("SELECT url, status FROM feeds")}
    db.close()
    assert feeds == {
        base + "spip.php?page=backend": 200,
        base + "spip.php?page=backend&id_rubrique=1": 200,
        base + "spip.php?page=backend&lang=en": 200,
    }


def test_two_sites_on_one_host_with_two_ports_are_two_sites(tmp_path):
    source = load_site(default_site_dir())
    published = {a.id for a in source.published()}
    gaps = {n for n in range(1, max(published) + 3) if n not in published}
    db_path = tmp_path / "a.db"
    with SampleSite(host="127.0.0.1") as one, SampleSite(host="127.0.0.1") as two:
        assert one.base_url != two.base_url
        summary = run_crawl(
            db_path, [one.base_url, two.base_url], CrawlOptions(backfill=True, id_gap=2, **FAST)
        )
        asked = {
            name: {
                int(m.group(1)) for r in site.requests if (m := re.search(r"article(\d+)$", r.path))
            }
            for name, site in (("one", one), ("two", two))
        }
        bases = {"one": one.base_url, "two": two.base_url}
    assert summary.failed == 0
    assert summary.new == 2 * len(published)
    db = sqlite_utils.Database(db_path)
    for name, base in bases.items():
        ids = {
            r[0] for r in db.execute("SELECT spip_id FROM articles WHERE url LIKE ?", [base + "%"])
        }
        assert ids == published, name
        # the id walk ran on this site: every gap probed here, and found absent
        assert gaps <= asked[name], name
        absent = {
            r[0]
            for r in db.execute(
                "SELECT spip_id FROM frontier WHERE url LIKE ? AND kind = 'spip_id' "
                "AND state = 'absent'",
                [base + "%"],
            )
        }
        assert absent == gaps, name
    # and on each, the rubric feeds its rubric pages link were read
    for name, base in bases.items():
        feeds = {r[0] for r in db.execute("SELECT url FROM feeds WHERE url LIKE ?", [base + "%"])}
        rubrics = {f"{base}spip.php?page=backend&id_rubrique={n}" for n in source.rubriques}
        assert rubrics <= feeds, name
    db.close()


def test_a_seed_that_redirects_to_another_site_is_crawled_there_on_every_run(tmp_path):
    db_path = tmp_path / "a.db"
    with SampleSite(host="localhost") as moved, ScriptedServer() as old:
        old.route("", Reply(301, b"", {"Location": moved.base_url}))
        first = run_crawl(db_path, [old.base_url], CrawlOptions(**FAST))
        moved.requests.clear()
        second = run_crawl(db_path, [old.base_url], CrawlOptions(**FAST))
        again = [(r.path, r.status) for r in moved.requests]
    assert (first.new, first.failed) == (10, 0)  # the feed's ten latest, on the site moved to
    db = sqlite_utils.Database(db_path)
    sites = {r[0] for r in db.execute("SELECT site FROM articles")}
    db.close()
    assert sites == {"localhost"}
    # the next run knows where the site lives: its feed is asked again (and answers 304)
    assert ("/spip.php?page=backend", 304) in again
    assert (second.unchanged, second.failed) == (10, 0)
