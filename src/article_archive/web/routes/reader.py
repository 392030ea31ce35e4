"""The reader page of one article, and its Markdown and JSON downloads."""

from __future__ import annotations

import json
from typing import Any

from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Request, Response

from article_archive.search.related import related_ids
from article_archive.store.read import load_article
from article_archive.web import queries, render
from article_archive.web.routes.common import SECURITY_HEADERS, get_archive, page, run
from article_archive.web.routes.media import kept_inside


async def _load(datasette: Any, request: Request) -> tuple[str, dict[str, Any], Any]:
    """The database name, the article and the database, or a 404."""
    name = tilde_decode(request.url_vars["database"])
    db = get_archive(datasette, name)
    art = await run(db, lambda conn: queries.article(conn, int(request.url_vars["id"])))
    if art is None:
        raise NotFound("No article with this id")
    return name, art, db


async def read(datasette: Any, request: Request) -> Response:
    """``/{db}/articles/{id}/read``: the article laid out for reading."""
    name, art, db = await _load(datasette, request)

    def extra(conn: Any) -> dict[str, Any]:
        urls = [t.get("url") for t in art["translations"] if t.get("url")]
        return {
            "local": queries.local_urls(conn, urls),
            "neighbours": queries.neighbours(conn, art),
            "related": queries.cards(conn, related_ids(conn, art)),
        }

    data = await run(db, extra)
    body, toc = render.reader_body(art.get("body_html"), art["toc"])
    notes = [{**n, "body": render.note_html(n)} for n in art["footnotes"]]
    body, notes = await kept_inside(datasette, db, name, art["url"], body, notes)
    lead = render.lead_html(art.get("lead"), str(body), {str(n["number"]) for n in notes})
    translations = [
        {**t, "local": data["local"].get(t.get("url") or "")} for t in art["translations"]
    ]
    diff = None
    if art["revisions"]:
        latest = art["revisions"][0]
        diff = {"since": latest["fetched_at"], "count": len(art["revisions"])}
        diff["changes"] = render.text_diff(
            latest.get("body_text") or "", art.get("body_text") or ""
        )
        if (latest.get("title") or "") != (art.get("title") or ""):
            diff["old_title"] = latest.get("title")
    context = {
        "database": name,
        "art": art,
        "body": body,
        "lead": lead,
        "toc": toc,
        "notes": notes,
        "translations": translations,
        "diff": diff,
        **data,
    }
    return await page(datasette, "aa_reader.html", context, request)


async def download(datasette: Any, request: Request) -> Response:
    """``/{db}/articles/{id}.md`` and ``.json``: the article's record to keep or reuse."""
    name = tilde_decode(request.url_vars["database"])
    db = get_archive(datasette, name)
    record = await run(db, lambda conn: load_article(conn, int(request.url_vars["id"])))
    if record is None:
        raise NotFound("No article with this id")
    headers = dict(SECURITY_HEADERS)
    if request.url_vars["format"] == "md":
        headers["Content-Disposition"] = f'inline; filename="article-{record["id"]}.md"'
        return Response(
            render.article_markdown(record),
            headers=headers,
            content_type="text/markdown; charset=utf-8",
        )
    body = json.dumps(record, ensure_ascii=False, indent=2)
    return Response(body, headers=headers, content_type="application/json; charset=utf-8")
