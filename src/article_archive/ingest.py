"""`import`: saved HTML files or folders ingested as if crawled (pages row + article)."""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urljoin

from article_archive.crawl.options import CrawlSummary
from article_archive.errors import ExtractionError
from article_archive.models import FetchResult
from article_archive.store import open_archive, save_article
from article_archive.store.pages import link_article, save_page

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


def import_paths(db_path: str | Path, paths: list[Path], base_url: str) -> CrawlSummary:
    """Ingest saved HTML under ``paths`` (URL = base_url + relative path); bad files recorded."""
    from article_archive.extract import extract

    started = time.monotonic()
    summary = CrawlSummary()
    base = base_url if base_url.endswith("/") else base_url + "/"
    db = open_archive(db_path)
    try:
        for file, relative in html_files(paths):
            summary.discovered += 1
            url = urljoin(base, quote(relative))
            try:
                result = file_result(file, url)
            except OSError as exc:
                log.warning("cannot read %s: %s", file, exc)
                summary.failed += 1
                summary.errors.append(f"{file}: {exc}")
                continue
            summary.fetched += 1
            try:
                article = extract(result.body, url, result.headers)
            except ExtractionError as exc:
                result.error = f"ExtractionError: {exc}"
                with db.atomic():
                    save_page(db, result, kind="article")
                summary.failed += 1
                summary.errors.append(f"{file}: {exc}")
                continue
            try:
                with db.atomic():
                    page_id = save_page(db, result, kind="article")
                    article_id, outcome = save_article(
                        db, article, page_id=page_id, fetched_at=result.fetched_at
                    )
                    link_article(db, page_id, article_id)
            except Exception as exc:  # one bad file must not stop the import
                log.warning("could not store %s: %s", file, exc)
                result.error = f"{type(exc).__name__}: {exc}"
                with db.atomic():
                    save_page(db, result, kind="article")
                summary.failed += 1
                summary.errors.append(f"{file}: {exc}")
                continue
            setattr(summary, outcome, getattr(summary, outcome) + 1)
    finally:
        db.close()
    summary.elapsed = round(time.monotonic() - started, 2)
    return summary
