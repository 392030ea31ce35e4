"""How the plugin lives inside someone's Datasette: only archives get our pages and settings.

Installing article-archive adds a plugin to every Datasette run; a Datasette over other
databases must look and behave as it would without it. So the plugin asks, for each attached
database, whether it is an archive (it has the ``articles`` and ``article_authors`` tables),
and the articles table page of an archive opens with its long text columns hidden.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import parse_qsl, urlencode

# Columns of ``articles`` left out of its table page unless asked for (``?_col=``...): the long
# texts, and enough of the rest that each row stays a line or three on a laptop screen.
HIDDEN_COLUMNS = (
    "body_html",
    "body_text",
    "lead",
    "postscript",
    "toc",
    "translations",
    "section_path",
    "author_names",
    "content_hash",
    "surtitle",
    "subtitle",
    "written",
    "updated",
    "extractor",
    "keywords_text",
    "page_id",
    "first_seen",
    "last_fetched",
    "spip_id",
    "site",
    "capture_id",
    "gone_status",
    "gone_reason",
    "failing_since",
    "failed_checks",
)
SHOW_ALL = "_all_columns"  # ?_all_columns=1: the table page with every column
_archives: dict[str, bool] = {}


def _has_archive_tables(path: str) -> bool:
    """Whether the SQLite file at ``path`` holds the tables of an archive."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        names = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name IN ('articles', 'article_authors')"
            )
        }
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return names == {"articles", "article_authors"}


def is_archive(datasette: Any, name: str) -> bool:
    """Whether the attached database ``name`` is an article archive (remembered per file)."""
    if name.startswith("_") or name not in datasette.databases:
        return False
    path = datasette.databases[name].path
    if not path:
        return False
    if path not in _archives:
        _archives[path] = _has_archive_tables(str(path))
    return _archives[path]


def archives(datasette: Any) -> list[str]:
    """Names of the attached databases that are archives."""
    return [name for name in list(datasette.databases) if is_archive(datasette, name)]


def hide_long_columns(datasette: Any, app: Any) -> Any:
    """ASGI middleware: ``/{archive}/articles`` shows its short columns unless told otherwise.

    A request that names columns itself (``_col``, ``_nocol``) or asks for them all
    (``_all_columns=1``) is left alone, and so is every other address, the JSON API included.
    """

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("method") == "GET":
            parts = scope.get("path", "").strip("/").split("/")
            if len(parts) == 2 and parts[1] == "articles" and is_archive(datasette, parts[0]):
                args = parse_qsl(scope.get("query_string", b"").decode("latin-1"), True)
                if not any(key in ("_col", "_nocol", SHOW_ALL) for key, _ in args):
                    args += [("_nocol", column) for column in HIDDEN_COLUMNS]
                    scope = {**scope, "query_string": urlencode(args).encode("latin-1")}
        await app(scope, receive, send)

    return wrapped
