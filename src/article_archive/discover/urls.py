"""Checks and small transformations of URLs given by the user or found in pages."""

from __future__ import annotations

import ipaddress
from urllib.parse import urljoin, urlsplit, urlunsplit

from article_archive.errors import BadURLError


def check_seed_url(url: str) -> str:
    """Return ``url`` cleaned up if it is an absolute http(s) address, else raise BadURLError."""
    candidate = url.strip()
    if "://" not in candidate and "." in candidate.split("/")[0]:
        candidate = "https://" + candidate
    try:
        parts = urlsplit(candidate)
        port = parts.port  # raises on a port that is not a number in 0–65535
    except ValueError as exc:
        raise BadURLError(f"not a web address: {url!r} ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadURLError(f"not a web address: {url!r} (expected e.g. https://www.example.org/)")
    if port == 0:
        raise BadURLError(f"not a web address: {url!r} (port 0)")
    if "[" in parts.netloc and not _is_ipv6(parts.hostname):
        raise BadURLError(f"not a web address: {url!r} (bad IPv6 address in brackets)")
    path = parts.path or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))


def _is_ipv6(host: str) -> bool:
    try:
        return isinstance(ipaddress.ip_address(host), ipaddress.IPv6Address)
    except ValueError:
        return False


def is_requestable(url: str) -> bool:
    """Whether ``url`` is an http(s) address a request can be made to (host, valid port)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises on a port that is no number in 0–65535)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def redirect_target(current: str, location: str) -> str | None:
    """Where a ``Location`` sends ``current``, fragment dropped; None for a malformed one."""
    try:
        target = urljoin(current, location.strip()).split("#", 1)[0]
    except ValueError:
        return None
    return target if is_requestable(target) else None
