"""Lists of articles by section, author, keyword and year, newest first."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Request, Response

from article_archive.web import queries
from article_archive.web.routes.common import (
    PAGE_SIZE,
    current_args,
    get_archive,
    page,
    page_number,
    pagination,
    query_url,
    run,
)


def _heading(conn: Any, kind: str, value: str) -> tuple[Any, str | None]:
    """The typed filter value and the list's title (None when it does not exist)."""
    if kind in ("site", "section"):
        return value, value
    if not value.isdigit() or len(value) > 12:
        return None, None
    number = int(value)
    if kind == "author":
        return number, queries.name_of(conn, "authors", number)
    if kind == "keyword":
        return number, queries.name_of(conn, "keywords", number)
    return number, str(number)


async def listing(datasette: Any, request: Request) -> Response:
    """``/{db}/section/{name}``, ``/author/{id}``, ``/keyword/{id}``, ``/year/{yyyy}``."""
    name = tilde_decode(request.url_vars["database"])
    db = get_archive(datasette, name)
    kind = request.url_vars["kind"]
    raw = unquote(request.url_vars["value"])
    number = page_number(request)

    def load(conn: Any) -> dict[str, Any] | None:
        value, title = _heading(conn, kind, raw)
        if title is None:
            return None
        total, items = queries.listing(conn, kind, value, (number - 1) * PAGE_SIZE, PAGE_SIZE)
        return {"value": value, "title": title, "total": total, "items": items}

    data = await run(db, load)
    if data is None or (kind in ("section", "site") and not data["total"]):
        raise NotFound(f"No {kind} {raw!r} in this archive")
    feed_args = {kind: data["value"]}
    context = {
        "database": name,
        "feed_url": query_url(f"{datasette.urls.database(name)}/feed.atom", feed_args),
        "feed_title": f"Atom feed: {data['title']}",
        "kind": kind,
        "feed_args": feed_args,
        "pager": pagination(request.path, current_args(request), number, data["total"]),
        **data,
    }
    return await page(datasette, "aa_list.html", context, request)
