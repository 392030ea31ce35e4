"""import_paths: saved HTML files and folders ingested as if crawled."""

from __future__ import annotations

import sqlite_utils

from article_archive.ingest import import_paths
from article_archive.store.pages import load_body
from article_archive_sample.server import SampleSite


def test_import_folder_of_saved_pages(tmp_path):
    saved = tmp_path / "saved"
    (saved / "sub").mkdir(parents=True)
    with SampleSite() as site:
        import httpx

        with httpx.Client(follow_redirects=True) as http:
            good = http.get(site.base_url + "spip.php?article41").content
    (saved / "sub" / "article41.html").write_bytes(good)
    (saved / "broken.html").write_bytes(b"<html><body><p>nothing here</p></body></html>")
    (saved / "notes.txt").write_text("ignored")
    db_path = tmp_path / "a.db"
    summary = import_paths(db_path, [saved], "https://www.example.org/archive")
    assert (summary.new, summary.failed, summary.discovered) == (1, 1, 2)
    db = sqlite_utils.Database(db_path)
    pages = {r[0]: (r[1], r[2]) for r in db.execute("SELECT url, kind, error FROM pages")}
    assert set(pages) == {
        "https://www.example.org/archive/broken.html",
        "https://www.example.org/archive/sub/article41.html",
    }
    # The reason is stored as a sentence, naming no exception class.
    error = pages["https://www.example.org/archive/broken.html"][1]
    assert error.endswith("the 'title' field is missing or empty")
    assert "Error" not in error
    article = next(db.query("SELECT spip_id, title, page_id FROM articles"))
    assert article["spip_id"] == 41
    assert article["title"].startswith("Aides à domicile")
    assert load_body(db, article["page_id"]) == good
    db.close()
    again = import_paths(
        db_path, [saved / "sub" / "article41.html"], "https://www.example.org/archive/sub/"
    )
    assert (again.new, again.unchanged) == (0, 1)
