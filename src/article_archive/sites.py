"""Which site an address belongs to: its host name, and the site key the crawl keeps per site.

A site is an origin: host name and port. ``http://example.org/`` and ``https://example.org/``
are one site (a site moving to https answers the first with a redirect to the second, and its
archive must not split in two), but ``http://example.org:8080/`` is another site than
``http://example.org/``: two servers, two id walks. The key is the host name alone on a default
port, so that archives made before ports counted keep their keys. ``articles.site`` holds the
host name only (SPEC.md); :func:`site_of` tells the sites of one host apart by address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def host_of(url: str) -> str:
    """The host name of ``url`` in lower case ('' when there is none or it is malformed)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def site_of(url: str) -> str:
    """The site key of ``url``: ``host`` on a default port, ``host:port`` on any other."""
    try:
        parts = urlsplit(url)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return ""
    if host and port and port != DEFAULT_PORTS.get(parts.scheme.lower()):
        return f"{host}:{port}"
    return host


def site_host(site: str) -> str:
    """The host name of a site key (``127.0.0.1:8080`` → ``127.0.0.1``): politeness is per host."""
    host, _, port = site.rpartition(":")
    return host if host and port.isdigit() else site
