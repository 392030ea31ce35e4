"""Serving an archive: a Datasette instance with our plugin, run by uvicorn on loopback."""

from __future__ import annotations

import logging
import shutil
import threading
import webbrowser
from collections.abc import Callable, Sequence
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
    # Datasette offers the file only when it is served read-only (immutable): a mutable
    # archive, being written by a crawl, is never downloadable.
    "allow_download": True,
}


def _paths(db_path: str | Path | Sequence[str | Path], more: tuple[str | Path, ...]) -> list[Path]:
    first = [Path(db_path)] if isinstance(db_path, str | Path) else [Path(p) for p in db_path]
    return [*first, *map(Path, more)]


def make_datasette(
    db_path: str | Path | Sequence[str | Path], *more: str | Path, immutable: bool = False
) -> Datasette:
    """A Datasette over the archive(s) given (metadata and pages come from the plugin).

    ``immutable`` serves the files read-only, which also lets visitors download them.
    """
    paths = _paths(db_path, more)
    for path in paths:
        if not path.is_file():
            raise DatabaseError(f"no archive at {path}; crawl a site first or give the right path")
    live = [
        p
        for p in paths
        if not immutable and writable(p) and shutil.disk_usage(p.parent).free >= MIN_FREE_BYTES
    ]
    # A read-only file or folder, or a full disk: Datasette could not make the -shm a WAL
    # reader needs, so the file is served as the snapshot it is (no crawl can write it now).
    frozen = [p for p in paths if p not in live]
    for path in frozen if not immutable else []:
        log.warning("%s cannot be written: serving it read-only as it is", path)
    return Datasette(
        [str(p) for p in live], immutables=[str(p) for p in frozen], settings=SETTINGS, cors=False
    )


def serve(
    db_path: str | Path | Sequence[str | Path],
    *more: str | Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    open_browser: bool = False,
    echo: Callable[[str], None] | None = None,
) -> None:
    """Serve the archive(s) until interrupted; binds to loopback unless ``host`` says otherwise.

    The port is bound before the server starts: a busy one is a one-line error naming it, and
    ``echo`` is told the address actually served (``--port 0`` picks a free one).
    """
    import uvicorn

    from article_archive.console import bind_port

    paths = _paths(db_path, more)
    ds = make_datasette(paths)  # refuses a missing file before anything is created
    # Bring an archive made by an older version up to the current schema (new indexes) before
    # Datasette reads it, when it can be written; serving itself never writes.
    for path in paths:
        open_for_reading(path).close()
    sock = bind_port(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/"
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("serving on %s: anyone who can reach this address can read the archive", host)
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [url]).start()
    names = ", ".join(str(p) for p in paths)
    (echo or log.info)(f"Serving {names} at {url}  (Ctrl-C to stop)")
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
