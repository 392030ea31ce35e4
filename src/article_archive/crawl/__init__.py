"""Crawl orchestration: resumable, polite, visible (``run_crawl``)."""

from __future__ import annotations

from article_archive.crawl.engine import run_crawl
from article_archive.crawl.options import CrawlOptions, CrawlSummary

__all__ = ["CrawlOptions", "CrawlSummary", "run_crawl"]
