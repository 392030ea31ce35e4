"""The search page: ranked results with snippets, facets, date range, sort and pages."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from datasette.utils import tilde_decode
from datasette.utils.asgi import Request, Response

from article_archive.search import SearchRequest, engine
from article_archive.search.compiler import Compiled
from article_archive.search.facets import facets as facet_counts
from article_archive.search.request import DATE, SORTS
from article_archive.web import queries
from article_archive.web.routes.common import (
    PAGE_SIZE,
    get_archive,
    page,
    page_number,
    pagination,
    query_url,
    run,
)

FACET_TITLES = {
    "site": "Site",
    "section": "Section",
    "author": "Author",
    "lang": "Language",
    "year": "Year",
}


def ignored(args: Any) -> list[dict[str, str]]:
    """The arguments the search left out, for the page to explain in its own language.

    The same rules as ``SearchRequest.from_args`` (whose messages are English, for the CLI).
    """
    out = []
    for name in ("author", "keyword", "year"):
        raw = (args.get(name) or "").strip()
        if raw and not (raw.isdigit() and len(raw) < 10):
            out.append({"kind": "number", "name": name, "value": raw})
    for name in ("from", "to"):
        raw = (args.get(name) or "").strip()
        if raw and not DATE.match(raw):
            out.append({"kind": "date", "name": name, "value": raw})
    return out


def summary(conn: Any, compiled: Compiled) -> tuple[int, dict[str, Any]]:
    """The number of matches and the facet counts among them."""
    matches = engine.match_ids(conn, compiled)
    return len(matches), facet_counts(conn, matches)


def results(conn: Any, compiled: Compiled, sort: str, offset: int) -> list[dict[str, Any]]:
    """One page of article cards, with their highlighted title and snippet."""
    ids = engine.ordered_ids(conn, compiled, sort, PAGE_SIZE, offset)
    items = queries.cards(conn, ids)
    marks = engine.snippets(conn, compiled, ids)
    for item in items:
        item.update(marks.get(item["id"], {}))
    return items


async def search_results(db: Any, req: SearchRequest, number: int) -> dict[str, Any]:
    """Everything the page shows for one search.

    The summary (every match, for the total and facets) and the page (ranking, snippets) run
    at once on two read connections: SQLite works outside the GIL, so they overlap.
    """
    started = time.perf_counter()
    compiled = await run(db, lambda conn: engine.compile_request(conn, req))
    if compiled is None:
        return {"total": 0, "items": [], "facets": {}, "nothing": True, "ms": 0.0}
    offset = (number - 1) * PAGE_SIZE
    (total, facets), items = await asyncio.gather(
        run(db, lambda conn: summary(conn, compiled)),
        run(db, lambda conn: results(conn, compiled, req.sort, offset)),
    )
    ms = (time.perf_counter() - started) * 1000
    return {"total": total, "items": items, "facets": facets, "nothing": False, "ms": ms}


def facet_links(
    path: str, req: SearchRequest, facets: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Facet values with the link that adds (or removes) each as a filter."""
    args = req.args()
    out = []
    for name, rows in facets.items():
        chosen = getattr(req, name)
        values = []
        for row in rows:
            selected = chosen is not None and str(chosen) == str(row["value"])
            change = None if selected else row["value"]
            values.append(
                {**row, "selected": selected, "href": query_url(path, args, **{name: change})}
            )
        if values:
            out.append({"name": name, "title": FACET_TITLES[name], "values": values})
    return out


async def search_page(datasette: Any, request: Request) -> Response:
    """``/{db}/search?q=…``."""
    name = tilde_decode(request.url_vars["database"])
    db = get_archive(datasette, name)
    req = SearchRequest.from_args(request.args)
    number = page_number(request)
    result = await search_results(db, req, number)
    args = req.args()
    base = datasette.urls.database(name)
    context = {
        "database": name,
        "hide_quick_search": True,  # the page's own search box is the one
        "req": req,
        "ignored": ignored(request.args),
        "args": args,
        "sorts": [
            {"name": s, "href": query_url(request.path, args, sort=s), "selected": s == req.sort}
            for s in SORTS
        ],
        "facet_groups": facet_links(request.path, req, result["facets"]),
        "pager": pagination(request.path, args, number, result["total"]),
        "feed_url": query_url(f"{base}/feed.atom", args, sort=None),
        "exports": {
            fmt: query_url(f"{base}/export.{fmt}", args, page=None)
            for fmt in ("csv", "json", "jsonl")
        },
        "excel_url": query_url(f"{base}/export.csv", args, excel=1),
        **result,
    }
    return await page(datasette, "aa_search.html", context, request)
