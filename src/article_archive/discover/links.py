"""Links found in pages: resolving, normalising, and keeping only the sites the user named."""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

from article_archive.errors import BadURLError
from article_archive.sites import DEFAULT_PORTS, site_of

log = logging.getLogger(__name__)


def normalize_url(url: str) -> str:
    """Drop the fragment and default port, lower the host, give an empty path "/".

    BadURLError for an address no request could be made to (a bracketed host that is no IPv6
    address, a port that is no number in 0–65535): a page's link to nowhere.
    """
    try:
        parts = urlsplit(url.strip())
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError as exc:
        raise BadURLError(f"not a web address: {url[:200]!r} ({exc})") from None
    netloc = f"[{host}]" if ":" in host else host
    if port and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        netloc = f"{netloc}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def site_url(base: str, href: str) -> str:
    """``href`` against the site address ``base``, normalised; BadURLError when ``base`` is none.

    For the addresses the crawl makes itself from a site's (the plan, the feed, an id).
    """
    try:
        return normalize_url(urljoin(base, href))
    except ValueError as exc:
        raise BadURLError(f"not a web address: {base[:200]!r} ({exc})") from None


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
            try:
                return urljoin(url, href.strip())
            except ValueError:  # a <base> to nowhere: links resolve against the page
                return url
    return url


def resolve(base: str, href: str) -> str | None:
    """An absolute, normalised http(s) URL for ``href``, or None (mailto:, javascript:, #…)."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    try:  # a page's ``[votre_fil_twitter]`` or IPvFuture host is a link to nowhere, not a crash
        absolute = urljoin(base, href)
        if urlsplit(absolute).scheme not in ("http", "https"):
            return None
        url = normalize_url(absolute)
        parts = urlsplit(url)  # what is kept must read back as it was made: host, port
        return url if parts.hostname and parts.port != 0 else None
    except (ValueError, BadURLError):
        return None


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
