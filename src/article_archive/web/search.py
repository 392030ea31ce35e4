"""The search page's query language, compiled to FTS5 queries we build token by token.

Language: words (stemmed in every language of the archive, accents folded), ``"a phrase"``
(matched on the unstemmed ``articles_fts``), ``-word`` / ``-"phrase"`` / ``NOT word`` to
exclude, ``OR`` between two terms, ``prefix*``. ``AND`` / ``OR`` / ``NOT`` in capitals are
operators only between terms; a dangling one is dropped, never searched as a word. A lone
elided article (``l'``, ``d'``…) standing as a word of its own is dropped when the query holds
other words. Everything else (brackets, lone ``*``, stray quotes, punctuation) is ignored, so
no input can make an invalid MATCH expression: user text never reaches MATCH except as the
letters and digits of quoted tokens.

A query compiles to one *driver* MATCH (the whole query when it only involves one FTS table:
``a b -c`` is ``(a) AND (b) NOT (c)`` on ``article_stems``), plus ``IN`` / ``NOT IN``
subqueries for the terms that live in the other table. ``search_sql`` runs it.

Ranking is ``bm25(article_stems, 10, 4, 1, 2)``: title 10 > lead 4 > authors 2 > body 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
    kept = [group for group in query.groups if not _filler(group)]
    if kept:
        query.groups = kept
    return query


def _filler(group: list[Term]) -> bool:
    """A group that is only an elided article typed apart ("l' énergie"): in nearly every text."""
    return len(group) == 1 and group[0].kind == "word" and group[0].words[0] in ELISIONS


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
    """SQL pieces of one search (see ``search_sql``).

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


def compile_search(req: SearchRequest, query: Query, langs: list[str]) -> Compiled:
    """Turn a parsed query and the filters into SQL with bound parameters."""
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
    for stems, raws in mixed:
        conds.append(f"({sub('article_stems', stems)} OR {sub('articles_fts', raws)})")
    joins = _filters(req, conds, params)
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


def _filters(req: SearchRequest, conds: list[str], params: dict[str, Any]) -> bool:
    """Add the facet and date filters of ``req``; whether any reads ``articles``.

    Dates compare as ranges (``published >= '2005'``, ``published < '2011'`` for ``to=2010``):
    the same as comparing the first characters, but with no function call per row.
    """
    joins = False
    simple = {"section": "a.section", "lang": "a.lang", "year": "a.year"}
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
