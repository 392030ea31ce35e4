"""What a SPIP page's navigation says about its article: rubrics, keywords, translations.

The section path comes from the breadcrumb (``p.arbo``, ``#hierarchie``…), else from a block
that reads as one whatever its classes (rubric links, by their URL shapes, joined by ">" or
after a label: ``_trails``), else from a rubric link by the title, else from the rubric path of
an ``arbo`` URL; never the site's name. Keywords from a "Mots-clés"
block or keyword links (``rel=tag``, ``a.mots``, keyword URLs) around the article; translations
from ``p.traductions`` and ``link rel=alternate hreflang``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from article_archive.extract.html import join_url
from article_archive.extract.spip.index import BREADCRUMB_CLASSES, off_topic
from article_archive.extract.spip.page import SpipPage, head_iter, lang_code
from article_archive.extract.spip.texte import clean_text, text_of
from article_archive.models import Translation
from article_archive.spip_urls import article_id, is_rubric_url

_HOME_WORDS = {"accueil", "home", "homepage", "page d'accueil", "inicio", "startseite"}
_CRUMB_MARKS = " \u00a0>»›|/\\-–—•·→:"
# Marks that lead from a rubric down to the next (a footer menu separates its entries with "|"
# or "/", never with these).
_PATH_MARKS = frozenset(">»›→")
_WORD = re.compile(r"\w")
_LABEL_MAX = 60  # "Vous êtes ici :", "Dans la rubrique :", "Posted in"…
_HOME_PAGES = ("/index.php", "/spip.php", "/index.html")


@lru_cache(maxsize=4096)
def _path_of(url: str) -> str:
    """The path of an address (a site's breadcrumbs repeat from page to page)."""
    return urlsplit(url).path


def _joined(base: str | None, href: str) -> str | None:
    """``href`` resolved against the page, or None when it is no address at all
    (``https://[votre_fil_twitter]`` in a theme's footer)."""
    try:
        return join_url(base, href.strip())
    except ValueError:
        return None


def _site_names(page: SpipPage) -> set[str]:
    """The site's name as the head gives it: ``og:site_name``, and the part of a ``<title>``
    after the article's own title (SPIP's dist prints "Title - Site")."""
    names = {page.metas.get("og:site_name", "")}
    head = page.tree.find("head")
    title_el = head.find("title") if head is not None else None
    if title_el is not None:
        title = clean_text(text_of(title_el))
        for sep in (" - ", " | ", " – ", " — "):
            first, found, rest = title.partition(sep)
            if found and clean_text(first) == page.title:
                names.add(clean_text(rest))
    return {name.casefold() for name in names if name}


def _crumbs(block: etree._Element, title: str, base: str | None) -> list[str]:
    """Rubric names of one breadcrumb block, without home and the article itself."""
    names = []
    for a in block.iter("a"):
        href = (a.get("href") or "").strip()
        text = clean_text(text_of(a)).strip(_CRUMB_MARKS)
        if not href or href.startswith(("#", "javascript:")) or not _WORD.search(text):
            continue
        url = _joined(base, href)
        if (
            url is None
            or _path_of(url) in ("", "/")
            or text.lower() in _HOME_WORDS
            or text == title
        ):
            continue
        if _is_home(a, url):
            continue
        if text not in names:
            names.append(text)
    return names


def _is_home(a: etree._Element, url: str) -> bool:
    """A link to the site's home page (``/``, ``spip.php?page=sommaire``, ``rel=home``…)."""
    if "home" in (a.get("rel") or "").split():
        return True
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.path not in ("", "/") and not parts.path.endswith(_HOME_PAGES):
        return False
    return all(
        key == "lang" or (key, value) == ("page", "sommaire")
        for key, value in (pair.partition("=")[::2] for pair in parts.query.split("&") if pair)
    )


def _is_rubric(url: str, page: SpipPage) -> bool:
    """A rubric's address in the site's URL mode; in ``arbo``, a folder above the page's own."""
    if is_rubric_url(url):
        return True
    if not url.endswith("/"):
        return False
    try:
        target, here = urlsplit(url), urlsplit(page.page_url)
    except ValueError:
        return False
    return (
        target.hostname == here.hostname
        and target.path not in ("", "/")
        and here.path.startswith(target.path)
        and here.path != target.path
    )


def _pieces(block: etree._Element) -> Iterator[tuple[str, Any]]:
    """A block's own text and links in order: ``("text", str)``, ``("link", a)``, or
    ``("mixed", el)`` for a child holding links among other words (a list, a paragraph)."""
    if block.text:
        yield "text", block.text
    for child in block:
        if isinstance(child.tag, str):
            if child.tag == "a":
                yield "link", child
            else:
                links = child.findall(".//a")
                if not links:
                    yield "text", text_of(child)  # a separator, a label, the article's title
                elif len(links) == 1 and clean_text(text_of(child)) == clean_text(
                    text_of(links[0])
                ):
                    yield "link", links[0]  # <span><a>…</a></span>, <li><a>…</a></li>
                else:
                    yield "mixed", child
        if child.tail:
            yield "text", child.tail


def _is_self(a: etree._Element, url: str, page: SpipPage) -> bool:
    """A link to the page's own article (a breadcrumb that ends with the article's title)."""
    if clean_text(text_of(a)) == page.title or url == page.page_url:
        return True
    return page.spip_id is not None and article_id(url) == page.spip_id


def _trail(block: etree._Element, page: SpipPage) -> tuple[int, list[str]] | None:
    """The rubric names of a block that reads as a breadcrumb, and how surely it is one.

    3: rubric links joined by path marks (``Accueil > Asie > Japon``); 2: rubric links after
    the home link or after a short label ("Dans la rubrique : Asie Japon"); 1: a lone link.
    Any other link, words between two links or a long label: not a breadcrumb (None).
    """
    names: list[str] = []
    label = gap = ""
    home = marked = closed = bullets = False
    for kind, piece in _pieces(block):
        if kind == "text":
            if names or home:
                gap += piece
            else:
                label += piece
            continue
        if kind == "mixed" or closed:
            return None
        url = _joined(page.base, piece.get("href") or "")
        if url is None:
            return None
        started = bool(names or home)
        if started and gap.strip(_CRUMB_MARKS + " \t\n\r"):
            return None  # words between two links: a sentence, not a path
        if not started and label.strip()[-1:] in _PATH_MARKS:
            bullets = True  # "» A » B": a list's bullets, not the steps of a path
        marked = marked or (started and not bullets and any(c in _PATH_MARKS for c in gap))
        gap = ""
        text = clean_text(text_of(piece)).strip(_CRUMB_MARKS)
        if not names and not home and (text.lower() in _HOME_WORDS or _is_home(piece, url)):
            home = True
        elif _is_self(piece, url, page):
            closed = True
        elif _is_rubric(url, page) and _WORD.search(text) and text.lower() not in _HOME_WORDS:
            names.append(text)
        else:
            return None
    label = clean_text(label).strip(_CRUMB_MARKS)
    if not names or len(label) > _LABEL_MAX:
        return None
    if marked:
        return 3, names
    if block.tag in ("ul", "ol"):
        return 1, names  # a list of rubrics without marks: a menu, unless its class says
    return (2 if home or label else 1), names


def _trails(page: SpipPage) -> list[str]:
    """The rubric path of the block that best reads as the article's breadcrumb, by its links'
    URL shapes and its marks, whatever its classes.

    A path joined by ">" counts anywhere outside the texte; a labelled one ("Posted in",
    "Dans la rubrique :") only in the article's own region, out of menus and sidebars.
    """
    index, region = page.index, page.region
    seen: set[etree._Element] = set()
    best: tuple[int, int] | None = None
    found: list[str] = []
    for a in page.tree.iter("a"):
        href = a.get("href")
        if not href or ("rubrique" not in href and "-" not in href and not href.endswith("/")):
            continue  # every rubric URL shape holds one of these: most links spared the parse
        parent = a.getparent()
        if parent is None or parent in seen:
            continue
        url = _joined(page.base, href)
        if url is None or not _is_rubric(url, page):
            continue
        blocks = [parent]
        grand = parent.getparent()
        if grand is not None and len(parent.findall(".//a")) == 1:
            blocks.append(grand)  # <span><a/></span> › <span><a/></span>
        for block in blocks:
            if block in seen or index.inside(block, page.texte):
                continue
            seen.add(block)
            read = _trail(block, page)
            if read is None or read[0] == 1:
                continue
            strength, names = read
            inside = index.inside(block, region)
            if strength == 2 and (not inside or off_topic(block, region, index)):
                continue
            rank = (strength, int(inside))
            if best is None or rank > best:
                best, found = rank, names
    return found


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
            and is_rubric_url(_joined(page.base, href))
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
        url = _joined(base, href)
        if url is None:
            continue
        target = urlsplit(url)
        depth = wanted.get(target.path.rstrip("/"))
        if depth is None or depth in names or target.hostname != parts.hostname:
            continue
        name = clean_text(text_of(a)).strip(_CRUMB_MARKS)
        if name and len(name) <= 80 and name.lower() not in _HOME_WORDS:
            names[depth] = name
    if len(segments) - 2 not in names:  # the article's own rubric must be among them
        return []
    return [names[depth] for depth in sorted(names)]


def _without_repeats(names: list[str], page: SpipPage) -> list[str]:
    """A path without consecutive duplicates (a theme repeating the rubric's name), and
    without the site's name (a breadcrumb's home link written with it)."""
    site = _site_names(page)
    names = [name for name in names if name.casefold() not in site]
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
    names = _trails(page) or _rubric_link(page) or _arbo_rubrics(page)
    return _without_repeats(names, page)


_KEYWORD_URL = re.compile(
    r"(spip\.php\?mot\d+|[?&]id_mot=\d+|(^|/)mot\d+\.html|\+-[^/]+-\+(\.html)?$|"
    r"(^|/)(mot|mots|tag|tags|mot-cle|mots-cles)/[^/]+/?$)"
)
_LABELS = ("Mots-cl", "Mots cl", "Mots-Cl", "Keywords", "Tags", "Étiquettes", "Thèmes")


def _is_keyword_link(a: etree._Element) -> bool:
    """A link to a SPIP keyword page (rel=tag, a.mots, or a keyword URL)."""
    rel = a.get("rel")
    if rel and "tag" in rel.split():
        return True
    marks = a.get("class")
    if marks and "mots" in marks.split():
        return True
    href = a.get("href")
    # every alternative of _KEYWORD_URL holds one of these: most links are spared the regex
    if not href or ("mot" not in href and "tag" not in href and "+" not in href):
        return False
    return bool(_KEYWORD_URL.search(href))


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


def find_keywords(page: SpipPage) -> list[str]:
    """The article's keywords in page order, without duplicates."""
    tree, index, region = page.tree, page.index, page.region
    labelled = [a for block in _labelled_blocks(tree) for a in block.iter("a")]
    # keyword links around the title and texte (a theme's mots shown in the cartouche) come
    # first, then those of the "Mots-clés" blocks
    links = [
        a
        for a in _links_around(region, page.texte)
        if _is_keyword_link(a) and not off_topic(a, region, index)
    ]
    links += [a for a in labelled if _is_keyword_link(a)]
    words = [clean_text(text_of(a)) for a in links]
    if not words:
        tags = [
            content
            for el in tree.iter("meta")
            if el.get("property") == "article:tag" and (content := el.get("content")) is not None
        ]
        words = tags or (page.metas.get("keywords") or "").split(",") or []
        words = [clean_text(w) for w in words]
        words = words if any(words) else list(page.meta.get("keywords") or [])
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
        if url not in found:
            found[url] = Translation(lang=code, url=url)
    return list(found.values())
