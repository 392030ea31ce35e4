"""SPIP article metadata: dates, authors, section, keywords, translations, language.

Each finder looks in the article's own region of the page first (the cartouche around the
title and the texte), never in menus, sidebars listing other articles, or the forum, then falls
back on the head's metas and on ``metadata`` (``extract.metadata.page_metadata``).
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from article_archive.extract.dates import find_date, parse_date
from article_archive.extract.spip_parts import PageIndex, classes, clean_text, inside
from article_archive.models import Author, Translation

# Class or id fragments of blocks that hold other articles, comments or navigation.
_OFF_TOPIC = re.compile(
    r"forum|comment|repondre|reagir|aside|sidebar|related|connexe|menu|plus_lus|lus_ref|"
    r"navigation|nav|footer|pied|liste|breves|agenda|extra",
    re.IGNORECASE,
)


def head_metas(tree: etree._Element) -> dict[str, str]:
    """The head's metas by lower-cased name or property (first one wins; ``DC:x`` as ``dc.x``)."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        content = meta.get("content")
        if key and content is not None:
            key = key.strip().lower().replace("dc:", "dc.")
            metas.setdefault(key, content.strip())
    return metas


def off_topic(el: etree._Element, stop: etree._Element | None = None) -> bool:
    """Whether an element sits in a forum, menu, sidebar or list of other articles."""
    for anc in (el, *el.iterancestors()):
        if anc is stop:
            return False
        if anc.tag in ("nav", "aside", "footer"):
            return True
        marks = (anc.get("class") or "") + " " + (anc.get("id") or "")
        if marks.strip() and _OFF_TOPIC.search(marks):
            return True
    return False


def _lang_code(value: str | None) -> str | None:
    """``fr``, ``en``… from ``fr-FR``, ``fr_FR`` or ``FR``."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def page_lang(texte: etree._Element, metas: dict, meta: dict) -> str | None:
    """The article's language: the nearest lang attribute of its texte, then the metas."""
    for el in (texte, *texte.iterancestors()):
        code = _lang_code(el.get("lang") or el.get("{http://www.w3.org/XML/1998/namespace}lang"))
        if code:
            return code
    for value in (metas.get("dc.language"), metas.get("og:locale"), meta.get("lang")):
        code = _lang_code(value)
        if code:
            return code
    return None


# ---------------------------------------------------------------------------------- dates

_WRITTEN = re.compile(
    r"r[ée]daction ant[ée]rieure|first published|date of first publication", re.IGNORECASE
)
_UPDATED = re.compile(r"mis à jour|mise à jour|updated|dernière modification", re.IGNORECASE)
_DATE_BLOCKS = (
    "info-publi",
    "published",
    "publication",
    "date",
    "dates_auteurs",
    "-meta",
    "signature",
    "info",
    "meta",
    "datepub",
    "postmeta",
)


def _line_texts(index: PageIndex, region, texte) -> list[str]:
    """Texts of the date/byline blocks of the cartouche and the texte's first paragraphs."""
    texts = [
        clean_text(el.text_content())
        for el in index.cls(*_DATE_BLOCKS, within=region)
        if not inside(el, texte) and not off_topic(el, region)
    ]
    for n, p in enumerate(texte.iter("p")):
        if n == 3:  # "Article mis à jour le …" opens the texte when a site writes it there
            break
        texts.append(clean_text(p.text_content()))
    return texts


def _date_after(texts: list[str], label: re.Pattern) -> str | None:
    """The first date written after ``label`` in one of ``texts``."""
    for text in texts:
        match = label.search(text)
        if match:
            found = find_date(text[match.end() :])
            if found and found[1] < 40:
                return found[0]
    return None


def _iso_attr(region, tag: str, wanted: set[str] | None, unwanted: set[str]) -> str | None:
    """A date from the first ``tag`` (with one of the ``wanted`` classes) outside the forum."""
    for el in region.iter(tag):
        marks = classes(el)
        if (wanted is not None and wanted.isdisjoint(marks)) or not unwanted.isdisjoint(marks):
            continue
        if not off_topic(el, region):
            value = parse_date(el.get("title") or el.get("datetime") or "")
            if value:
                return value
    return None


def _published_abbr(index: PageIndex, region) -> str | None:
    """``abbr.published[title]``, trusting the visible day when the UTC title shifts it."""
    for el in index.cls("published", within=region):
        if el.tag != "abbr" or not el.get("title") or off_topic(el, region):
            continue
        iso = parse_date(el.get("title", ""))
        shown = parse_date(el.text_content())
        if iso and shown and not iso.startswith(shown[:10]):
            return shown  # dist writes local time converted to UTC: a midnight slips a day
        if iso or shown:
            return iso or shown
    return None


def _published_text(index: PageIndex, region, texte) -> str | None:
    """A date in the visible date line of the cartouche (``.info-publi``, ``.date``…)."""
    for el in index.cls(*_DATE_BLOCKS, within=region):
        if inside(el, texte) or off_topic(el, region):
            continue
        text = clean_text(el.text_content())
        cut = _WRITTEN.search(text)
        if cut:
            text = text[: cut.start()]
        found = find_date(text)
        if found:
            return found[0]
    return None


def find_dates(index: PageIndex, region, texte, metas: dict, meta: dict) -> tuple:
    """(published, written, updated) as ISO text."""
    published = (
        _published_abbr(index, region)
        or _iso_attr(region, "time", None, {"updated", "modified"})
        or _first_meta_date(metas, "article:published_time", "dc.date", "dc.date.issued")
        or _first_meta_date(metas, "bepress_citation_date", "citation_publication_date", "date")
        or parse_date(meta.get("published") or "")
        or _published_text(index, region, texte)
    )
    lines = _line_texts(index, region, texte)
    written = _date_after(lines, _WRITTEN)
    updated = (
        _iso_attr(region, "abbr", {"modified", "updated"}, set())
        or _iso_attr(region, "time", {"modified", "updated"}, set())
        or _first_meta_date(metas, "article:modified_time", "og:updated_time", "dc.date.modified")
        or parse_date(meta.get("updated") or "")
        or _date_after(lines, _UPDATED)
    )
    return published, written, updated


def _first_meta_date(metas: dict, *keys: str) -> str | None:
    """The first of the head metas ``keys`` holding a full date."""
    for key in keys:
        value = parse_date(metas.get(key) or "")
        if value:
            return value
    return None


# -------------------------------------------------------------------------------- authors

_BY = re.compile(r"^\s*(?:par|by|de|por|von)\s+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\bet\b|\band\b|&)\s*")


def _vcard_authors(index: PageIndex, region, texte, base) -> list[Author]:
    """The ``.vcard`` authors of the article's byline (the first group of them)."""
    cards = [
        el
        for el in index.cls("vcard", within=region)
        if not inside(el, texte) and not off_topic(el, region)
    ]
    if not cards:
        return []
    parent = cards[0].getparent()
    authors = []
    for card in (c for c in cards if c.getparent() is parent):
        fn = [el for el in card.iter() if "fn" in classes(el)]
        name = clean_text((fn[0] if fn else card).text_content())
        links = [a.get("href") for a in card.iter("a") if a.get("href")]
        href = urljoin(base or "", links[0]) if links else None
        if name:
            authors.append(Author(name=name, url=href))
    return authors


def _split_names(text: str) -> list[str]:
    """Names from a byline text ("par A, B et C")."""
    text = _BY.sub("", clean_text(text))
    return [n for n in (clean_text(p) for p in _NAME_SPLIT.split(text)) if n]


def find_authors(index, region, texte, metas: dict, meta: dict, base) -> list[Author]:
    """The article's authors in page order, with their page's absolute URL when linked."""
    authors = _vcard_authors(index, region, texte, base)
    if authors:
        return authors
    for el in index.cls("auteurs", "authors", within=region):
        if not inside(el, texte) and not off_topic(el, region):
            names = _split_names(el.text_content())
            if names:
                return [Author(name=n) for n in names]
    for key in ("author", "article:author", "dc.creator"):
        if metas.get(key) and not metas[key].startswith("http"):
            return [Author(name=n) for n in _split_names(metas[key])]
    found = []
    for item in meta.get("authors") or []:
        if isinstance(item, dict) and item.get("name"):
            found.append(Author(name=item["name"], url=item.get("url")))
        elif isinstance(item, str) and item.strip():
            found.append(Author(name=item.strip()))
    return found


# ------------------------------------------------------------------- section and keywords

_HOME_WORDS = {"accueil", "home", "homepage", "page d'accueil", "inicio", "startseite"}
_BREADCRUMB_CLASSES = ("arbo", "hierarchie", "breadcrumb", "breadcrumbs", "ariane", "fil-ariane")
_CRUMB_MARKS = " \u00a0>»›|/\\-–•"
_RUBRIQUE_URL = re.compile(
    r"(spip\.php\?rubrique\d+|[?&]id_rubrique=\d+|(^|/)rubrique\d+\.html|(^|/)-[^/]+-(\.html)?$)"
)


def _crumbs(block: etree._Element, title: str, base: str | None) -> list[str]:
    """Rubric names of one breadcrumb block, without home and the article itself."""
    names = []
    for a in block.iter("a"):
        href = (a.get("href") or "").strip()
        text = clean_text(a.text_content()).strip(_CRUMB_MARKS)
        if not href or href.startswith(("#", "javascript:")) or not re.search(r"\w", text):
            continue
        path = urlsplit(urljoin(base or "", href)).path
        if path in ("", "/") or text.lower() in _HOME_WORDS or text == title:
            continue
        if text not in names:
            names.append(text)
    return names


def find_section_path(index: PageIndex, region, title_el, title: str, base) -> list[str]:
    """The rubrics from the top down: the breadcrumb, else a rubric link by the title."""
    blocks = [index.by_id[i] for i in ("hierarchie", "ariane") if i in index.by_id]
    for block in blocks + index.cls(*_BREADCRUMB_CLASSES):
        names = _crumbs(block, title, base)
        if names:
            return names
    if title_el is None:
        return []
    for el in region.iter():
        if el is title_el:
            break
        href = el.get("href") if el.tag == "a" else None
        if href and _RUBRIQUE_URL.search(href) and not off_topic(el, region):
            name = clean_text(el.text_content())
            if name:
                return [name]
    return []


_KEYWORD_URL = re.compile(
    r"(spip\.php\?mot\d+|[?&]id_mot=\d+|(^|/)mot\d+\.html|\+-[^/]+-\+(\.html)?$|"
    r"(^|/)(mot|mots|tag|tags|mot-cle|mots-cles)/[^/]+/?$)"
)
_LABELS = ("Mots-cl", "Mots cl", "Mots-Cl", "Keywords", "Tags", "Étiquettes", "Thèmes")


def _is_keyword_link(a: etree._Element) -> bool:
    """A link to a SPIP keyword page (rel=tag, a.mots, or a keyword URL)."""
    rel = (a.get("rel") or "").split()
    return "tag" in rel or "mots" in classes(a) or bool(_KEYWORD_URL.search(a.get("href") or ""))


def _labelled_blocks(tree) -> list[etree._Element]:
    """Blocks introduced by a "Mots-clés" label: their nearest container with keyword links."""
    blocks = []
    for label in tree.iter("h2", "h3", "h4", "span"):
        if not (label.text or "").lstrip().startswith(_LABELS):
            continue
        for anc in label.iterancestors():
            if any(_is_keyword_link(a) for a in anc.iter("a")):
                blocks.append(anc)
                break
    return blocks


def find_keywords(tree, index, region, texte, metas: dict, meta: dict) -> list[str]:
    """The article's keywords in page order, without duplicates."""
    links = [a for block in _labelled_blocks(tree) for a in block.iter("a")]
    if not links:
        links = [a for a in region.iter("a") if not inside(a, texte) and not off_topic(a, region)]
    words = [clean_text(a.text_content()) for a in links if _is_keyword_link(a)]
    if not words:
        tags = tree.xpath("//meta[@property='article:tag']/@content")
        words = tags or (metas.get("keywords") or "").split(",") or []
        words = [clean_text(w) for w in words]
        words = words if any(words) else list(meta.get("keywords") or [])
    return list(dict.fromkeys(w for w in words if w))


def find_translations(tree, index, region, lang, base: str | None) -> list[Translation]:
    """Other-language versions: ``p.traductions`` links, else ``link rel=alternate hreflang``."""
    found: dict[str, Translation] = {}
    nodes = [a for block in index.cls("traductions") for a in block.iter("a")]
    nodes += [a for a in region.iter("a") if "alternate" in (a.get("rel") or "")]
    head = tree.find("head")
    nodes += [el for el in (head if head is not None else tree).iter("link")]
    for el in nodes:
        if not el.get("hreflang") or (el.tag == "link" and "alternate" not in el.get("rel", "")):
            continue
        code = (el.get("hreflang") or "").strip().lower()
        href = (el.get("href") or "").strip()
        if not href or code in ("", "x-default") or _lang_code(code) == lang:
            continue
        url = urljoin(base or "", href)
        if url not in found:
            found[url] = Translation(lang=code, url=url)
    return list(found.values())
