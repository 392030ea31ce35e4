"""The SPIP texte block: cleaning it in place, and the text helpers every SPIP finder shares.

These work on one block of the page (``div.texte``, ``div.notes``) and know SPIP's own markup:
the typographer's classes, the Couteau Suisse and *sommaire* plugin blocks.
"""

from __future__ import annotations

from lxml import etree

from article_archive.extract.html import collapse_spaces


def text_of(el: etree._Element) -> str:
    """The text content of an element, without its tail (``HtmlElement.text_content()``)."""
    # the same as "".join(el.itertext()), serialized by libxml2 several times faster
    return etree.tostring(el, method="text", encoding="unicode", with_tail=False)


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
    return collapse_spaces(text).strip(" \t\n\r\f\v\u00a0\u202f")


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


def fine_space(el: etree._Element) -> bool:
    """The typographer's fine space: ``<small class="fine">`` around one space character."""
    return (
        el.tag == "small"
        and len(el) == 0
        and len(el.attrib) == 1
        and el.get("class", "").startswith("fine")
        and len(el.text or "") == 1
        and el.text.isspace()
    )


# Tag names no parsed element can have: they mark elements for lxml's C-level strip functions.
_DROPPED = "{urn:article-archive}dropped"
_UNWRAPPED = "{urn:article-archive}unwrapped"


def clean_body(texte: etree._Element) -> etree._Element:
    """The texte block cleaned in place: chrome, sommaires, comments and scripts removed.

    The page's tree belongs to the extractor, so nothing is copied; call this last, once
    every other field has been read from the page. The elements are found in one walk; they
    are then removed (keeping the text that follows them), replaced by their text, or
    unwrapped by two calls of lxml's ``strip_elements`` / ``strip_tags``.
    """
    texte.tail = None
    drop, replace, unwrap = [], [], []
    for el in texte.iter():
        tag = el.tag
        if not isinstance(tag, str):
            drop.append(el)  # comment, processing instruction
            continue
        if tag in _DROP_TAGS or el.get("id") in ("outil_sommaire", "forum"):
            if el is not texte:
                drop.append(el)
            continue
        value = el.get("class")
        if not value:
            continue
        tokens = value.split()
        if not _CHROME_SET.isdisjoint(tokens):
            if el is not texte:
                drop.append(el)
        elif tag == "img" and "puce" in tokens:
            replace.append((el, el.get("alt") or "-"))  # SPIP's line-start dash as an image
        elif tag == "span" and "spip-puce" in tokens:
            # SPIP 4's dash, <span class="spip-puce ltr"><b>–</b></span>: a plain dash, spaced
            dash = clean_text(text_of(el)) or "–"
            replace.append((el, dash if (el.tail or " ")[0].isspace() else dash + " "))
        elif tag == "span" and "caps" in tokens:
            unwrap.append(el)
        elif tag == "small" and fine_space(el):
            replace.append((el, "\u00a0"))
    if any(el is texte for el, _ in replace) or any(el is texte for el in unwrap):
        return _clean_one_by_one(texte, drop, replace, unwrap)
    for el in drop:
        if isinstance(el.tag, str):
            el.tag = _DROPPED
    for el, text in replace:
        el.clear(keep_tail=True)
        el.text = text
        el.tag = _UNWRAPPED
    for el in unwrap:
        el.tag = _UNWRAPPED
    if drop:
        etree.strip_elements(
            texte,
            etree.Comment,
            etree.ProcessingInstruction,
            etree.Entity,
            _DROPPED,
            with_tail=False,
        )
    if replace or unwrap:
        etree.strip_tags(texte, _UNWRAPPED)
    return texte


def _clean_one_by_one(
    texte: etree._Element,
    drop: list[etree._Element],
    replace: list[tuple[etree._Element, str]],
    unwrap: list[etree._Element],
) -> etree._Element:
    """``clean_body``'s changes made element by element (when the texte itself is changed)."""
    for el in drop:
        remove(el)  # inside an already removed block: harmless
    for el, text in replace:
        if el.getparent() is not None:
            replace_with_text(el, text)
    for el in unwrap:
        if el.getparent() is not None:
            drop_tag(el)
    return texte


_MEDIA_CLASSES = frozenset({"spip_documents", "spip_document", "spip_documents_center"})


def _is_media(el: etree._Element) -> bool:
    """A SPIP document (image with its title, description, credits) or a bare figure/image."""
    if el.tag in ("figure", "img"):
        return True
    return not _MEDIA_CLASSES.isdisjoint((el.get("class") or "").split())


def leading_media(body: etree._Element) -> set[etree._Element]:
    """The documents that open a cleaned texte, before any of its text.

    Such a picture illustrates the whole article; its caption is mostly a credit ("cc zuk0
    https://flic.kr/…"), which would otherwise open ``body_text`` (and every snippet and
    lead made from it) as a stray line. It stays in ``body_html``, as a figure.
    """
    found: set[etree._Element] = set()
    if (body.text or "").strip():
        return found
    for child in body:
        alone = not (child.text or "").strip() and len(child) > 0
        if _is_media(child) or (
            child.tag in ("p", "div")
            and alone
            and all(_is_media(c) and not (c.tail or "").strip() for c in child)
        ):
            found.add(child)
            if not (child.tail or "").strip():
                continue
        break
    return found


def drop_tag(el: etree._Element) -> None:
    """Remove an element's tag but keep its content in place (``HtmlElement.drop_tag``)."""
    parent = el.getparent()
    previous = el.getprevious()
    if el.text:
        if previous is None:
            parent.text = (parent.text or "") + el.text
        else:
            previous.tail = (previous.tail or "") + el.text
    if el.tail:
        if len(el):
            last = el[-1]
            last.tail = (last.tail or "") + el.tail
        elif previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    position = parent.index(el)
    parent[position : position + 1] = el[:]
