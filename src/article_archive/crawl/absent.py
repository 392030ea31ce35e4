"""Whether an id probe's answer is an article of its own, decided by comparison, whatever the theme.

SPIP answers an unknown ``spip.php?articleN`` in whatever way the site's theme does: a 404, a
redirect home, or a 200 with the home page, a rubric listing, the newest article, a "page not
found" dressed as a page. None of them is article N. The answer is compared with:

- the pages the site showed as not articles (its home page, its plan and listings), and with
  the answers of earlier probes, by the *print* of what the extractor reads on them (title and
  texte): an answer that reads as one of them is that page again;
- the articles archived this run: an answer that reads as another one, served at the probe's own
  address (SPIP redirects an id to its article's address), is that article shown again;
- the page's own id markers: the texte's crayons (``article-texte-N``), the ``id_article`` of its
  forms, its canonical and ``og:url`` addresses. A page whose markers all name other ids is
  theirs, not N's (an id 0 is a template printing ``#ID_ARTICLE`` outside its loop: no id).

An absent answer never raises the walk's highest id, so the walk ends ``id_gap`` ids past the
last article, whatever the absent answers look like.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from lxml import etree

from article_archive.discover.links import normalize_url, parse_html, resolve
from article_archive.discover.spip import classify
from article_archive.errors import ExtractionError
from article_archive.models import Article, FetchResult
from article_archive.spip_urls import article_id

_TEXTE_CRAYON = re.compile(r"\barticle-texte-(\d+)\b")
_SPACES = re.compile(r"\s+")


@dataclass
class SitePrints:
    """What the id probes of one site are compared with (kept by the engine, read by workers).

    ``pages``: print → what the page was (``"the home page"``, a listing's address…);
    ``articles``: print → (address, SPIP id) of an article archived this run.
    """

    pages: dict[str, str] = field(default_factory=dict)
    articles: dict[str, tuple[str, int | None]] = field(default_factory=dict)
    home_loaded: bool = False


def article_print(article: Article) -> str:
    """What an extracted page reads as: its title and texte, spaces folded, hashed.

    Two answers with one print show the same thing, whatever links or counters differ around
    it (a page's links to itself, its login link, its pagination).
    """
    text = f"{article.title}\n{article.body_text}"
    return hashlib.sha256(_SPACES.sub(" ", text).strip().encode("utf-8")).hexdigest()


def page_print(body: bytes, url: str, headers: dict[str, str]) -> str | None:
    """The print of a page that is not an article (home, plan, listing); None when it has none.

    A page on which the extractor finds no article cannot be confused with one: no print.
    """
    from article_archive.extract import extract_article

    try:
        return article_print(extract_article(body, url, headers))
    except ExtractionError:
        return None


def id_markers(body: bytes, url: str) -> set[int]:
    """The article ids a page names as its own: texte crayons, forms' id_article, canonical."""
    tree = parse_html(body)
    if tree is None:
        return set()
    ids: set[int] = set()
    for classes in tree.xpath("//*[contains(@class, 'article-texte-')]/@class"):
        ids.update(int(n) for n in _TEXTE_CRAYON.findall(str(classes)))
    for value in tree.xpath("//form//input[@name='id_article']/@value"):
        if str(value).strip().isdigit():
            ids.add(int(str(value).strip()))
    for href in _own_addresses(tree):
        address = resolve(url, href)
        found = article_id(address) if address else None
        if found is not None:
            ids.add(found)
    ids.discard(0)  # a template printing #ID_ARTICLE outside its loop names no article
    return ids


def _own_addresses(tree: etree._Element) -> list[str]:
    """The page's canonical link and ``og:url``, as written."""
    hrefs = tree.xpath("//head/link[@rel='canonical']/@href")
    hrefs += tree.xpath("//head/meta[@property='og:url']/@content")
    return [str(h) for h in hrefs if str(h).strip()]


def absent_reason(
    requested: int, result: FetchResult, article: Article, prints: SitePrints
) -> str | None:
    """Why the answer to the probe of id ``requested`` is not article ``requested`` (None: it is).

    ``article`` is what the extractor read on the answer.
    """
    final = normalize_url(result.final_url)
    if result.redirects and classify(final) in ("home", "rubrique", "listing"):
        return f"redirected to {final}, not an article"
    markers = id_markers(result.body, final)
    if markers and requested not in markers:
        named = ", ".join(str(n) for n in sorted(markers))
        return f"the page is article {named}, not {requested}"
    mark = article_print(article)
    if mark in prints.pages:
        return f"same page as {prints.pages[mark]}"
    seen = prints.articles.get(mark)
    if seen is None:
        return None
    url, spip_id = seen
    if url == final or spip_id == requested:
        return None  # the probe reached that very article
    if result.redirects and classify(final) == "article":
        return None  # SPIP sent the id to an address of its own: an article with the same text
    return f"same page as {url}"
