"""The SPIP extractor: every field of SPEC.md from a SPIP 2–4 article page.

It relies on SPIP's stable hooks first (crayons classes ``article-titre-N``, ``div.texte``,
``div.chapo``, ``abbr.published``, ``.vcard.author``, ``spip_note`` links, ``p.arbo``) and
falls back on the engine's own markup, metadata and visible text for themed sites (see
``shared/spip-markup.md``).
A page without an article texte (home page, rubric listing, plan, 404) raises
``ExtractionError``.

The modules, in the order ``extract_spip`` uses them:

- ``detect``: ``is_spip``, whether a page comes from SPIP at all;
- ``index``: ``PageIndex``, the one pass over the page (elements by class, crayons blocks);
- ``page``: ``SpipPage``, the page's landmarks (texte, title, region, metas…), read once;
  ``locate`` finds the texte (and the chapo) of a theme whose classes say nothing known;
- ``dates``, ``authors``, ``nav`` (rubrics, keywords, translations), ``blocks`` (subtitle,
  chapo, P.-S.): the finders, each taking the ``SpipPage`` (``nearby``: the date line a theme
  leaves unclassed; ``labels``: the labels SPIP prints, in every language);
- ``texte``: cleaning the texte in place; ``toc``: its headings; ``notes``: its footnotes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from article_archive.extract.chrome import PageChrome
from article_archive.extract.html import html_to_text, sanitize_elements, word_count
from article_archive.extract.spip.authors import find_authors
from article_archive.extract.spip.blocks import chapo_block, postscript, subtitle_block
from article_archive.extract.spip.dates import find_dates
from article_archive.extract.spip.detect import is_spip
from article_archive.extract.spip.locate import chapo_before
from article_archive.extract.spip.nav import find_keywords, find_section_path, find_translations
from article_archive.extract.spip.notes import (
    extract_footnotes,
    note_calls,
    point_calls_at_numbers,
)
from article_archive.extract.spip.page import SpipPage, read_page
from article_archive.extract.spip.texte import (
    clean_body,
    leading_media,
)
from article_archive.extract.spip.toc import build_toc
from article_archive.models import Article, Footnote

__all__ = ["EXTRACTOR", "SpipPage", "extract_spip", "is_spip", "read_page"]

EXTRACTOR = "spip/2"


def _text_or_none(el: etree._Element | None) -> str | None:
    """Plain text of an optional block, None when empty."""
    if el is None:
        return None
    return html_to_text(el) or None


def _body_and_notes(
    page: SpipPage, chapo: etree._Element | None
) -> tuple[str, str, list[Footnote], list]:
    """The cleaned texte as HTML and text, its footnotes, its table of contents.

    The texte is cleaned in place, so this comes after every field read from the page.
    """
    body = clean_body(page.texte)
    toc = build_toc(body)
    notes = extract_footnotes(page, note_calls(chapo, body))
    point_calls_at_numbers(body, {note_id: number for note_id, number, _, _ in notes})
    body_text = html_to_text(body, skip=leading_media(body))
    body_html, *notes_html = sanitize_elements([body, *(note for *_, note in notes)], page.base)
    footnotes = [
        Footnote(number=number, text=text, html=html)
        for (_, number, text, _), html in zip(notes, notes_html, strict=True)
    ]
    return body_html, body_text, footnotes, toc


def extract_spip(
    tree: etree._Element,
    url: str | None,
    *,
    metadata: Mapping[str, Any] | None = None,
    chrome: PageChrome | None = None,
) -> Article:
    """Extract the article of a SPIP page; raise ExtractionError when it is not one.

    The tree is consumed: its texte is cleaned in place and serialized (parse the page again
    to extract it twice).
    """
    page = read_page(tree, url, metadata, chrome)
    chapo = chapo_block(page)
    if chapo is None:
        chapo = chapo_before(page.texte, page.metas)
    section_path = find_section_path(page)
    published, written, updated = find_dates(page)
    surtitle = _text_or_none(page.block("surtitre", "surtitre", "surtitle"))
    subtitle = _text_or_none(subtitle_block(page))
    authors = find_authors(page)
    lead = _text_or_none(chapo)
    ps = postscript(page)
    keywords = find_keywords(page)
    translations = find_translations(page)
    body_html, body_text, footnotes, toc = _body_and_notes(page, chapo)
    return Article(
        url=page.page_url,
        site=urlsplit(page.page_url).hostname or "",
        title=page.title,
        body_html=body_html,
        body_text=body_text,
        spip_id=page.spip_id,
        lang=page.lang,
        section=section_path[-1] if section_path else page.meta.get("section"),
        section_path=section_path,
        surtitle=surtitle,
        subtitle=subtitle,
        authors=authors,
        published=published,
        written=written,
        updated=updated,
        lead=lead,
        toc=toc,
        footnotes=footnotes,
        postscript=ps,
        keywords=keywords,
        translations=translations,
        word_count=word_count(body_text),
        extractor=EXTRACTOR,
    )
