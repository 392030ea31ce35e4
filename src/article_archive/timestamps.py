"""The archive's clock as text: every stored time is ISO 8601 UTC from :func:`now_iso`."""

from __future__ import annotations

from datetime import UTC, datetime


def now_iso(timespec: str = "microseconds") -> str:
    """The current UTC time in ISO 8601, to the microsecond unless ``timespec`` says otherwise.

    Microseconds by default because a run tells the rows it touched by ``updated_at >= its
    start``, and two runs can follow each other within a second (cron catching up, tests);
    fetch times are kept to the second (``timespec="seconds"``), as a page shows them.
    """
    return datetime.now(UTC).isoformat(timespec=timespec)
