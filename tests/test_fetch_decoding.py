"""Compressed bodies are decoded a piece at a time and stopped at the size limit (bombs)."""

from __future__ import annotations

import gzip
import subprocess
import sys
import textwrap
import tracemalloc
import zlib
from collections.abc import Callable

import brotli
import pytest
import zstandard

from article_archive.errors import ContentRejected
from article_archive.fetch.client import HttpClient
from article_archive.fetch.decoding import BadEncoding, BodyTooLarge, BoundedBody
from servers import Reply, ScriptedServer

MIB = 1 << 20
PAGE = ("<html><body><p>" + "un texte d'article, " * 400 + "</p></body></html>").encode()


def _zeros(total: int, compress: Callable[[bytes], bytes], finish: Callable[[], bytes]) -> bytes:
    zero = bytes(MIB)
    return b"".join(compress(zero) for _ in range(total // MIB)) + finish()


def gzip_bomb(total: int) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return _zeros(total, c.compress, c.flush)


def deflate_bomb(total: int) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate, as some servers send
    return _zeros(total, c.compress, c.flush)


def brotli_bomb(total: int) -> bytes:
    c = brotli.Compressor(quality=5)
    return _zeros(total, c.process, c.finish)


def zstd_bomb(total: int) -> bytes:
    c = zstandard.ZstdCompressor(level=3).compressobj()
    return _zeros(total, c.compress, c.flush)


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    return {
        "gzip": gzip_bomb(64 * MIB),
        "deflate": deflate_bomb(64 * MIB),
        "br": brotli_bomb(512 * MIB),
        "zstd": zstd_bomb(512 * MIB),
    }


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd"])
def test_a_bomb_stops_at_the_limit_with_bounded_memory(bombs: dict[str, bytes], coding: str):
    limit = MIB
    body = BoundedBody(coding, limit)
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLarge):
            for start in range(0, len(bombs[coding]), 16384):
                body.feed(bombs[coding][start : start + 16384])
            body.finish()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * limit


def test_a_bomb_inside_another_encoding_stops_too(bombs: dict[str, bytes]) -> None:
    stacked = brotli.compress(bombs["gzip"])  # gzip applied first, then br
    body = BoundedBody("gzip, br", MIB)
    with pytest.raises(BodyTooLarge):
        body.feed(stacked)
        body.finish()


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate
        ("br", brotli.compress),
        ("zstd", lambda b: zstandard.ZstdCompressor().compress(b)),
        ("gzip, br", lambda b: brotli.compress(gzip.compress(b))),
        ("identity", lambda b: b),
    ],
)
def test_real_bodies_decode_whole(coding: str, encode: Callable[[bytes], bytes]) -> None:
    data = encode(PAGE)
    body = BoundedBody(coding, 10 * MIB)
    for start in range(0, len(data), 7):  # in awkward pieces, as the network may split them
        body.feed(data[start : start + 7])
    assert body.finish() == PAGE


def test_unknown_or_broken_encodings_are_errors() -> None:
    with pytest.raises(BadEncoding, match="unknown"):
        BoundedBody("compress", MIB)
    broken = BoundedBody("gzip", MIB)
    with pytest.raises(BadEncoding, match="broken gzip"):
        broken.feed(b"\x1f\x8b" + b"not gzip at all" * 10)
        broken.finish()


@pytest.mark.parametrize("coding", ["gzip", "br", "zstd"])
def test_the_client_archives_compressed_pages(coding: str) -> None:
    encoded = {
        "gzip": gzip.compress,
        "br": brotli.compress,
        "zstd": zstandard.ZstdCompressor().compress,
    }[coding](PAGE)
    with ScriptedServer() as server:
        server.route("p", Reply(200, encoded, {"Content-Encoding": coding}))
        with HttpClient(delay=0, ignore_robots=True) as http:
            result = http.fetch(server.url("p"))
        assert "br" in server.hits("p")[0].headers["accept-encoding"]
    assert result.body == PAGE


CHILD = textwrap.dedent(
    """
    import resource, sys
    from article_archive.errors import ContentRejected
    from article_archive.fetch.client import HttpClient
    with HttpClient(delay=0, ignore_robots=True, retries=0) as http:
        try:
            http.fetch(sys.argv[1])
            print("fetched")
        except ContentRejected as exc:
            print("rejected:", exc)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
    """
)


def test_a_brotli_bomb_over_http_keeps_the_crawler_under_300_mb(bombs: dict[str, bytes]) -> None:
    assert len(bombs["br"]) < 4096  # a few kilobytes on the wire, 512 MiB once decoded
    with ScriptedServer() as server:
        server.route("bomb", Reply(200, bombs["br"], {"Content-Encoding": "br"}))
        child = subprocess.run(
            [sys.executable, "-c", CHILD, server.url("bomb")],
            capture_output=True,
            text=True,
            timeout=120,
        )
    verdict, peak_mb = child.stdout.strip().splitlines()
    assert verdict.startswith("rejected: body over the")
    assert int(peak_mb) < 300


def test_a_zstd_bomb_is_rejected_by_the_client_at_its_limit() -> None:
    with ScriptedServer() as server:
        server.route("bomb", Reply(200, zstd_bomb(64 * MIB), {"Content-Encoding": "zstd"}))
        http = HttpClient(delay=0, ignore_robots=True, max_bytes=MIB)
        with http, pytest.raises(ContentRejected, match="limit"):
            http.fetch(server.url("bomb"))
