"""A WARC written by Debian's wget (--warc-file) over the sample site, imported as if crawled."""

from __future__ import annotations

import os
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
import sqlite_utils

from article_archive_sample.server import SampleSite, default_site_dir
from article_archive_sample.site import load_site
from sample_truth import norm
from warc_sample import run_cli

# Skipped only outside CI (a developer without wget); in CI `make test` installs it, so a
# missing wget fails the test instead of hiding a broken install step.
pytestmark = pytest.mark.skipif(
    shutil.which("wget") is None and not os.environ.get("CI"),
    reason="needs Debian's wget: apt-get install wget",
)


def test_wget_warc_imports_every_article_it_fetched(tmp_path):
    warc = tmp_path / "site"
    with SampleSite() as site:
        command = ["wget", f"--warc-file={warc}", "--recursive", "--level=1", "--no-parent"]
        # --compression=auto: wget asks for gzip, so the WARC keeps gzip-encoded payloads
        command += ["-e", "robots=off", "--compression=auto", "-q", "-P", str(tmp_path / "files")]
        subprocess.run([*command, site.base_url], timeout=300, check=False)
        fetched = {urlsplit(r.path).path.strip("/") for r in site.requests if r.status == 200}
    sample = load_site(default_site_dir())
    expected = {a.id: a.title for a in sample.published() if a.slug in fetched}
    assert len(expected) >= 5  # the home page links several articles
    db_path = tmp_path / "a.db"
    result = run_cli("import", f"{warc}.warc.gz", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert "failed 0" in result.stdout
    db = sqlite_utils.Database(db_path)
    rows = db.execute("SELECT spip_id, title, word_count FROM articles").fetchall()
    db.close()
    assert {spip_id: norm(title) for spip_id, title, _ in rows} == {
        k: norm(v) for k, v in expected.items()
    }
    assert all(words > 20 for _, _, words in rows)
