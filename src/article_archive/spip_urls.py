"""SPIP's URL shapes: where an address or a link carries an article's id, what a feed URL is.

SPIP writes an article's id in its address in every URL scheme but ``propres`` and ``arbo``:
``spip.php?article12`` (page), ``article12.html`` (html), ``spip.php?page=article&id_article=12``
and ``article.php3?id_article=12`` (old sites). Discovery reads it to walk ids and to tell an
article link from a listing; extraction reads it (and the ids in forum, print and logo links)
to know which article a page is. Both use this module, so they agree on what an id looks like.

Feeds: SPIP's ``backend`` squelette serves the whole site's feed, and the same page with
``id_rubrique=N`` (one rubric and its sub-rubrics) or ``lang=xx`` (one language).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

# The id in the last path segment and the query: "article12.html", "?article12&lang=en",
# "?page=article&id_article=12"; "debut_articles=10" (pagination) is not an id.
ARTICLE_IN_URL = re.compile(r"(?:^|[?&])(?:article|id_article=)(\d+)(?:\.html)?(?=[&#?]|$)")
# Links that name the page's article: forum and print links, the encoded return address of a
# login or forum form, the article's logo file (IMG/arton12.jpg).
ID_ARTICLE_PARAM = re.compile(r"id_article=(\d+)")
ENCODED_ARTICLE = re.compile(r"spip\.php%3Farticle(\d+)")
ARTICLE_LOGO = re.compile(r"(?:^|/)arton(\d+)")
BACKEND_PAGES = frozenset({"backend", "backend-breves"})


def article_id(url: str | None) -> int | None:
    """SPIP's article id in an address (``spip.php?article12``, ``article12.html``, …)."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    tail = parts.path.rsplit("/", 1)[-1]
    match = ARTICLE_IN_URL.search(f"{tail}?{parts.query}" if parts.query else tail)
    return int(match.group(1)) if match else None


def is_backend_url(url: str) -> bool:
    """Whether ``url`` is one of SPIP's feeds (``page=backend``, with or without a filter)."""
    return _backend_query(url) is not None


def backend_filters(url: str) -> dict[str, str]:
    """What a SPIP feed is narrowed to (``{"id_rubrique": "3"}``, ``{"lang": "en"}``, …).

    Empty for the site-wide feed, and for an address that is no SPIP feed at all.
    """
    query = _backend_query(url)
    return {k: v for k, v in query or [] if k != "page"}


def _backend_query(url: str) -> list[tuple[str, str]] | None:
    """The query of a SPIP feed address as pairs, or None when ``url`` is not one."""
    try:
        pairs = parse_qsl(urlsplit(url).query)
    except ValueError:
        return None
    return pairs if any(k == "page" and v in BACKEND_PAGES for k, v in pairs) else None
