"""The payload of a WARC record as the server meant it: de-chunked, decoded, complete.

WARCs keep answers as they came over the wire: chunked transfer coding and gzip, deflate or
brotli content coding left in place. The archive stores bodies decoded, as the crawler's HTTP
client hands them over, so an import takes them off here.
"""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from typing import Any

from warcio.bufferedreaders import ChunkedDataReader


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


def decoded(body: bytes, encoding: str) -> bytes:
    """``body`` without its Content-Encoding (gzip, deflate, br; applied last first)."""
    for name in reversed([part.strip().lower() for part in encoding.split(",") if part.strip()]):
        try:
            if name in ("gzip", "x-gzip"):
                body = gzip.decompress(body)
            elif name == "deflate":
                body = _inflated(body)
            elif name == "br":
                import brotli

                body = brotli.decompress(body)
            elif name != "identity":
                raise RecordError(f"unknown Content-Encoding {name!r}")
        except (OSError, EOFError, zlib.error) as exc:
            raise RecordError(f"cannot decode {name} payload: {exc}") from None
        except Exception as exc:  # brotli raises its own error class (brotli.error)
            if isinstance(exc, RecordError):
                raise
            raise RecordError(f"cannot decode {name} payload: {exc}") from None
    return body


def _inflated(body: bytes) -> bytes:
    """Deflate as servers send it: zlib-wrapped, or raw (some old servers)."""
    try:
        return zlib.decompress(body)
    except zlib.error:
        return zlib.decompress(body, -zlib.MAX_WBITS)
