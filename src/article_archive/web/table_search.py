"""Datasette's ``articles?_search=`` kept fast: no table facets while searching, unless asked.

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

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def without_search_facets(query_string: bytes) -> bytes:
    """The query string with ``_nofacet=1`` added when it searches and names no facet."""
    args = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    names = {name for name, _ in args}
    searching = any(
        name.startswith("_search") and name != "_searchmode" and value for name, value in args
    )
    if not searching or "_nofacet" in names or any(n.startswith("_facet") for n in names):
        return query_string
    return query_string + b"&_nofacet=1"


def wrap(app: App) -> App:
    """ASGI middleware applying ``without_search_facets`` to the ``articles`` table."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and ARTICLES_TABLE.match(scope.get("path", "")):
            query = without_search_facets(scope.get("query_string", b""))
            if query is not scope.get("query_string"):
                scope = {**scope, "query_string": query}
        await app(scope, receive, send)

    return wrapped
