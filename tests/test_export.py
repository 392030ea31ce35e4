"""Exporting articles as CSV, JSON and JSONL; ``search_ids``, the engine's door for a query."""

from __future__ import annotations

import csv
import io
import json

import pytest

from article_archive.export import COLUMNS, export_articles
from article_archive.search import search_ids
from article_archive.store import save_article
from conftest import make_article

BASE = "https://www.example.org/spip.php?article"


@pytest.fixture
def filled(archive):
    """Three articles: French nuclear (2023), English elections (2024), French dams (no date)."""
    save_article(archive, make_article())
    save_article(
        archive,
        make_article(
            url=BASE + "2",
            lang="en",
            title="Running the elections",
            lead="Voters, and running costs.",
            body_text="The election ran smoothly.",
            authors=[{"name": "Ana Lee", "url": None}, {"name": "Bo Chen", "url": None}],
            keywords=["Politics"],
            published="2024-03-01",
            footnotes=[],
            section_path=[],
            translations=[],
        ),
    )
    save_article(
        archive,
        make_article(url=BASE + "3", title="Les barrages", body_text="L'eau.", published=None),
    )
    return archive


def test_csv_parses_back_with_every_row_and_accents(filled) -> None:
    out = io.StringIO(newline="")
    assert export_articles(filled, out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert list(rows[0]) == COLUMNS
    assert [r["url"] for r in rows] == [BASE + "2", BASE + "1", BASE + "3"]  # newest first
    english, french, _ = rows
    assert english["authors"] == "Ana Lee; Bo Chen"
    assert french["title"] == "Les centrales nucléaires"
    assert french["section"] == "ÉTATS NUCLÉAIRES"
    assert french["section_path"] == "Monde > ÉTATS NUCLÉAIRES"
    assert french["keywords"] == "Japon; Énergie"
    assert french["footnotes"] == "[1] Rapport 2022."
    assert french["translations"] == f"en: {BASE}2"
    assert french["body_text"] == "Le contexte\n\nLes réacteurs vieillissent [1]."
    assert out.getvalue().startswith("id,url,title")
    assert "\r\n" in out.getvalue()


def test_excel_csv_to_binary_has_bom_and_utf8(filled) -> None:
    out = io.BytesIO()
    assert export_articles(filled, out, excel=True) == 3
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbfid,url,")
    assert "nucléaires".encode() in data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 3
    assert not out.closed  # the caller's stream stays open


def test_excel_csv_neutralizes_formulas(archive) -> None:
    save_article(archive, make_article(title='=HYPERLINK("http://x")', lead="@SUM(1)"))
    plain, excel = io.StringIO(), io.StringIO()
    export_articles(archive, plain)
    export_articles(archive, excel, excel=True)
    (row,) = csv.DictReader(io.StringIO(excel.getvalue().lstrip("\ufeff"), newline=""))
    assert row["title"] == '\'=HYPERLINK("http://x")' and row["lead"] == "'@SUM(1)"
    assert row["body_text"] == "Le contexte\n\nLes réacteurs vieillissent [1]."  # untouched
    (kept,) = csv.DictReader(io.StringIO(plain.getvalue(), newline=""))
    assert kept["title"] == '=HYPERLINK("http://x")'  # a plain CSV keeps the data as is


def test_json_is_one_array_with_lists(filled) -> None:
    out = io.StringIO()
    assert export_articles(filled, out, fmt="json") == 3
    records = json.loads(out.getvalue())
    assert [r["id"] for r in records] == [2, 1, 3]
    french = records[1]
    # SPEC.md's record, as `extract` and the reader's .json give it (was a list of names).
    assert french["authors"] == [
        {"name": "HAYASHI Noriko", "url": "https://www.example.org/auteur1"}
    ]
    assert french["keywords"] == ["Japon", "Énergie"]
    assert french["section_path"] == ["Monde", "ÉTATS NUCLÉAIRES"]
    assert french["translations"] == [{"lang": "en", "url": BASE + "2"}]
    assert french["word_count"] == 4
    assert "nucléaires" in out.getvalue()  # not \u-escaped


def test_jsonl_is_one_object_per_line(filled) -> None:
    out = io.StringIO()
    assert export_articles(filled, out, fmt="jsonl") == 3
    lines = out.getvalue().splitlines()
    assert [json.loads(line)["title"] for line in lines] == [
        "Running the elections",
        "Les centrales nucléaires",
        "Les barrages",
    ]


def test_empty_archive_gives_valid_outputs(archive) -> None:
    out = io.StringIO()
    assert export_articles(archive, out, fmt="json") == 0
    assert json.loads(out.getvalue()) == []
    out = io.StringIO()
    assert export_articles(archive, out) == 0
    assert out.getvalue() == ",".join(COLUMNS) + "\r\n"


def test_search_uses_stems_in_each_language(filled) -> None:
    assert search_ids(filled, "nucleaire") == [1]
    # Articles 1 and 3 keep the factory's lead "Après l'élection"; 2 is English.
    assert sorted(search_ids(filled, "élection")) == [1, 2, 3]
    assert search_ids(filled, "run") == [2]  # "Running", "running" stemmed in English
    assert sorted(search_ids(filled, "elections hayashi")) == [1, 3]  # every word matches
    assert search_ids(filled, "nothing-like-this") == []
    assert search_ids(filled, "  ") == []


def test_search_ranks_title_matches_first(filled) -> None:
    save_article(filled, make_article(url=BASE + "4", title="Élection", body_text="x", lead=""))
    assert search_ids(filled, "election")[0] == 4


def test_export_with_search(filled) -> None:
    out = io.StringIO()
    assert export_articles(filled, out, fmt="jsonl", search="barrages") == 1
    assert json.loads(out.getvalue())["url"] == BASE + "3"
    out = io.StringIO()
    assert export_articles(filled, out, fmt="jsonl", search="?!") == 0


def test_unknown_format_is_refused(archive) -> None:
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export_articles(archive, io.StringIO(), fmt="xml")


def test_export_command_refuses_bad_filters(tmp_path) -> None:
    from click.testing import CliRunner

    from article_archive.cli import cli
    from article_archive.store import open_archive

    path = tmp_path / "archive.db"
    open_archive(path).close()
    for args, message in (
        (["--author", "abc"], "author='abc': it should be a number"),
        (["--from", "last week"], "write it as 2023, 2023-10 or 2023-10-12"),
        (["--search", "  "], "--search is empty"),
    ):
        result = CliRunner().invoke(cli, ["export", "--db", str(path), *args])
        assert result.exit_code == 1
        assert message in result.output and "Traceback" not in result.output
