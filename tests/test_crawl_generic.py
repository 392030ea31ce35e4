"""A generic (non-SPIP) news site: its feed, or its sitemaps, and nothing else.

The pages carry links to pages no feed or sitemap lists: they must never be fetched (no
recursive crawl). Articles go through the generic extractor, hence the long paragraphs.
"""

from __future__ import annotations

import gzip

import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from servers import Reply, ScriptedServer

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "timeout": 2.0}

PARAGRAPHS = (
    "The city council met on Tuesday evening for the third time this month, and the room was "
    "full long before the session began. Residents of the northern districts came to ask when "
    "the promised bus line would finally open, and why the works had stopped in the spring.",
    "The deputy mayor in charge of transport answered that the contractor had gone bankrupt "
    "and that a new call for tenders would be published before the summer. Several residents "
    "said they had heard the same promise two years ago, and asked for a written timetable.",
    "A teacher from the district's secondary school described pupils who leave home at six in "
    "the morning to reach their classes on time. The council agreed to publish the timetable "
    "of the works on its website and to hold a public meeting in the district next month.",
)


def page(title: str, extra: str = "", published: str = "2024-03-02T10:00:00Z") -> str:
    """An article page with enough text for trafilatura, and links to unlisted pages."""
    body = "".join(f"<p>{p} {title}.</p>" for p in PARAGRAPHS) + extra
    return (
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{published}"></head><body>'
        '<nav><a href="/">Home</a> <a href="/unlisted-story">More</a> <a href="/section/">'
        f"Section</a></nav><article><h1>{title}</h1>{body}</article></body></html>"
    )


def home(feed: bool) -> str:
    link = '<link rel="alternate" type="application/rss+xml" href="/feed.xml">' if feed else ""
    return (
        f"<html><head><title>The Daily Example</title>{link}</head><body>"
        '<a href="/2024/03/bus-line">Bus line</a> <a href="/unlisted-story">Other</a>'
        '<a href="/section/">Section</a></body></html>'
    )


def rss(base: str, paths: list[str]) -> str:
    items = "".join(
        f"<item><title>{p}</title><link>{base}{p}</link>"
        "<pubDate>Sat, 02 Mar 2024 10:00:00 GMT</pubDate></item>"
        for p in paths
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>D</title>{items}</channel></rss>'
    )


def urlset(base: str, entries: dict[str, str]) -> str:
    urls = "".join(
        f"<url><loc>{base}{path}</loc><lastmod>{lastmod}</lastmod></url>"
        for path, lastmod in entries.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


def index(base: str, children: dict[str, str]) -> str:
    items = "".join(
        f"<sitemap><loc>{base}{path}</loc><lastmod>{lastmod}</lastmod></sitemap>"
        for path, lastmod in children.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>'
    )


def rows(db_path) -> dict:
    db = sqlite_utils.Database(db_path)
    try:
        return {
            "articles": db.execute("SELECT * FROM articles ORDER BY id").fetchall(),
            "pages": db.execute("SELECT * FROM pages ORDER BY id").fetchall(),
            "revisions": db.execute("SELECT count(*) FROM revisions").fetchone()[0],
        }
    finally:
        db.close()


def test_generic_site_with_a_feed(tmp_path):
    db_path = tmp_path / "a.db"
    stories = ["2024/03/bus-line", "2024/03/school-meals", "2024/02/river-walk"]
    with ScriptedServer() as srv:
        srv.route("robots.txt", Reply(body="User-agent: *\nAllow: /\n", content_type="text/plain"))
        srv.route("", Reply(body=home(feed=True)))
        srv.route("feed.xml", Reply(body=rss(srv.base_url, stories), content_type="text/xml"))
        for path in stories:
            srv.route(path, Reply(body=page(path.rsplit("/", 1)[-1].replace("-", " ").title())))
        srv.route("unlisted-story", Reply(body=page("Unlisted")))
        first = run_crawl(db_path, [srv.base_url], CrawlOptions(**FAST))
        asked = sorted(r.path for r in srv.requests)
        before = rows(db_path)
        # No validators on this server: the feed and its articles come back 200, unchanged.
        srv.requests.clear()
        second = run_crawl(db_path, [srv.base_url], CrawlOptions(**FAST))
        again = sorted(r.path for r in srv.requests)
    assert asked == sorted(["/robots.txt", "/", "/feed.xml"] + [f"/{p}" for p in stories])
    assert (first.new, first.failed) == (3, 0)
    db = sqlite_utils.Database(db_path)
    titles = sorted(r[0] for r in db.execute("SELECT title FROM articles"))
    extractors = {
        r[0].split("/")[0].split()[0] for r in db.execute("SELECT extractor FROM articles")
    }
    db.close()
    assert titles == ["Bus Line", "River Walk", "School Meals"]
    assert extractors == {"generic"}
    assert again == sorted(["/robots.txt", "/feed.xml"] + [f"/{p}" for p in stories])
    assert (second.new, second.updated, second.unchanged, second.failed) == (0, 0, 3, 0)
    assert rows(db_path) == before  # 200 with the same content: nothing written


def test_generic_site_with_sitemaps_only(tmp_path):
    db_path = tmp_path / "a.db"
    news = {"2024/03/bus-line": "2024-03-02", "2024/03/school-meals": "2024-03-03"}
    old = {"2023/11/old-harbour": "2023-11-20", "2023/10/first-story": "2023-10-01"}
    with ScriptedServer() as srv:
        base = srv.base_url
        srv.route(
            "robots.txt",
            Reply(
                body=f"User-agent: *\nAllow: /\nSitemap: {base}sitemap_index.xml\n",
                content_type="text/plain",
            ),
        )
        srv.route("", Reply(body=home(feed=False)))
        children = {"sitemap-news.xml": "2024-03-03", "sitemap-2023.xml.gz": "2023-12-01"}
        srv.route(
            "sitemap_index.xml", Reply(body=index(base, children), content_type="application/xml")
        )
        srv.route(
            "sitemap-news.xml", Reply(body=urlset(base, news), content_type="application/xml")
        )
        srv.route(
            "sitemap-2023.xml.gz",
            Reply(body=gzip.compress(urlset(base, old).encode()), content_type="application/gzip"),
        )
        for path in [*news, *old]:
            srv.route(path, Reply(body=page(path.rsplit("/", 1)[-1].replace("-", " ").title())))
        srv.route("unlisted-story", Reply(body=page("Unlisted")))
        first = run_crawl(db_path, [base], CrawlOptions(**FAST))
        asked = sorted(r.path for r in srv.requests)
        # The news sitemap changes: a new lastmod for an edited story; its index says so.
        srv.route(
            "2024/03/bus-line",
            Reply(body=page("Bus Line", "<p>Correction: the line opens in May.</p>")),
        )
        news["2024/03/bus-line"] = "2024-03-05"
        children["sitemap-news.xml"] = "2024-03-05"
        srv.route(
            "sitemap_index.xml", Reply(body=index(base, children), content_type="application/xml")
        )
        srv.route(
            "sitemap-news.xml", Reply(body=urlset(base, news), content_type="application/xml")
        )
        srv.requests.clear()
        second = run_crawl(db_path, [base], CrawlOptions(**FAST))
        again = sorted(r.path for r in srv.requests)
    listed = [f"/{p}" for p in [*news, *old]]
    sitemaps = ["/sitemap_index.xml", "/sitemap-news.xml", "/sitemap-2023.xml.gz"]
    # /sitemap.xml is the usual place, asked as well (404 here: absent, not a failure)
    assert asked == sorted(["/robots.txt", "/", "/sitemap.xml", *sitemaps, *listed])
    assert (first.new, first.failed) == (4, 0)
    # second run: the index, the news sitemap it marks as changed, the story it marks changed
    assert again == sorted(
        [
            "/robots.txt",
            "/sitemap.xml",
            "/sitemap_index.xml",
            "/sitemap-news.xml",
            "/2024/03/bus-line",
        ]
    )
    assert (second.new, second.updated, second.failed) == (0, 1, 0)
    assert rows(db_path)["revisions"] == 1


def test_guessed_sitemap_answering_a_web_page_is_absent_not_failed(tmp_path):
    """Some servers (SPIP 4 among them) answer any unknown path with their home page and a 200."""
    db_path = tmp_path / "a.db"
    with ScriptedServer() as srv:
        srv.route("robots.txt", Reply(body="User-agent: *\nAllow: /\n", content_type="text/plain"))
        srv.route("", Reply(body=home(feed=False)))
        srv.route("sitemap.xml", Reply(body=home(feed=False)))
        srv.route("2024/03/bus-line", Reply(body=page("Bus Line")))
        summary = run_crawl(db_path, [srv.base_url], CrawlOptions(**FAST))
    db = sqlite_utils.Database(db_path)
    state, error = next(db.execute("SELECT state, last_error FROM frontier WHERE kind = 'sitemap'"))
    db.close()
    assert summary.failed == 0
    assert state == "absent"
    assert "text/html" in error
    assert summary.new == 0  # the home page's links are not followed (no recursive crawl)


def test_feed_with_other_bytes_but_the_same_entries_is_not_rewritten(tmp_path):
    """A feed rebuilt on each request (a new build date, other note anchors) says nothing new."""
    db_path = tmp_path / "a.db"
    stories = ["2024/03/bus-line"]
    with ScriptedServer() as srv:
        feed = rss(srv.base_url, stories)
        rebuilt = feed.replace(
            "<title>D</title>", "<title>D</title><lastBuildDate>now</lastBuildDate>"
        )
        srv.route("robots.txt", Reply(body="User-agent: *\nAllow: /\n", content_type="text/plain"))
        srv.route("", Reply(body=home(feed=True)))
        srv.route(
            "feed.xml",
            Reply(body=feed, content_type="text/xml"),
            Reply(body=rebuilt, content_type="text/xml"),
            Reply(body=rebuilt.replace(">D<", ">The Daily<"), content_type="text/xml"),
        )
        srv.route(stories[0], Reply(body=page("Bus Line")))
        run_crawl(db_path, [srv.base_url], CrawlOptions(**FAST))
        before = rows(db_path)
        second = run_crawl(db_path, [srv.base_url], CrawlOptions(**FAST))
        after_second = rows(db_path)
        run_crawl(db_path, [srv.base_url], CrawlOptions(**FAST))  # the feed's title changed
        after_third = rows(db_path)
    assert (second.new, second.updated, second.unchanged) == (0, 0, 1)
    assert after_second == before
    changed = set(after_third["pages"]) - set(before["pages"])
    assert [row[1] for row in changed] == [srv.base_url + "feed.xml"]
