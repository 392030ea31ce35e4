"""Streamed exports of a search's result set (or the whole archive) and the Atom feed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial
from typing import Any

from datasette.utils import tilde_decode
from datasette.utils.asgi import AsgiStream, Request, Response

from article_archive.export import BATCH, csv_text, json_text
from article_archive.search import SearchRequest, matching_ids
from article_archive.store.read import load_articles
from article_archive.web import queries, render
from article_archive.web.feeds import FEED_SIZE, atom_feed
from article_archive.web.routes.common import get_archive, query_url, run

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "jsonl": "application/x-ndjson; charset=utf-8",
}
EXTRA = ("reader_url",)  # what the web export adds to each record: where to read it here


async def _batches(db: Any, ids: list[int], reader: str) -> AsyncIterator[list[dict[str, Any]]]:
    """The export records of ``ids``, a batch at a time, each with its reader address."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        found = await run(db, partial(load_articles, ids=chunk))
        yield [{**record, "reader_url": f"{reader}/{record['id']}/read"} for record in found]


async def export(datasette: Any, request: Request) -> AsgiStream:
    """``/{db}/export.csv|json|jsonl?q=…``: every matching record, streamed.

    The records and CSV columns of ``article-archive export``, plus ``reader_url``;
    ``&excel=1``: a CSV for spreadsheet programs (BOM, formulas neutralized).
    """
    name = tilde_decode(request.url_vars["database"])
    db = get_archive(datasette, name)
    fmt = request.url_vars["format"]
    req = SearchRequest.from_args(request.args)
    ids = await run(db, lambda conn: matching_ids(conn, req))
    reader = datasette.absolute_url(request, datasette.urls.table(name, "articles"))
    excel = request.args.get("excel") in ("1", "on", "true")

    async def stream(writer: Any) -> None:
        if fmt == "csv":
            await writer.write(("\ufeff" if excel else "") + csv_text([], header=True, extra=EXTRA))
        elif fmt == "json":
            await writer.write("[")
        first = True
        async for rows in _batches(db, ids, reader):
            if fmt == "csv":
                await writer.write(csv_text(rows, extra=EXTRA, excel=excel))
                continue
            for row in rows:
                await writer.write(json_text(row, first=first, lines=fmt == "jsonl"))
                first = False
        if fmt == "json":
            await writer.write("\n]\n")

    headers = {"Content-Disposition": f'attachment; filename="articles.{fmt}"'}
    return AsgiStream(stream, headers=headers, content_type=CONTENT_TYPES[fmt])


def _feed_title(conn: Any, req: SearchRequest) -> str:
    """What the feed follows, in words."""
    parts = []
    if req.q:
        parts.append(f"“{req.q}”")
    if req.site:
        parts.append(req.site)
    if req.section:
        parts.append(req.section)
    if req.author is not None:
        parts.append(queries.name_of(conn, "authors", req.author) or f"author {req.author}")
    if req.keyword is not None:
        parts.append(queries.name_of(conn, "keywords", req.keyword) or f"keyword {req.keyword}")
    if req.year is not None:
        parts.append(str(req.year))
    return "article-archive" + (": " + ", ".join(parts) if parts else ": newest articles")


async def feed(datasette: Any, request: Request) -> Response:
    """``/{db}/feed.atom?q=&section=&author=&keyword=``: the newest matching articles."""
    name = tilde_decode(request.url_vars["database"])
    db = get_archive(datasette, name)
    req = SearchRequest.from_args(request.args)
    req.sort = "newest"
    reader = datasette.absolute_url(request, datasette.urls.table(name, "articles"))

    def load(conn: Any) -> tuple[str, list[dict[str, Any]]]:
        ids = matching_ids(conn, req, FEED_SIZE)
        marks = ",".join("?" * len(ids))
        sql = f"""SELECT id, url, title, published, updated, lead, section, body_html
            FROM articles WHERE id IN ({marks})"""
        rows = {r["id"]: dict(r) for r in conn.execute(sql, ids)}
        authors = queries.authors_of(conn, ids)
        entries = [
            {
                "url": f"{reader}/{i}/read",
                "original": rows[i]["url"],
                "title": rows[i]["title"],
                "published": rows[i]["published"],
                "updated": rows[i]["updated"] or rows[i]["published"],
                "authors": [a["name"] for a in authors.get(i, [])],
                "section": rows[i]["section"],
                "summary": rows[i]["lead"],
                "html": render.clean(rows[i]["body_html"]),
            }
            for i in ids
            if i in rows
        ]
        return _feed_title(conn, req), entries

    title, entries = await run(db, load)
    base = datasette.urls.database(name)
    args = {k: v for k, v in req.args().items() if k != "sort"}
    body = atom_feed(
        title=title,
        feed_url=datasette.absolute_url(request, query_url(f"{base}/feed.atom", args)),
        page_url=datasette.absolute_url(request, query_url(f"{base}/search", args)),
        entries=entries,
    )
    return Response(body, content_type="application/atom+xml; charset=utf-8")
