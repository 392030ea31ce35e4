"""The labels SPIP prints, as the extractor matches them: trimmed, case-folded, every language."""

from __future__ import annotations

import pytest

from article_archive.extract.spip.labels import (
    AUTHOR_ARTICLES_LABELS,
    BY_LABELS,
    PS_LABELS,
    PUBLISHED_LABELS,
    WRITTEN_LABELS,
    LabelHints,
)

ALL = [WRITTEN_LABELS, PUBLISHED_LABELS, BY_LABELS, PS_LABELS, AUTHOR_ARTICLES_LABELS]


@pytest.mark.parametrize("labels", ALL)
def test_labels_are_trimmed_case_folded_and_longest_first(labels):
    assert labels
    for label in labels:
        assert label == label.strip(" :").casefold()
        assert "@" not in label
    assert [len(label) for label in labels] == sorted((len(x) for x in labels), reverse=True)


@pytest.mark.parametrize(
    "label",
    [
        "date de rédaction antérieure",  # fr
        "date first published",  # en
        "datum einer früheren bearbeitung",  # de
        "fecha de redacción anterior",  # es
        "data di redazione anteriore",  # it
        "дата на предишно публикуване",  # bg
    ],
)
def test_date_redac_label_in_several_languages(label):
    assert label in WRITTEN_LABELS


def test_byline_and_p_s_labels():
    assert {"par", "by", "von", "por"} <= set(BY_LABELS)
    assert {"p.-s.", "post-scriptum", "postscript", "p.s."} <= set(PS_LABELS)
    assert "articles de cet auteur" in AUTHOR_ARTICLES_LABELS


def test_label_hints_and_where_a_label_is():
    hints = LabelHints(WRITTEN_LABELS)
    assert hints.may_hold("Date de rédaction antérieure : 2 mars 2019")
    assert hints.may_hold("前日付の公開：2019年3月2日")
    assert not hints.may_hold("Publié le 2 mars 2019, par Jeanne")
    text = "Publié le 5 mai. DATUM EINER FRÜHEREN BEARBEITUNG: 02.01.2019"
    start, end = hints.find(text)
    assert text[start:end] == "DATUM EINER FRÜHEREN BEARBEITUNG"
    assert hints.find("Publié le 5 mai") is None


def test_a_label_after_a_bracket_is_seen():
    assert LabelHints(WRITTEN_LABELS).may_hold("(Date de rédaction antérieure : 27 février 2009)")
