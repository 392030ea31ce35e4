"""The crawl loop: claim frontier rows, fetch them in worker threads, store outcomes here.

Only this thread writes SQLite. Each outcome is one transaction (page + article + frontier
state + discovered URLs), so a crawl killed at any moment loses at most the pages in flight,
which are still ``in_progress`` in the frontier and go back to pending on the next start.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import sqlite_utils

from article_archive.crawl import state
from article_archive.crawl.options import CrawlOptions, CrawlSummary
from article_archive.crawl.work import ARTICLE_KINDS, Found, Job, Outcome, Worker, analyse_home
from article_archive.discover.feeds import looks_like_feed_url
from article_archive.discover.links import SiteScope, normalize_url
from article_archive.discover.spip import classify, spip_id_from_url
from article_archive.discover.urls import check_seed_url, host_of
from article_archive.errors import ArchiveError
from article_archive.fetch.client import HttpClient
from article_archive.store import frontier, open_archive, save_article
from article_archive.store.pages import (
    link_article,
    load_body,
    page_id_for,
    page_validators,
    save_page,
)

log = logging.getLogger(__name__)

ProgressCallback = Callable[[CrawlSummary, int], None]


def seed_kind(url: str) -> str:
    """How to treat a seed URL before fetching it: feed, article or home."""
    if looks_like_feed_url(url):
        return "feed"
    if spip_id_from_url(url) is not None or classify(url) == "article":
        return "article"
    return "home"


class Crawl:
    """One run over a set of seeds; ``run()`` returns the summary."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        seeds: list[str],
        options: CrawlOptions,
        *,
        on_progress: ProgressCallback | None = None,
    ):
        self.db = db
        self.options = options
        self.seeds = [normalize_url(check_seed_url(s)) for s in seeds]
        self.scope = SiteScope(self.seeds)
        self.summary = CrawlSummary()
        self.on_progress = on_progress
        self.client = HttpClient(
            user_agent=options.user_agent,
            timeout=options.timeout,
            max_bytes=options.max_bytes,
            retries=options.retries,
            backoff=options.backoff,
            delay=options.delay,
            max_failures=options.max_failures,
            ignore_robots=options.ignore_robots,
        )
        self.worker = Worker(self.client, options, self.scope)
        self.sites = state.SiteTable(db, options)
        self.stopping = threading.Event()
        self.article_jobs = 0
        self.paused_sites: set[str] = set()

    # -- setup ---------------------------------------------------------------------------

    def prepare(self) -> None:
        """Reset stale rows, queue the seeds, re-check feeds and re-open the id walk."""
        with self.db.atomic():
            stale = frontier.reset_stale(self.db)
            if stale:
                log.info("resuming: %d unfinished frontier rows back to pending", stale)
            for url in self.seeds:
                kind = seed_kind(url)
                site = host_of(url)
                if kind == "home":
                    self.sites.add_home(site, url)
                if frontier.add_url(self.db, url, kind=kind, site=site, discovered_from="seed"):
                    self.summary.discovered += 1
                    continue
                row = frontier.get(self.db, url)
                if kind == "home" and row and row["state"] == "done":
                    self._reanalyse_home(url)
            hosts = sorted(self.scope.hosts)
            marks = ", ".join("?" for _ in hosts)
            # Feeds (and with backfill, sitemaps) are change lists: asked again every run,
            # with a conditional GET.
            kinds = "('feed', 'sitemap')" if self.options.backfill else "('feed')"
            self.db.execute(
                "UPDATE frontier SET state = 'pending', next_try = NULL "
                f"WHERE kind IN {kinds} AND state IN ('done', 'absent') AND site IN ({marks})",
                hosts,
            )
            if self.options.backfill:
                self.sites.reopen_walks()

    def _reanalyse_home(self, url: str) -> None:
        """A home fetched by an earlier run: read its stored page instead of fetching again."""
        page_id = page_id_for(self.db, url)
        if page_id is None:
            return
        row = self.db["pages"].get(page_id)
        spip, found = analyse_home(
            load_body(self.db, page_id),
            json.loads(row["headers"] or "{}"),
            row["final_url"] or url,
            backfill=self.options.backfill,
            scope=self.scope,
            robots_sitemaps=[],
        )
        self.sites.set_spip(host_of(url), spip)
        self._record_found(url, found)

    # -- the loop ------------------------------------------------------------------------

    def run(self) -> CrawlSummary:
        """Crawl until the frontier is empty, the article budget is spent, or SIGINT."""
        started = time.monotonic()
        crawl_id = frontier.start_crawl(self.db, self.seeds, self.options.to_dict())
        previous = self._install_sigint()
        status = "failed"
        try:
            self.prepare()
            self._loop()
            status = "interrupted" if self.stopping.is_set() else "finished"
        finally:
            self.summary.interrupted = self.stopping.is_set()
            self.summary.elapsed = round(time.monotonic() - started, 2)
            self._restore_sigint(previous)
            self.client.close()
            frontier.finish_crawl(self.db, crawl_id, self.summary.counts(), status)
        return self.summary

    def _loop(self) -> None:
        size = max(1, self.options.concurrency)
        in_flight: dict[Future[Outcome], Job] = {}
        with ThreadPoolExecutor(max_workers=size, thread_name_prefix="crawl") as pool:
            while True:
                while not self.stopping.is_set() and len(in_flight) < size:
                    job = self._next_job({j.row["site"] for j in in_flight.values()})
                    if job is None:
                        break
                    in_flight[pool.submit(self.worker.run, job)] = job
                if not in_flight:
                    return
                done, _ = wait(list(in_flight), timeout=0.5, return_when=FIRST_COMPLETED)
                for future in done:
                    in_flight.pop(future)
                    self._store(future.result())
                    self._report()

    def _budget_left(self) -> bool:
        limit = self.options.max_articles
        return limit is None or self.article_jobs < limit

    def _next_job(self, busy: set[str]) -> Job | None:
        if not self._budget_left():
            return None
        self.sites.extend_walks()
        row = frontier.claim(self.db, busy_sites=busy | self.paused_sites)
        if row is None:
            return None
        if row["kind"] in ARTICLE_KINDS:
            known = self._known_article(row)
            if known:
                frontier.set_state(self.db, row["url"], "done")
                return self._next_job(busy)
            self.article_jobs += 1
        job = Job(row, seed=row.get("discovered_from") == "seed")
        if row["kind"] == "feed":
            feed = frontier.feed_state(self.db, row["url"])
            if feed and feed.get("status") in (200, 304):
                job.etag, job.last_modified = feed.get("etag"), feed.get("last_modified")
        elif row["kind"] == "sitemap" or (
            row["kind"] == "article" and self._article_at(row["url"])
        ):
            # A re-queued article (a feed said it changed): ask with the stored validators.
            job.etag, job.last_modified = page_validators(self.db, row["url"])
        return job

    def _known_article(self, row: dict[str, Any]) -> bool:
        """Whether the article of a row is already stored under another address."""
        if row["kind"] == "spip_id":
            return self._article_with_id(row["site"], row["spip_id"])
        spip_id = spip_id_from_url(row["url"])
        return bool(
            spip_id
            and self._article_with_id(row["site"], spip_id)
            and not self._article_at(row["url"])
        )

    def _article_at(self, url: str) -> bool:
        return bool(self.db.execute("SELECT 1 FROM articles WHERE url = ?", [url]).fetchone())

    def _article_with_id(self, site: str, spip_id: int) -> bool:
        return bool(
            self.db.execute(
                "SELECT 1 FROM articles WHERE spip_id = ? AND site = ?", [spip_id, site]
            ).fetchone()
        )

    # -- storing -------------------------------------------------------------------------

    def _store(self, outcome: Outcome) -> None:
        job = outcome.job
        if outcome.paused:
            self.paused_sites.add(job.row["site"])
        try:
            with self.db.atomic():
                self._write(outcome)
        except Exception as exc:  # e.g. an article the store refuses: record, carry on
            if isinstance(exc, ArchiveError):
                log.warning("could not store %s: %s", job.url, exc)
            else:
                log.exception("could not store %s", job.url)
            outcome.state, outcome.error, outcome.article = "failed", str(exc), None
            with self.db.atomic():
                if outcome.result is not None and outcome.result.status:
                    outcome.result.error = outcome.error
                    save_page(self.db, outcome.result, kind=job.kind)
                frontier.set_state(self.db, job.url, "failed", error=outcome.error)
        self._count(outcome)

    def _write(self, outcome: Outcome) -> None:
        job, result = outcome.job, outcome.result
        page_id = None
        if result is not None and result.status:
            if outcome.state != "done" and result.error is None:
                result.error = outcome.error
            page_id = save_page(self.db, result, kind=job.kind, keep_body=outcome.keep_body)
        if outcome.spip is not None:
            self.sites.set_spip(job.row["site"], outcome.spip, result.final_url if result else None)
        if outcome.article is not None and result is not None:
            article = outcome.article
            article_id, outcome.saved = save_article(
                self.db, article, page_id=page_id, fetched_at=result.fetched_at
            )
            canonical = normalize_url(article["url"])
            if canonical != job.url:
                site = host_of(canonical)
                if not frontier.add_url(
                    self.db,
                    canonical,
                    kind="article",
                    site=site,
                    state="done",
                    spip_id=article.get("spip_id"),
                    discovered_from=job.url,
                ):
                    frontier.set_state(self.db, canonical, "done")
            if page_id is not None:
                link_article(self.db, page_id, article_id)
            self.sites.saw_id(job.row["site"], article.get("spip_id"))
        if outcome.feed is not None:
            frontier.save_feed(self.db, job.url, job.row["site"], **outcome.feed)
        self._record_found(job.url, outcome.found)
        error = None if outcome.article is not None else outcome.error
        frontier.set_state(self.db, job.url, outcome.state, error=error)

    def _record_found(self, source: str, found: list[Found]) -> None:
        since = self.options.since
        for item in found:
            if since and item.published and item.published[:10] < since[:10]:
                continue
            self._add(source, item)

    def _add(self, source: str, item: Found) -> None:
        url, site = item.url, host_of(item.url)
        row = frontier.get(self.db, url)
        marks = {item.source: item.lastmod} if item.lastmod is not None else {}
        if row is None:
            spip_id = spip_id_from_url(url) if item.kind == "article" else None
            stored = item.kind == "article" and bool(
                self._article_at(url) or (spip_id and self._article_with_id(site, spip_id))
            )
            frontier.add_url(
                self.db,
                url,
                kind=item.kind,
                site=site,
                discovered_from=source,
                spip_id=spip_id,
                lastmod=json.dumps(marks) if marks else None,
                state="done" if stored else "pending",
            )
            self.summary.discovered += 0 if stored else 1
            return
        if item.kind != "article" or item.lastmod is None:
            return
        # Signatures are kept per source (feed, sitemap): a feed's date and a sitemap's
        # lastmod are different clocks, only a change in the same source means a new version.
        known = json.loads(row["lastmod"]) if (row["lastmod"] or "").startswith("{") else {}
        if known.get(item.source) == item.lastmod:
            return
        changed = item.source in known and row["state"] == "done"
        merged = json.dumps({**known, **marks})
        if changed:
            log.info("%s changed (%s says %s), fetching again", url, item.source, item.lastmod)
            frontier.requeue(self.db, url, lastmod=merged)
        else:
            self.db.execute("UPDATE frontier SET lastmod = ? WHERE id = ?", [merged, row["id"]])

    def _count(self, outcome: Outcome) -> None:
        s = self.summary
        if outcome.result is not None and outcome.result.status:
            s.fetched += 1
        if outcome.not_modified:
            if outcome.job.kind == "feed" or outcome.feed is not None:
                s.feeds_not_modified += 1
            elif outcome.job.kind in ARTICLE_KINDS:
                s.unchanged += 1
        if outcome.saved in ("new", "updated", "unchanged"):
            setattr(s, outcome.saved, getattr(s, outcome.saved) + 1)
        elif outcome.state == "failed":
            s.failed += 1
            s.errors.append(f"{outcome.job.url}: {outcome.error}")
        elif outcome.state == "absent":
            s.absent += 1
        elif outcome.state == "skipped":
            s.skipped += 1

    def _report(self) -> None:
        if self.on_progress is not None:
            known = self.db.execute(
                "SELECT count(*) FROM frontier WHERE kind IN ('article', 'spip_id') "
                "AND state NOT IN ('absent', 'skipped')"
            ).fetchone()[0]
            self.on_progress(self.summary, known)

    # -- SIGINT --------------------------------------------------------------------------

    def _install_sigint(self) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return None

        def handler(signum: int, frame: object) -> None:
            if self.stopping.is_set():
                raise KeyboardInterrupt
            log.warning("interrupted: finishing the pages in hand (Ctrl-C again to abort)")
            self.stopping.set()

        return signal.signal(signal.SIGINT, handler)

    def _restore_sigint(self, previous: Any) -> None:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def run_crawl(
    db_path: str | Path,
    seeds: list[str],
    options: CrawlOptions | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> CrawlSummary:
    """Crawl ``seeds`` into the archive at ``db_path``; resumable, polite, stores nothing twice."""
    options = options or CrawlOptions()
    db = open_archive(db_path)
    try:
        if on_progress is None and options.progress:
            from article_archive.crawl.progress import CrawlProgress

            with CrawlProgress() as bar:
                return Crawl(db, seeds, options, on_progress=bar.update).run()
        return Crawl(db, seeds, options, on_progress=on_progress).run()
    finally:
        db.close()
