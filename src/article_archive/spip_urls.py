"""SPIP's URL shapes: where an address or a link carries an article's id, what a feed URL is.

SPIP writes an article's id in its address in every URL scheme but ``propres`` and ``arbo``:
``spip.php?article12`` (page), ``article12.html`` (html), ``spip.php?page=article&id_article=12``
and ``article.php3?id_article=12`` (old sites). Discovery reads it to walk ids and to tell an
article link from a listing; extraction reads it (and the ids in forum, print and logo links)
to know which article a page is. Both use this module, so they agree on what an id looks like.

A rubric's address: ``spip.php?rubrique3`` and ``?page=rubrique&id_rubrique=3`` (page),
``rubrique3.html`` (html), ``-Titre-`` and ``-Titre-.html`` (propres, propres2, libres, standard;
``?-Titre-`` in propres_qs). The other objects' propres shapes are ``_Auteur_``, ``+-Mot-+``,
``+Breve+`` and ``@Site@``. Discovery classifies links with these; extraction knows a rubric
link in a breadcrumb or a cartouche by them, whatever the theme's markup. (``arbo`` URLs give a
rubric no mark of its own: only its place above the page's address tells it.)

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
# A rubric in the query (page URLs) or the last path segment (html, propres…).
RUBRIC_QUERY = re.compile(r"(?:^|&)(?:rubrique\d+|id_rubrique=\d+)(?:&|$)")
RUBRIC_HTML = re.compile(r"^rubrique\d+\.html$")
PROPRES_RUBRIC = re.compile(r"^-[^/]+-(?:\.html)?$")
PROPRES_OTHER = re.compile(r"^(?:_[^/]+_|\+-[^/]+-\+|\+[^/]+\+|@[^/]+@)(?:\.html)?$")
PAGE_PARAM = re.compile(r"(?:^|&)page=([^&]*)")
PAGINATION = re.compile(r"(?:^|&)debut_[a-z_]+=-?\d+")


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


def is_rubric_url(url: str | None) -> bool:
    """Whether ``url`` is a rubric's page in one of SPIP's URL modes (not one of its listing's
    later pages, nor a feed or another page narrowed to the rubric)."""
    if not url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    query, last = parts.query, parts.path.rsplit("/", 1)[-1]
    if PAGINATION.search(query):
        return False
    page = PAGE_PARAM.search(query)
    if page and page.group(1) != "rubrique":
        return False
    # (propres_qs: the rubric's name is the whole query, ``spip.php?-Titre-``)
    return bool(
        RUBRIC_QUERY.search(query)
        or RUBRIC_HTML.match(last)
        or PROPRES_RUBRIC.match(last)
        or PROPRES_RUBRIC.match(query)
    )


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
