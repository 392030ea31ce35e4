"""`forget` and `crawl --exclude` on real crawls of the bundled sample site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from article_archive.cli import cli
from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.crawl.exclude import excluded
from article_archive_sample.server import SampleSite

FAST = {"delay": 0, "retries": 0, "backoff": 0.01, "id_gap": 10, "progress": False}


def crawl(site: SampleSite, db: Path, **options: object) -> None:
    run_crawl(db, [site.base_url], CrawlOptions(**{**FAST, **options}))


def article_with_children(db: sqlite_utils.Database) -> dict:
    """An article that has authors, keywords and footnotes, to see them all go."""
    return next(
        db.query(
            "SELECT id, url, title, spip_id FROM articles a WHERE "
            "EXISTS (SELECT 1 FROM footnotes f WHERE f.article_id = a.id) AND "
            "EXISTS (SELECT 1 FROM article_keywords k WHERE k.article_id = a.id) "
            "ORDER BY id LIMIT 1"
        )
    )


def rows_of(db: sqlite_utils.Database, article_id: int) -> dict[str, int]:
    """How many rows of each table still name the article."""
    counts = {}
    for table in ("article_authors", "article_keywords", "footnotes", "revisions"):
        sql = f"SELECT count(*) FROM {table} WHERE article_id = ?"
        counts[table] = db.execute(sql, [article_id]).fetchone()[0]
    for table in ("articles_fts", "article_stems"):
        sql = f"SELECT count(*) FROM {table} WHERE rowid = ?"
        counts[table] = db.execute(sql, [article_id]).fetchone()[0]
    counts["articles"] = db.execute(
        "SELECT count(*) FROM articles WHERE id = ?", [article_id]
    ).fetchone()[0]
    counts["pages linked"] = db.execute(
        "SELECT count(*) FROM pages WHERE article_id = ?", [article_id]
    ).fetchone()[0]
    return counts


def paths_asked(site: SampleSite) -> set[str]:
    return {record.path for record in site.requests}


def test_forget_removes_an_article_everywhere_and_a_backfill_does_not_bring_it_back(
    tmp_path,
) -> None:
    db_path = tmp_path / "archive.db"
    with SampleSite() as site:
        crawl(site, db_path)
        db = sqlite_utils.Database(db_path)
        target = article_with_children(db)
        before = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert rows_of(db, target["id"])["footnotes"] > 0
        title_word = max(target["title"].split(), key=len)
        db.close()

        args = ["forget", target["url"], "--db", str(db_path), "--reason", "takedown request"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"Forgot {target['url']}: article {target['id']}")

        db = sqlite_utils.Database(db_path)
        assert set(rows_of(db, target["id"]).values()) == {0}
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == before - 1
        forgotten = list(db.query("SELECT url, reason, forgotten_at FROM forgotten"))
        assert [(r["url"], r["reason"]) for r in forgotten] == [(target["url"], "takedown request")]
        # Without --captures the raw page stays, unlinked.
        assert db.execute("SELECT count(*) FROM pages WHERE url = ?", [target["url"]]).fetchone()
        db.close()

        export = CliRunner().invoke(cli, ["export", "--format", "jsonl", "--db", str(db_path)])
        assert export.exit_code == 0
        urls = [json.loads(line)["url"] for line in export.output.splitlines() if line]
        assert len(urls) == before - 1 and target["url"] not in urls
        search = CliRunner().invoke(
            cli, ["export", "--format", "json", "--search", title_word, "--db", str(db_path)]
        )
        assert search.exit_code == 0, search.output
        found = [record["url"] for record in json.loads(search.output)]
        assert found and target["url"] not in found  # the word is in other articles too

        status = CliRunner().invoke(cli, ["status", "--db", str(db_path)])
        assert "Forgotten: 1 (removed by forget; never fetched again)" in status.output

        site.requests.clear()
        crawl(site, db_path, backfill=True)
        path = "/" + target["url"].split("/", 3)[3]
        db = sqlite_utils.Database(db_path)
        assert db.execute(
            "SELECT count(*) FROM articles WHERE url = ? OR spip_id = ?",
            [target["url"], target["spip_id"]],
        ).fetchone() == (0,)
        grown = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        db.close()
    assert grown > before - 1  # the backfill archived the rest of the site
    assert path not in paths_asked(site)
    assert f"/spip.php?article{target['spip_id']}" not in paths_asked(site)


def test_forget_by_id_with_captures_removes_pages_and_captures(tmp_path) -> None:
    db_path = tmp_path / "archive.db"
    with SampleSite() as site:
        crawl(site, db_path)
    db = sqlite_utils.Database(db_path)
    target = article_with_children(db)
    others = db.execute("SELECT count(*) FROM pages WHERE url != ?", [target["url"]]).fetchone()
    assert db.execute("SELECT count(*) FROM captures WHERE url = ?", [target["url"]]).fetchone()[0]
    db.close()

    args = ["forget", str(target["id"]), "--captures", "--db", str(db_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "1 page(s), 1 capture(s)" in result.output

    db = sqlite_utils.Database(db_path)
    assert set(rows_of(db, target["id"]).values()) == {0}
    assert db.execute("SELECT count(*) FROM pages WHERE url = ?", [target["url"]]).fetchone() == (
        0,
    )
    assert db.execute(
        "SELECT count(*) FROM captures WHERE url = ?", [target["url"]]
    ).fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM pages").fetchone() == others
    assert db.execute("SELECT url FROM forgotten").fetchall() == [(target["url"],)]
    db.close()


def test_forget_an_unknown_id_is_a_one_line_error_and_changes_nothing(tmp_path) -> None:
    db_path = tmp_path / "archive.db"
    with SampleSite() as site:
        crawl(site, db_path)
    db = sqlite_utils.Database(db_path)
    first = next(db.query("SELECT id, url FROM articles ORDER BY id LIMIT 1"))
    db.close()
    result = CliRunner().invoke(cli, ["forget", str(first["id"]), "99999", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no article with id 99999 in the archive"
    db = sqlite_utils.Database(db_path)
    assert db.execute("SELECT count(*) FROM articles WHERE id = ?", [first["id"]]).fetchone() == (
        1,
    )
    assert db.execute("SELECT count(*) FROM forgotten").fetchone() == (0,)
    db.close()


def test_forget_refuses_what_is_neither_an_id_nor_an_address(tmp_path) -> None:
    db_path = tmp_path / "archive.db"
    with SampleSite() as site:
        crawl(site, db_path, max_articles=1)
    result = CliRunner().invoke(cli, ["forget", "not an address", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: not a web address")
    db = sqlite_utils.Database(db_path)
    assert db.execute("SELECT count(*) FROM forgotten").fetchone() == (0,)
    db.close()


def test_forget_an_address_never_archived_keeps_it_out(tmp_path) -> None:
    db_path = tmp_path / "archive.db"
    with SampleSite() as site:
        crawl(site, db_path, max_articles=1)
        db = sqlite_utils.Database(db_path)
        stored = {r[0] for r in db.execute("SELECT url FROM articles")}
        pending = [
            r[0]
            for r in db.execute("SELECT url FROM frontier WHERE kind = 'article' ORDER BY url")
            if r[0] not in stored
        ]
        db.close()
        assert pending, "the sample home lists more than one article"
        result = CliRunner().invoke(cli, ["forget", pending[0], "--db", str(db_path)])
        assert result.exit_code == 0, result.output
        assert "no article" in result.output
        site.requests.clear()
        crawl(site, db_path)
    db = sqlite_utils.Database(db_path)
    urls = {r[0] for r in db.execute("SELECT url FROM articles")}
    db.close()
    assert pending[0] not in urls
    assert set(pending[1:]) <= urls  # the others were archived by the second run
    assert "/" + pending[0].split("/", 3)[3] not in paths_asked(site)


@pytest.mark.parametrize(
    ("pattern", "url", "matched"),
    [
        ("*/forum/*", "https://a.org/forum/12", True),
        ("*/forum/*", "https://a.org/forums", False),
        ("https://a.org/tag/*", "https://a.org/tag/x", True),
        ("https://a.org/tag/*", "https://b.org/tag/x", False),
        ("re:[?&]lang=en\\b", "https://a.org/spip.php?article3&lang=en", True),
        ("re:[?&]lang=en\\b", "https://a.org/spip.php?article3&lang=english", False),
    ],
)
def test_exclude_patterns_are_globs_or_regexes(pattern, url, matched) -> None:
    assert (excluded(url, (pattern,)) == pattern) is matched


def test_crawl_exclude_never_fetches_matching_addresses(tmp_path) -> None:
    db_path = tmp_path / "archive.db"
    with SampleSite() as site:
        crawl(site, tmp_path / "all.db")
        db = sqlite_utils.Database(tmp_path / "all.db")
        everything = sorted(r[0] for r in db.execute("SELECT url FROM articles"))
        db.close()
        glob_target, regex_target = everything[0], everything[1]
        slug = regex_target.rsplit("/", 1)[1]
        site.requests.clear()
        args = [
            "crawl",
            site.base_url,
            "--db",
            str(db_path),
            "--delay",
            "0",
            "--quiet",
            "--exclude",
            glob_target.replace(site.base_url, "*/"),
            "--exclude",
            f"re:/{slug[:12]}",
        ]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    db = sqlite_utils.Database(db_path)
    archived = sorted(r[0] for r in db.execute("SELECT url FROM articles"))
    pages = {r[0] for r in db.execute("SELECT url FROM pages")}
    db.close()
    assert archived == [u for u in everything if u not in (glob_target, regex_target)]
    assert glob_target not in pages and regex_target not in pages
    asked = paths_asked(site)
    for url in (glob_target, regex_target):
        assert "/" + url.split("/", 3)[3] not in asked


def test_crawl_exclude_refuses_a_bad_regex() -> None:
    result = CliRunner().invoke(cli, ["crawl", "https://a.org/", "--exclude", "re:("])
    assert result.exit_code == 2
    assert "--exclude" in result.output


def test_exclude_keeps_out_an_address_queued_by_an_earlier_run(tmp_path) -> None:
    db_path = tmp_path / "archive.db"
    with SampleSite() as site:
        crawl(site, db_path, max_articles=1)
        db = sqlite_utils.Database(db_path)
        queued = [
            r[0]
            for r in db.execute(
                "SELECT url FROM frontier WHERE kind = 'article' AND state = 'pending' ORDER BY url"
            )
        ]
        db.close()
        assert queued, "the first run leaves articles pending"
        site.requests.clear()
        crawl(site, db_path, exclude=(queued[0],))
    db = sqlite_utils.Database(db_path)
    state, error = db.execute(
        "SELECT state, last_error FROM frontier WHERE url = ?", [queued[0]]
    ).fetchone()
    archived = {r[0] for r in db.execute("SELECT url FROM articles")}
    db.close()
    assert (state, error) == ("skipped", f"excluded by --exclude {queued[0]}")
    assert queued[0] not in archived and set(queued[1:]) <= archived
    assert "/" + queued[0].split("/", 3)[3] not in paths_asked(site)
