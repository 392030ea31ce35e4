"""Article HTML for the reader: sanitized again, footnotes and headings wired, diffs, Markdown."""

from __future__ import annotations

import difflib
import re
from typing import Any

import lxml.html
import nh3
from lxml import etree
from markupsafe import Markup, escape

from article_archive.anchors import slug

# Defence in depth: the stored body_html is already clean; we clean it again with our own list.
TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
_IDS = {"a", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "p", "span", "sup"}
ATTRIBUTES: dict[str, set[str]] = {tag: {"id"} for tag in _IDS}
ATTRIBUTES["a"] |= {"href", "title", "class"}
ATTRIBUTES["span"] |= {"class"}
ATTRIBUTES["sup"] |= {"class"}
ATTRIBUTES["img"] = {"src", "alt", "width", "height", "title"}
ATTRIBUTES["abbr"] = {"title"}
ATTRIBUTES["td"] = {"colspan", "rowspan"}
ATTRIBUTES["th"] = {"colspan", "rowspan", "scope"}
ATTRIBUTES["ol"] = {"start"}
NOTE_CALL = re.compile(r"^#nb(\w+)$")
NOTE_BACK = re.compile(r"^#nh(\w+)$")


def clean(html: str | None) -> str:
    """nh3 with the reader's allow-list (scripts, styles, handlers and forms go)."""
    if not html:
        return ""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, link_rel="noopener noreferrer")


def _fragment(html: str) -> etree._Element:
    """Parse an HTML fragment into a ``<div>`` wrapper."""
    return lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")


def _serialize(root: etree._Element) -> str:
    """The inner HTML of a wrapper element."""
    parts = [str(escape(root.text)) if root.text else ""]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in root]
    return "".join(parts)


def reader_body(html: str | None, toc: list[dict[str, Any]]) -> tuple[Markup, list[dict[str, Any]]]:
    """The cleaned body with ids on footnote calls and headings, and a TOC whose anchors exist.

    A footnote call ``<a href="#nb1">`` gets ``id="nh1"`` (the notes link back to it); a TOC
    entry whose anchor is missing from the body is matched to a heading by its text.
    """
    root = _fragment(clean(html))
    used = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for link in list(root.iter("a")):
        match = NOTE_CALL.match(link.get("href") or "")
        if not match:
            continue
        if not link.get("id") and f"nh{match.group(1)}" not in used:
            link.set("id", f"nh{match.group(1)}")
            used.add(link.get("id"))
        _as_call(link)
    headings = [el for el in root.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    entries = []
    for entry in toc or []:
        title = (entry.get("title") or "").strip()
        anchor = (entry.get("anchor") or "").lstrip("#")
        if not title:
            continue
        if anchor not in used:
            found = next(
                (
                    h
                    for h in headings
                    if " ".join(h.text_content().split()) == " ".join(title.split())
                ),
                None,
            )
            if found is None:
                anchor = ""
            elif found.get("id"):
                anchor = found.get("id")
            else:
                anchor = anchor or slug(title)
                while anchor in used:
                    anchor += "-1"
                found.set("id", anchor)
                used.add(anchor)
        entries.append({"level": int(entry.get("level") or 2), "title": title, "anchor": anchor})
    return Markup(_serialize(root)), entries


def _as_call(link: etree._Element) -> None:
    """Make a footnote call one ``<sup class="aa-call">[<a>N</a>]</sup>``, brackets once.

    SPIP wraps its call as ``<span class="spip_note_ref">&nbsp;[<a>1</a>]</span>``; other
    pages give a bare link. Either way the reader shows one superscript ``[1]``.
    """
    link.text = (link.text_content() or "").strip(" \u00a0[]()")
    for child in list(link):
        link.remove(child)
    parent = link.getparent()
    is_ref = parent is not None and "spip_note_ref" in (parent.get("class") or "")
    wrapper = parent if is_ref else None
    call = etree.Element("sup", {"class": "aa-call"})
    call.text = "["
    tail = link.tail
    if wrapper is not None:
        wrapper.addprevious(call)
        call.tail = wrapper.tail
        wrapper.getparent().remove(wrapper)
    else:
        link.addprevious(call)
        call.tail = tail
    link.tail = "]"
    call.append(link)


def without_calls(text: Any) -> Any:
    """Text (or Markup) with its footnote calls ``[1]`` taken out, for cards and snippets."""
    if not text:
        return text
    cleaned = _CALL_TEXT.sub("", str(text))
    return Markup(cleaned) if isinstance(text, Markup) else cleaned


_CALL_TEXT = re.compile(r"[ \u00a0]?\[(?:<mark>)?\d{1,3}(?:</mark>)?\]")
_LEAD_CALL = re.compile(r"\[(\d+)\]")


def lead_html(lead: str | None, body: str, numbers: set[str]) -> Markup:
    """The plain-text lead with its footnote calls ``[1]`` linked to the notes and back.

    A call gets the ``nhN`` id the note's back-link points to, unless the body already has it.
    """

    def link(match: re.Match[str]) -> str:
        number = match.group(1)
        if number not in numbers:
            return match.group(0)
        anchor = "" if f'id="nh{number}"' in body else f' id="nh{number}"'
        call = f'<a href="#nb{number}" class="spip_note"{anchor}>{number}</a>'
        return f'<sup class="aa-call">[{call}]</sup>'

    return Markup(_LEAD_CALL.sub(link, str(escape(lead or ""))))


def note_html(note: dict[str, Any]) -> Markup:
    """A footnote's text without its own number link (the reader draws its own back-link)."""
    root = _fragment(clean(note.get("html")) or str(escape(note.get("text") or "")))
    for link in list(root.iter("a")):
        if NOTE_BACK.match(link.get("href") or "") or NOTE_CALL.match(link.get("href") or ""):
            parent = link.getparent()
            wrapper = (
                parent if parent is not None and parent.get("class") == "spip_note_ref" else link
            )
            wrapper.drop_tree()
    html = _serialize(root).strip()
    html = re.sub(r"^(<p>)?\s*[\[\]()]*\s*", r"\1", html)  # brackets left from "[1]"
    return Markup(html)


# ---------------------------------------------------------------------------- diff


def text_diff(old: str, new: str) -> list[dict[str, Any]]:
    """Paragraph-level changes from ``old`` to ``new``, changed words marked inside each."""
    a = [p.strip() for p in (old or "").split("\n\n") if p.strip()]
    b = [p.strip() for p in (new or "").split("\n\n") if p.strip()]
    changes = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and i2 - i1 == j2 - j1:
            for old_p, new_p in zip(a[i1:i2], b[j1:j2], strict=True):
                changes.append({"kind": "changed", "html": _word_diff(old_p, new_p)})
            continue
        for p in a[i1:i2]:
            changes.append({"kind": "removed", "html": Markup("<del>{}</del>").format(p)})
        for p in b[j1:j2]:
            changes.append({"kind": "added", "html": Markup("<ins>{}</ins>").format(p)})
    return changes


def _word_diff(old: str, new: str) -> Markup:
    """One paragraph with removed words in ``<del>`` and added ones in ``<ins>``."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape(" ".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(str(Markup("<del>{}</del>").format(" ".join(a[i1:i2]))))
        if j2 > j1:
            out.append(str(Markup("<ins>{}</ins>").format(" ".join(b[j1:j2]))))
    return Markup(" ".join(out))


# ---------------------------------------------------------------------------- Markdown

_INLINE = {"strong": "**", "b": "**", "em": "_", "i": "_", "code": "`"}


def md_text(text: str | None) -> str:
    """Plain text made safe in Markdown: ``&``, ``<`` and ``>`` as entities.

    Markdown passes raw HTML through, so a title holding ``<script>`` would be markup in any
    renderer of the download; as entities it is shown as the text it is.
    """
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _md_inline(el: etree._Element) -> str:
    """Markdown of an element's inline content."""
    parts = [md_text(el.text)]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        inner = _md_inline(child)
        if tag in _INLINE and inner.strip():
            parts.append(f"{_INLINE[tag]}{inner.strip()}{_INLINE[tag]}")
        elif tag == "a" and child.get("href") and not (child.get("href") or "").startswith("#"):
            parts.append(f"[{inner}]({child.get('href')})")
        elif tag == "a" and NOTE_CALL.match(child.get("href") or ""):
            parts.append(f"[^{inner.strip(' []()')}]")
        elif tag == "br":
            parts.append("  \n")
        elif tag == "img":
            parts.append(f"![{md_text(child.get('alt'))}]({child.get('src') or ''})")
        else:
            parts.append(inner)
        parts.append(md_text(child.tail))
    return re.sub(r"[ \t\n]+", " ", "".join(parts)).replace("  \n ", "  \n")


def _md_blocks(el: etree._Element, out: list[str], prefix: str = "") -> None:
    """Append the Markdown blocks of ``el``'s children to ``out``."""
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            out.append(prefix + "#" * int(tag[1]) + " " + _md_inline(child).strip())
        elif tag in ("ul", "ol"):
            for n, li in enumerate(child.iterchildren("li"), start=1):
                mark = f"{n}." if tag == "ol" else "-"
                out.append(f"{prefix}{mark} {_md_inline(li).strip()}")
        elif tag == "blockquote":
            _md_blocks(child, out, prefix + "> ")
            if child.text and child.text.strip():
                out.append(prefix + "> " + child.text.strip())
        elif tag in ("div", "figure", "table", "tbody", "thead", "tr", "dl"):
            _md_blocks(child, out, prefix)
        elif tag == "hr":
            out.append(prefix + "---")
        elif tag:
            text = _md_inline(child).strip()
            if text:
                out.append(prefix + text)


def html_to_markdown(html: str | None) -> str:
    """A readable Markdown rendering of article HTML."""
    root = _fragment(clean(html))
    out: list[str] = []
    if root.text and root.text.strip():
        out.append(md_text(root.text.strip()))
    _md_blocks(root, out)
    return "\n\n".join(out)


def article_markdown(art: dict[str, Any]) -> str:
    """The whole article as Markdown: a small front matter, title, lead, body, notes."""
    front = {
        "title": art.get("title"),
        "url": art.get("url"),
        "lang": art.get("lang"),
        "published": art.get("published"),
        "section": art.get("section"),
        "authors": ", ".join(a["name"] for a in art.get("authors", [])),
        "keywords": ", ".join(art.get("keywords", [])),
    }
    lines = ["---"]
    lines += [f"{k}: {_yaml(v)}" for k, v in front.items() if v]
    lines += ["---", ""]
    if art.get("surtitle"):
        lines += [f"_{md_text(art['surtitle'])}_", ""]
    lines += [f"# {md_text(art.get('title'))}", ""]
    if art.get("subtitle"):
        lines += [f"## {md_text(art['subtitle'])}", ""]
    if art.get("lead"):
        lines += [f"**{md_text(art['lead'].strip())}**", ""]
    body = html_to_markdown(art.get("body_html")) or md_text(art.get("body_text"))
    lines += [body, ""]
    if art.get("postscript"):
        lines += ["---", "", f"P.-S. {md_text(art['postscript'].strip())}", ""]
    for note in art.get("footnotes", []):
        lines.append(f"[^{note['number']}]: {md_text(' '.join((note.get('text') or '').split()))}")
    return "\n".join(lines).rstrip() + "\n"


def _yaml(value: Any) -> str:
    """A YAML scalar, quoted; ``<`` as the escape ``\\u003c`` (the same text to a YAML reader,
    no markup to a Markdown renderer that shows the front matter as text)."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\u003c")
    return f'"{text}"'
