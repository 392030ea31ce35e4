"""Links found in pages: resolving, normalising, and keeping only the sites the user named."""

from __future__ import annotations

import logging
from urllib.parse import urljoin, urlsplit, urlunsplit

import lxml.etree
import lxml.html

log = logging.getLogger(__name__)

_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """Drop the fragment and default port, lower the host, give an empty path "/"."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme):
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


def host_twins(host: str) -> set[str]:
    """``example.org`` and ``www.example.org`` count as one site."""
    host = host.lower()
    bare = host.removeprefix("www.")
    return {bare, f"www.{bare}"}


class SiteScope:
    """The hosts the user named: links elsewhere are never followed."""

    def __init__(self, urls: list[str] | None = None):
        self.hosts: set[str] = set()
        for url in urls or []:
            self.add(url)

    def add(self, url: str) -> None:
        """Allow the host of ``url`` (and its www. twin)."""
        host = urlsplit(url).hostname
        if host:
            self.hosts |= host_twins(host)

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and (urlsplit(url).hostname or "").lower() in self.hosts

    def filter(self, urls: list[str]) -> list[str]:
        """The URLs of ``urls`` on allowed hosts."""
        return [u for u in urls if u in self]
