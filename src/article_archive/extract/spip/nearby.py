"""What a theme prints around the article's title and texte, when no class names it.

Many themes print the date line as an unclassed ``<small>`` or a ``<div>`` of their own
("Tuesday 5 December 2023, by …", "par Rédaction (11/06/2024)", "Publié le : 22 juin 2021").
``date_lines`` walks the article's region (``SpipPage.region``) in page order, outside the
texte, the chapo, the P.-S., the notes, the headings, lists, links and off-topic blocks
(``index.off_topic``), and ``published_nearby`` takes the first date written the way a date
line writes it: alone, after a weekday or a publication label, in brackets, or next to the
byline's author link. A date in a sentence ("the elections of 10 April 2024"), in a list of
other articles or under a "written"/"updated" label is never taken: empty rather than wrong.
``dates`` reads the same lines for a date after SPIP's "Date de rédaction antérieure :" label.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lxml import etree

from article_archive.extract.dates import find_date
from article_archive.extract.spip.authors import is_author_url
from article_archive.extract.spip.index import off_topic
from article_archive.extract.spip.labels import PUBLISHED_LABELS
from article_archive.extract.spip.page import SpipPage
from article_archive.extract.spip.texte import classes, clean_text, text_of

# Where a label is in a text: (start, end), or None
LabelFinder = Callable[[str], tuple[int, int] | None]
# Blocks whose dates are not the article's date line: its other fields, lists, links, forms.
_SKIP_TAGS = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "li", "a", "ul", "ol", "table", "form", "script", "style"}
)
_SKIP_CLASSES = frozenset(
    {
        "chapo",
        "chapeau",
        "cap",
        "ps",
        "notes",
        "surtitre",
        "surtitle",
        "soustitre",
        "sous-titre",
        "subtitle",
        "descriptif",
        "traductions",
    }
)
# Longer than this, a block is prose, not a date line.
_LINE_MAX = 160
# Wordings a theme prints before the date of publication, besides SPIP's own labels.
_PUBLISHED_WORDS = ("publié le", "publié", "published", "mis en ligne", "posted", "date", "le")
_CUE = re.compile(
    r"(?:^|[\s(:,])(?:"
    + "|".join(re.escape(c) for c in sorted({*PUBLISHED_LABELS, *_PUBLISHED_WORDS}, key=len)[::-1])
    + r")$"
)
_WEEKDAY = re.compile(r"^[^\W\d_]{2,12}\.?,?$")  # one word: "Tuesday", "mardi", "Mi."


def _skipped(el: etree._Element, page: SpipPage) -> bool:
    """Whether ``el`` is a block whose dates are not the date line."""
    if el.tag in _SKIP_TAGS or el is page.texte or el is page.title_el:
        return True
    marks = classes(el)
    return bool(marks and not _SKIP_CLASSES.isdisjoint(marks))


def _lines(el: etree._Element, page: SpipPage) -> Iterator[etree._Element]:
    """The elements under ``el`` holding some text of their own, in page order."""
    if not isinstance(el.tag, str) or _skipped(el, page):
        return
    if off_topic(el, page.region, page.index):
        return
    own = (el.text or "").strip() or any((c.tail or "").strip() for c in el)
    if own:
        yield el
    for child in el:
        yield from _lines(child, page)


def _by_author_link(el: etree._Element) -> bool:
    """Whether the line links to an author's page (the byline beside the date)."""
    return any(is_author_url(a.get("href") or "") for a in el.iter("a"))


def _dated_line(text: str, el: etree._Element) -> str | None:
    """The date of a date line: ``text`` written as one, else None."""
    found = find_date(text)
    if found is None:
        return None
    iso, start, end = found
    before = text[:start].rstrip(" :,-–—(\u00a0").casefold()
    if not before or _CUE.search(before) or _WEEKDAY.match(before):
        return iso
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return iso
    if len(text) - (end - start) < 60 and _by_author_link(el):
        return iso
    return None


def date_lines(page: SpipPage) -> list[tuple[str, etree._Element]]:
    """The short lines around the title and texte that hold a digit, as (text, element)."""
    found = []
    for el in _lines(page.region, page):
        text = clean_text(text_of(el))
        if len(text) <= _LINE_MAX and any(c.isdigit() for c in text):
            found.append((text, el))
    return found


def published_nearby(
    lines: list[tuple[str, etree._Element]], written: LabelFinder, updated: LabelFinder
) -> str | None:
    """The date line's date among ``date_lines``, outside every "written"/"updated" label."""
    for text, el in lines:
        label = written(text) or updated(text)
        found = _dated_line(text[: label[0]] if label else text, el)
        if found:
            return found
    return None
