"""What the user sees during a crawl: a rich progress bar on a terminal, else nothing.

The engine calls ``update(summary, known)`` after each page; these classes only draw.
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
            TextColumn("{task.fields[rate]:.1f} art/s"),
            TextColumn("new {task.fields[new]} · failed {task.fields[failed]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self._task = self._bar.add_task("crawl", total=None, rate=0.0, new=0, failed=0)

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
        """Redraw from the running counts."""
        done = summary.new + summary.updated + summary.unchanged + summary.absent
        done += summary.failed + summary.skipped
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self._bar.update(
            self._task,
            completed=min(done, max(known, done)),
            total=max(known, done) or None,
            rate=(summary.new + summary.updated + summary.unchanged) / elapsed,
            new=summary.new,
            failed=summary.failed,
        )


class Recorder:
    """Keeps every update (for tests and callers that draw their own display)."""

    def __init__(self) -> None:
        self.updates: list[tuple[int, int]] = []

    def update(self, summary: CrawlSummary, known: int) -> None:
        """Remember (articles stored, articles known)."""
        self.updates.append((summary.new + summary.updated + summary.unchanged, known))
