"""Shared by the tests/test_warc_*.py files: a crawled sample site, WARC records to read."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import sqlite_utils
from click.testing import CliRunner, Result
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from article_archive.cli import cli
from article_archive.crawl import CrawlOptions, run_crawl
from article_archive_sample.server import SampleSite

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "id_gap": 10}


def crawl_sample(db_path: Path) -> str:
    """Backfill-crawl the sample site into ``db_path`` (the site stopped after); its base URL."""
    with SampleSite() as site:
        summary = run_crawl(db_path, [site.base_url], CrawlOptions(backfill=True, **FAST))
        base = site.base_url
    assert summary.new > 10 and summary.failed == 0
    return base


def run_cli(*args: str) -> Result:
    """``article-archive ARGS`` in this process, output kept apart from errors."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def responses(path: Path) -> dict[str, tuple[str, list[tuple[str, str]], bytes]]:
    """Each response record of a WARC by target URI: (status line, headers, raw payload)."""
    found = {}
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                uri = record.rec_headers.get_header("WARC-Target-URI")
                http = record.http_headers
                found[uri] = (http.statusline, http.headers, record.raw_stream.read())
    return found


def payloads(path: Path) -> set[tuple[str, bytes]]:
    """Every (target URI, payload) of a WARC's response records, several per address kept."""
    found = set()
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                uri = record.rec_headers.get_header("WARC-Target-URI")
                found.add((uri, record.raw_stream.read()))
    return found


def article_pages(db_path: Path) -> list[tuple[str, str, bytes]]:
    """(page address, article title, stored page body) of every archived article."""
    from article_archive.store.pages import load_body

    db = sqlite_utils.Database(db_path)
    rows = db.execute(
        "SELECT coalesce(p.final_url, p.url), a.title, p.id FROM articles a "
        "JOIN pages p ON p.id = a.page_id ORDER BY a.id"
    ).fetchall()
    found = [(url, title, load_body(db, page_id)) for url, title, page_id in rows]
    db.close()
    return found


def add_media(db_path: Path, url: str, body: bytes, content_type: str) -> None:
    """Put an image in the archive's ``media`` table unless the crawl archived it already."""
    db = sqlite_utils.Database(db_path)
    sha = hashlib.sha256(body).hexdigest()
    if (
        not db["media"].exists()
        or not db.execute("SELECT 1 FROM media WHERE sha256 = ?", [sha]).fetchone()
    ):
        row = {"url": url, "content_type": content_type, "size": len(body), "sha256": sha}
        row.update(body=body, fetched_at="2026-01-02T03:04:05+00:00")
        db["media"].insert(row, pk="id", alter=True)
    db.close()


def http_response(
    writer: WARCWriter, url: str, payload: bytes, headers: list[tuple[str, str]], **warc: str
) -> None:
    """Write one response record (``payload`` as on the wire: chunked, compressed or not)."""
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(payload),
        length=len(payload),
        http_headers=http,
        warc_headers_dict=warc or None,
    )
    writer.write_record(record)
