"""Commands that read pages from files or the archive itself: `extract`, `import`, `reparse`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from article_archive.cli.app import archive_path, cli, db_option
from article_archive.console import page_address
from article_archive.errors import UserError


@cli.command()
@click.argument("source")
@click.option(
    "--url",
    help="The page's address when SOURCE is a file "
    "(default: its <link rel=canonical>, else og:url).",
)
def extract(source: str, url: str | None) -> None:
    """Extract one page and print the article as JSON; no database.

    \b
    Example:
        article-archive extract saved-page.html --url https://example.org/spip.php?article12
        article-archive extract https://example.org/spip.php?article12
    """
    from article_archive.extract import extract as extract_page
    from article_archive.store.read import article_record

    if source.startswith(("http://", "https://")):
        from article_archive.fetch.client import fetch_one

        result = fetch_one(source)
        article = extract_page(result.body, result.final_url, result.headers)
    else:
        path = Path(source)
        if not path.is_file():
            raise UserError(f"no such file: {source} (give a saved HTML file or an http(s) URL)")
        html = path.read_bytes()
        article = extract_page(html, url or page_address(html))
    click.echo(json.dumps(article_record(article), ensure_ascii=False, indent=2))


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--base-url", help="Address the saved HTML files were served from (not needed for WARCs)."
)
@db_option
def import_(paths: tuple[Path, ...], base_url: str | None, db_path: Path) -> None:
    """Ingest saved HTML files or folders, WARC and WACZ files, as if crawled.

    WARC (.warc, .warc.gz) and WACZ files carry their addresses; saved HTML
    needs --base-url. Bad WARC records are reported with their offset.

    \b
    Example:
        article-archive import saved/ --base-url https://www.europe-solidaire.org/
        article-archive import site.warc.gz other.wacz --db archive.db
    """
    from article_archive.discover.urls import check_seed_url
    from article_archive.ingest import import_sources

    base = check_seed_url(base_url) if base_url else None
    summary = import_sources(archive_path(db_path, must_exist=False), list(paths), base)
    for error in summary.errors:
        click.echo(f"warning: {error}", err=True)
    click.echo(summary.line())
    if summary.fetched == 0 and summary.failed:
        raise UserError("nothing could be imported (see the warnings above)")


@cli.command()
@db_option
@click.option(
    "--workers", type=click.IntRange(min=1, max=256), help="Processes (default: all cores)."
)
def reparse(db_path: Path, workers: int | None) -> None:
    """Extract every stored page again, offline (after an upgrade).

    \b
    Example:
        article-archive reparse --db archive.db
    """
    from article_archive.reparse import reparse as run_reparse

    archive_path(db_path)
    counts = run_reparse(db_path, workers=workers)
    click.echo(", ".join(f"{key}: {value}" for key, value in counts.items()))
