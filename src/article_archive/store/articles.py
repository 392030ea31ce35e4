"""Saving extracted articles: upsert on url, revisions, authors, keywords, footnotes, stems.

Outcomes of ``save_article``:

- ``"new"``: no article had this url.
- ``"updated"``: the content hash changed (a fetch: the previous version is copied to
  ``revisions`` first), or with ``reextract=True`` any stored field changed (no revision).
- ``"unchanged"``: same content. A fetch then only records ``last_fetched`` (and ``page_id``
  when given), so one can see when the article was last checked; a reextract writes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from article_archive.errors import ExtractionError
from article_archive.models import Article
from article_archive.store.dates import normalize_dates, utc_date
from article_archive.store.pages import link_article, pages_of_article
from article_archive.store.rows import dict_row, insert_id, update_row
from article_archive.store.stemming import stem_text

# What a reader sees: a change in any of these makes a new revision.
CONTENT_FIELDS = (
    "title",
    "surtitle",
    "subtitle",
    "lead",
    "body_html",
    "body_text",
    "footnotes",
    "postscript",
    "authors",
    "keywords",
    "published",
    "written",
    "updated",
    "section",
    "section_path",
    "lang",
    "translations",
)
SCALAR_FIELDS = (
    "url",
    "site",
    "spip_id",
    "lang",
    "title",
    "surtitle",
    "subtitle",
    "section",
    "published",
    "written",
    "updated",
    "lead",
    "body_html",
    "body_text",
    "postscript",
    "word_count",
    "extractor",
)
JSON_FIELDS = ("section_path", "toc", "translations")
YEAR = re.compile(r"^(\d{4})")


class InvalidArticleError(ExtractionError):
    """An article record without the fields every article needs (url, title)."""


def _plain(value: Any) -> Any:
    """Dataclasses (Author, Footnote…) as dicts, so records and dicts hash alike."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _authors(article: dict) -> list[dict]:
    authors = []
    for author in _plain(article.get("authors") or []):
        if isinstance(author, str):
            author = {"name": author, "url": None}
        name = (author.get("name") or "").strip()
        if name:
            authors.append({"name": name, "url": author.get("url") or None})
    return authors


def _keywords(article: dict) -> list[str]:
    seen: dict[str, None] = {}
    for keyword in article.get("keywords") or []:
        if keyword and keyword.strip():
            seen.setdefault(keyword.strip(), None)
    return list(seen)


def content_hash(article: dict) -> str:
    """SHA-256 (hex) of the fields that make an article's content (not fetch times or ids)."""
    content = {name: _plain(article.get(name)) for name in CONTENT_FIELDS}
    content["authors"] = _authors(article)
    content["keywords"] = _keywords(article)
    for name in ("footnotes", "section_path", "translations"):
        content[name] = content[name] or []
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _validate(article: dict) -> None:
    for name in ("url", "title"):
        value = article.get(name)
        if not isinstance(value, str) or not value.strip():
            url = article.get("url") or "an article"
            raise InvalidArticleError(f"cannot save {url}: the {name!r} field is missing or empty")


def _row(article: dict) -> dict:
    """The ``articles`` columns of an extracted article (without bookkeeping columns)."""
    row = {name: article.get(name) for name in SCALAR_FIELDS}
    row["word_count"] = row["word_count"] or 0
    for name in JSON_FIELDS:
        row[name] = json.dumps(_plain(article.get(name) or []), ensure_ascii=False)
    # The year of the stored (UTC) date, so that --year and --from/--to always agree.
    match = YEAR.match(utc_date(article.get("published")) or "")
    row["year"] = int(match.group(1)) if match else None
    names = [a["name"] for a in _authors(article)]
    row["authors_text"] = ", ".join(names)
    # Compact, as SQLite's json_group_array writes it in the version 3 migration.
    row["author_names"] = json.dumps(names, ensure_ascii=False, separators=(",", ":"))
    row["keywords_text"] = ", ".join(_keywords(article))
    row["content_hash"] = content_hash(article)  # of the dates as given: a page unchanged
    return normalize_dates(row)


@dataclass
class PreparedArticle:
    """An article record with its ``articles`` row and stemmed text computed beforehand.

    ``reparse`` prepares each article in its worker processes, so the one writing process
    only compares and writes (``prepare_article``); the store takes it wherever it takes an
    article.
    """

    record: dict[str, Any]
    row: dict[str, Any]
    stems: tuple[str, str, str, str]


def prepare_article(article: Article | dict) -> PreparedArticle:
    """The record, row and stems :func:`save_article` would compute (pure: no database)."""
    record = article.to_dict() if isinstance(article, Article) else article
    _validate(record)
    row = _row(record)
    return PreparedArticle(record, row, _stems(row))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def save_article(
    db: sqlite_utils.Database,
    article: Article | dict | PreparedArticle,
    *,
    page_id: int | None = None,
    fetched_at: str | None = None,
    reextract: bool = False,
    capture_id: int | None = None,
) -> tuple[int, str]:
    """Insert or update one article (keyed on url) in one transaction; ``(id, outcome)``.

    With ``page_id`` the page and the article point at each other; ``capture_id`` is the
    capture the article was extracted from (a revision keeps the one of the old version).
    Outside ``store`` an article is archived with its page through ``store.archive``.
    """
    prepared = article if isinstance(article, PreparedArticle) else prepare_article(article)
    article, row = prepared.record, dict(prepared.row)
    fetched_at = fetched_at or _now()
    with db.atomic():
        old = dict_row(db, "SELECT * FROM articles WHERE url = ?", [row["url"]])
        if old is None:
            row.update(
                first_seen=fetched_at,
                last_fetched=fetched_at,
                page_id=page_id,
                capture_id=capture_id,
            )
            article_id = insert_id(db, "articles", row)
            outcome = "new"
        else:
            article_id = old["id"]
            links = {"page_id": page_id, "capture_id": capture_id}
            outcome = _update(db, old, row, links=links, at=fetched_at, reextract=reextract)
        if outcome != "unchanged":
            _write_children(db, article_id, article)
            _write_stems(db, article_id, prepared.stems)
        if page_id is not None:
            link_article(db, page_id, article_id)
    return article_id, outcome


def _update(
    db: sqlite_utils.Database,
    old: dict,
    row: dict,
    *,
    links: dict[str, int | None],
    at: str,
    reextract: bool,
) -> str:
    """Update an existing article row; return the outcome.

    ``links`` are the page and capture the row now comes from (None: left as they are).
    """
    given = {name: value for name, value in links.items() if value is not None}
    if reextract:
        if all(old.get(name) == value for name, value in row.items()):
            return "unchanged"
        update_row(db, "articles", old["id"], {**row, **given})
        return "updated"
    bookkeeping: dict[str, object] = {"last_fetched": at, **given}
    if old["content_hash"] == row["content_hash"]:
        update_row(db, "articles", old["id"], bookkeeping)
        return "unchanged"
    insert_id(
        db,
        "revisions",
        {
            "article_id": old["id"],
            "content_hash": old["content_hash"],
            "fetched_at": old["last_fetched"],
            "title": old["title"],
            "body_text": old["body_text"],
            "body_html": old["body_html"],
            "capture_id": old.get("capture_id"),
        },
    )
    update_row(db, "articles", old["id"], {**row, **bookkeeping})
    return "updated"


def _write_children(db: sqlite_utils.Database, article_id: int, article: dict) -> None:
    """Replace the authors, keywords and footnotes links of one article."""
    for table in ("article_authors", "article_keywords", "footnotes"):
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
    authors = [
        (article_id, _author_id(db, a), position)
        for position, a in enumerate(_authors(article), start=1)
    ]
    keywords = [(article_id, _keyword_id(db, name)) for name in _keywords(article)]
    notes = [
        (
            article_id,
            position,
            str(note.get("number") or position),
            note.get("text") or "",
            note.get("html") or "",
        )
        for position, note in enumerate(_plain(article.get("footnotes") or []), start=1)
    ]
    statements: list[tuple[str, list[tuple[Any, ...]]]] = [
        ("INSERT INTO article_authors (article_id, author_id, position) VALUES (?, ?, ?)", authors),
        ("INSERT INTO article_keywords (article_id, keyword_id) VALUES (?, ?)", keywords),
        (
            "INSERT INTO footnotes (article_id, position, number, text, html) "
            "VALUES (?, ?, ?, ?, ?)",
            notes,
        ),
    ]
    for sql, rows in statements:
        if rows:
            db.conn.executemany(sql, rows)


def _author_id(db: sqlite_utils.Database, author: dict) -> int:
    sql = "SELECT id FROM authors WHERE name = ? AND ifnull(url, '') = ifnull(?, '')"
    row = db.execute(sql, [author["name"], author["url"]]).fetchone()
    if row:
        return row[0]
    return insert_id(db, "authors", author)


def _keyword_id(db: sqlite_utils.Database, name: str) -> int:
    row = db.execute("SELECT id FROM keywords WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    return insert_id(db, "keywords", {"name": name})


def _stems(row: dict) -> tuple[str, str, str, str]:
    """The stemmed title, lead, body and authors of an ``articles`` row (``article_stems``)."""
    lang = row.get("lang")
    return (
        stem_text(row.get("title") or "", lang),
        stem_text(row.get("lead") or "", lang),
        stem_text(row.get("body_text") or "", lang),
        stem_text(row.get("authors_text") or "", None),
    )


def _write_stems(db: sqlite_utils.Database, article_id: int, stems: tuple[str, ...]) -> None:
    """Replace the stemmed search row of one article (rowid = article id)."""
    db.execute("DELETE FROM article_stems WHERE rowid = ?", [article_id])
    db.execute(
        "INSERT INTO article_stems (rowid, title, lead, body, authors) VALUES (?, ?, ?, ?, ?)",
        [article_id, *stems],
    )


def delete_article(db: sqlite_utils.Database, article_id: int) -> None:
    """Delete one article; links, footnotes, revisions and index rows go with it."""
    # Explicit deletes as well as ON DELETE CASCADE: a connection may have foreign keys off.
    with db.atomic():
        for table in ("article_authors", "article_keywords", "footnotes", "revisions"):
            db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article_id])
        for page_id in pages_of_article(db, article_id):
            link_article(db, page_id, None)
        db.table("articles").delete_where("id = ?", [article_id])
