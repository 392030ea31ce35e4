"""A site's template, learned from its own pages: which blocks are chrome, whatever their classes.

A crawl sees many pages of one site. A block that repeats on most of them (a menu, a tag
cloud, a "latest articles" list, a footer, a site-wide ``<meta name="keywords">``) belongs to
the site's template, not to any one article. This module is the pure side of that learning:

- ``page_blocks(tree, url)`` lists the blocks of one page, each known by a *fingerprint*: a
  hash of the set of its links (address without fragment, and text, normalised). The set is
  unordered (a tag cloud "par hasard" comes out in another order on every page) and ignores
  classes and nesting, so that one block is recognised on the home page, a listing and an
  article page alike, whichever template wraps it. Only blocks of at least ``MIN_LINKS`` links
  count: a single link is no template. The head's ``meta keywords`` list is one more block.
- ``is_chrome(...)`` is the verdict on one block from its counts (kept by ``store.chrome``).
- ``PageChrome`` applies a site's learned chrome to one page: ``holds(el)`` says whether an
  element sits in a chrome block, so a finder can drop a field whose only source is chrome.

Why these thresholds (``is_chrome``): a block is chrome when it is on at least 60 % of the
site's pages learned since it first appeared, and on at least 5 of them of which one is not an
article (the home page, a listing, the plan), or on at least 20. An article's own block (its
keywords, its byline) is on article pages only, and never on 60 % of them unless most
articles share exactly the same set (the sample site's most common keyword set is on 14 % of
its articles); a template block is on every page, the home page first. Counting "since it
first appeared" lets a tag cloud that grew by one keyword be chrome again after a few pages,
instead of waiting until the new cloud is on 60 % of every page ever learned.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree

from article_archive.extract.html import join_url

MIN_LINKS = 2  # links a block needs to be fingerprinted
MIN_SHARE = 0.6  # share of the pages (learned since the block appeared) that hold it
MIN_PAGES = 5  # pages holding it, one of them not an article
SURE_PAGES = 20  # pages holding it, whatever their kinds
META_KEYWORDS = "meta keywords"  # the path recorded for the head's keyword list
# The blocks worth a fingerprint: the elements themes build their chrome from.
BLOCK_TAGS = frozenset(
    {"div", "ul", "ol", "dl", "nav", "aside", "section", "header", "footer", "p", "table", "menu"}
)
SAMPLE_CHARS = 120

ChromeBlocks = frozenset[str]


@dataclass(frozen=True, slots=True)
class Block:
    """One block of one page: its fingerprint, where it sits, what it says (for people)."""

    fingerprint: str
    path: str
    links: int
    sample: str


def is_chrome(pages: int, window: int, other_pages: int) -> bool:
    """Whether a block is the site's chrome (see the module docstring for the thresholds).

    ``pages``: the site's pages holding it; ``window``: the site's pages learned since it
    first appeared (that page included); ``other_pages``: those of its pages that are not
    articles.
    """
    if window <= 0 or pages < MIN_PAGES or pages < MIN_SHARE * window:
        return False
    return pages >= SURE_PAGES or other_pages > 0


def _norm_text(text: str) -> str:
    return " ".join(text.split()).lower()


def _link_key(a: etree._Element, base: str) -> str | None:
    """A link as the template sees it: its address (no fragment) and its text."""
    href = (a.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:")):
        return None
    try:
        target = join_url(base, href)  # remembered: a site's pages share most of their links
    except ValueError:  # a malformed address (``https://[votre_fil_twitter]``): as written
        target = href
    target = target.split("#", 1)[0]
    return target + "\x1f" + _norm_text("".join(a.itertext()))


def _fingerprint(keys: Iterable[str]) -> str:
    digest = hashlib.blake2b("\x1e".join(sorted(set(keys))).encode(), digest_size=8)
    return digest.hexdigest()


def _path(el: etree._Element) -> str:
    """A readable path of the block: its tag, id and classes, with two of its ancestors."""
    parts: list[str] = []
    node: etree._Element | None = el
    while node is not None and len(parts) < 3 and node.tag not in ("body", "html"):
        ident = node.get("id")
        classes = (node.get("class") or "").split()
        label = str(node.tag) + (f"#{ident}" if ident else "") + "".join(f".{c}" for c in classes)
        parts.append(label)
        node = node.getparent()
    return " < ".join(parts)


def _sample(texts: list[str]) -> str:
    joined = ", ".join(t for t in texts if t)
    return joined if len(joined) <= SAMPLE_CHARS else joined[: SAMPLE_CHARS - 1] + "…"


def _base(tree: etree._Element, url: str | None) -> str:
    for base in tree.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            try:
                return urljoin(url or "", href)
            except ValueError:
                break
    return url or ""


def element_links(tree: etree._Element, url: str | None) -> dict[etree._Element, list[str]]:
    """Every block element of the body holding links, with the keys of its links."""
    base = _base(tree, url)
    body = tree.find("body")
    top = body if body is not None else tree
    held: dict[etree._Element, list[str]] = {}
    for a in top.iter("a"):
        key = _link_key(a, base)
        if key is None:
            continue
        for anc in a.iterancestors():
            if anc is top:
                break
            if anc.tag in BLOCK_TAGS:
                held.setdefault(anc, []).append(key)
    return held


def _meta_keywords(tree: etree._Element) -> str | None:
    head = tree.find("head")
    for meta in head.iter("meta") if head is not None else ():
        if (meta.get("name") or "").lower() == "keywords":
            return meta.get("content") or None
    return None


def meta_keywords_block(content: str) -> Block | None:
    """The head's keyword list as a block (its words, in any order)."""
    words = {_norm_text(w) for w in content.split(",")} - {""}
    if len(words) < MIN_LINKS:
        return None
    keys = ["meta\x1f" + w for w in words]
    return Block(_fingerprint(keys), META_KEYWORDS, len(words), _sample(sorted(words)))


def page_blocks(tree: etree._Element, url: str | None) -> list[Block]:
    """The blocks of one page, each once (a wrapper holding the same links is the same block)."""
    found: dict[str, Block] = {}
    for el, keys in element_links(tree, url).items():
        if len(set(keys)) < MIN_LINKS:
            continue
        fingerprint = _fingerprint(keys)
        if fingerprint not in found:
            texts = list(dict.fromkeys(k.split("\x1f", 1)[1] for k in keys))
            found[fingerprint] = Block(fingerprint, _path(el), len(set(keys)), _sample(texts))
    content = _meta_keywords(tree)
    meta = meta_keywords_block(content) if content else None
    if meta is not None:
        found.setdefault(meta.fingerprint, meta)
    return list(found.values())


class PageChrome:
    """A site's learned chrome applied to one page.

    Only the blocks around the elements asked about are fingerprinted, each once, and never
    one holding the article's texte (``keep``): on a page whose own links all repeat the
    template's (its keywords are in the tag cloud, its rubric in the menu), the wrappers
    around the article hold the same links as on every other page, and they are no chrome.
    """

    def __init__(self, tree: etree._Element, url: str | None, chrome: ChromeBlocks):
        self.tree = tree
        self.url = url
        self.chrome = chrome
        self._base: str | None = None
        self._kept: set[etree._Element] = set()
        self._verdicts: dict[etree._Element, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.chrome)

    def keep(self, texte: etree._Element) -> None:
        """No block holding ``texte`` (the article's) is chrome on this page."""
        self._kept = {texte, *texte.iterancestors()}

    def _is_chrome(self, block: etree._Element) -> bool:
        verdict = self._verdicts.get(block)
        if verdict is None:
            if self._base is None:
                self._base = _base(self.tree, self.url)
            keys = [k for a in block.iter("a") if (k := _link_key(a, self._base)) is not None]
            verdict = len(set(keys)) >= MIN_LINKS and _fingerprint(keys) in self.chrome
            self._verdicts[block] = verdict
        return verdict

    def holds(self, el: etree._Element) -> bool:
        """Whether ``el`` sits in (or is) one of the site's chrome blocks."""
        if not self.chrome:
            return False
        for node in (el, *el.iterancestors()):
            if node in self._kept or node.tag in ("body", "html"):
                return False
            if node.tag in BLOCK_TAGS and self._is_chrome(node):
                return True
        return False

    def meta_keywords_are_chrome(self, content: str) -> bool:
        """Whether the head's keyword list is the site's own (the same on most pages)."""
        block = meta_keywords_block(content) if self.chrome else None
        return block is not None and block.fingerprint in self.chrome
