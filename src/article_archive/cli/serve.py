"""Commands that open a browser's way in: `serve` and `demo`."""

from __future__ import annotations

from pathlib import Path

import click

from article_archive.cli.app import cli, default_archive
from article_archive.console import DEFAULT_DB, require_archive


@cli.command()
@click.argument("dbs", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--db",
    "db_paths",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Archive to serve, as the other commands take it (repeatable; default {DEFAULT_DB}).",
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to bind; 0.0.0.0 exposes it."
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8001,
    show_default=True,
    help="Port to listen on (0: any free port; the address served is printed).",
)
def serve(dbs: tuple[Path, ...], db_paths: tuple[Path, ...], host: str, port: int) -> None:
    """Serve one or several archives in the browser (Datasette + reader pages).

    Several archives get one front page listing every site and one search over all of
    them (/-/search), each archive keeping its own pages.

    \b
    Example:
        article-archive serve archive.db --port 8001
        article-archive serve --db demo.db
        article-archive serve site-a.db site-b.db
    """
    from article_archive.web.serve import serve as run_server

    paths = list(dict.fromkeys([*dbs, *db_paths])) or [default_archive()]
    for path in paths:
        require_archive(path, given=bool(dbs or db_paths))
    run_server(paths, host=host, port=port, echo=click.echo)


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option(
    "--db",
    "db_path",
    default="demo.db",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option(
    "--site-port",
    type=click.IntRange(0, 65535),
    default=8002,
    show_default=True,
    help="Port of the sample site on loopback (0: any free port).",
)
@click.option("--no-serve", is_flag=True, help="Build the archive and stop.")
def demo(port: int, db_path: Path, site_port: int, no_serve: bool) -> None:
    """Crawl the bundled sample site, then serve the archive.

    Replaces only an archive the demo built itself; any other file at --db is left alone.

    \b
    Example:
        article-archive demo --port 8001
        article-archive demo --port 8011 --site-port 8012
    """
    from article_archive.demo import run_demo

    run_demo(db_path, port=port, serve=not no_serve, site_port=site_port, echo=click.echo)
