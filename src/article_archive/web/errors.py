"""Our own error pages: the header, the search box and a way home, for any failing address.

Taken over only when an archive is served (a Datasette over other databases keeps its own
pages). Each error is one log line, never a traceback on the console; JSON addresses get
Datasette's JSON error shape.
"""

from __future__ import annotations

import logging
from typing import Any

from datasette import forbidden as datasette_forbidden
from datasette import handle_exception as datasette_errors
from datasette.plugins import pm
from datasette.utils.asgi import Base400, Forbidden, Request, Response
from datasette.views.base import DatasetteError

from article_archive.web.routes.common import page
from article_archive.web.routes.front import find_archive

log = logging.getLogger(__name__)


DATASETTE_HANDLER = "datasette.handle_exception"


def take_over_error_pages() -> None:
    """Stand in for Datasette's own error handler (it prints a traceback with every local).

    Every exception then reaches :func:`error_response`, which hands the ones of servers
    without an archive back to Datasette's handler, unchanged.
    """
    if pm.get_plugin(DATASETTE_HANDLER) is not None:
        pm.unregister(name=DATASETTE_HANDLER)


def status_and_message(exception: BaseException) -> tuple[int, str]:
    """The HTTP status an exception stands for, and its message."""
    if isinstance(exception, Base400):
        return exception.status, str(exception.args[0] if exception.args else "")
    if isinstance(exception, DatasetteError):
        # Datasette's checks of a request's arguments (a bad _sort…) come without a status:
        # they are the address's fault, not the server's.
        status = exception.status if exception.status != 500 else 400
        return status, str(exception.message)
    return 500, f"{type(exception).__name__}: {exception}"


async def error_response(datasette: Any, request: Request, exception: BaseException) -> Any:
    """The error page for ``exception``; Datasette's own when no archive is served."""
    archive = await find_archive(datasette)
    if archive is None:
        return await datasette_errors.handle_exception(datasette, request, exception)()
    status, message = status_and_message(exception)
    path = request.path
    if status >= 500:
        log.error("%s %s: %s", status, path, message)
    else:
        log.info("%s %s: %s", status, path, message)
    if path.endswith(".json"):
        body = {"ok": False, "error": message, "status": status, "title": None}
        return Response.json(body, status=status)
    wanted = str((request.url_vars or {}).get("database") or "")
    database = wanted if wanted in datasette.databases and not wanted.startswith("_") else archive
    context = {"database": database, "status": status}
    return await page(datasette, "aa_error.html", context, request, status=status)


async def forbidden_response(datasette: Any, request: Request, message: str) -> Any:
    """The page for a refused request (403): ours when an archive is served."""
    if await find_archive(datasette) is None:
        return await datasette_forbidden.forbidden(datasette, request, message)()
    return await error_response(datasette, request, Forbidden(message))
