"""Datasette's ``articles?_search=`` kept fast: no table facets while searching, unless asked.

The HTML page of a table search also leaves out the long columns (bodies, JSON lists, hashes)
unless the request chooses columns (``_col`` / ``_nocol``): sorting the matches by date with
them drags every matching body through SQLite's sorter, and drawing them is most of the
page's rendering. The JSON and CSV keep every column.

The four facets the table page shows (section, authors, language, year) each run the full
text match again and read every matching row; on a large archive they are most of the time
of a table search (the search page, ``/{db}/search``, counts the same facets over every match
in milliseconds). So a search of the ``articles`` table gets ``_nofacet=1`` unless the request
names facets itself (``_facet=…``) or says ``_nofacet`` already.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

ARTICLES_TABLE = re.compile(r"^/[^/]+/articles(\.json|\.csv)?$")
LONG_COLUMNS = (
    "body_html",
    "body_text",
    "toc",
    "translations",
    "section_path",
    "author_names",
    "postscript",
    "extractor",
    "content_hash",
)

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def without_search_facets(query_string: bytes, *, html: bool = False) -> bytes:
    """The query string with ``_nofacet=1`` added when it searches and names no facet (and,
    for the HTML page, ``_nocol=`` for each long column unless it chooses columns)."""
    args = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    names = {name for name, _ in args}
    searching = any(
        name.startswith("_search") and name != "_searchmode" and value for name, value in args
    )
    if not searching:
        return query_string
    extra = b""
    if "_nofacet" not in names and not any(n.startswith("_facet") for n in names):
        extra += b"&_nofacet=1"
    if html and not names & {"_col", "_nocol"}:
        extra += b"".join(b"&_nocol=" + name.encode() for name in LONG_COLUMNS)
    return query_string + extra if extra else query_string


def wrap(app: App) -> App:
    """ASGI middleware applying ``without_search_facets`` to the ``articles`` table."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        found = ARTICLES_TABLE.match(scope.get("path", "")) if scope.get("type") == "http" else None
        if found:
            html = found.group(1) is None
            query = without_search_facets(scope.get("query_string", b""), html=html)
            if query is not scope.get("query_string"):
                scope = {**scope, "query_string": query}
        await app(scope, receive, send)

    return wrapped
