"""Parsers of the crawl's option values: id ranges, sizes, durations, patterns, seconds."""

from __future__ import annotations

import math
from typing import Any

import click

#: Longest pause between two requests to a host that --delay takes (one hour).
MAX_DELAY = 3600.0


class Seconds(click.FloatRange):
    """A number of seconds from 0 to MAX_DELAY (``nan`` and ``inf`` refused)."""

    name = "seconds"

    def __init__(self) -> None:
        super().__init__(min=0, max=MAX_DELAY)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return number


def parse_ids(value: str | None) -> tuple[int, int] | None:
    """``60000-70000`` (or one id) → the inclusive bounds of the id walk."""
    if not value:
        return None
    try:
        low, _, high = value.partition("-")
        bounds = (int(low), int(high or low))
    except ValueError:
        raise click.BadParameter("expected A-B, e.g. 60000-70000") from None
    if bounds[0] < 1 or bounds[1] < bounds[0]:
        raise click.BadParameter("expected 1 <= A <= B")
    return bounds


_SIZE_UNITS = {"": 1, "K": 1000, "M": 1000**2, "G": 1000**3}


def parse_size(value: str) -> int:
    """``20MB``, ``500k``, ``1000000`` → bytes (units of 1000, as disks count)."""
    text = value.strip().upper().removesuffix("B").strip()
    number, unit = (text[:-1], text[-1]) if text[-1:] in "KMG" else (text, "")
    try:
        size = int(float(number) * _SIZE_UNITS[unit])
    except ValueError:
        raise click.BadParameter(f"expected a size such as 20MB or 500k, not {value!r}") from None
    if size < 1:
        raise click.BadParameter("expected a size of at least one byte")
    return size


def exclude_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """The --exclude patterns, checked now so that a bad one is refused before any fetch."""
    from article_archive.crawl.exclude import check_patterns

    try:
        return check_patterns(patterns)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--exclude") from None


def duration(value: str) -> float:
    """``3d``, ``12h`` → seconds, a bad value said as the option's error."""
    from article_archive.crawl.options import parse_duration

    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
