"""Extraction speed: our extract() against bare lxml parsing, trafilatura and BeautifulSoup.

Two page sets: (a) every article of the bundled sample SPIP site, fetched once over loopback,
then timed offline; (b) a generated corpus of SPIP-shaped pages built from those articles
(paragraphs rotated between articles, titles, dates and notes varied), ~2000 by default.

For each set and method it prints pages/s and ms/page, then the ratios ours/lxml and
trafilatura/ours. Every method runs over the same pages, in the same process, ``--rounds``
times in turn (lxml, ours, trafilatura, BeautifulSoup, then again), and keeps its best round:
on a shared machine a burst of load then cannot land on one method only. Exit status 1 when,
on either set, ours is slower than 3x lxml or less than 4x faster than trafilatura, else 0.

When ``../shared/spip-pages/`` (or ``$ARTICLE_ARCHIVE_SHARED``) is present, the real SPIP
pages there are timed too, for information (they are larger: 40-100 KB).

    .venv/bin/python bench/speed_extract.py [--corpus-size 2000] [--rounds 3]
        [--trafilatura-limit 0]
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import lxml.html
import trafilatura
from bs4 import BeautifulSoup
from lxml import etree

from article_archive.extract import extract

MAX_OURS_OVER_LXML = 3.0
MIN_TRAFILATURA_OVER_OURS = 4.0
_MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"

Page = tuple[str, bytes, dict]  # url, body, headers


def fetch_sample_pages() -> list[Page]:
    """Every published article of the sample site, fetched once over loopback."""
    from article_archive.sample.server import SampleSite, default_site_dir
    from article_archive.sample.site import load_site

    site = load_site(default_site_dir())
    pages = []
    with SampleSite() as server, httpx.Client(follow_redirects=True, timeout=10) as client:
        for art in site.published():
            response = client.get(f"{server.base_url}spip.php?article{art.id}")
            response.raise_for_status()
            pages.append((str(response.url), response.content, dict(response.headers)))
    return pages


def _texte(tree) -> etree._Element | None:
    """The article text block of a sample page (crayon class or dist ``div.texte``)."""
    found = tree.xpath(
        "//*[contains(@class, 'article-texte-') or contains(concat(' ', @class, ' '), ' texte ')]"
    )
    return found[0] if found else None


def build_corpus(pages: list[Page], size: int) -> list[Page]:
    """``size`` SPIP-shaped variants of the sample pages, with our own rotated text."""
    templates = [
        (url, lxml.html.document_fromstring(body), headers) for url, body, headers in pages
    ]
    pool = [
        copy.deepcopy(p)
        for _, tree, _ in templates
        if (t := _texte(tree)) is not None
        for p in t.iter("p")
    ]
    titles = [" ".join(t.findtext(".//title", "").split()) for _, t, _ in templates]
    corpus = []
    for i in range(size):
        url, template, headers = templates[i % len(templates)]
        tree = copy.deepcopy(template)
        texte = _texte(tree)
        if texte is not None and pool:
            for k, paragraph in enumerate(list(texte.iter("p"))):
                replacement = copy.deepcopy(pool[(i * 7 + k * 3) % len(pool)])
                replacement.tail = paragraph.tail
                paragraph.getparent().replace(paragraph, replacement)
        for h1 in tree.iter("h1"):
            h1.text = f"{(h1.text or '').strip()} — {titles[(i * 5) % len(titles)][:40]}"
            break
        when = datetime(2015, 1, 1, 9, 30) + timedelta(days=i * 3, minutes=i * 17)
        for abbr in tree.xpath("//abbr[contains(@class, 'published')]"):
            abbr.set("title", when.strftime("%Y-%m-%dT%H:%M:%SZ"))
            abbr.text = f"{when.day} {_MONTHS.split()[when.month - 1]} {when.year}"
        if i % 3 == 0:  # one page in three without its notes
            for notes in tree.xpath("//*[contains(concat(' ', @class, ' '), ' notes ')]"):
                notes.getparent().remove(notes)
        body = lxml.html.tostring(tree, encoding="utf-8", doctype="<!DOCTYPE html>")
        corpus.append((f"{url}?variant={i}", body, headers))
    return corpus


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


def run(name: str, pages: list[Page], trafilatura_limit: int, rounds: int) -> dict[str, float]:
    """Time every method on ``pages``, print a table, return seconds per page by method."""
    size = sum(len(body) for _, body, _ in pages) / len(pages) / 1024
    print(f"\n## {name}: {len(pages)} pages, {size:.1f} KB on average, best of {rounds} rounds")
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
    print(f"ours / lxml        = {ours / results['lxml.html.fromstring']:.2f}x")
    print(f"trafilatura / ours = {results['trafilatura json'] / ours:.2f}x")
    print(f"BeautifulSoup / ours = {results['BeautifulSoup lxml'] / ours:.2f}x")
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit status says whether the speed targets hold."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus-size", type=int, default=2000, help="generated pages (2000)")
    parser.add_argument("--rounds", type=int, default=3, help="runs per method, best kept (3)")
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
    limit, rounds = args.trafilatura_limit, args.rounds
    checked = {"sample site articles": run("sample site articles", pages, limit, rounds)}
    corpus = build_corpus(pages, args.corpus_size)
    checked["generated SPIP corpus"] = run("generated SPIP corpus", corpus, limit, rounds)
    real = real_pages()
    if real:
        run("real SPIP pages (shared/spip-pages, for information)", real, 0, rounds)
    failures = []
    for name, results in checked.items():
        ours = results["ours: extract()"]
        if ours > MAX_OURS_OVER_LXML * results["lxml.html.fromstring"]:
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
