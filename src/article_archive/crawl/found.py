"""What pages discovered goes into the frontier: new URLs, and re-checks of known articles.

A known article is fetched again (with a conditional GET, see ``engine``) when

- a feed lists it: SPIP's ``dc:date`` is the publication date, so a feed entry does not change
  when its article is edited; the articles a feed lists are the ones most likely to be;
- a sitemap gives it a ``<lastmod>`` other than the one it gave before;

and at most once a run. A child sitemap is asked again when its index gives a new lastmod, or
none, and never twice in a run; one more than ``max_sitemap_depth`` indexes below a root
sitemap is not queued at all (a generated chain of sitemaps ends there). Runs only in the
engine's thread (it writes SQLite, through ``store``).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlite_utils

from article_archive.crawl.exclude import excluded
from article_archive.crawl.options import CrawlOptions, CrawlSummary
from article_archive.crawl.work import Found
from article_archive.discover.spip import spip_id_from_url
from article_archive.sites import site_of
from article_archive.store import frontier, known

log = logging.getLogger(__name__)


class FoundRecorder:
    """Adds discovered URLs to the frontier and queues re-checks."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        options: CrawlOptions,
        summary: CrawlSummary,
        started_at: str,
    ):
        self.db = db
        self.options = options
        self.summary = summary
        self.started_at = started_at
        self.rechecks = 0
        self._too_deep: set[str] = set()
        # The frontier rows of the URLs being recorded, read in one statement; an entry is
        # used once, by the first item with its URL, and dropped when its row is written.
        self._rows: dict[str, dict[str, Any] | None] = {}

    def record(self, source: str, found: list[Found]) -> None:
        """Add every item of ``found`` (from page ``source``), minus those older than --since."""
        since = self.options.since
        kept = [i for i in found if not (since and i.published and i.published[:10] < since[:10])]
        if len(kept) > 1:
            known = frontier.rows_at(self.db, [item.url for item in kept])
            self._rows = {item.url: known.get(item.url) for item in kept}
        try:
            for item in kept:
                self.add(source, item)
        finally:
            self._rows = {}

    def article_at(self, url: str) -> bool:
        """Whether an article is stored at ``url``."""
        return known.article_at(self.db, url)

    def article_with_id(self, site: str, spip_id: int) -> str | None:
        """The address of the stored article with SPIP id ``spip_id`` on ``site``."""
        return known.article_with_id(self.db, site, spip_id)

    def add(self, source: str, item: Found) -> None:
        """Add one discovered URL, or queue a re-check of the known one."""
        url, site = item.url, site_of(item.url)
        if excluded(url, self.options.exclude):
            return
        row = self._rows.pop(url) if url in self._rows else frontier.get(self.db, url)
        marks = {item.source: item.lastmod} if item.lastmod is not None else {}
        if item.kind == "sitemap" and self._too_deep_below(source, site):
            return
        if row is None:
            lastmod = json.dumps(marks) if marks else None
            if item.kind == "sitemap":
                lastmod = item.lastmod
            spip_id = spip_id_from_url(url) if item.kind == "article" else None
            stored = item.kind == "article" and bool(
                self.article_at(url) or (spip_id and self.article_with_id(site, spip_id))
            )
            frontier.add_url(
                self.db,
                url,
                kind=item.kind,
                site=site,
                discovered_from=source,
                spip_id=spip_id,
                lastmod=lastmod,
                state="done" if stored else "pending",
            )
            self.summary.discovered += 0 if stored else 1
            if stored and item.source == "feed":
                self._recheck(frontier.get(self.db, url) or {}, "listed in a feed")
            return
        if item.kind == "sitemap":
            self._sitemap_again(row, item)
        elif item.kind == "article":
            self._article_again(row, item, marks)

    def _too_deep_below(self, source: str, site: str) -> bool:
        """Whether a sitemap listed by ``source`` would be too many indexes below a root one."""
        limit = self.options.max_sitemap_depth
        depth, url = 0, source
        while depth <= limit:
            row = frontier.get(self.db, url)
            if row is None or row["kind"] != "sitemap" or not row["discovered_from"]:
                return False
            depth, url = depth + 1, row["discovered_from"]
        if site not in self._too_deep:
            self._too_deep.add(site)
            log.warning("%s: sitemaps nested more than %d deep; not following them", site, limit)
        return True

    def _this_run(self, row: dict[str, Any]) -> bool:
        """Whether ``row`` was fetched (or queued) by this run already."""
        return (row.get("updated_at") or "") >= self.started_at

    def _article_again(self, row: dict[str, Any], item: Found, marks: dict[str, str]) -> None:
        # Signatures are kept per source (feed, sitemap): a feed's date and a sitemap's
        # lastmod are different clocks, only a change in the same source means a new version.
        known = json.loads(row["lastmod"]) if (row["lastmod"] or "").startswith("{") else {}
        merged = {**known, **marks}
        if merged != known:
            frontier.set_lastmod(self.db, row["id"], json.dumps(merged))
        changed = item.lastmod is not None and known.get(item.source, item.lastmod) != item.lastmod
        if changed:
            self._recheck(row, f"{item.source} says {item.lastmod}")
        elif item.source == "feed":
            self._recheck(row, "listed in a feed")

    def _recheck(self, row: dict[str, Any], why: str) -> None:
        """Queue the stored article of ``row`` for a conditional GET, once a run."""
        if not row or row["state"] not in ("done", "absent") or self._this_run(row):
            return
        target = row
        if row["kind"] == "spip_id" and row["state"] == "done":
            # An id probe that found an article: re-check it at its canonical address.
            stored = self.article_with_id(row["site"], row["spip_id"])
            canonical = frontier.get(self.db, stored) if stored else None
            if not canonical or canonical["state"] != "done" or self._this_run(canonical):
                return
            target = canonical
        log.info("re-checking %s (%s)", target["url"], why)
        frontier.requeue(self.db, target["url"], recheck=True)
        self._rows.pop(target["url"], None)
        self.rechecks += 1

    def _sitemap_again(self, row: dict[str, Any], item: Found) -> None:
        """A child sitemap listed again by its index: ask again unless its lastmod is the same."""
        if row["state"] not in ("done", "absent") or self._this_run(row):
            return
        if item.lastmod is not None and row["lastmod"] == item.lastmod:
            return
        frontier.requeue(self.db, row["url"], lastmod=item.lastmod)
