"""Extraction: one page's HTML (text or bytes) in, one :class:`Article` out; no network.

``extract_article`` parses once with lxml into plain ``etree`` elements: UTF-8 and
windows-1252 pages straight from their bytes (``charset.byte_encoding``; libxml2 reports
invalid UTF-8 itself), the others decoded first (``charset.decode_html``). It then hands the
tree to the SPIP extractor when the page comes from SPIP, with the page's metadata computed
only for the fields it turns out to need (``metadata.LazyMetadata``), and to the generic
(trafilatura) extractor otherwise. A page that is not an article, or that cannot be parsed at
all, raises :class:`~article_archive.errors.ExtractionError`.

Speed matters (``bench/speed_extract.py``): the SPIP path owns its tree and cleans the texte in
place, looks elements up in one index built from a C-level XPath (``spip_index.PageIndex``),
and sanitizes the body and its notes in a single nh3 call.

Time per page is bounded by the input size: text beyond ``MAX_INPUT_CHARS`` (about 5 MB) is
cut off before parsing. lxml parses linearly and does not hang on hostile markup, and an
article's text comes long before the point where real pages grow that large (inline images,
data blobs, endless comment threads), so the cut costs nothing in practice.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import fields

import lxml.html
from lxml import etree

from article_archive.errors import ExtractionError
from article_archive.extract.charset import byte_encoding, decode_html
from article_archive.extract.generic import extract_generic
from article_archive.extract.metadata import LazyMetadata, page_metadata
from article_archive.extract.spip import extract_spip, is_spip
from article_archive.models import Article
from article_archive.sites import host_of

_FIELD_NAMES = tuple(f.name for f in fields(Article))

__all__ = ["EXTRACTOR_VERSION", "MAX_INPUT_CHARS", "extract", "extract_article"]

log = logging.getLogger(__name__)

# Bumped whenever any extractor's output changes, so that `reparse` knows what is stale.
EXTRACTOR_VERSION = "1.2"
MAX_INPUT_CHARS = 5_000_000

# lxml refuses str input carrying an encoding declaration, and NUL / C0 control characters
# (other than tab, newline, carriage return) are not allowed in its trees.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _content_type(headers: dict | None) -> str | None:
    """The Content-Type header, whatever the case of its name."""
    for name, value in (headers or {}).items():
        if name.lower() == "content-type":
            return value
    return None


def _as_text(html: str | bytes, headers: dict | None) -> str:
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
    return _CONTROL_CHARS.sub("", text)


def _parse(text: str, url: str | None) -> lxml.html.HtmlElement:
    """The lxml.html tree of a page, or ExtractionError when there is nothing to parse."""
    if not text.strip():
        raise ExtractionError(f"empty page: {url or 'no address'}")
    try:
        tree = lxml.html.document_fromstring(text, base_url=url)
    except (etree.ParserError, ValueError) as error:
        raise ExtractionError(f"cannot parse the page {url or ''}: {error}".strip()) from error
    return _checked(tree, url)


def _checked(tree: etree._Element | None, url: str | None) -> etree._Element:
    """``tree`` itself, or ExtractionError when the parser found no HTML in the page."""
    if tree is None or (tree.find("body") is None and len(tree) == 0):
        raise ExtractionError(f"no HTML content: {url or 'no address'}")
    return tree


_PARSERS = threading.local()
# libxml2 2.14 reports every invalid UTF-8 sequence (ERR_INVALID_ENCODING) and reads on in
# UTF-8; older versions switched to ISO-8859-1 in the middle of the page.
_LIBXML_REPORTS_UTF8 = etree.LIBXML_VERSION >= (2, 14)
# libxml2 stops reporting a document's errors after this many
_MAX_REPORTED_ERRORS = 100
_INVALID_ENCODING = [etree.ErrorTypes.ERR_INVALID_ENCODING]


def _bytes_parser(encoding: str) -> etree.HTMLParser:
    """This thread's plain HTML parser for bytes in ``encoding`` (lxml parsers are not shared)."""
    parsers = getattr(_PARSERS, "bytes", None)
    if parsers is None:
        parsers = _PARSERS.bytes = {}
    parser = parsers.get(encoding)
    if parser is None:
        parser = parsers[encoding] = etree.HTMLParser(encoding=encoding, collect_ids=False)
    return parser


def _valid_utf8(html: bytes, parser: etree.HTMLParser) -> bool:
    """Whether a page just parsed as UTF-8 was valid UTF-8 (the parser says so, else Python)."""
    if _LIBXML_REPORTS_UTF8:
        log = parser.error_log
        if len(log) < _MAX_REPORTED_ERRORS:
            return not log.filter_types(_INVALID_ENCODING)
    try:
        html.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse_bytes(html: bytes, headers: dict | None, url: str | None) -> etree._Element | None:
    """The tree of a page parsed from its own bytes, or None when it must be decoded first.

    UTF-8, ASCII and windows-1252 pages, nearly all of them, are parsed from their bytes:
    libxml2 decodes them as ``decode_html`` would (windows-1252 ones as ISO-8859-1, decoded by
    libxml2 itself rather than iconv, when no byte is one where the two differ).
    """
    if len(html) > MAX_INPUT_CHARS or html[:256].lstrip().lower().startswith(b"<?xml"):
        return None
    found = byte_encoding(html, _content_type(headers))
    if found is None:
        return None
    encoding, checked = found
    if encoding != "utf-8" and html[:1024].lstrip()[:2] in (b"", b"<?"):
        return None
    if not html or html.isspace():  # (not ``strip``, which copies the page)
        return None
    parser = _bytes_parser(encoding)
    try:
        tree = etree.fromstring(html, parser, base_url=url)
    except (etree.LxmlError, ValueError) as error:
        raise ExtractionError(f"cannot parse the page {url or ''}: {error}") from error
    if not checked and not _valid_utf8(html, parser):
        log.debug("declared UTF-8, but the bytes are not: decoding")
        return None
    return _checked(tree, url)


def _parse_fast(html: str | bytes, headers: dict | None, url: str | None) -> etree._Element:
    """The plain lxml tree of a page, parsed once.

    The tree is made of plain ``etree`` elements: lxml.html's element classes are looked up by
    a Python callback for every element touched, which costs as much as the whole SPIP
    extraction. Pages are parsed from their own bytes when they can be (``_parse_bytes``);
    the rest take the path of text input (decoded, cut to the size bound, made parseable).
    """
    if isinstance(html, bytes | bytearray):
        tree = _parse_bytes(bytes(html), headers, url)
        if tree is not None:
            return tree
    text = _as_text(html, headers)
    if not text.strip():
        raise ExtractionError(f"empty page: {url or 'no address'}")
    try:
        tree = etree.fromstring(text, _text_parser(), base_url=url)
    except (etree.LxmlError, ValueError) as error:
        raise ExtractionError(f"cannot parse the page {url or ''}: {error}".strip()) from error
    return _checked(tree, url)


def _text_parser() -> etree.HTMLParser:
    """This thread's plain HTML parser for text input."""
    parser = getattr(_PARSERS, "text", None)
    if parser is None:
        parser = _PARSERS.text = etree.HTMLParser(collect_ids=False)
    return parser


def extract_article(
    html: str | bytes, url: str | None = None, headers: dict | None = None
) -> Article:
    """Extract one page into an :class:`Article` (SPIP extractor or generic)."""
    if not isinstance(html, str | bytes | bytearray):
        raise TypeError(f"extract() takes str or bytes, not {type(html).__name__}")
    tree = _parse_fast(html, headers, url)
    if is_spip(tree, headers):
        article = extract_spip(tree, url, metadata=LazyMetadata(tree, url))
    else:
        # trafilatura wants lxml.html elements: the generic path decodes and parses again,
        # a cost lost in trafilatura's own.
        text = _as_text(html, headers)
        tree = _parse(text, url)
        article = extract_generic(text, tree, url, metadata=page_metadata(tree, url))
    if not article.site:
        article.site = host_of(article.url or url or "")
    return article


def _as_dict(article: Article) -> dict:
    """``Article.to_dict()`` without ``dataclasses.asdict``'s deep copies (a tenth of the time)."""
    result = {}
    for name in _FIELD_NAMES:
        value = getattr(article, name)
        if isinstance(value, list):
            value = [
                vars(item).copy() if hasattr(item, "__dataclass_fields__") else item
                for item in value
            ]
        result[name] = value
    return result


def extract(html: str | bytes, url: str | None = None, headers: dict | None = None) -> dict:
    """Extract one page into the article fields of SPEC.md (``Article.to_dict()``)."""
    return _as_dict(extract_article(html, url, headers))
