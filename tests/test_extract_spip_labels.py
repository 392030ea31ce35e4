"""The labels SPIP prints, as the extractor matches them: trimmed, case-folded, every language."""

from __future__ import annotations

import pytest

from article_archive.extract.spip.labels import (
    AUTHOR_ARTICLES_LABELS,
    BY_LABELS,
    PS_LABELS,
    PUBLISHED_LABELS,
    WRITTEN_LABELS,
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
