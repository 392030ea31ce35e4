"""article-archive: turn news and opinion websites into a local, searchable SQLite archive."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "extract"]


def extract(html: str | bytes, url: str | None = None) -> dict:
    """Extract one page into the article fields of SPEC.md; never touches the network."""
    from article_archive.extract import extract as _extract

    return _extract(html, url)
