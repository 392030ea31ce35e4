"""The article's subtitle, chapo and P.-S. blocks, told apart by what SPIP puts in them.

SPIP renders ``#SOUSTITRE`` with its typographer alone (inline text, never a paragraph) and
``#CHAPO`` and ``#PS`` with ``propre`` (paragraphs): so a block classed as a subtitle that holds
paragraphs is the chapo a theme dressed as one. A P.-S. is editor prose: a block classed ``ps``
that is mostly links (a theme's "Articles de cet auteur", its keyword list) is not one, and a
P.-S. a theme leaves unclassed is known by the label SPIP prints above it ("P.-S.",
"Post-scriptum" in every language, ``labels.PS_LABELS``). Crayons blocks (``article-ps-N``)
win over every guess.
"""

from __future__ import annotations

from lxml import etree

from article_archive.extract.html import html_to_text
from article_archive.extract.spip.index import off_topic
from article_archive.extract.spip.labels import AUTHOR_ARTICLES_LABELS, PS_LABELS
from article_archive.extract.spip.page import SpipPage, pick_crayon
from article_archive.extract.spip.texte import clean_text, text_of

_SUBTITLE_CLASSES = ("soustitre", "sous-titre", "subtitle")
_CHAPO_CLASSES = ("chapo", "cap", "chapeau")
# Children that make a block prose (``propre``'s output) rather than a typo line
_PROSE_TAGS = frozenset({"p", "div", "ul", "ol", "table", "blockquote", "h2", "h3", "h4", "dl"})
_HEADINGS = ("h2", "h3", "h4", "h5", "h6")
_PS_LABEL_SET = frozenset(PS_LABELS)
_AUTHOR_ARTICLES = frozenset(AUTHOR_ARTICLES_LABELS)
# How far above the article's region a P.-S. may sit (themes print it after the texte's column)
_PS_LEVELS = 3


def _crayon(page: SpipPage, field: str) -> etree._Element | None:
    """The crayons block ``article-<field>-N`` of this article, if the page has one."""
    picked = pick_crayon(page.index.crayons.get(field, []), page.spip_id)
    return picked[1] if picked else None


def _is_prose(el: etree._Element) -> bool:
    """Whether a block holds paragraphs (``propre``'s output), not a typo line."""
    return any(child.tag in _PROSE_TAGS for child in el)


def _outside_texte(page: SpipPage, classes: tuple[str, ...]) -> list[etree._Element]:
    """The region's blocks with one of ``classes``, outside the texte and the forum, sidebars…"""
    index, region = page.index, page.region
    found = index.cls(*classes, within=region)
    return [
        el for el in found if not index.inside(el, page.texte) and not off_topic(el, region, index)
    ]


def subtitle_block(page: SpipPage) -> etree._Element | None:
    """The subtitle: the crayons block, else the first subtitle-classed line (not prose)."""
    found = _crayon(page, "soustitre")
    if found is not None:
        return found
    return next((el for el in _outside_texte(page, _SUBTITLE_CLASSES) if not _is_prose(el)), None)


def chapo_block(page: SpipPage) -> etree._Element | None:
    """The chapo: crayons, a chapo-classed block, else a subtitle-classed block of paragraphs."""
    found = _crayon(page, "chapo")
    if found is not None:
        return found
    index, region = page.index, page.region
    chapos = index.cls(*_CHAPO_CLASSES, within=region)
    chapo = next((el for el in chapos if not off_topic(el, region, index)), None)
    if chapo is not None:
        return chapo
    return next((el for el in _outside_texte(page, _SUBTITLE_CLASSES) if _is_prose(el)), None)


def _label(el: etree._Element) -> str:
    """A heading's text as a label: trimmed of colons and spaces, case-folded."""
    return clean_text(text_of(el)).strip(" :\u00a0").casefold()


def _is_link_list(el: etree._Element) -> bool:
    """Whether a block is a list mostly of links (other articles, keywords), not prose.

    A block headed by SPIP's "Articles de cet auteur" is one, whatever it holds.
    """
    if any(_label(h) in _AUTHOR_ARTICLES for h in el.iter(*_HEADINGS)):
        return True
    if next(el.iter("li"), None) is None:
        return False
    text = len(clean_text(text_of(el)))
    linked = sum(len(clean_text(text_of(a))) for a in el.iter("a"))
    return text > 0 and linked >= 0.6 * text


def _scopes(page: SpipPage) -> list[etree._Element]:
    """The region, then its ancestors up to ``_PS_LEVELS`` above it (below the body)."""
    scopes = [page.region]
    node = page.region.getparent()
    while node is not None and node.tag != "body" and len(scopes) <= _PS_LEVELS:
        scopes.append(node)
        node = node.getparent()
    return scopes


def _ps_candidates(page: SpipPage) -> list[etree._Element]:
    """``.ps`` blocks near the texte, nearest scope first, outside the texte and off-topic."""
    index = page.index
    found = index.cls("ps")
    picked: list[etree._Element] = []
    for scope in _scopes(page) if found else []:
        for el in found:
            if el in picked or not index.inside(el, scope) or index.inside(el, page.texte):
                continue
            if not off_topic(el, scope, index):
                picked.append(el)
    return picked


def _labelled_ps(page: SpipPage) -> tuple[etree._Element, etree._Element] | None:
    """(block, heading) of a P.-S. an unclassed block introduces with SPIP's label."""
    index = page.index
    for heading in page.region.iter(*_HEADINGS):
        block = heading.getparent()
        if block is None or heading is page.title_el or index.inside(heading, page.texte):
            continue
        if _label(heading) in _PS_LABEL_SET and not off_topic(block, page.region, index):
            return block, heading
    return None


def _without_label(block: etree._Element, heading: etree._Element | None) -> str:
    """The block's text without its label heading (``heading``, else a leading h2–h4)."""
    text = html_to_text(block)
    if heading is None:
        first = next((c for c in block if isinstance(c.tag, str)), None)
        if first is not None and first.tag in ("h2", "h3", "h4") and not (block.text or "").strip():
            heading = first
    if heading is not None:
        label = clean_text(text_of(heading))
        if text.startswith(label):
            text = text[len(label) :].lstrip(" :\u00a0\n")
    return text


def postscript(page: SpipPage) -> str | None:
    """The P.-S. text, without its label heading; None when the page shows none."""
    block = _crayon(page, "ps")
    heading = None
    if block is None:
        block = next((el for el in _ps_candidates(page) if not _is_link_list(el)), None)
    if block is None:
        labelled = _labelled_ps(page)
        if labelled is not None:
            block, heading = labelled
    if block is None:
        return None
    return _without_label(block, heading) or None
