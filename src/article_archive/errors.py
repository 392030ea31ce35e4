"""Errors raised by article-archive.

The hierarchy, so that callers catch exactly what they can handle::

    ArchiveError                 base of everything we raise on purpose
    ├── UserError                bad input from the person at the keyboard (CLI exit 1)
    │   ├── BadURLError          a URL that is not http(s) or has no host
    │   ├── DatabaseError        a database file that is missing, unreadable or not ours
    │   └── ArchiveBusy          another run is writing the archive (CLI exit 4)
    ├── FetchError               a fetch that failed after its retries (recorded, crawl goes on)
    │   ├── RobotsDisallowed     robots.txt forbids the URL
    │   ├── HostPaused           the host never answered this run and is paused for the rest
    │   └── ContentRejected      wrong content type, or a body over the size limit
    └── ExtractionError          a page that is not an article or cannot be parsed

Batch work (crawl, import, reparse) catches FetchError and ExtractionError per page, records
them in the database and carries on; the CLI turns UserError into a one-line ``Error: …``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from article_archive.models import FetchResult


class ArchiveError(Exception):
    """Base class of the errors article-archive raises on purpose."""


class UserError(ArchiveError):
    """Input from the user that cannot be used; the message says how to fix it."""


class BadURLError(UserError):
    """A URL that is not an absolute http(s) address."""


class DatabaseError(UserError):
    """A database file that cannot be opened or is not an archive."""


class ArchiveBusy(UserError):
    """Another crawl, import or reparse holds the archive's writer lock (CLI exit 4)."""


class FetchError(ArchiveError):
    """A fetch that failed for good (after retries); ``result`` is the last answer, if any."""

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int | None = None,
        result: FetchResult | None = None,
        slow: bool = False,
    ):
        super().__init__(message)
        self.url = url
        self.status = status
        self.result = result
        #: It took its whole time limit (a timeout, a body past its deadline): not worth
        #: another try in the same run.
        self.slow = slow


class RobotsDisallowed(FetchError):
    """robots.txt forbids fetching the URL."""


class HostPaused(FetchError):
    """The host never answered in this run, failing too often in a row: paused for the rest.

    A host that answered before only cools down (``fetch.politeness``).
    """


class ContentRejected(FetchError):
    """The response is not something we archive (content type, size)."""


class ExtractionError(ArchiveError):
    """The page is not an article, or could not be parsed."""


def describe(exc: BaseException) -> str:
    """A failure as a sentence to store or print, naming no exception class.

    Our own errors and the operating system's already read as sentences; anything else is a
    bug in article-archive, said as such (the log has its traceback).
    """
    if isinstance(exc, ArchiveError):
        return str(exc) or "failed"
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        return f"{(exc.strerror or str(exc) or 'input/output error').lower()}{where}"
    detail = str(exc)
    return f"internal error ({detail})" if detail else "internal error"
