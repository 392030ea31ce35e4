"""The crawl loop: claim frontier rows, fetch them in worker threads, store outcomes here.

Only this thread writes SQLite. Each outcome is one transaction (page + article + frontier
state + discovered URLs), so a crawl killed at any moment loses at most the pages in flight,
which are still ``in_progress`` in the frontier and go back to pending on the next start.

An ordinary run asks every known feed again (conditional GET) and re-checks the articles
the feeds list, and those a sitemap marks with a new lastmod (``found``), with the
validators of the stored page: a 304 writes nothing, an unchanged article nothing either.

Politeness: one request in flight per *host name* (``example.org:8080`` and
``example.org:80`` are one host: one machine), ``--delay`` seconds between two requests to
it, robots.txt's Crawl-delay when longer; ``--concurrency`` hosts are crawled in parallel.

Bounded per run: a fetch is never retried in place; one that may pass (a 5xx, a dropped
connection) goes back to the frontier, claimed again after the fresh rows once its backoff is
over, up to ``retries`` times; a timeout is not tried again before the next run. At most
``max_sitemaps`` sitemaps per site per run (and ``max_sitemap_depth`` levels, ``crawl.found``).
A full disk stops the run cleanly (``ArchiveFull``): what was stored stays stored.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import sqlite_utils

from article_archive.crawl import state
from article_archive.crawl.disk import ArchiveFull, is_disk_full
from article_archive.crawl.found import FoundRecorder
from article_archive.crawl.media import MediaWorker, claim_kinds
from article_archive.crawl.options import CrawlOptions, CrawlSummary
from article_archive.crawl.outcomes import OutcomeWriter
from article_archive.crawl.retries import Retries
from article_archive.crawl.templates import SiteTemplates
from article_archive.crawl.work import (
    ARTICLE_KINDS,
    CrawlInterrupted,
    Job,
    Outcome,
    Worker,
)
from article_archive.discover.feeds import looks_like_feed_url
from article_archive.discover.links import SiteScope, normalize_url
from article_archive.discover.spip import classify, spip_id_from_url
from article_archive.discover.urls import check_seed_url
from article_archive.fetch.client import HttpClient
from article_archive.fetch.politeness import Politeness
from article_archive.sites import site_host, site_of
from article_archive.store import frontier, open_archive
from article_archive.store.lock import writer_lock
from article_archive.store.pages import (
    article_page,
    load_body,
    page_id_for,
    page_validators,
    stored_page,
)
from article_archive.store.schema import sync_per_checkpoint
from article_archive.timestamps import now_iso

log = logging.getLogger(__name__)

ProgressCallback = Callable[[CrawlSummary, int], None]
# The progress display is redrawn at most this often: counting the pending rows of a big
# frontier after every page would cost more than the page.
REPORT_EVERY = 0.25


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
        # Every frontier row this run fetches is on one of these sites (a seed that
        # redirected to another site brings that site in: see Worker._fetch).
        self.scope = SiteScope(self.seeds)
        self.summary = CrawlSummary()
        self.on_progress = on_progress
        self.stopping = threading.Event()
        self.client = HttpClient(
            user_agent=options.user_agent,
            timeout=options.timeout,
            max_bytes=options.max_bytes,
            retries=options.retries,
            backoff=options.backoff,
            ignore_robots=options.ignore_robots,
            politeness=Politeness(
                options.delay,
                max_failures=options.max_failures,
                sleep=self._pause,
                max_crawl_delay=options.max_crawl_delay,
            ),
        )
        self.worker = Worker(self.client, options, self.scope)
        self.media_worker = MediaWorker(self.client, options, self.scope)
        self.sites = state.SiteTable(db, options)
        self.found = FoundRecorder(db, options, self.summary, now_iso())
        self.templates = SiteTemplates(db)  # each site's learned chrome (crawl.templates)
        self.worker.templates = self.templates.chrome
        self.writer = OutcomeWriter(db, self.sites, self.found, self.summary, self.templates)
        self.in_flight_articles = 0
        self.paused_sites: set[str] = set()
        self.retries = Retries(options)
        self.sitemaps: Counter[str] = Counter()
        self._reported = 0.0
        self._known = 0

    def _pause(self, seconds: float) -> None:
        """Politeness waits (delay, Crawl-delay, Retry-After): cut short by Ctrl-C."""
        if self.stopping.wait(seconds):
            raise CrawlInterrupted

    # -- setup ---------------------------------------------------------------------------

    def prepare(self) -> None:
        """Reset stale rows, queue the seeds, re-check feeds and re-open the id walk."""
        frontier.ensure_indexes(self.db)
        with self.db.atomic():
            stale = frontier.reset_stale(self.db)
            if stale:
                log.info("resuming: %d unfinished frontier rows back to pending", stale)
            self._adopt_moved_seeds()
            # Feeds and sitemaps are change lists: asked again every run, with a conditional
            # GET. Child sitemaps only with backfill; otherwise when their index says so.
            frontier.reopen_change_lists(
                self.db, sorted(self.scope.sites), child_sitemaps=self.options.backfill
            )
            for url in self.seeds:
                kind = seed_kind(url)
                site = site_of(url)
                if kind == "home":
                    self.sites.add_home(site, url)
                if frontier.add_url(self.db, url, kind=kind, site=site, discovered_from="seed"):
                    self.summary.discovered += 1
                    continue
                if self.options.backfill:
                    self._home_again(url if kind == "home" else urljoin(url, "/"))
            if self.options.backfill:
                self.sites.reopen_walks()

    def _home_again(self, url: str) -> None:
        """A backfill reads a home an earlier run fetched as a first run does: fetched again.

        The analysis of a home (``crawl.discovery.analyse_home``) needs the site's robots.txt
        and, for a backfill, its plan, rubrics and sitemaps: one code path for every run.
        """
        row = frontier.get(self.db, url)
        if row and row["kind"] == "home" and row["state"] == "done":
            frontier.requeue(self.db, url)

    def _adopt_moved_seeds(self) -> None:
        """Seeds that an earlier run found redirected to another site: crawl that site too."""
        for url in self.seeds:
            stored = stored_page(self.db, url)
            if stored is not None and self.scope.add(stored[2]):
                log.info("%s lives at %s (as the last run found)", url, site_of(stored[2]))

    # -- the loop ------------------------------------------------------------------------

    def run(self) -> CrawlSummary:
        """Crawl until the frontier is empty, the article budget is spent, or SIGINT.

        A full disk ends the run with ``ArchiveFull`` (its summary is what was saved).
        """
        started = time.monotonic()
        try:
            killed = frontier.close_killed_crawls(self.db)
            crawl_id = frontier.start_crawl(self.db, self.seeds, self.options.to_dict())
        except Exception as exc:
            raise self._full(exc) from None
        if killed:
            log.info("%d earlier run(s) had been killed: marked interrupted", killed)
        previous = self._install_signals()
        status = "failed"
        full: ArchiveFull | None = None
        try:
            self.prepare()
            self._loop()
            status = "interrupted" if self.stopping.is_set() else "finished"
        except KeyboardInterrupt:
            status = "interrupted"
            self.stopping.set()
            raise
        except Exception as exc:
            full = self._full(exc)
        finally:
            self.summary.interrupted = self.stopping.is_set() and full is None
            self.summary.elapsed = round(time.monotonic() - started, 2)
            self._restore_signals(previous)
            self.client.close()
            self.media_worker.close()
            self._finish(crawl_id, status)
        if full is not None:
            raise full from None
        return self.summary

    def _full(self, exc: Exception) -> ArchiveFull:
        """``exc`` as ArchiveFull when it says the disk is full; re-raised otherwise."""
        if not is_disk_full(exc):
            raise exc
        return ArchiveFull(self.summary, exc)

    def _finish(self, crawl_id: int, status: str) -> None:
        """Write the run's row; on a full disk it may not fit (the next start closes it)."""
        try:
            frontier.finish_crawl(self.db, crawl_id, self.summary.counts(), status)
        except Exception as exc:
            if not is_disk_full(exc):
                raise
            log.info("could not mark crawl %d %s (the next run will): %s", crawl_id, status, exc)

    def _loop(self) -> None:
        size = max(1, self.options.concurrency)
        in_flight: dict[Future[Outcome], Job] = {}
        with ThreadPoolExecutor(max_workers=size, thread_name_prefix="crawl") as pool:
            try:
                refill = True  # each outcome stored refills at once (below)
                while True:
                    if refill:
                        self._fill(pool, in_flight, size)
                    if not in_flight:
                        if self.stopping.is_set() or not self._wait_for_retries():
                            break
                        refill = True
                        continue
                    done, _ = wait(list(in_flight), timeout=0.5, return_when=FIRST_COMPLETED)
                    refill = not done
                    for future in done:
                        job = in_flight.pop(future)
                        if job.kind in ARTICLE_KINDS:
                            self.in_flight_articles -= 1
                        outcome = future.result()
                        if outcome.paused:
                            self.paused_sites.add(job.row["site"])
                        self.retries.schedule(outcome)
                        self.writer.store(outcome)
                        # this host's next fetch starts before the other outcomes are saved
                        self._fill(pool, in_flight, size)
                        self._report()
            except BaseException:
                # A second Ctrl-C: wake the workers waiting for their turn so the pool's
                # shutdown only waits for requests already on the wire.
                self.stopping.set()
                raise
        self._report(force=True, final=True)

    def _fill(
        self, pool: ThreadPoolExecutor, in_flight: dict[Future[Outcome], Job], size: int
    ) -> None:
        """Hand the workers new jobs until ``size`` are in flight or none can be claimed."""
        while not self.stopping.is_set() and len(in_flight) < size:
            job = self._next_job({j.row["site"] for j in in_flight.values()})
            if job is None:
                return
            worker = self.media_worker if job.kind == "media" else self.worker
            in_flight[pool.submit(worker.run, job)] = job

    def _wait_for_retries(self) -> bool:
        """Nothing to claim now: wait for the next retry due (False when there is none)."""
        if not self._budget_left():
            return False
        sites = sorted(set(self.scope.sites) - self.paused_sites)
        return self.retries.wait(self.db, sites, self.stopping)

    def _budget_left(self) -> bool:
        """--max-articles counts pages that were articles, and those in flight."""
        limit = self.options.max_articles
        return limit is None or self.writer.articles + self.in_flight_articles < limit

    def _next_job(self, busy: set[str]) -> Job | None:
        while kinds := claim_kinds(self.options, budget_left=self._budget_left()):
            sites = sorted(self.scope.sites)
            # One request in flight per host name: two ports of one host are two sites on
            # one machine.
            busy_hosts = {site_host(s) for s in busy}
            blocked = {s for s in sites if site_host(s) in busy_hosts} | self.paused_sites
            if blocked.issuperset(sites):
                return None  # every site busy or paused: nothing to ask the frontier
            self.sites.extend_walks()
            row = frontier.claim(self.db, kinds=kinds, busy_sites=blocked, sites=sites)
            if row is None:
                return None
            self.sites.claimed(row)
            job = self._job_for(row)
            if job is not None:
                return job
        return None

    def _job_for(self, row: dict[str, Any]) -> Job | None:
        """The job of a claimed row, with validators; None for an article stored elsewhere."""
        kind = row["kind"]
        job = Job(row, seed=row.get("discovered_from") == "seed")
        if kind in ARTICLE_KINDS:
            if self._known_article(row):
                frontier.set_state(self.db, row["url"], "done")
                return None
            if kind == "spip_id":
                job.prints = self.sites.prints(row["site"])
            self.in_flight_articles += 1
            stored = article_page(self.db, row["url"]) if kind == "article" else None
            if stored is not None:
                _page_id, job.etag, job.last_modified = stored
        elif kind == "feed":
            feed = frontier.feed_state(self.db, row["url"])
            page_id = page_id_for(self.db, row["url"])
            if feed and feed.get("status") in (200, 304) and page_id is not None:
                job.cached = load_body(self.db, page_id) or None
                if job.cached:
                    job.etag, job.last_modified = feed.get("etag"), feed.get("last_modified")
        elif kind == "sitemap":
            if self._too_many_sitemaps(row):
                return None
            job.etag, job.last_modified = page_validators(self.db, row["url"])
        return job

    def _too_many_sitemaps(self, row: dict[str, Any]) -> bool:
        """Past ``max_sitemaps`` on a site in this run, its further sitemaps are skipped."""
        site, cap = row["site"], self.options.max_sitemaps
        self.sitemaps[site] += 1
        if self.sitemaps[site] <= cap:
            return False
        if self.sitemaps[site] == cap + 1:
            log.warning("%s: more than %d sitemaps in this run; skipping the others", site, cap)
        frontier.set_state(self.db, row["url"], "skipped", error=f"over {cap} sitemaps a run")
        self.summary.skipped += 1
        return True

    def _known_article(self, row: dict[str, Any]) -> bool:
        """Whether the article of a row is already stored under another address."""
        if row["kind"] == "spip_id":
            return bool(self.found.article_with_id(row["site"], row["spip_id"]))
        spip_id = spip_id_from_url(row["url"])
        return bool(
            spip_id
            and self.found.article_with_id(row["site"], spip_id)
            and not self.found.article_at(row["url"])
        )

    def _report(self, *, force: bool = False, final: bool = False) -> None:
        if self.on_progress is None:
            return
        now = time.monotonic()
        if not force and now - self._reported < REPORT_EVERY:
            return
        self._reported = now
        s = self.summary
        known = s.new + s.updated + s.unchanged + frontier.pending_articles(self.db)
        # The id walk queues guesses in batches and drops the absent ones: the total shown
        # would swing (60 → 45 → 60). It only grows during the run, and is exact at the end.
        self._known = known if final else max(self._known, known)
        self.on_progress(s, self._known)

    # -- signals -------------------------------------------------------------------------

    def _install_signals(self) -> dict[int, Any] | None:
        """Ctrl-C (and SIGTERM, from cron or systemd): finish the pages in hand, then stop."""
        if threading.current_thread() is not threading.main_thread():
            return None

        def handler(signum: int, frame: object) -> None:
            if self.stopping.is_set() and signum == signal.SIGINT:
                raise KeyboardInterrupt
            log.warning("interrupted: finishing the pages in hand (Ctrl-C again to abort)")
            self.stopping.set()

        return {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}

    def _restore_signals(self, previous: dict[int, Any] | None) -> None:
        for sig, old in (previous or {}).items():
            signal.signal(sig, old)


def run_crawl(
    db_path: str | Path,
    seeds: list[str],
    options: CrawlOptions | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> CrawlSummary:
    """Crawl ``seeds`` into the archive at ``db_path``; resumable, polite, stores nothing twice.

    One writer at a time: ``ArchiveBusy`` (exit 4) when another run holds the archive.
    """
    with writer_lock(Path(db_path), "crawl"):
        try:
            return _crawl_locked(db_path, seeds, options or CrawlOptions(), on_progress)
        except ArchiveFull as exc:
            exc.path = str(db_path)
            raise


def _crawl_locked(
    db_path: str | Path,
    seeds: list[str],
    options: CrawlOptions,
    on_progress: ProgressCallback | None,
) -> CrawlSummary:
    db = open_archive(db_path)
    sync_per_checkpoint(db)  # no fsync per page: a lost page is fetched again
    try:
        if on_progress is None and options.progress:
            from article_archive.crawl.progress import CrawlProgress

            with CrawlProgress() as bar:
                return Crawl(db, seeds, options, on_progress=bar.update).run()
        return Crawl(db, seeds, options, on_progress=on_progress).run()
    finally:
        db.close()
