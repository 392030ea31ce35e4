"""Crawl, export WARC or WACZ, import into a fresh archive: the same articles come back."""

from __future__ import annotations

import pytest
import sqlite_utils

from warc_sample import crawl_sample, run_cli

FIELDS = "url, spip_id, title, lead, published, section, body_text, body_html, word_count"


def _articles(db_path) -> dict[str, tuple]:
    db = sqlite_utils.Database(db_path)
    rows = {row[0]: row for row in db.execute(f"SELECT {FIELDS} FROM articles")}
    db.close()
    return rows


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("roundtrip") / "crawled.db"
    crawl_sample(db_path)
    return db_path


@pytest.mark.parametrize("name", ["archive.warc.gz", "archive.wacz"])
def test_export_then_import_gives_the_same_articles(crawled, tmp_path, name):
    out = tmp_path / name
    fmt = name.rsplit(".", 2)[1]
    exported = run_cli("export", "--db", str(crawled), "--format", fmt, "--output", str(out))
    assert exported.exit_code == 0, exported.output
    fresh = tmp_path / "fresh.db"
    imported = run_cli("import", str(out), "--db", str(fresh))
    assert imported.exit_code == 0, imported.output
    assert "failed 0" in imported.stdout
    before, after = _articles(crawled), _articles(fresh)
    assert len(before) > 10
    assert after == before
