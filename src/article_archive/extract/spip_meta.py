"""SPIP article metadata: dates, authors, language (section and keywords: ``spip_nav``).

Each finder looks in the article's own region of the page first (the cartouche around the
title and the texte), never in menus, sidebars listing other articles, or the forum, then falls
back on the head's metas and on ``metadata`` (``extract.metadata.page_metadata``).
"""

from __future__ import annotations

import re

from lxml import etree

from article_archive.extract.dates import find_date, parse_date
from article_archive.extract.html import join_url
from article_archive.extract.metadata import LazyMetadata, meta_rows
from article_archive.extract.spip_index import DATE_BLOCKS, PageIndex
from article_archive.extract.spip_parts import classes, clean_text, text_of
from article_archive.models import Author

# Class or id fragments of blocks that hold other articles, comments or navigation.
_OFF_TOPIC = re.compile(
    r"forum|comment|repondre|reagir|aside|sidebar|related|connexe|menu|plus_lus|lus_ref|"
    r"navigation|nav|footer|pied|liste|breves|agenda|extra",
    re.IGNORECASE,
)


def head_metas(tree: etree._Element, rows: list | None = None) -> dict[str, str]:
    """The page's metas by lower-cased name or property (first one wins; ``DC:x`` as ``dc.x``).

    ``rows`` are the page's ``metadata.meta_rows`` when the caller has them.
    """
    metas: dict[str, str] = {}
    for content, name, prop, itemprop, _ in meta_rows(tree) if rows is None else rows:
        key = prop or name or itemprop
        if key and content is not None:
            key = key.strip().lower().replace("dc:", "dc.")
            metas.setdefault(key, content.strip())
    return metas


_MARKS_SEEN: dict[str, bool] = {}  # class+id strings recur from page to page (site templates)


def _off_topic_mark(el: etree._Element) -> bool | None:
    """True when the element itself is a forum, menu, sidebar…; None to look further up."""
    if el.tag in ("nav", "aside", "footer"):
        return True
    marks = (el.get("class") or "") + " " + (el.get("id") or "")
    if marks == " ":
        return None
    known = _MARKS_SEEN.get(marks)
    if known is None:
        if len(_MARKS_SEEN) > 20_000:
            _MARKS_SEEN.clear()
        known = _MARKS_SEEN[marks] = bool(marks.strip() and _OFF_TOPIC.search(marks))
    return True if known else None


def off_topic(el: etree._Element, stop: etree._Element | None, index: PageIndex) -> bool:
    """Whether an element sits in a forum, menu, sidebar or list of other articles."""
    return index.climb(el, stop, _off_topic_mark, "off-topic")


def lang_code(value: str | None) -> str | None:
    """``fr``, ``en``… from ``fr-FR``, ``fr_FR`` or ``FR``."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def page_lang(texte: etree._Element, metas: dict, meta: dict) -> str | None:
    """The article's language: the nearest lang attribute of its texte, then the metas."""
    for el in (texte, *texte.iterancestors()):
        code = lang_code(el.get("lang") or el.get("{http://www.w3.org/XML/1998/namespace}lang"))
        if code:
            return code
    for value in (metas.get("dc.language"), metas.get("og:locale"), meta.get("lang")):
        code = lang_code(value)
        if code:
            return code
    return None


# ---------------------------------------------------------------------------------- dates

_WRITTEN = re.compile(
    r"r[ée]daction ant[ée]rieure|first published|date of first publication", re.IGNORECASE
)
_UPDATED = re.compile(r"mis à jour|mise à jour|updated|dernière modification", re.IGNORECASE)


# A word without spaces from each alternative of _WRITTEN and _UPDATED: a text without any
# of them cannot match either label, and is not worth cleaning (str.lower and ``in`` are much
# faster than a case-insensitive regex over whole paragraphs).
_LABEL_HINTS = ("daction", "first", "jour", "updated", "modification")


def _may_hold_label(text: str) -> bool:
    """Whether ``text`` may hold a "written" or "updated" label (see ``_LABEL_HINTS``)."""
    lowered = text.lower()
    return any(hint in lowered for hint in _LABEL_HINTS)


def _line_texts(index: PageIndex, region, texte) -> list[str]:
    """Texts of the date/byline blocks of the cartouche and the texte's first paragraphs.

    Only those that may hold a "written" or "updated" label are kept (see ``_date_after``).
    """
    texts = [
        text_of(el)
        for el in index.cls(*DATE_BLOCKS, within=region)
        if not index.inside(el, texte) and not off_topic(el, region, index)
    ]
    for n, p in enumerate(texte.iter("p")):
        if n == 3:  # "Article mis à jour le …" opens the texte when a site writes it there
            break
        texts.append(text_of(p))
    return [clean_text(text) for text in texts if _may_hold_label(text)]


def _date_after(texts: list[str], label: re.Pattern) -> str | None:
    """The first date written after ``label`` in one of ``texts``."""
    for text in texts:
        match = label.search(text)
        if match:
            found = find_date(text[match.end() :])
            if found and found[1] < 40:
                return found[0]
    return None


def _iso_attr(
    index: PageIndex, region, tag: str, wanted: set[str] | None, unwanted: set[str]
) -> str | None:
    """A date from the first ``tag`` (with one of the ``wanted`` classes) outside the forum."""
    for el in region.iter(tag):
        marks = classes(el)
        if (wanted is not None and wanted.isdisjoint(marks)) or not unwanted.isdisjoint(marks):
            continue
        if not off_topic(el, region, index):
            value = parse_date(el.get("title") or el.get("datetime") or "")
            if value:
                return value
    return None


def _published_abbr(index: PageIndex, region) -> str | None:
    """``abbr.published[title]``, trusting the visible day when the UTC title shifts it."""
    for el in index.cls("published", within=region):
        if el.tag != "abbr" or not el.get("title") or off_topic(el, region, index):
            continue
        iso = parse_date(el.get("title", ""))
        shown = parse_date(text_of(el))
        if iso and shown and not iso.startswith(shown[:10]):
            return shown  # dist writes local time converted to UTC: a midnight slips a day
        if iso or shown:
            return iso or shown
    return None


def _published_text(index: PageIndex, region, texte) -> str | None:
    """A date in the visible date line of the cartouche (``.info-publi``, ``.date``…)."""
    for el in index.cls(*DATE_BLOCKS, within=region):
        if index.inside(el, texte) or off_topic(el, region, index):
            continue
        text = clean_text(text_of(el))
        cut = _WRITTEN.search(text)
        if cut:
            text = text[: cut.start()]
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


def _jsonld(meta, key: str):
    """``key`` of the page's JSON-LD article: from ``LazyMetadata`` without its metas."""
    return meta.jsonld(key) if isinstance(meta, LazyMetadata) else meta.get(key)


def find_dates(index: PageIndex, region, texte, metas: dict, meta: dict) -> tuple:
    """(published, written, updated) as ISO text."""
    published = (
        _published_abbr(index, region)
        or _iso_attr(index, region, "time", None, {"updated", "modified"})
        or _first_meta_date(metas, "article:published_time", "dc.date", "dc.date.issued")
        or _first_meta_date(metas, "bepress_citation_date", "citation_publication_date", "date")
        or parse_date(meta.get("published") or "")
        or _published_text(index, region, texte)
    )
    lines = _line_texts(index, region, texte)
    written = _date_after(lines, _WRITTEN)
    updated = (
        _iso_attr(index, region, "abbr", {"modified", "updated"}, set())
        or _iso_attr(index, region, "time", {"modified", "updated"}, set())
        or _first_meta_date(metas, *_UPDATED_METAS)
        or parse_date(_jsonld(meta, "updated") or "")
        or _date_after(lines, _UPDATED)
    )
    return published, written, updated


def _first_meta_date(metas: dict, *keys: str) -> str | None:
    """The first of the head metas ``keys`` holding a full date."""
    for key in keys:
        value = parse_date(metas.get(key) or "")
        if value:
            return value
    return None


# -------------------------------------------------------------------------------- authors

_BY = re.compile(r"^\s*(?:par|by|de|por|von)\s+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\bet\b|\band\b|&)\s*")


def _vcard_authors(index: PageIndex, region, texte, base) -> list[Author]:
    """The ``.vcard`` authors of the article's byline (the first group of them)."""
    cards = [
        el
        for el in index.cls("vcard", within=region)
        if not index.inside(el, texte) and not off_topic(el, region, index)
    ]
    if not cards:
        return []
    parent = cards[0].getparent()
    authors = []
    for card in (c for c in cards if c.getparent() is parent):
        fn = [el for el in card.iter() if "fn" in classes(el)]
        name = clean_text(text_of(fn[0] if fn else card))
        links = [a.get("href") for a in card.iter("a") if a.get("href")]
        href = join_url(base, links[0]) if links else None
        if name:
            authors.append(Author(name=name, url=href))
    return authors


def _split_names(text: str) -> list[str]:
    """Names from a byline text ("par A, B et C")."""
    text = _BY.sub("", clean_text(text))
    return [n for n in (clean_text(p) for p in _NAME_SPLIT.split(text)) if n]


def find_authors(index, region, texte, metas: dict, meta: dict, base) -> list[Author]:
    """The article's authors in page order, with their page's absolute URL when linked."""
    authors = _vcard_authors(index, region, texte, base)
    if authors:
        return authors
    for el in index.cls("auteurs", "authors", within=region):
        if not index.inside(el, texte) and not off_topic(el, region, index):
            names = _split_names(text_of(el))
            if names:
                return [Author(name=n) for n in names]
    for key in ("author", "article:author", "dc.creator"):
        if metas.get(key) and not metas[key].startswith("http"):
            return [Author(name=n) for n in _split_names(metas[key])]
    found = []
    for item in meta.get("authors") or []:
        if isinstance(item, dict) and item.get("name"):
            found.append(Author(name=item["name"], url=item.get("url")))
        elif isinstance(item, str) and item.strip():
            found.append(Author(name=item.strip()))
    return found
