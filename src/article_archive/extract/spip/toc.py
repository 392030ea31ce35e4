"""The table of contents of a cleaned SPIP texte: its headings, each with an anchor."""

from __future__ import annotations

from lxml import etree

from article_archive.extract.spip.texte import classes, clean_text
from article_archive.models import TocEntry

_IDS = etree.XPath("descendant-or-self::*/@id[. != '']", smart_strings=False)


def _heading_parts(node: etree._Element, parts: list[str]) -> None:
    """Append the texts of a heading's node to ``parts``, footnote calls left out."""
    text = node.text
    if text:
        parts.append(text)
    for child in node:
        if isinstance(child.tag, str) and "spip_note_ref" not in classes(child):
            _heading_parts(child, parts)
        tail = child.tail
        if tail:
            parts.append(tail)


def heading_text(el: etree._Element) -> str:
    """A heading's full title, without footnote calls."""
    parts: list[str] = []
    _heading_parts(el, parts)
    return clean_text("".join(parts))


def build_toc(body: etree._Element) -> list[TocEntry]:
    """The headings of a cleaned texte, giving an id to those that have none."""
    toc: list[TocEntry] = []
    # in page order (lxml filters the tags in C: an XPath predicate costs several times more)
    headings = [el for el in body.iter("h2", "h3", "h4") if el is not body]
    if not headings:
        return toc
    taken: set[str] | None = None  # the texte's ids, read when a heading needs one
    for n, heading in enumerate(headings, start=1):
        title = heading_text(heading)
        if not title:
            continue
        anchor = heading.get("id")
        if not anchor:
            # the reader's table of contents needs an anchor to jump to
            anchor = f"s{n}"
            if taken is None:
                taken = set(_IDS(body))
            while anchor in taken:
                anchor += "-"
            heading.set("id", anchor)
            taken.add(anchor)
        toc.append(TocEntry(level=int(heading.tag[1]), title=title, anchor=anchor))
    return toc
