"""Per-page warnings are kept on the page's row and counted, not printed once per page."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from servers import Reply, ScriptedServer

CLI = [sys.executable, "-m", "article_archive.cli"]
PARAGRAPH = "<p>Un article de test, écrit en français, assez long pour être un article.</p>"


def _page(title: str, stray: bytes = b"") -> bytes:
    """A UTF-8 article; ``stray`` bytes that are not UTF-8 go in its middle (one bad byte)."""
    head = f"<html lang='fr'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
    body = (head + PARAGRAPH * 10).encode() + stray + (PARAGRAPH * 10 + "</article>").encode()
    return body + b"</body></html>"


def test_a_page_with_bytes_that_do_not_decode_is_archived_with_its_warning(tmp_path: Path):
    db = tmp_path / "a.db"
    with ScriptedServer() as server:
        server.route("/bad.html", Reply(200, _page("Grève", stray=b"caf\xe9 ")))
        server.route("/good.html", Reply(200, _page("Manifestation")))
        pages = [server.url("/bad.html"), server.url("/good.html")]
        options = ["--db", str(db), "--quiet", "--delay", "0", "--ignore-robots"]
        result = subprocess.run(
            [*CLI, "crawl", *pages, *options],
            capture_output=True,
            text=True,
            timeout=120,
        )
        status = subprocess.run(
            [*CLI, "status", "--db", str(db)], capture_output=True, text=True, timeout=60
        )
    assert result.returncode == 0, result.stderr
    assert "new 2" in result.stdout
    assert "1 with warnings (see status)" in result.stdout
    assert "could not be read" not in result.stderr  # on the row, not in the terminal
    with closing(sqlite3.connect(db)) as conn:
        rows = dict(conn.execute("SELECT url, warnings FROM pages WHERE kind = 'article'"))
    assert rows[server.url("/good.html")] is None
    (warning,) = json.loads(rows[server.url("/bad.html")])
    assert warning == "1 byte(s) could not be read as utf-8 (replaced)"
    assert "Warnings:  1 page(s) archived with a warning" in status.stdout
    assert server.url("/bad.html") in status.stdout
