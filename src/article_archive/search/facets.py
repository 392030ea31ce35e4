"""Facet counts of a search: per section, author, language and year among its matches.

Counted in Python over the per-archive values kept in memory (``archive_facts``), so the
facets of a search over its whole match set take a few milliseconds. A facet counts each
article under its own section (the narrowed search then also holds that section's
sub-rubrics, when it has any).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from itertools import chain
from typing import Any

from article_archive.search import archive_facts

FACET_LIMITS = {"site": 30, "section": 12, "author": 12, "lang": None, "year": 30}


def facets(conn: sqlite3.Connection, ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """Counts per site, section, author, language and year among the articles ``ids``.

    The site facet is there only when the archive holds several sites.
    """
    data = archive_facts.facet_data(conn)
    combos = Counter(map(data.combo_of, ids))
    per: dict[str, Counter[Any]] = {"section": Counter(), "lang": Counter(), "year": Counter()}
    for combo, n in combos.items():
        if combo:
            for name, value in zip(("section", "lang", "year"), data.combos[combo], strict=True):
                if value is not None:
                    per[name][value] += n
    authors = Counter(chain.from_iterable(map(data.authors_of, ids)))
    sites: Counter[Any] = Counter(map(data.site_of, ids)) if len(data.sites) > 1 else Counter()
    out = {
        "site": _rows(sites, str),
        "section": _rows(per["section"], str),
        "author": [
            {"value": a, "label": data.author_names.get(a, str(a)), "n": n}
            for a, n in authors.items()
        ],
        "lang": _rows(per["lang"], str),
        "year": _rows(per["year"], int),
    }
    out["author"].sort(key=lambda row: (-row["n"], row["label"]))
    out["year"].sort(key=lambda row: row["value"], reverse=True)
    return {name: rows[: FACET_LIMITS[name]] for name, rows in out.items()}


def _rows(counts: Counter[Any], kind: type) -> list[dict[str, Any]]:
    """Facet rows, most frequent first, then by label."""
    rows = [{"value": v, "label": v, "n": n} for v, n in counts.items() if isinstance(v, kind)]
    return sorted(rows, key=lambda row: (-row["n"], row["label"]))
