"""What a SPIP page's navigation says about its article: rubrics, keywords, translations.

The section path comes from the breadcrumb (``p.arbo``, ``#hierarchie``…), else from a block
that reads as one whatever its classes (rubric links, by their URL shapes, joined by ">" or
after a label: ``trails.find_trail``), else from a rubric link by the title, else from the
rubric path of an ``arbo`` URL; never the site's name. Keywords from a "Mots-clés" block or
keyword links (``rel=tag``, ``a.mots``, keyword URLs) around the article; translations from
``p.traductions`` and ``link rel=alternate hreflang``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

from article_archive.extract.html import join_url
from article_archive.extract.spip.index import BREADCRUMB_CLASSES, off_topic
from article_archive.extract.spip.page import SpipPage, head_iter, lang_code
from article_archive.extract.spip.texte import clean_text, text_of
from article_archive.extract.spip.trails import (
    CRUMB_MARKS,
    HOME_WORDS,
    WORD,
    find_trail,
    is_home_link,
    joined,
)
from article_archive.models import Translation
from article_archive.spip_urls import is_rubric_url


@lru_cache(maxsize=4096)
def _path_of(url: str) -> str:
    """The path of an address (a site's breadcrumbs repeat from page to page)."""
    return urlsplit(url).path


def _head_title(tree: etree._Element) -> str:
    """The text of the head's ``<title>`` (a walk of the head: ``find`` parses a path)."""
    for child in tree:
        if child.tag == "head":
            title = next((el for el in child if el.tag == "title"), None)
            return (title.text or "") if title is not None else ""
    return ""


def _is_site_name(name: str, page: SpipPage, head_title: str) -> bool:
    """Whether a rubric name is the site's name as the head gives it: ``og:site_name``, else
    what follows the article's own title in the ``<title>`` (SPIP's dist prints "Title -
    Site")."""
    site = page.metas.get("og:site_name")
    if site:
        return name.casefold() == site.casefold()
    if not head_title.endswith(name):
        return False
    first = head_title[: -len(name)].rstrip()
    return any(first == page.title + sep for sep in (" -", " |", " –", " —"))


def _crumbs(block: etree._Element, title: str, base: str | None) -> list[str]:
    """Rubric names of one breadcrumb block, without home and the article itself."""
    names = []
    for a in block.iter("a"):
        href = (a.get("href") or "").strip()
        text = clean_text(text_of(a)).strip(CRUMB_MARKS)
        if not href or href.startswith(("#", "javascript:")) or not WORD.search(text):
            continue
        url = joined(base, href)
        if url is None or _path_of(url) in ("", "/") or text.lower() in HOME_WORDS or text == title:
            continue
        if is_home_link(a, url):
            continue
        if text not in names:
            names.append(text)
    return names


def _rubric_link(page: SpipPage) -> list[str]:
    """A rubric link shown before the title in the article's cartouche."""
    if page.title_el is None:
        return []
    for el in page.region.iter():
        if el is page.title_el:
            break
        href = el.get("href") if el.tag == "a" else None
        if (
            href
            and is_rubric_url(joined(page.base, href))
            and not off_topic(el, page.region, page.index)
        ):
            name = clean_text(text_of(el))
            if name:
                return [name]
    return []


def _arbo_rubrics(page: SpipPage) -> list[str]:
    """The rubrics named in an ``arbo`` URL (``/rub/sous-rub/article/slug``), by their links.

    Themed pages without a breadcrumb (regards.fr) still link every rubric from their menus,
    and an arbo address spells the article's rubric path: the links to those paths give the
    rubrics' names (a slug alone cannot be turned back into a name with its accents).
    """
    base = page.base
    parts = urlsplit(page.page_url)
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < 3 or segments[-2] != "article":
        return []
    wanted = {"/" + "/".join(segments[:n]): n for n in range(1, len(segments) - 1)}
    # a link to one of those paths holds its last segment: most links are spared the URL work
    slugs = tuple({segments[n - 1] for n in wanted.values()})
    names: dict[int, str] = {}
    for a in page.tree.iter("a"):
        href = (a.get("href") or "").strip()
        if not any(slug in href for slug in slugs):
            continue
        if href.startswith(("#", "javascript:", "mailto:")):
            continue
        url = joined(base, href)
        if url is None:
            continue
        target = urlsplit(url)
        depth = wanted.get(target.path.rstrip("/"))
        if depth is None or depth in names or target.hostname != parts.hostname:
            continue
        name = clean_text(text_of(a)).strip(CRUMB_MARKS)
        if name and len(name) <= 80 and name.lower() not in HOME_WORDS:
            names[depth] = name
    if len(segments) - 2 not in names:  # the article's own rubric must be among them
        return []
    return [names[depth] for depth in sorted(names)]


def _without_repeats(names: list[str], page: SpipPage) -> list[str]:
    """A path without consecutive duplicates (a theme repeating the rubric's name), and
    without the site's name (a breadcrumb's home link written with it)."""
    if names:
        head_title = "" if page.metas.get("og:site_name") else clean_text(_head_title(page.tree))
        names = [name for name in names if not _is_site_name(name, page, head_title)]
    return [name for n, name in enumerate(names) if n == 0 or name != names[n - 1]]


def find_section_path(page: SpipPage) -> list[str]:
    """The rubrics from the top down: the breadcrumb (by its classes, else by its links' URL
    shapes), a rubric link by the title, the rubric path of an ``arbo`` URL."""
    index = page.index
    blocks = [el for el in map(index.by_id, ("hierarchie", "ariane")) if el is not None]
    for block in blocks + index.cls(*BREADCRUMB_CLASSES):
        names = _crumbs(block, page.title, page.base)
        if names:
            return _without_repeats(names, page)
    names = find_trail(page) or _rubric_link(page) or _arbo_rubrics(page)
    return _without_repeats(names, page)


_KEYWORD_URL = re.compile(
    r"(spip\.php\?mot\d+|[?&]id_mot=\d+|(^|/)mot\d+\.html|\+-[^/]+-\+(\.html)?$|"
    r"(^|/)(mot|mots|tag|tags|mot-cle|mots-cles)/[^/]+/?$)"
)
_LABELS = ("Mots-cl", "Mots cl", "Mots-Cl", "Keywords", "Tags", "Étiquettes", "Thèmes")


def _is_keyword_link(a: etree._Element) -> bool:
    """A link to a SPIP keyword page (rel=tag, a.mots, or a keyword URL).

    ``rel="category tag"`` is a rubric (the WordPress convention themes copy), and so is a
    ``rel=tag`` link to a rubric URL; a keyword URL may carry a query (``+-Climat-+?lang=en``).
    """
    href = a.get("href")
    rel = a.get("rel")
    if rel and "tag" in rel:
        words = rel.split()
        if "tag" in words:
            return "category" not in words and not (href and is_rubric_url(href))
    marks = a.get("class")
    if marks and "mots" in marks.split():
        return True
    # every alternative of _KEYWORD_URL holds one of these: most links are spared the regex
    if not href or ("mot" not in href and "tag" not in href and "+" not in href):
        return False
    if _KEYWORD_URL.search(href):
        return True
    return ("?" in href or "#" in href) and bool(_KEYWORD_URL.search(_bare(href)))


def _bare(href: str) -> str:
    """An address without its query and fragment."""
    return href.split("#", 1)[0].split("?", 1)[0]


def _labelled_blocks(tree: etree._Element) -> list[etree._Element]:
    """Blocks introduced by a "Mots-clés" label: their nearest container with keyword links."""
    blocks = []
    body = tree.find("body")
    for label in (body if body is not None else tree).iter("h2", "h3", "h4", "span"):
        text = label.text
        if not text or not text.lstrip().startswith(_LABELS):
            continue
        for anc in label.iterancestors():
            if any(_is_keyword_link(a) for a in anc.iter("a")):
                blocks.append(anc)
                break
    return blocks


def _links_around(region: etree._Element, texte: etree._Element) -> list[etree._Element]:
    """The links of ``region`` outside ``texte``, in page order, without walking the texte.

    (A loop over a stack rather than a recursive inner function: such a function is a
    reference cycle, which would keep the page's tree alive until the garbage collector runs.)
    """
    if region is texte:
        return []
    path = set(texte.iterancestors())  # the blocks that hold the texte
    if region not in path:
        return list(region.iter("a"))
    links: list[etree._Element] = []
    stack = [iter(region)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
        elif child in path:
            stack.append(iter(child))
        elif child is not texte:
            links.extend(child.iter("a"))
    return links


def _page_keyword_links(page: SpipPage) -> list[etree._Element]:
    """Keyword links anywhere outside the texte, menus and the site's chrome.

    Only with a learned template: once the site's tag clouds and keyword menus are known, a
    keyword block that the theme put away from the title (outside the region) is the
    article's own.
    """
    chrome, index = page.chrome, page.index
    if not chrome:
        return []
    body = page.tree.find("body")
    return [
        a
        for a in (body if body is not None else page.tree).iter("a")
        if _is_keyword_link(a)
        and not index.inside(a, page.texte)
        and not off_topic(a, None, index)
        and not chrome.holds(a)
    ]


def _meta_keywords(page: SpipPage) -> list[str]:
    """``article:tag`` metas, else ``meta keywords`` unless it is the site's own list."""
    tags = [
        content
        for el in page.tree.iter("meta")
        if el.get("property") == "article:tag" and (content := el.get("content")) is not None
    ]
    content = page.metas.get("keywords") or ""
    if not tags and content and page.chrome and page.chrome.meta_keywords_are_chrome(content):
        return []  # the page's metadata would only say the same list again
    words = [clean_text(w) for w in (tags or content.split(","))]
    return words if any(words) else list(page.meta.get("keywords") or [])


def find_keywords(page: SpipPage) -> list[str]:
    """The article's keywords in page order, without duplicates, none from the site's chrome."""
    tree, index, region, chrome = page.tree, page.index, page.region, page.chrome
    labelled = [a for block in _labelled_blocks(tree) for a in block.iter("a")]
    # keyword links around the title and texte (a theme's mots shown in the cartouche) come
    # first, then those of the "Mots-clés" blocks
    links = [
        a
        for a in _links_around(region, page.texte)
        if _is_keyword_link(a) and not off_topic(a, region, index)
    ]
    links += [a for a in labelled if _is_keyword_link(a)]
    if chrome:
        links = [a for a in links if not chrome.holds(a)] or _page_keyword_links(page)
    words = [clean_text(text_of(a)) for a in links]
    if not words:
        words = _meta_keywords(page)
    return list(dict.fromkeys(w for w in words if w))


def find_translations(page: SpipPage) -> list[Translation]:
    """Other-language versions: ``p.traductions`` links, else ``link rel=alternate hreflang``."""
    found: dict[str, Translation] = {}
    nodes = [a for block in page.index.cls("traductions") for a in block.iter("a")]
    nodes += [a for a in page.region.iter("a") if "alternate" in (a.get("rel") or "")]
    nodes += list(head_iter(page.tree, "link"))
    for el in nodes:
        if not el.get("hreflang") or (el.tag == "link" and "alternate" not in el.get("rel", "")):
            continue
        code = (el.get("hreflang") or "").strip().lower()
        href = (el.get("href") or "").strip()
        if not href or code in ("", "x-default") or lang_code(code) == page.lang:
            continue
        url = join_url(page.base, href)
        if url and url not in found:
            found[url] = Translation(lang=code, url=url)
    return list(found.values())
