"""article-archive: turn news and opinion websites into a local, searchable archive."""

from __future__ import annotations

__version__ = "0.1.0"

# The extraction package, callable as ``extract(html, url)`` (SPEC.md's Python API): one name,
# one object, whether it is imported as ``from article_archive import extract`` or as
# ``import article_archive.extract``. See ``article_archive/extract/__init__.py``.
from article_archive import extract

__all__ = ["__version__", "extract"]
