"""A full disk during a crawl: told apart from other errors, and turned into one clear line.

SQLite answers a write that does not fit with "database or disk is full" and rolls the
statement back, so the archive stays whole; the crawl stops there, says what it saved, and
marks its run if the ``crawls`` row still fits (the next start marks it otherwise).
"""

from __future__ import annotations

import errno
import sqlite3

from article_archive.crawl.options import CrawlSummary
from article_archive.errors import UserError

_FULL = ("database or disk is full", "no space left on device")


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an error it was raised from) says the disk or the database is full."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if isinstance(exc, sqlite3.Error) and any(m in str(exc).lower() for m in _FULL):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class ArchiveFull(UserError):
    """The disk holding the archive filled up mid-crawl; ``summary`` is what was saved."""

    def __init__(self, summary: CrawlSummary, cause: BaseException, path: str = "the archive"):
        super().__init__(str(cause))
        self.path = path
        self.summary = summary
        self.cause = cause

    def __str__(self) -> str:
        return (
            f"the disk holding {self.path} is full ({self.cause}): crawl stopped, "
            f"the archive is intact; saved: {self.summary.line()}"
        )
