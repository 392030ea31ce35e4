"""Writing articles out as CSV, JSON or JSONL, streamed row by row from the database."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import BinaryIO, TextIO

import sqlite_utils

from article_archive.store.stemming import query_stems, tokenize

FORMATS = ("csv", "json", "jsonl")
COLUMNS = [
    "id",
    "url",
    "title",
    "subtitle",
    "surtitle",
    "section",
    "section_path",
    "authors",
    "published",
    "written",
    "updated",
    "lang",
    "lead",
    "keywords",
    "word_count",
    "body_text",
    "footnotes",
    "postscript",
    "translations",
]
# Lists joined with this separator; chosen because names and keywords contain commas.
SEPARATOR = "; "

ROWS_SQL = """
SELECT a.id, a.url, a.title, a.subtitle, a.surtitle, a.section, a.section_path,
  (SELECT group_concat(name, char(10)) FROM (
     SELECT au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id
     WHERE aa.article_id = a.id ORDER BY aa.position)) AS authors,
  a.published, a.written, a.updated, a.lang, a.lead,
  (SELECT group_concat(name, char(10)) FROM (
     SELECT k.name FROM article_keywords ak JOIN keywords k ON k.id = ak.keyword_id
     WHERE ak.article_id = a.id ORDER BY ak.rowid)) AS keywords,
  a.word_count, a.body_text,
  (SELECT group_concat('[' || number || '] ' || text, char(10)) FROM (
     SELECT number, text FROM footnotes WHERE article_id = a.id ORDER BY position)) AS footnotes,
  a.postscript, a.translations
FROM articles a
{where}
ORDER BY a.published IS NULL, a.published DESC, a.id DESC
"""


def match_expression(db: sqlite_utils.Database, q: str) -> str | None:
    """An FTS5 query for ``article_stems``: every word of ``q`` (any of its stems) must match."""
    langs = [row[0] for row in db.execute("SELECT DISTINCT lang FROM articles")]
    clauses = []
    for word in tokenize(q):
        forms = sorted(query_stems(word, langs))
        clauses.append("(" + " OR ".join(f'"{form}"' for form in forms) + ")")
    return " AND ".join(clauses) or None


def search_ids(db: sqlite_utils.Database, q: str, *, limit: int | None = None) -> list[int]:
    """Ids of the articles matching all words of ``q`` in the stemmed index, best first."""
    expression = match_expression(db, q)
    if expression is None:
        return []
    sql = (
        "SELECT rowid FROM article_stems WHERE article_stems MATCH ? "
        "ORDER BY bm25(article_stems, 10, 4, 1, 2) LIMIT ?"
    )
    return [row[0] for row in db.execute(sql, [expression, -1 if limit is None else limit])]


def _rows(db: sqlite_utils.Database, search: str | None) -> Iterator[dict]:
    """Export rows (lists still as newline-joined text) from one cursor, newest first."""
    where, params = "", []
    if search is not None:
        expression = match_expression(db, search)
        if expression is None:
            return
        where = "WHERE a.id IN (SELECT rowid FROM article_stems WHERE article_stems MATCH ?)"
        params = [expression]
    cursor = db.execute(ROWS_SQL.format(where=where), params)
    names = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))


def _lines(text: str | None) -> list[str]:
    return text.split("\n") if text else []


def _json_record(row: dict) -> dict:
    """Lists as JSON lists; footnotes as one text."""
    return {
        **row,
        "section_path": json.loads(row["section_path"] or "[]"),
        "authors": _lines(row["authors"]),
        "keywords": _lines(row["keywords"]),
        "translations": json.loads(row["translations"] or "[]"),
    }


def _csv_record(row: dict) -> dict:
    """Lists as readable text cells: "Monde > Asie", "A; B", "en: https://…"."""
    translations = json.loads(row["translations"] or "[]")
    return {
        **row,
        "section_path": " > ".join(json.loads(row["section_path"] or "[]")),
        "authors": SEPARATOR.join(_lines(row["authors"])),
        "keywords": SEPARATOR.join(_lines(row["keywords"])),
        "translations": SEPARATOR.join(f"{t['lang']}: {t['url']}" for t in translations),
    }


def export_articles(
    db: sqlite_utils.Database,
    out: TextIO | BinaryIO,
    *,
    fmt: str = "csv",
    search: str | None = None,
    excel: bool = False,
) -> int:
    """Write the articles (optionally those matching ``search``) to ``out``; the row count.

    ``out`` may be a text stream (open it with ``newline=""`` for CSV) or a binary one
    (written as UTF-8). ``excel=True`` starts a CSV with a byte-order mark so spreadsheet
    programs read it as UTF-8.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    binary = isinstance(out, io.RawIOBase | io.BufferedIOBase) or "b" in getattr(out, "mode", "")
    text: TextIO = io.TextIOWrapper(out, encoding="utf-8", newline="") if binary else out
    try:
        return _write(db, text, fmt, search, excel)
    finally:
        if binary:
            text.flush()
            text.detach()


def _write(
    db: sqlite_utils.Database, text: TextIO, fmt: str, search: str | None, excel: bool
) -> int:
    count = 0
    if fmt == "csv":
        if excel:
            text.write("\ufeff")
        writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for row in _rows(db, search):
            writer.writerow(_csv_record(row))
            count += 1
    elif fmt == "jsonl":
        for row in _rows(db, search):
            text.write(json.dumps(_json_record(row), ensure_ascii=False) + "\n")
            count += 1
    else:
        text.write("[")
        for row in _rows(db, search):
            text.write(",\n" if count else "\n")
            text.write(json.dumps(_json_record(row), ensure_ascii=False))
            count += 1
        text.write("\n]\n" if count else "]\n")
    return count
