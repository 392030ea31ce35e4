"""Checks and small transformations of URLs given by the user or found in pages."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from article_archive.errors import BadURLError


def check_seed_url(url: str) -> str:
    """Return ``url`` cleaned up if it is an absolute http(s) address, else raise BadURLError."""
    candidate = url.strip()
    if "://" not in candidate and "." in candidate.split("/")[0]:
        candidate = "https://" + candidate
    parts = urlsplit(candidate)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadURLError(f"not a web address: {url!r} (expected e.g. https://www.example.org/)")
    path = parts.path or "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, parts.query, ""))
