"""One search and one overview over every attached archive (``serve a.db b.db …``).

Each archive is searched by the same engine as its own search page; the totals and the
site, section, language and year facets are summed (author and keyword ids belong to one
archive, so those facets stay on each archive's page). Results interleave the archives'
rankings (relevance) or merge by date (newest, oldest); each card links into its archive.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from functools import partial
from typing import Any

from datasette.utils.asgi import Request, Response

from article_archive.search import SearchRequest, engine
from article_archive.search.archive_facts import facet_data
from article_archive.search.facets import facets as facet_counts
from article_archive.search.request import SORTS
from article_archive.web import queries
from article_archive.web.routes.common import (
    PAGE_SIZE,
    archive_names,
    page,
    page_number,
    pagination,
    query_url,
    run,
)
from article_archive.web.routes.search import facet_links

SHARED_FACETS = ("site", "section", "lang", "year")


async def archives(datasette: Any) -> list[str]:
    """The attached databases that are archives (they hold ``articles``)."""
    return [
        name
        for name in archive_names(datasette)
        if await datasette.get_database(name).table_exists("articles")
    ]


def sites(conn: Any) -> list[dict[str, Any]]:
    """The archive's sites and how many articles each holds, largest first."""
    rows = conn.execute(
        "SELECT site, count(*) AS n FROM articles GROUP BY site ORDER BY n DESC, site"
    )
    return [{"site": row[0], "n": row[1]} for row in rows if row[0]]


def _search_one(conn: Any, req: SearchRequest, wanted: int, name: str) -> dict[str, Any]:
    """Total, facets (site always) and the first ``wanted`` cards of one archive."""
    compiled = engine.compile_request(conn, req)
    if compiled is None:
        return {"total": 0, "facets": {}, "items": [], "nothing": True}
    matches = engine.match_ids(conn, compiled)
    found = facet_counts(conn, matches)
    data = facet_data(conn)
    found["site"] = [
        {"value": s, "label": s, "n": n}
        for s, n in Counter(map(data.site_of, matches)).items()
        if s is not None
    ]
    ids = engine.ordered_ids(conn, compiled, req.sort, wanted, 0)
    items = queries.cards(conn, ids)
    marks = engine.snippets(conn, compiled, ids)
    for item in items:
        item.update(marks.get(item["id"], {}), database=name)
    return {"total": len(matches), "facets": found, "items": items, "nothing": False}


def merge_facets(parts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The shared facets of several archives' searches, counts summed, largest first."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name in SHARED_FACETS:
        counts: Counter[Any] = Counter()
        for part in parts:
            for row in part["facets"].get(name, []):
                counts[row["value"]] += row["n"]
        rows = [{"value": v, "label": v, "n": n} for v, n in counts.items()]
        if name == "year":
            rows.sort(key=lambda row: row["value"], reverse=True)
        else:
            rows.sort(key=lambda row: (-row["n"], str(row["label"])))
        out[name] = rows
    return out


def merge_items(parts: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    """The archives' results as one list: rankings interleaved, or merged by date."""
    if sort == "relevance":
        longest = max((len(p["items"]) for p in parts), default=0)
        return [p["items"][i] for i in range(longest) for p in parts if i < len(p["items"])]
    items = [item for part in parts for item in part["items"]]
    items.sort(key=lambda item: item.get("published") or "", reverse=sort != "oldest")
    return items


async def search_all(datasette: Any, request: Request) -> Response:
    """``/-/search?q=…``: one search over every attached archive, with a site facet."""
    req = SearchRequest.from_args(request.args)
    number = page_number(request)
    names = await archives(datasette)
    wanted = number * PAGE_SIZE
    parts = await asyncio.gather(
        *(
            run(datasette.get_database(n), partial(_search_one, req=req, wanted=wanted, name=n))
            for n in names
        )
    )
    total = sum(p["total"] for p in parts)
    args = req.args()
    context = {
        "database": names[0] if names else None,
        "search_action": request.path,
        "req": req,
        "args": args,
        "sorts": [
            {"name": s, "href": query_url(request.path, args, sort=s), "selected": s == req.sort}
            for s in SORTS
        ],
        "facet_groups": facet_links(request.path, req, merge_facets(list(parts))),
        "pager": pagination(request.path, args, number, total),
        "total": total,
        "items": merge_items(list(parts), req.sort)[(number - 1) * PAGE_SIZE : wanted],
        "facets": {},
        "nothing": bool(parts) and all(p["nothing"] for p in parts),
        "ms": 0.0,
        "exports": None,
    }
    return await page(datasette, "aa_search.html", context, request)
