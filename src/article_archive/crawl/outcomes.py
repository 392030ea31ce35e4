"""Storing one job's outcome: page, article, frontier state and discoveries in one transaction.

What a fetch writes:

- a 304 (feed, sitemap or article asked with validators), or a 200 with the very bytes and
  validators stored (a feed or sitemap without validators), or a feed whose other bytes list
  the same entries: nothing in ``pages`` or ``articles``; only the frontier row's state (and
  the feed's ``last_checked``);
- a 200 whose article has the stored content hash, from a page with the stored validators
  (or none, both times): nothing either, counted ``unchanged``. When the validators changed,
  the ``pages`` row is refreshed (so the next run can get its 304) and ``articles``
  gets the new ``last_fetched``/``page_id``, the content untouched;
- an absence (an id past the end of the range, a guessed address) recorded the same way last
  run: nothing in ``pages`` either;
- a changed article: the page, the article and one revision (``store.save_article``).
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

import sqlite_utils

from article_archive.crawl.found import FoundRecorder
from article_archive.crawl.options import CrawlSummary
from article_archive.crawl.state import SiteTable
from article_archive.crawl.work import ARTICLE_KINDS, Outcome
from article_archive.discover.links import normalize_url
from article_archive.errors import ArchiveError
from article_archive.sites import site_of
from article_archive.store import frontier, save_article
from article_archive.store.articles import content_hash
from article_archive.store.pages import link_article, same_absence, same_page, save_page

log = logging.getLogger(__name__)

# The summary keeps the last errors only: a long backfill can fail thousands of pages,
# and every one is in the database already.
MAX_ERRORS = 100
SAVED = ("new", "updated", "unchanged")


class OutcomeWriter:
    """Writes outcomes (engine thread only) and keeps the run's counts."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        sites: SiteTable,
        found: FoundRecorder,
        summary: CrawlSummary,
    ):
        self.db = db
        self.sites = sites
        self.found = found
        self.summary = summary
        self.articles = 0  # pages that turned out to be articles: new, updated or unchanged

    def store(self, outcome: Outcome) -> None:
        """Write ``outcome`` in one transaction; a refusal is recorded as a failure."""
        job = outcome.job
        try:
            with self.db.atomic():
                self._write(outcome)
        except Exception as exc:  # e.g. an article the store refuses: record, carry on
            if isinstance(exc, ArchiveError):
                log.warning("could not store %s: %s", job.url, exc)
            else:
                log.exception("could not store %s", job.url)
            outcome.state, outcome.error, outcome.article = "failed", str(exc), None
            outcome.saved = None
            with self.db.atomic():
                if outcome.result is not None and outcome.result.status:
                    outcome.result.error = outcome.error
                    save_page(self.db, outcome.result, kind=job.kind)
                frontier.set_state(self.db, job.url, "failed", error=outcome.error)
        self._count(outcome)

    def _write(self, outcome: Outcome) -> None:
        job, result = outcome.job, outcome.result
        page_id = None
        if result is not None and result.status and result.status != 304:
            if outcome.state != "done" and result.error is None:
                result.error = outcome.error
            if outcome.same_content or (outcome.article is not None and self._unchanged(outcome)):
                pass
            elif outcome.state == "done" and outcome.keep_body:
                page_id = same_page(self.db, result)
                if page_id is None:
                    page_id = save_page(self.db, result, kind=job.kind)
            elif outcome.state != "absent" or same_absence(self.db, result) is None:
                page_id = save_page(self.db, result, kind=job.kind, keep_body=outcome.keep_body)
        if outcome.spip is not None and result is not None:
            home = result.final_url
            if job.kind in ARTICLE_KINDS:
                home = urljoin(result.final_url, "/")
            self.sites.set_spip(site_of(home), outcome.spip, home)
        if outcome.article is not None and result is not None:
            self._save_article(outcome, page_id)
        if outcome.feed is not None:
            frontier.save_feed(self.db, job.url, job.row["site"], **outcome.feed)
        self.found.record(job.url, outcome.found)
        error = None if outcome.article is not None else outcome.error
        frontier.set_state(self.db, job.url, outcome.state, error=error)

    def _unchanged(self, outcome: Outcome) -> bool:
        """Same content hash and same validators as stored: nothing to write (see module)."""
        article, result = outcome.article or {}, outcome.result
        row = self.db.execute(
            "SELECT a.content_hash, p.etag, p.last_modified FROM articles a "
            "LEFT JOIN pages p ON p.id = a.page_id WHERE a.url = ?",
            [article.get("url")],
        ).fetchone()
        if result is None or row is None or row[0] != content_hash(article):
            return False
        if (row[1], row[2]) != (result.etag, result.last_modified):
            return False
        outcome.saved = "unchanged"
        return True

    def _save_article(self, outcome: Outcome, page_id: int | None) -> None:
        job, result, article = outcome.job, outcome.result, outcome.article
        assert result is not None and article is not None
        self.sites.saw_id(job.row["site"], article.get("spip_id"))
        if outcome.saved == "unchanged":
            return
        article_id, outcome.saved = save_article(
            self.db, article, page_id=page_id, fetched_at=result.fetched_at
        )
        canonical = normalize_url(article["url"])
        if canonical != job.url and not frontier.add_url(
            self.db,
            canonical,
            kind="article",
            site=site_of(canonical),
            state="done",
            spip_id=article.get("spip_id"),
            discovered_from=job.url,
        ):
            frontier.set_state(self.db, canonical, "done")
        if page_id is not None:
            link_article(self.db, page_id, article_id)

    def _count(self, outcome: Outcome) -> None:
        s = self.summary
        kind = outcome.job.kind
        if outcome.result is not None and outcome.result.status:
            s.fetched += 1
        if outcome.not_modified:
            if kind == "feed" or outcome.feed is not None:
                s.feeds_not_modified += 1
            elif kind in ARTICLE_KINDS:
                s.unchanged += 1
                self.articles += 1
        if outcome.saved in SAVED:
            setattr(s, outcome.saved, getattr(s, outcome.saved) + 1)
            self.articles += 1
        elif outcome.state == "failed":
            s.failed += 1
            s.errors.append(f"{outcome.job.url}: {outcome.error}")
            del s.errors[:-MAX_ERRORS]
        elif outcome.state == "absent":
            s.absent += 1
        elif outcome.state == "skipped":
            s.skipped += 1
