"""The `crawl` command: its options, read into CrawlOptions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from article_archive.cli.app import archive_path, cli, db_option
from article_archive.cli.params import Seconds, duration, exclude_patterns, parse_ids, parse_size
from article_archive.errors import UserError


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
    callback=lambda ctx, param, value: duration(value),
    help="How long 5xx answers or timeouts must last before an archived article counts as "
    "gone from the site (7d, 12h, 30m); a 404, 410 or non-article answer marks it at once.",
)
@click.option(
    "--exclude",
    "exclude",
    multiple=True,
    metavar="PATTERN",
    help="Never fetch addresses matching this glob on the whole URL ('*/forum/*'), "
    "or this regular expression written re:… ('re:[?&]lang=en'); repeatable.",
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
    exclude: tuple[str, ...],
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
        article-archive crawl https://example.org/ --exclude '*/forum/*' --exclude 're:lang=en'
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
        ids=parse_ids(ids),
        id_gap=id_gap,
        gone_after=gone_after,
        exclude=exclude_patterns(exclude),
        progress=not quiet and sys.stderr.isatty(),
        media=not no_media,
        media_max_size=parse_size(media_max_size),
    )
    if user_agent:
        options.user_agent = user_agent
    summary = run_crawl(archive_path(db_path, must_exist=False), seeds, options)
    click.echo(summary.line())
    if summary.interrupted:
        sys.exit(130)
    if summary.nothing_fetched:
        reason = summary.errors[0] if summary.errors else "no request was answered"
        click.echo(f"Error: nothing could be fetched: {reason}", err=True)
        sys.exit(3)
