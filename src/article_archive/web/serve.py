"""Serving an archive: a Datasette instance with our plugin, run by uvicorn on loopback."""

from __future__ import annotations

import logging
import shutil
import threading
import webbrowser
from pathlib import Path

from datasette.app import Datasette

from article_archive.errors import DatabaseError
from article_archive.store.identity import open_for_reading, writable

log = logging.getLogger(__name__)

#: Below this much free space a WAL reader cannot count on making its -shm file.
MIN_FREE_BYTES = 1 << 20

SETTINGS = {
    "default_page_size": 50,
    # Any visitor's SQL (the SQL page, ``?sql=``, table filters) stops after this; our own
    # pages run through ``execute_fn``, which no time limit cuts.
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    # Facet suggestions cost ~75 % of a ``?_search=`` on a large archive; facets stay on.
    "suggest_facets": False,
    # ``.csv?_stream=on`` gives every row (SPEC.md), not the first 100 MB.
    "max_csv_mb": 0,
    "allow_download": False,  # the raw database file is the user's, not the web's
}


def make_datasette(db_path: str | Path, *more: str | Path) -> Datasette:
    """A Datasette over the archive at ``db_path`` and any ``more`` archives (metadata and
    pages come from the plugin)."""
    files: list[str] = []
    immutables: list[str] = []
    for path in map(Path, (db_path, *more)):
        if not path.is_file():
            raise DatabaseError(f"no archive at {path}; crawl a site first or give the right path")
        if writable(path) and shutil.disk_usage(path.parent).free >= MIN_FREE_BYTES:
            files.append(str(path))
            continue
        # A read-only file or folder, or a full disk: Datasette could not make the -shm a WAL
        # reader needs, so the file is served as the snapshot it is (no crawl can write it now).
        log.warning("%s cannot be written: serving it read-only as it is", path)
        immutables.append(str(path))
    return Datasette(files, immutables=immutables, settings=SETTINGS, cors=False)


def serve(
    db_path: str | Path,
    *more: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    open_browser: bool = False,
) -> None:
    """Serve the archive until interrupted; binds to loopback unless ``host`` says otherwise."""
    import uvicorn

    ds = make_datasette(db_path, *more)  # refuses a missing file before anything is created
    # Bring an archive made by an older version up to the current schema (new indexes) before
    # Datasette reads it, when it can be written; serving itself never writes.
    for path in (db_path, *more):
        open_for_reading(Path(path)).close()
    url = f"http://{host}:{port}/"
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: anyone who can reach this address can read the archive", host)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    log.info("serving %s at %s", ", ".join(map(str, (db_path, *more))), url)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
