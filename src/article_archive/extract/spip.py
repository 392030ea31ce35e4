"""The SPIP extractor: every field of SPEC.md from a SPIP 2–4 article page.

It relies on SPIP's stable hooks first (crayons classes ``article-titre-N``, ``div.texte``,
``div.chapo``, ``abbr.published``, ``.vcard.author``, ``spip_note`` links, ``p.arbo``) and
falls back on metadata and visible text for themed sites (see ``shared/spip-markup.md``).
A page without an article texte (home page, rubric listing, plan, 404) raises
``ExtractionError``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from article_archive.errors import ExtractionError
from article_archive.extract.html import html_to_text, join_url, sanitize_elements, word_count
from article_archive.extract.metadata import LazyMetadata
from article_archive.extract.spip_index import PageIndex
from article_archive.extract.spip_meta import find_authors, find_dates, head_metas, page_lang
from article_archive.extract.spip_nav import find_keywords, find_section_path, find_translations
from article_archive.extract.spip_notes import (
    extract_footnotes,
    note_calls,
    point_calls_at_numbers,
)
from article_archive.extract.spip_parts import (
    build_toc,
    clean_body,
    clean_text,
    leading_media,
    text_of,
)
from article_archive.models import Article, Footnote
from article_archive.spip_urls import ARTICLE_LOGO, ENCODED_ARTICLE, ID_ARTICLE_PARAM, article_id

EXTRACTOR = "spip/2"

_CRAYON = re.compile(r"\b(article|rubrique|breve|mot|auteur|forum|site)-(\w+)-(\d+)\b")


def is_spip(tree: etree._Element, headers: dict | None = None) -> bool:
    """Whether a parsed page comes from a SPIP site (generator, headers, SPIP markup)."""
    for name, value in (headers or {}).items():
        if name.lower() in ("composed-by", "x-spip-cache") and (
            name.lower() == "x-spip-cache" or "spip" in value.lower()
        ):
            return True
    for meta in tree.iter("meta"):
        if meta.get("name") in ("generator", "Generator"):
            content = meta.get("content")
            if content is not None and content.strip().lower().startswith("spip"):
                return True
    probes = (
        "//a[contains(@href, 'spip.php')]",
        "//link[contains(@href, 'spip.php') or contains(@href, 'squelettes')]",
        "//*[contains(@class, 'spip_note') or contains(@class, 'spip_in')"
        " or contains(@class, 'spip_out') or contains(@class, 'spip_logo')]",
        "//*[contains(@class, 'crayon ') and contains(@class, '-titre-')]",
        "//img[contains(@src, 'local/cache-')] | //script[contains(@src, 'local/cache-')]",
    )
    return any(tree.xpath(probe) for probe in probes)


def _crayon_blocks(index: PageIndex, field: str) -> list[tuple[int, etree._Element]]:
    """Elements with the crayons class ``article-<field>-N``, with their N."""
    return index.crayons.get(field, [])


def _pick(blocks: list[tuple[int, etree._Element]], spip_id: int | None) -> tuple | None:
    """The crayons block of the article ``spip_id`` (sidebars show others), else the first."""
    if spip_id is not None:
        return next(((n, el) for n, el in blocks if n == spip_id), None)
    return blocks[0] if blocks else None


def _is_other_object(el: etree._Element) -> bool:
    """A texte block that belongs to a rubric, a brève, a keyword… (crayons class)."""
    return any(m.group(1) != "article" for m in _CRAYON.finditer(el.get("class", "")))


def _find_texte(tree, index: PageIndex, spip_id: int | None) -> tuple[int | None, Any]:
    """The article's texte block (crayons, then ``.texte``, then ``.entry-content``)."""
    picked = _pick(_crayon_blocks(index, "texte"), spip_id)
    if picked:
        return picked
    body = tree.find("body")
    body_class = (body.get("class") or "") if body is not None else ""
    match = re.search(r"\bpage_(\w+)", body_class)
    if match and match.group(1) != "article":
        raise ExtractionError(f"not an article page (body class page_{match.group(1)})")
    for el in index.cls("texte") + index.cls("entry-content"):
        if not _is_other_object(el) and el.tag in ("div", "section", "article"):
            return None, el
    raise ExtractionError("no SPIP article texte on the page")


def _id_from_links(tree: etree._Element) -> int | None:
    """The article id from the forum form, per-article links or the logo file name."""
    for value in tree.xpath("//input[@name='id_article']/@value"):
        if value.strip().isdigit():
            return int(value)
    for href in tree.xpath("//a[contains(@href, 'id_article=')]/@href"):
        if "forum" in href or "imprim" in href or "epub" in href or "print" in href:
            match = ID_ARTICLE_PARAM.search(href)
            if match:
                return int(match.group(1))
    for href in tree.xpath("//a[contains(@href, 'spip.php%3Farticle')]/@href"):
        match = ENCODED_ARTICLE.search(href)
        if match:
            return int(match.group(1))
    for src in tree.xpath("//meta[@property='og:image']/@content | //img/@src"):
        match = ARTICLE_LOGO.search(src)
        if match:
            return int(match.group(1))
    return None


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    """The nearest element holding both ``a`` and ``b``."""
    chain = {id(a): a, **{id(x): x for x in a.iterancestors()}}
    for x in (b, *b.iterancestors()):
        if id(x) in chain:
            return x
    return b


def _title_element(index: PageIndex, spip_id, texte) -> etree._Element | None:
    """The element showing the article title, searched from the most specific hook."""
    picked = _pick(_crayon_blocks(index, "titre"), spip_id)
    if picked:
        return picked[1]
    titles = index.cls("entry-title")
    for el in titles:
        if el.tag in ("h1", "h2"):
            return el
    if titles:
        return titles[0]
    for block in index.cls("cartouche", "hentry"):
        h1 = block.find(".//h1")
        if h1 is not None:
            return h1
    # themed pages: the heading nearest before the texte (regards.fr's title is an h2)
    preceding = texte.xpath("preceding::*[self::h1 or self::h2][1]")
    return preceding[0] if preceding else None


def _title_text(title_el: etree._Element) -> str:
    """The title as the page shows it."""
    return clean_text(text_of(title_el))


def _head_iter(tree: etree._Element, tag: str):
    """The ``tag`` elements of the page's head (the whole page when it has no head)."""
    head = tree.find("head")
    return (head if head is not None else tree).iter(tag)


def _title_from_head(metas: dict, tree: etree._Element) -> str:
    """The title from og:title / DC.title, else <title> without the site name."""
    for key in ("og:title", "dc.title", "twitter:title"):
        if metas.get(key):
            return clean_text(metas[key])
    title = clean_text(" ".join(tree.xpath("//title//text()")))
    for sep in (" - ", " | ", " – ", " — "):
        if sep in title:
            return title.rsplit(sep, 1)[0].strip()
    return title


def _first_block(index: PageIndex, spip_id, field: str, *class_names: str, scope=None):
    """The crayons block ``article-<field>-N``, else the first element with one of the classes."""
    picked = _pick(_crayon_blocks(index, field), spip_id)
    if picked:
        return picked[1]
    found = index.cls(*class_names, within=scope)
    return found[0] if found else None


def _text_or_none(el: etree._Element | None) -> str | None:
    """Plain text of an optional block, None when empty."""
    if el is None:
        return None
    return html_to_text(el) or None


def _canonical_url(tree, metas: dict, url: str | None, base: str | None) -> str:
    """The canonical link, else og:url, else the address the page was fetched from."""
    for link in _head_iter(tree, "link"):
        href = (link.get("href") or "").strip()
        if link.get("rel") == "canonical" and href:
            return join_url(base, href)
    if metas.get("og:url"):
        return join_url(base, metas["og:url"])
    if url:
        return url
    raise ExtractionError("no URL for the page (give the page's address)")


def _postscript(index: PageIndex, spip_id, region) -> str | None:
    """The P.-S. text, without its label heading (2.0's "P.-S.", themes' own)."""
    ps = _first_block(index, spip_id, "ps", "ps", scope=region)
    if ps is None:
        return None
    text = html_to_text(ps)
    first = next((c for c in ps if isinstance(c.tag, str)), None)
    if first is not None and first.tag in ("h2", "h3", "h4") and not (ps.text or "").strip():
        label = clean_text(text_of(first))
        if text.startswith(label):
            text = text[len(label) :].lstrip()
    return text or None


def extract_spip(tree: etree._Element, url: str | None, *, metadata: dict | None = None) -> Article:
    """Extract the article of a SPIP page; raise ExtractionError when it is not one.

    The tree is consumed: its texte is cleaned in place and serialized (parse the page again
    to extract it twice).
    """
    rows = metadata.meta_rows() if isinstance(metadata, LazyMetadata) else None
    metas = head_metas(tree, rows)
    index = PageIndex(tree)
    base_href = [b.get("href") for b in _head_iter(tree, "base") if b.get("href")]
    base = join_url(url, base_href[0].strip()) if base_href else url
    page_url = _canonical_url(tree, metas, url, base)
    spip_id = article_id(url) or article_id(page_url)
    crayon_id, texte = _find_texte(tree, index, spip_id)
    spip_id = spip_id or crayon_id
    title_el = _title_element(index, spip_id, texte)
    title = _title_text(title_el) if title_el is not None else _title_from_head(metas, tree)
    if not title:
        raise ExtractionError("no article title on the page")
    region = _common_ancestor(title_el, texte) if title_el is not None else texte.getparent()
    if spip_id is None:
        crayon = _pick(_crayon_blocks(index, "titre"), None)
        spip_id = crayon[0] if crayon else _id_from_links(tree)

    chapo = _first_block(index, spip_id, "chapo", "chapo", "cap", "chapeau", scope=region)
    meta = metadata if metadata is not None else {}
    lang = page_lang(texte, metas, meta)
    section_path = find_section_path(index, region, title_el, title, base, page_url)
    published, written, updated = find_dates(index, region, texte, metas, meta)
    fields = {
        "surtitle": _text_or_none(
            _first_block(index, spip_id, "surtitre", "surtitre", "surtitle", scope=region)
        ),
        "subtitle": _text_or_none(
            _first_block(index, spip_id, "soustitre", "soustitre", "subtitle", scope=region)
        ),
        "authors": find_authors(index, region, texte, metas, meta, base),
        "lead": _text_or_none(chapo),
        "postscript": _postscript(index, spip_id, region),
        "keywords": find_keywords(tree, index, region, texte, metas, meta),
        "translations": find_translations(tree, index, region, lang, base),
    }
    # the texte is cleaned in place, so it comes after every field read from the page
    body = clean_body(texte)
    toc = build_toc(body)
    notes = extract_footnotes(index, note_calls(chapo, body))
    point_calls_at_numbers(body, {note_id: number for note_id, number, _, _ in notes})
    body_text = html_to_text(body, skip=leading_media(body))
    body_html, *notes_html = sanitize_elements([body, *(note for *_, note in notes)], base)
    footnotes = [
        Footnote(number=number, text=text, html=html)
        for (_, number, text, _), html in zip(notes, notes_html, strict=True)
    ]
    return Article(
        url=page_url,
        site=(urlsplit(page_url).hostname or ""),
        title=title,
        body_html=body_html,
        body_text=body_text,
        spip_id=spip_id,
        lang=lang,
        section=section_path[-1] if section_path else meta.get("section"),
        section_path=section_path,
        published=published,
        written=written,
        updated=updated,
        toc=toc,
        footnotes=footnotes,
        word_count=word_count(body_text),
        extractor=EXTRACTOR,
        **fields,
    )
