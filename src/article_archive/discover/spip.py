"""SPIP archives: the plan page, rubric listings, article ids."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from article_archive.discover.links import page_links, site_url
from article_archive.spip_urls import (
    PAGE_PARAM,
    PAGINATION,
    PROPRES_OTHER,
    PROPRES_RUBRIC,
    RUBRIC_HTML,
    RUBRIC_QUERY,
)
from article_archive.spip_urls import article_id as spip_id_from_url

__all__ = [
    "article_url_for_id",
    "classify",
    "listing_links",
    "plan_links",
    "plan_url",
    "rubric_links",
    "spip_id_from_url",
]

_OTHER_OBJECT = re.compile(r"^(?:mot|auteur|breve|site|document|forum)\d+(?:&|$)")
_NOT_PAGES = re.compile(
    r"^/?(?:IMG|local|squelettes|squelettes-dist|plugins|plugins-dist|prive|ecrire|extensions)/"
    r"|\.(?:css|js|png|jpe?g|gif|svg|webp|ico|pdf|zip|mp3|mp4|ogg|xml|rss|txt|epub|doc|odt)$",
    re.IGNORECASE,
)


def article_url_for_id(base_url: str, spip_id: int) -> str:
    """``spip.php?articleN`` beside the site's home: SPIP redirects it to the canonical URL."""
    return site_url(base_url, f"spip.php?article{spip_id}")


def plan_url(base_url: str) -> str:
    """The site map page of the default templates, listing every published article."""
    return site_url(base_url, "spip.php?page=plan")


def classify(url: str) -> str:
    """What a SPIP link points at: article, rubrique, listing (paginated), home or other.

    A malformed address (a bracketed host that is no IPv6 address…) is "other": no page.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return "other"
    query, path = parts.query, parts.path
    last = path.rsplit("/", 1)[-1]
    page = PAGE_PARAM.search(query)
    if page and page.group(1) not in ("article", "rubrique"):
        return "other"  # backend feeds, plan, search, login…
    if spip_id_from_url(url) is not None and not PAGINATION.search(query):
        return "article"
    if RUBRIC_QUERY.search(query) or RUBRIC_HTML.match(last):
        return "listing" if PAGINATION.search(query) else "rubrique"
    if _NOT_PAGES.search(path) or _OTHER_OBJECT.match(query) or PROPRES_OTHER.match(last):
        return "other"
    if PROPRES_RUBRIC.match(last):
        return "listing" if PAGINATION.search(query) else "rubrique"
    if query:
        return "listing" if PAGINATION.search(query) else "other"
    if path in ("", "/") or path.endswith("/index.php"):
        return "home"
    if path.endswith("/"):
        return "rubrique"  # arbo URLs: rubriques end with a slash
    return "article"


def plan_links(html: str | bytes, base_url: str) -> list[str]:
    """The article links of a SPIP plan page (``spip.php?page=plan``)."""
    return [u for u in page_links(html, base_url) if classify(u) == "article"]


def listing_links(html: str | bytes, base_url: str) -> tuple[list[str], list[str]]:
    """A rubric listing's article links and its ``debut_articles=N`` pagination links."""
    links = page_links(html, base_url)
    articles = [u for u in links if classify(u) == "article"]
    pages = [u for u in links if classify(u) == "listing"]
    return articles, pages


def rubric_links(html: str | bytes, base_url: str) -> list[str]:
    """Links to rubric listings (menus, breadcrumbs, the plan)."""
    return [u for u in page_links(html, base_url) if classify(u) == "rubrique"]
