"""The archive's front page: search box, newest articles, sections, authors, languages."""

from __future__ import annotations

from typing import Any

from datasette.utils.asgi import Request, Response
from datasette.views.index import IndexView

from article_archive.web import queries, versions
from article_archive.web.routes.common import archive_names, page, run
from article_archive.web.routes.everywhere import sites


async def find_archive(datasette: Any) -> str | None:
    """The first attached database that holds an ``articles`` table."""
    for name in archive_names(datasette):
        if await datasette.get_database(name).table_exists("articles"):
            return name
    return None


async def every_archive(datasette: Any) -> list[dict[str, Any]]:
    """Each attached archive with its sites and their article counts (front page, several)."""
    found = []
    for name in archive_names(datasette):
        db = datasette.get_database(name)
        if await db.table_exists("articles"):
            found.append({"name": name, "sites": await run(db, sites)})
    return found


async def front(datasette: Any, request: Request) -> Response:
    """``/``: the front page of the first archive, and every archive and site when several."""
    name = await find_archive(datasette)
    if name is None:  # a Datasette over other databases keeps its own home page
        scope = dict(request.scope, url_route={"kwargs": {"format": None}})
        return await IndexView.as_view(datasette)(Request(scope, request.receive), None)
    db = datasette.get_database(name)

    def load(conn: Any) -> dict[str, Any]:
        return {
            "overview": queries.overview(conn),
            "newest": queries.newest(conn, 10),
            "gone": versions.gone_articles(conn, 10),
        }

    data = await run(db, load)
    data["archives"] = await every_archive(datasette)
    context: dict[str, Any] = {
        "database": name,
        "databases": archive_names(datasette),
        "hide_quick_search": True,  # the page's own search box is the one
        "feed_url": f"{datasette.urls.database(name)}/feed.atom",
        "feed_title": "Atom feed: newest articles",
        **data,
    }
    return await page(datasette, "aa_front.html", context, request)
