"""A whole site in SPIP 4 markup (main.main, sommaire plugin, 4.x pagination), crawled from home."""

from __future__ import annotations

import json
import shutil

import sqlite_utils

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive_sample import SampleSite, default_site_dir, load_site
from sample_truth import headings, norm, note_count, plain


def test_backfill_of_a_spip4_site_archives_every_article_once(tmp_path) -> None:
    site_dir = tmp_path / "site"
    shutil.copytree(default_site_dir(), site_dir)
    toml = site_dir / "site.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('template = "spip3"', 'template = "spip4"'),
        encoding="utf-8",
    )
    source = load_site(site_dir)
    assert {r.template for r in source.rubriques.values()} == {"spip4"}
    published = {a.id: a for a in source.published()}

    db_path = tmp_path / "archive.db"
    with SampleSite(site_dir=site_dir) as site:
        summary = run_crawl(db_path, [site.base_url], CrawlOptions(backfill=True, delay=0))
        listing = [r.path for r in site.requests if "debut_articles=10" in r.path]
    assert summary.failed == 0
    assert summary.new == len(published)
    assert listing, "the 4.x pagination of a rubric listing was followed"

    db = sqlite_utils.Database(db_path)
    rows = list(db.query("select * from articles"))
    assert sorted(r["spip_id"] for r in rows) == sorted(published)
    for row in rows:
        art = published[row["spip_id"]]
        assert norm(row["title"]) == plain(art.title)
        toc = [(e["level"], norm(e["title"])) for e in json.loads(row["toc"])]
        assert toc == headings(art.texte)
        notes = db.execute(
            "select count(*) from footnotes where article_id = ?", [row["id"]]
        ).fetchone()[0]
        assert notes == note_count(art)
        assert "Sommaire" not in row["body_text"]
    db.close()
