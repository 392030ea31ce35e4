"""The query language: words, phrases, exclusions, OR, prefixes, operators only between terms."""

from __future__ import annotations

import pytest

from article_archive.search.language import Term, parse_query


def test_parse_words_phrases_exclusions_or_prefix() -> None:
    q = parse_query('nucléaire "centrale nucléaire" -Japon Grèce OR Japon nucl* NOT x')
    assert q.groups == [
        [Term("word", ["nucléaire"])],
        [Term("phrase", ["centrale", "nucléaire"])],
        [Term("word", ["grèce"]), Term("word", ["japon"])],
        [Term("prefix", ["nucl"])],
    ]
    assert q.excluded == [Term("word", ["japon"]), Term("word", ["x"])]


def test_parse_drops_french_elision_and_unbalanced_quotes() -> None:
    assert parse_query("l’énergie").groups == [[Term("word", ["énergie"])]]
    assert parse_query('"centrale nucl').groups == [[Term("phrase", ["centrale", "nucl"])]]
    assert parse_query("AND( * ) !!").empty


@pytest.mark.parametrize(
    ("text", "groups", "excluded"),
    [
        ("grève AND salaires", [["grève"], ["salaires"]], []),
        ("AND grève", [["grève"]], []),
        ("grève AND", [["grève"]], []),
        ("grève OR", [["grève"]], []),
        ("OR grève", [["grève"]], []),
        ("grève NOT", [["grève"]], []),
        ("grève (AND) OR salaires", [["grève", "salaires"]], []),
        ("grève NOT retraites", [["grève"]], ["retraites"]),
        ("and or not", [["and"], ["or"], ["not"]], []),  # lower case: words
        ("l' énergie", [["énergie"]], []),  # an elided article typed apart
        ("d’ énergie l", [["énergie"]], []),
        ("l'", [["l"]], []),  # nothing else to search: kept
        ("plan B", [["plan"], ["b"]], []),  # only elisions go
    ],
)
def test_operators_only_between_terms(text: str, groups: list, excluded: list) -> None:
    q = parse_query(text)
    assert [[t.words[0] for t in g] for g in q.groups] == groups
    assert [t.words[0] for t in q.excluded] == excluded


@pytest.mark.parametrize("text", ["AND(", "AND", "OR OR", "NOT", "( AND ) OR [NOT]"])
def test_dangling_operators_leave_nothing(text: str) -> None:
    assert parse_query(text).empty


def test_parse_keeps_term_kinds() -> None:
    assert parse_query("syndic* AND grève").groups == [
        [Term("prefix", ["syndic"])],
        [Term("word", ["grève"])],
    ]
