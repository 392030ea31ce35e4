"""Extraction: one page's HTML (text or bytes) in, one :class:`Article` out; no network.

``extract_article`` gives the typed :class:`Article` record the store takes. It decodes the page
(``charset.decode_html``), cuts it to the size bound, and asks ``spip.is_spip`` which
extractor reads it: a SPIP page is parsed once into plain ``etree`` elements and handed to
the SPIP extractor, with the page's metadata computed only for the fields it turns out to need
(``metadata.LazyMetadata``); any other page goes to the generic (trafilatura) extractor. A
page that is not an article, or that cannot be parsed at all, raises
:class:`~article_archive.errors.ExtractionError`.

``extract`` gives the same article as the field dict of SPEC.md (``Article.to_dict()``): the
Python API and the JSON output. SPEC.md spells that API ``from article_archive import
extract; extract(html, url)``, and ``article_archive.extract`` is also this package's name. So
that the name means one thing, the package itself is callable (``_CallableModule``): calling
it calls :func:`extract`, and ``import article_archive.extract`` gives the package.

Speed matters (``bench/speed_extract.py``): the SPIP path owns its tree and cleans the texte in
place, looks elements up in one index built from a C-level XPath (``spip.index.PageIndex``),
and sanitizes the body and its notes in a single nh3 call.

Time per page is bounded by the input size: text beyond ``MAX_INPUT_CHARS`` (about 5 MB) is
cut off before parsing. lxml parses linearly and does not hang on hostile markup, and an
article's text comes long before the point where real pages grow that large (inline images,
data blobs, endless comment threads), so the cut costs nothing in practice.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import types

import lxml.html
from lxml import etree

from article_archive.errors import ExtractionError
from article_archive.extract.charset import decode_html
from article_archive.extract.chrome import (
    Block,
    ChromeBlocks,
    PageChrome,
    meta_keywords_block,
    page_blocks,
)
from article_archive.extract.generic import extract_generic
from article_archive.extract.metadata import LazyMetadata, page_metadata
from article_archive.extract.spip import extract_spip, is_spip
from article_archive.models import Article
from article_archive.sites import host_of

__all__ = [
    "EXTRACTOR_VERSION",
    "MAX_INPUT_CHARS",
    "as_text",
    "extract",
    "extract_article",
    "learn_blocks",
]

log = logging.getLogger(__name__)

# Bumped whenever any extractor's output changes, so that `reparse` knows what is stale.
EXTRACTOR_VERSION = "1.2"
MAX_INPUT_CHARS = 5_000_000

# lxml refuses str input carrying an encoding declaration, and does not allow NUL, the other
# C0 control characters (but tab, newline and carriage return) and the noncharacters U+FFFE
# and U+FFFF in its trees (libxml2 would turn them into U+FFFD, or keep them).
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_NOT_IN_TREES = (*(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"), "\ufffe", "\uffff")


def _content_type(headers: dict[str, str] | None) -> str | None:
    """The Content-Type header, whatever the case of its name."""
    for name, value in (headers or {}).items():
        if name.lower() == "content-type":
            return value
    return None


def _as_text(html: str | bytes, headers: dict[str, str] | None) -> str:
    """The page as text: bytes decoded with their charset, cut to the size bound, made parseable."""
    if isinstance(html, bytes | bytearray):
        # Decode a little more than the bound: UTF-8 text has more bytes than characters.
        text, encoding = decode_html(bytes(html[: MAX_INPUT_CHARS * 2]), _content_type(headers))
        log.debug("decoded as %s", encoding)
    elif isinstance(html, str):
        text = html
    else:
        raise TypeError(f"extract() takes str or bytes, not {type(html).__name__}")
    if len(text) > MAX_INPUT_CHARS:
        log.warning("page of %d characters cut to %d before parsing", len(text), MAX_INPUT_CHARS)
        text = text[:MAX_INPUT_CHARS]
    text = _XML_DECLARATION.sub("", text, count=1)
    # a search per character finds none in most pages four times sooner than one regex
    for char in _NOT_IN_TREES:
        if char in text:
            text = text.replace(char, "")
    return text


_PARSERS = threading.local()


def _plain_parser() -> etree.HTMLParser:
    """This thread's HTML parser into plain ``etree`` elements (lxml parsers are not shared)."""
    parser = getattr(_PARSERS, "plain", None)
    if parser is None:
        parser = _PARSERS.plain = etree.HTMLParser(collect_ids=False)
    return parser


def _parse(text: str, url: str | None, *, plain: bool = False) -> etree._Element:
    """The tree of a page, or ExtractionError when there is nothing to parse.

    ``plain`` gives plain ``etree`` elements, as the SPIP extractor wants them: lxml.html's
    element classes are looked up by a Python callback for every element touched, which
    costs as much as the whole SPIP extraction. trafilatura wants lxml.html's.
    """
    if not text or text.isspace():
        raise ExtractionError(f"empty page: {url or 'no address'}")
    try:
        if plain:
            tree = etree.fromstring(text, _plain_parser(), base_url=url)
        else:
            tree = lxml.html.document_fromstring(text, base_url=url)
    except (etree.LxmlError, ValueError) as error:
        raise ExtractionError(f"cannot parse the page {url or ''}: {error}".strip()) from error
    if tree is None or (tree.find("body") is None and len(tree) == 0):
        raise ExtractionError(f"no HTML content: {url or 'no address'}")
    return tree


def extract_article(
    html: str | bytes,
    url: str | None = None,
    headers: dict[str, str] | None = None,
    *,
    chrome: ChromeBlocks | None = None,
) -> Article:
    """Extract one page into the :class:`Article` record the store takes (SPIP or generic).

    ``chrome`` is the site's learned template (``store.chrome.refresh_chrome``): a field
    found only in those blocks is not the article's.
    """
    text = _as_text(html, headers)
    if is_spip(text, headers):
        tree = _parse(text, url, plain=True)
        marks = PageChrome(tree, url, chrome) if chrome else None
        article = extract_spip(tree, url, metadata=LazyMetadata(tree, url), chrome=marks)
    else:
        tree = _parse(text, url)
        article = extract_generic(text, tree, url, metadata=page_metadata(tree, url))
        if chrome and article.keywords and _site_keywords(article.keywords, chrome):
            article.keywords = []
    if not article.site:
        article.site = host_of(article.url or url or "")
    return article


def _site_keywords(keywords: list[str], chrome: ChromeBlocks) -> bool:
    """Whether a page's keyword list is its site's own list, the same on most pages."""
    block = meta_keywords_block(",".join(keywords))
    return block is not None and block.fingerprint in chrome


def as_text(html: str | bytes, charset: str | None) -> str | bytes:
    """Bytes decoded with the ``charset`` the fetch already found (``FetchResult.charset``).

    Detecting a charset from the bytes costs more than extracting the page: a page read
    again (its template, a re-extraction) is decoded as the first reading decoded it.
    """
    if isinstance(html, bytes | bytearray) and charset:
        try:
            return bytes(html[: MAX_INPUT_CHARS * 2]).decode(charset, "replace")
        except LookupError:
            return html
    return html


def learn_blocks(
    html: str | bytes,
    url: str | None = None,
    headers: dict[str, str] | None = None,
    *,
    charset: str | None = None,
) -> list[Block]:
    """The blocks of a page a site's template is learned from (``extract.chrome``).

    Any page of the site counts (the home page, listings, articles); one that cannot be
    parsed has none. ``charset``: the one its fetch found (see ``as_text``).
    """
    try:
        tree = _parse(_as_text(as_text(html, charset), headers), url, plain=True)
    except ExtractionError:
        return []
    return page_blocks(tree, url)


def extract(
    html: str | bytes, url: str | None = None, headers: dict[str, str] | None = None
) -> dict:
    """Extract one page into the article fields of SPEC.md (``Article.to_dict()``)."""
    return extract_article(html, url, headers).to_dict()


class _CallableModule(types.ModuleType):
    """This package, callable as its own :func:`extract` (see the module docstring)."""

    def __call__(
        self, html: str | bytes, url: str | None = None, headers: dict[str, str] | None = None
    ) -> dict:
        """``extract(html, url, headers)``."""
        return extract(html, url, headers)


sys.modules[__name__].__class__ = _CallableModule
