"""The `article-archive` command group: options shared by commands, one-line errors, entry point."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import click

from article_archive import __version__
from article_archive.console import (
    DEFAULT_DB,
    end_quietly_on_broken_pipe,
    missing_archive_message,
)
from article_archive.errors import ArchiveBusy, ArchiveError, UserError, describe


def _note_db_source(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """Remember whether --db was given: without it, commands say which archive they use."""
    source = ctx.get_parameter_source(param.name or "db_path")
    ctx.meta["db_given"] = source not in (None, click.core.ParameterSource.DEFAULT)
    return value


db_option = click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_note_db_source,
    help="SQLite archive file.",
)

#: Loggers of libraries the extractor calls, quiet unless -v: they warn once per page.
CHATTY_LIBRARIES = ("bs4", "trafilatura", "htmldate", "courlan", "charset_normalizer", "justext")


class _BusyError(click.ClickException):
    """The one-line error of a run refused because another one holds the archive (SPEC: 4)."""

    exit_code = 4


class ArchiveGroup(click.Group):
    """A group that turns our errors into one-line messages with exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            end_quietly_on_broken_pipe()
        except UserError as exc:
            kind = _BusyError if isinstance(exc, ArchiveBusy) else click.ClickException
            raise kind(str(exc)) from None
        except ArchiveError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            # Unreadable files, full disks, ports in use: say what and where, no traceback.
            raise click.ClickException(describe(exc)) from None


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


def _db_given() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get("db_given"))


def default_archive() -> Path:
    """The default archive, said on stderr so that nobody wonders which file is read."""
    path = Path(DEFAULT_DB)
    click.echo(f"Using archive {path} (give --db to use another)", err=True)
    return path


def archive_path(path: Path, *, must_exist: bool = True) -> Path:
    """The archive a command works on: named on stderr when --db was not given."""
    given = _db_given()
    if not given:
        click.echo(f"Using archive {path} (give --db to use another)", err=True)
    if must_exist and not path.is_file():
        raise UserError(missing_archive_message(path, given=given))
    return path


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="article-archive")
    except BrokenPipeError:  # the last flush, after the command, met a closed pipe
        end_quietly_on_broken_pipe()
