"""An earlier version of an article, read whole: ``/{db}/revisions/{id}/read``."""

from __future__ import annotations

from typing import Any

from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Request, Response
from markupsafe import Markup, escape

from article_archive.web import render, versions
from article_archive.web.routes.common import article_language, get_archive, page, run


def text_html(text: str | None) -> Markup:
    """Plain text as paragraphs (a version stored before its HTML was kept)."""
    paragraphs = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    return Markup("".join(f"<p>{escape(p)}</p>" for p in paragraphs))


async def read_version(datasette: Any, request: Request) -> Response:
    """The title and text an article had before it changed, as archived then."""
    name = tilde_decode(request.url_vars["database"])
    db = get_archive(datasette, name)
    revision_id = int(request.url_vars["id"])
    rev = await run(db, lambda conn: versions.revision(conn, revision_id))
    if rev is None:
        raise NotFound("No earlier version with this id")
    if rev.get("body_html"):
        body, _ = render.reader_body(rev["body_html"], [])
    else:
        body = text_html(rev.get("body_text"))
    ui_lang = article_language(rev["article"].get("lang"), request)
    context = {
        "database": name,
        "ui_lang": ui_lang,
        "rev": rev,
        "art": rev["article"],
        "body": body,
    }
    return await page(datasette, "aa_version.html", context, request)
