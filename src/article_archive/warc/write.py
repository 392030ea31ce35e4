"""`export --format warc|wacz`: every capture of the archive as WARC records, or a WACZ.

Each stored answer becomes a ``request`` record (rebuilt: the archive keeps no request
headers, so it says GET, the host and our user agent) and a ``response`` record with the
stored response headers and the body exactly as served. Bodies are stored decoded, so the
transfer headers that no longer describe them (Content-Encoding, Transfer-Encoding,
Content-Length) are replaced by the body's true length. An address that was redirected gets
a ``302`` response pointing at the address that answered, so a replay follows it.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

import sqlite_utils
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from article_archive import __version__
from article_archive.errors import UserError
from article_archive.fetch import DEFAULT_USER_AGENT
from article_archive.warc.records import StoredResponse, stored_responses

# Headers of the original answer that describe the bytes on the wire, not the stored body.
WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


@dataclass
class WarcStats:
    """What an export wrote: answers (response records) and every record with requests."""

    responses: int = 0
    records: int = 0


def warc_date(stamp: str) -> str:
    """An archive time (ISO 8601, any offset) as a WARC-Date (UTC, ``Z``)."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _header_name(name: str) -> str:
    """A stored (lower-cased) header name as servers write it: ``Content-Type``."""
    return "-".join(part.capitalize() for part in name.split("-"))


def _response_headers(response: StoredResponse) -> StatusAndHeaders:
    """The stored headers, less the wire-only ones, with the body's length."""
    headers = [
        (_header_name(k), v) for k, v in response.headers.items() if k.lower() not in WIRE_HEADERS
    ]
    headers.append(("Content-Length", str(len(response.body))))
    line = f"{response.status} {_reason(response.status)}"
    return StatusAndHeaders(line, headers, protocol="HTTP/1.1")


def _request_headers(url: str) -> StatusAndHeaders:
    """A GET for ``url`` as the crawler sent it (method, host, user agent)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = [("Host", parts.netloc), ("User-Agent", DEFAULT_USER_AGENT), ("Accept", "*/*")]
    return StatusAndHeaders(f"GET {target}", headers, protocol="HTTP/1.1", is_http_request=True)


class _Writer:
    """A warcio writer that keeps count."""

    def __init__(self, out: BinaryIO, *, gzip: bool) -> None:
        self.writer = WARCWriter(out, gzip=gzip)
        self.stats = WarcStats()

    def info(self) -> None:
        info = {"software": f"article-archive {__version__}", "format": "WARC File Format 1.0"}
        self.writer.write_record(self.writer.create_warcinfo_record("article-archive.warc", info))
        self.stats.records += 1

    def exchange(self, url: str, date: str, http: StatusAndHeaders, body: bytes) -> None:
        """A response record and the request record that asked for it."""
        response = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": date},
        )
        request = self.writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=_request_headers(url),
            warc_headers_dict={"WARC-Date": date},
        )
        self.writer.write_request_response_pair(request, response)
        self.stats.responses += 1
        self.stats.records += 2

    def response(self, response: StoredResponse) -> None:
        """An archived answer, preceded by the redirect of its first address if it had one."""
        date = warc_date(response.fetched_at)
        if response.url != response.final_url:
            moved = StatusAndHeaders(
                "302 Found",
                [("Location", response.final_url), ("Content-Length", "0")],
                protocol="HTTP/1.1",
            )
            self.exchange(response.url, date, moved, b"")
        self.exchange(response.final_url, date, _response_headers(response), response.body)


def write_records(responses: Iterable[StoredResponse], out: BinaryIO, *, gzip: bool) -> WarcStats:
    """Write ``responses`` to ``out`` as one WARC (gzipped per record when ``gzip``)."""
    writer = _Writer(out, gzip=gzip)
    writer.info()
    for response in responses:
        writer.response(response)
    return writer.stats


def write_warc(db: sqlite_utils.Database, out: BinaryIO, *, gzip: bool = True) -> WarcStats:
    """Write every capture of ``db`` (pages, captures, media) to ``out`` as a WARC."""
    return write_records(stored_responses(db), out, gzip=gzip)


def article_pages(db: sqlite_utils.Database) -> list[dict[str, str]]:
    """The WACZ page list: each article at the address its page was fetched from."""
    sql = (
        "SELECT coalesce(p.final_url, p.url), a.title FROM articles a "
        "JOIN pages p ON p.id = a.page_id WHERE p.body IS NOT NULL ORDER BY a.id"
    )
    return [{"url": url, "title": title or url} for url, title in db.execute(sql)]


def write_wacz(db: sqlite_utils.Database, output: Path) -> WarcStats:
    """Write every capture of ``db`` to ``output`` as a WACZ (WARC, index, page list).

    The articles are the WACZ's pages, so ReplayWeb.page lists them by title.
    """
    from wacz.main import main as wacz_main

    with tempfile.TemporaryDirectory(prefix="article-archive-wacz-") as tmp:
        warc_path = Path(tmp) / "article-archive.warc.gz"
        with warc_path.open("wb") as out:
            stats = write_warc(db, out)
        pages_path = Path(tmp) / "pages.jsonl"
        header = {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
        lines = [header, *article_pages(db)]
        pages_path.write_text("".join(json.dumps(line) + "\n" for line in lines))
        args = ["create", "-o", str(output), "-p", str(pages_path), str(warc_path)]
        chatter = io.StringIO()  # the wacz tool prints its progress on stdout
        with contextlib.redirect_stdout(chatter):
            code = wacz_main(args)
        if code != 0:
            raise UserError(f"could not write the WACZ {output}: {chatter.getvalue().strip()}")
    return stats
