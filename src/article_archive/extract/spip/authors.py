"""SPIP article authors: the byline's ``.vcard`` cards, an authors block, then the metas.

Like the dates, they are read in the article's own region (never a sidebar's or the forum's
authors), and from the head's metas and the page's metadata when the page shows none.
"""

from __future__ import annotations

import re

from article_archive.extract.html import join_url
from article_archive.extract.spip.index import off_topic
from article_archive.extract.spip.page import SpipPage
from article_archive.extract.spip.texte import classes, clean_text, text_of
from article_archive.models import Author

_BY = re.compile(r"^\s*(?:par|by|de|por|von)\s+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\bet\b|\band\b|&)\s*")


def _vcard_authors(page: SpipPage) -> list[Author]:
    """The ``.vcard`` authors of the article's byline (the first group of them)."""
    index, region = page.index, page.region
    cards = [
        el
        for el in index.cls("vcard", within=region)
        if not index.inside(el, page.texte) and not off_topic(el, region, index)
    ]
    if not cards:
        return []
    parent = cards[0].getparent()
    authors = []
    for card in (c for c in cards if c.getparent() is parent):
        fn = [el for el in card.iter() if "fn" in classes(el)]
        name = clean_text(text_of(fn[0] if fn else card))
        links = [a.get("href") for a in card.iter("a") if a.get("href")]
        href = (join_url(page.base, links[0]) or None) if links else None
        if name:
            authors.append(Author(name=name, url=href))
    return authors


def _split_names(text: str) -> list[str]:
    """Names from a byline text ("par A, B et C")."""
    text = _BY.sub("", clean_text(text))
    return [n for n in (clean_text(p) for p in _NAME_SPLIT.split(text)) if n]


def find_authors(page: SpipPage) -> list[Author]:
    """The article's authors in page order, with their page's absolute URL when linked."""
    authors = _vcard_authors(page)
    if authors:
        return authors
    index, region = page.index, page.region
    for el in index.cls("auteurs", "authors", within=region):
        if not index.inside(el, page.texte) and not off_topic(el, region, index):
            names = _split_names(text_of(el))
            if names:
                return [Author(name=n) for n in names]
    metas = page.metas
    for key in ("author", "article:author", "dc.creator"):
        if metas.get(key) and not metas[key].startswith("http"):
            return [Author(name=n) for n in _split_names(metas[key])]
    found = []
    for item in page.meta.get("authors") or []:
        if isinstance(item, dict) and item.get("name"):
            found.append(Author(name=item["name"], url=item.get("url")))
        elif isinstance(item, str) and item.strip():
            found.append(Author(name=item.strip()))
    return found
