"""SPIP footnotes: the calls in the article, the notes they point to, in call order.

Calls are ``a[href^=#nb]`` links (``nb1``, or ``nb4-1`` when several note series share a
page); a note is the ``div#nbN`` (SPIP 3+) or the paragraph of a SPIP 2 back-link anchor,
without its back-link. See ``shared/spip-markup.md``, "Footnotes".
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree

from article_archive.extract.html import html_to_text
from article_archive.extract.spip.index import PageIndex
from article_archive.extract.spip.page import SpipPage
from article_archive.extract.spip.texte import (
    classes,
    clean_text,
    fine_space,
    remove,
    replace_with_text,
    text_of,
)

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
    number = clean_text(text_of(link)).strip("[]()")
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
    page: SpipPage, calls: list[str]
) -> list[tuple[str, str, str, etree._Element]]:
    """The notes called from the article, in call order: (note id, number, text, content).

    The content is a copy of the note without its back-link, ready for ``sanitize_elements``
    (the caller cleans every note together with the body, in one nh3 call).
    """
    in_notes = _ids_in_notes(page.index)  # the notes blocks first: the rest of the page is bigger
    if not calls:  # notes without calls (a theme that drops them): take the notes blocks
        calls = list(in_notes)
    notes = []
    for note_id in calls:
        target = in_notes.get(note_id)
        if target is None:
            target = page.index.by_id(note_id)
        if target is None:
            continue
        copy = deepcopy(_note_block(target))
        copy.tail = None
        number = _strip_back_link(copy) or re.sub(r"^nb(\d+-)?", "", note_id)
        for small in [el for el in copy.iter("small") if fine_space(el)]:
            replace_with_text(small, "\u00a0")
        notes.append((note_id, number, html_to_text(copy), copy))
    return notes


def point_calls_at_numbers(body: etree._Element, numbers: dict[str, str]) -> None:
    """Calls to a numbered series (``#nb2-1``, ``id=nh2-1``) made ``#nb1`` / ``nh1``.

    SPIP prefixes its anchors when a page renders several note series (SPIP 4 does it for an
    article whose notes were computed after another's). Notes are stored by their number and
    drawn as ``nbN`` by the reader and the exports, so the calls must say ``nbN`` too; when two
    notes share a number, the anchors stay as the page had them.
    """
    if all(note_id == f"nb{n}" for note_id, n in numbers.items()):
        return  # the usual page: nothing to change, no second look at the body
    if len(set(numbers.values())) != len(numbers):
        return
    for a in _CALLS(body):
        number = numbers.get(a.get("href", "")[1:])
        if number is None:
            continue
        a.set("href", f"#nb{number}")
        if a.get("id"):
            a.set("id", f"nh{number}")


def _ids_in_notes(index: PageIndex) -> dict[str, etree._Element]:
    """The elements with a note id (``nb1``…) inside ``.notes`` blocks, by id, in page order."""
    found: dict[str, etree._Element] = {}
    for block in index.cls("notes"):
        for el in block.iter():
            ident = el.get("id")
            if el is not block and ident and _NOTE_ID.match(ident) and ident not in found:
                found[ident] = el
    return found
