"""The search box's query language as one FTS5 expression over ``article_stems``.

Datasette's own table search (``/{db}/articles?_search=``) runs a single ``MATCH`` against
one FTS table through its ``escape_fts`` SQL function; the plugin replaces that function on
archive connections with ``stemmed_match``, so the table search finds what the search page
finds for words (stemmed, accents folded, CJK pairs), ``OR``, ``-exclusions`` and
``prefix*``. A ``"phrase"`` there needs all of its words, in any order (the stems index has
no reliable word positions: accented words carry two forms).
"""

from __future__ import annotations

from collections.abc import Iterable

from article_archive.search.language import Term, parse_query
from article_archive.store.stemming import fold, has_cjk, query_stems

#: Matches no row (an FTS5 expression must name something; this token is never indexed).
NOTHING = '"\x01"'


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _word(word: str, langs: list[str | None]) -> str:
    stems = sorted(query_stems(word, langs)) or [word]
    quoted = [_quote(s) + ("*" if len(s) == 1 and has_cjk(s) else "") for s in stems]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def _term(term: Term, langs: list[str | None]) -> str:
    if term.kind == "prefix":
        return _quote(" ".join(fold(w) for w in term.words)) + "*"
    parts = [_word(w, langs) for w in term.words]
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def stemmed_match(text: str | None, langs: Iterable[str | None]) -> str:
    """An FTS5 MATCH expression over ``article_stems`` for the query ``text``; never invalid.

    ``langs``: the archive's languages (each query word is stemmed in each of them).
    """
    query = parse_query(text or "")
    chosen = list(langs)
    if not query.groups:  # nothing to search for, or only exclusions
        return NOTHING
    groups = []
    for group in query.groups:
        exprs = [_term(t, chosen) for t in group]
        groups.append(exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")")
    expr = " AND ".join(groups)
    if query.excluded:
        expr = f"({expr}) NOT ({' OR '.join(_term(t, chosen) for t in query.excluded)})"
    return expr
