"""``crawl --exclude PATTERN``: addresses kept out of the archive, never fetched.

A pattern is a glob matched against the whole URL (``*/forum/*``, ``https://site.org/tag/*``),
or, written ``re:…``, a regular expression searched in it (``re:[?&]lang=en\\b``).
"""

from __future__ import annotations

import fnmatch
import re
from functools import lru_cache

REGEX_PREFIX = "re:"


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern.startswith(REGEX_PREFIX):
        return re.compile(pattern[len(REGEX_PREFIX) :])
    return re.compile(fnmatch.translate(pattern))


def check_patterns(patterns: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The patterns, each checked to compile (a ValueError saying which does not)."""
    for pattern in patterns:
        try:
            _compiled(pattern)
        except re.error as exc:
            raise ValueError(f"--exclude {pattern!r}: not a regular expression: {exc}") from None
    return tuple(patterns)


def excluded(url: str, patterns: tuple[str, ...] | list[str]) -> str | None:
    """The first pattern that ``url`` matches, or None."""
    for pattern in patterns:
        regex = _compiled(pattern)
        found = regex.search(url) if pattern.startswith(REGEX_PREFIX) else regex.match(url)
        if found:
            return pattern
    return None
