"""Running a search: the one engine behind the search page, the feeds, the lists and exports.

``compile_request`` and ``matching_ids`` are the doors: a ``SearchRequest`` in, SQL compiled
against the archive's languages, article ids out. The rest runs a compiled search: every
match, one ranked page, snippets.

Every statement starts from the driver FTS table (``FROM article_stems WHERE article_stems
MATCH ?``), so a common word is matched once per statement and read from the FTS index, never
as ``a.id IN (SELECT rowid …)`` seeking each match in the (large) ``articles`` rows. Filters
on article columns join ``articles`` through the narrow covering index ``idx_articles_search``
(named with ``INDEXED BY``: left alone, the planner seeks the full rows). The whole match set
is read once (``match_ids``): its length is the total and its ids feed the facet counts,
which ``facets`` counts in Python over per-archive columns kept in memory (``archive_facts``).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from markupsafe import Markup, escape

from article_archive.search import archive_facts
from article_archive.search.compiler import WEIGHTS, Compiled, compile_search
from article_archive.search.language import parse_query
from article_archive.search.request import SearchRequest

HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"


def _source(
    conn: sqlite3.Connection, c: Compiled, *, articles: bool, join: str = ""
) -> tuple[str, str, str]:
    """(FROM … WHERE … clause, id column, bm25 expression or '') of the compiled search.

    ``articles``: join ``articles a`` even when no filter needs it (to sort by date);
    ``join``: one more join clause (it may use ``a``).
    """
    if c.table is None:
        ident, sql, conds = "a.id", "FROM articles a", list(c.conds)
    else:
        ident, sql = f"{c.table}.rowid", f"FROM {c.table}"
        if articles or join or c.joins_articles:
            hint = " INDEXED BY idx_articles_search" if archive_facts.has_search_index(conn) else ""
            sql += f" JOIN articles a{hint} ON a.id = {ident}"
        # ``+``: test the id against each list after the MATCH, rather than run the MATCH
        # once per listed id (what FTS5 does with a rowid constraint).
        conds = [f"{c.table} MATCH :match", *(x.replace("{id}", "+{id}") for x in c.conds)]
    where = " AND ".join(conds).replace("{id}", ident) or "1"
    score = f"bm25({c.table}, {WEIGHTS})" if c.rank_on_driver else ""
    return f"{sql}{join} WHERE {where}", ident, score


def compile_request(conn: sqlite3.Connection, req: SearchRequest) -> Compiled | None:
    """The compiled search of ``req``; None when its text holds nothing searchable (no match).

    An empty query text is no restriction: every article meeting the filters matches.
    """
    query = parse_query(req.q)
    if req.q and query.empty:
        return None
    tree = archive_facts.section_tree(conn) if req.section is not None else None
    return compile_search(req, query, archive_facts.languages(conn), tree)


def matching_ids(
    conn: sqlite3.Connection, req: SearchRequest, limit: int = -1, offset: int = 0
) -> list[int]:
    """The ids of the articles matching ``req``, in its sort order (``limit=-1``: all)."""
    compiled = compile_request(conn, req)
    if compiled is None:
        return []
    return ordered_ids(conn, compiled, req.sort, limit, offset)


def matching_count(conn: sqlite3.Connection, req: SearchRequest) -> int:
    """How many articles match ``req``."""
    compiled = compile_request(conn, req)
    return 0 if compiled is None else count(conn, compiled)


def _params(c: Compiled, **more: Any) -> dict[str, Any]:
    return {**c.params, "match": c.match, **more}


def match_ids(conn: sqlite3.Connection, c: Compiled) -> list[int]:
    """Every matching article id (in no particular order)."""
    source, ident, _ = _source(conn, c, articles=False)
    return [row[0] for row in conn.execute(f"SELECT {ident} {source}", _params(c))]


def count(conn: sqlite3.Connection, c: Compiled) -> int:
    """How many articles match."""
    source, _, _ = _source(conn, c, articles=False)
    return conn.execute(f"SELECT count(*) {source}", _params(c)).fetchone()[0]


def ordered_ids(
    conn: sqlite3.Connection, c: Compiled, sort: str, limit: int = -1, offset: int = 0
) -> list[int]:
    """Matching article ids in the requested order (``limit=-1`` for all).

    Relevance is bm25, ties newest first; articles that match without meeting the ranking
    expression (a phrase ORed with a word) come after the ranked ones.
    """
    if sort == "relevance" and c.rank_on_driver and limit >= 0:
        return _top_by_score(conn, c, limit, offset)
    by_date = "a.published DESC, a.id DESC" if sort != "oldest" else "a.published, a.id"
    params = _params(c, limit=limit, offset=offset)
    page = "LIMIT :limit OFFSET :offset"
    if sort == "relevance" and c.rank_on_driver:
        source, ident, score = _source(conn, c, articles=True)
        sql = f"SELECT {ident} {source} ORDER BY {score}, {by_date} {page}"
    elif sort == "relevance" and c.rank_table:
        params["rank"] = c.rank_expr
        join = " LEFT JOIN scores s ON s.id = a.id"
        source, ident, _ = _source(conn, c, articles=True, join=join)
        sql = f"""WITH scores AS (SELECT rowid AS id, bm25({c.rank_table}, {WEIGHTS}) AS score
            FROM {c.rank_table} WHERE {c.rank_table} MATCH :rank)
            SELECT {ident} {source} ORDER BY s.score IS NULL, s.score, {by_date} {page}"""
    else:
        source, ident, _ = _source(conn, c, articles=True)
        sql = f"SELECT {ident} {source} ORDER BY {by_date} {page}"
    return [row[0] for row in conn.execute(sql, params)]


def _top_by_score(conn: sqlite3.Connection, c: Compiled, limit: int, offset: int) -> list[int]:
    """One page by bm25 read from the driver alone; the date tie-break is done here.

    One row more than needed tells whether a tie crosses the page's end; only then is the
    slower statement (joined to ``articles`` for the tie-break) needed.
    """
    source, ident, score = _source(conn, c, articles=False)
    wanted = offset + limit
    sql = f"SELECT {ident}, {score} AS score {source} ORDER BY score LIMIT :n"
    rows = conn.execute(sql, _params(c, n=wanted + 1)).fetchall()
    if len(rows) > wanted and wanted and rows[wanted][1] == rows[wanted - 1][1]:
        source, ident, score = _source(conn, c, articles=True)
        sql = f"""SELECT {ident} {source} ORDER BY {score}, a.published DESC, a.id DESC
            LIMIT :limit OFFSET :offset"""
        return [row[0] for row in conn.execute(sql, _params(c, limit=limit, offset=offset))]
    rows = rows[:wanted]
    if len({row[1] for row in rows}) < len(rows):  # ties inside the page: newest first
        dates = _published(conn, [row[0] for row in rows])
        rows.sort(key=lambda row: row[0], reverse=True)
        rows.sort(key=lambda row: dates[row[0]], reverse=True)
        rows.sort(key=lambda row: row[1])
    return [row[0] for row in rows[offset:]]


class _Date:
    """Sort key of a ``published`` value in SQLite's order (NULL lowest, then text)."""

    def __init__(self, value: Any) -> None:
        self.key = (0, "") if value is None else (1, str(value))

    def __lt__(self, other: _Date) -> bool:
        return self.key < other.key


def _published(conn: sqlite3.Connection, ids: list[int]) -> dict[int, _Date]:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT id, published FROM articles WHERE id IN ({marks})", ids)
    found = {row[0]: _Date(row[1]) for row in rows}
    return {i: found.get(i, _Date(None)) for i in ids}


def _marked(text: str) -> Markup:
    """Escape ``text`` and turn the highlight markers into ``<mark>``."""
    html = str(escape(text))
    return Markup(html.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>"))


def snippets(conn: sqlite3.Connection, c: Compiled, ids: list[int]) -> dict[int, dict[str, Markup]]:
    """Highlighted title and text excerpt of each id that the highlight query reaches.

    ``+rowid`` keeps the id list out of FTS5, which would otherwise expand the prefix
    queries once per id.
    """
    if not c.highlight or not ids:
        return {}
    marks = ",".join("?" * len(ids))
    start, end = HIGHLIGHT_START, HIGHLIGHT_END
    sql = f"""SELECT rowid, highlight(articles_fts, 0, '{start}', '{end}'),
        snippet(articles_fts, -1, '{start}', '{end}', '…', 28)
        FROM articles_fts WHERE articles_fts MATCH ? AND +rowid IN ({marks})"""
    try:
        rows = conn.execute(sql, [c.highlight, *ids]).fetchall()
    except sqlite3.OperationalError:  # a highlight query FTS5 finds too complex: plain text
        return {}
    return {
        row[0]: {"title": _marked(row[1] or ""), "snippet": _marked(row[2] or "")} for row in rows
    }
