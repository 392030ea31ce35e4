"""What every view of the plugin shares: finding the archive, security headers, paging."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from datasette.database import Database
from datasette.utils.asgi import NotFound, Request, Response

T = TypeVar("T")

# Our pages load scripts, styles and images only from this server (an article's images are
# served from the archive: web/media.py); no inline script can run.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
PAGE_SIZE = 20


def archive_names(datasette: Any) -> list[str]:
    """Names of the attached databases, internal ones left out."""
    return [name for name in datasette.databases if not name.startswith("_")]


def get_archive(datasette: Any, name: str) -> Database:
    """The database called ``name``, or a 404 when there is none."""
    if name.startswith("_") or name not in datasette.databases:
        raise NotFound(f"Database not found: {name}")
    return datasette.get_database(name)


async def run(db: Database, fn: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``fn(conn)`` on a read connection with rows as ``sqlite3.Row``."""

    def wrapped(conn: sqlite3.Connection) -> T:
        previous = conn.row_factory
        conn.row_factory = sqlite3.Row
        try:
            return fn(conn)
        finally:
            conn.row_factory = previous

    return await db.execute_fn(wrapped)


async def page(
    datasette: Any,
    template: str,
    context: dict[str, Any],
    request: Request,
    status: int = 200,
) -> Response:
    """Render one of our templates with the security headers."""
    html = await datasette.render_template(template, context, request=request)
    return Response.html(html, status=status, headers=dict(SECURITY_HEADERS))


def page_number(request: Request) -> int:
    """The ``page`` argument as a number from 1 (anything else is page 1)."""
    raw = request.args.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() and len(raw) < 7 else 1


def query_url(path: str, args: dict[str, Any], **changes: Any) -> str:
    """``path`` with ``args`` updated by ``changes`` (None removes an argument)."""
    merged = {**args, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


def pagination(path: str, args: dict[str, Any], number: int, total: int) -> dict[str, Any]:
    """Links for the previous and next pages of a list of ``total`` items."""
    pages = max(1, math.ceil(total / PAGE_SIZE))
    return {
        "page": number,
        "pages": pages,
        "total": total,
        "first": (number - 1) * PAGE_SIZE + 1 if total else 0,
        "last": min(total, number * PAGE_SIZE),
        "prev": query_url(path, args, page=number - 1 if number > 2 else None)
        if number > 1
        else None,
        "next": query_url(path, args, page=number + 1) if number < pages else None,
    }


def current_args(request: Request) -> dict[str, str]:
    """The request's query arguments, one value each, ``page`` left out."""
    return {k: request.args.get(k) for k in request.args if k != "page"}
