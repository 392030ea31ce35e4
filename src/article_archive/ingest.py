"""`import`: saved HTML files or folders ingested as if crawled (pages row + article)."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urljoin

import sqlite_utils

from article_archive.crawl.options import CrawlSummary
from article_archive.models import FetchResult
from article_archive.store import Capture, archive, open_archive
from article_archive.store.lock import writer_lock

log = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


def html_files(paths: list[Path]) -> list[tuple[Path, str]]:
    """Each HTML file under ``paths`` with its address relative to the path given."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and file.suffix.lower() in HTML_SUFFIXES:
                    found.append((file, file.relative_to(path).as_posix()))
        else:
            found.append((path, path.name))
    return found


def file_result(file: Path, url: str) -> FetchResult:
    """A FetchResult for a saved file, as if it had been fetched from ``url``."""
    body = file.read_bytes()
    stamp = datetime.fromtimestamp(file.stat().st_mtime, UTC).replace(microsecond=0)
    return FetchResult(
        url=url,
        final_url=url,
        status=200,
        headers={"content-type": "text/html"},
        body=body,
        fetched_at=stamp.isoformat(),
        content_type="text/html",
    )


def import_file(db: sqlite_utils.Database, file: Path, url: str) -> str:
    """Archive one saved file as the page of ``url``; ``new``, ``updated`` or ``unchanged``.

    A file that gives no article (or one the store refuses) is archived all the same, with
    its error, and the error raised again for the caller to count.
    """
    from article_archive.extract import extract

    result = file_result(file, url)
    try:
        article = extract(result.body, url, result.headers)
        return archive(db, Capture(result, "article"), article=article).saved or "unchanged"
    except Exception as exc:  # a bad file is recorded, then reported
        result.error = f"{type(exc).__name__}: {exc}"
        archive(db, Capture(result, "article"), outcome="failed")
        raise


def import_paths(db_path: str | Path, paths: list[Path], base_url: str) -> CrawlSummary:
    """Ingest saved HTML under ``paths`` (URL = base_url + relative path); bad files recorded."""
    with writer_lock(Path(db_path), "import"):
        return _import_locked(db_path, paths, base_url)


def _import_locked(db_path: str | Path, paths: list[Path], base_url: str) -> CrawlSummary:
    started = time.monotonic()
    summary = CrawlSummary()
    base = base_url if base_url.endswith("/") else base_url + "/"
    db = open_archive(db_path)
    try:
        for file, relative in html_files(paths):
            summary.discovered += 1
            try:
                saved = import_file(db, file, urljoin(base, quote(relative)))
            except OSError as exc:
                log.warning("cannot read %s: %s", file, exc)
                summary.failed += 1
                summary.errors.append(f"{file}: {exc}")
                continue
            except Exception as exc:  # one bad file must not stop the import
                log.warning("could not import %s: %s", file, exc)
                summary.fetched += 1
                summary.failed += 1
                summary.errors.append(f"{file}: {exc}")
                continue
            summary.fetched += 1
            setattr(summary, saved, getattr(summary, saved) + 1)
    finally:
        db.close()
    summary.elapsed = round(time.monotonic() - started, 2)
    return summary


def import_sources(
    db_path: str | Path, paths: list[Path], base_url: str | None = None
) -> CrawlSummary:
    """Ingest WARC and WACZ files (addresses from their records) and saved HTML (``base_url``).

    The one entry point of ``import``: WARCs go to :mod:`article_archive.warc`, the rest to
    :func:`import_paths`, which needs ``base_url`` (a UserError without it).
    """
    from article_archive.errors import UserError
    from article_archive.warc import import_warc, is_warc_path

    warcs = [path for path in paths if is_warc_path(path)]
    others = [path for path in paths if not is_warc_path(path)]
    if others and not base_url:
        raise UserError(
            f"--base-url is required for saved HTML files and folders ({others[0]}); "
            "WARC and WACZ files need none"
        )
    summary = import_paths(db_path, others, base_url) if others and base_url else CrawlSummary()
    started = time.monotonic() - summary.elapsed
    if warcs:
        with writer_lock(Path(db_path), "import"):
            db = open_archive(db_path)
            try:
                for path in warcs:
                    import_warc(db, path, summary)
            finally:
                db.close()
    summary.elapsed = round(time.monotonic() - started, 2)
    return summary
