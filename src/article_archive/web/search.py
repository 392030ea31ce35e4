"""The search page's query language, compiled to FTS5 queries we build token by token.

Language: words (stemmed in every language of the archive, accents folded), ``"a phrase"``
(matched on the unstemmed ``articles_fts``), ``-word`` / ``-"phrase"`` / ``NOT word`` to
exclude, ``OR`` between two terms, ``prefix*``. Everything else (brackets, lone ``*``, stray
quotes, punctuation) is ignored, so no input can make an invalid MATCH expression: user text
never reaches MATCH except as the letters and digits of quoted tokens.

Ranking is ``bm25(article_stems, 10, 4, 1, 2)``: title 10 > lead 4 > authors 2 > body 1.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from article_archive.store.stemming import query_stems, tokenize

MAX_QUERY_CHARS = 1000
MAX_TERMS = 24
WEIGHTS = "10, 4, 1, 2"  # title, lead, body, authors — the same column order in both FTS tables
SORTS = ("relevance", "newest", "oldest")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# A phrase in quotes (the closing quote may be missing), or a run of other characters.
TOKEN = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)(?:"|$)|(?P<chunk>[^\s"]+)')
# French elisions: "l'énergie" searches for énergie.
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"


@dataclass
class Term:
    """One searchable unit: a ``word`` (stemmed), a ``phrase`` or a ``prefix`` (unstemmed)."""

    kind: str
    words: list[str]


@dataclass
class Query:
    """A parsed query: AND of groups, each an OR of terms; minus the excluded terms."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether nothing searchable was found in the text."""
        return not self.groups and not self.excluded


def _term(text: str, *, phrase: bool) -> Term | None:
    """A term from a quoted phrase or a chunk of text; None when it holds no word."""
    words = tokenize(text)
    if not phrase:
        if len(words) > 1 and words[0] in ELISIONS and re.search(r"['’]", text):
            words = words[1:]
        if words and text.rstrip(".,;:!?)]}").endswith("*"):
            return Term("prefix", words)
        if len(words) == 1:
            return Term("word", words)
    return Term("phrase", words) if words else None


def parse_query(text: str) -> Query:
    """Parse the search box's text; never fails, whatever the input."""
    query = Query()
    join_next = negate_next = False
    count = 0
    for match in TOKEN.finditer(text[:MAX_QUERY_CHARS]):
        chunk = match.group("chunk")
        negated = negate_next
        negate_next = False
        if chunk is not None:
            operator = chunk.strip("()[]{}")
            if operator == "OR":
                join_next = bool(query.groups)
                continue
            if operator in ("AND", "NOT"):
                negate_next = operator == "NOT"
                continue
            if chunk.startswith("-") and len(chunk) > 1:
                negated, chunk = True, chunk.lstrip("-")
            term = _term(chunk, phrase=False)
        else:
            negated = negated or match.group("neg") == "-"
            term = _term(match.group("phrase"), phrase=True)
        if term is None or count >= MAX_TERMS:
            continue
        count += 1
        if negated:
            query.excluded.append(term)
        elif join_next:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        join_next = False
    return query


def _quote(token: str) -> str:
    """An FTS5 string literal."""
    return '"' + token.replace('"', '""') + '"'


def _stem_expr(term: Term, langs: list[str]) -> str:
    """FTS5 expression of a word over ``article_stems``: any of its stems."""
    stems = sorted(query_stems(term.words[0], langs)) or term.words
    return "(" + " OR ".join(_quote(s) for s in stems) + ")"


def _raw_expr(term: Term) -> str:
    """FTS5 expression of a phrase or prefix over ``articles_fts``."""
    phrase = _quote(" ".join(term.words))
    return phrase + "*" if term.kind == "prefix" else phrase


@dataclass
class SearchRequest:
    """The search page's arguments, validated."""

    q: str = ""
    section: str | None = None
    author: int | None = None
    keyword: int | None = None
    lang: str | None = None
    year: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    messages: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Any) -> SearchRequest:
        """Build from request arguments; bad values are dropped with a message."""
        req = cls(q=(args.get("q") or "").strip())
        req.section = args.get("section") or None
        req.lang = args.get("lang") or None
        for name in ("author", "keyword", "year"):
            raw = (args.get(name) or "").strip()
            if raw.isdigit() and len(raw) < 10:
                setattr(req, name, int(raw))
            elif raw:
                req.messages.append(f"Ignored {name}={raw!r}: it should be a number.")
        for name, arg in (("date_from", "from"), ("date_to", "to")):
            raw = (args.get(arg) or "").strip()
            if DATE.match(raw):
                setattr(req, name, raw)
            elif raw:
                req.messages.append(
                    f"Ignored the date {raw!r}: write it as 2023, 2023-10 or 2023-10-12."
                )
        sort = args.get("sort") or ("relevance" if req.q else "newest")
        req.sort = sort if sort in SORTS else "relevance"
        return req

    def args(self) -> dict[str, Any]:
        """The arguments that reproduce this search (for links)."""
        return {
            "q": self.q,
            "section": self.section,
            "author": self.author,
            "keyword": self.keyword,
            "lang": self.lang,
            "year": self.year,
            "from": self.date_from,
            "to": self.date_to,
            "sort": None if self.sort == ("relevance" if self.q else "newest") else self.sort,
        }


@dataclass
class Compiled:
    """SQL pieces of one search: a where clause over ``articles a`` and how to rank."""

    where: str
    params: dict[str, Any]
    rank_table: str | None
    rank_expr: str | None
    highlight: str | None


def compile_search(req: SearchRequest, query: Query, langs: list[str]) -> Compiled:
    """Turn a parsed query and the filters into SQL with bound parameters."""
    conds: list[str] = []
    params: dict[str, Any] = {}

    def fts(table: str, expr: str, negate: bool = False) -> str:
        name = f"p{len(params)}"
        params[name] = expr
        op = "NOT IN" if negate else "IN"
        return f"a.id {op} (SELECT rowid FROM {table} WHERE {table} MATCH :{name})"

    pure_stems, pure_raw, rank_stems, rank_raw, light = [], [], [], [], []
    for group in query.groups:
        stems = [_stem_expr(t, langs) for t in group if t.kind == "word"]
        raws = [_raw_expr(t) for t in group if t.kind != "word"]
        rank_stems += stems
        rank_raw += raws
        light += raws + [
            _quote(s) + "*"
            for t in group
            if t.kind == "word"
            for s in query_stems(t.words[0], langs)
        ]
        if stems and raws:
            conds.append(
                "("
                + fts("article_stems", " OR ".join(stems))
                + " OR "
                + fts("articles_fts", " OR ".join(raws))
                + ")"
            )
        elif stems:
            pure_stems.append("(" + " OR ".join(stems) + ")")
        else:
            pure_raw.append("(" + " OR ".join(raws) + ")")
    if pure_stems:
        conds.append(fts("article_stems", " AND ".join(pure_stems)))
    if pure_raw:
        conds.append(fts("articles_fts", " AND ".join(pure_raw)))
    for term in query.excluded:
        if term.kind == "word":
            conds.append(fts("article_stems", _stem_expr(term, langs), negate=True))
        else:
            conds.append(fts("articles_fts", _raw_expr(term), negate=True))
    _filters(req, conds, params)
    if rank_stems:
        rank_table, rank_expr = "article_stems", " OR ".join(rank_stems)
    elif rank_raw:
        rank_table, rank_expr = "articles_fts", " OR ".join(rank_raw)
    else:
        rank_table = rank_expr = None
    return Compiled(
        where=" AND ".join(conds) or "1",
        params=params,
        rank_table=rank_table,
        rank_expr=rank_expr,
        highlight=" OR ".join(light) or None,
    )


def _filters(req: SearchRequest, conds: list[str], params: dict[str, Any]) -> None:
    """Add the facet and date filters of ``req``."""
    simple = {"section": "a.section", "lang": "a.lang", "year": "a.year"}
    for name, column in simple.items():
        if getattr(req, name) is not None:
            conds.append(f"{column} = :{name}")
            params[name] = getattr(req, name)
    if req.author is not None:
        conds.append("a.id IN (SELECT article_id FROM article_authors WHERE author_id = :author)")
        params["author"] = req.author
    if req.keyword is not None:
        conds.append(
            "a.id IN (SELECT article_id FROM article_keywords WHERE keyword_id = :keyword)"
        )
        params["keyword"] = req.keyword
    if req.date_from:
        conds.append("substr(a.published, 1, :from_len) >= :date_from")
        params.update(date_from=req.date_from, from_len=len(req.date_from))
    if req.date_to:
        conds.append("substr(a.published, 1, :to_len) <= :date_to")
        params.update(date_to=req.date_to, to_len=len(req.date_to))


def count(conn: sqlite3.Connection, c: Compiled) -> int:
    """How many articles match."""
    return conn.execute(f"SELECT count(*) FROM articles a WHERE {c.where}", c.params).fetchone()[0]


def ordered_ids(
    conn: sqlite3.Connection, c: Compiled, sort: str, limit: int = -1, offset: int = 0
) -> list[int]:
    """Matching article ids in the requested order (``limit=-1`` for all)."""
    params = {**c.params, "limit": limit, "offset": offset}
    by_date = "a.published DESC, a.id DESC" if sort != "oldest" else "a.published, a.id"
    if sort == "relevance" and c.rank_table:
        params["rank"] = c.rank_expr
        sql = f"""WITH scores AS (SELECT rowid AS id, bm25({c.rank_table}, {WEIGHTS}) AS score
            FROM {c.rank_table} WHERE {c.rank_table} MATCH :rank)
            SELECT a.id FROM articles a LEFT JOIN scores s ON s.id = a.id WHERE {c.where}
            ORDER BY s.score IS NULL, s.score, {by_date} LIMIT :limit OFFSET :offset"""
    else:
        sql = f"""SELECT a.id FROM articles a WHERE {c.where}
            ORDER BY {by_date} LIMIT :limit OFFSET :offset"""
    return [row[0] for row in conn.execute(sql, params)]


FACET_SQL = {
    "section": """SELECT a.section AS value, a.section AS label, count(*) AS n FROM articles a
        WHERE {where} AND a.section IS NOT NULL GROUP BY a.section
        ORDER BY n DESC, label LIMIT 12""",
    "author": """SELECT au.id AS value, au.name AS label, count(*) AS n FROM articles a
        JOIN article_authors aa ON aa.article_id = a.id JOIN authors au ON au.id = aa.author_id
        WHERE {where} GROUP BY au.id ORDER BY n DESC, label LIMIT 12""",
    "lang": """SELECT a.lang AS value, a.lang AS label, count(*) AS n FROM articles a
        WHERE {where} AND a.lang IS NOT NULL GROUP BY a.lang ORDER BY n DESC, label""",
    "year": """SELECT a.year AS value, a.year AS label, count(*) AS n FROM articles a
        WHERE {where} AND a.year IS NOT NULL GROUP BY a.year ORDER BY a.year DESC LIMIT 30""",
}


def facets(conn: sqlite3.Connection, c: Compiled) -> dict[str, list[dict[str, Any]]]:
    """Counts per section, author, language and year among the matches."""
    return {
        name: [dict(row) for row in conn.execute(sql.format(where=c.where), c.params)]
        for name, sql in FACET_SQL.items()
    }


def _marked(text: str) -> Markup:
    """Escape ``text`` and turn the highlight markers into ``<mark>``."""
    html = str(escape(text))
    return Markup(html.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_END, "</mark>"))


def snippets(conn: sqlite3.Connection, c: Compiled, ids: list[int]) -> dict[int, dict[str, Markup]]:
    """Highlighted title and text excerpt of each id that the highlight query reaches."""
    if not c.highlight or not ids:
        return {}
    marks = ",".join("?" * len(ids))
    start, end = HIGHLIGHT_START, HIGHLIGHT_END
    sql = f"""SELECT rowid, highlight(articles_fts, 0, '{start}', '{end}'),
        snippet(articles_fts, -1, '{start}', '{end}', '…', 28)
        FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN ({marks})"""
    try:
        rows = conn.execute(sql, [c.highlight, *ids]).fetchall()
    except sqlite3.OperationalError:  # a highlight query FTS5 finds too complex: plain text
        return {}
    return {
        row[0]: {"title": _marked(row[1] or ""), "snippet": _marked(row[2] or "")} for row in rows
    }
