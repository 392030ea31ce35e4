"""A vote between three extractors on the blocks of trafilatura's body.

trafilatura gives the body with its structure; readability-lxml and jusText vote on it. Each
extractor errs in its own way: trafilatura drops headings, lists and tables it takes for
chrome and keeps a kicker or a byline above the text; readability keeps a standfirst box or a
"read also" line inside the article container; jusText knows good prose from boilerplate but
loses whole short pages. A published comparison of extractors found a vote between several of
them better than each alone, and so it is here (``bench/eval_generic.py``):

- a run of trafilatura blocks at the top or the bottom of the body that neither other
  extractor kept is chrome (kicker, byline, author box, "write to us") and goes;
- a block readability kept and trafilatura did not comes in, at its place among trafilatura's
  blocks, when it is a heading, a list, a table, a figure, a quotation or a paragraph that is
  one mail address, lying between blocks both kept (the article goes on around it), or when
  jusText kept it too (above the text: only a long paragraph, the opening trafilatura missed);
- an extractor that kept less than a fifth of trafilatura's text looked at another part of the
  page: it abstains; and when the vote would leave less than half of trafilatura's text,
  trafilatura's body stands as it was.

Blocks are compared on their folded text (case, accents, punctuation and spacing ignored).
"""

from __future__ import annotations

import copy
import logging
import re
import unicodedata
from functools import cached_property, lru_cache

from lxml import etree

log = logging.getLogger(__name__)

# Blocks compared whole: never split further into their children.
_LEAF_BLOCKS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "blockquote",
    "pre", "figure",
}  # fmt: skip
# Blocks that come in on readability's word alone when the article surrounds them.
_STRUCTURAL = {"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "figure", "pre"}
_STRUCTURAL |= {"blockquote"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CONTAINERS = {"div", "section", "article", "main", "body", "span", "header", "footer"}
# A paragraph that jusText and readability both kept above trafilatura's run of text must be
# this long (folded characters) to come in: a real opening paragraph, not a label or a byline.
_MIN_EDGE_CHARS = 120
_MIN_VOTER_SHARE = 0.2
_UNREAD = ("script", "style", "noscript", "iframe", "form", "svg", "template", "button")
_MIN_KEPT_SHARE = 0.5
_JUSTEXT_LANGUAGES = {
    "cs": "Czech", "da": "Danish", "de": "German", "en": "English", "es": "Spanish",
    "fi": "Finnish", "fr": "French", "hu": "Hungarian", "it": "Italian", "nl": "Dutch",
    "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sv": "Swedish", "tr": "Turkish",
}  # fmt: skip


_NOT_ALNUM = re.compile(r"[\W_]+")  # accents, once decomposed, are not word characters


@lru_cache(maxsize=4096)  # a block's text is folded for each vote it takes part in (per page)
def fold(text: str) -> str:
    """Text reduced for comparisons: case, accents, punctuation and spacing ignored."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", text.casefold()))


def _lines(el: etree._Element) -> list[str]:
    """The folded text of each line of a block (one per list item, row or paragraph)."""
    pieces: list[str] = []
    current: list[str] = []
    for node in el.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in ("li", "tr", "p", "dt", "dd", "br", "figcaption") and current:
            pieces.append("".join(current))
            current = []
        if node.text and node.tag not in ("script", "style"):
            current.append(node.text)
        for child in node:
            if child.tail:
                current.append(child.tail)
    pieces.append("".join(current))
    return [f for f in (fold(p) for p in pieces) if f]


def _holds_blocks(el: etree._Element) -> bool:
    return any(
        isinstance(c.tag, str) and (c.tag in _LEAF_BLOCKS or c.tag in _CONTAINERS) for c in el
    )


def _blocks(root: etree._Element) -> list[etree._Element]:
    """The blocks of a body, in order: leaf blocks, and containers holding only text.

    Walked with a stack, not recursion: a page may nest thousands of ``<div>``.
    """
    found: list[etree._Element] = []
    stack = [iter(root)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag in _LEAF_BLOCKS:
            found.append(child)
        elif tag in _CONTAINERS and _holds_blocks(child):
            stack.append(iter(child))
        elif "".join(child.itertext()).strip():
            found.append(child)
    return found


def _share_in(lines: list[str], text: str) -> float:
    """The share of a block's folded characters whose line is found in ``text``."""
    total = sum(len(line) for line in lines)
    if not total:
        return 0.0
    return sum(len(line) for line in lines if line in text) / total


def voters_copy(tree: etree._Element) -> etree._Element:
    """A copy of the page without what neither voter reads (head, scripts, styles, forms).

    readability drops hidden elements from the tree it is given, so it never gets the page
    itself; and it runs a quarter faster without the parts its own cleaner would remove.
    """
    page = copy.deepcopy(tree)
    head = page.find("head")
    if head is not None:
        page.remove(head)
    etree.strip_elements(page, *_UNREAD, etree.Comment, with_tail=False)
    return page


def readability_root(page: etree._Element) -> etree._Element | None:
    """readability-lxml's article in ``page`` (which it changes), or None when it finds none."""
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(page).summary(html_partial=True)
        if not summary or not summary.strip():
            return None
        return etree.fromstring(summary, etree.HTMLParser()).find(".//body")
    except (Unparseable, etree.LxmlError, ValueError, TypeError) as error:
        log.debug("readability found nothing: %s", error)
        return None


@lru_cache(maxsize=32)
def _stoplist(lang: str | None) -> frozenset[str]:
    import justext

    name = _JUSTEXT_LANGUAGES.get((lang or "")[:2].lower())
    if name:
        return frozenset(justext.get_stoplist(name))
    words: set[str] = set()
    for language in justext.get_stoplists():  # unknown language: every list at once
        words |= justext.get_stoplist(language)
    return frozenset(words)


def _paragraph_class():
    """jusText's paragraph with its text worked out once: jusText reads it a dozen times."""
    from justext.paragraph import Paragraph

    class Paragraph1(Paragraph):
        @cached_property
        def text(self) -> str:
            return super().text

    return Paragraph1


def justext_text(tree: etree._Element, lang: str | None) -> str:
    """The folded text of the paragraphs jusText takes for the article's."""
    from justext.core import (
        ParagraphMaker,
        classify_paragraphs,
        preprocessor,
        revise_paragraph_classification,
    )

    try:
        paragraphs = ParagraphMaker.make_paragraphs(preprocessor(tree))  # the cleaner copies
    except (etree.LxmlError, ValueError, TypeError) as error:  # e.g. a tag SAX cannot name
        log.debug("jusText could not read the page: %s", error)
        return ""  # too little text: it abstains
    cached = _paragraph_class()
    for paragraph in paragraphs:
        paragraph.__class__ = cached
    classify_paragraphs(paragraphs, _stoplist(lang))
    revise_paragraph_classification(paragraphs)
    return "\n".join(fold(p.text) for p in paragraphs if not p.is_boilerplate)


class _LazyVoter:
    """A voter's folded text, computed the first time it is asked for (jusText is slow)."""

    def __init__(self, compute, base_text: str) -> None:
        self._compute = compute
        self._base_len = len(base_text)
        self._text: str | None = None
        self._done = False

    def text(self) -> str | None:
        """The voter's text, or None when it abstains (it kept too little of the page)."""
        if not self._done:
            text = self._compute()
            self._text = text if len(text) >= _MIN_VOTER_SHARE * self._base_len else None
            self._done = True
        return self._text

    def keeps(self, lines: list[str], share: float) -> bool:
        text = self.text()
        return text is not None and _share_in(lines, text) >= share


def _repeats(title: str, heading: str) -> bool:
    """Whether a folded heading is the folded title (or the title less the site's name)."""
    return bool(heading) and (heading == title or (len(heading) >= 15 and heading in title))


def _edge_chrome(blocks: list[etree._Element], voters: list[_LazyVoter], title: str) -> set[int]:
    """Indexes of the runs of blocks at each end that no active other extractor kept.

    A heading that repeats the title is no evidence either way (every extractor keeps it or
    not by its own rule): the run goes on past it, so a byline under the title goes too.
    """
    dropped: set[int] = set()
    for order in (range(len(blocks)), range(len(blocks) - 1, -1, -1)):
        for i in order:
            lines = _lines(blocks[i])
            if blocks[i].tag in _HEADINGS and _repeats(title, "".join(lines)):
                continue
            if any(voter.keeps(lines, 0.5) for voter in voters):
                break
            dropped.add(i)
    if all(voter.text() is None for voter in voters):
        return set()  # nobody else voted: nothing is known to be chrome
    return dropped


def _additions(
    base: list[etree._Element], base_text: str, candidates: list[etree._Element], jt: _LazyVoter
) -> list[tuple[int, etree._Element]]:
    """readability's blocks that come in, each with the base block it goes after (-1: first)."""
    folded = [fold("".join(b.itertext())) for b in base]
    anchors: list[int | None] = []  # the base block holding each candidate, or None
    for block in candidates:
        lines = _lines(block)
        if lines and _share_in(lines, base_text) >= 0.5:
            first = next((line for line in lines if line in base_text), lines[0])
            anchors.append(next((i for i, f in enumerate(folded) if first in f), None))
        else:
            anchors.append(None)
    found = [i for i, a in enumerate(anchors) if a is not None]
    if not found:
        return []
    result = []
    for i, block in enumerate(candidates):
        if anchors[i] is not None:
            continue
        lines = _lines(block)
        if not lines or any(line in base_text for line in lines):
            continue  # nothing, or partly there already: not doubled
        inside = found[0] < i < found[-1]
        if inside and (block.tag in _STRUCTURAL or _is_address(block)):
            comes_in = True
        elif inside or (
            i < found[0] and block.tag == "p" and sum(map(len, lines)) >= _MIN_EDGE_CHARS
        ):  # above the text: an opening paragraph; below it come comments and author boxes
            comes_in = jt.keeps(lines, 0.8)
        else:
            comes_in = False
        if comes_in:
            before = [a for j in found if j < i and (a := anchors[j]) is not None]
            result.append((before[-1] if before else -1, block))
    return result


def _is_address(block: etree._Element) -> bool:
    """Whether a paragraph is one mail or telephone link: an address the article gives.

    trafilatura drops such a paragraph as a link and jusText as too short, but a contact
    address in the middle of the text ("write to the committee at:") is the article's own.
    """
    links = block.findall(".//a")
    if block.tag != "p" or len(links) != 1:
        return False
    href = (links[0].get("href") or "").strip().lower()
    text = fold("".join(block.itertext()))
    return href.startswith(("mailto:", "tel:")) and text == fold("".join(links[0].itertext()))


def _insert(base: list[etree._Element], added: list[tuple[int, etree._Element]]) -> None:
    """Put copies of the added blocks after their base blocks, in readability's order."""
    last_inserted: dict[int, etree._Element] = {}
    for after, block in added:
        block = copy.deepcopy(block)
        block.tail = None
        if after in last_inserted:
            last_inserted[after].addnext(block)
        elif after >= 0:
            base[after].addnext(block)
        else:
            base[0].addprevious(block)
        last_inserted[after] = block


def _folded_blocks(blocks: list[etree._Element]) -> str:
    return "\n".join(fold("".join(b.itertext())) for b in blocks)


def vote(
    body: etree._Element, tree: etree._Element, lang: str | None, title: str | None = None
) -> etree._Element:
    """trafilatura's ``body`` revised by readability's and jusText's votes (see the module).

    ``tree`` is the whole page (left unchanged), ``lang`` picks jusText's stop words, and
    ``title`` (the article's) lets the heading that repeats it be passed over at the top.
    """
    fold.cache_clear()  # remembered within one page only: timings stay those of a first page
    base = _blocks(body)
    if not base:
        return body
    base_text = _folded_blocks(base)
    page = voters_copy(tree)
    readability = readability_root(page)
    rd_blocks = _blocks(readability) if readability is not None else []
    rd = _LazyVoter(lambda: _folded_blocks(rd_blocks), base_text)
    jt = _LazyVoter(lambda: justext_text(page, lang), base_text)
    dropped = _edge_chrome(base, [rd, jt], fold(title or ""))
    added = _additions(base, base_text, rd_blocks, jt) if rd.text() is not None else []
    kept = sum(len(fold("".join(b.itertext()))) for i, b in enumerate(base) if i not in dropped)
    if kept < _MIN_KEPT_SHARE * (len(base_text) - len(base) + 1):
        return body
    _insert(base, added)
    for i in sorted(dropped):
        base[i].getparent().remove(base[i])
    return body
