"""The search box's query language: words, phrases, exclusions, OR, prefixes.

Language: words (stemmed in every language of the archive, accents folded), ``"a phrase"``
(matched on the unstemmed ``articles_fts``), ``-word`` / ``-"phrase"`` / ``NOT word`` to
exclude, ``OR`` between two terms, ``prefix*``. ``AND`` / ``OR`` / ``NOT`` in capitals are
operators only between terms; a dangling one is dropped, never searched as a word. A lone
elided article (``l'``, ``d'``…) standing as a word of its own is dropped when the query holds
other words. Everything else (brackets, lone ``*``, stray quotes, punctuation) is ignored, so
no input can make an invalid MATCH expression: user text never reaches MATCH except as the
letters and digits of quoted tokens (``compiler`` builds the MATCH expressions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from article_archive.store.stemming import tokenize

MAX_QUERY_CHARS = 1000
MAX_TERMS = 24
# A phrase in quotes (the closing quote may be missing), or a run of other characters.
TOKEN = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)(?:"|$)|(?P<chunk>[^\s"]+)')
# French elisions: "l'énergie" searches for énergie.
ELISIONS = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}


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
