"""``/{db}/-/media/{sha256}``: an archived image or document, its original bytes; and the
reader's article rewritten to use them (``kept_inside``)."""

from __future__ import annotations

import re
from typing import Any

from datasette.database import Database
from datasette.utils import tilde_decode
from datasette.utils.asgi import NotFound, Request, Response
from markupsafe import Markup

from article_archive.fetch.sniff import is_image
from article_archive.store.media import media_body
from article_archive.web.media import lookups, rewrite
from article_archive.web.routes.common import get_archive, run

SHA256 = re.compile(r"[0-9a-f]{64}")
# The bytes are served as the type sniffed from them, never re-guessed by the browser, and
# with a policy of their own: an SVG opened directly runs no script and loads nothing.
MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "Cache-Control": "public, max-age=31536000, immutable",  # the address is the content's hash
    "Referrer-Policy": "same-origin",
}


async def media(datasette: Any, request: Request) -> Response:
    """The body of the media whose sha256 is in the address, or a 404."""
    db = get_archive(datasette, tilde_decode(request.url_vars["database"]))
    sha256 = request.url_vars["sha256"]
    if not SHA256.fullmatch(sha256):
        raise NotFound("Not a media address: /-/media/ takes a sha256 in hexadecimal")
    found = await run(db, lambda conn: media_body(conn, sha256))
    if found is None:
        raise NotFound("No media with this hash in the archive")
    body, content_type, url = found
    headers = dict(MEDIA_HEADERS)
    if not is_image(content_type):
        name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "document"
        safe = "".join(ch for ch in name if ch.isalnum() or ch in "._-")[:120] or "document"
        headers["Content-Disposition"] = f'inline; filename="{safe}"'
    return Response(body, status=200, headers=headers, content_type=content_type)


async def kept_inside(
    datasette: Any,
    db: Database,
    name: str,
    article_url: str,
    body: Markup,
    notes: list[dict[str, Any]],
) -> tuple[Markup, list[dict[str, Any]]]:
    """The reader's body and notes with images, documents and links inside the archive."""
    htmls = [str(body), *(str(n["body"]) for n in notes)]
    targets = await run(db, lambda conn: lookups(conn, htmls, article_url))
    prefix = datasette.urls.database(name)
    body = rewrite(str(body), article_url, targets, prefix)
    notes = [{**n, "body": rewrite(str(n["body"]), article_url, targets, prefix)} for n in notes]
    return body, notes
