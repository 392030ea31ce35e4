"""Serving an archive: a Datasette instance with our plugin, run by uvicorn on loopback."""

from __future__ import annotations

import logging
import threading
import webbrowser
from pathlib import Path

from datasette.app import Datasette

from article_archive.errors import DatabaseError
from article_archive.store import open_archive

log = logging.getLogger(__name__)

SETTINGS = {
    "default_page_size": 50,
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    # Datasette offers the file only when it is served read-only (immutable): a mutable
    # archive, being written by a crawl, is never downloadable.
    "allow_download": True,
}


def make_datasette(db_path: str | Path, immutable: bool = False) -> Datasette:
    """A Datasette over the archive at ``db_path`` (metadata and pages come from the plugin).

    ``immutable`` serves the file read-only, which also lets visitors download it.
    """
    path = Path(db_path)
    if not path.is_file():
        raise DatabaseError(f"no archive at {path}; crawl a site first or give the right path")
    if immutable:
        return Datasette(immutables=[str(path)], settings=SETTINGS, cors=False)
    return Datasette([str(path)], settings=SETTINGS, cors=False)


def serve(
    db_path: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    open_browser: bool = False,
) -> None:
    """Serve the archive until interrupted; binds to loopback unless ``host`` says otherwise."""
    import uvicorn

    ds = make_datasette(db_path)  # refuses a missing file before anything is created
    # Bring an archive made by an older version up to the current schema (new indexes) before
    # Datasette reads it; serving itself never writes.
    open_archive(db_path).close()
    url = f"http://{host}:{port}/"
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: anyone who can reach this address can read the archive", host)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    log.info("serving %s at %s", db_path, url)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
