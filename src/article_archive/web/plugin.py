"""Datasette hooks of article-archive: routes, templates, static files, cells, metadata."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import asgi_static
from markupsafe import Markup

from article_archive.search import archive_facts
from article_archive.search.stemmed_match import stemmed_match
from article_archive.web import i18n
from article_archive.web.csv_stream import ROUTES as CSV_ROUTES
from article_archive.web.errors import error_response, forbidden_response, take_over_error_pages
from article_archive.web.filters import FILTERS
from article_archive.web.integration import archives, hide_long_columns
from article_archive.web.metadata import archive_metadata
from article_archive.web.routes import ROUTES
from article_archive.web.table_search import wrap as table_search_wrap

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
PLUGIN = "article_archive"
LONG_TEXT = 240  # characters of long text columns shown in table views


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    """Our pages, our static files (the plugin is a module, so Datasette cannot find them),
    and the tables' CSV streams (after our pages: ``/{db}/export.csv`` is ours)."""
    static = (rf"^/-/static-plugins/{PLUGIN}/(?P<path>.*)$", asgi_static(str(STATIC)))
    return [static, *ROUTES, *CSV_ROUTES]


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    """Put our templates before Datasette's own (after --template-dir) and add filters."""
    loader = env.loader.loaders[0]
    if str(TEMPLATES) not in loader.searchpath:
        loader.searchpath.insert(len(loader.searchpath) - 1, str(TEMPLATES))
    env.filters.update(FILTERS)
    i18n.install(env)


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    """On an archive, Datasette's ``?_search=`` goes through our query language and stems.

    Datasette builds its table search as ``MATCH escape_fts(:search)``; on a connection to
    an archive (it has ``article_stems``) that function becomes ``stemmed_match``, and the
    metadata points the ``articles`` table at ``article_stems``.
    """
    sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'article_stems'"
    try:
        if conn.execute(sql).fetchone() is None:
            return
    except sqlite3.Error:  # not a database we can read: leave Datasette's function alone
        return
    conn.create_function(
        "escape_fts", 1, lambda text: stemmed_match(text, archive_facts.languages(conn))
    )


@hookimpl
def extra_css_urls(template: str, datasette: Any) -> list[str]:
    """Our stylesheet on our pages."""
    if template.startswith("aa_"):
        return [datasette.urls.static_plugins(PLUGIN, "archive.css")]
    return []


@hookimpl
def startup(datasette: Any) -> None:
    """Our error handler replaces Datasette's (which it calls when no archive is served)."""
    take_over_error_pages()


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: BaseException) -> Any:
    """Our error page (header, search box, a way home) whenever an archive is served."""

    async def inner() -> Any:
        return await error_response(datasette, request, exception)

    return inner


@hookimpl
def forbidden(datasette: Any, request: Any, message: str) -> Any:
    """Our page for a refused request (a download of a writable archive…)."""

    async def inner() -> Any:
        return await forbidden_response(datasette, request, message)

    return inner


@hookimpl
def get_metadata(datasette: Any, key: str, database: str | None, table: str | None) -> dict:
    """Title, descriptions, facets, sort and FTS settings for the attached archives.

    Nothing when no archive is attached; a user's own metadata file wins over ours (Datasette
    applies it last).
    """
    names = archives(datasette)
    return archive_metadata(names) if names else {}


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    """The articles table page opens with its long text columns hidden (integration), and a
    search of it skips the table facets unless asked (table_search)."""
    return lambda app: table_search_wrap(hide_long_columns(datasette, app))


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any
) -> Markup | str | None:
    """Titles link to the reader; raw bodies show as a size; long texts are shortened."""
    if table == "articles" and column == "title" and value:
        href = f"{datasette.urls.table(database, 'articles')}/{row['id']}/read"
        return Markup('<a href="{}">{}</a>').format(href, value)
    if table == "pages" and column == "body" and isinstance(value, bytes):
        return f"{len(value) / 1024:.1f} KB compressed"
    if (
        table in ("articles", "revisions")
        and column in ("body_html", "body_text")
        and isinstance(value, str)
        and len(value) > LONG_TEXT
    ):
        return value[:LONG_TEXT] + "…"
    return None
