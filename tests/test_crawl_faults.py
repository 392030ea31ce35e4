"""One crawl run against a site with every fault of issue 13 mixed into 20 good articles
(tests/fault_site.py): all 20 archived once, within the good articles' own time plus one
response deadline per bad address, under 300 MB."""

from __future__ import annotations

import itertools
import json
import resource
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from article_archive.crawl import CrawlOptions, run_crawl
from fault_site import BAD, CHAIN, GOOD, FaultSite
from servers import Reply, ScriptedServer

TIMEOUT = 2.0
DEADLINE = 3 * TIMEOUT  # HttpClient's default: three read timeouts
MAX_SITEMAPS = 20  # the chain alone would be 31 (depth 5): both caps cut it
MEMORY_CEILING = 300 * 1024 * 1024
CHILD = f"""
import json, logging, sys, time
from article_archive.crawl import CrawlOptions, run_crawl
logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
options = CrawlOptions(backfill=True, delay=0, timeout={TIMEOUT}, retries=2, backoff=0.05,
                       max_crawl_delay=0, max_sitemaps={MAX_SITEMAPS}, id_gap=5)
started = time.monotonic()
summary = run_crawl(sys.argv[1], [sys.argv[2]], options)
print(json.dumps({{"elapsed": time.monotonic() - started, "new": summary.new,
                   "failed": summary.failed}}))
"""


def _crawl(db: Path, url: str) -> tuple[dict, str]:
    """One run in a child process: its figures, and what it logged."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), url], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def _articles(db: Path) -> list[tuple[str, int]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT url, spip_id FROM articles").fetchall()


def test_one_run_archives_every_good_article_within_the_bound(tmp_path: Path) -> None:
    with FaultSite(faults=False) as clean:
        baseline, _ = _crawl(tmp_path / "clean.db", clean.base_url)
    assert baseline["new"] == GOOD

    with FaultSite() as site:
        figures, log = _crawl(tmp_path / "faults.db", site.base_url)
        hits, order = dict(site.hits), list(site.order)
        good = set(site.good_urls())
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # KiB on Linux

    articles = _articles(tmp_path / "faults.db")
    urls = [url for url, _ in articles]
    assert good <= set(urls), sorted(good - set(urls))  # every good article, in one run
    assert len(urls) == len(set(urls))  # none twice
    ids = [spip_id for _, spip_id in articles if spip_id is not None]
    assert len(ids) == len(set(ids))

    # each bad address costs the host at most one response deadline (plus the chain, one case)
    bound = baseline["elapsed"] + (len(BAD) + 1) * DEADLINE
    assert figures["elapsed"] < bound, (figures, baseline)
    assert peak < MEMORY_CEILING, peak

    # a hanging or dripping page is asked once a run; a 500 a few times, never in a row
    assert hits["spip.php?page=pendu"] == 1 and hits["spip.php?page=goutte"] == 1
    assert 1 < hits["spip.php?page=panne1"] <= 3  # retried later in the run, twice at most
    assert not [a for a, b in itertools.pairwise(order) if a == b and a in BAD]
    # failing URLs listed first do not go first again: every good article before any retry
    first_retry = [i for i, path in enumerate(order) if path in BAD and order[:i].count(path)]
    good_paths = {url.removeprefix(site.base_url) for url in good}
    last_good = max(i for i, path in enumerate(order) if path in good_paths)
    assert first_retry and last_good < first_retry[0]
    # articles are claimed before sitemaps: the chain cannot keep them waiting (the id walk,
    # SPIP's fallback, comes after both)
    with closing(sqlite3.connect(tmp_path / "faults.db")) as conn:
        listed = [r[0] for r in conn.execute("SELECT url FROM frontier WHERE kind = 'article'")]
    listed_paths = {url.removeprefix(site.base_url) for url in listed} & good_paths
    assert len(listed_paths) > GOOD // 2
    assert max(order.index(path) for path in listed_paths) < order.index("sitemap.xml")
    assert hits["spip.php?page=bombe-br"] == 1 and hits["spip.php?page=bombe-gzip"] == 1
    chain = sum(n for path, n in hits.items() if path.startswith(CHAIN))
    assert 0 < chain <= MAX_SITEMAPS - 3  # cut: the index, SPIP's sitemap and the urlset count
    assert all(n == 1 for path, n in hits.items() if path.startswith(CHAIN))
    assert hits["sitemap.xml"] == 1  # it lists itself: asked once
    assert "Crawl-delay 86400" in log  # capped, and said
    assert "Traceback" not in log

    report = {
        "faults": len(BAD) + 4,  # the bad addresses, the chain, the Crawl-delay, the bad links
        "good_expected": GOOD,
        "good_archived": len(good & set(urls)),
        "duplicates": len(urls) - len(set(urls)),
        "elapsed": round(figures["elapsed"], 1),
        "baseline": round(baseline["elapsed"], 1),
        "bound": round(bound, 1),
        "peak_mb": round(peak / 1024 / 1024),
        "chain_sitemaps": chain,
    }
    print("fault-site run:", json.dumps(report))


DEPTH = 5  # CrawlOptions.max_sitemap_depth's default


def _chain_site(server: ScriptedServer, links: int) -> None:
    """A site without a feed whose robots.txt names a sitemap chain: N lists N, 2N, 2N+1."""
    base = server.base_url
    server.route(
        "robots.txt", Reply(body=f"Sitemap: {base}chain-1.xml\n", content_type="text/plain")
    )
    server.route("", Reply(body="<html><head><title>Site</title></head><body>x</body></html>"))
    for n in range(1, links + 1):
        children = "".join(
            f"<sitemap><loc>{base}chain-{c}.xml</loc></sitemap>" for c in (n, 2 * n, 2 * n + 1)
        )
        body = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>'
        server.route(f"chain-{n}.xml", Reply(body=body, content_type="application/xml"))


def _sitemaps_asked(server: ScriptedServer) -> list[str]:
    return [r.path for r in server.requests if r.path.endswith(".xml")]


def test_a_sitemap_chain_stops_at_its_depth(tmp_path: Path) -> None:
    with ScriptedServer() as server:
        _chain_site(server, 2 ** (DEPTH + 3))
        run_crawl(tmp_path / "a.db", [server.base_url], CrawlOptions(delay=0, retries=0))
        asked = _sitemaps_asked(server)
    # the root, then DEPTH levels of two children each: 2**(DEPTH+1) - 1 chain sitemaps
    chain = {f"/chain-{n}.xml" for n in range(1, 2 ** (DEPTH + 1))}
    assert set(asked) == chain | {"/sitemap.xml"}
    assert len(asked) == len(set(asked))  # each once, though each lists itself


def test_a_run_asks_at_most_max_sitemaps_per_site(tmp_path: Path) -> None:
    with ScriptedServer() as server:
        _chain_site(server, 2 ** (DEPTH + 3))
        options = CrawlOptions(delay=0, retries=0, max_sitemaps=10)
        summary = run_crawl(tmp_path / "a.db", [server.base_url], options)
        asked = _sitemaps_asked(server)
    assert len(asked) == 10
    assert summary.skipped > 0  # the others are recorded as skipped, for the next run
