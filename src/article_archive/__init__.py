"""article-archive: turn news and opinion websites into a local, searchable archive."""

from __future__ import annotations

__version__ = "0.1.0"

# Imported eagerly: importing the subpackage `article_archive.extract` binds that name on this
# package, so the function must be bound after it to keep `from article_archive import extract`.
from article_archive.extract import extract

__all__ = ["__version__", "extract"]
