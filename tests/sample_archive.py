"""An archive built by the real crawl of the bundled sample site (for the agreement tests)."""

from __future__ import annotations

from pathlib import Path

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive_sample import SampleSite

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "id_gap": 10}


def build_sample_archive(folder: Path) -> Path:
    """``folder/archive.db``: a backfill crawl of the sample site served on loopback."""
    path = folder / "archive.db"
    with SampleSite() as site:
        run_crawl(path, [site.base_url], CrawlOptions(backfill=True, **FAST))
    return path
