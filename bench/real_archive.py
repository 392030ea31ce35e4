"""The web pages on an archive of real SPIP pages (../shared/spip-pages/, read at run time).

The real pages are imported through `article-archive import` (the crawl's storage path), then
every page of the plugin is requested for every article through Datasette: reader, lists by
section / author / keyword / year, a search for a word of the title, the Atom feeds and the
exports. Prints one line per article and request count, exits 1 on any failure.

Run: .venv/bin/python bench/real_archive.py
"""

from __future__ import annotations

import asyncio
import html
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from article_archive.ingest import import_paths
from article_archive.web.serve import make_datasette

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """The shared folder, from the environment or beside the repository."""
    env = os.environ.get("ARTICLE_ARCHIVE_SHARED")
    candidate = Path(env) if env else REPO.parent / "shared"
    return candidate if (candidate / "spip-pages").is_dir() else None


def addresses(db: sqlite_utils.Database, row: dict) -> list[str]:
    """Every plugin address that should show this article."""
    first_word = max(row["title"].split(), key=len).strip("«»:,.’'")
    urls = [
        f"/archive/articles/{row['id']}/read",
        f"/archive/articles/{row['id']}.md",
        f"/archive/articles/{row['id']}.json",
        f"/archive/search?q={quote(first_word)}",
        f"/archive/export.csv?q={quote(first_word)}",
        f"/archive/feed.atom?q={quote(first_word)}",
    ]
    if row["section"]:
        urls.append(f"/archive/section/{quote(row['section'])}")
    if row["year"]:
        urls.append(f"/archive/year/{row['year']}")
    for (author_id,) in db.execute(
        "select author_id from article_authors where article_id = ?", [row["id"]]
    ):
        urls.append(f"/archive/author/{author_id}")
    for (keyword_id,) in db.execute(
        "select keyword_id from article_keywords where article_id = ?", [row["id"]]
    ):
        urls.append(f"/archive/keyword/{keyword_id}")
    return urls


async def check(db_path: Path) -> int:
    """Request every address; return the number of failures."""
    ds = make_datasette(db_path)
    await ds.invoke_startup()
    db = sqlite_utils.Database(db_path)
    failures = 0
    for path in ("/", "/archive/articles", "/archive/feed.atom", "/archive/export.jsonl"):
        response = await ds.client.get(path)
        if response.status_code != 200:
            failures += 1
            print(f"FAIL {response.status_code} {path}")
    for row in db.query("select id, title, section, year, url from articles order by id"):
        paths = addresses(db, row)
        bad = []
        started = time.perf_counter()
        for path in paths:
            response = await ds.client.get(path)
            text = html.unescape(re.sub(r"<[^>]+>", "", response.text))  # highlights, escapes
            shown = row["title"][:20] in text or path.endswith((".csv", ".atom"))
            if response.status_code != 200 or not shown:
                bad.append(f"{response.status_code} {path}")
        elapsed = (time.perf_counter() - started) * 1000
        failures += len(bad)
        verdict = "ok  " if not bad else "FAIL"
        title = row["title"][:50]
        print(f"{verdict} {len(paths):2d} pages {elapsed:6.1f} ms  {title}  <{row['url']}>")
        for line in bad:
            print(f"       {line}")
    return failures


def main() -> int:
    """Import the real pages into a fresh archive and check every page of the plugin."""
    shared = shared_dir()
    if shared is None:
        print("real_archive: no shared folder (set ARTICLE_ARCHIVE_SHARED or create ../shared).")
        return 0
    pages = sorted((shared / "spip-pages").glob("*.html"))
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "archive.db"
        summary = import_paths(db_path, pages, "https://real-pages.invalid/")
        print(summary.line())
        db = sqlite_utils.Database(db_path)
        print(json.dumps({"articles": db["articles"].count, "pages": db["pages"].count}))
        failures = asyncio.run(check(db_path))
    print(f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
