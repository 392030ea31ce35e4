"""``reparse``: extract every stored article page again, offline, on all cores.

Every page an article was archived from is extracted again, however it was found (feed,
sitemap, listing, the SPIP id walk, an import), and so are the article pages that gave none
yet (``store.pages.ARTICLE_PAGES``); each result goes back through ``store.archive``.

Each site's template is learned first, from every stored HTML page of the site (home page,
listings, plan, articles: ``store.chrome``, emptied and counted again in page order), and
each page is then extracted with its site's chrome (``extract.chrome``).

Extraction (decompressing and parsing) runs in worker processes; the parent alone writes,
so SQLite sees one writer. Pages are read in batches by id, so memory stays flat however
large the archive, and a page that fails is logged and counted, never fatal.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import sqlite_utils

from article_archive.errors import ExtractionError, describe
from article_archive.extract.chrome import Block, ChromeBlocks
from article_archive.sites import site_of
from article_archive.store import StoredCapture, archive, open_archive
from article_archive.store.articles import PreparedArticle, prepare_article
from article_archive.store.chrome import (
    forget_templates,
    learn_page,
    learnable_page_ids,
    learned_sites,
    page_kinds,
    refresh_chrome,
)
from article_archive.store.lock import writer_lock
from article_archive.store.pages import article_page_ids, stored_captures

log = logging.getLogger(__name__)

# Pages sent to the pool per round trip: big enough to keep every core busy between
# batches, small enough that the compressed bodies of one batch stay a few tens of MB.
PAGES_PER_WORKER = 32

# (the page, its article or None, error kind, error message); the article is prepared (its
# row and stems computed) in the worker, so the one writing process only compares and writes
PageResult = tuple[StoredCapture, PreparedArticle | None, str | None, str | None]


def stored_headers(page: StoredCapture) -> dict[str, str] | None:
    """The stored page's response headers (JSON text in the archive)."""
    return json.loads(page.headers) if page.headers else None


def page_blocks_of(page: StoredCapture) -> tuple[int, str, list[Block]]:
    """The template blocks of one stored page (runs in a worker process)."""
    from article_archive.extract import learn_blocks

    try:
        body = zlib.decompress(page.body)
        return page.page_id, page.url, learn_blocks(body, page.url, stored_headers(page))
    except (zlib.error, ValueError) as error:
        log.warning("reparse %s: no template blocks: %s", page.url, error)
        return page.page_id, page.url, []


def extract_page(page: StoredCapture, chrome: ChromeBlocks | None = None) -> PageResult:
    """Decompress and extract one stored page with its site's chrome (in a worker process)."""
    from article_archive.extract import extract_article

    sent = page
    page = replace(sent, body=b"", headers=None)  # what goes back: not the body again
    try:
        body = zlib.decompress(sent.body)
        article = extract_article(body, url=sent.url, headers=stored_headers(sent), chrome=chrome)
        prepared = prepare_article(article)
    except ExtractionError as error:
        return page, None, "not_article", str(error)
    except Exception as error:  # a bug in an extractor must not stop the whole reparse
        return page, None, "failed", describe(error)
    return page, prepared, None, None


def reparse(
    db_path: str | Path,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], Any] | None = None,
) -> dict[str, int]:
    """Extract all stored article pages again and save them; counts of each outcome.

    ``workers`` defaults to every core; 1 runs in this process. ``progress(done, total)``
    is called after each batch.
    """
    with writer_lock(Path(db_path), "reparse"):
        return _reparse_locked(db_path, workers or os.cpu_count() or 1, progress)


def _reparse_locked(
    db_path: str | Path, workers: int, progress: Callable[[int, int], Any] | None
) -> dict[str, int]:
    db = open_archive(db_path)
    try:
        ids = article_page_ids(db)
        counts = {"pages": len(ids), "new": 0, "updated": 0, "unchanged": 0}
        counts.update(not_article=0, failed=0)
        size = max(1, workers) * PAGES_PER_WORKER
        if workers == 1:
            chrome = learn_templates(db, map, size)
            batches = stored_captures(db, ids, size)
            results = (map(extract_page, b, _chrome_of(b, chrome)) for b in batches)
            _run(db, results, counts, progress)
        else:
            import article_archive.extract  # noqa: F401  (forked workers start with it loaded)

            with ProcessPoolExecutor(max_workers=workers) as pool:
                chrome = learn_templates(db, partial(pool.map, chunksize=4), size)
                batches = stored_captures(db, ids, size)
                _run(db, _pipelined(pool, batches, chrome), counts, progress)
    finally:
        db.close()
    log.info("reparse: %s", counts)
    return counts


def learn_templates(
    db: sqlite_utils.Database, mapper: Callable[..., Iterator[Any]], size: int
) -> dict[str, ChromeBlocks]:
    """Learn every site's template again from its stored pages, in page order; its chrome."""
    forget_templates(db)
    ids = learnable_page_ids(db)
    for batch in stored_captures(db, ids, size):
        kinds = page_kinds(db, [page.page_id for page in batch])
        with db.atomic():
            for page_id, url, blocks in mapper(page_blocks_of, batch):
                learn_page(db, site_of(url), url, kinds[page_id], blocks)
    return {site: refresh_chrome(db, site) for site in learned_sites(db)}


def _chrome_of(
    batch: list[StoredCapture], chrome: dict[str, ChromeBlocks]
) -> list[ChromeBlocks | None]:
    """The chrome of each page's site, in the batch's order."""
    return [chrome.get(site_of(page.url)) or None for page in batch]


def _pipelined(
    pool: ProcessPoolExecutor,
    batches: Iterator[list[StoredCapture]],
    chrome: dict[str, ChromeBlocks],
) -> Iterator[Iterator[PageResult]]:
    """Results batch by batch, the next batch already submitted so workers never wait."""
    pending = None
    for batch in batches:
        submitted = pool.map(extract_page, batch, _chrome_of(batch, chrome), chunksize=8)
        if pending is not None:
            yield pending
        pending = submitted
    if pending is not None:
        yield pending


def _run(
    db: sqlite_utils.Database,
    batches: Iterator[Iterator[PageResult]],
    counts: dict[str, int],
    progress: Callable[[int, int], Any] | None,
) -> None:
    """Archive each extracted article as a re-extraction and count the outcomes."""
    done = 0
    for results in batches:
        with db.atomic():  # one commit per batch, not per article
            for page, article, error_kind, message in results:
                done += 1
                if article is None:
                    log.warning("reparse %s: %s", page.url, message)
                    counts[error_kind or "failed"] += 1
                    continue
                try:
                    outcome = archive(db, page, article=article).saved or "unchanged"
                except ExtractionError as error:  # e.g. an article without a title
                    log.warning("reparse %s: %s", page.url, error)
                    counts["not_article"] += 1
                    continue
                except Exception:  # one odd record must not stop the whole reparse
                    log.exception("reparse %s: cannot save", page.url)
                    counts["failed"] += 1
                    continue
                counts[outcome] += 1
        if progress is not None:
            progress(done, counts["pages"])
