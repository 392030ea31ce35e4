"""The extractor for pages that are not SPIP: three extractors find the body, metadata the rest.

trafilatura (balanced mode, no comments) decides which part of the page is the article, and
readability-lxml and jusText vote on its blocks (:mod:`article_archive.extract.vote`); the
XML body is turned into HTML, headings get anchors for the table of contents, and the result
goes through the same sanitizer as SPIP bodies. Precision mode is not used: it drops whole
paragraphs made of one link (a contact address, "read the report") that trafilatura's default
keeps, and the vote trims the chrome it was meant to keep out. Title, authors, dates,
language, keywords and section come from
:func:`article_archive.extract.metadata.page_metadata`, which the caller has already computed
from the same tree.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from article_archive.anchors import slug
from article_archive.errors import ExtractionError
from article_archive.extract.html import html_to_text, sanitize_html, word_count
from article_archive.extract.metadata import http_url
from article_archive.extract.vote import vote
from article_archive.models import Article, Author, Footnote, TocEntry
from article_archive.sites import host_of

log = logging.getLogger(__name__)

VERSION = "1.1"

# A footnote list as Markdown renderers, WordPress plugins and DPUB-ARIA pages mark it. The
# same expression finds the notes and keeps them out of the body, so they are never doubled.
FOOTNOTES_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' footnotes ')"
    " or @role='doc-endnotes']"
)
_BACKLINK_XPATH = (
    ".//a[@role='doc-backlink' or @rev='footnote'"
    " or contains(concat(' ', normalize-space(@class), ' '), ' footnote-backref ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' reversefootnote ')]"
)
_NOTE_ID = re.compile(r"(?:fn|note|footnote)[-:_]?(\w+)$", re.IGNORECASE)
_BACKLINK_ARROWS = re.compile(r"[\s\u21a9\ufe0e]+$")  # "↩" back-links left as bare text
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_ELLIPSIS = ("...", "…", "(...)", "[...]", "(…)", "[…]")
_MAX_LINK_SHARE = 0.8
# A description shorter than this is a slogan or a label, not a standfirst.
_MIN_LEAD_CHARS = 40
# What sites put between an article's title and their own name in <title>.
_TITLE_SEPARATORS = {"-", "–", "—", "|", "·", ":", "»", "/", "•", "~"}


def _fold(text: str) -> str:
    """Text reduced for comparisons: case, accents, punctuation and spacing ignored."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum())


def _base_url(tree, url: str | None) -> str | None:
    """The address relative links resolve against: ``<base href>`` when given, else ``url``."""
    for base in tree.iter("base"):
        href = http_url(base.get("href"), url)
        if href:
            return href
    return http_url(url)


def _article_url(url: str | None, canonical: str | None) -> str:
    """The canonical address, unless it is missing or merely the site's home page."""
    if canonical:  # already checked by page_metadata: a well-formed http(s) URL
        path = urlsplit(canonical).path
        if path not in ("", "/") or not url or urlsplit(url).path in ("", "/"):
            return canonical
    return url or ""


def _footnotes(tree, base_url: str | None) -> tuple[list[Footnote], set[str]]:
    """Notes of a clearly marked footnote list, and the ids the calls link to; empty without."""
    notes: list[Footnote] = []
    ids: set[str] = set()
    for container in tree.xpath(FOOTNOTES_XPATH)[:1]:
        items = container.xpath(".//li") or container.xpath(".//*[starts-with(@id, 'fn')]")
        for position, item in enumerate(items, 1):
            item = lxml.html.fromstring(etree.tostring(item, encoding="unicode"))
            for backlink in item.xpath(_BACKLINK_XPATH):
                backlink.drop_tree()
            text = _BACKLINK_ARROWS.sub("", html_to_text(item)).strip()
            if not text:
                continue
            if item.get("id"):
                ids.add(item.get("id"))
            match = _NOTE_ID.search(item.get("id") or "")
            inner = (item.text or "") + "".join(
                etree.tostring(child, encoding="unicode") for child in item
            )
            notes.append(
                Footnote(
                    number=match.group(1) if match else str(position),
                    text=text,
                    html=sanitize_html(inner, base_url),
                )
            )
    return notes, ids


def _mark_note_calls(body, note_ids: set[str]) -> None:
    """Wrap links to the notes as SPIP-style calls, so that the text shows them as ``[1]``."""
    if not note_ids:
        return
    for link in list(body.iter("a")):
        target = (link.get("href") or "").rpartition("#")[2]
        if target not in note_ids:
            continue
        parent = link.getparent()
        if parent.tag == "sup" and len(parent) == 1 and not (parent.text or "").strip():
            parent.set("class", "spip_note_ref")
        else:
            wrapper = etree.Element("sup", {"class": "spip_note_ref"})
            link.addprevious(wrapper)
            wrapper.append(link)  # moves the link, its tail stays after it inside the wrapper
            wrapper.tail, link.tail = link.tail, None
        link.set("class", "spip_note")


def _run_trafilatura(tree, prune: bool):
    """trafilatura's body as an lxml ``<body>`` in plain HTML, or None when it finds none."""
    # Imported here: trafilatura costs ~150 ms to import and only non-SPIP pages need it.
    import trafilatura
    from trafilatura.htmlprocessing import convert_to_html

    document = trafilatura.bare_extraction(
        tree,  # trafilatura copies a tree it is given, so ours stays intact
        # No url: trafilatura would make "#fn1" absolute (and drop the path); the sanitizer
        # resolves relative links against the page's base address instead.
        output_format="python",
        with_metadata=False,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_links=True,
        include_formatting=True,
        prune_xpath=FOOTNOTES_XPATH if prune else None,
    )
    body = getattr(document, "body", None)  # a Document, or None when trafilatura found none
    if body is None or len(body) == 0:
        return None
    return convert_to_html(body)[0]


def _mostly_links(fragment, body_text: str) -> bool:
    """Whether the text is nearly all link labels: a menu or a listing, not an article."""
    link_chars = sum(len("".join(a.itertext()).strip()) for a in fragment.iter("a"))
    return link_chars > _MAX_LINK_SHARE * len(body_text)


def _drop_title_heading(body, title: str | None) -> None:
    """Remove a heading at the top of the body that only repeats the title."""
    if not title or len(body) == 0:
        return
    first = body[0]
    if first.tag in _HEADINGS and _fold("".join(first.itertext())) == _fold(title):
        first.getparent().remove(first)


def _anchor_headings(body) -> list[TocEntry]:
    """Give every heading an ``id`` (kept or made from its text) and list them in order."""
    toc = []
    used: set[str] = set()
    for heading in body.iter(*_HEADINGS):
        title = " ".join("".join(heading.itertext()).split())
        if not title:
            continue
        anchor = heading.get("id") or slug(title)
        candidate, n = anchor, 2
        while candidate in used:
            candidate, n = f"{anchor}-{n}", n + 1
        used.add(candidate)
        heading.set("id", candidate)
        toc.append(TocEntry(level=int(heading.tag[1]), title=title, anchor=candidate))
    return toc


def _lead(description: str | None, body_text: str) -> str | None:
    """The description when it is a real standfirst, not a cut-off excerpt of the body."""
    if not description or len(description) < _MIN_LEAD_CHARS:
        return None
    if description.rstrip().endswith(_ELLIPSIS):
        return None
    folded = _fold(description)
    # An automatic excerpt repeats the opening of the body; a standfirst says something else.
    if folded[:80] in _fold(body_text[: len(description) * 2 + 200]):
        return None
    return description


def _without_site_name(title: str, heading: str) -> bool:
    """Whether ``title`` is ``heading`` with the site's name before or after a separator."""
    if not heading or len(heading) >= len(title) or len(heading) < len(title) / 3:
        return False
    if title.startswith(heading):
        return title[len(heading) :].lstrip()[:1] in _TITLE_SEPARATORS
    if title.endswith(heading):
        return title[: -len(heading)].rstrip()[-1:] in _TITLE_SEPARATORS
    return False


def _title(metadata: dict, tree) -> str:
    """The metadata title, else the page's first ``<h1>``, else an empty string.

    A ``<title>`` that is the page's ``<h1>`` plus the site's name ("Notes – My blog",
    "Press release: Notes") gives way to the ``<h1>``.
    """
    headings = [" ".join(h1.text_content().split()) for h1 in tree.iter("h1")]
    headings = [h for h in headings if h]
    title = metadata.get("title")
    if not title:
        return headings[0] if headings else ""
    for heading in headings[:3]:
        if _without_site_name(title, heading):
            return heading
    return title


def extract_generic(html: str, tree, url: str | None, *, metadata: dict) -> Article:
    """Extract a non-SPIP article: trafilatura's body plus the page's metadata."""
    base_url = _base_url(tree, url)
    footnotes, note_ids = _footnotes(tree, base_url)
    body = _run_trafilatura(tree, prune=bool(footnotes))
    if body is None:
        raise ExtractionError(f"no article text found in {url or 'the page'}")
    title = _title(metadata, tree)
    body = vote(body, tree, metadata.get("lang"), title)
    _drop_title_heading(body, title)
    toc = _anchor_headings(body)
    _mark_note_calls(body, note_ids)
    raw = (body.text or "") + "".join(etree.tostring(el, encoding="unicode") for el in body)
    body_html = sanitize_html(raw, base_url)
    fragment = lxml.html.fragment_fromstring(body_html or "<p></p>", create_parent="div")
    body_text = html_to_text(fragment)
    if not body_text or _mostly_links(fragment, body_text):
        raise ExtractionError(f"no article text found in {url or 'the page'}")
    article_url = _article_url(url, metadata.get("canonical"))
    return Article(
        url=article_url,
        site=host_of(article_url),
        title=title,
        body_html=body_html,
        body_text=body_text,
        lang=metadata.get("lang"),
        section=metadata.get("section"),
        authors=[Author(name=name) for name in metadata.get("authors") or []],
        published=metadata.get("published"),
        updated=metadata.get("updated"),
        lead=_lead(metadata.get("description"), body_text),
        toc=toc,
        footnotes=footnotes,
        keywords=list(metadata.get("keywords") or []),
        word_count=word_count(body_text),
        extractor=f"generic/{VERSION}",
    )
