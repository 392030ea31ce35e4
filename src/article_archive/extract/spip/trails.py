"""Breadcrumbs known by their links and marks, whatever a theme calls them (``find_trail``).

Themes print the article's rubric path in blocks of their own ids and classes ("Vous êtes ici :"
in ``div#arborescence``, separators in ``<b>`` tags, "Dans la rubrique :", "Posted in"). What
they share is SPIP's: rubric links have the URL shapes of the site's URL mode
(``spip_urls.is_rubric_url``; in ``arbo``, a folder above the page's own address), after the
home link, joined by ">" marks or after a short label, ending with the article's title. A
block reading so is the article's path; a menu (a list, "|" between its entries, "»" bullets,
other kinds of links among them) is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from article_archive.extract.html import join_url
from article_archive.extract.spip.index import off_topic
from article_archive.extract.spip.page import SpipPage
from article_archive.extract.spip.texte import clean_text, text_of
from article_archive.spip_urls import article_id, is_rubric_url

HOME_WORDS = {"accueil", "home", "homepage", "page d'accueil", "inicio", "startseite"}
CRUMB_MARKS = " \u00a0>»›|/\\-–—•·→:"
# Marks that lead from a rubric down to the next (a footer menu separates its entries with "|"
# or "/", never with these).
_PATH_MARKS = frozenset(">»›→")
WORD = re.compile(r"\w")
_LABEL_MAX = 60  # "Vous êtes ici :", "Dans la rubrique :", "Posted in"…
_HOME_PAGES = ("/index.php", "/spip.php", "/index.html")


def joined(base: str | None, href: str) -> str | None:
    """``href`` resolved against the page, or None when it is no address at all
    (``https://[votre_fil_twitter]`` in a theme's footer)."""
    try:
        return join_url(base, href.strip())
    except ValueError:
        return None


def is_home_link(a: etree._Element, url: str) -> bool:
    """A link to the site's home page (``/``, ``spip.php?page=sommaire``, ``rel=home``…)."""
    if "home" in (a.get("rel") or "").split():
        return True
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.path not in ("", "/") and not parts.path.endswith(_HOME_PAGES):
        return False
    return all(
        key == "lang" or (key, value) == ("page", "sommaire")
        for key, value in (pair.partition("=")[::2] for pair in parts.query.split("&") if pair)
    )


def _is_rubric(url: str, page: SpipPage) -> bool:
    """A rubric's address in the site's URL mode; in ``arbo``, a folder above the page's own."""
    if is_rubric_url(url):
        return True
    if not url.endswith("/"):
        return False
    try:
        target, here = urlsplit(url), urlsplit(page.page_url)
    except ValueError:
        return False
    return (
        target.hostname == here.hostname
        and target.path not in ("", "/")
        and here.path.startswith(target.path)
        and here.path != target.path
    )


def _pieces(block: etree._Element) -> Iterator[tuple[str, Any]]:
    """A block's own text and links in order: ``("text", str)``, ``("link", a)``, or
    ``("mixed", el)`` for a child holding links among other words (a list, a paragraph)."""
    if block.text:
        yield "text", block.text
    for child in block:
        if isinstance(child.tag, str):
            if child.tag == "a":
                yield "link", child
            else:
                links = child.findall(".//a")
                if not links:
                    yield "text", text_of(child)  # a separator, a label, the article's title
                elif len(links) == 1 and clean_text(text_of(child)) == clean_text(
                    text_of(links[0])
                ):
                    yield "link", links[0]  # <span><a>…</a></span>, <li><a>…</a></li>
                else:
                    yield "mixed", child
        if child.tail:
            yield "text", child.tail


def _is_self(a: etree._Element, url: str, page: SpipPage) -> bool:
    """A link to the page's own article (a breadcrumb that ends with the article's title)."""
    if clean_text(text_of(a)) == page.title or url == page.page_url:
        return True
    return page.spip_id is not None and article_id(url) == page.spip_id


def _trail(block: etree._Element, page: SpipPage) -> tuple[int, list[str]] | None:
    """The rubric names of a block that reads as a breadcrumb, and how surely it is one.

    3: rubric links joined by path marks (``Accueil > Asie > Japon``); 2: rubric links after
    the home link or after a short label ("Dans la rubrique : Asie Japon"); 1: a lone link.
    Any other link, words between two links or a long label: not a breadcrumb (None).
    """
    names: list[str] = []
    label = gap = ""
    home = marked = closed = bullets = False
    for kind, piece in _pieces(block):
        if kind == "text":
            if names or home:
                gap += piece
            else:
                label += piece
            continue
        if kind == "mixed" or closed:
            return None
        url = joined(page.base, piece.get("href") or "")
        if url is None:
            return None
        started = bool(names or home)
        if started and gap.strip(CRUMB_MARKS + " \t\n\r"):
            return None  # words between two links: a sentence, not a path
        if not started and label.strip()[-1:] in _PATH_MARKS:
            bullets = True  # "» A » B": a list's bullets, not the steps of a path
        marked = marked or (started and not bullets and any(c in _PATH_MARKS for c in gap))
        gap = ""
        text = clean_text(text_of(piece)).strip(CRUMB_MARKS)
        if not names and not home and (text.lower() in HOME_WORDS or is_home_link(piece, url)):
            home = True
        elif _is_self(piece, url, page):
            closed = True
        elif _is_rubric(url, page) and WORD.search(text) and text.lower() not in HOME_WORDS:
            names.append(text)
        else:
            return None
    label = clean_text(label).strip(CRUMB_MARKS)
    if not names or len(label) > _LABEL_MAX:
        return None
    if marked:
        return 3, names
    if block.tag in ("ul", "ol"):
        return 1, names  # a list of rubrics without marks: a menu, unless its class says
    return (2 if home or label else 1), names


def find_trail(page: SpipPage) -> list[str]:
    """The rubric path of the block that best reads as the article's breadcrumb, by its links'
    URL shapes and its marks, whatever its classes.

    A path joined by ">" counts anywhere outside the texte; a labelled one ("Posted in",
    "Dans la rubrique :") only in the article's own region, out of menus and sidebars.
    """
    index, region = page.index, page.region
    seen: set[etree._Element] = set()
    best: tuple[int, int] | None = None
    found: list[str] = []
    for a in page.tree.iter("a"):
        href = a.get("href")
        if not href or ("rubrique" not in href and "-" not in href and not href.endswith("/")):
            continue  # every rubric URL shape holds one of these: most links spared the parse
        parent = a.getparent()
        if parent is None or parent in seen:
            continue
        url = joined(page.base, href)
        if url is None or not _is_rubric(url, page):
            continue
        blocks = [parent]
        grand = parent.getparent()
        if grand is not None and len(parent.findall(".//a")) == 1:
            blocks.append(grand)  # <span><a/></span> › <span><a/></span>
        for block in blocks:
            if block in seen or index.inside(block, page.texte):
                continue
            seen.add(block)
            read = _trail(block, page)
            if read is None or read[0] == 1:
                continue
            strength, names = read
            inside = index.inside(block, region)
            if strength == 2 and (not inside or off_topic(block, region, index)):
                continue
            rank = (strength, int(inside))
            if best is None or rank > best:
                best, found = rank, names
    return found
