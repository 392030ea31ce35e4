"""Extraction speed: our extract() against bare lxml parsing, trafilatura and BeautifulSoup.

Two page sets: (a) every article of the bundled sample SPIP site, fetched once over loopback,
then timed offline; (b) a generated corpus of SPIP-shaped pages, ~2000 by default, rendered by
the sample site's own templates (``article_archive_sample.render.render_article``) from our
own sample articles with their paragraphs rotated and titles, ids, dates, authors, keywords
and notes varied: the pages carry the sample site's whole chrome (menus, sidebars, forum,
scripts), so they are as large as the sample site's pages. Page sizes (min / median / max)
are printed for every set.

For each set and method it prints pages/s and ms/page, then the ratios ours/lxml and
trafilatura/ours. Every method runs over the same pages, in the same process, ``--rounds``
times in turn (lxml, ours, trafilatura, BeautifulSoup, then again), and keeps its best round.

On a shared machine a burst of load can still land on one method's round (bare lxml alone
has moved between 0.64 and 0.93 ms/page from one run to the next here), so ours/lxml is also
measured paired: for each page, lxml and ours take turns ``--pairs`` times, each timed on its
second run in a row (see ``paired_ratio``), and each keeps its fastest time for that page; the
ratio is the sum of ours over the sum of lxml. Both run under the same conditions, page by
page, which is what the 3x target compares. Exit status 1 when, on either set, the paired
ours/lxml is over 3x or ours is less than 4x faster than trafilatura, else 0.

When ``../shared/spip-pages/`` (or ``$ARTICLE_ARCHIVE_SHARED``) is present, the real SPIP
pages there are timed too, for information (20-110 KB).

    .venv/bin/python bench/speed_extract.py [--corpus-size 2000] [--rounds 3]
        [--trafilatura-limit 0]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import lxml.html
import trafilatura
from bs4 import BeautifulSoup

from article_archive.extract import extract

MAX_OURS_OVER_LXML = 3.0
MIN_TRAFILATURA_OVER_OURS = 4.0

Page = tuple[str, bytes, dict]  # url, body, headers


def fetch_sample_pages() -> list[Page]:
    """Every published article of the sample site, fetched once over loopback."""
    from article_archive_sample.server import SampleSite, default_site_dir
    from article_archive_sample.site import load_site

    site = load_site(default_site_dir())
    pages = []
    with SampleSite() as server, httpx.Client(follow_redirects=True, timeout=10) as client:
        for art in site.published():
            response = client.get(f"{server.base_url}spip.php?article{art.id}")
            response.raise_for_status()
            pages.append((str(response.url), response.content, dict(response.headers)))
    return pages


def _blocks(text: str) -> list[str]:
    """The paragraphs (blank-line separated blocks) of an article's SPIP source text."""
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def build_corpus(size: int, base_url: str = "http://127.0.0.1:8002/") -> list[Page]:
    """``size`` article pages rendered by the sample site's own templates, our texts varied.

    Each page is one of the sample articles with its paragraphs replaced by paragraphs of the
    others (rotated), and its title, id, date, authors and keywords varied; it is rendered by
    ``article_archive_sample.render.render_article``, so it carries the sample site's whole
    page chrome (menus, sidebars, forum…), exactly as the server would send it.
    """
    from article_archive_sample.layout import composed_by
    from article_archive_sample.render import render_article
    from article_archive_sample.server import default_site_dir
    from article_archive_sample.site import load_site

    site = load_site(default_site_dir())
    templates = site.published()
    pool = [block for art in templates for block in _blocks(art.texte)]
    authors, keywords = sorted(site.authors), sorted(site.keywords)
    corpus = []
    for i in range(size):
        template = templates[i % len(templates)]
        blocks = _blocks(template.texte)
        texte = "\n\n".join(
            block if block.startswith("{{{") else pool[(i * 7 + k * 3) % len(pool)]
            for k, block in enumerate(blocks)
        )
        if i % 3 == 0:  # one page in three without its notes
            texte = re.sub(r"\[\[.*?\]\]", "", texte, flags=re.S)
        other = templates[(i * 5) % len(templates)]
        art = dataclasses.replace(
            template,
            id=10_000 + i,
            slug=f"{template.slug}-{i}",
            title=f"{template.title} — {other.title[:40]}",
            date=datetime(2015, 1, 1, 9, 30) + timedelta(days=i * 3, minutes=i * 17),
            texte=texte,
            authors=[authors[(i + k) % len(authors)] for k in range(1 + i % 3)] if authors else [],
            keywords=[keywords[(i * 3 + k) % len(keywords)] for k in range(i % 5)]
            if keywords
            else [],
        )
        page = render_article(site, art, base_url)
        headers = {
            "content-type": f"text/html; charset={page.charset}",
            "composed-by": composed_by(page.spip_version),
        }
        body = page.body.encode(page.charset, "xmlcharrefreplace")
        corpus.append((base_url + art.url, body, headers))
    return corpus


def sizes(pages: list[Page]) -> str:
    """Page sizes in KB: min / median / max."""
    kb = sorted(len(body) / 1024 for _, body, _ in pages)
    return f"{kb[0]:.1f} / {statistics.median(kb):.1f} / {kb[-1]:.1f} KB (min / median / max)"


def _time(fn: Callable[[Page], object], pages: list[Page]) -> float:
    """Seconds per page of ``fn`` over ``pages`` (one warm-up page, GC paused)."""
    fn(pages[0])
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        for page in pages:
            fn(page)
        return (time.perf_counter() - start) / len(pages)
    finally:
        gc.enable()


def paired_ratio(pages: list[Page], pairs: int) -> float:
    """Sum over pages of ours' fastest time over lxml's, the two timed in turn on each page.

    Each method is timed on its second run in a row over the page, so that it pays for what
    its own previous run freed: glibc hands freed memory back lazily, at a later allocation,
    and timing each method right after the other would charge lxml for ours' frees (that
    earlier design read about 0.3x too low).
    """
    lxml_fn, ours_fn = METHODS["lxml.html.fromstring"], METHODS["ours: extract()"]
    ours_fn(pages[0])
    gc.collect()
    gc.disable()
    total_lxml = total_ours = 0.0
    try:
        for page in pages:
            best_lxml = best_ours = float("inf")
            for _ in range(pairs):
                lxml_fn(page)
                start = time.perf_counter()
                lxml_fn(page)
                middle = time.perf_counter()
                ours_fn(page)
                restart = time.perf_counter()
                ours_fn(page)
                end = time.perf_counter()
                best_lxml = min(best_lxml, middle - start)
                best_ours = min(best_ours, end - restart)
            total_lxml += best_lxml
            total_ours += best_ours
    finally:
        gc.enable()
    return total_ours / total_lxml


def real_pages() -> list[Page]:
    """The saved real SPIP pages of the shared folder, if it is there (for information)."""
    env = os.environ.get("ARTICLE_ARCHIVE_SHARED")
    folder = (Path(env) if env else Path(__file__).resolve().parents[2] / "shared") / "spip-pages"
    if not folder.is_dir():
        return []
    return [
        (f"https://{path.stem}/", path.read_bytes(), {"content-type": "text/html; charset=utf-8"})
        for path in sorted(folder.glob("*.html"))
    ]


METHODS: dict[str, Callable[[Page], object]] = {
    "lxml.html.fromstring": lambda p: lxml.html.fromstring(p[1]),
    "ours: extract()": lambda p: extract(p[1], p[0], p[2]),
    "trafilatura json": lambda p: trafilatura.extract(
        p[1], url=p[0], with_metadata=True, output_format="json"
    ),
    "BeautifulSoup lxml": lambda p: BeautifulSoup(p[1], "lxml"),
}


def run(
    name: str, pages: list[Page], trafilatura_limit: int, rounds: int, pairs: int
) -> dict[str, float]:
    """Time every method on ``pages``, print a table, return seconds per page by method."""
    size = sum(len(body) for _, body, _ in pages) / len(pages) / 1024
    print(f"\n## {name}: {len(pages)} pages, {size:.1f} KB on average, best of {rounds} rounds")
    print(f"page sizes: {sizes(pages)}")
    print(f"{'method':<24}{'pages/s':>10}{'ms/page':>10}")
    subsets = {
        method: pages[:trafilatura_limit]
        if method.startswith("trafilatura") and trafilatura_limit
        else pages
        for method in METHODS
    }
    results: dict[str, float] = {}
    for _ in range(rounds):
        for method, fn in METHODS.items():
            seconds = _time(fn, subsets[method])
            results[method] = min(results.get(method, seconds), seconds)
    for method in METHODS:
        note = f"  (first {len(subsets[method])} pages)" if subsets[method] is not pages else ""
        print(f"{method:<24}{1 / results[method]:>10.1f}{results[method] * 1000:>10.2f}{note}")
    ours = results["ours: extract()"]
    print(f"ours / lxml        = {ours / results['lxml.html.fromstring']:.2f}x (best rounds)")
    results["paired"] = paired_ratio(pages, pairs)
    print(f"ours / lxml        = {results['paired']:.2f}x (paired, best of {pairs} per page)")
    print(f"trafilatura / ours = {results['trafilatura json'] / ours:.2f}x")
    print(f"BeautifulSoup / ours = {results['BeautifulSoup lxml'] / ours:.2f}x")
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status says whether the speed targets hold."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-size", type=int, default=2000, help="generated pages (2000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per method, best kept (3)")
    parser.add_argument("--pairs", type=int, default=5, help="paired runs per page (5)")
    parser.add_argument(
        "--trafilatura-limit",
        type=int,
        default=0,
        help="time trafilatura on N pages only (0 = all)",
    )
    args = parser.parse_args(argv)
    try:
        pages = fetch_sample_pages()
    except (ImportError, httpx.HTTPError, OSError) as error:
        print(f"Cannot serve the sample site ({error}); nothing to measure.")
        return 0
    print(f"speed_extract: {datetime.now():%Y-%m-%d %H:%M}, Python {sys.version.split()[0]}")
    limit, rounds, pairs = args.trafilatura_limit, args.rounds, args.pairs
    checked = {"sample site articles": run("sample site articles", pages, limit, rounds, pairs)}
    corpus = build_corpus(args.corpus_size)
    checked["generated SPIP corpus"] = run("generated SPIP corpus", corpus, limit, rounds, pairs)
    real = real_pages()
    if real:
        run("real SPIP pages (shared/spip-pages, for information)", real, 0, rounds, pairs)
    failures = []
    for name, results in checked.items():
        ours = results["ours: extract()"]
        if results["paired"] > MAX_OURS_OVER_LXML:
            failures.append(f"{name}: ours is slower than {MAX_OURS_OVER_LXML:g}x bare lxml")
        if results["trafilatura json"] < MIN_TRAFILATURA_OVER_OURS * ours:
            failures.append(
                f"{name}: ours is less than {MIN_TRAFILATURA_OVER_OURS:g}x faster than trafilatura"
            )
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print("OK: speed targets met")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
