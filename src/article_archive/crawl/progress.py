"""What the user sees during a crawl: a rich progress bar on a terminal, else nothing.

The engine calls ``update(summary, known)`` (at most a few times a second): ``known`` is the
articles this run stored or checked plus the article addresses still to fetch (SPIP ids
queued by the walk included, until they turn out absent). These classes only draw.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from article_archive.crawl.options import CrawlSummary


class CrawlProgress:
    """A progress bar: articles done out of articles known, rate, failures."""

    def __init__(self, console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.started = time.monotonic()
        self._bar = Progress(
            TextColumn("[bold]crawl"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("articles · {task.fields[rate]:.1f} art/s"),
            TextColumn(
                "new {task.fields[new]} · updated {task.fields[updated]} · "
                "failed {task.fields[failed]}"
            ),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self._task = self._bar.add_task("crawl", total=None, rate=0.0, new=0, updated=0, failed=0)

    def __enter__(self) -> CrawlProgress:
        self._bar.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._bar.stop()

    def update(self, summary: CrawlSummary, known: int) -> None:
        """Redraw: articles done (new, updated, unchanged) out of known, rate, failures."""
        done = summary.new + summary.updated + summary.unchanged
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self._bar.update(
            self._task,
            completed=done,
            total=max(known, done) or None,
            rate=done / elapsed,
            new=summary.new,
            updated=summary.updated,
            failed=summary.failed,
        )


class Recorder:
    """Keeps every update (for tests and callers that draw their own display)."""

    def __init__(self) -> None:
        self.updates: list[tuple[int, int]] = []

    def update(self, summary: CrawlSummary, known: int) -> None:
        """Remember (articles stored, articles known)."""
        self.updates.append((summary.new + summary.updated + summary.unchanged, known))
