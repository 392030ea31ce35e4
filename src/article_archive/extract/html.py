"""HTML cleaning for stored articles: an nh3 allow-list, plain-text rendering, word counts.

``sanitize_html`` is what goes into ``body_html``; ``html_to_text`` renders an lxml element as
the plain text of ``body_text`` (blank lines between blocks, footnote calls as ``[1]``).
"""

from __future__ import annotations

import re
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
_ATTRIBUTES["a"] |= {"href", "title", "class"}
_ATTRIBUTES["span"].add("class")
_ATTRIBUTES["sup"].add("class")
_ATTRIBUTES["div"].add("class")
_ATTRIBUTES["img"] = {"src", "alt", "width", "height", "title"}
_ATTRIBUTES["abbr"] = {"title"}
_ATTRIBUTES["td"] = {"colspan", "rowspan"}
_ATTRIBUTES["th"] = {"colspan", "rowspan", "scope"}
_ATTRIBUTES["ol"] = {"start"}

# The only classes worth keeping: they let a reader page style and pair footnotes.
_KEPT_CLASSES = {"spip_note", "spip_note_ref", "notes", "spip_documents"}


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    """Keep only the useful class tokens; drop an attribute left empty."""
    if attr != "class":
        return value
    kept = [c for c in value.split() if c in _KEPT_CLASSES]
    return " ".join(kept) or None


def _url_rewriter(base_url: str | None):
    """A ``url_relative`` callable: fragments stay, the rest resolves against the base."""

    def rewrite(url: str) -> str | None:
        if url.startswith("#") or not base_url:
            return url
        return urljoin(base_url, url)

    return rewrite


def sanitize_html(html: str, base_url: str | None) -> str:
    """Clean an HTML fragment to the article allow-list, with absolute URLs."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=_DROP_WITH_CONTENT,
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_relative=_url_rewriter(base_url),
        link_rel=None,
        strip_comments=True,
    )
    return cleaned.strip()


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
_SKIP_TAGS = {"script", "style", "noscript", "template", "head", "title", "select", "textarea"}
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_NOTE_NUMBER = re.compile(r"^\s*[\[(]?\s*([^\[\]()]+?)\s*[\])]?\s*$")
_EDGE = " \t\n\r\f\v\u00a0\u202f"


def _has_class(el: etree._Element, name: str) -> bool:
    """Whether the element's class attribute holds the token ``name``."""
    return name in (el.get("class") or "").split()


def _note_ref_text(el: etree._Element) -> str:
    """A footnote call wrapper rendered as ``[N]``, keeping the space SPIP puts before it."""
    raw = "".join(el.itertext())
    lead = raw[: len(raw) - len(raw.lstrip(" \u00a0\u202f"))]
    match = _NOTE_NUMBER.match(raw)
    number = match.group(1) if match else raw.strip()
    return f"{lead}[{number}]"


def _walk(el: etree._Element, out: list[str]) -> None:
    """Append the text of ``el`` and its descendants to ``out``, with block markers."""
    tag = el.tag
    if not isinstance(tag, str):  # comment or processing instruction: only the tail counts
        if el.tail:
            out.append(el.tail)
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
        marker = _PARA if tag in _PARA_TAGS else _LINE if tag in _LINE_TAGS else None
        if tag in _CELL_TAGS:
            marker = _CELL
        if marker:
            out.append(marker)
        if el.text:
            out.append(el.text)
        for child in el:
            _walk(child, out)
        if marker and marker != _CELL:
            out.append(marker)
    if el.tail:
        out.append(el.tail)


def html_to_text(element: etree._Element) -> str:
    """Plain text of an element: blank lines between blocks, one line per list item."""
    out: list[str] = []
    if element.text:
        out.append(element.text)
    for child in element:
        _walk(child, out)
    # one pass collapses ASCII whitespace; the markers and no-break spaces are not touched
    joined = _SPACES.sub(" ", "".join(out))
    paragraphs = []
    for block in joined.split(_PARA):
        lines = []
        for line in block.split(_LINE):
            cells = [c for c in (c.strip(_EDGE) for c in line.split(_CELL)) if c]
            if cells:
                lines.append(" | ".join(cells))
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")


def word_count(text: str) -> int:
    """Number of words in plain text (a word is a run of letters/digits, with ’ or - inside)."""
    if not text:
        return 0
    return len(_WORD.findall(text))
