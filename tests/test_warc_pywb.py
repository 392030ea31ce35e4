"""An exported WARC replayed by pywb, a real wayback server, gives back the original bytes.

pywb runs from its own venv (``make pywb``), in a subprocess on loopback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from servers import free_port
from warc_sample import add_media, article_pages, crawl_sample, run_cli

# pywb has a venv of its own (`make pywb`): its brotlipy would shadow the fetcher's Brotli.
BIN = Path(os.environ.get("AA_PYWB_BIN", Path(sys.executable).parent.parent / "pywb" / "bin"))

# Skipped only outside CI; in CI `make test` builds pywb first, so its absence fails instead.
pytestmark = pytest.mark.skipif(
    not (BIN / "wayback").exists() and not os.environ.get("CI"),
    reason=f"pywb not installed in {BIN}: run `make pywb`",
)


def _wb(args: list[str], cwd: Path) -> None:
    command = [str(BIN / "wb-manager"), *args]
    done = subprocess.run(command, cwd=cwd, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()


@pytest.fixture
def wayback(tmp_path):
    """Start pywb on loopback over a collection; yields a function adding WARCs, and its URL."""
    root = tmp_path / "pywb"
    root.mkdir()
    _wb(["init", "coll"], root)
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/coll/"
    try:
        yield root, base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _replayed(base: str, stamp: str, url: str) -> httpx.Response:
    """The archived answer of ``url`` in pywb's raw (``id_``) mode, waiting for it to start."""
    deadline = time.monotonic() + 120  # the machine is shared: pywb may start slowly
    while True:
        try:
            return httpx.get(f"{base}{stamp}id_/{url}", follow_redirects=True, timeout=60)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.parametrize("name", ["archive.warc.gz", "archive.wacz"])
def test_pywb_replays_articles_and_images_byte_identical(tmp_path, wayback, name):
    root, base = wayback
    db_path = tmp_path / "archive.db"
    site = crawl_sample(db_path)
    pages = article_pages(db_path)
    assert len(pages) > 10
    image_path = "IMG/arton8.png"
    image = (Path(__file__).parent.parent / "data" / "sample-site" / image_path).read_bytes()
    add_media(db_path, site + image_path, image, "image/png")
    out = tmp_path / name
    fmt = "wacz" if name.endswith(".wacz") else "warc"
    exported = run_cli("export", "--db", str(db_path), "--format", fmt, "-o", str(out))
    assert exported.exit_code == 0
    _wb(["add", *(["--unpack-wacz"] if fmt == "wacz" else []), "coll", str(out)], root)
    stamp = "2030"  # pywb answers the capture closest to the date asked
    for url, _title, body in pages:
        answer = _replayed(base, stamp, url)
        assert answer.status_code == 200
        assert answer.content == body
        assert re.search(rb"<h1[^>]*>", body), "an article page, not an error page"
    answer = _replayed(base, stamp, site + image_path)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/png"
    assert answer.content == image
