"""SPIP article authors: the byline's ``.vcard`` cards, its author links, an authors block, metas.

Like the dates, they are read in the article's own region (never a sidebar's or the forum's
authors), and from the head's metas and the page's metadata when the page shows none. A theme
without SPIP's ``vcard`` markup still links each author to their page, and an author link is
known by its URL shape in every URL mode (``is_author_url``), whatever the theme calls it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from article_archive.extract.html import join_url
from article_archive.extract.spip.index import off_topic
from article_archive.extract.spip.labels import BY_LABELS
from article_archive.extract.spip.page import SpipPage
from article_archive.extract.spip.texte import classes, clean_text, text_of
from article_archive.models import Author

# SPIP's "par " in every language (``labels.BY_LABELS``), before the names of a byline
_BY = re.compile(
    r"^\s*(?:" + "|".join(re.escape(label) for label in BY_LABELS) + r")\s*:?\s+", re.IGNORECASE
)
# An author's page in each of SPIP's URL modes: page and standard (``spip.php?auteur12``), html
# (``auteur12.html``), the query form (``id_auteur=12``), propres/propres2/propres_qs
# (``_Name_``, ``_Name_.html``, ``?_Name_``) and arbo (``auteur/name``).
_AUTHOR_URL = re.compile(
    r"(?:^|[/?&])auteur\d+(?:\.html)?(?=$|[&#?])"
    r"|[?&]id_auteur=\d+"
    r"|(?:^|[/?])_[^/?#&=_][^/?#&=]*_(?:\.html)?(?=$|[?#&])"
    r"|(?:^|/)auteurs?/[^/?#]+/?(?=$|[?#])"
)
# Inline wrappers of one author link (``<span class="vcard"><a>…</a></span>``, ``<strong>``)
_INLINE = frozenset({"span", "strong", "b", "em", "i", "cite", "address"})
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
        links = [a.get("href") for a in card.iter("a") if a.get("href")]
        href = (join_url(page.base, links[0]) or None) if links else None
        if fn or links:
            name = clean_text(text_of(fn[0] if fn else card))
            authors.extend([Author(name=name, url=href)] if name else [])
        else:  # a card holding the byline's text alone: "by A, B"
            authors.extend(Author(name=n) for n in _split_names(text_of(card)))
    return authors


def is_author_url(href: str) -> bool:
    """Whether a link leads to an author's page, by its shape in one of SPIP's URL modes."""
    return bool(href) and _AUTHOR_URL.search(href) is not None


def _same_site(href: str, page: SpipPage) -> bool:
    """Whether ``href`` stays on the page's site (a relative link, or the same host)."""
    if not href.startswith(("http:", "https:", "//")):
        return not href.startswith(("mailto:", "javascript:", "#"))
    try:
        return urlsplit(href).hostname == urlsplit(page.page_url).hostname
    except ValueError:
        return False


def _byline_of(link: etree._Element) -> etree._Element:
    """The line holding an author link: its nearest ancestor that is not an inline wrapper."""
    line = link.getparent()
    while line is not None and line.tag in _INLINE and line.getparent() is not None:
        line = line.getparent()
    return line if line is not None else link


def _linked_authors(page: SpipPage) -> list[Author]:
    """The authors linked from the article's byline: the first line of author links."""
    index, region = page.index, page.region
    first = None
    for a in region.iter("a"):
        href = (a.get("href") or "").strip()
        if not is_author_url(href) or not _same_site(href, page):
            continue
        if index.inside(a, page.texte) or off_topic(a, region, index):
            continue
        first = a
        break
    if first is None:
        return []
    authors: list[Author] = []
    for a in _byline_of(first).iter("a"):
        href = (a.get("href") or "").strip()
        name = clean_text(text_of(a))
        known = any(author.name == name for author in authors)
        if name and not known and is_author_url(href) and _same_site(href, page):
            authors.append(Author(name=name, url=join_url(page.base, href) or None))
    return authors


def _split_names(text: str) -> list[str]:
    """Names from a byline text ("par A, B et C")."""
    text = _BY.sub("", clean_text(text))
    return [n for n in (clean_text(p) for p in _NAME_SPLIT.split(text)) if n]


def find_authors(page: SpipPage) -> list[Author]:
    """The article's authors in page order, with their page's absolute URL when linked."""
    authors = _vcard_authors(page) or _linked_authors(page)
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
