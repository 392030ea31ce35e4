"""The one read door: an article as the record of SPEC.md, however it leaves the archive.

``article_record`` gives an extracted article's fields in SPEC.md's order with nested items as
plain dicts; ``load_articles`` reads stored articles back into that same record, followed by
the archive's own columns (``id`` first, then ``first_seen``, ``last_fetched``, …) and the
article's ``revisions``, newest first. The reader's ``.json`` and ``.md``, every export format
and the ``extract`` command serialize these records, so their shapes cannot drift apart.

Only reads: every function takes a connection and runs ``SELECT`` statements.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from article_archive.models import Article

RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
# Keys of the items of each list field, in order.
ITEM_KEYS = {
    "authors": ("name", "url"),
    "toc": ("level", "title", "anchor"),
    "footnotes": ("number", "text", "html"),
    "translations": ("lang", "url"),
}
JSON_COLUMNS = ("section_path", "toc", "translations")
# The archive's own columns, after the extracted fields (those the archive holds).
ARCHIVE_COLUMNS = (
    "first_seen",
    "last_fetched",
    "content_hash",
    "gone",
    "gone_status",
    "gone_reason",
    "failing_since",
    "failed_checks",
)
REVISION_KEYS = ("id", "content_hash", "fetched_at", "title", "body_text")
BATCH = 500  # ids per statement, well under SQLite's limit on bound parameters


def _item(value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    """One nested item (dataclass, dict, or a bare author name) as a dict of ``keys``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    elif isinstance(value, str):
        value = {keys[0]: value}
    return {key: value.get(key) for key in keys}


def article_record(article: Article | Mapping[str, Any]) -> dict[str, Any]:
    """The SPEC.md record of an extracted article: its fields in order, nested items as dicts."""
    data = article.to_dict() if isinstance(article, Article) else article
    record: dict[str, Any] = {}
    for name in RECORD_FIELDS:
        value = data.get(name)
        if name in ITEM_KEYS:
            value = [_item(v, ITEM_KEYS[name]) for v in value or []]
        elif name in ("section_path", "keywords"):
            value = list(value or [])
        record[name] = value
    return record


def _json_list(text: str | None) -> list[Any]:
    """A JSON column as a list (empty for NULL or bad JSON)."""
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    """The rows of ``sql`` as dicts, whatever the connection's row factory."""
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _grouped(
    conn: sqlite3.Connection, sql: str, ids: list[int], keys: tuple[str, ...]
) -> dict[int, list[dict[str, Any]]]:
    """Rows of ``sql`` (its first column the article id) grouped per article, as ``keys``."""
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in _rows(conn, sql, ids):
        found[row["article_id"]].append({key: row[key] for key in keys})
    return found


def _batch(conn: sqlite3.Connection, ids: list[int]) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(ids))
    rows = {r["id"]: r for r in _rows(conn, f"SELECT * FROM articles WHERE id IN ({marks})", ids)}
    authors = _grouped(
        conn,
        f"""SELECT aa.article_id, au.name, au.url FROM article_authors aa
        JOIN authors au ON au.id = aa.author_id WHERE aa.article_id IN ({marks})
        ORDER BY aa.article_id, aa.position""",
        ids,
        ITEM_KEYS["authors"],
    )
    keywords = _grouped(
        conn,
        f"""SELECT ak.article_id, k.name FROM article_keywords ak
        JOIN keywords k ON k.id = ak.keyword_id WHERE ak.article_id IN ({marks})
        ORDER BY ak.article_id, ak.rowid""",
        ids,
        ("name",),
    )
    notes = _grouped(
        conn,
        f"""SELECT article_id, number, text, html FROM footnotes WHERE article_id IN ({marks})
        ORDER BY article_id, position""",
        ids,
        ITEM_KEYS["footnotes"],
    )
    revisions = _grouped(
        conn,
        f"""SELECT article_id, {", ".join(REVISION_KEYS)} FROM revisions
        WHERE article_id IN ({marks}) ORDER BY article_id, fetched_at DESC, id DESC""",
        ids,
        REVISION_KEYS,
    )
    out = []
    for i in ids:
        if i not in rows:
            continue
        row = dict(rows[i])
        for name in JSON_COLUMNS:
            row[name] = _json_list(row.get(name))
        row["authors"] = authors[i]
        row["keywords"] = [k["name"] for k in keywords[i]]
        row["footnotes"] = notes[i]
        record = {"id": i, **article_record(row)}
        record.update({name: row[name] for name in ARCHIVE_COLUMNS if name in row})
        record["revisions"] = revisions[i]
        out.append(record)
    return out


def load_articles(conn: sqlite3.Connection, ids: Iterable[int]) -> list[dict[str, Any]]:
    """The records of the articles ``ids``, in that order (ids not in the archive left out)."""
    wanted = list(ids)
    out: list[dict[str, Any]] = []
    for start in range(0, len(wanted), BATCH):
        out += _batch(conn, wanted[start : start + BATCH])
    return out


def load_article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    """The record of one stored article (SPEC.md fields, archive columns, revisions), or None."""
    found = load_articles(conn, [article_id])
    return found[0] if found else None
