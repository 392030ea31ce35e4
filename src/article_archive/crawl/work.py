"""One frontier row in, one Outcome out: fetch, then extract or discover. Runs in worker threads.

Nothing here touches the database: the engine reads what a job needs (validators, the site's
home) before handing it over, and writes the Outcome afterwards, from its own thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from article_archive.crawl.absent import SitePrints, absent_reason, page_print
from article_archive.crawl.discovery import Found, analyse_home, analyse_listing, analyse_plan
from article_archive.crawl.exclude import excluded
from article_archive.crawl.options import CrawlOptions
from article_archive.discover.feeds import find_feed_links, parse_feed, spip_backend_url
from article_archive.discover.links import SiteScope
from article_archive.discover.sitemaps import parse_sitemap
from article_archive.discover.spip import classify, spip_id_from_url
from article_archive.errors import (
    BadURLError,
    ContentRejected,
    ExtractionError,
    FetchError,
    HostPaused,
    RobotsDisallowed,
    describe,
)
from article_archive.extract.chrome import Block, ChromeBlocks
from article_archive.extract.spip import is_spip
from article_archive.fetch.client import (
    FEED_TYPES,
    HTML_TYPES,
    PAGE_TYPES,
    RETRY_STATUSES,
    SITEMAP_TYPES,
    XML_TYPES,
    HttpClient,
    error_result,
    media_type,
)
from article_archive.models import Article, FeedEntry, FetchResult
from article_archive.sites import site_of
from article_archive.spip_urls import backend_filters
from article_archive.store.chrome import LEARNED_KINDS

log = logging.getLogger(__name__)

ARTICLE_KINDS = ("article", "spip_id")


class CrawlInterrupted(Exception):
    """Raised in a worker waiting for its turn on a host when the crawl is stopping."""


@dataclass
class Job:
    """A claimed frontier row plus what the worker needs from the database."""

    row: dict[str, Any]
    etag: str | None = None
    last_modified: str | None = None
    seed: bool = False
    # A feed asked with validators: its stored body, read again when the answer is a 304 so
    # that the articles it lists are re-checked all the same.
    cached: bytes | None = None
    # An id probe's answer is compared with these (``crawl.absent``): the site's home page,
    # listings and the articles archived this run.
    prints: SitePrints | None = None

    @property
    def url(self) -> str:
        return self.row["url"]

    @property
    def kind(self) -> str:
        return self.row["kind"]


@dataclass
class Outcome:
    """What happened to one job; the engine stores it in one transaction."""

    job: Job
    state: str = "done"
    result: FetchResult | None = None
    error: str | None = None
    article: Article | None = None
    found: list[Found] = field(default_factory=list)
    feed: dict[str, Any] | None = None
    not_modified: bool = False
    keep_body: bool = True
    spip: bool | None = None
    paused: bool = False
    # a failure that may pass (5xx, dropped connection): the engine may retry it later in the
    # run (``retry_at``, an ISO time) instead of failing it
    retry: bool = False
    retry_at: str | None = None
    saved: str | None = None
    # a feed whose new bytes say what its stored copy says (SPIP renders the same feed with
    # other note anchors from one request to the next): its page row is left as it is
    same_content: bool = False
    # What a home, plan or listing page reads as (``crawl.absent.page_print``): an id probe
    # answering the same is that page again, not an article
    page_print: str | None = None
    # the page's blocks, for its site's template (crawl.templates), and the chrome the
    # article was extracted with
    blocks: list[Block] | None = None
    chrome: ChromeBlocks | None = None


# Failures that cost a whole timeout or deadline: not tried again in this run (the next run
# does), so a hanging page costs its host at most one response deadline per run.


def may_pass(exc: FetchError) -> bool:
    """Whether a failed fetch is worth one more try later in this run.

    A 5xx or 429, a refused or dropped connection: yes (they fail fast). A timeout or a body
    past its deadline: no. A rejected body, a bad address, a redirect loop: never.
    """
    if isinstance(exc, (ContentRejected, RobotsDisallowed, HostPaused, BadURLError)):
        return False
    if exc.status:
        return exc.status in RETRY_STATUSES
    if exc.result is not None and exc.result.status:
        return False  # answered, then failed (a redirect loop or off site)
    return not exc.slow


def entry_signature(entry: FeedEntry) -> str | None:
    """What a feed or sitemap says about an entry's version: a change means re-fetch."""
    stamp = entry.updated or entry.published
    if stamp is None and entry.title is None:
        return None
    return f"{stamp or ''}|{entry.title or ''}"


class Worker:
    """Turns jobs into outcomes with one shared HttpClient."""

    def __init__(self, client: HttpClient, options: CrawlOptions, scope: SiteScope):
        self.client = client
        self.options = options
        self.scope = scope
        # each site's learned chrome (crawl.templates.SiteTemplates.chrome, set by the engine)
        self.templates: dict[str, ChromeBlocks] = {}

    def run(self, job: Job) -> Outcome:
        """Process ``job``; never raises (failures become the outcome's state)."""
        pattern = excluded(job.url, self.options.exclude)
        if pattern is not None:  # queued before --exclude said so (a seed, an earlier run)
            return Outcome(job, state="skipped", error=f"excluded by --exclude {pattern}")
        try:
            return _with_blocks(self._run(job))
        except HostPaused as exc:
            return Outcome(job, state="pending", error=str(exc), paused=True)
        except CrawlInterrupted:
            return Outcome(job, state="pending")
        except RobotsDisallowed as exc:
            return Outcome(job, state="skipped", error=str(exc))
        except FetchError as exc:
            result = error_result(job.url, exc)
            return Outcome(
                job, state="failed", result=result, error=result.error, retry=may_pass(exc)
            )
        except Exception as exc:  # a bug must cost one page, not the crawl
            log.exception("unexpected error on %s", job.url)
            return Outcome(job, state="failed", error=describe(exc))

    def _fetch(self, job: Job, accept: tuple[str, ...] | None) -> FetchResult:
        """GET the job's URL; a seed may redirect to another site, which the crawl adopts.

        That is how a site named ``example.org`` that lives at ``www.example.org`` is
        crawled, with no guessed twin host: the site itself says where it is.
        """
        result = self.client.fetch(
            job.url,
            etag=job.etag,
            last_modified=job.last_modified,
            accept=accept,
            allow_redirect=None if job.seed else self.scope.__contains__,
            retries=0,  # retried later in the run by the engine, never in place
        )
        if job.seed and result.status == 200 and self.scope.add(result.final_url):
            log.info("%s moved to %s: crawling that site", job.url, site_of(result.final_url))
        return result

    def _run(self, job: Job) -> Outcome:
        kind = job.kind
        if kind == "feed":
            return self._feed(job, self._fetch(job, (*FEED_TYPES, "text/html")))
        if kind == "sitemap":
            try:
                return self._sitemap(job, self._fetch(job, SITEMAP_TYPES))
            except ContentRejected as exc:
                # A guessed /sitemap.xml that answers a web page (SPIP 4 sends its
                # home page with a 200) means there is no sitemap there: absent, not a failure.
                if job.seed or exc.status != 200:
                    raise
                return Outcome(job, state="absent", error=f"not a sitemap: {exc}")
        result = self._fetch(job, PAGE_TYPES)
        if result.status == 304:
            return Outcome(job, result=result, not_modified=True)
        if result.status != 200:
            # A 404 is expected for an id probe or a guessed plan page; for an article a feed,
            # a sitemap or the user gave, or a seed, it is a failure.
            expected = kind in ("spip_id", "plan", "listing")
            state = "absent" if result.status in (404, 410) and expected else "failed"
            return Outcome(
                job, state=state, result=result, error=f"HTTP {result.status}", keep_body=False
            )
        if media_type(result.content_type) in XML_TYPES:
            return self._feed(job, result)
        if kind == "home":
            return self._printed(self._home(job, result))
        if kind == "plan":
            found = analyse_plan(result.body, result.final_url, self.scope)
            return self._printed(Outcome(job, result=result, found=found))
        if kind == "listing":
            found = analyse_listing(result.body, result.final_url, self.scope)
            return self._printed(Outcome(job, result=result, found=found))
        return self._article(job, result)

    def _printed(self, outcome: Outcome) -> Outcome:
        """A page that leads to articles, with its print when the id walk will compare with it."""
        result = outcome.result
        if self.options.backfill and result is not None and result.status == 200:
            outcome.page_print = page_print(result.body, result.final_url, result.headers)
        return outcome

    def _home(self, job: Job, result: FetchResult) -> Outcome:
        spip, found = analyse_home(
            result.body,
            result.headers,
            result.final_url,
            backfill=self.options.backfill,
            scope=self.scope,
            robots_sitemaps=self.client.robots.sitemaps(result.final_url),
        )
        return Outcome(job, result=result, found=found, spip=spip)

    def _feed(self, job: Job, result: FetchResult) -> Outcome:
        feed: dict[str, Any] = {
            "status": result.status,
            "etag": result.etag,
            "last_modified": result.last_modified,
        }
        if result.status == 304:
            feed = {k: v for k, v in feed.items() if v is not None}  # keep the stored validators
            found = self._feed_entries(job, job.cached, result.final_url) if job.cached else []
            return Outcome(job, result=result, not_modified=True, feed=feed, found=found)
        if result.status != 200:
            state = "absent" if result.status in (404, 410) else "failed"
            feed["error"] = f"HTTP {result.status}"
            return Outcome(job, state=state, result=result, error=feed["error"], feed=feed)
        try:
            title, entries = parse_feed(result.body, result.final_url)
        except ExtractionError as exc:
            if job.seed and media_type(result.content_type) not in XML_TYPES:
                return self._home(job, result)
            feed.update(error=str(exc), etag=None, last_modified=None)
            return Outcome(job, state="failed", result=result, error=str(exc), feed=feed)
        feed["title"] = title
        feed["error"] = None
        same = (result.etag, result.last_modified) == (job.etag, job.last_modified) and (
            self._stored_feed(job, result.final_url) == (title, entries)
        )
        found = self._found_in(job, entries)
        return Outcome(job, result=result, found=found, feed=feed, same_content=same)

    def _stored_feed(self, job: Job, url: str) -> tuple[str | None, list[FeedEntry]] | None:
        """Title and entries of the feed's stored copy, if there is a readable one."""
        if not job.cached:
            return None
        try:
            return parse_feed(job.cached, url)
        except ExtractionError:
            return None

    def _found_in(self, job: Job, entries: list[FeedEntry]) -> list[Found]:
        """The feed's entries on the crawled sites, as articles found.

        Entries of the site's feed (or of a feed the user gave) are re-checked on every run,
        since SPIP's feed does not change when an article is edited; those of a rubric's or a
        language's feed, found on rubric pages, only bring new articles in (or a re-check when
        the entry itself changed): a site has hundreds of rubrics, and their feeds list articles
        the site's feed mostly lists too.
        """
        source = "section feed" if backend_filters(job.url) and not job.seed else "feed"
        return [
            Found(e.url, "article", entry_signature(e), e.published, source)
            for e in entries
            if e.url in self.scope
        ]

    def _feed_entries(self, job: Job, body: bytes, url: str) -> list[Found]:
        """The entries of a feed's stored body (its answer was 304)."""
        try:
            return self._found_in(job, parse_feed(body, url)[1])
        except ExtractionError as exc:
            log.info("stored copy of %s unreadable: %s", url, exc)
            return []

    def _sitemap(self, job: Job, result: FetchResult) -> Outcome:
        if result.status == 304:
            return Outcome(job, result=result, not_modified=True)
        if result.status != 200:
            state = "absent" if result.status in (404, 410) else "failed"
            return Outcome(
                job, state=state, result=result, error=f"HTTP {result.status}", keep_body=False
            )
        try:
            entries, children = parse_sitemap(result.body, result.final_url)
        except ExtractionError as exc:
            return Outcome(job, state="failed", result=result, error=str(exc))
        found = [
            Found(c.url, "sitemap", c.updated, source="sitemap")
            for c in children
            if c.url in self.scope
        ]
        for entry in entries:
            if entry.url not in self.scope:
                continue
            what = classify(entry.url)
            if what == "article":
                found.append(
                    Found(entry.url, "article", entry.updated or "", entry.updated, "sitemap")
                )
            elif what in ("rubrique", "listing") and self.options.backfill:
                found.append(Found(entry.url, "listing"))
        return Outcome(job, result=result, found=found)

    def _article(self, job: Job, result: FetchResult) -> Outcome:
        from article_archive.extract import extract_article

        if job.kind == "spip_id" and _is_home(result):
            return Outcome(
                job, state="absent", result=result, error="redirected home", keep_body=False
            )
        chrome = self.templates.get(site_of(result.final_url)) or None
        try:
            article = extract_article(result.body, result.final_url, result.headers, chrome=chrome)
        except ExtractionError as exc:
            if job.kind == "spip_id":
                return Outcome(
                    job, state="absent", result=result, error=f"no article: {exc}", keep_body=False
                )
            if job.seed:
                return self._home(job, result)
            return Outcome(job, state="failed", result=result, error=str(exc))
        if article.spip_id is None:
            article.spip_id = job.row.get("spip_id") or spip_id_from_url(result.final_url)
        if job.kind == "spip_id" and job.row.get("spip_id"):
            reason = absent_reason(job.row["spip_id"], result, article, job.prints or SitePrints())
            if reason is not None:
                return Outcome(job, state="absent", result=result, error=reason, keep_body=False)
        outcome = Outcome(job, result=result, article=article, chrome=chrome)
        if job.seed:
            outcome.spip, outcome.found = self._seed_article_feeds(result)
        since = self.options.since
        published = article.published
        if since and published and published[:10] < since[:10]:
            outcome.state, outcome.article = "skipped", None
            outcome.error = f"published {published}"
        return outcome

    def _seed_article_feeds(self, result: FetchResult) -> tuple[bool, list[Found]]:
        """An article given as seed: its site's feeds, kept for this and later runs.

        The site is not walked unless asked (``--backfill`` queues its home page, which leads
        to the plan, listings, sitemaps and the id walk).
        """
        spip = is_spip(result.body, result.headers)
        root = urljoin(result.final_url, "/")
        feeds = self.scope.filter(find_feed_links(result.body, result.final_url))
        if spip and spip_backend_url(root) not in feeds:
            feeds.append(spip_backend_url(root))
        found = [Found(f, "feed") for f in feeds]
        if self.options.backfill:
            found.append(Found(root, "home"))
        return spip, found


def _with_blocks(outcome: Outcome) -> Outcome:
    """An HTML page of the site (home, plan, listing, article) brings its template blocks."""
    from article_archive.extract import learn_blocks

    result = outcome.result
    if (
        outcome.state == "done"
        and result is not None
        and result.status == 200
        and outcome.job.kind in LEARNED_KINDS
        and media_type(result.content_type) in HTML_TYPES
    ):
        outcome.blocks = learn_blocks(
            result.body, result.final_url, result.headers, charset=result.charset
        )
    return outcome


def _is_home(result: FetchResult) -> bool:
    """A SPIP id that redirects to the site's home page is not an article."""
    return (
        bool(result.redirects)
        and classify(result.final_url) == "home"
        and not (urlsplit(result.final_url).query)
    )
