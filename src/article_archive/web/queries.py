"""Read-only SQL for the pages: article cards, one full article, counts for the front page.

Every function takes a ``sqlite3.Connection`` whose rows are ``sqlite3.Row`` (see
``routes.common.run``) and returns plain dicts, so the views stay free of SQL. Which articles
a list holds is the search engine's answer (``article_archive.search``); what an article holds
is ``store.read``'s record.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from article_archive.search import SearchRequest, archive_facts, matching_count, matching_ids
from article_archive.store.read import load_article

CARD_COLUMNS = "id, title, surtitle, section, published, lang, lead, authors_text, url"


def authors_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Authors (id, name, url) of each article id, in page order."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    sql = f"""SELECT aa.article_id, au.id, au.name, au.url FROM article_authors aa
        JOIN authors au ON au.id = aa.author_id
        WHERE aa.article_id IN ({marks}) ORDER BY aa.article_id, aa.position"""
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for row in conn.execute(sql, ids):
        found[row[0]].append({"id": row[1], "name": row[2], "url": row[3]})
    return found


def cards(conn: sqlite3.Connection, ids: list[int]) -> list[dict[str, Any]]:
    """Article cards (title, section, date, authors, lead) for ``ids``, in that order."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT {CARD_COLUMNS} FROM articles WHERE id IN ({marks})", ids)
    by_id = {row["id"]: dict(row) for row in rows}
    authors = authors_of(conn, ids)
    out = []
    for i in ids:
        if i in by_id:
            by_id[i]["authors"] = authors.get(i, [])
            out.append(by_id[i])
    return out


def newest(conn: sqlite3.Connection, limit: int = 10) -> list[dict[str, Any]]:
    """The newest articles by publication date."""
    sql = "SELECT id FROM articles ORDER BY published DESC, id DESC LIMIT ?"
    return cards(conn, [row[0] for row in conn.execute(sql, [limit])])


def listing(
    conn: sqlite3.Connection, kind: str, value: Any, offset: int, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """Total and one page (newest first) of the articles with ``kind`` = ``value``.

    The search engine's filter of that name answers, so a section's list holds its
    sub-rubrics exactly as its feed and its "search within" do.
    """
    req = SearchRequest(sort="newest", **{kind: value})
    ids = matching_ids(conn, req, limit, offset)
    return matching_count(conn, req), cards(conn, ids)


def overview(conn: sqlite3.Connection) -> dict[str, Any]:
    """Counts for the front page: articles, sections, authors, languages, years.

    Each count scans the whole archive, so they are kept while the file is unchanged.
    """
    return dict(archive_facts.remembered(conn, "front_overview", _overview))


def _overview(conn: sqlite3.Connection) -> dict[str, Any]:
    one = conn.execute("SELECT count(*), min(published), max(published) FROM articles")
    total, first, last = one.fetchone()
    sections = conn.execute(
        """SELECT section AS name, count(*) AS n FROM articles WHERE section IS NOT NULL
        GROUP BY section ORDER BY n DESC, section LIMIT 30"""
    ).fetchall()
    authors = conn.execute(
        """SELECT au.id, au.name, count(*) AS n FROM article_authors aa
        JOIN authors au ON au.id = aa.author_id GROUP BY au.id ORDER BY n DESC, au.name LIMIT 30"""
    ).fetchall()
    langs = conn.execute(
        "SELECT lang AS name, count(*) AS n FROM articles GROUP BY lang ORDER BY n DESC"
    ).fetchall()
    years = conn.execute(
        """SELECT year AS name, count(*) AS n FROM articles WHERE year IS NOT NULL
        GROUP BY year ORDER BY year DESC"""
    ).fetchall()
    return {
        "total": total,
        "first": first,
        "last": last,
        "sections": [dict(r) for r in sections],
        "authors": [dict(r) for r in authors],
        "langs": [dict(r) for r in langs],
        "years": [dict(r) for r in years],
    }


def article(conn: sqlite3.Connection, article_id: int) -> dict[str, Any] | None:
    """One article's record (``store.read``) with the ids its page links to.

    Authors become ``{id, name, url}`` and keywords ``{id, name}``, for the author and
    keyword list links; everything else is the record as downloaded.
    """
    art = load_article(conn, article_id)
    if art is None:
        return None
    art["authors"] = authors_of(conn, [article_id])[article_id]
    ids = {
        row[1]: row[0]
        for row in conn.execute(
            """SELECT k.id, k.name FROM article_keywords ak JOIN keywords k ON k.id = ak.keyword_id
            WHERE ak.article_id = ?""",
            [article_id],
        )
    }
    art["keywords"] = [{"id": ids[name], "name": name} for name in art["keywords"]]
    return art


def neighbours(conn: sqlite3.Connection, art: dict[str, Any]) -> dict[str, Any]:
    """The previous (older) and next (newer) article in the same section."""
    if not art.get("section"):
        return {"prev": None, "next": None}
    key = {"s": art["section"], "p": art.get("published") or "", "i": art["id"]}
    older = conn.execute(
        """SELECT id, title FROM articles WHERE section = :s AND id != :i
        AND (ifnull(published, '') < :p OR (ifnull(published, '') = :p AND id < :i))
        ORDER BY published DESC, id DESC LIMIT 1""",
        key,
    ).fetchone()
    newer = conn.execute(
        """SELECT id, title FROM articles WHERE section = :s AND id != :i
        AND (ifnull(published, '') > :p OR (ifnull(published, '') = :p AND id > :i))
        ORDER BY published ASC, id ASC LIMIT 1""",
        key,
    ).fetchone()
    return {"prev": dict(older) if older else None, "next": dict(newer) if newer else None}


def local_urls(conn: sqlite3.Connection, urls: list[str]) -> dict[str, int]:
    """Which of ``urls`` are archived here: url -> article id."""
    if not urls:
        return {}
    marks = ",".join("?" * len(urls))
    rows = conn.execute(f"SELECT url, id FROM articles WHERE url IN ({marks})", urls)
    return {row[0]: row[1] for row in rows}


def name_of(conn: sqlite3.Connection, table: str, row_id: int) -> str | None:
    """The ``name`` of an author or keyword by id."""
    assert table in ("authors", "keywords")
    row = conn.execute(f"SELECT name FROM {table} WHERE id = ?", [row_id]).fetchone()
    return row[0] if row else None
