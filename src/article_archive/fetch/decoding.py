"""Content-Encoding decoded by us, a piece at a time, stopped at the body size limit.

httpx decodes a whole network chunk in one call, so 1.6 KB of Brotli can become gigabytes
before any limit is looked at (Scrapy's CVE-2025-6176). Here every decoder writes its output in
pieces of at most ``PIECE`` bytes into a sink that refuses to grow past the limit, so memory
stays within the limit plus one piece whatever the compression ratio, for gzip, deflate, brotli
and zstd alike, and for stacked encodings ("gzip, br").
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any, Protocol

import brotli  # type: ignore[import-untyped]
import zstandard

PIECE = 64 * 1024

#: What we ask servers for: exactly the encodings decoded here.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


class BodyTooLarge(Exception):
    """The decoded body passed the size limit (decoding stopped there)."""


class BadEncoding(Exception):
    """A Content-Encoding we do not know, or bytes that do not decode."""


Write = Callable[[bytes], None]


class _Decoder(Protocol):
    def feed(self, data: bytes) -> None: ...
    def close(self) -> None: ...


class _Zlib:
    """gzip or deflate (zlib-wrapped, or raw deflate as some servers send it)."""

    def __init__(self, write: Write, gzip: bool):
        self._write = write
        self._gzip = gzip
        self._obj: zlib._Decompress | None = None
        self._first = b""

    def _start(self, data: bytes) -> zlib._Decompress:
        if self._gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" should be zlib-wrapped; raw deflate has no 0x78 header byte.
        wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and int.from_bytes(data[:2]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> None:
        if self._obj is None:
            self._first += data
            if len(self._first) < 2:
                return
            data, self._first = self._first, b""
            self._obj = self._start(data)
        obj = self._obj
        try:
            while data:
                self._write(obj.decompress(data, PIECE))
                data = obj.unconsumed_tail
        except zlib.error as exc:
            raise BadEncoding(f"broken {'gzip' if self._gzip else 'deflate'} body: {exc}") from exc

    def close(self) -> None:
        if self._first:
            self.feed(b"")
        if self._obj is not None:
            self._write(self._obj.flush(PIECE))


class _Brotli:
    def __init__(self, write: Write):
        self._write = write
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes) -> None:
        try:
            self._write(self._obj.process(data, output_buffer_limit=PIECE))
            while not self._obj.can_accept_more_data():
                self._write(self._obj.process(b"", output_buffer_limit=PIECE))
        except brotli.error as exc:
            raise BadEncoding(f"broken brotli body: {exc}") from exc

    def close(self) -> None:
        return None


class _Zstd:
    def __init__(self, write: Write):
        pipe: Any = _Pipe(write)  # any object with write(bytes) will do for zstandard
        self._writer = zstandard.ZstdDecompressor().stream_writer(
            pipe, write_size=PIECE, write_return_read=True
        )

    def feed(self, data: bytes) -> None:
        try:
            self._writer.write(data)
        except zstandard.ZstdError as exc:
            raise BadEncoding(f"broken zstd body: {exc}") from exc

    def close(self) -> None:
        self._writer.flush()


class _Pipe:
    """What zstandard's stream_writer writes to: our next stage."""

    def __init__(self, write: Write):
        self._write = write

    def write(self, data: bytes) -> int:
        self._write(bytes(data))
        return len(data)


class BoundedBody:
    """Collects a response body through its encodings; ``BodyTooLarge`` past ``limit`` bytes."""

    def __init__(self, content_encoding: str | None, limit: int):
        self.limit = limit
        self._pieces: list[bytes] = []
        self._size = 0
        write: Write = self._collect
        self._stages: list[_Decoder] = []
        # Listed in the order applied: the last one applied is decoded first.
        codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
        for coding in codings:
            stage = _decoder(coding, write, limit)
            if stage is not None:
                self._stages.append(stage)
                write = stage.feed
        self._entry = write

    def _collect(self, piece: bytes) -> None:
        if not piece:
            return
        self._size += len(piece)
        if self._size > self.limit:
            raise BodyTooLarge(f"body over the {self.limit} bytes limit")
        self._pieces.append(piece)

    def feed(self, raw: bytes) -> None:
        """Take the next bytes as they came off the wire."""
        self._entry(raw)

    def finish(self) -> bytes:
        """The whole decoded body."""
        for stage in reversed(self._stages):
            stage.close()
        return b"".join(self._pieces)


def _decoder(coding: str, write: Write, limit: int) -> _Decoder | None:
    if coding in ("identity", ""):
        return None
    if coding in ("gzip", "x-gzip"):
        return _Zlib(_bounded(write, limit), gzip=True)
    if coding == "deflate":
        return _Zlib(_bounded(write, limit), gzip=False)
    if coding == "br":
        return _Brotli(_bounded(write, limit))
    if coding == "zstd":
        return _Zstd(_bounded(write, limit))
    raise BadEncoding(f"unknown Content-Encoding {coding!r}")


def _bounded(write: Write, limit: int) -> Write:
    """An intermediate stage's output is bounded too: a bomb can hide inside another coding."""
    size = 0

    def forward(piece: bytes) -> None:
        nonlocal size
        size += len(piece)
        if size > limit:
            raise BodyTooLarge(f"body over the {limit} bytes limit")
        write(piece)

    return forward
