"""The plugin's URL routes (SPEC.md, Web): regex -> view."""

from __future__ import annotations

from typing import Any

from article_archive.web.routes.export import export, feed
from article_archive.web.routes.front import front
from article_archive.web.routes.lists import listing
from article_archive.web.routes.media import media
from article_archive.web.routes.reader import download, read
from article_archive.web.routes.search import search_page
from article_archive.web.routes.versions import read_version

DB = r"^/(?P<database>[^/]+)"

ROUTES: list[tuple[str, Any]] = [
    (r"^/$", front),
    (DB + r"/search$", search_page),
    (DB + r"/feed\.atom$", feed),
    (DB + r"/export\.(?P<format>csv|jsonl|json)$", export),
    (DB + r"/articles/(?P<id>\d{1,12})/read$", read),
    (DB + r"/-/media/(?P<sha256>[^/]+)$", media),
    (DB + r"/articles/(?P<id>\d{1,12})\.(?P<format>md|json)$", download),
    (DB + r"/revisions/(?P<id>\d{1,12})/read$", read_version),
    (DB + r"/(?P<kind>section|author|keyword|year)/(?P<value>[^/]+)$", listing),
]
