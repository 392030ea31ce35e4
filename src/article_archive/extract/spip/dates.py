"""SPIP article dates: published, first written (*rédaction antérieure*), last updated.

Each is looked for in the article's own region of the page first (the cartouche around the
title and the texte), never in menus, sidebars listing other articles, or the forum, then in
the head's metas and the page's metadata (``extract.metadata.page_metadata``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from article_archive.extract.dates import find_date, parse_date
from article_archive.extract.metadata import LazyMetadata
from article_archive.extract.spip.index import DATE_BLOCKS, off_topic
from article_archive.extract.spip.labels import WRITTEN_LABELS, LabelHints
from article_archive.extract.spip.nearby import LabelFinder, date_lines, published_nearby
from article_archive.extract.spip.page import SpipPage
from article_archive.extract.spip.texte import classes, clean_text, text_of

# SPIP's own label for date_redac in every language (``labels``), and English wordings
_WRITTEN_WORDS = tuple(
    sorted({*WRITTEN_LABELS, "first published", "date of first publication"}, key=len)[::-1]
)
_WRITTEN_HINTS = LabelHints(_WRITTEN_WORDS)
_UPDATED = re.compile(r"mis à jour|mise à jour|updated|dernière modification", re.IGNORECASE)


def _written_at(text: str) -> tuple[int, int] | None:
    """Where a "written" label (SPIP's date_redac label, any language) is in ``text``."""
    return _WRITTEN_HINTS.find(text)


def _updated_at(text: str) -> tuple[int, int] | None:
    """Where an "updated" label is in ``text``."""
    match = _UPDATED.search(text)
    return match.span() if match else None


# A word without spaces from the French and English wordings of the labels: a
# paragraph of the texte without any of them cannot match either label, and is not worth
# cleaning (str.lower and ``in`` are much faster than a case-insensitive regex over whole
# paragraphs). The short date lines are tried against every language's label.
_LABEL_HINTS = ("daction", "first", "jour", "updated", "modification")


def _may_hold_label(text: str) -> bool:
    """Whether ``text`` may hold a "written" or "updated" label (see ``_LABEL_HINTS``)."""
    lowered = text.lower()
    return any(hint in lowered for hint in _LABEL_HINTS)


def _line_texts(page: SpipPage) -> list[str]:
    """Texts of the date/byline blocks of the cartouche and the texte's first paragraphs.

    Only those that may hold a "written" or "updated" label are kept (see ``_date_after``).
    """
    index, region, texte = page.index, page.region, page.texte
    texts = [
        text
        for text in (
            text_of(el)
            for el in index.cls(*DATE_BLOCKS, within=region)
            if not index.inside(el, texte) and not off_topic(el, region, index)
        )
        if _may_hold_label(text) or _WRITTEN_HINTS.may_hold(text)
    ]
    for n, p in enumerate(texte.iter("p")):
        if n == 3:  # "Article mis à jour le …" opens the texte when a site writes it there
            break
        text = text_of(p)
        if _may_hold_label(text):
            texts.append(text)
    return [clean_text(text) for text in texts]


def _date_after(texts: list[str], label: LabelFinder) -> str | None:
    """The first date written after the label ``label`` finds in one of ``texts``."""
    for text in texts:
        span = label(text)
        if span:
            found = find_date(text[span[1] :])
            if found and found[1] < 40:
                return found[0]
    return None


def _iso_attr(page: SpipPage, tag: str, wanted: set[str] | None, unwanted: set[str]) -> str | None:
    """A date from the first ``tag`` (with one of the ``wanted`` classes) outside the forum."""
    for el in page.region.iter(tag):
        marks = classes(el)
        if (wanted is not None and wanted.isdisjoint(marks)) or not unwanted.isdisjoint(marks):
            continue
        if not off_topic(el, page.region, page.index):
            value = parse_date(el.get("title") or el.get("datetime") or "")
            if value:
                return value
    return None


def _published_abbr(page: SpipPage) -> str | None:
    """``abbr.published[title]``, trusting the visible day when the UTC title shifts it."""
    for el in page.index.cls("published", within=page.region):
        if el.tag != "abbr" or not el.get("title") or off_topic(el, page.region, page.index):
            continue
        iso = parse_date(el.get("title", ""))
        shown = parse_date(text_of(el))
        if iso and shown and not iso.startswith(shown[:10]):
            return shown  # dist writes local time converted to UTC: a midnight slips a day
        if iso or shown:
            return iso or shown
    return None


def _published_text(page: SpipPage) -> str | None:
    """A date in the visible date line of the cartouche (``.info-publi``, ``.date``…)."""
    index, region = page.index, page.region
    for el in index.cls(*DATE_BLOCKS, within=region):
        if index.inside(el, page.texte) or off_topic(el, region, index):
            continue
        text = clean_text(text_of(el))
        cut = _written_at(text)
        if cut:
            text = text[: cut[0]]
        found = find_date(text)
        if found:
            return found[0]
    return None


# The head metas of a modification date (``metadata``'s list, in ``head_metas`` spelling)
_UPDATED_METAS = (
    "article:modified_time",
    "og:updated_time",
    "dc.date.modified",
    "dcterms.modified",
    "dcterms:modified",
    "datemodified",
)


def _jsonld(meta: Mapping[str, Any], key: str) -> Any:
    """``key`` of the page's JSON-LD article: from ``LazyMetadata`` without its metas."""
    return meta.jsonld(key) if isinstance(meta, LazyMetadata) else meta.get(key)


def _first_meta_date(metas: dict[str, str], *keys: str) -> str | None:
    """The first of the head metas ``keys`` holding a full date."""
    for key in keys:
        value = parse_date(metas.get(key) or "")
        if value:
            return value
    return None


def find_dates(page: SpipPage) -> tuple[str | None, str | None, str | None]:
    """(published, written, updated) as ISO text."""
    metas, meta = page.metas, page.meta
    published = (
        _published_abbr(page)
        or _iso_attr(page, "time", None, {"updated", "modified"})
        or _first_meta_date(metas, "article:published_time", "dc.date", "dc.date.issued")
        or _first_meta_date(metas, "bepress_citation_date", "citation_publication_date", "date")
        or parse_date(meta.get("published") or "")
        or _published_text(page)
    )
    nearby = []
    if published is None:  # a theme's unclassed date line (``nearby``)
        nearby = date_lines(page)
        published = published_nearby(nearby, _written_at, _updated_at)
    lines = _line_texts(page)
    written = _date_after(lines, _written_at) or _date_after([t for t, _ in nearby], _written_at)
    updated = (
        _iso_attr(page, "abbr", {"modified", "updated"}, set())
        or _iso_attr(page, "time", {"modified", "updated"}, set())
        or _first_meta_date(metas, *_UPDATED_METAS)
        or parse_date(_jsonld(meta, "updated") or "")
        or _date_after(lines, _updated_at)
    )
    return published, written, updated
