"""`import FILE.warc[.gz]|FILE.wacz`: every answer in a WARC archived as if crawled.

Each response becomes a capture through the store's one write door: an HTML page that holds
an article is archived with it (extracted as the crawl extracts), any other page or file
as a capture without article, an error answer as a failed capture. Bad records are counted,
logged with their offset, and the import carries on.
"""

from __future__ import annotations

import logging
from pathlib import Path

import sqlite_utils

from article_archive.crawl.options import CrawlSummary
from article_archive.discover.spip import spip_id_from_url
from article_archive.errors import ArchiveError, ExtractionError
from article_archive.models import FetchResult
from article_archive.store import Capture, archive
from article_archive.warc.read import BadRecord, read_responses

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Files an article may use (images, sound, documents), archived as media; text formats
# (feeds, sitemaps, scripts, styles) stay plain pages.
MEDIA_PREFIXES = ("image/", "audio/", "video/", "font/")
NOT_MEDIA = ("xml", "json", "javascript", "ecmascript")
# Answers archived per transaction: one commit per record would make a large WARC crawl.
BATCH = 200


class ImportFailed(ArchiveError):
    """An answer that could not be archived as an article (recorded as failed, counted)."""


def is_html(result: FetchResult) -> bool:
    """Whether an answer is a web page (declared HTML, or undeclared and looking like it)."""
    if result.content_type:
        return result.content_type in HTML_TYPES
    return result.body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def is_media(result: FetchResult) -> bool:
    """Whether an answer is a file an article may use (image, sound, PDF, office document)."""
    kind = result.content_type or ""
    if kind.startswith(MEDIA_PREFIXES):
        return True
    return kind.startswith("application/") and not any(word in kind for word in NOT_MEDIA)


def archive_answer(db: sqlite_utils.Database, result: FetchResult) -> str | None:
    """Archive one answer read from a WARC; the article's outcome (new, updated, unchanged).

    None when the answer holds no article. Raises what the store refuses, after archiving
    the capture as failed.
    """
    if result.status >= 400:
        archive(db, Capture(result, "page", keep_body=False), outcome="failed")
        return None
    if result.status != 200 or not is_html(result):
        kind = "media" if result.status == 200 and is_media(result) else "page"
        archive(db, Capture(result, kind))
        return None
    return _article(db, result)


def _article(db: sqlite_utils.Database, result: FetchResult) -> str | None:
    """An HTML page: archived with its article when it is one, as a plain page otherwise."""
    from article_archive.extract import extract

    try:
        article = extract(result.body, result.final_url, result.headers)
    except ExtractionError:
        archive(db, Capture(result, "page"))
        return None
    except Exception as exc:  # a bug in an extractor must not stop the whole import
        result.error = f"{type(exc).__name__}: {exc}"
        archive(db, Capture(result, "article"), outcome="failed")
        raise ImportFailed(result.error) from exc
    if article.get("spip_id") is None:
        article["spip_id"] = spip_id_from_url(result.final_url)
    try:
        return archive(db, Capture(result, "article"), article=article).saved or "unchanged"
    except ArchiveError as exc:
        result.error = f"{type(exc).__name__}: {exc}"
        archive(db, Capture(result, "article"), outcome="failed")
        raise


def import_warc(db: sqlite_utils.Database, path: Path, summary: CrawlSummary) -> None:
    """Archive every answer of the WARC or WACZ at ``path``, counting into ``summary``."""
    pending = 0
    with db.atomic():  # committed every BATCH answers below, and at the end
        for item in read_responses(path):
            summary.discovered += 1
            if isinstance(item, BadRecord):
                _failed(summary, str(item))
                continue
            summary.fetched += 1
            try:
                saved = archive_answer(db, item.result)
            except ArchiveError as exc:
                _failed(summary, f"{item.source}: record at offset {item.offset}: {exc}")
                continue
            if saved is not None:
                setattr(summary, saved, getattr(summary, saved) + 1)
            pending += 1
            if pending >= BATCH:
                db.conn.commit()
                db.execute("BEGIN")
                pending = 0


def _failed(summary: CrawlSummary, message: str) -> None:
    log.info("%s", message)  # the command prints summary.errors itself
    summary.failed += 1
    summary.errors.append(message)
