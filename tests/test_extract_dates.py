"""Date text (French, English, ISO, d/m/y) to ISO 8601."""

from __future__ import annotations

import pytest

from article_archive.extract.dates import find_date, parse_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("jeudi 12 octobre 2023", "2023-10-12"),
        ("1er mai 2024", "2024-05-01"),
        ("4 octobre 2023", "2023-10-04"),
        ("12 October 2023", "2023-10-12"),
        ("October 12, 2023", "2023-10-12"),
        ("Oct. 12, 2023", "2023-10-12"),
        ("le 15 septembre 2009", "2009-09-15"),
        (", le  15 septembre 2009", "2009-09-15"),
        ("lundi 3 février 2020 à 14h30", "2020-02-03T14:30:00"),
        ("lundi 3 février 2020 14:30", "2020-02-03T14:30:00"),
        ("le 1er mai 2024 à 9h", "2024-05-01T09:00:00"),
        ("2019-09-11T12:30:39Z", "2019-09-11T12:30:39Z"),
        ("2019-09-11 12:30:39", "2019-09-11T12:30:39"),
        ("2019-09-11T12:30:39+0200", "2019-09-11T12:30:39+02:00"),
        ("2018-06-21", "2018-06-21"),
        ("11/09/2019", "2019-09-11"),
        ("3 fevrier 2020", "2020-02-03"),
        ("15 aout 2021", "2021-08-15"),
        ("1 decembre 2020", "2020-12-01"),
        ("12 déc. 2020", "2020-12-12"),
        ("21 JUIN 2018", "2018-06-21"),
        ("par Didier Roy, 21 juin 2018", "2018-06-21"),
    ],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    "text", ["octobre 2023", "2023", "31 février 2020", "", "sans date", "32/01/2020"]
)
def test_no_full_date_gives_none(text):
    assert parse_date(text) is None


def test_find_date_gives_the_span():
    text = "(Date de rédaction antérieure : 4 octobre 2023)"
    iso, start, end = find_date(text)
    assert iso == "2023-10-04"
    assert text[start:end] == "4 octobre 2023"


def test_find_date_english_first_published():
    text = "(Date first published: 4 October 2023)"
    iso, start, end = find_date(text)
    assert (iso, text[start:end]) == ("2023-10-04", "4 October 2023")


def test_find_date_takes_the_first_date():
    assert find_date("12 mars 2021, modifié le 2021-04-01")[0] == "2021-03-12"
