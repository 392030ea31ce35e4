"""The one write door: archive a capture with its outcome and, when there is one, its article.

Crawl, import and reparse all call :func:`archive`; it decides, in one transaction, what the
``pages`` row and the ``articles`` row become, and links them (``articles.page_id`` set by
``save_article``, ``pages.article_id`` by ``pages.link_article`` alone). What each outcome
writes:

- ``"done"``: the page row (left alone when it already holds these very bytes and
  validators), then the article if one came out of it;
- ``"failed"`` and ``"skipped"`` (``--since``): the page row, its ``error`` saying why (a
  new answer unlinks the article of the old one);
- ``"absent"``: the page row, unless the same absence is stored already (an id probed again
  past the end of a SPIP site's range);
- ``"unchanged"``: nothing — the archive holds this answer already (a feed listing the same
  entries, a 304). A ``"done"`` article whose content hash and page validators are the stored
  ones is turned into ``"unchanged"`` by the door itself.

No capture is ever lost: a later error (404, 410, 5xx, no answer), a non-article or an empty
answer never replaces a page row holding a good answer (``pages.GOOD_PAGE``); it is recorded
beside it (``last_status``, ``last_checked``, ``last_error``), its body, if kept, goes to the
``captures`` history. Every body kept is a capture (``store.captures``), and every answer at an
article's address is a check of that article (``store.gone``): a 404, 410 or non-article marks
it gone at once, failures that persist past ``gone_after`` seconds too, an answer that serves
it again clears it. An answer with no status (a timeout, a refused connection) only records
the check on a row that exists.

A capture of kind ``"media"`` (an image or document an article uses) goes to the ``media``
tables (``store.media``) when ``"done"``: its body once per sha256, its address mapped to it;
any other outcome (refused type or size, an error) is a ``pages`` row without body whose
``error`` says why. An article archived with ``media=`` gets that list of the addresses it
uses (``article_media``).

A :class:`StoredCapture` (a page read back from the archive) is archived by re-extraction:
its page row stays as it is, the article is refreshed without a revision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import sqlite_utils

from article_archive.models import Article, FetchResult
from article_archive.sites import site_of
from article_archive.store import gone
from article_archive.store.articles import PreparedArticle, save_article
from article_archive.store.captures import page_capture, save_capture
from article_archive.store.forget import is_forgotten
from article_archive.store.known import article_is_current
from article_archive.store.media import MediaRef, article_id_at, link_article_media, save_media
from article_archive.store.pages import (
    StoredCapture,
    good_page,
    headers_json,
    page_id_for,
    record_check,
    same_absence,
    same_page,
    save_page,
)

Outcome = Literal["done", "failed", "skipped", "absent", "unchanged"]
OUTCOMES: tuple[Outcome, ...] = ("done", "failed", "skipped", "absent", "unchanged")


@dataclass
class Capture:
    """One answer to archive: a fetched page (or, later, a media file) and how it was found.

    ``kind`` is the frontier kind that asked for it (home, feed, sitemap, plan, listing,
    article, spip_id); ``keep_body=False`` stores the row without its body (an error page).
    """

    result: FetchResult
    kind: str
    keep_body: bool = True


@dataclass
class Archived:
    """What :func:`archive` wrote: the page and article rows, and the article's outcome.

    ``saved`` is ``"new"``, ``"updated"`` or ``"unchanged"`` when an article was given, else
    None; ``url`` and ``spip_id`` are the archived article's (the crawl follows them);
    ``kept`` is True when the answer was recorded beside a good one it did not replace.
    """

    page_id: int | None = None
    article_id: int | None = None
    saved: str | None = None
    url: str | None = None
    spip_id: int | None = None
    media_id: int | None = None
    kept: bool = False


def archive(
    db: sqlite_utils.Database,
    capture: Capture | StoredCapture,
    *,
    outcome: Outcome = "done",
    article: Article | dict | PreparedArticle | None = None,
    media: Sequence[MediaRef] | None = None,
    gone_after: float = gone.DEFAULT_GONE_AFTER,
) -> Archived:
    """Archive ``capture`` with its ``outcome`` and ``article`` in one transaction.

    Nests inside a caller's transaction (a savepoint), so the crawl can add its frontier
    rows to the same commit. Raises what the store refuses (``InvalidArticleError``) with
    nothing written; the caller then archives the capture again as ``"failed"``.
    ``gone_after``: seconds failed checks must span before an article is marked gone.
    ``media`` (with an article) lists the images and documents it uses; None leaves the
    article's list as it was.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
    if article is not None and outcome not in ("done", "unchanged"):
        raise ValueError(f"an article comes only with a 'done' capture, not {outcome!r}")
    prepared = article if isinstance(article, PreparedArticle) else None
    record = _record(article)
    if record is not None and _forgotten(db, record):
        return Archived()  # an archivist removed it (``forget``): it stays out
    with db.atomic():
        if isinstance(capture, StoredCapture):
            return _reextracted(db, capture, prepared or record)
        archived = _fetched(db, capture, outcome, record)
        _checked(db, capture.result, outcome, archived, gone_after)
        if media is not None and record is not None:
            # an unchanged article too: one archived before its media were
            article_id = archived.article_id or article_id_at(db, archived.url)
            if article_id is not None:
                link_article_media(db, article_id, media)
        return archived


def _record(article: Article | dict | PreparedArticle | None) -> dict | None:
    """The record of an article, however it is given."""
    if isinstance(article, PreparedArticle):
        return article.record
    return article.to_dict() if isinstance(article, Article) else article


def _fetched(
    db: sqlite_utils.Database, capture: Capture, outcome: Outcome, article: dict | None
) -> Archived:
    """A new answer: its page row as the outcome says, then its article."""
    result = capture.result
    if capture.kind == "media" and outcome == "done":
        return Archived(media_id=save_media(db, result))
    if outcome == "done" and article is not None and article_is_current(db, article, result):
        outcome = "unchanged"
    if outcome == "unchanged" or result.status == 304:
        _rechecked(db, result)  # the archive holds this answer: no row to report
        saved = "unchanged" if article is not None else None
        return _described(Archived(saved=saved), article)
    if not result.status:
        return Archived(page_id=_rechecked(db, result))
    kept = None if _answered_well(capture, outcome) else good_page(db, result.url)
    if kept is not None:
        if capture.keep_body:
            save_capture(db, result, headers_json(result))
        record_check(db, kept, result)
        return Archived(page_id=kept, kept=True)
    page_id = _page(db, capture, outcome)
    if article is None:
        return Archived(page_id=page_id)
    article_id, saved = save_article(
        db,
        article,
        page_id=page_id,
        fetched_at=result.fetched_at,
        capture_id=page_capture(db, page_id),
    )
    return _described(Archived(page_id, article_id, saved), article)


def _answered_well(capture: Capture, outcome: Outcome) -> bool:
    """Whether an answer may replace a good stored one: a 200 read well, with a body."""
    result = capture.result
    return outcome in ("done", "skipped") and result.status == 200 and bool(result.body)


def _rechecked(db: sqlite_utils.Database, result: FetchResult) -> int | None:
    """An answer that stores nothing new: recorded as the latest check of an existing row."""
    page_id = page_id_for(db, result.url)
    if page_id is not None:
        record_check(db, page_id, result)
    return page_id


def _checked(
    db: sqlite_utils.Database,
    result: FetchResult,
    outcome: Outcome,
    archived: Archived,
    gone_after: float,
) -> None:
    """The answer as a check of the articles at its address (``store.gone``)."""
    what = gone.verdict(result, outcome)
    if what is None:
        return
    ids = gone.articles_at(db, result.url)
    if archived.article_id is not None and archived.article_id not in ids:
        ids.append(archived.article_id)
    gone.record_verdict(db, ids, result, what, gone_after=gone_after)


def _page(db: sqlite_utils.Database, capture: Capture, outcome: Outcome) -> int:
    """The ``pages`` row of a new answer: reused when it records the same answer."""
    result, keep = capture.result, capture.keep_body
    if outcome == "done" and keep and (existing := same_page(db, result)) is not None:
        record_check(db, existing, result)  # writes only where a failure was recorded
        return existing
    if outcome == "absent" and (existing := same_absence(db, result)) is not None:
        return existing  # the same absence as last run: nothing written
    return save_page(db, result, kind=capture.kind, keep_body=keep)


def _reextracted(
    db: sqlite_utils.Database, capture: StoredCapture, article: dict | PreparedArticle | None
) -> Archived:
    """A stored page extracted again: the page row untouched, the article refreshed."""
    if article is None:
        return Archived(page_id=capture.page_id)
    article_id, saved = save_article(
        db,
        article,
        page_id=capture.page_id,
        reextract=True,
        capture_id=page_capture(db, capture.page_id),
    )
    record = article.record if isinstance(article, PreparedArticle) else article
    return _described(Archived(capture.page_id, article_id, saved), record)


def _forgotten(db: sqlite_utils.Database, article: dict) -> bool:
    """Whether the article was forgotten, at its address or by its SPIP id on its site."""
    url = article.get("url") or ""
    return is_forgotten(db, url, site=site_of(url), spip_id=article.get("spip_id"))


def _described(archived: Archived, article: dict | None) -> Archived:
    """Fill in the archived article's address and SPIP id."""
    if article is not None:
        archived.url = article.get("url")
        archived.spip_id = article.get("spip_id")
    return archived
