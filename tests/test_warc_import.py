"""import FILE.warc[.gz]|FILE.wacz: WARCs of any tool archived as if crawled."""

from __future__ import annotations

import base64
import gzip
import hashlib
import importlib
import io
import zlib
from pathlib import Path

import brotli
import httpx
import pytest
import sqlite_utils
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from article_archive.extract import extract
from article_archive.store.pages import load_body
from article_archive_sample.server import SampleSite
from warc_sample import http_response, run_cli

HTML = [("Content-Type", "text/html; charset=utf-8")]


@pytest.fixture(scope="module")
def pages():
    """Three article pages of the sample site as it serves them: {url: raw body}."""
    with SampleSite() as site, httpx.Client() as http:
        urls = [site.base_url + f"spip.php?article{n}" for n in (8, 24, 41)]
        found = {}
        for url in urls:
            answer = http.get(url, follow_redirects=True)
            assert answer.status_code == 200
            found[str(answer.url)] = answer.content
    return found


def _titles(db_path: Path) -> dict[str, str]:
    db = sqlite_utils.Database(db_path)
    rows = dict(db.execute("SELECT url, title FROM articles").fetchall())
    db.close()
    return rows


def _expected(pages: dict[str, bytes]) -> dict[str, str]:
    """What the crawl would store: the extractor's article of each page."""
    return {(a := extract(body, url))["url"]: a["title"] for url, body in pages.items()}


def _warc(pages: dict[str, bytes], *, gzip_records: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip_records)
    for url, body in pages.items():
        http_response(writer, url, body, [*HTML, ("Content-Length", str(len(body)))])
    return out.getvalue()


@pytest.mark.parametrize("name", ["two.warc", "two.warc.gz", "whole.warc.gz"])
def test_every_record_of_a_warc_becomes_an_article(pages, tmp_path, name):
    two = dict(list(pages.items())[:2])
    path = tmp_path / name
    data = _warc(two, gzip_records=name == "two.warc.gz")
    path.write_bytes(gzip.compress(data) if name == "whole.warc.gz" else data)
    db_path = tmp_path / "a.db"
    result = run_cli("import", str(path), "--db", str(db_path))  # no --base-url needed
    assert result.exit_code == 0, result.output
    assert "new 2" in result.stdout and "failed 0" in result.stdout
    assert _titles(db_path) == _expected(two)
    again = run_cli("import", str(path), "--db", str(db_path))
    assert "new 0" in again.stdout and "unchanged 2" in again.stdout


def _chunked(data: bytes, size: int = 1000) -> bytes:
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def test_chunked_and_compressed_payloads_are_decoded(pages, tmp_path):
    (url1, body1), (url2, body2), (url3, body3) = pages.items()
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    zipped = gzip.compress(body1)
    chunk = [("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")]
    http_response(writer, url1, _chunked(zipped), [*HTML, *chunk])
    squeezed = brotli.compress(body2)
    http_response(writer, url2, squeezed, [*HTML, ("Content-Encoding", "br")])
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    deflated = raw_deflate.compress(body3) + raw_deflate.flush()  # as some old servers send it
    coded = [("Transfer-Encoding", "chunked"), ("Content-Encoding", "deflate")]
    http_response(writer, url3, _chunked(deflated, 333), [*HTML, *coded])
    path = tmp_path / "encoded.warc.gz"
    path.write_bytes(out.getvalue())
    db_path = tmp_path / "a.db"
    result = run_cli("import", str(path), "--db", str(db_path))
    assert "new 3" in result.stdout, result.output
    db = sqlite_utils.Database(db_path)
    stored = {url: load_body(db, pid) for url, pid in db.execute("SELECT url, id FROM pages")}
    db.close()
    assert stored == pages  # the bodies as served, without transfer or content coding


def test_a_revisit_resolves_to_the_payload_it_refers_to(pages, tmp_path):
    url, body = next(iter(pages.items()))
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    http_response(writer, url, body, HTML, **{"WARC-Date": "2024-01-01T00:00:00Z"})
    # the payload digest every WARC writer uses by default: base32 SHA-1 of the body
    digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
    mirror = url.replace("127.0.0.1", "localhost")
    http = StatusAndHeaders("200 OK", HTML, protocol="HTTP/1.1")
    revisit = writer.create_revisit_record(
        mirror, digest, url, "2024-01-01T00:00:00Z", http_headers=http
    )
    writer.write_record(revisit)
    path = tmp_path / "revisit.warc"
    path.write_bytes(out.getvalue())
    db_path = tmp_path / "a.db"
    result = run_cli("import", str(path), "--db", str(db_path))
    assert result.exit_code == 0 and "failed 0" in result.stdout, result.output
    db = sqlite_utils.Database(db_path)
    page = db.execute("SELECT id, status FROM pages WHERE url = ?", [mirror]).fetchone()
    assert page[1] == 200 and load_body(db, page[0]) == body
    db.close()


def test_a_revisit_of_nothing_is_reported(pages, tmp_path):
    url, _body = next(iter(pages.items()))
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    http = StatusAndHeaders("200 OK", HTML, protocol="HTTP/1.1")
    writer.write_record(
        writer.create_revisit_record(url, "sha1:AAAA", url, "2024-01-01T00:00:00Z", http)
    )
    path = tmp_path / "orphan.warc"
    path.write_bytes(out.getvalue())
    result = run_cli("import", str(path), "--db", str(tmp_path / "a.db"))
    assert "record at offset 0: revisit of a record not found" in result.stderr


def _records(pages: dict[str, bytes], *, gzip_records: bool) -> list[bytes]:
    """Each page as one WARC record's bytes."""
    return [_warc({url: body}, gzip_records=gzip_records) for url, body in pages.items()]


def _offsets(result_text: str) -> list[int]:
    import re

    return [int(n) for n in re.findall(r"record at offset (\d+)", result_text)]


def test_garbled_and_truncated_records_are_reported_and_skipped(pages, tmp_path):
    one, two, three = _records(pages, gzip_records=False)
    garbage = b"WARC/1.0\r\nthis is not a header\r\n\r\nnonsense\r\n\r\n"
    data = one + garbage + two + three[: len(three) // 2]
    path = tmp_path / "damaged.warc"
    path.write_bytes(data)
    db_path = tmp_path / "a.db"
    result = run_cli("import", str(path), "--db", str(db_path))
    assert result.exit_code == 0
    assert _offsets(result.stderr) == [len(one), len(one) + len(garbage) + len(two)]
    assert _titles(db_path) == _expected(dict(list(pages.items())[:2]))


def test_a_corrupt_gzip_member_is_skipped(pages, tmp_path):
    one, two, three = _records(pages, gzip_records=True)
    broken = two[:40] + bytes(b ^ 0x5A for b in two[40:200]) + two[200:]
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(one + broken + three)
    db_path = tmp_path / "a.db"
    result = run_cli("import", str(path), "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert _offsets(result.stderr)[0] == len(one)
    first, _second, third = pages.items()
    assert _titles(db_path) == _expected(dict([first, third]))


def test_a_file_that_is_no_warc_fails_with_a_message(tmp_path):
    path = tmp_path / "notes.warc.gz"
    path.write_bytes(b"just some text, not a web archive\n" * 10)
    result = run_cli("import", str(path), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 1
    assert "record at offset 0" in result.stderr
    assert "nothing could be imported" in result.output


def test_saved_html_still_needs_a_base_url(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>hello</p></body></html>")
    result = run_cli("import", str(page), "--db", str(tmp_path / "a.db"))
    assert result.exit_code == 1
    assert "--base-url is required" in result.output


def test_an_extractor_bug_on_one_page_does_not_stop_the_import(pages, tmp_path, monkeypatch):
    extract_module = importlib.import_module("article_archive.extract")  # the module
    first, second = list(pages.items())[:2]
    real = extract_module.extract

    def flaky(body, url=None, headers=None):
        if url == first[0]:
            raise RuntimeError("extractor bug")
        return real(body, url, headers)

    monkeypatch.setattr(extract_module, "extract", flaky)
    path = tmp_path / "two.warc"
    path.write_bytes(_warc(dict([first, second]), gzip_records=False))
    db_path = tmp_path / "a.db"
    result = run_cli("import", str(path), "--db", str(db_path))
    assert result.exit_code == 0
    assert "new 1" in result.stdout and "failed 1" in result.stdout
    assert "record at offset 0: RuntimeError: extractor bug" in result.stderr
    assert _titles(db_path) == _expected(dict([second]))
