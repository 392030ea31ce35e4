"""The crawl archives the images, logos and documents of articles: over loopback, for real."""

from __future__ import annotations

import hashlib
import itertools
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive_sample.layout import Page
from article_archive_sample.server import SampleSite, default_site_dir
from article_archive_sample.site import Site, load_site
from fixtures.media_site import BIG_PDF_SIZE, HOSTILE_ID, MAX_SIZE, crawl_hostile
from servers import ScriptedServer

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "id_gap": 10}
COMMAND = str(Path(sys.executable).with_name("article-archive"))
TYPES = {".png": "image/png", ".pdf": "application/pdf"}


@contextmanager
def opened(path: Path) -> Iterator[sqlite_utils.Database]:
    """The archive at ``path``, closed afterwards."""
    with closing(sqlite_utils.Database(path)) as db:
        yield db


def expected_media(site: Site) -> dict[int, set[tuple[str, str]]]:
    """Per published article: (path, role) of what its sources show, attach and use as logo."""
    expected: dict[int, set[tuple[str, str]]] = {}
    for art in site.published():
        found: set[tuple[str, str]] = set()
        for part in (art.chapo, art.texte, art.ps):
            for number in re.findall(r"<(?:img|doc|emb)(\d+)", part):
                found.add((site.documents[int(number)].file, "image"))
            for path in re.findall(r"->\s*(IMG/[^\]\s]+)\]", part):
                found.add((path, "document" if path.endswith(".pdf") else "image"))
        if art.logo:
            found.add((art.logo, "logo"))
        expected[art.id] = found
    return expected


def stored_links(db: sqlite_utils.Database, base: str) -> dict[int, set[tuple[str, str]]]:
    """Per article (SPIP id): (path, role) of its ``article_media`` rows that have a body."""
    links: dict[int, set[tuple[str, str]]] = {}
    rows = db.execute(
        "SELECT a.spip_id, am.url, am.role FROM article_media am "
        "JOIN articles a ON a.id = am.article_id WHERE am.media_id IS NOT NULL"
    )
    for spip_id, url, role in rows:
        links.setdefault(spip_id, set()).add((url.removeprefix(base), role))
    return links


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """A backfill of the sample site with media (the default)."""
    db_path = tmp_path_factory.mktemp("media") / "archive.db"
    with SampleSite() as site:
        summary = run_crawl(db_path, [site.base_url], CrawlOptions(backfill=True, **FAST))
        requests = [r.path for r in site.requests]
        base = site.base_url
    db = sqlite_utils.Database(db_path)
    yield db, summary, requests, base
    db.close()


def test_every_image_logo_and_document_is_archived_and_linked(crawled):
    db, summary, _requests, base = crawled
    expected = expected_media(load_site(default_site_dir()))
    assert any(role == "document" for found in expected.values() for _p, role in found)
    assert stored_links(db, base) == {k: v for k, v in expected.items() if v}
    paths = {path for found in expected.values() for path, _role in found}
    urls = {r[0] for r in db.execute("SELECT url FROM media_urls")}
    assert urls == {base + p for p in paths}
    assert summary.media == len(paths) and summary.media_refused == 0


def test_each_file_is_fetched_once_and_stored_once_byte_identical(crawled):
    db, _summary, requests, _base = crawled
    expected = expected_media(load_site(default_site_dir()))
    paths = {path for found in expected.values() for path, _role in found}
    for path in paths:
        assert requests.count("/" + path) == 1, path
    files = {p: (default_site_dir() / p).read_bytes() for p in paths}
    rows = list(db.query("SELECT sha256, body, size, content_type FROM media"))
    assert len(rows) == len(set(files.values()))  # one row per distinct body
    by_hash = {r["sha256"]: r for r in rows}
    for path, data in files.items():
        row = by_hash[hashlib.sha256(data).hexdigest()]
        assert row["body"] == data and row["size"] == len(data)
        assert row["content_type"] == TYPES[Path(path).suffix]


def test_an_image_two_articles_show_is_one_row(crawled):
    db, *_ = crawled
    shared = list(
        db.execute(
            "SELECT media_id, count(DISTINCT article_id) FROM article_media "
            "WHERE media_id IS NOT NULL GROUP BY media_id HAVING count(DISTINCT article_id) > 1"
        )
    )
    expected = expected_media(load_site(default_site_dir()))
    users: dict[str, int] = {}
    for found in expected.values():
        for path, _role in found:
            users[path] = users.get(path, 0) + 1
    assert sorted(n for _id, n in shared) == sorted(n for n in users.values() if n > 1)


def test_no_media_archives_none(tmp_path):
    db_path = tmp_path / "a.db"
    with SampleSite() as site:
        summary = run_crawl(db_path, [site.base_url], CrawlOptions(media=False, **FAST))
        paths = [r.path for r in site.requests]
    assert summary.new == 10 and summary.media == 0
    assert not [p for p in paths if p.startswith("/IMG/")]
    with opened(db_path) as db:
        for table in ("media", "media_urls", "article_media"):
            assert db[table].count == 0, table
        assert not db.execute("SELECT 1 FROM frontier WHERE kind = 'media'").fetchone()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The feed's articles and the hostile one, with a small --media-max-size."""
    with ScriptedServer() as tracker:
        crawled = crawl_hostile(tmp_path_factory.mktemp("hostile"), tracker, backfill=False)
        tracked = list(tracker.requests)
    db = sqlite_utils.Database(crawled.db_path)
    yield db, crawled.base_url, tracked
    db.close()


def _media_row(db: sqlite_utils.Database, url: str) -> dict:
    return next(db.query("SELECT state, last_error FROM frontier WHERE url = ?", [url]))


def test_html_served_as_jpg_is_refused_with_its_reason(hostile):
    db, base, _ = hostile
    row = _media_row(db, base + "IMG/faux.jpg")
    assert row["state"] == "skipped" and "text/html" in row["last_error"]
    assert "image/jpeg" in row["last_error"]  # what the server claimed
    page = next(db.query("SELECT body, error FROM pages WHERE url = ?", [base + "IMG/faux.jpg"]))
    assert page["body"] is None and "text/html" in page["error"]
    assert not db.execute("SELECT 1 FROM media_urls WHERE url LIKE '%faux.jpg'").fetchone()


def test_a_file_over_the_size_limit_is_refused(hostile):
    db, base, _ = hostile
    row = _media_row(db, base + "IMG/pdf/gros.pdf")
    assert row["state"] == "skipped"
    assert str(BIG_PDF_SIZE) in row["last_error"] and str(MAX_SIZE) in row["last_error"]
    assert not db.execute("SELECT 1 FROM media WHERE size >= ?", [MAX_SIZE]).fetchone()


def test_the_hostile_article_keeps_what_is_its_own_and_nothing_else(hostile):
    db, base, tracked = hostile
    links = stored_links(db, base)[HOSTILE_ID]
    assert links == {
        ("IMG/manifestation.png", "image"),
        ("IMG/pdf/dossier-kitaura.pdf", "document"),
    }
    assert tracked == []  # the other host's pixel was never asked for
    assert not db.execute("SELECT 1 FROM frontier WHERE url LIKE '%pixel.gif'").fetchone()
    assert _media_row(db, base + "IMG/absent.png") == {"state": "absent", "last_error": "HTTP 404"}
    crawl = next(db.query("SELECT media, media_refused FROM crawls"))
    assert crawl["media_refused"] == 3  # faux.jpg, gros.pdf, absent.png
    assert crawl["media"] == db["media_urls"].count


class NoImagesRobots(SampleSite):
    """The sample site with a robots.txt that keeps crawlers out of IMG/."""

    def _page(self, site: Site, target: str) -> Page:
        if target == "/robots.txt":
            return Page(body="User-agent: *\nDisallow: /IMG/\n", content_type="text/plain")
        return super()._page(site, target)


def test_robots_txt_disallowing_img_is_obeyed(tmp_path):
    db_path = tmp_path / "a.db"
    with NoImagesRobots() as site:
        summary = run_crawl(db_path, [site.base_url], CrawlOptions(**FAST))
        paths = [r.path for r in site.requests]
    assert summary.new == 10
    assert not [p for p in paths if p.startswith("/IMG/")]
    with opened(db_path) as db:
        rows = list(db.query("SELECT state, last_error FROM frontier WHERE kind = 'media'"))
        assert db["media"].count == 0
    assert rows and all(r["state"] == "skipped" and "robots.txt" in r["last_error"] for r in rows)


def test_media_keep_the_delay_of_their_host(tmp_path):
    delay = 0.12
    with SampleSite() as site:
        run_crawl(tmp_path / "a.db", [site.base_url], CrawlOptions(delay=delay, retries=1))
        times = [r.time for r in site.requests]
        paths = [r.path for r in site.requests]
    assert [p for p in paths if p.startswith("/IMG/")]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= delay * 0.95, gaps


def test_max_articles_spent_still_fetches_the_media_of_the_articles(tmp_path):
    sample = load_site(default_site_dir())
    target = next(a for a in sample.published() if a.logo and "<img" in a.texte)
    with SampleSite() as site:
        summary = run_crawl(
            tmp_path / "a.db",
            [site.base_url + target.url],
            CrawlOptions(max_articles=1, **FAST),
        )
        base = site.base_url
    assert summary.new == 1
    with opened(tmp_path / "a.db") as db:
        assert stored_links(db, base) == {target.id: expected_media(sample)[target.id]}


def test_cli_no_media_and_media_max_size(tmp_path):
    files = [p for p in (default_site_dir() / "IMG").rglob("*") if p.is_file()]
    sizes = {p.name: p.stat().st_size for p in files}
    limit = sorted(sizes.values())[len(sizes) // 2]
    with SampleSite() as site:
        args = [COMMAND, "crawl", site.base_url, "--delay", "0", "--quiet"]
        none = subprocess.run([*args, "--db", str(tmp_path / "n.db"), "--no-media"], check=True)
        some = subprocess.run(
            [*args, "--db", str(tmp_path / "s.db"), "--backfill", "--media-max-size", str(limit)],
            check=True,
            capture_output=True,
            text=True,
        )
        bad = subprocess.run(
            [*args, "--db", str(tmp_path / "b.db"), "--media-max-size", "lots"],
            capture_output=True,
            text=True,
        )
    assert none.returncode == 0
    with opened(tmp_path / "n.db") as db:
        assert db["media"].count == 0
    with opened(tmp_path / "s.db") as db:
        kept = [r[0] for r in db.execute("SELECT size FROM media")]
        refused = [r[0] for r in db.execute("SELECT url FROM frontier WHERE state = 'skipped'")]
    assert kept and all(size <= limit for size in kept)
    assert refused and all(sizes[u.rsplit("/", 1)[-1]] > limit for u in refused)
    assert re.search(r"media \d+ \(refused \d+\)", some.stdout)
    assert bad.returncode == 2 and "lots" in bad.stderr
