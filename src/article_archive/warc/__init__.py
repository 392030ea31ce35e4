"""WARC and WACZ, out and in: every capture exported with its headers and body, and any
tool's WARCs (wget, browsers' recorders, crawlers) imported as if crawled."""

from __future__ import annotations

from article_archive.warc.load import import_warc
from article_archive.warc.read import WARC_SUFFIXES, BadRecord, WarcResponse, is_warc_path
from article_archive.warc.write import WarcStats, write_wacz, write_warc

__all__ = [
    "WARC_SUFFIXES",
    "BadRecord",
    "WarcResponse",
    "WarcStats",
    "import_warc",
    "is_warc_path",
    "write_wacz",
    "write_warc",
]
