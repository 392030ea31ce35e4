"""HTML cleaning for stored articles: an nh3 allow-list, plain-text rendering, word counts.

``sanitize_html`` is what goes into ``body_html``; ``html_to_text`` renders an lxml element as
the plain text of ``body_text`` (blank lines between blocks, footnote calls as ``[1]``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection
from functools import lru_cache
from urllib.parse import urljoin

import nh3
from lxml import etree

_INLINE_TAGS = {
    "a",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "abbr",
    "code",
    "span",
}
_BLOCK_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "q",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "img",
    "pre",
    "div",
}
ALLOWED_TAGS = _INLINE_TAGS | _BLOCK_TAGS

# Removed together with their content (nh3 would otherwise keep the text inside).
_DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "form",
    "noscript",
    "template",
    "object",
    "embed",
    "select",
    "textarea",
    "button",
    "svg",
    "math",
    "nav",
}

_WITH_ID = ("h1", "h2", "h3", "h4", "h5", "h6", "a", "div", "p", "sup", "span", "li")
_ATTRIBUTES: dict[str, set[str]] = {tag: {"id"} for tag in _WITH_ID}
_ATTRIBUTES["a"] |= {"href", "title"}
_ATTRIBUTES["img"] = {"src", "alt", "width", "height", "title"}
_ATTRIBUTES["abbr"] = {"title"}
_ATTRIBUTES["td"] = {"colspan", "rowspan"}
_ATTRIBUTES["th"] = {"colspan", "rowspan", "scope"}
_ATTRIBUTES["ol"] = {"start"}

# The only classes worth keeping: they let a reader page style and pair footnotes.
_KEPT_CLASSES = {"spip_note", "spip_note_ref", "notes", "spip_documents"}
_CLASSES = {tag: _KEPT_CLASSES for tag in ("a", "span", "sup", "div")}
# What nh3 leaves of a class attribute without any kept class (a text cannot hold it: its
# ">" are escaped; an attribute value cannot either: its quotes are escaped).
_EMPTY_CLASS = re.compile(r' class=""(?=[^<>]*>)')


@lru_cache(maxsize=8192)
def _join_cached(base: str, href: str) -> str:
    try:
        return urljoin(base, href)
    except ValueError:  # "https://[votre_fil_twitter]", an IPvFuture…: a link to nowhere
        return ""


def join_url(base: str | None, href: str) -> str:
    """``urljoin(base or "", href)``, remembered: a site's pages share most of their links.

    "" for a link no address can be made of (a bracketed host that is no IPv6 address).

    When ``href`` has a path or a query of its own, the base's query and fragment play no
    part in the result, so the cache is keyed on the base without them (pages of one site
    then share entries even when their addresses differ in the query).
    """
    base = base or ""
    if href and href[0] not in "#?;" and ("?" in base or "#" in base):
        base = base.split("#", 1)[0].split("?", 1)[0]
    return _join_cached(base, href)


# The base URL of the fragment being cleaned, per thread: the cleaners are built once (building
# one costs as much as cleaning an article) and their URL callback reads it from here.
_CURRENT = threading.local()


def _rewrite_url(url: str) -> str | None:
    """nh3's ``url_relative`` callback: fragments stay, the rest resolves against the base."""
    base_url = getattr(_CURRENT, "base_url", None)
    if url.startswith("#") or not base_url:
        return url
    joined = join_url(base_url, url)
    try:
        joined.encode("utf-8")  # a lone surrogate cannot cross into the cleaner: no link
    except UnicodeEncodeError:
        return None
    return joined or None


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes=_ATTRIBUTES,
    allowed_classes=_CLASSES,
    url_relative=_rewrite_url,
    link_rel=None,
    strip_comments=True,
)


def _clean(html: str, base_url: str | None) -> str:
    """``html`` through the cleaner, relative URLs resolved against ``base_url``."""
    _CURRENT.base_url = base_url
    try:
        cleaned = _CLEANER.clean(html)
        if ' class=""' in cleaned:
            cleaned = _EMPTY_CLASS.sub("", cleaned)
        return cleaned.strip()
    finally:
        _CURRENT.base_url = None


def sanitize_html(html: str, base_url: str | None) -> str:
    """Clean an HTML fragment to the article allow-list, with absolute URLs."""
    if not html:
        return ""
    return _clean(html, base_url)


_PART_BREAK = "\ue000"  # a private-use character, between fragments cleaned together


def _source(el: etree._Element) -> str:
    """The serialized content of an element (the element is consumed)."""
    el.attrib.clear()
    el.tag = "div"
    el.tail = None
    return etree.tostring(el, method="html", encoding="unicode")[5:-6]


def sanitize_elements(elements: list[etree._Element], base_url: str | None) -> list[str]:
    """``sanitize_html`` of each element's content; the elements are consumed.

    One nh3 call cleans them all (an article's body and its notes): the fragments are joined
    with a character that cannot occur in them, and the result is split on it again. Each
    fragment is serialized from a tree, hence balanced, so none can swallow the next one;
    should the count of parts still differ, each fragment is cleaned on its own.
    """
    sources = [_source(el) for el in elements]
    if len(sources) > 1 and not any(_PART_BREAK in source for source in sources):
        parts = _clean(_PART_BREAK.join(sources), base_url).split(_PART_BREAK)
        if len(parts) == len(sources):
            return [part.strip() for part in parts]
    return [_clean(source, base_url) if source else "" for source in sources]


# ---------------------------------------------------------------------------- plain text

_PARA = "\x00P"  # a blank line between blocks
_LINE = "\x00L"  # a single line break
_CELL = "\x00C"  # between table cells
_PARA_TAGS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "table",
    "figure",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "address",
    "hr",
    "main",
    "center",
}
_LINE_TAGS = {"li", "dt", "dd", "tr", "caption", "figcaption", "thead", "tbody", "tfoot"}
_CELL_TAGS = {"td", "th"}
_MARKERS = {
    **{tag: _PARA for tag in _PARA_TAGS},
    **{tag: _LINE for tag in _LINE_TAGS},
    **{tag: _CELL for tag in _CELL_TAGS},
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "select", "textarea"}
_NOTE_NUMBER = re.compile(r"^\s*[\[(]?\s*([^\[\]()]+?)\s*[\])]?\s*$")
_EDGE = " \t\n\r\f\v\u00a0\u202f"


def _has_class(el: etree._Element, name: str) -> bool:
    """Whether the element's class attribute holds the token ``name``."""
    return name in (el.get("class") or "").split()


def _note_ref_text(el: etree._Element) -> str:
    """A footnote call wrapper rendered as ``[N]``, keeping the space SPIP puts before it."""
    raw = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    lead = raw[: len(raw) - len(raw.lstrip(" \u00a0\u202f"))]
    match = _NOTE_NUMBER.match(raw)
    number = match.group(1) if match else raw.strip()
    return f"{lead}[{number}]"


def _walk(el: etree._Element, out: list[str]) -> None:
    """Append the text of ``el`` and its descendants to ``out``, with block markers.

    ``text`` and ``tail`` are read once each: lxml builds a new string at every read.
    """
    tag = el.tag
    if not isinstance(tag, str):  # comment or processing instruction: only the tail counts
        tail = el.tail
        if tail:
            out.append(tail)
        return
    tag = tag.lower()
    if tag in _SKIP_TAGS:
        pass
    elif tag == "br":
        out.append(_LINE)
    elif tag == "img":
        if _has_class(el, "puce"):  # SPIP's line-start dash drawn as an image
            out.append(el.get("alt") or "-")
    elif tag in ("span", "sup") and _has_class(el, "spip_note_ref"):
        out.append(_note_ref_text(el))
    elif tag == "small" and _has_class(el, "fine"):
        out.append("\u00a0")
    else:
        marker = _MARKERS.get(tag)
        text = el.text
        if marker is _CELL:
            # a table cell is one piece of its row's line, whatever blocks it holds
            cell: list[str] = [text] if text else []
            for child in el:
                _walk(child, cell)
            out.append(_CELL)
            out.append("".join(cell).replace(_PARA, " ").replace(_LINE, " "))
        else:
            if marker:
                out.append(marker)
            if text:
                out.append(text)
            for child in el:
                _walk(child, out)
            if marker:
                out.append(marker)
    tail = el.tail
    if tail:
        out.append(tail)


_SPACE_RUN = re.compile("  +")


def collapse_spaces(text: str) -> str:
    """Every run of ASCII whitespace as one space; no-break and other Unicode spaces are kept.

    The same as ``re.sub(r"[ \\t\\n\\r\\f\\v]+", " ", text)``, several times faster:
    that regex stops at every space between two words, while ``str.replace`` works only where
    there is something to replace, and the pattern of two spaces is searched for as a whole.
    """
    for char in "\n\t\r\f\v":
        if char in text:
            text = text.replace(char, " ")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return text


def html_to_text(element: etree._Element, skip: Collection[etree._Element] = ()) -> str:
    """Plain text of an element: blank lines between blocks, one line per list item.

    Children of ``element`` listed in ``skip`` are left out (their tail text is kept).
    """
    out: list[str] = []
    text = element.text
    if text:
        out.append(text)
    for child in element:
        if skip and child in skip:
            tail = child.tail
            if tail:
                out.append(tail)
        else:
            _walk(child, out)
    # one pass collapses ASCII whitespace; the markers and no-break spaces are not touched
    joined = collapse_spaces("".join(out))
    paragraphs = []
    for block in joined.split(_PARA):
        if _LINE not in block and _CELL not in block:  # most blocks: one line, no table
            block = block.strip(_EDGE)
            if block:
                paragraphs.append(block)
            continue
        lines = []
        for line in block.split(_LINE):
            if _CELL in line:
                cells = [c for c in (c.strip(_EDGE) for c in line.split(_CELL)) if c]
                line = " | ".join(cells)
            else:
                line = line.strip(_EDGE)
            if line:
                lines.append(line)
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


# A word: letters, digits or "_", and words joined by an apostrophe or a hyphen count as one.
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")


def word_count(text: str) -> int:
    """Number of words in plain text ("l’État", "porte-parole" and "don't" are one each)."""
    return len(_WORD.findall(text))
