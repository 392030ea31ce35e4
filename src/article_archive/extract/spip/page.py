"""One SPIP article page as the finders see it: ``SpipPage``, read once from the parsed tree.

``read_page`` locates what every finder starts from: the head's metas, the page index, the
base and canonical addresses, the article id, its texte block and title, and the *region* (the
nearest block holding both: the article's cartouche, without menus or sidebars). Each finder of
``dates``, ``authors``, ``nav`` and ``notes`` then takes this one record. A page without an
article texte (home page, rubric listing, plan, 404) raises ``ExtractionError``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from article_archive.errors import ExtractionError
from article_archive.extract.chrome import PageChrome
from article_archive.extract.html import join_url
from article_archive.extract.metadata import LazyMetadata, MetaRow, meta_rows
from article_archive.extract.spip.index import PageIndex
from article_archive.extract.spip.locate import is_other_object, texte_by_marks, texte_by_name
from article_archive.extract.spip.texte import clean_text, text_of
from article_archive.spip_urls import ARTICLE_LOGO, ENCODED_ARTICLE, ID_ARTICLE_PARAM, article_id

_LANG_ATTRIBUTES = ("lang", "{http://www.w3.org/XML/1998/namespace}lang")

CrayonBlocks = list[tuple[int, etree._Element]]


@dataclass(frozen=True, eq=False, slots=True)
class SpipPage:
    """A parsed SPIP article page and the landmarks every finder starts from.

    ``url`` is the address the page was fetched from, ``page_url`` its canonical address and
    ``base`` what its relative links resolve against. ``metas`` are the head's metas by
    lower-cased name (``head_metas``); ``meta`` is the page's metadata (``page_metadata``,
    lazily computed: ``LazyMetadata``). ``region`` is the block holding the title and the
    texte. The tree belongs to the extractor: the texte is cleaned in place, last.
    """

    tree: etree._Element
    url: str | None
    page_url: str
    base: str | None
    index: PageIndex
    metas: dict[str, str]
    meta: Mapping[str, Any]
    spip_id: int | None
    texte: etree._Element
    title_el: etree._Element | None
    title: str
    region: etree._Element
    lang: str | None
    # the site's learned template on this page (extract.chrome), when the caller knows it
    chrome: PageChrome | None = None

    def block(self, field: str, *class_names: str) -> etree._Element | None:
        """The crayons block ``article-<field>-N`` of this article, else the first element of
        the region with one of the classes."""
        picked = pick_crayon(self.index.crayons.get(field, []), self.spip_id)
        if picked:
            return picked[1]
        found = self.index.cls(*class_names, within=self.region)
        return found[0] if found else None


def pick_crayon(blocks: CrayonBlocks, spip_id: int | None) -> tuple[int, etree._Element] | None:
    """The crayons block of the article ``spip_id`` (sidebars show others), else the first."""
    if spip_id is not None:
        return next(((n, el) for n, el in blocks if n == spip_id), None)
    return blocks[0] if blocks else None


def head_metas(tree: etree._Element, rows: list[MetaRow] | None = None) -> dict[str, str]:
    """The page's metas by lower-cased name or property (first one wins; ``DC:x`` as ``dc.x``).

    ``rows`` are the page's ``metadata.meta_rows`` when the caller has them.
    """
    metas: dict[str, str] = {}
    for content, name, prop, itemprop, _ in meta_rows(tree) if rows is None else rows:
        key = prop or name or itemprop
        if key and content is not None:
            key = key.strip().lower().replace("dc:", "dc.")
            metas.setdefault(key, content.strip())
    return metas


def lang_code(value: str | None) -> str | None:
    """``fr``, ``en``… from ``fr-FR``, ``fr_FR`` or ``FR``."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def _page_lang(texte: etree._Element, metas: dict[str, str], meta: Mapping) -> str | None:
    """The article's language: the nearest lang attribute of its texte, then the metas."""
    for el in (texte, *texte.iterancestors()):
        code = lang_code(el.get(_LANG_ATTRIBUTES[0]) or el.get(_LANG_ATTRIBUTES[1]))
        if code:
            return code
    for value in (metas.get("dc.language"), metas.get("og:locale"), meta.get("lang")):
        code = lang_code(value)
        if code:
            return code
    return None


def head_iter(tree: etree._Element, tag: str) -> Iterator[etree._Element]:
    """The ``tag`` elements of the page's head (the whole page when it has no head)."""
    head = tree.find("head")
    return (head if head is not None else tree).iter(tag)


def _find_texte(
    tree: etree._Element, index: PageIndex, spip_id: int | None
) -> tuple[int | None, etree._Element]:
    """The article's texte block: crayons, ``.texte``, ``.entry-content``, then the block that
    holds the engine's marks (``locate``), then a block named texte otherwise."""
    picked = pick_crayon(index.crayons.get("texte", []), spip_id)
    if picked:
        return picked
    body = tree.find("body")
    body_class = (body.get("class") or "") if body is not None else ""
    match = re.search(r"\bpage_(\w+)", body_class)
    if match and match.group(1) != "article":
        raise ExtractionError(f"not an article page (body class page_{match.group(1)})")
    for el in index.cls("texte") + index.cls("entry-content"):
        if not is_other_object(el) and el.tag in ("div", "section", "article"):
            return None, el
    found = texte_by_marks(tree, index)
    if found is None:
        found = texte_by_name(tree, index)
    if found is not None:
        return None, found
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


_SLUG_WORDS = re.compile(r"[\W_]+")
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o"})
# Elements a theme may show the article's title in, when no heading or crayon says so.
_TITLE_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "div", "p", "span", "strong", "b", "em", "td")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def _words(text: str) -> list[str]:
    """The words of a text as SPIP spells them in a URL: no accents, no case, no punctuation."""
    plain = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return [w for w in _SLUG_WORDS.split(plain.casefold()) if w]


def url_slug(url: str | None) -> list[str]:
    """The words of the article's title that its address spells (propres, arbo… URL modes).

    SPIP's readable URLs are the title transliterated and cut on a word (``Le-titre-de-l-
    article``), with ``-2`` after a name already taken. Empty for ``spip.php?article12``,
    ``article12.html`` and the addresses of rubrics, authors, keywords…
    """
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    last = unquote(parts.path.rsplit("/", 1)[-1]).removesuffix(".html")
    if not last or last[0] in "-_+@" or "." in last or article_id(url) is not None:
        return []
    words = _words(last)
    return words if len(words) >= 2 else []


def _spelled_by(slug: list[str], text: str) -> bool:
    """Whether ``text`` is the title the address ``slug`` spells (cut short, maybe numbered)."""
    words = _words(text)
    if words[: len(slug)] == slug:
        return True
    return slug[-1].isdigit() and len(slug) > 2 and words[: len(slug) - 1] == slug[:-1]


def _spelled_title(
    tree: etree._Element, texte: etree._Element, slug: list[str]
) -> etree._Element | None:
    """The element outside the texte whose text the address spells, headings first, else the
    shortest (a sidebar's teaser may start with the same words)."""
    body = tree.find("body")
    inside = set(texte.iter())
    best: tuple[int, int, etree._Element] | None = None
    for el in (body if body is not None else tree).iter(*_TITLE_TAGS):
        if el in inside or len(el) > 3:
            continue
        links = el.findall(".//a")
        if links and (el.tag not in _HEADINGS or len(links) > 1):
            continue
        text = clean_text(text_of(el))
        if not 3 <= len(text) <= 300 or not _spelled_by(slug, text):
            continue
        rank = (0 if el.tag in _HEADINGS else 1, len(text))
        if best is None or rank < best[:2]:
            best = (*rank, el)
    return best[2] if best is not None else None


def _title_element(
    tree: etree._Element,
    index: PageIndex,
    spip_id: int | None,
    texte: etree._Element,
    urls: tuple[str | None, ...],
) -> etree._Element | None:
    """The element showing the article title, searched from the most specific hook.

    Without one, the heading nearest before the texte, unless the page's address (``urls``:
    canonical, then fetched) spells another title: then the element the address spells (a
    theme that prints the title in a sidebar, or after the texte).
    """
    picked = pick_crayon(index.crayons.get("titre", []), spip_id)
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
    heading = preceding[0] if preceding else None
    slug = next((words for words in map(url_slug, urls) if words), [])
    if not slug or (heading is not None and _spelled_by(slug, clean_text(text_of(heading)))):
        return heading
    spelled = _spelled_title(tree, texte, slug)
    return spelled if spelled is not None else heading


def _title_from_head(metas: dict[str, str], tree: etree._Element) -> str:
    """The title from og:title / DC.title, else <title> without the site name."""
    for key in ("og:title", "dc.title", "twitter:title"):
        if metas.get(key):
            return clean_text(metas[key])
    title = clean_text(" ".join(tree.xpath("//title//text()")))
    for sep in (" - ", " | ", " – ", " — "):
        if sep in title:
            return title.rsplit(sep, 1)[0].strip()
    return title


def _canonical_url(
    tree: etree._Element, metas: dict[str, str], url: str | None, base: str | None
) -> str:
    """The canonical link, else og:url, else the address the page was fetched from.

    An address naming article 0 names none (a theme printing ``#ID_ARTICLE`` outside its
    loop): it is passed over.
    """
    hrefs = [link.get("href") for link in head_iter(tree, "link") if link.get("rel") == "canonical"]
    for href in [*hrefs, metas.get("og:url")]:
        address = join_url(base, href.strip()) if href and href.strip() else ""
        if address and article_id(address) != 0:
            return address
    if url:
        return url
    raise ExtractionError("no URL for the page (give the page's address)")


def read_page(
    tree: etree._Element,
    url: str | None,
    metadata: Mapping[str, Any] | None = None,
    chrome: PageChrome | None = None,
) -> SpipPage:
    """The landmarks of a SPIP article page; ExtractionError when it holds no article.

    ``metadata`` is the page's ``page_metadata`` (a ``LazyMetadata`` computes only what the
    finders ask for, and shares its meta rows with ``head_metas``).
    """
    rows = metadata.meta_rows() if isinstance(metadata, LazyMetadata) else None
    meta = metadata if metadata is not None else {}
    metas = head_metas(tree, rows)
    index = PageIndex(tree)
    base_href = [b.get("href") for b in head_iter(tree, "base") if b.get("href")]
    base = (join_url(url, base_href[0].strip()) or url) if base_href else url
    page_url = _canonical_url(tree, metas, url, base)
    try:
        urlsplit(page_url)
    except ValueError:
        raise ExtractionError(f"not a web address: {page_url[:200]!r}") from None
    spip_id = article_id(url) or article_id(page_url)
    crayon_id, texte = _find_texte(tree, index, spip_id)
    if chrome:
        chrome.keep(texte)
    spip_id = spip_id or crayon_id
    title_el = _title_element(tree, index, spip_id, texte, (page_url, url))
    title = clean_text(text_of(title_el)) if title_el is not None else _title_from_head(metas, tree)
    if not title:
        raise ExtractionError("no article title on the page")
    region = _common_ancestor(title_el, texte) if title_el is not None else texte.getparent()
    if spip_id is None:
        crayon = pick_crayon(index.crayons.get("titre", []), None)
        spip_id = crayon[0] if crayon else _id_from_links(tree)
    return SpipPage(
        tree=tree,
        url=url,
        page_url=page_url,
        base=base,
        index=index,
        metas=metas,
        meta=meta,
        spip_id=spip_id,
        texte=texte,
        title_el=title_el,
        title=title,
        region=region,
        lang=_page_lang(texte, metas, meta),
        chrome=chrome,
    )
