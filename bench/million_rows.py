"""The rows of ``bench/million.py``'s articles, table by table, made in worker processes.

Each article gives its ``articles`` row (the store's own ``_row``), its ``article_stems`` row
(the pool's pre-stemmed sentences), its ``pages`` and ``captures`` rows (the page's HTML
zlib-compressed once, the same bytes in both, as ``save_page`` writes them) and its
authors, keywords and footnotes links. ``million_load`` inserts them.
"""

from __future__ import annotations

import multiprocessing
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from million import FETCHED_AT, HEADERS, Pools, build_pools, compose, page_html, pool_limit

CHUNK = 2_000  # articles per worker task


@dataclass
class Rows:
    """One chunk of articles as rows, in the column order of each table."""

    articles: list[tuple[Any, ...]]
    pages: list[tuple[Any, ...]]
    captures: list[tuple[Any, ...]]
    stems: list[tuple[Any, ...]]
    article_authors: list[tuple[int, int, int]]
    article_keywords: list[tuple[int, int]]
    footnotes: list[tuple[Any, ...]]


ARTICLE_COLUMNS: list[str] = []  # filled from the schema by the parent and each worker
# table -> the columns of its rows in ``Rows`` (the attribute named as the table's last part)
COLUMNS: dict[str, list[str]] = {
    "articles": ARTICLE_COLUMNS,
    "pages": [
        "id",
        "url",
        "final_url",
        "kind",
        "status",
        "content_type",
        "charset",
        "fetched_at",
        "elapsed",
        "etag",
        "last_modified",
        "headers",
        "body",
        "body_size",
        "error",
        "article_id",
        "capture_id",
        "last_status",
        "last_checked",
        "last_error",
        "warnings",
    ],
    "captures": [
        "id",
        "url",
        "final_url",
        "status",
        "content_type",
        "fetched_at",
        "headers",
        "sha256",
        "body",
        "body_size",
    ],
    "load.stems": ["rowid", "t", "l", "b", "a"],
    "article_authors": ["article_id", "author_id", "position"],
    "article_keywords": ["article_id", "keyword_id"],
    "footnotes": ["article_id", "position", "number", "text", "html"],
}


def _columns() -> list[str]:
    from article_archive.store.schema import TABLES

    return list(TABLES["articles"]["columns"])


def article_rows(pools: Pools, start: int, stop: int, seed: int) -> Rows:
    """Articles ``start``..``stop - 1`` as rows; article, page and capture ids are equal."""
    from article_archive.store.articles import _row
    from article_archive.store.captures import body_hash
    from article_archive.store.stemming import stem_text

    rows = Rows([], [], [], [], [], [], [])
    keyword_ids = {name: i for i, name in enumerate(pools.model.keywords, 1)}
    for number in range(start, stop):
        article, stems = compose(pools, number, seed)
        row = _row(article)
        row.update(
            id=number,
            page_id=number,
            capture_id=number,
            first_seen=FETCHED_AT,
            last_fetched=FETCHED_AT,
        )
        rows.articles.append(tuple(row.get(c) for c in ARTICLE_COLUMNS))
        raw = page_html(article).encode("utf-8")
        body = zlib.compress(raw, 6)
        url = article["url"]
        rows.pages.append(
            (
                number,
                url,
                url,
                "article",
                200,
                "text/html; charset=utf-8",
                "utf-8",
                FETCHED_AT,
                0.05,
                None,
                None,
                HEADERS,
                body,
                len(raw),
                None,
                number,
                number,
                200,
                FETCHED_AT,
                None,
                None,
            )
        )
        rows.captures.append(
            (
                number,
                url,
                url,
                200,
                "text/html; charset=utf-8",
                FETCHED_AT,
                HEADERS,
                body_hash(raw),
                body,
                len(raw),
            )
        )
        lang = row["lang"]
        if stems is None:
            stems = [stem_text(row[name], lang) for name in ("title", "lead", "body_text")]
        authors = pools.names.get(("", row["authors_text"]))
        if authors is None:
            authors = pools.names[("", row["authors_text"])] = stem_text(row["authors_text"], None)
        rows.stems.append((number, *stems, authors))
        for position, author in enumerate(article["authors"], 1):
            author_id = int(author["url"].rsplit("auteur", 1)[1])
            rows.article_authors.append((number, author_id, position))
        for name in article["keywords"]:
            rows.article_keywords.append((number, keyword_ids[name]))
        for position, note in enumerate(article["footnotes"], 1):
            rows.footnotes.append((number, position, note["number"], note["text"], note["html"]))
    return rows


_POOLS: Pools | None = None


def _worker_init(seed: int, limit: int | None = None) -> None:
    global _POOLS
    _POOLS = build_pools(seed, limit)
    ARTICLE_COLUMNS[:] = _columns()


def _worker(task: tuple[int, int, int]) -> Rows:
    start, stop, seed = task
    assert _POOLS is not None
    return article_rows(_POOLS, start, stop, seed)


def chunks(count: int, seed: int, workers: int) -> Iterator[Rows]:
    """The rows of articles 1..count, made in ``workers`` processes, in order."""
    tasks = [(i, min(i + CHUNK, count + 1), seed) for i in range(1, count + 1, CHUNK)]
    if workers <= 1:
        _worker_init(seed, pool_limit(count))
        for task in tasks:
            yield _worker(task)
        return
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=_worker_init, initargs=(seed, pool_limit(count))) as pool:
        yield from pool.imap(_worker, tasks)
