"""Stemming for the ranked index: accents folded after Snowball stemming."""

from __future__ import annotations

from article_archive.store.stemming import fold, query_stems, stem_text, stemmer_for, tokenize


def test_tokenize_splits_on_apostrophes_and_lowercases() -> None:
    assert tokenize("L'élection d’Emmanuel, 2023 porte-parole") == [
        "l",
        "élection",
        "d",
        "emmanuel",
        "2023",
        "porte",
        "parole",
    ]


def test_fold_removes_accents() -> None:
    assert fold("nucléaire État Ça") == "nucleaire Etat Ca"


def test_french_plural_accents_and_folding_meet() -> None:
    stems = {stem_text(word, "fr") for word in ("nucléaires", "nucléaire", "nucleaire")}
    assert stems == {"nucleair"}
    assert stem_text("élections", "fr") == stem_text("élection", "fr") == "elect"
    assert stem_text("elections", "fr") == "elect"


def test_query_forms_meet_the_indexed_forms() -> None:
    indexed = set(stem_text("Les premières élections nucléaires", "fr").split())
    for query in ("premieres", "premières", "elections", "election", "nucleaire"):
        assert query_stems(query, ["fr"]) & indexed, query


def test_accented_word_whose_folded_spelling_stems_differently_is_indexed_twice() -> None:
    # Snowball: "premières" → "premi", but "premieres" → "premier".
    assert stem_text("premières", "fr") == "premi premier"


def test_english_running_meets_run() -> None:
    assert stem_text("running", "en") == stem_text("run", "en") == "run"
    assert "run" in query_stems("Running", ["en"])


def test_unknown_language_is_not_stemmed_but_folded() -> None:
    assert stem_text("Élections running", None) == "elections running"
    assert stem_text("Élections", "zz") == "elections"


def test_language_codes_with_regions_and_cache() -> None:
    assert stemmer_for("fr-FR") is stemmer_for("fr")
    assert stemmer_for("pt_BR") is not None
    assert stemmer_for("") is None


def test_query_stems_includes_plain_word_for_unstemmed_articles() -> None:
    assert query_stems("Élections", ["fr"]) == {"elect", "elections"}
    # English Snowball treats "é" as a consonant, hence "election" as well.
    assert query_stems("Élections", ["fr", "en"]) == {"elect", "election", "elections"}
    assert query_stems("élections", []) == {"elections"}


def test_ligatures_are_spelled_out() -> None:
    assert stem_text("cœur", None) == "coeur"
