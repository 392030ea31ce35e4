"""Reading WARC files (plain, gzipped) and WACZ packages into fetched answers.

Any tool's WARCs: ``response`` records (payload de-chunked and decoded from gzip, deflate or
brotli), ``revisit`` records (resolved to the payload of the record they refer to, by
payload digest, by target and date, or by record id), and ``resource`` records of web
addresses. A record that cannot be read is reported with its offset and the reader moves on
to the next record it can find, so one bad record never stops an import.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from article_archive.models import FetchResult
from article_archive.warc.payload import (
    Payload,
    RecordError,
    lowered,
    resource_payload,
    response_payload,
    status_of,
)

WARC_SUFFIXES = (".warc", ".warc.gz", ".wacz")
GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."
# What a broken record can raise while warcio parses it or while its payload is decoded.
READ_ERRORS = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, KeyError)


class _Records(ArchiveIterator):
    """warcio's iterator, its warnings counted (``err_count``) instead of printed."""

    INC_RECORD = ""


@dataclass
class WarcResponse:
    """An answer read from a WARC: the capture to archive, and where it was in the file."""

    result: FetchResult
    source: str
    offset: int


@dataclass
class BadRecord:
    """A record that could not be read: which file, at which byte offset, and why."""

    source: str
    offset: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}: record at offset {self.offset}: {self.message}"


def is_warc_path(path: Path) -> bool:
    """Whether ``path`` names a WARC or WACZ file (by its name: .warc, .warc.gz, .wacz)."""
    return path.is_file() and path.name.lower().endswith(WARC_SUFFIXES)


def read_responses(path: Path) -> Iterator[WarcResponse | BadRecord]:
    """Every answer in the WARC or WACZ at ``path``, and every record that failed, in order."""
    reader = _Reader()
    if path.name.lower().endswith(".wacz"):
        yield from reader.wacz(path)
    else:
        yield from reader.warc(path, str(path))


@dataclass
class _Reader:
    """Reads records in order, remembering where each payload is for the revisits after it."""

    by_digest: dict[str, tuple[Path, int]] = field(default_factory=dict)
    by_target: dict[tuple[str, str], tuple[Path, int]] = field(default_factory=dict)
    by_id: dict[str, tuple[Path, int]] = field(default_factory=dict)

    def wacz(self, path: Path) -> Iterator[WarcResponse | BadRecord]:
        """The WARCs of a WACZ package (``archive/``), each copied out to be read and seeked."""
        try:
            package = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            yield BadRecord(str(path), 0, f"not a WACZ (zip) file: {exc}")
            return
        with package, tempfile.TemporaryDirectory(prefix="article-archive-wacz-") as tmp:
            members = [
                name
                for name in package.namelist()
                if name.startswith("archive/") and name.lower().endswith((".warc", ".warc.gz"))
            ]
            if not members:
                yield BadRecord(str(path), 0, "no WARC file under archive/ in this WACZ")
            for number, name in enumerate(members):
                local = Path(tmp) / f"{number}-{Path(name).name}"
                with package.open(name) as member, local.open("wb") as out:
                    shutil.copyfileobj(member, out)
                yield from self.warc(local, f"{path}!{name}")

    def warc(self, path: Path, source: str) -> Iterator[WarcResponse | BadRecord]:
        """The answers of one WARC file; after a bad record, reading resumes at the next one.

        A WARC gzipped whole (``gzip file.warc``, one gzip member, not one per record) is
        read from a decompressed copy: offsets then count in the decompressed WARC.
        """
        if _gzipped_whole(path):
            with tempfile.TemporaryDirectory(prefix="article-archive-warc-") as tmp:
                plain = Path(tmp) / "decompressed.warc"
                try:
                    with gzip.open(path) as packed, plain.open("wb") as out:
                        shutil.copyfileobj(packed, out)
                except (OSError, EOFError, zlib.error) as exc:
                    yield BadRecord(source, 0, f"damaged gzip, read up to where it breaks: {exc}")
                yield from self._warc(plain, f"{source} (decompressed)")
            return
        yield from self._warc(path, source)

    def _warc(self, path: Path, source: str) -> Iterator[WarcResponse | BadRecord]:
        with path.open("rb") as fh:
            compressed = fh.read(3) == GZIP_MAGIC
            position: int | None = 0
            while position is not None:
                fh.seek(position)
                failed_at = yield from self._records(fh, path, source)
                position = None if failed_at is None else _resync(fh, failed_at, compressed)

    def _records(
        self, fh: BinaryIO, path: Path, source: str
    ) -> Generator[WarcResponse | BadRecord, None, int | None]:
        """Records from the current position on; returns the offset of a record that broke
        the stream (reading must resume past it), None at the end of the file."""
        records = _Records(fh)
        while True:
            start = records.offset
            try:
                record = next(records)
            except StopIteration:
                return None
            except READ_ERRORS as exc:
                yield BadRecord(source, start, _describe(exc))
                return start
            problem = _malformed(record)
            if problem:  # reading on would swallow the records after it
                yield BadRecord(source, start, problem)
                return start
            errors = records.err_count
            try:
                found = self._answer(record, path, start)
            except (RecordError, *READ_ERRORS) as exc:
                yield BadRecord(source, start, _describe(exc))
                found = None
            try:
                records.read_to_end()
            except READ_ERRORS as exc:
                yield BadRecord(source, start, _describe(exc))
                return start
            if records.err_count > errors:
                yield BadRecord(source, start, "record longer than its Content-Length says")
                found = None
            if found is not None:
                yield WarcResponse(found, source, start)

    def _answer(self, record: Any, path: Path, offset: int) -> FetchResult | None:
        """The capture a record stands for (None for requests, metadata, warcinfo…)."""
        kind = record.rec_type
        url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<>")
        if not url.startswith(("http://", "https://")):
            return None
        date = record.rec_headers.get_header("WARC-Date") or ""
        if kind == "response" and record.http_headers is not None:
            self._remember(record, path, offset, url, date)
            return _result(url, date, response_payload(record))
        if kind == "resource":
            self._remember(record, path, offset, url, date)
            return _result(url, date, resource_payload(record))
        if kind == "revisit":
            return _result(url, date, self._revisited(record))
        return None

    def _remember(self, record: Any, path: Path, offset: int, url: str, date: str) -> None:
        """Note where this payload is, for a revisit record later in the import."""
        where = (path, offset)
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        if digest:
            self.by_digest.setdefault(digest, where)
        self.by_target[(url, date)] = where
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        if record_id:
            self.by_id[record_id] = where

    def _revisited(self, record: Any) -> Payload:
        """The payload a revisit points at, with the revisit's own status and headers."""
        headers = record.rec_headers
        where = (
            self.by_digest.get(headers.get_header("WARC-Payload-Digest") or "")
            or self.by_target.get(
                (
                    (headers.get_header("WARC-Refers-To-Target-URI") or "").strip("<>"),
                    headers.get_header("WARC-Refers-To-Date") or "",
                )
            )
            or self.by_id.get(headers.get_header("WARC-Refers-To") or "")
        )
        if where is None:
            raise RecordError("revisit of a record not found earlier in the import")
        original = _read_at(*where)
        if record.http_headers is None or status_of(record.http_headers) == 304:
            return original
        own = lowered(record.http_headers)
        own.pop("content-length", None)
        return Payload(status_of(record.http_headers), own, original.body)


def _malformed(record: Any) -> str | None:
    """Why a parsed record header is no WARC record's (None when it is one)."""
    if record.format != "warc":
        return "not a WARC record"
    headers = record.rec_headers
    if not headers.get_header("WARC-Type"):
        return "WARC header without WARC-Type"
    length = headers.get_header("Content-Length") or ""
    if not length.strip().isdigit():
        return f"WARC header with a bad Content-Length {length!r}"
    return None


def _read_at(path: Path, offset: int) -> Payload:
    """The payload of the response or resource record at ``offset`` of ``path``."""
    with path.open("rb") as fh:
        fh.seek(offset)
        record = next(ArchiveIterator(fh))
        if record.rec_type == "resource":
            return resource_payload(record)
        return response_payload(record)


def _result(url: str, date: str, payload: Payload) -> FetchResult:
    """The FetchResult of an answer read from a WARC, as if the crawler had fetched it."""
    headers = payload.headers
    content_type = headers.get("content-type", "")
    media, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"'").lower()
    error = None if payload.status < 400 else f"HTTP {payload.status}"
    return FetchResult(
        url=url,
        final_url=url,
        status=payload.status,
        headers=headers,
        body=payload.body,
        fetched_at=_iso(date),
        content_type=media.strip().lower() or None,
        charset=charset,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        error=error,
    )


def _iso(date: str) -> str:
    """A WARC-Date as the archive writes times (ISO 8601, UTC, seconds)."""
    try:
        moment = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        moment = datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def _describe(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    text = "".join(
        c if c.isascii() and c.isprintable() else "?" for c in (lines[0] if lines else "unreadable")
    )
    text = text if len(text) <= 100 else text[:100] + "…"
    return text if isinstance(exc, RecordError) else f"{type(exc).__name__}: {text}"


def _gzipped_whole(path: Path) -> bool:
    """Whether ``path`` is gzipped as one member (not record by record, as WARCs should be).

    Decompresses only the first member: for a WARC gzipped record by record, its warcinfo.
    """
    with path.open("rb") as fh:
        if fh.read(3) != GZIP_MAGIC:
            return False
        fh.seek(0)
        member = zlib.decompressobj(16 + zlib.MAX_WBITS)
        while not member.eof:
            block = fh.read(1 << 20)
            if not block:
                return True  # one member, cut short: read what it holds
            try:
                member.decompress(block)
            except zlib.error:
                return False  # damaged: the record reader reports where
        return not member.unused_data and not fh.read(1)


def _resync(fh: BinaryIO, failed_at: int, compressed: bool) -> int | None:
    """The offset of the next record start after ``failed_at`` (None: nothing left)."""
    marker = GZIP_MAGIC if compressed else WARC_MAGIC
    fh.seek(failed_at + 1)
    position, tail = failed_at + 1, b""
    while True:
        block = fh.read(1 << 20)
        if not block:
            return None
        data = tail + block
        found = data.find(marker)
        if found >= 0:
            return position - len(tail) + found
        tail = data[-(len(marker) - 1) :]
        position += len(block)
