"""Commands that read the archive out or take from it: `export`, `status`, `forget`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from article_archive.cli.app import archive_path, cli, db_option
from article_archive.errors import UserError


@cli.command()
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "jsonl", "warc", "wacz"]),
    default="csv",
    show_default=True,
)
@click.option("--search", "query", help="Only articles matching this query (the search page's).")
@click.option("--site", help="Only this site (host name, as in the articles' site column).")
@click.option("--section", help="Only this section and its sub-rubrics.")
@click.option("--author", help="Only this author (id, as in /author/ID).")
@click.option("--keyword", help="Only this keyword (id, as in /keyword/ID).")
@click.option("--lang", help="Only this language (fr, en, …).")
@click.option("--year", help="Only this year of publication.")
@click.option("--from", "date_from", help="Published on or after (2023, 2023-10, 2023-10-12).")
@click.option("--to", "date_to", help="Published on or before (2023, 2023-10, 2023-10-12).")
@click.option(
    "--sort",
    type=click.Choice(["newest", "oldest", "relevance"]),
    default="newest",
    show_default=True,
)
@click.option("--excel", is_flag=True, help="CSV for spreadsheet programs (UTF-8 with BOM, CRLF).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: stdout).",
)
def export(
    db_path: Path,
    fmt: str,
    query: str | None,
    excel: bool,
    output: Path | None,
    sort: str,
    date_from: str | None,
    date_to: str | None,
    **filters: str | None,
) -> None:
    """Write articles out as CSV, JSON or JSON lines; every capture as WARC or WACZ.

    --search and the filters select exactly what the search page finds for the same
    query and filters (quotes, -word, OR, prefix*).

    \b
    Example:
        article-archive export --search "grève OR strike" --output greves.csv
        article-archive export --search "Japon -nucléaire" --format json
        article-archive export --section Asie --format jsonl > asie.jsonl
        article-archive export --format warc --output archive.warc.gz
    """
    from article_archive.export import export_articles
    from article_archive.search import SearchRequest
    from article_archive.store.identity import open_for_reading

    if fmt in ("warc", "wacz"):
        from article_archive.warc.cli import export_captures

        if query or excel or date_from or date_to or any(filters.values()):
            raise UserError(f"--search, the filters and --excel select articles; {fmt} has all")
        export_captures(db_path, fmt, output, echo=click.echo)
        return
    args = {**filters, "q": query, "from": date_from, "to": date_to, "sort": sort}
    request = SearchRequest.from_args({k: v for k, v in args.items() if v is not None})
    if request.messages:
        raise UserError(request.messages[0])
    if query is not None and not request.q:
        raise UserError("--search is empty: give words to search for")
    db = open_for_reading(archive_path(db_path))
    try:
        if output is None:
            count = export_articles(db, sys.stdout.buffer, fmt=fmt, request=request, excel=excel)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                count = export_articles(db, out, fmt=fmt, request=request, excel=excel)
            click.echo(f"{count} articles written to {output}", err=True)
    finally:
        db.close()


@cli.command()
@db_option
def status(db_path: Path) -> None:
    """Counts of articles, pages by state, failures, last crawl.

    \b
    Example:
        article-archive status --db archive.db
    """
    from article_archive.status import archive_status, format_status
    from article_archive.store.identity import open_for_reading

    click.echo(format_status(archive_status(open_for_reading(archive_path(db_path)))))


@cli.command()
@click.argument("targets", nargs=-1, required=True, metavar="URL|ID...")
@db_option
@click.option(
    "--captures",
    is_flag=True,
    help="Also delete its raw pages, captures and the media only it uses.",
)
@click.option("--reason", help="Why, kept with the record (a takedown request, a mistake).")
def forget(targets: tuple[str, ...], db_path: Path, captures: bool, reason: str | None) -> None:
    """Remove articles everywhere and keep later crawls from bringing them back.

    An article goes from the reader, search, lists, feeds and exports; the address is
    recorded in the table `forgotten`, which crawls obey. The raw captures stay unless
    --captures is given.

    \b
    Example:
        article-archive forget https://example.org/spip.php?article12 --reason "takedown"
        article-archive forget 12 57 --captures --db archive.db
    """
    from article_archive.discover.urls import check_seed_url
    from article_archive.store.forget import forget_in

    # An id as it is; an address in the form the crawl writes (a bad one refused here).
    named = [t.strip() if t.strip().isdigit() else check_seed_url(t) for t in targets]
    done = forget_in(archive_path(db_path), named, captures=captures, reason=reason)
    for item in done:
        what = f"article {item.article_id} ({item.title})" if item.article_id else "no article"
        removed = f"; {item.pages} page(s), {item.captures} capture(s), {item.media} media"
        click.echo(f"Forgot {item.url}: {what}{removed if captures else ''}")
