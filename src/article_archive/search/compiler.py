"""A parsed query and its filters compiled to FTS5 MATCH expressions and SQL conditions.

A query compiles to one *driver* MATCH (the whole query when it only involves one FTS table:
``a b -c`` is ``(a) AND (b) NOT (c)`` on ``article_stems``), plus ``IN`` / ``NOT IN``
subqueries for the terms that live in the other table. ``engine`` runs it.

Ranking is ``bm25(article_stems, 10, 4, 1, 2)``: title 10 > lead 4 > authors 2 > body 1.

A section filter holds the section's own articles and those of its sub-rubrics: every article
whose breadcrumb (``section_path``) passes through it, as the section page lists them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from article_archive.search.language import Query, Term
from article_archive.search.request import SearchRequest
from article_archive.store.stemming import has_cjk, query_stems

WEIGHTS = "10, 4, 1, 2"  # title, lead, body, authors — the same column order in both FTS tables
# Whether the section ``:section`` is in the article's breadcrumb.
IN_PATH = """EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(a.section_path)
    THEN a.section_path ELSE '[]' END) WHERE value = :section)"""


def _quote(token: str) -> str:
    """An FTS5 string literal."""
    return '"' + token.replace('"', '""') + '"'


def _stem_expr(term: Term, langs: list[str]) -> str:
    """FTS5 expression of a word over ``article_stems``: any of its stems."""
    stems = sorted(query_stems(term.words[0], langs)) or term.words
    return "(" + " OR ".join(_stem_token(s) for s in stems) + ")"


def _stem_token(stem: str) -> str:
    """One quoted stem; a lone CJK character is a prefix (the index holds pairs of them)."""
    return _quote(stem) + ("*" if len(stem) == 1 and has_cjk(stem) else "")


def _raw_expr(term: Term) -> str:
    """FTS5 expression of a phrase or prefix over ``articles_fts``."""
    phrase = _quote(" ".join(term.words))
    return phrase + "*" if term.kind == "prefix" else phrase


@dataclass
class Compiled:
    """SQL pieces of one search (see ``engine``).

    ``table`` / ``match``: the driver FTS table and its MATCH expression (None: every article
    is a candidate). ``conds``: further conditions, written with ``{id}`` for the article id
    and ``a.`` for ``articles`` columns (``joins_articles`` tells whether any does).
    ``rank_table`` / ``rank_expr``: what ranks; ``rank_on_driver`` when that is the driver's
    own MATCH (then bm25 is read from the driver, no second MATCH).
    """

    table: str | None
    match: str | None
    conds: list[str]
    params: dict[str, Any]
    joins_articles: bool
    rank_table: str | None
    rank_expr: str | None
    rank_on_driver: bool
    highlight: str | None


def _any(exprs: list[str]) -> str:
    return exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")"


def _all(exprs: list[str]) -> str:
    return exprs[0] if len(exprs) == 1 else "(" + " AND ".join(exprs) + ")"


def compile_search(
    req: SearchRequest,
    query: Query,
    langs: list[str],
    tree: dict[str, frozenset[str | None]] | None = None,
) -> Compiled:
    """Turn a parsed query and the filters into SQL with bound parameters.

    ``tree``: the archive's ``archive_facts.section_tree``, so that a section filter reads
    the breadcrumbs of its sub-rubrics' articles only (without it: of every other article).
    """
    conds: list[str] = []
    params: dict[str, Any] = {}

    def sub(table: str, expr: str, negate: bool = False) -> str:
        name = f"p{len(params)}"
        params[name] = expr
        op = "NOT IN" if negate else "IN"
        return f"{{id}} {op} (SELECT rowid FROM {table} WHERE {table} MATCH :{name})"

    # Per table: AND of the groups that live wholly in it, OR of the excluded terms.
    pure: dict[str, list[str]] = {"article_stems": [], "articles_fts": []}
    minus: dict[str, list[str]] = {"article_stems": [], "articles_fts": []}
    mixed: list[tuple[str, str]] = []
    rank_stems, rank_raw, light = [], [], []
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
            mixed.append((" OR ".join(stems), " OR ".join(raws)))
        elif stems:
            pure["article_stems"].append(_any(stems))
        else:
            pure["articles_fts"].append(_any(raws))
    for term in query.excluded:
        if term.kind == "word":
            minus["article_stems"].append(_stem_expr(term, langs))
        else:
            minus["articles_fts"].append(_raw_expr(term))

    table = next((t for t in pure if pure[t]), None)
    match = None
    if table:
        match = _all(pure[table])
        if minus[table]:
            match = f"{match} NOT {_any(minus[table])}"
    for other, groups in pure.items():
        if other != table and groups:
            conds.append(sub(other, " AND ".join(groups)))
        if other != table and minus[other]:
            conds.append(sub(other, " OR ".join(minus[other]), negate=True))
    for stem_expr, raw_expr in mixed:
        conds.append(f"({sub('article_stems', stem_expr)} OR {sub('articles_fts', raw_expr)})")
    joins = _filters(req, conds, params, tree)
    rank_table: str | None
    rank_expr: str | None
    if rank_stems:
        rank_table, rank_expr = "article_stems", " OR ".join(rank_stems)
    elif rank_raw:
        rank_table, rank_expr = "articles_fts", " OR ".join(rank_raw)
    else:
        rank_table = rank_expr = None
    return Compiled(
        table=table,
        match=match,
        conds=conds,
        params=params,
        joins_articles=joins,
        rank_table=rank_table,
        rank_expr=rank_expr,
        rank_on_driver=bool(table) and table == rank_table and not mixed,
        highlight=" OR ".join(light) or None,
    )


def _next_prefix(text: str) -> str:
    """The smallest string above every string that starts with ``text`` (ASCII dates)."""
    return text[:-1] + chr(ord(text[-1]) + 1)


def section_condition(
    section: str, params: dict[str, Any], tree: dict[str, frozenset[str | None]] | None
) -> str:
    """SQL for "in ``section`` or one of its sub-rubrics" (its breadcrumb passes through it).

    With the ``tree``, only articles filed in a section known to lie below it have their
    breadcrumb read; the others are decided on ``a.section`` from the narrow index.
    """
    params["section"] = section
    if tree is None:
        return f"(a.section = :section OR {IN_PATH})"
    below = tree.get(section, frozenset())
    names = sorted(name for name in below if name is not None)
    params.update({f"section_{n}": name for n, name in enumerate(names)})
    marks = ", ".join(f":section_{n}" for n in range(len(names)))
    candidates = [f"a.section IN ({marks})"] if names else []
    if None in below:  # filed in no section, yet with a breadcrumb
        candidates.append("a.section IS NULL")
    if not candidates:
        return "a.section = :section"
    return f"(a.section = :section OR (({' OR '.join(candidates)}) AND {IN_PATH}))"


def _filters(
    req: SearchRequest,
    conds: list[str],
    params: dict[str, Any],
    tree: dict[str, frozenset[str | None]] | None = None,
) -> bool:
    """Add the facet and date filters of ``req``; whether any reads ``articles``.

    Dates compare as ranges (``published >= '2005'``, ``published < '2011'`` for ``to=2010``):
    the same as comparing the first characters, but with no function call per row.
    """
    joins = False
    if req.section is not None:
        conds.append(section_condition(req.section, params, tree))
        joins = True
    simple = {"site": "a.site", "lang": "a.lang", "year": "a.year"}
    for name, column in simple.items():
        if getattr(req, name) is not None:
            conds.append(f"{column} = :{name}")
            params[name] = getattr(req, name)
            joins = True
    if req.author is not None:
        conds.append("{id} IN (SELECT article_id FROM article_authors WHERE author_id = :author)")
        params["author"] = req.author
    if req.keyword is not None:
        conds.append(
            "{id} IN (SELECT article_id FROM article_keywords WHERE keyword_id = :keyword)"
        )
        params["keyword"] = req.keyword
    if req.date_from:
        conds.append("a.published >= :date_from")
        params["date_from"] = req.date_from
        joins = True
    if req.date_to:
        conds.append("a.published < :date_to_next")
        params["date_to_next"] = _next_prefix(req.date_to)
        joins = True
    return joins
