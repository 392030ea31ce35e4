"""Pieces of the SPIP extractor: cleaning the texte, the table of contents, footnotes.

These work on one block of the page (``div.texte``, ``div.notes``) and know SPIP's own markup:
the typographer's classes, the Couteau Suisse and *sommaire* plugin blocks, the note series.
"""

from __future__ import annotations

import re
from copy import deepcopy
from html import escape

import lxml.html
from lxml import etree

from article_archive.extract.html import html_to_text, sanitize_html
from article_archive.models import Footnote, TocEntry

_CRAYON_TOKEN = re.compile(r"^article-([a-z_]+)-(\d+)$")


class PageIndex:
    """One pass over the page: elements by class token and by id, crayons blocks by field.

    Every later lookup is a dictionary read, which keeps extraction close to parsing time
    (each whole-page XPath costs about as much as this single pass).
    """

    def __init__(self, tree: etree._Element):
        self.by_class: dict[str, list[etree._Element]] = {}
        self.by_id: dict[str, etree._Element] = {}
        self.crayons: dict[str, list[tuple[int, etree._Element]]] = {}
        for el in tree.xpath("//*[@class or @id]"):
            value = el.get("class")
            if value:
                for token in value.split():
                    self.by_class.setdefault(token, []).append(el)
                    if token.startswith("article-"):
                        match = _CRAYON_TOKEN.match(token)
                        if match:
                            field, n = match.group(1), int(match.group(2))
                            self.crayons.setdefault(field, []).append((n, el))
            ident = el.get("id")
            if ident:
                self.by_id.setdefault(ident, el)

    def cls(self, *names: str, within: etree._Element | None = None) -> list[etree._Element]:
        """Elements holding one of the class tokens, in page order per token, inside ``within``."""
        found = [el for name in names for el in self.by_class.get(name, ())]
        if within is not None:
            found = [el for el in found if inside(el, within)]
        return found


def inside(el: etree._Element, block: etree._Element | None) -> bool:
    """Whether ``el`` is ``block`` or one of its descendants."""
    if block is None:
        return False
    if el is block:
        return True
    return any(a is block for a in el.iterancestors())


def has_class(name: str) -> str:
    """An XPath predicate body: the class attribute holds the token ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def classes(el: etree._Element) -> set[str]:
    """The class tokens of an element."""
    return set((el.get("class") or "").split())


def remove(el: etree._Element) -> None:
    """Remove an element from its tree, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


def replace_with_text(el: etree._Element, text: str) -> None:
    """Replace an element by a piece of text (plus its tail)."""
    el.tail = text + (el.tail or "")
    remove(el)


def clean_text(text: str) -> str:
    """Collapse ASCII whitespace and trim, keeping no-break spaces inside."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip(" \t\n\r\f\v\u00a0\u202f")


_FINE_SPACE = re.compile(r'<small class="fine[^"]*">(?:\s|&nbsp;|&#160;)</small>')


def inner_html(el: etree._Element) -> str:
    """The serialized content of an element, without its own tag or tail."""
    parts = [escape(el.text, quote=False)] if el.text else []
    parts.extend(lxml.html.tostring(child, encoding="unicode") for child in el)
    # the typographer's fine spaces (``small.fine``) become a plain no-break space
    return _FINE_SPACE.sub("\u00a0", "".join(parts))


# Blocks that are page furniture even when a theme puts them inside the texte.
_CHROME_CLASSES = (
    "cs_sommaire",
    "nav-sommaire",
    "sommaire_ancre",
    "sommaire-back",
    "formulaire_spip",
    "lire_aussi",
    "lire-aussi",
    "forum",
    "comments",
    "forum-fil",
    "partage",
    "share",
    "socialBox",
    "social_bloc",
    "pourciter",
    "newsletter_article",
    "soutenez",
    "articles_connexes",
    "traductions",
    "menu",
    "notes",
    "spip_cron",
    "no_print",
)
_CHROME_SET = frozenset(_CHROME_CLASSES)
_DROP_TAGS = frozenset({"script", "style", "noscript", "form", "template"})


def _is_chrome(el: etree._Element) -> bool:
    """Whether an element of the texte is page furniture (see ``_CHROME_CLASSES``)."""
    if el.tag in _DROP_TAGS or el.get("id") in ("outil_sommaire", "forum"):
        return True
    value = el.get("class")
    return bool(value) and not _CHROME_SET.isdisjoint(value.split())


def clean_body(texte: etree._Element) -> etree._Element:
    """A cleaned copy of the texte block: chrome, sommaires and scripts removed."""
    body = deepcopy(texte)
    body.tail = None
    drop, fine, unwrap, comments = [], [], [], []
    for el in body.iter():
        if not isinstance(el.tag, str):
            comments.append(el)
        elif _is_chrome(el):
            drop.append(el)
        elif el.tag == "img" and "puce" in classes(el):
            fine.append((el, el.get("alt") or "-"))  # SPIP's line-start dash drawn as an image
        elif el.tag == "span" and "caps" in classes(el):
            unwrap.append(el)
    for el in drop + comments:
        if el.getparent() is not None:  # inside an already removed block: harmless
            remove(el)
    for el, text in fine:
        if el.getparent() is not None:
            replace_with_text(el, text)
    for el in unwrap:
        if el.getparent() is not None:
            el.drop_tag()
    return body


# ----------------------------------------------------------------------------------- toc

_HEADINGS = etree.XPath("descendant::*[self::h2 or self::h3 or self::h4]")


def heading_text(el: etree._Element) -> str:
    """A heading's full title, without footnote calls."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and "spip_note_ref" not in classes(child):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return clean_text("".join(parts))


def build_toc(body: etree._Element) -> list[TocEntry]:
    """The headings of a cleaned texte, giving an id to those that have none."""
    toc = []
    taken = {el.get("id") for el in body.iter() if isinstance(el.tag, str) and el.get("id")}
    for n, heading in enumerate(_HEADINGS(body), start=1):
        title = heading_text(heading)
        if not title:
            continue
        anchor = heading.get("id")
        if not anchor:
            # the reader's table of contents needs an anchor to jump to
            anchor = f"s{n}"
            while anchor in taken:
                anchor += "-"
            heading.set("id", anchor)
            taken.add(anchor)
        toc.append(TocEntry(level=int(heading.tag[1]), title=title, anchor=anchor))
    return toc


# ----------------------------------------------------------------------------- footnotes

_NOTE_ID = re.compile(r"^nb(\d+-)?\d+$")
_CALLS = etree.XPath("descendant::a[starts-with(@href, '#nb')]")


def note_calls(*blocks: etree._Element | None) -> list[str]:
    """The note ids (``nb1``, ``nb4-2``…) called from the given blocks, in order."""
    ids: list[str] = []
    for block in blocks:
        if block is None:
            continue
        for a in _CALLS(block):
            target = a.get("href", "")[1:]
            if _NOTE_ID.match(target) and target not in ids:
                ids.append(target)
    return ids


def _note_block(target: etree._Element) -> etree._Element:
    """The element holding one note: the ``div#nbN`` (3.x) or the paragraph of the back-link."""
    if target.tag != "a":
        return target
    parent = target.getparent()
    while parent is not None and parent.tag not in ("p", "div", "li", "dd"):
        parent = parent.getparent()
    return parent if parent is not None else target


def _back_link(note: etree._Element) -> etree._Element | None:
    """The note's back-link to its call (``a[href^=#nh]``), or its SPIP 2 anchor."""
    for a in note.iter("a"):
        href = a.get("href", "")
        if href.startswith("#nh") or _NOTE_ID.match(a.get("id") or ""):
            return a
    return None


def _strip_back_link(note: etree._Element) -> str:
    """Remove the back-link (and its brackets) from a note copy; return the number shown."""
    link = _back_link(note)
    if link is None:
        return ""
    number = clean_text(link.text_content()).strip("[]()")
    wrapper = link.getparent()
    if wrapper is not None and "spip_note_ref" in classes(wrapper):
        remove(wrapper)
        return number
    prev = link.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "").rstrip(" [(\u00a0")
    elif wrapper is not None:
        wrapper.text = (wrapper.text or "").rstrip(" [(\u00a0")
    link.tail = re.sub(r"^\s*[\])]?[\s\u00a0]*", "", link.tail or "")
    remove(link)
    return number


def extract_footnotes(
    index: PageIndex, calls: list[str], base_url: str | None
) -> tuple[list[Footnote], list[etree._Element]]:
    """The notes called from the article, in call order, and the elements they came from."""
    by_id = {k: el for k, el in index.by_id.items() if k.startswith("nb") and _NOTE_ID.match(k)}
    if not calls:  # notes without calls (a theme that drops them): take the notes blocks
        calls = [i for i in by_id if _inside_notes(by_id[i])]
    notes, sources = [], []
    for note_id in calls:
        target = by_id.get(note_id)
        if target is None:
            continue
        block = _note_block(target)
        copy = deepcopy(block)
        copy.tail = None
        number = _strip_back_link(copy) or re.sub(r"^nb(\d+-)?", "", note_id)
        html = sanitize_html(inner_html(copy), base_url)
        notes.append(Footnote(number=number, text=html_to_text(copy), html=html))
        sources.append(block)
    return notes, sources


def _inside_notes(el: etree._Element) -> bool:
    """Whether an element sits in a ``.notes`` block."""
    return any("notes" in classes(a) for a in el.iterancestors())
