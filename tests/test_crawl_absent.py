"""The id walk over a theme that answers unknown ids with a 200 (tests/absent_site.py): only the
real articles are archived, and the walk ends ``id_gap`` ids past the last of them."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from absent_site import REAL, AbsentSite, slug_of, title_of
from article_archive.crawl import CrawlOptions, run_crawl

GAP = 5
OPTIONS = {"backfill": True, "delay": 0, "id_gap": GAP, "retries": 0, "timeout": 5.0}


def _rows(db: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("mode", ["home", "listing", "newest", "canonical", "crayon"])
def test_an_unknown_id_answered_with_another_page_is_absent(tmp_path: Path, mode: str) -> None:
    db = tmp_path / "archive.db"
    with AbsentSite(mode) as site:
        summary = run_crawl(db, [site.base_url], CrawlOptions(**OPTIONS))
        probes, base = dict(site.probes), site.base_url
    stored = _rows(db, "SELECT url, title FROM articles ORDER BY url")
    assert sorted(stored) == sorted((base + slug_of(n), title_of(n)) for n in REAL)
    assert summary.new == len(REAL)
    # every id up to the last article plus the gap was asked once, and not one more
    assert sorted(probes) == list(range(1, max(REAL) + GAP + 1))
    assert set(probes.values()) == {1}
    unknown = [n for n in probes if n not in REAL]
    states = dict(_rows(db, "SELECT spip_id, state FROM frontier WHERE kind = 'spip_id'"))
    assert {n: states[n] for n in unknown} == dict.fromkeys(unknown, "absent")
    assert {n: states[n] for n in REAL} == dict.fromkeys(REAL, "done")


def test_why_an_answer_is_absent_is_recorded(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with AbsentSite("newest") as site:
        run_crawl(db, [site.base_url], CrawlOptions(**OPTIONS))
        newest = site.base_url + slug_of(max(REAL))
    errors = dict(_rows(db, "SELECT spip_id, last_error FROM frontier WHERE kind = 'spip_id'"))
    assert errors[4] == f"same page as {newest}"


def test_a_canonical_naming_article_zero_is_no_address(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with AbsentSite("home", zero_canonical=True) as site:
        run_crawl(db, [site.base_url], CrawlOptions(**OPTIONS))
        base = site.base_url
    stored = _rows(db, "SELECT url, title FROM articles")
    assert sorted(stored) == sorted((base + slug_of(n), title_of(n)) for n in REAL)
