"""Where an article's texte is on a page whose theme names it nothing we know.

SPIP's engine writes the same markup inside every texte, whatever the theme around it: note
calls (``a.spip_note`` with ``id="nh1"``), intertitles (``h2.spip``, ``h3.spip`` before 4.0),
lists, tables, quotes and rules of class ``spip``, ``br.autobr``, line-start dashes, link
classes (``spip_in``, ``spip_out``, ``spip_url``…) and documents (``spip_document_N``). Each
mark sits in one top-level block of the texte (a paragraph, an intertitle, a list); the texte
is the run of such blocks, side by side in one container, that holds the most marks.

A theme may give the texte a block of its own (``<div class="">``, ``div.element_sous``,
``div.article-texte``): the container is then the texte. Or it may print the texte among other
things (a byline before it, a ``<br />`` and the P.-S. after it): the run is then wrapped in a
new ``div`` in place, so that the finders and the cleaning see the texte alone. A run stops at
what SPIP never writes at the top of a texte: a heading without class ``spip`` (the page's
title, a theme's label), a plain ``<br>``, a block with an id or with a theme's class, a byline
(``.vcard``, a ``time``), a rule without class ``spip``.

Without any mark, a block the theme calls ``texte`` by its id (``<div id="Texte">``) or by a
class ending in ``-texte`` / ``_texte`` is taken, the innermost such block holding paragraphs.
"""

from __future__ import annotations

import re

from lxml import etree

from article_archive.extract.spip.index import PageIndex, off_topic
from article_archive.extract.spip.texte import clean_text, text_of

# The class attributes that may carry one of the engine's marks, in one C-level pass over
# the page; ``_weight`` then tells the marks.
_MARK_CLASSES = etree.XPath(
    "descendant::*/@class[contains(., 'spip') or contains(., 'autobr') or contains(., 'puce')]"
)
_LINK_CLASSES = frozenset({"spip_in", "spip_out", "spip_url", "spip_glossaire", "spip_mail"})
_SPIP_BLOCKS = frozenset({"ul", "ol", "dl", "table", "blockquote", "hr", "p"})
_WEAK = frozenset({("br", "autobr"), ("span", "spip-puce"), ("img", "puce")})
# A run of texte blocks side by side in a container: its score, its text length, the container
# and the blocks.
Candidate = tuple[int, int, tuple[etree._Element, list[etree._Element]]]
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements a texte is laid out in (its container), as opposed to the blocks of the texte.
_CONTAINERS = frozenset({"div", "section", "article", "main", "td", "th", "body", "center"})
_NEUTRAL = frozenset({"script", "style", "noscript", "template"})
_CHROME_TAGS = frozenset({"nav", "aside", "footer", "header", "form", "menu"})
# Blocks around the texte that are the article's other fields (or not the article at all).
_OTHER_FIELD = re.compile(
    r"chapo|chapeau|notes?\b|(?:^|[\s_-])ps(?:$|[\s_-])|surtitre|soustitre|descriptif|"
    r"forum|comment|signature|auteur|author|byline|hyperlien",
    re.IGNORECASE,
)
# SPIP's cut of an introduction (``#INTRODUCTION``): "…&nbsp;(…)" or "…&nbsp;(...)".
_INTRODUCTION_END = re.compile(r"\u00a0?\((?:…|\.\.\.)\)$")
_NAMED_TEXTE = re.compile(r"^texte$|[-_]texte$", re.IGNORECASE)
_CHAPO_NAME = re.compile(r"(?:^|[-_])chap(?:o|eau)(?:$|[-_])", re.IGNORECASE)
_CRAYON = re.compile(r"\b(article|rubrique|breve|mot|auteur|forum|site)-(\w+)-(\d+)\b")
_BYLINE = etree.XPath(
    "descendant::time | descendant::*[contains(@class, 'vcard') or contains(@class, 'published')"
    " or contains(@class, 'byline')]"
)


def _spip_class(token: str) -> bool:
    """A class token the engine writes (``spip``, ``spip_documents``, ``autobr``…)."""
    return token == "spip" or token.startswith(("spip_", "spip-")) or token in ("autobr", "puce")


def _spip_made(el: etree._Element) -> bool:
    """Whether an element carries one of the engine's classes."""
    return any(_spip_class(token) for token in (el.get("class") or "").split())


def _weight(el: etree._Element, tokens: list[str]) -> int:
    """How much an element says "this is the article's texte" (0: nothing).

    A note call or an intertitle is the texte's own (3), a list, table, quote or document
    nearly so (2); a link class, a line break or a dash may also be a forum message's or a
    byline's (1).
    """
    tag = el.tag
    if tag == "a":
        if "spip_note" in tokens:
            call = (el.get("id") or "").startswith("nh") or (el.get("href") or "").startswith("#nb")
            return 3 if call else 0
        return 0 if _LINK_CLASSES.isdisjoint(tokens) else 1
    if "spip" in tokens and (tag in _HEADINGS or tag in _SPIP_BLOCKS):
        return 3 if tag in _HEADINGS else 2
    if any(token.startswith("spip_document") for token in tokens):
        return 2
    return 1 if any((tag, token) in _WEAK for token in tokens) else 0


def _is_container(el: etree._Element) -> bool:
    """An element a texte may be laid out in: not one the engine made (a document's figure,
    a ``table.spip``'s cell)."""
    if el.tag not in _CONTAINERS or _spip_made(el):
        return False
    table = next(el.iterancestors("table"), None) if el.tag in ("td", "th") else None
    return table is None or not _spip_made(table)


def _placed(mark: etree._Element) -> tuple[etree._Element, etree._Element] | None:
    """The mark's top-level block and the container that block stands in."""
    block = mark
    for ancestor in mark.iterancestors():
        if _is_container(ancestor):
            return block, ancestor
        block = ancestor
    return None


Kinds = dict[etree._Element, str]  # a container's child: what it is to a texte
# Whether an element shows anything (text or an image), without serializing it.
_SHOWS = etree.XPath("boolean(descendant-or-self::text()[normalize-space()] | descendant::img)")


def _kind(child: etree._Element, kinds: Kinds) -> str:
    """What a container's child is to a texte: ``texte``, ``neutral`` or ``stop``."""
    known = kinds.get(child)
    if known is None:
        known = kinds[child] = _kind_of(child)
    return known


def _kind_of(child: etree._Element) -> str:
    """``_kind``, worked out."""
    tag = child.tag
    if not isinstance(tag, str) or tag in _NEUTRAL:
        return "neutral"
    if tag == "br":
        return "texte" if "autobr" in (child.get("class") or "") else "stop"
    spip = _spip_made(child)
    if tag in _HEADINGS or tag == "hr" or tag in _CHROME_TAGS:
        return "texte" if spip else "stop"
    if spip:
        return "texte"
    if not _SHOWS(child):
        return "neutral"
    if child.get("id") or (child.get("class") or "").strip():
        return "stop"
    return "stop" if tag == "p" and _BYLINE(child) else "texte"


def _runs(container: etree._Element, kinds: Kinds) -> list[list[etree._Element]]:
    """The container's children in runs of texte blocks, split where a texte cannot go on."""
    runs: list[list[etree._Element]] = [[]]
    for child in container:
        kind = _kind(child, kinds)
        if kind == "stop":
            if runs[-1]:
                runs.append([])
        elif kind == "texte":
            runs[-1].append(child)
    return [run for run in runs if run]


def _excluded(container: etree._Element, index: PageIndex) -> bool:
    """A container that is another field of the article, a forum, a menu or a sidebar."""
    for el in (container, *container.iterancestors()):
        marks = f"{el.get('class') or ''} {el.get('id') or ''}"
        if el.tag in _CHROME_TAGS or (marks.strip() and _OTHER_FIELD.search(marks)):
            return True
    return off_topic(container, None, index)


def _wrapped(container: etree._Element, run: list[etree._Element], kinds: Kinds) -> etree._Element:
    """The run itself when it fills its container, else a new ``div`` holding it, in place."""
    own = [c for c in container if isinstance(c.tag, str) and _kind(c, kinds) != "neutral"]
    if own == run and not (container.text or "").strip():
        return container
    wrapper = etree.Element("div")
    container.insert(container.index(run[0]), wrapper)
    for el in run:
        wrapper.append(el)  # moves the element, its tail with it
    return wrapper


def _candidates(top: etree._Element, index: PageIndex, kinds: Kinds) -> list[Candidate]:
    """Every run of texte blocks holding marks: (score, text length, (container, blocks))."""
    weights: dict[etree._Element, int] = {}
    containers: dict[etree._Element, None] = {}
    for value in _MARK_CLASSES(top):
        mark = value.getparent()
        weight = _weight(mark, value.split())
        placed = _placed(mark) if weight else None
        if placed is not None:
            block, container = placed
            weights[block] = weights.get(block, 0) + weight
            containers[container] = None
    found = []
    for container in containers:
        if _excluded(container, index) or is_other_object(container):
            continue
        for run in _runs(container, kinds):
            score = sum(weights.get(el, 0) for el in run)
            if not score:
                continue
            texts = [(el.tag, clean_text(text_of(el))) for el in run]
            prose = [text for tag, text in texts if text and tag not in _HEADINGS]
            length = sum(len(text) for _, text in texts)
            linked = sum(len(clean_text(text_of(a))) for el in run for a in el.iter("a"))
            if prose and 2 * linked < length and not _INTRODUCTION_END.search(prose[-1]):
                found.append((score, length, (container, run)))
    return found


def texte_by_marks(tree: etree._Element, index: PageIndex) -> etree._Element | None:
    """The texte block found by the engine's marks in it, or None.

    None too when no run stands out: a page showing several textes or introductions side by
    side (a home page, a listing) has no one article texte. A run of headings alone (a theme's
    ``h3.spip`` label) or ending with the cut of an introduction (``&nbsp;(…)``) is none.
    """
    body = tree.find("body")
    kinds: Kinds = {}
    found = _candidates(body if body is not None else tree, index, kinds)
    found.sort(key=lambda candidate: candidate[:2])
    if not found:
        return None
    score, length, (container, run) = found[-1]
    for other_score, other_length, _ in found[:-1]:
        if 2 * other_score >= score and 2 * other_length >= length:
            return None
    return _wrapped(container, run, kinds)


def texte_by_name(tree: etree._Element, index: PageIndex) -> etree._Element | None:
    """The innermost block named texte by its id (``Texte``) or a ``…-texte`` class, with text.

    The ``texte`` class itself is read before (``page``); blocks of a rubric, a brève… are not
    the article's.
    """
    body = tree.find("body")
    found = []
    for el in (body if body is not None else tree).iter("div", "section", "article", "td"):
        names = [el.get("id") or "", *(el.get("class") or "").split()]
        if any(_NAMED_TEXTE.search(name) for name in names if name):
            found.append(el)
    for el in found:
        if any(other is not el and index.inside(other, el) for other in found):
            continue  # a wrapper around the texte and its neighbours
        if el.find(".//p") is not None and not is_other_object(el) and not _excluded(el, index):
            return el
    return None


def is_other_object(el: etree._Element) -> bool:
    """A block that belongs to a rubric, a brève, a keyword… (crayons class)."""
    return any(m.group(1) != "article" for m in _CRAYON.finditer(el.get("class", "")))


def _words(text: str) -> list[str]:
    """The words of a text, case and apostrophes aside (a meta writes ``'`` for ``’``)."""
    return re.findall(r"\w+", text.casefold())


def _introduces(description: str, text: str) -> bool:
    """Whether a meta description is the start of ``text`` (SPIP cuts ``#INTRODUCTION``)."""
    said = _words(_INTRODUCTION_END.sub("", clean_text(description)))[:-1]  # the cut word
    return len(said) >= 6 and _words(text)[: len(said)] == said


def chapo_before(texte: etree._Element, metas: dict[str, str]) -> etree._Element | None:
    """The chapo a theme prints just before the texte without one of the known classes.

    The block right before the texte whose class or id names it (``article-chapo``,
    ``id="Chapo"``);
    else the bare paragraphs right before it, when the page's description (SPIP's
    ``#INTRODUCTION``, which starts with the chapo) starts with their text: several are
    wrapped in a new ``div``, in place.
    """
    bare: list[etree._Element] = []
    for el in texte.itersiblings(preceding=True):
        if not isinstance(el.tag, str) or el.tag in _NEUTRAL:
            continue
        names = (el.get("class") or "").split()
        if not bare and any(_CHAPO_NAME.search(name) for name in [*names, el.get("id") or ""]):
            return el if not is_other_object(el) else None
        text = clean_text(text_of(el))
        if el.tag != "p" or names or el.get("id") or _BYLINE(el):
            break
        if text:
            bare.append(el)
        elif el.find(".//img") is not None:
            break
    if not bare:
        return None
    bare.reverse()
    description = metas.get("description") or metas.get("og:description") or ""
    if not _introduces(description, " ".join(clean_text(text_of(el)) for el in bare)):
        return None
    if len(bare) == 1:
        return bare[0]
    wrapper = etree.Element("div")
    bare[0].addprevious(wrapper)
    for el in bare:
        wrapper.append(el)
    return wrapper
