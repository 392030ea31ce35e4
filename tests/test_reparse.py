"""reparse: stored raw pages extracted again, in-process and in a process pool."""

from __future__ import annotations

import json
import zlib

import pytest

from article_archive.reparse import reparse
from article_archive.store import open_archive

SITE = "https://www.example.org/"
ARTICLE_HTML = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>La digue et le port - Site</title><meta name="generator" content="SPIP 4.2">
<link rel="canonical" href="https://www.example.org/spip.php?article1"></head>
<body class="page_article"><div class="main">
<h1 class="crayon article-titre-1">La digue et le port</h1>
<p class="info-publi">jeudi 12 octobre 2023</p>
<div class="chapo"><p>Une digue neuve protège le port.</p></div>
<div class="texte"><p>Les pêcheurs attendaient cette digue depuis des années.</p>
<p>Le maire a inauguré l'ouvrage samedi.</p></div></div></body></html>"""
HOME_HTML = """<html><head><meta name="generator" content="SPIP 4.2"><title>Accueil</title></head>
<body class="page_sommaire"><ul><li><a href="spip.php?article1">La digue</a></li></ul>
</body></html>"""


def page(url: str, body: bytes | None, *, kind: str = "article", status: int = 200) -> dict:
    """A ``pages`` row as store/pages.py writes it (zlib body, JSON headers)."""
    return {
        "url": url,
        "final_url": url,
        "kind": kind,
        "status": status,
        "headers": json.dumps({"content-type": "text/html; charset=utf-8"}),
        "body": zlib.compress(body) if body is not None else None,
        "body_size": len(body or b""),
    }


@pytest.fixture
def db_path(tmp_path):
    """An archive holding one article page, one home page stored as an article, and noise."""
    path = tmp_path / "archive.db"
    db = open_archive(path)
    db["pages"].insert_all(
        [
            page(SITE + "spip.php?article1", ARTICLE_HTML.encode()),
            page(SITE + "spip.php?article2", HOME_HTML.encode()),
            page(SITE, HOME_HTML.encode(), kind="home"),  # not an article page: skipped
            page(SITE + "spip.php?article3", b"gone", status=404),  # skipped
        ]
    )
    db.close()
    return path


def articles(path) -> list[dict]:
    db = open_archive(path)
    rows = list(db["articles"].rows)
    db.close()
    return rows


def test_reparse_in_process_creates_then_leaves_unchanged(db_path) -> None:
    seen: list[tuple[int, int]] = []
    counts = reparse(db_path, workers=1, progress=lambda done, total: seen.append((done, total)))
    assert counts == {
        "pages": 2,
        "new": 1,
        "updated": 0,
        "unchanged": 0,
        "not_article": 1,
        "failed": 0,
    }
    assert seen == [(2, 2)]
    [row] = articles(db_path)
    assert row["title"] == "La digue et le port"
    assert row["published"] == "2023-10-12"
    assert row["page_id"] == 1
    again = reparse(db_path, workers=1)
    assert (again["new"], again["unchanged"], again["not_article"]) == (0, 1, 1)


def test_reparse_refreshes_stale_fields_without_revision(db_path) -> None:
    reparse(db_path, workers=1)
    db = open_archive(db_path)
    db["articles"].update(1, {"body_text": "old extractor output", "extractor": "spip/0"})
    db.close()
    counts = reparse(db_path, workers=1)
    assert counts["updated"] == 1
    db = open_archive(db_path)
    assert db["articles"].get(1)["body_text"].startswith("Les pêcheurs attendaient")
    assert db["revisions"].count == 0
    db.close()


def test_reparse_with_a_process_pool(db_path) -> None:
    counts = reparse(db_path, workers=2)
    assert (counts["pages"], counts["new"], counts["not_article"], counts["failed"]) == (2, 1, 1, 0)
    assert [row["title"] for row in articles(db_path)] == ["La digue et le port"]


def test_a_broken_page_is_counted_not_fatal(db_path) -> None:
    db = open_archive(db_path)
    db["pages"].insert({**page(SITE + "spip.php?article4", None), "body": b"not zlib"})
    db.close()
    counts = reparse(db_path, workers=1)
    assert counts["failed"] == 1
    assert counts["new"] == 1


def test_empty_archive(tmp_path) -> None:
    counts = reparse(tmp_path / "empty.db", workers=1)
    assert counts["pages"] == 0
