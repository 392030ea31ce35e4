"""The SPIP extractor's page index: elements by class token and by id, crayons blocks by field.

Built once per page from one C-level XPath (the class attributes); every finder then reads it
(``PageIndex.cls``, ``by_id``, ``crayons``) instead of walking the page again. The ids take a
second XPath, on the first ``by_id`` lookup. ``off_topic`` answers, from the same index's
memory, whether an element sits in a forum, a menu or a sidebar.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

_CRAYON_TOKEN = re.compile(r"^article-([a-z_]+)-(\d+)$")

# The blocks that hold a date line or a byline (``dates``, ``authors``), and breadcrumbs (``nav``).
DATE_BLOCKS = (
    "info-publi",
    "published",
    "publication",
    "date",
    "dates_auteurs",
    "-meta",
    "signature",
    "info",
    "meta",
    "datepub",
    "postmeta",
)
BREADCRUMB_CLASSES = ("arbo", "hierarchie", "breadcrumb", "breadcrumbs", "ariane", "fil-ariane")
# Every class token the extractor looks up (``PageIndex.cls``): only these are indexed.
INDEXED_CLASSES = frozenset(
    {
        "texte",
        "entry-content",
        "entry-title",
        "cartouche",
        "hentry",
        "chapo",
        "cap",
        "chapeau",
        "surtitre",
        "surtitle",
        "soustitre",
        "sous-titre",
        "subtitle",
        "ps",
        "vcard",
        "auteurs",
        "authors",
        "traductions",
        "notes",
        *DATE_BLOCKS,
        *BREADCRUMB_CLASSES,
    }
)
# A theme's own prefix before a field's class ("cadre_soustitre"): indexed as the field's class.
_PREFIXED = re.compile(r"^[a-z0-9]+[_-](soustitre|chapo)$")
# The indexed tokens of a class attribute, by its value: pages of a site repeat the same class
# strings (menus, lists, comments), so most elements cost one dictionary read.
_TOKENS_OF: dict[str, tuple[str, ...]] = {}


def _field_class(token: str) -> str:
    """The token as indexed: a prefixed field class ("cadre_soustitre") as the field's."""
    match = _PREFIXED.match(token)
    return match.group(1) if match else token


def _indexed_tokens(value: str) -> tuple[str, ...]:
    """The tokens of a class attribute worth indexing: looked-up names and crayons classes."""
    tokens = _TOKENS_OF.get(value)
    if tokens is None:
        if len(_TOKENS_OF) > 20_000:
            _TOKENS_OF.clear()
        tokens = _TOKENS_OF[value] = tuple(
            _field_class(token)
            for token in value.split()
            if token in INDEXED_CLASSES
            or (token.startswith("article-") and _CRAYON_TOKEN.match(token))
            or _PREFIXED.match(token)
        )
    return tokens


# The class and id attributes of the page, in page order, as strings that know their element
# (``getparent()``): libxml2 finds them without a Python step per element of the page (any
# XPath predicate would cost more than a walk), and reading the values this way is cheaper
# than asking each element for its attribute.
_CLASS_VALUES = etree.XPath("descendant-or-self::*/@class")
# The ids alone (plain strings, no element behind them), and the element with a given id:
# most pages have no breadcrumb id, and notes are found in their own block first.
_ID_NAMES = etree.XPath("descendant-or-self::*/@id", smart_strings=False)
_WITH_ID = etree.XPath("descendant-or-self::*[@id = $name]")


class PageIndex:
    """Elements by class token and by id, crayons blocks by field, found once per page.

    Every later lookup is a dictionary read, which keeps extraction close to parsing time
    (each whole-page XPath with a predicate costs more than this whole index). Only the class
    tokens the extractor asks for are indexed (``INDEXED_CLASSES`` and crayons classes), so
    that the page's chrome costs little more than being listed. Ids are listed on the first
    ``by_id`` lookup.
    """

    def __init__(self, tree: etree._Element):
        by_class: dict[str, list[etree._Element]] = {}
        tokens_of = _TOKENS_OF
        body = tree.find("body")  # the head holds no article markup
        top = body if body is not None else tree
        for value in _CLASS_VALUES(top):
            tokens = tokens_of.get(value)
            if tokens is None:
                tokens = _indexed_tokens(str(value))
            if tokens:
                el = value.getparent()
                for token in tokens:
                    found = by_class.get(token)
                    if found is None:
                        by_class[token] = [el]
                    else:
                        found.append(el)
        self.by_class = by_class
        self._top = top
        self._id_names: set[str] | None = None
        self._ids: dict[str, etree._Element | None] = {}
        self.crayons: dict[str, list[tuple[int, etree._Element]]] = {}
        for token, elements in by_class.items():  # tokens in order of first appearance
            if token.startswith("article-"):
                match = _CRAYON_TOKEN.match(token)
                if match:
                    field, n = match.group(1), int(match.group(2))
                    self.crayons.setdefault(field, []).extend((n, el) for el in elements)

        self.memos: dict[tuple[str, etree._Element], dict[etree._Element, bool]] = {}

    def by_id(self, ident: str) -> etree._Element | None:
        """The first element of the body with this id, or None.

        The page's ids are listed as strings on the first lookup; an element is searched for
        only when its id is among them.
        """
        if self._id_names is None:
            self._id_names = set(_ID_NAMES(self._top))
        if ident not in self._id_names:
            return None
        if ident not in self._ids:
            found = _WITH_ID(self._top, name=ident)
            self._ids[ident] = found[0] if found else None
        return self._ids[ident]

    def cls(self, *names: str, within: etree._Element | None = None) -> list[etree._Element]:
        """Elements holding one of the class tokens, in page order per token, inside ``within``."""
        assert INDEXED_CLASSES.issuperset(names), names
        found = [el for name in names for el in self.by_class.get(name, ())]
        if within is not None:
            found = [el for el in found if self.inside(el, within)]
        return found

    def climb(
        self,
        el: etree._Element,
        stop: etree._Element | None,
        verdict: Callable[[etree._Element], bool | None],
        key: str,
    ) -> bool:
        """The ``verdict`` (True/False/None = go on up) of ``el``'s nearest decided ancestor.

        Climbs from ``el`` (itself first) towards ``stop`` (False there, and at the root),
        remembering the answer for every element passed: the many "inside the texte?", "in a
        sidebar?" questions of one page share most of their ancestors.
        """
        memo = self.memos.setdefault((key, stop), {})
        passed = []
        result = False
        node = el
        while node is not None:
            known = memo.get(node)
            if known is not None:
                result = known
                break
            if node is stop:
                break
            passed.append(node)
            decided = verdict(node)
            if decided is not None:
                result = decided
                break
            node = node.getparent()
        for node in passed:
            memo[node] = result
        return result

    def inside(self, el: etree._Element, block: etree._Element | None) -> bool:
        """Whether ``el`` is ``block`` or one of its descendants (remembered per page)."""
        if block is None:
            return False
        return self.climb(el, None, lambda node: True if node is block else None, f"in{id(block)}")


# Class or id fragments of blocks that hold other articles, comments or navigation.
_OFF_TOPIC = re.compile(
    r"forum|comment|repondre|reagir|aside|sidebar|related|connexe|menu|plus_lus|lus_ref|"
    r"navigation|nav|footer|pied|liste|breves|agenda|extra",
    re.IGNORECASE,
)
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
