"""save_article / delete_article: outcomes, revisions, links, JSON columns, both indexes."""

from __future__ import annotations

import json

import pytest

from article_archive.store import content_hash, delete_article, save_article
from article_archive.store.articles import InvalidArticleError
from conftest import make_article

URL = "https://www.example.org/spip.php?article1"


def fts_ids(db, query: str) -> list[int]:
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid"
    return [row[0] for row in db.execute(sql, [query])]


def stems_ids(db, query: str) -> list[int]:
    sql = "SELECT rowid FROM article_stems WHERE article_stems MATCH ? ORDER BY rowid"
    return [row[0] for row in db.execute(sql, [query])]


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_new_article_row(archive) -> None:
    article_id, outcome = save_article(archive, make_article(), fetched_at="2024-01-01T10:00:00")
    assert outcome == "new"
    row = archive["articles"].get(article_id)
    assert row["url"] == URL
    assert row["title"] == "Les centrales nucléaires"
    assert row["section"] == "ÉTATS NUCLÉAIRES"
    assert row["year"] == 2023
    assert row["spip_id"] == 1
    assert row["first_seen"] == row["last_fetched"] == "2024-01-01T10:00:00"
    assert row["authors_text"] == "HAYASHI Noriko"
    assert row["keywords_text"] == "Japon, Énergie"
    assert row["content_hash"] == content_hash(make_article())
    assert json.loads(row["section_path"]) == ["Monde", "ÉTATS NUCLÉAIRES"]
    assert json.loads(row["toc"]) == [{"level": 2, "title": "Le contexte", "anchor": "contexte"}]
    assert json.loads(row["translations"]) == [
        {"lang": "en", "url": "https://www.example.org/spip.php?article2"}
    ]


def test_same_content_again_is_unchanged_and_only_touches_last_fetched(archive) -> None:
    article_id, _ = save_article(archive, make_article(), fetched_at="2024-01-01T10:00:00")
    again = save_article(archive, make_article(), fetched_at="2024-02-01T10:00:00")
    assert again == (article_id, "unchanged")
    row = archive["articles"].get(article_id)
    assert row["first_seen"] == "2024-01-01T10:00:00"
    assert row["last_fetched"] == "2024-02-01T10:00:00"
    assert count(archive, "revisions") == 0
    assert count(archive, "articles") == 1


def test_changed_content_is_updated_and_old_version_kept(archive) -> None:
    article_id, _ = save_article(archive, make_article(), fetched_at="2024-01-01T10:00:00")
    changed = make_article(title="Les centrales vieillissent", body_text="Nouveau texte.")
    assert save_article(archive, changed, fetched_at="2024-02-01T10:00:00") == (
        article_id,
        "updated",
    )
    row = archive["articles"].get(article_id)
    assert row["title"] == "Les centrales vieillissent"
    assert row["first_seen"] == "2024-01-01T10:00:00"
    assert row["last_fetched"] == "2024-02-01T10:00:00"
    [revision] = archive["revisions"].rows
    assert revision["article_id"] == article_id
    assert revision["title"] == "Les centrales nucléaires"
    assert revision["body_text"] == "Le contexte\n\nLes réacteurs vieillissent [1]."
    assert revision["fetched_at"] == "2024-01-01T10:00:00"
    assert revision["content_hash"] == content_hash(make_article())


def test_reextract_updates_without_revision(archive) -> None:
    article_id, _ = save_article(archive, make_article(), fetched_at="2024-01-01T10:00:00")
    assert save_article(archive, make_article(), reextract=True) == (article_id, "unchanged")
    newer = make_article(body_text="Mieux extrait.", extractor="spip 0.2")
    assert save_article(archive, newer, reextract=True) == (article_id, "updated")
    row = archive["articles"].get(article_id)
    assert row["body_text"] == "Mieux extrait."
    assert row["last_fetched"] == "2024-01-01T10:00:00"
    assert count(archive, "revisions") == 0


def test_reextract_sees_a_change_of_extractor_only(archive) -> None:
    save_article(archive, make_article())
    _, outcome = save_article(archive, make_article(extractor="spip 0.2"), reextract=True)
    assert outcome == "updated"


def test_content_hash_ignores_fetch_details() -> None:
    base = content_hash(make_article())
    assert content_hash(make_article(extractor="other", word_count=99)) == base
    assert content_hash(make_article(postscript="Autre P.-S.")) != base
    assert content_hash(make_article(authors=[{"name": "Autre", "url": None}])) != base


def test_authors_in_order_and_shared(archive) -> None:
    authors = [{"name": "Zoé B", "url": None}, {"name": "Ali A", "url": "https://x.org/ali"}]
    first, _ = save_article(archive, make_article(authors=authors))
    second, _ = save_article(archive, make_article(url=URL + "2", authors=authors[::-1]))
    sql = """SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id
             WHERE aa.article_id = ? ORDER BY aa.position"""
    assert [r[0] for r in archive.execute(sql, [first])] == ["Zoé B", "Ali A"]
    assert [r[0] for r in archive.execute(sql, [second])] == ["Ali A", "Zoé B"]
    assert count(archive, "authors") == 2
    assert archive["articles"].get(first)["authors_text"] == "Zoé B, Ali A"


def test_authors_rewritten_on_update(archive) -> None:
    article_id, _ = save_article(archive, make_article())
    save_article(archive, make_article(authors=[{"name": "Pierre Rousset", "url": None}]))
    sql = "SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id"
    assert [r[0] for r in archive.execute(sql)] == ["Pierre Rousset"]
    assert archive["articles"].get(article_id)["authors_text"] == "Pierre Rousset"


def test_keywords_deduplicated_and_shared(archive) -> None:
    first, _ = save_article(archive, make_article(keywords=["Japon", "Japon", "Énergie"]))
    save_article(archive, make_article(url=URL + "2", keywords=["Énergie"]))
    assert [r["name"] for r in archive["keywords"].rows] == ["Japon", "Énergie"]
    assert count(archive, "article_keywords") == 3
    sql = "SELECT count(*) FROM article_keywords WHERE article_id = ?"
    assert archive.execute(sql, [first]).fetchone()[0] == 2


def test_footnotes_in_order(archive) -> None:
    notes = [
        {"number": "1", "text": "Premier.", "html": "<p>Premier.</p>"},
        {"number": "2", "text": "Second.", "html": "<p>Second.</p>"},
    ]
    article_id, _ = save_article(archive, make_article(footnotes=notes))
    rows = archive["footnotes"].rows_where("article_id = ?", [article_id], order_by="position")
    assert [(r["position"], r["number"], r["text"]) for r in rows] == [
        (1, "1", "Premier."),
        (2, "2", "Second."),
    ]
    save_article(archive, make_article(footnotes=notes[:1]))
    assert count(archive, "footnotes") == 1


def test_dataclass_records_are_accepted(archive) -> None:
    from article_archive.models import Author, Footnote

    article = make_article(
        authors=[Author("Ana", None)], footnotes=[Footnote("1", "Note.", "<p>Note.</p>")]
    )
    assert content_hash(article) == content_hash(
        make_article(
            authors=[{"name": "Ana", "url": None}],
            footnotes=[{"number": "1", "text": "Note.", "html": "<p>Note.</p>"}],
        )
    )
    save_article(archive, article)
    assert archive["authors"].get(1)["name"] == "Ana"


def test_articles_fts_follows_insert_update_and_delete(archive) -> None:
    article_id, _ = save_article(archive, make_article())
    assert fts_ids(archive, "nucleaires") == [article_id]  # accents folded
    assert fts_ids(archive, "hayashi") == [article_id]  # author names
    assert fts_ids(archive, "election") == [article_id]  # lead
    save_article(archive, make_article(title="Les barrages", lead="Rien."))
    save_article(archive, make_article(title="Les barrages", lead="Rien."))  # unchanged
    assert fts_ids(archive, "nucleaires") == []
    assert fts_ids(archive, "barrages") == [article_id]
    assert fts_ids(archive, "title:barrages AND lead:rien") == [article_id]
    delete_article(archive, article_id)
    assert fts_ids(archive, "barrages") == []
    assert fts_ids(archive, "reacteurs") == []


def test_article_stems_replaced_and_deleted(archive) -> None:
    article_id, _ = save_article(archive, make_article())
    row = archive.execute("SELECT * FROM article_stems WHERE rowid = ?", [article_id]).fetchone()
    assert row[0] == "le central nucleair"
    assert row[3] == "hayashi noriko"
    assert stems_ids(archive, "nucleair AND elect") == [article_id]
    save_article(archive, make_article(title="Les barrages"))
    assert stems_ids(archive, "title:nucleair") == []
    assert stems_ids(archive, "title:barrag") == [article_id]
    assert count(archive, "article_stems") == 1
    archive.execute("DELETE FROM articles WHERE id = ?", [article_id])  # the trigger
    assert count(archive, "article_stems") == 0


def test_delete_article_removes_everything(archive) -> None:
    article_id, _ = save_article(archive, make_article())
    save_article(archive, make_article(title="Autre"))
    delete_article(archive, article_id)
    for table in ("articles", "article_authors", "article_keywords", "footnotes", "revisions"):
        assert count(archive, table) == 0, table
    assert count(archive, "article_stems") == 0
    assert count(archive, "authors") == 1  # authors stay, they may be shared


def test_page_id_links_both_ways(archive) -> None:
    page_id = archive["pages"].insert({"url": URL, "status": 200, "kind": "article"}).last_pk
    article_id, _ = save_article(archive, make_article(), page_id=page_id)
    assert archive["articles"].get(article_id)["page_id"] == page_id
    assert archive["pages"].get(page_id)["article_id"] == article_id


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"url": ""}, "url"), ({"title": None}, "title"), ({"title": "  "}, "title")],
)
def test_invalid_articles_are_refused(archive, overrides: dict, field: str) -> None:
    with pytest.raises(InvalidArticleError, match=f"'{field}' field is missing"):
        save_article(archive, make_article(**overrides))
    assert count(archive, "articles") == 0


def test_failed_save_leaves_nothing_behind(archive) -> None:
    bad = make_article(authors=[{"name": "Ana", "url": None}], footnotes=["not a record"])
    with pytest.raises(AttributeError):
        save_article(archive, bad)
    assert count(archive, "articles") == 0
    assert count(archive, "authors") == 0
