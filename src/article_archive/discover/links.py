"""Links found in pages: resolving, normalising, and keeping only the sites the user named."""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from article_archive.sites import DEFAULT_PORTS, site_of

log = logging.getLogger(__name__)


def normalize_url(url: str) -> str:
    """Drop the fragment and default port, lower the host, give an empty path "/"."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(parts.scheme):
        netloc = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def parse_html(html: str | bytes) -> lxml.html.HtmlElement | None:
    """An lxml tree of ``html``, or None for an empty or unparsable document."""
    if isinstance(html, str):
        html = html.encode("utf-8", "replace") if "encoding=" in html[:100] else html
    try:
        return lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as exc:
        log.debug("cannot parse HTML: %s", exc)
        return None


def document_base(tree: lxml.html.HtmlElement, url: str) -> str:
    """The base for relative links: ``<base href>`` when the page has one (SPIP arbo sites)."""
    for href in tree.xpath("//base/@href"):
        if href.strip():
            return urljoin(url, href.strip())
    return url


def resolve(base: str, href: str) -> str | None:
    """An absolute, normalised http(s) URL for ``href``, or None (mailto:, javascript:, #…)."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    absolute = urljoin(base, href)
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return normalize_url(absolute)


def page_links(html: str | bytes, base_url: str, xpath: str = "//a/@href") -> list[str]:
    """Every distinct absolute link of the page (``a[href]`` by default), in page order."""
    tree = parse_html(html)
    if tree is None:
        return []
    base = document_base(tree, base_url)
    seen: dict[str, None] = {}
    for href in tree.xpath(xpath):
        url = resolve(base, str(href))
        if url:
            seen.setdefault(url, None)
    return list(seen)


class SiteScope:
    """The sites the user named (see ``article_archive.sites``): links elsewhere are not followed.

    ``example.org`` does not bring ``www.example.org`` along: a site that lives on its twin says
    so by redirecting its home there, and the crawl adopts the site a seed lands on (``add``).
    """

    def __init__(self, urls: list[str] | None = None):
        # Replaced, never changed in place: worker threads read it while the engine sorts it.
        self.sites: frozenset[str] = frozenset()
        for url in urls or []:
            self.add(url)

    def add(self, url: str) -> bool:
        """Allow the site of ``url``; True when it was not allowed yet."""
        site = site_of(url)
        if not site or site in self.sites:
            return False
        self.sites = self.sites | {site}
        return True

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and site_of(url) in self.sites

    def filter(self, urls: list[str]) -> list[str]:
        """The URLs of ``urls`` on allowed sites."""
        return [u for u in urls if u in self]
