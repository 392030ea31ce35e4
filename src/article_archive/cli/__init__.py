"""The `article-archive` command line: thin wrappers that parse options and call one function.

``app`` holds the group, the shared ``--db`` option and the entry point; each other module
holds the commands of one job and registers them on the group when imported here.
"""

from __future__ import annotations

from article_archive.cli import crawl, ingest, output, serve  # noqa: F401  (registers commands)
from article_archive.cli.app import cli, main

__all__ = ["cli", "main"]
