"""Per-site crawl state: the home page, whether the site runs SPIP, and the SPIP id walk.

Sites are keyed by ``article_archive.sites.site_of``: two ports of one host are two sites,
each with its own home and its own id walk. ``articles.site`` holds the host name only, so the
stored articles of a site are those of its host whose address is on the site.

The walk goes up from id 1 (or A of ``--ids A-B``) in small batches added to the frontier, so
it resumes by itself; without ``--ids`` it stops ``id_gap`` ids past the highest id known
(stored articles and ids found by the walk), which is how new articles past the end are found.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlite_utils

from article_archive.crawl.absent import SitePrints, article_print, page_print
from article_archive.crawl.options import CrawlOptions
from article_archive.discover.links import normalize_url
from article_archive.discover.spip import article_url_for_id
from article_archive.models import Article
from article_archive.store import frontier, known
from article_archive.store.pages import stored_page

log = logging.getLogger(__name__)

# Ids queued ahead of the walk: enough to keep a worker busy, few enough to stay browsable.
WALK_BATCH = 20


@dataclass
class SiteInfo:
    """What the crawl knows about one site (``host`` is its site key)."""

    host: str
    home: str | None = None
    spip: bool = False
    highest_id: int = 0
    cursor: int | None = None
    existing: set[int] | None = None
    reopened: bool = False
    prints: SitePrints | None = None
    # At most the id rows of the site pending or in progress: counted again only when it
    # falls low (claims lower it), so a claim costs no count while the walk is well fed.
    pending: int = 0


class SiteTable:
    """The sites of a run, keyed by site (host, and port when not the default)."""

    def __init__(self, db: sqlite_utils.Database, options: CrawlOptions):
        self.db = db
        self.options = options
        self.sites: dict[str, SiteInfo] = {}

    def get(self, host: str) -> SiteInfo:
        """The SiteInfo of ``host`` (created on first use)."""
        if host not in self.sites:
            self.sites[host] = SiteInfo(host)
        return self.sites[host]

    def add_home(self, host: str, url: str) -> None:
        """Remember the home page a seed named for ``host``."""
        site = self.get(host)
        site.home = site.home or url

    def set_spip(self, host: str, spip: bool, home: str | None = None) -> None:
        """Record whether ``host`` runs SPIP; with backfill, open its id walk."""
        site = self.get(host)
        site.home = site.home or home
        if not spip or site.spip:
            return
        site.spip = True
        site.highest_id = max(site.highest_id, self._stored_max(host))
        if self.options.backfill:
            self._reopen(site)

    def prints(self, host: str) -> SitePrints:
        """What the id probes of ``host`` are compared with (``crawl.absent``).

        The home page's print comes from this run's fetch of it; before that (a walk resumed
        without the home asked again), from its stored copy.
        """
        site = self.get(host)
        if site.prints is None:
            site.prints = SitePrints()
        if not site.prints.home_loaded and site.home:
            site.prints.home_loaded = True
            stored = stored_page(self.db, site.home)
            mark = page_print(stored[0], stored[2], stored[1]) if stored and stored[0] else None
            if mark is not None:
                site.prints.pages.setdefault(mark, "the home page")
        return site.prints

    def saw_page(self, host: str, mark: str, what: str, *, home: bool = False) -> None:
        """A page of ``host`` that is not an article (``what``) reads as ``mark``."""
        prints = self.get(host).prints or SitePrints()
        self.get(host).prints = prints
        prints.pages[mark] = what
        prints.home_loaded = prints.home_loaded or home

    def saw_article(self, host: str, article: Article, spip_id: int | None) -> None:
        """An article of ``host`` was archived: a probe answering the same is that article."""
        prints = self.get(host).prints or SitePrints()
        self.get(host).prints = prints
        prints.articles[article_print(article)] = (normalize_url(article.url), spip_id)

    def saw_id(self, host: str, spip_id: int | None) -> None:
        """An article with ``spip_id`` was found on ``host``: the walk may need to go further."""
        if spip_id:
            site = self.get(host)
            site.highest_id = max(site.highest_id, int(spip_id))

    def reopen_walks(self) -> None:
        """At start of a backfill: re-probe absent ids past the highest known one."""
        for site in self.sites.values():
            if site.spip:
                self._reopen(site)

    def _reopen(self, site: SiteInfo) -> None:
        if site.reopened or self.options.ids:
            return
        site.reopened = True
        count = frontier.reopen_id_walk(self.db, site.host, site.highest_id)
        if count:
            log.info("%s: probing %d ids past the highest known id again", site.host, count)

    def _stored_max(self, host: str) -> int:
        return known.highest_spip_id(self.db, host)

    def _limit(self, site: SiteInfo) -> int:
        if self.options.ids:
            return self.options.ids[1]
        return site.highest_id + self.options.id_gap

    def extend_walks(self) -> None:
        """Queue the next batch of ids for every SPIP site whose walk queue runs low."""
        if not self.options.backfill:
            return
        low = [
            site
            for site in self.sites.values()
            if site.spip and site.home and site.pending < WALK_BATCH // 2 and self._open(site)
        ]
        if not low:
            return
        pending = frontier.pending_counts(self.db, "spip_id", [site.host for site in low])
        for site in low:
            site.pending = pending[site.host]
            if site.pending < WALK_BATCH // 2:
                site.pending += self._extend(site)

    def claimed(self, row: dict[str, object]) -> None:
        """A frontier row was claimed: an id row of a walk leaves its queue (see ``pending``)."""
        site = self.sites.get(str(row["site"])) if row["kind"] == "spip_id" else None
        if site is not None:
            site.pending -= 1

    def _open(self, site: SiteInfo) -> bool:
        """Whether the walk may queue more ids (not started, or not yet at its limit)."""
        return site.cursor is None or site.cursor <= self._limit(site)

    def _extend(self, site: SiteInfo) -> int:
        """Queue up to ``WALK_BATCH`` ids not stored yet; how many pending rows it added."""
        if site.cursor is None or site.existing is None:
            site.cursor = self.options.ids[0] if self.options.ids else 1
            site.existing = frontier.walked_ids(self.db, site.host)
        existing, home = site.existing, site.home or ""
        limit = self._limit(site)
        added = new_rows = 0
        while added < WALK_BATCH and site.cursor <= limit:
            spip_id = site.cursor
            site.cursor += 1
            if spip_id in existing:
                continue
            stored = known.article_with_id(self.db, site.host, spip_id) is not None
            queued = frontier.add_url(
                self.db,
                article_url_for_id(home, spip_id),
                kind="spip_id",
                site=site.host,
                spip_id=spip_id,
                discovered_from="id walk",
                state="done" if stored else "pending",
            )
            existing.add(spip_id)
            added += 0 if stored else 1
            new_rows += queued and not stored
        return new_rows
