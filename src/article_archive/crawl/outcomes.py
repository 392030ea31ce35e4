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
- a changed article: the page, the article and one revision;
- an error, a non-article or an empty answer where a good page is stored: recorded beside it
  (the page keeps its body, the article stays); the answer is a check of the article, which
  the store marks gone or not (``store.gone``, ``--gone-after``).

When a feed of a site stops answering (an error, or no feed, where the last answer was a
good one), every archived article of the site is re-checked once this run: the site may be
gone. On every other run the articles marked gone or failing are re-checked: they may be
back, or their failures may have lasted long enough to count as gone.

The page and article rows are written by ``store.archive`` (the one write door, whose module
says what each outcome writes); the frontier rows by ``store.frontier``.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

import sqlite_utils

from article_archive.crawl import media
from article_archive.crawl.disk import is_disk_full
from article_archive.crawl.found import FoundRecorder
from article_archive.crawl.options import CrawlSummary
from article_archive.crawl.state import SiteTable
from article_archive.crawl.templates import SiteTemplates
from article_archive.crawl.work import ARTICLE_KINDS, Outcome
from article_archive.discover.links import normalize_url
from article_archive.errors import ArchiveError
from article_archive.sites import site_of
from article_archive.store import OUTCOMES, Archived, Capture, archive, frontier
from article_archive.store import Outcome as StoreOutcome

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
        templates: SiteTemplates | None = None,
    ):
        self.db = db
        self.templates = templates
        self.sites = sites
        self.found = found
        self.summary = summary
        self.articles = 0  # pages that turned out to be articles: new, updated or unchanged
        self.gone_after = found.options.gone_after
        self._rechecked: set[tuple[str, bool]] = set()  # (site, unsure only), once a run

    def store(self, outcome: Outcome) -> None:
        """Write ``outcome`` in one transaction; a refusal is recorded as a failure."""
        job = outcome.job
        try:
            with self.db.atomic():
                self._write(outcome)
        except Exception as exc:  # e.g. an article the store refuses: record, carry on
            if is_disk_full(exc):
                raise  # nothing more fits: the engine stops the run (crawl.disk)
            if isinstance(exc, ArchiveError):
                log.warning("could not store %s: %s", job.url, exc)
            else:
                log.exception("could not store %s", job.url)
            outcome.state, outcome.error, outcome.article = "failed", str(exc), None
            outcome.saved = None
            with self.db.atomic():
                if outcome.result is not None and outcome.result.status:
                    outcome.result.error = outcome.error
                    archive(self.db, Capture(outcome.result, job.kind), outcome="failed")
                frontier.set_state(self.db, job.url, "failed", error=outcome.error)
        self._count(outcome)

    def _write(self, outcome: Outcome) -> None:
        job, result = outcome.job, outcome.result
        if outcome.spip is not None and result is not None:
            home = result.final_url
            if job.kind in ARTICLE_KINDS:
                home = urljoin(result.final_url, "/")
            self.sites.set_spip(site_of(home), outcome.spip, home)
        archived = Archived()
        refs = media.refs_of(outcome, self.found.options)
        if result is not None:  # a 304 or no answer at all is a check of the stored page too
            if outcome.state != "done" and result.error is None:
                result.error = outcome.error
            capture = Capture(result, job.kind, keep_body=outcome.keep_body)
            archived = archive(
                self.db,
                capture,
                outcome=_archive_outcome(outcome),
                article=outcome.article,
                media=refs,
                gone_after=self.gone_after,
            )
        if archived.saved is not None:
            self._archived_article(outcome, archived)
        self._remember_print(outcome, archived)
        if self.templates is not None and result is not None:
            early = archived.page_id if archived.article_id is not None else None
            self.templates.record(result.final_url, job.kind, outcome.blocks, early, outcome.chrome)
        if job.kind == "feed" and outcome.state in ("done", "failed", "absent"):
            # A feed that answered well last time and no longer does: every article may be
            # gone. Otherwise only those gone or failing are asked again (a feed that has
            # always failed does not make every run re-check the whole site).
            before = frontier.feed_state(self.db, job.url) or {}
            stopped = outcome.state != "done" and before.get("status") in (200, 304)
            self._recheck_site(job.row["site"], unsure_only=not stopped)
        if outcome.feed is not None:
            frontier.save_feed(self.db, job.url, job.row["site"], **outcome.feed)
        self.found.record(job.url, outcome.found + media.found_of(refs))
        error = None if outcome.article is not None else outcome.error
        if outcome.retry_at is not None:
            frontier.retry_later(self.db, job.url, outcome.retry_at, error=error)
        else:
            frontier.set_state(self.db, job.url, outcome.state, error=error)

    def _remember_print(self, outcome: Outcome, archived: Archived) -> None:
        """What the id walk compares its answers with: pages that are not articles, and
        the articles archived (``crawl.absent``)."""
        job = outcome.job
        if outcome.page_print is not None:
            what = "the home page" if job.kind == "home" else job.url
            self.sites.saw_page(job.row["site"], outcome.page_print, what, home=job.kind == "home")
        if outcome.article is not None and archived.saved is not None:
            spip_id = archived.spip_id or outcome.article.spip_id
            self.sites.saw_article(job.row["site"], outcome.article, spip_id)

    def _recheck_site(self, site: str, *, unsure_only: bool) -> None:
        """Re-check the site's archived articles (all, or the gone and failing), once a run."""
        if (site, unsure_only) in self._rechecked:
            return
        self._rechecked.add((site, unsure_only))
        count = frontier.requeue_archived(
            self.db, site, before=self.found.started_at, unsure_only=unsure_only
        )
        if count:
            why = "gone or failing" if unsure_only else "its feed no longer answers"
            log.info("%s: re-checking %d archived article(s) (%s)", site, count, why)

    def _archived_article(self, outcome: Outcome, archived: Archived) -> None:
        """An article archived: the id walk may go further, its address is done."""
        job = outcome.job
        outcome.saved = archived.saved
        self.sites.saw_id(job.row["site"], archived.spip_id)
        if archived.article_id is None or archived.url is None:
            return  # the archive held this answer already: nothing written
        canonical = normalize_url(archived.url)
        if canonical != job.url and not frontier.add_url(
            self.db,
            canonical,
            kind="article",
            site=site_of(canonical),
            state="done",
            spip_id=archived.spip_id,
            discovered_from=job.url,
        ):
            frontier.set_state(self.db, canonical, "done")

    def _count(self, outcome: Outcome) -> None:
        s = self.summary
        kind = outcome.job.kind
        if kind == "media":
            media.count(s, outcome)
            return
        if outcome.result is not None and outcome.result.warnings:
            s.warned += 1
        if outcome.result is not None and outcome.result.status:
            s.fetched += 1
            s.answered += outcome.result.status < 400
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


def _archive_outcome(outcome: Outcome) -> StoreOutcome:
    """How the store files a crawl outcome's answer (see ``store.archive``)."""
    if outcome.same_content:
        return "unchanged"
    for name in OUTCOMES:
        if outcome.state == name:
            return name
    return "failed"
