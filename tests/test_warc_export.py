"""export --format warc|wacz: every capture with its original headers and body."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
import zlib

import pytest
import sqlite_utils

from warc_sample import add_media, article_pages, crawl_sample, payloads, responses, run_cli

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("warc-export") / "archive.db"
    base = crawl_sample(db_path)
    return db_path, base


def test_warc_holds_every_page_byte_for_byte(crawled, tmp_path):
    db_path, _base = crawled
    out = tmp_path / "archive.warc.gz"
    result = run_cli("export", "--db", str(db_path), "--format", "warc", "--output", str(out))
    assert result.exit_code == 0, result.output
    with out.open("rb") as fh:
        assert fh.read(2) == b"\x1f\x8b"  # gzipped, as the name says
    records = responses(out)
    db = sqlite_utils.Database(db_path)
    pages = db.execute(
        "SELECT coalesce(final_url, url), body, headers FROM pages WHERE body IS NOT NULL"
    ).fetchall()
    db.close()
    assert len(pages) > 40
    for url, body, headers in pages:
        statusline, http, payload = records[url]
        assert statusline == "200 OK"
        assert payload == zlib.decompress(body)
        stored = json.loads(headers)
        sent = {name.lower(): value for name, value in http}
        assert sent["content-type"] == stored["content-type"]
        assert sent["content-length"] == str(len(payload))
        assert "content-encoding" not in sent  # the stored body is the decoded one
        if "etag" in stored:
            assert sent["etag"] == stored["etag"]
    assert f"{len(records)} captures" in result.stderr


def test_warc_includes_media_and_capture_history(crawled, tmp_path):
    db_path, base = crawled
    copy = tmp_path / "copy.db"
    copy.write_bytes(db_path.read_bytes())
    image_url = base + "IMG/test-pixel.png"
    add_media(copy, image_url, PNG, "image/png")
    old_url = base + "an-older-version"
    old = b"<html><body><p>first version</p></body></html>"
    row = {"url": old_url, "final_url": old_url, "status": 200, "content_type": "text/html"}
    row.update(fetched_at="2025-01-01T00:00:00+00:00", headers='{"content-type": "text/html"}')
    row.update(sha256=hashlib.sha256(old).hexdigest(), body=zlib.compress(old), body_size=len(old))
    db = sqlite_utils.Database(copy)
    db["captures"].insert(row, pk="id", alter=True)  # an earlier capture, as the history keeps it
    db.close()
    out = tmp_path / "all.warc"
    result = run_cli("export", "--db", str(copy), "--format", "warc", "--output", str(out))
    assert result.exit_code == 0, result.output
    with out.open("rb") as fh:
        assert fh.read(7) == b"WARC/1."  # a .warc is written uncompressed
    records = responses(out)
    assert records[image_url][2] == PNG
    assert ("content-type", "image/png") in [(k.lower(), v) for k, v in records[image_url][1]]
    written = payloads(out)
    db = sqlite_utils.Database(copy)
    history = [(row.get("final_url") or row["url"], row["body"]) for row in db["captures"].rows]
    db.close()
    assert (old_url, old) in written
    for url, body in history:
        assert (url, zlib.decompress(body)) in written


def test_wacz_is_valid_and_lists_the_articles(crawled, tmp_path):
    db_path, _base = crawled
    out = tmp_path / "archive.wacz"
    result = run_cli("export", "--db", str(db_path), "--format", "wacz", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the wacz tool's chatter does not leak out
    # the wacz tool's own validator (in a process of its own: it leaves files open)
    check = [sys.executable, "-m", "wacz", "validate", "-f", str(out)]
    validated = subprocess.run(check, capture_output=True, text=True, timeout=300)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "is valid" in validated.stdout
    with zipfile.ZipFile(out) as package:
        names = package.namelist()
        lines = package.read("pages/pages.jsonl").decode().splitlines()
    assert {"datapackage.json", "indexes/index.cdx.gz", "pages/pages.jsonl"} <= set(names)
    assert any(name.startswith("archive/") and name.endswith(".warc.gz") for name in names)
    pages = {page["url"]: page["title"] for page in map(json.loads, lines[1:])}
    expected = {url: title for url, title, _body in article_pages(db_path)}
    assert pages == expected


def test_wacz_needs_an_output_file(crawled):
    db_path, _base = crawled
    result = run_cli("export", "--db", str(db_path), "--format", "wacz")
    assert result.exit_code == 1
    assert "--output" in result.output


def test_warc_goes_to_stdout_without_output(crawled, tmp_path):
    db_path, _base = crawled
    result = run_cli("export", "--db", str(db_path), "--format", "warc")
    assert result.exit_code == 0
    piped = tmp_path / "stdout.warc.gz"
    piped.write_bytes(result.stdout_bytes)
    written = tmp_path / "file.warc.gz"
    run_cli("export", "--db", str(db_path), "--format", "warc", "--output", str(written))
    assert len(payloads(piped)) > 40
    assert payloads(piped) == payloads(written)
    refused = run_cli("export", "--db", str(db_path), "--format", "warc", "--search", "x")
    assert refused.exit_code == 1
