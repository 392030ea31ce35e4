"""SPIP dates on themed pages: the unclassed date line, SPIP's date_redac label in any language."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from article_archive.extract.spip import read_page
from article_archive.extract.spip.dates import find_dates

FIELDS = Path(__file__).parent / "fixtures" / "spip" / "fields"
SITE = "https://fleuve.example/"


def _fixture_dates(name: str) -> tuple[str | None, str | None, str | None]:
    """(published, written, updated) of the fixture page ``name``."""
    tree = lxml.html.fromstring((FIELDS / f"{name}.html").read_text(encoding="utf-8"))
    return find_dates(read_page(tree, SITE + name))


def _dates(cartouche: str, aside: str = "") -> tuple[str | None, str | None, str | None]:
    """(published, written, updated) of a page whose cartouche holds ``cartouche``."""
    html = (
        f"<html><body><div id='page'><div id='contenu'><div class='cartouche'>"
        f"<h1 class='titre'>Les jardins ouvriers</h1>{cartouche}</div>"
        "<div class='texte'><p>Le chantier commence le 3 juin 2024.</p></div></div>"
        f"{aside}</div></body></html>"
    )
    return find_dates(read_page(lxml.html.fromstring(html), SITE + "spip.php?article9"))


@pytest.mark.parametrize(
    ("name", "published"),
    [
        ("small-date-line", "2024-03-14"),  # "jeudi 14 mars 2024, par …" in a bare <small>
        ("linked-byline", "2024-04-12"),  # "Publié 12 avril 2024" above the title
        ("typo-subtitle", "2024-03-07"),  # "par Jeanne Morel (7/03/2024)"
        ("ps-beside", "2024-04-08"),  # "Monday 8 April 2024, by …"
    ],
)
def test_the_unclassed_date_line_is_the_published_date(name, published):
    assert _fixture_dates(name) == (published, None, None)


def test_a_date_in_a_sentence_of_the_cartouche_is_not_the_date_line():
    assert _dates("<p>Après les élections du 10 avril 2024</p>") == (None, None, None)


def test_dates_of_other_articles_in_a_sidebar_or_a_list_are_not_taken():
    aside = (
        "<div id='navigation'><p>Publié le 9 février 2024</p></div>"
        "<div class='extra'><small>2 mars 2024</small></div>"
    )
    listing = "<ul><li><a href='Autre'>Un autre article</a> <small>5 mars 2024</small></li></ul>"
    assert _dates(listing, aside) == (None, None, None)


def test_publication_label_before_the_date():
    assert _dates("<div>Publié le : 22 juin 2021</div>")[0] == "2021-06-22"
    assert _dates("<p><small>Published on: 2 May 2023</small></p>")[0] == "2023-05-02"


@pytest.mark.parametrize(
    "line",
    [
        "Date de rédaction antérieure : 2 janvier 2019",
        "Previously published on: 2 January 2019",
        "Date first published: 02/01/2019",
        "Datum einer früheren Bearbeitung: 02.01.2019",
        "Fecha de redacción anterior: 02/01/2019",
        "Data di redazione anteriore: 02/01/2019",
        "Datum van eerdere redactie: 02/01/2019",
    ],
)
def test_date_redac_is_known_by_spip_s_label_in_every_language(line):
    # an unclassed line of its own, and a classed date block, beside the date of publication
    assert _dates(f"<p><small>5 mars 2024</small></p><p><small>{line}</small></p>")[:2] == (
        "2024-03-05",
        "2019-01-02",
    )
    block = "<p class='info-publi'><abbr class='published' title='2024-03-05'>5 mars</abbr>"
    assert _dates(f"{block} {line}</p>")[:2] == ("2024-03-05", "2019-01-02")


def test_a_written_date_alone_is_not_the_published_date():
    assert _dates("<p><small>Date de rédaction antérieure : 02/01/2019</small></p>")[:2] == (
        None,
        "2019-01-02",
    )
