"""The `article-archive` command line: thin wrappers that parse options and call one function."""

from __future__ import annotations

import json
import logging
import math
import sys
from pathlib import Path
from typing import Any

import click

from article_archive import __version__
from article_archive.errors import ArchiveBusy, ArchiveError, UserError

DEFAULT_DB = "archive.db"

db_option = click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite archive file.",
)

#: Loggers of libraries the extractor calls, quiet unless -v: they warn once per page.
CHATTY_LIBRARIES = ("bs4", "trafilatura", "htmldate", "courlan", "charset_normalizer", "justext")

#: Longest pause between two requests to a host that --delay takes (one hour).
MAX_DELAY = 3600.0


class Seconds(click.FloatRange):
    """A number of seconds from 0 to MAX_DELAY (``nan`` and ``inf`` refused)."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=0, max=MAX_DELAY)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return number


class _BusyError(click.ClickException):
    """The one-line error of a run refused because another one holds the archive (SPEC: 4)."""

    exit_code = 4


class ArchiveGroup(click.Group):
    """A group that turns our errors into one-line messages with exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as exc:
            kind = _BusyError if isinstance(exc, ArchiveBusy) else click.ClickException
            raise kind(str(exc)) from None
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            # Unreadable files, full disks, ports in use: say what and where, no traceback.
            raise click.ClickException(
                f"{exc.strerror or exc}: {exc.filename or ''}".strip()
            ) from None


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="article-archive")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def cli(verbose: int) -> None:
    """Turn news and opinion websites into a local, searchable archive.

    \b
    Example:
        article-archive crawl https://www.europe-solidaire.org/ --backfill
        article-archive serve archive.db
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    # Libraries under the extractor speak once per page ("Some characters could not be
    # decoded", "discarding data"): what matters of it is in the page's row; -v shows them.
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.ERROR if not verbose else level)


def _parse_ids(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        low, _, high = value.partition("-")
        bounds = (int(low), int(high or low))
    except ValueError:
        raise click.BadParameter("expected A-B, e.g. 60000-70000") from None
    if bounds[0] < 1 or bounds[1] < bounds[0]:
        raise click.BadParameter("expected 1 <= A <= B")
    return bounds


_SIZE_UNITS = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3}


def _parse_size(value: str) -> int:
    """``20MB``, ``500k``, ``1000000`` → bytes (units of 1000, as disks count)."""
    text = value.strip().upper().removesuffix("B").strip()
    number, unit = (text[:-1], text[-1]) if text[-1:] in "KMG" else (text, "")
    try:
        size = int(float(number) * _SIZE_UNITS[unit])
    except ValueError:
        raise click.BadParameter(f"expected a size such as 20MB or 500k, not {value!r}") from None
    if size < 1:
        raise click.BadParameter("expected a size of at least one byte")
    return size


def _duration(value: str) -> float:
    from article_archive.crawl.options import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command()
@click.argument("urls", nargs=-1, required=True)
@db_option
@click.option(
    "--backfill",
    is_flag=True,
    help="Also walk the whole archive: plan, listings, sitemaps, SPIP ids.",
)
@click.option(
    "--max-articles",
    type=click.IntRange(min=1),
    help="Stop after this many pages that were articles (new, updated or unchanged); "
    "SPIP ids found absent do not count, the id walk is bounded by --id-gap and --ids.",
)
@click.option(
    "--delay",
    type=Seconds(),
    default=1.0,
    show_default=True,
    help="Seconds between two requests to one host.",
)
@click.option(
    "--max-crawl-delay",
    type=Seconds(),
    default=30.0,
    show_default=True,
    help="Longest robots.txt Crawl-delay obeyed; a longer one is capped (and said).",
)
@click.option(
    "--honor-crawl-delay", is_flag=True, help="Obey any robots.txt Crawl-delay, however long."
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1, max=64),
    default=4,
    show_default=True,
    help="Hosts crawled in parallel; always one request at a time per host name "
    "(all ports of a name are one host).",
)
@click.option("--since", help="Only articles published on or after this date (YYYY-MM-DD).")
@click.option(
    "--user-agent", help="User-Agent header (default names article-archive and a contact URL)."
)
@click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt (logged).")
@click.option("--ids", help="With --backfill: walk SPIP article ids A-B only, e.g. 60000-70000.")
@click.option(
    "--id-gap",
    type=click.IntRange(min=1),
    default=50,
    show_default=True,
    help="Stop the id walk after this many absent ids past the highest known one.",
)
@click.option(
    "--no-media",
    is_flag=True,
    help="Do not archive the articles' images and attached documents (PDF, ODT, sound…).",
)
@click.option(
    "--media-max-size",
    default="20MB",
    show_default=True,
    help="Largest image or document archived (e.g. 5MB, 500k); bigger ones are refused.",
)
@click.option(
    "--gone-after",
    default="3d",
    show_default=True,
    callback=lambda ctx, param, value: _duration(value),
    help="How long 5xx answers or timeouts must last before an archived article counts as "
    "gone from the site (7d, 12h, 30m); a 404, 410 or non-article answer marks it at once.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar; one summary line.")
def crawl(
    urls: tuple[str, ...],
    db_path: Path,
    backfill: bool,
    max_articles: int | None,
    delay: float,
    max_crawl_delay: float,
    honor_crawl_delay: bool,
    concurrency: int,
    since: str | None,
    user_agent: str | None,
    ignore_robots: bool,
    ids: str | None,
    id_gap: int,
    no_media: bool,
    media_max_size: str,
    gone_after: float,
    quiet: bool,
) -> None:
    """Fetch new or changed articles from sites, feeds or article URLs.

    URL is a site's home page, a feed, or one article. Safe to interrupt
    and to re-run: it resumes and stores nothing twice. The images and
    attached documents of the articles are archived too (--no-media: not).

    \b
    Example:
        article-archive crawl https://www.europe-solidaire.org/ --backfill --ids 60000-70000
        article-archive crawl https://example.org/feed.xml --db news.db --delay 2
    """
    from article_archive.crawl import CrawlOptions, run_crawl
    from article_archive.discover.urls import check_seed_url
    from article_archive.extract.dates import parse_date

    seeds = [check_seed_url(url) for url in urls]
    since_iso = None
    if since:
        since_iso = parse_date(since)
        if not since_iso:
            raise UserError(f"--since: cannot read {since!r} as a date; use YYYY-MM-DD")
    options = CrawlOptions(
        backfill=backfill,
        max_articles=max_articles,
        delay=delay,
        max_crawl_delay=None if honor_crawl_delay else max_crawl_delay,
        concurrency=concurrency,
        since=since_iso,
        ignore_robots=ignore_robots,
        ids=_parse_ids(ids),
        id_gap=id_gap,
        gone_after=gone_after,
        progress=not quiet and sys.stderr.isatty(),
        media=not no_media,
        media_max_size=_parse_size(media_max_size),
    )
    if user_agent:
        options.user_agent = user_agent
    summary = run_crawl(db_path, seeds, options)
    click.echo(summary.line())
    if summary.interrupted:
        sys.exit(130)
    if summary.nothing_fetched:
        reason = summary.errors[0] if summary.errors else "no request was answered"
        click.echo(f"Error: nothing could be fetched: {reason}", err=True)
        sys.exit(3)


@cli.command()
@click.argument("source")
@click.option("--url", help="The page's address when SOURCE is a file.")
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
        article = extract_page(path.read_bytes(), url)
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
    summary = import_sources(db_path, list(paths), base)
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

    _require_db(db_path)
    counts = run_reparse(db_path, workers=workers)
    click.echo(", ".join(f"{key}: {value}" for key, value in counts.items()))


@cli.command()
@click.argument(
    "db", required=False, default=DEFAULT_DB, type=click.Path(dir_okay=False, path_type=Path)
)
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to bind; 0.0.0.0 exposes it."
)
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True)
def serve(db: Path, host: str, port: int) -> None:
    """Serve the archive in the browser (Datasette + reader pages).

    \b
    Example:
        article-archive serve archive.db --port 8001
    """
    from article_archive.web.serve import serve as run_server

    _require_db(db)
    run_server(db, host=host, port=port)


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
    """
    from article_archive.demo import run_demo

    run_demo(db_path, port=port, serve=not no_serve, site_port=site_port, echo=click.echo)


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
    db = open_for_reading(db_path)
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

    click.echo(format_status(archive_status(open_for_reading(db_path))))


def _require_db(path: Path) -> None:
    if not path.is_file():
        raise UserError(f"no archive at {path} (run `article-archive crawl URL --db {path}` first)")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="article-archive")


if __name__ == "__main__":
    main()
