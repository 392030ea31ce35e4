"""`article-archive demo`: the real crawl path over the bundled sample site, then the reader.

The sample site is a separate top-level package (``article_archive_sample``) shipped in the same
wheel; this is the only product module that imports it, and only when the demo runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.store import open_archive
from article_archive.store.identity import check_demo_target, mark_demo

if TYPE_CHECKING:
    from article_archive_sample.server import SampleSite

log = logging.getLogger(__name__)

#: The sample site's own port: fixed so archived URLs stay the same from one demo to the next.
SAMPLE_SITE_PORT = 8002


def build_demo_archive(db_path: Path, *, site: SampleSite) -> str:
    """Crawl the running sample site (backfill) into a fresh ``db_path``; return the summary.

    Only a file the demo made itself is replaced (``DatabaseError`` otherwise, file untouched).
    """
    check_demo_target(db_path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = open_archive(db_path)
    try:
        mark_demo(db)
    finally:
        db.close()
    options = CrawlOptions(backfill=True, delay=0.0, progress=False)
    return run_crawl(db_path, [site.base_url], options).line()


def run_demo(
    db_path: Path,
    *,
    port: int = 8001,
    serve: bool = True,
    site_port: int = SAMPLE_SITE_PORT,
    echo: Callable[[str], None] = print,
) -> None:
    """Serve the sample site on loopback, crawl it into ``db_path`` and serve the archive."""
    from article_archive_sample.server import SampleSite

    check_demo_target(db_path)
    with SampleSite(port=site_port) as site:
        echo(f"Sample SPIP site running at {site.base_url}")
        echo(f"Crawling it into {db_path} …")
        echo(build_demo_archive(db_path, site=site))
        if not serve:
            return
        from article_archive.web.serve import serve as run_server

        echo(f"Archive served at http://127.0.0.1:{port}/  (Ctrl-C to stop)")
        run_server(db_path, host="127.0.0.1", port=port)
