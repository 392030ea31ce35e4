"""What a crawl is asked to do (CrawlOptions) and what it did (CrawlSummary)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields

from article_archive.store.gone import DEFAULT_GONE_AFTER

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``7d``, ``12h``, ``30m``, ``45s``, ``2w`` or a plain number of seconds.

    Raises ValueError for anything else (the CLI turns it into a usage message).
    """
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"cannot read {text!r} as a duration; try 7d, 12h, 30m or 45s")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()]


@dataclass
class CrawlOptions:
    """Knobs of ``run_crawl``; the defaults are the polite ones of the CLI."""

    backfill: bool = False
    max_articles: int | None = None
    delay: float = 1.0
    concurrency: int = 4
    since: str | None = None
    user_agent: str | None = None
    ignore_robots: bool = False
    ids: tuple[int, int] | None = None
    id_gap: int = 50
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    retries: int = 3
    backoff: float = 1.0
    max_failures: int = 5
    max_crawl_delay: float | None = 30.0  # None: obey any robots.txt Crawl-delay
    max_sitemaps: int = 500  # sitemaps fetched per site per run
    max_sitemap_depth: int = 5  # sitemap indexes followed below a root sitemap
    progress: bool = False
    media: bool = True  # also archive the images and documents of the articles (crawl.media)
    media_max_size: int = 20_000_000
    # seconds a 5xx or a timeout must persist before an archived article counts as gone
    gone_after: float = DEFAULT_GONE_AFTER
    # globs or re:… patterns of addresses never fetched (``crawl.exclude``)
    exclude: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The options as JSON-friendly values (stored in ``crawls.options``)."""
        return asdict(self)


@dataclass
class CrawlSummary:
    """Counts of one run; ``interrupted`` when SIGINT stopped it early."""

    discovered: int = 0
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    absent: int = 0
    skipped: int = 0
    feeds_not_modified: int = 0
    media: int = 0
    media_refused: int = 0
    warned: int = 0  # pages archived with warnings (on their row: pages.warnings)
    elapsed: float = 0.0
    interrupted: bool = False
    errors: list[str] = field(default_factory=list, repr=False)
    #: Answers with a 2xx/3xx status (304 included): none at all means the site gave nothing.
    answered: int = field(default=0, repr=False)

    def counts(self) -> dict[str, float]:
        """The numeric counts, as stored in the ``crawls`` row."""
        skip = {"interrupted", "errors", "answered"}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}

    @property
    def nothing_fetched(self) -> bool:
        """Something was asked and no request got a usable answer (CLI exit 3)."""
        tried = self.failed + self.absent + self.skipped
        return self.answered == 0 and tried > 0 and not self.interrupted

    def line(self) -> str:
        """One summary line for the terminal or a log."""
        text = (
            f"discovered {self.discovered}, fetched {self.fetched}, new {self.new}, "
            f"updated {self.updated}, unchanged {self.unchanged}, failed {self.failed}, "
            f"absent {self.absent}, skipped {self.skipped}, "
            f"feeds not modified {self.feeds_not_modified}"
        )
        if self.media or self.media_refused:
            text += f", media {self.media} (refused {self.media_refused})"
        if self.warned:
            text += f", {self.warned} with warnings (see status)"
        text += f" in {self.elapsed:.1f}s"
        return text + (" (interrupted)" if self.interrupted else "")
