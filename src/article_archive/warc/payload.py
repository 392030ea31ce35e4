"""The payload of a WARC record as the server meant it: de-chunked, decoded, complete.

WARCs keep answers as they came over the wire: chunked transfer coding and gzip, deflate or
brotli content coding left in place. The archive stores bodies decoded, as the crawler's HTTP
client hands them over, so an import takes them off here, with the client's bounded decoder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from warcio.bufferedreaders import ChunkedDataReader

from article_archive.fetch.decoding import BadEncoding, BodyTooLarge, BoundedBody

# The most a decoded body may weigh: the crawler's own limit (HttpClient's max_bytes).
MAX_BODY = 10_000_000


class RecordError(Exception):
    """A record that was parsed but cannot be used (truncated, undecodable, unresolved)."""


@dataclass
class Payload:
    """An answer's status line, headers (lower-cased names) and decoded body."""

    status: int
    headers: dict[str, str]
    body: bytes


def status_of(http: Any) -> int:
    """The status code of an HTTP status line (RecordError when it has none)."""
    try:
        return int(http.get_statuscode())
    except (TypeError, ValueError):
        raise RecordError(f"bad HTTP status line {http.statusline!r}") from None


def lowered(http: Any) -> dict[str, str]:
    """HTTP headers as a dict with lower-cased names (repeated ones joined by commas)."""
    headers: dict[str, str] = {}
    for name, value in http.headers:
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def complete(record: Any) -> None:
    """Raise when the file ended before the record's declared length."""
    record.raw_stream.read()
    if getattr(record.raw_stream, "limit", 0) > 0:
        raise RecordError(f"truncated: {record.raw_stream.limit} bytes missing")


def response_payload(record: Any) -> Payload:
    """A response record's status, headers and body (de-chunked, decoded)."""
    http = record.http_headers
    headers = lowered(http)
    stream = record.raw_stream
    if "chunked" in headers.get("transfer-encoding", "").lower():
        stream = ChunkedDataReader(stream)
    body = stream.read()
    complete(record)
    body = decoded(body, headers.get("content-encoding", ""))
    for name in ("transfer-encoding", "content-encoding", "content-length"):
        headers.pop(name, None)
    return Payload(status_of(http), headers, body)


def resource_payload(record: Any) -> Payload:
    """A resource record: a file stored as is, its type in the WARC header."""
    body = record.raw_stream.read()
    complete(record)
    content_type = record.rec_headers.get_header("Content-Type") or "application/octet-stream"
    return Payload(200, {"content-type": content_type}, body)


def decoded(body: bytes, encoding: str, limit: int = MAX_BODY) -> bytes:
    """``body`` without its Content-Encoding, by the crawler's own bounded decoder.

    The same limit as a crawl's: a record whose body decodes past it (a compression bomb
    inside a WARC) is refused, not expanded.
    """
    try:
        decoder = BoundedBody(encoding, limit)
        decoder.feed(body)
        return decoder.finish()
    except (BadEncoding, BodyTooLarge) as exc:
        raise RecordError(str(exc)) from None
