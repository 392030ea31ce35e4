"""The command line: help with examples, one-line errors, exit codes of SPEC.md."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from article_archive.cli import cli

COMMANDS = ["crawl", "extract", "import", "reparse", "serve", "demo", "export", "status", "forget"]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"article-archive {name}" in result.output


def test_unknown_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["status", "--no-such-option"])
    assert result.exit_code == 2


def test_bad_url_is_a_one_line_error() -> None:
    result = CliRunner().invoke(cli, ["crawl", "not a url", "--quiet"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error: not a web address")
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_archive_is_a_one_line_error(tmp_path) -> None:
    missing = tmp_path / "none.db"
    for args in (
        ["status", "--db", str(missing)],
        ["export", "--db", str(missing)],
        ["reparse", "--db", str(missing)],
        ["serve", str(missing)],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, args
        assert "no archive at" in result.output


def test_extract_missing_file_is_a_one_line_error(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(tmp_path / "nope.html")])
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_bad_ids_range_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["crawl", "https://example.org/", "--ids", "9-3"])
    assert result.exit_code == 2


def test_extract_prints_the_article_as_json(tmp_path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        """<html lang="fr"><head><meta charset="utf-8"><title>Essai - Site</title>
        <meta name="generator" content="SPIP 3.2.7 [24473]"></head><body>
        <div class="cartouche">
        <h1 class="entry-title crayon article-titre-7">Un titre d'essai</h1>
        <p class="info-publi">
        <abbr class="published" title="2024-05-01T08:00:00Z">1er mai 2024</abbr></p></div>
        <div class="crayon article-chapo-7 chapo"><p>Le chapeau.</p></div>
        <div class="crayon article-texte-7 texte">
        <p>Premier paragraphe du texte, assez long pour compter.</p>
        <p>Second paragraphe.</p></div></body></html>""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["extract", str(page), "--url", "https://site.example/spip.php?article7"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["title"] == "Un titre d'essai"
    assert data["spip_id"] == 7
    assert data["lead"] == "Le chapeau."
    assert data["published"].startswith("2024-05-01")
    assert "Second paragraphe." in data["body_text"]


def test_console_script_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "article_archive.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "article-archive" in result.stdout


def test_extract_fetches_a_url_and_follows_the_spip_redirect() -> None:
    from article_archive_sample import SampleSite, default_site_dir, load_site

    article = load_site(default_site_dir()).published()[0]
    with SampleSite() as site:
        result = CliRunner().invoke(
            cli, ["extract", f"{site.base_url}spip.php?article{article.id}"]
        )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["spip_id"] == article.id
    assert data["url"] == f"{site.base_url}{article.slug}"


def test_import_ingests_saved_pages(tmp_path) -> None:
    from article_archive_sample import SampleSite, default_site_dir, load_site

    articles = load_site(default_site_dir()).published()[:3]
    saved = tmp_path / "saved"
    saved.mkdir()
    with SampleSite() as site:
        import httpx

        for art in articles:
            page = httpx.get(f"{site.base_url}{art.slug}")
            (saved / f"{art.slug}.html").write_bytes(page.content)
    (saved / "broken.html").write_bytes(b"\x00\x01 not a page")
    db = tmp_path / "archive.db"
    result = CliRunner().invoke(
        cli, ["import", str(saved), "--base-url", "https://site.example/", "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    assert "new 3" in result.output
    assert "failed 1" in result.output
