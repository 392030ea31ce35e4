"""What a theme shows of each article: the expected fields of the theme evaluation.

The truth is what the editor typed (the sample site's sources), kept only as far as the theme's
article page shows it. To know what a page shows, every value is replaced in SPIP's database by
a marker of its own (``ZQSUR50Z`` for article 50's surtitle, the year 1850 for its date, 1750
for its earlier writing date, ``ZQRUB2Z`` for rubric 2's title…), each article page is rendered
again, and the markers found in it say which fields the theme prints. A rubric, an author or a
keyword counts as the article's only when its marker appears more often than the marker of any
rubric, author or keyword that is not the article's: a menu, a tag cloud or a list of authors
names them all alike, and naming one in it says nothing about the article.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from typing import Any

import httpx
import lxml.html

from article_archive_sample.site import ArticleSource, Site
from sample_truth import plain

NO_DATE = "0000-00-00 00:00:00"
# Years standing for an article's dates in the marked site: unique per article, and far from
# any year the sample texts mention.
PUBLISHED_YEAR = 1800
WRITTEN_YEAR = 1700
LANG_NAMES = {"fr": ("français", "french", "fr"), "en": ("english", "anglais", "en")}


def _marked(prefix: str, column: str, key: str = "id_article") -> str:
    return f"CASE WHEN {column} != '' THEN 'ZQ{prefix}' || {key} || 'Z ' || {column} ELSE '' END"


# The marking, as SQL on SPIP's own tables; chapo, texte and P.-S. keep their text after the
# marker, footnotes get one marker each.
MARKING = [
    "UPDATE spip_articles SET titre = 'ZQTIT' || id_article || 'Z',"
    " surtitre = CASE WHEN surtitre != '' THEN 'ZQSUR' || id_article || 'Z' ELSE '' END,"
    " soustitre = CASE WHEN soustitre != '' THEN 'ZQSUB' || id_article || 'Z' ELSE '' END,"
    f" chapo = replace({_marked('CHAPO', 'chapo')}, '[[', '[[ZQNOTEZ '),"
    f" texte = replace({_marked('TEXTE', 'texte')}, '[[', '[[ZQNOTEZ '),"
    f" ps = replace({_marked('PS', 'ps')}, '[[', '[[ZQNOTEZ '),"
    f" date = printf('%04d', {PUBLISHED_YEAR} + id_article) || substr(date, 5),"
    f" date_redac = CASE WHEN date_redac != '{NO_DATE}'"
    f" THEN printf('%04d', {WRITTEN_YEAR} + id_article) || substr(date_redac, 5)"
    " ELSE date_redac END",
    "UPDATE spip_rubriques SET titre = 'ZQRUB' || id_rubrique || 'Z'",
    "UPDATE spip_auteurs SET nom = 'ZQAUT' || id_auteur || 'Z'",
    "UPDATE spip_mots SET titre = 'ZQMOT' || id_mot || 'Z'",
]


@dataclass
class Page:
    """One rendered article page: its visible text, its metadata text, its links."""

    text: str  # the body's visible text
    head_title: str
    extras: str  # <meta> contents, JSON-LD, datetime/title attributes of dates
    langs: set[str]
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (href, hreflang/lang, text)

    def count(self, marker: str, *, extras: bool = False) -> int:
        """How many times ``marker`` is shown (in the text, or also in the metadata)."""
        pattern = re.escape(marker) + r"(?!\d)"
        found = len(re.findall(pattern, self.text))
        return found + (len(re.findall(pattern, self.extras)) if extras else 0)


def read_page(html: str) -> Page:
    """The parts of a rendered page the evaluation looks at."""
    tree = lxml.html.fromstring(html if html and html.strip() else "<html></html>")
    extras = [m.get("content", "") for m in tree.iter("meta")]
    extras += [s.text_content() for s in tree.iter("script") if "ld+json" in (s.get("type") or "")]
    extras += [e.get("datetime", "") for e in tree.iter("time")]
    extras += [e.get("title", "") for e in tree.iter("abbr")]
    # the page's language, and the language of the blocks around the article's texte (not of the
    # links to its translations)
    around = [tree, *tree.xpath("//body")]
    for node in tree.xpath("//text()[contains(., 'ZQTEXTE')]/.."):
        around += [node, *node.iterancestors()]
    langs = {e.get(a) for e in around for a in ("lang", "xml:lang") if e.get(a)}
    langs |= {
        m.get("content", "")
        for m in tree.iter("meta")
        if (m.get("http-equiv") or "").lower() == "content-language"
        or m.get("property") == "og:locale"
    }
    titles = [t.text_content() for t in tree.iter("title")]
    for bad in tree.xpath("//script|//style|//noscript|//head"):
        bad.drop_tree()
    links = []
    for a in tree.iter("a"):
        tag = a.get("hreflang") or a.get("lang") or (a.getparent().get("lang") or "")
        links.append((a.get("href") or "", tag, " ".join(a.text_content().split()).lower()))
    return Page(
        text=" ".join(tree.text_content().split()),
        head_title=" ".join(titles),
        extras=" ".join(extras),
        langs={lang.lower()[:2] for lang in langs if isinstance(lang, str)},
        links=links,
    )


def mark_site(spip: Any) -> None:
    """Replace every typed value by its marker in the running site, and empty SPIP's cache."""
    for query in MARKING:
        spip.sql(query)
    shutil.rmtree(spip.root / "tmp" / "cache", ignore_errors=True)


def fetch_article(client: httpx.Client, id_article: int) -> tuple[int, str]:
    """An article page as SPIP renders it, by the address every URL mode answers."""
    answer = client.get(f"spip.php?page=article&id_article={id_article}")
    return answer.status_code, answer.text


def _own(page: Page, prefix: str, mine: list[int], others: list[int], extras: bool) -> list[int]:
    """Items of ``mine`` the page shows as the article's, against the ``others`` it names."""
    floor = max((page.count(f"ZQ{prefix}{i}Z", extras=extras) for i in others), default=0)
    return [i for i in mine if page.count(f"ZQ{prefix}{i}Z", extras=extras) > floor]


def article_urls(spip: Any) -> dict[str, int]:
    """Every readable address SPIP gave an article (path without the site's base) → its id."""
    rows = spip.sql("SELECT url, id_objet FROM spip_urls WHERE type = 'article'")
    return {url: int(id_objet) for url, id_objet in rows}


def url_article(url: str, base_url: str, urls: dict[str, int]) -> int | None:
    """The article id an address of the site leads to, or None."""
    match = re.search(r"[?&](?:article|id_article=)(\d+)", url)
    if match:
        return int(match.group(1))
    path = url.removeprefix(base_url).split("#")[0].split("?")[0].strip("/")
    return urls.get(path)


def expected(
    site: Site, art: ArticleSource, page: Page, base_url: str, urls: dict[str, int]
) -> dict[str, Any]:
    """The fields of ``art`` as far as ``page`` (its marked rendering) shows them."""
    rubrics = [r.id for r in site.rubric_path(art.rubrique)]
    other_rubrics = [r for r in site.rubriques if r not in rubrics]
    shown_rubrics = _own(page, "RUB", rubrics, other_rubrics, False)
    authors = [i + 1 for i in art.authors]
    other_authors = [i + 1 for i in site.authors if i + 1 not in authors] + [1]
    keywords = list(art.keywords)
    other_keywords = [k for k in site.keywords if k not in keywords]
    text_shown = page.count(f"ZQTEXTE{art.id}Z") > 0
    translations = []
    for other in site.translations(art):
        if other.id == art.id or not other.published:
            continue
        names = LANG_NAMES.get(other.lang, (other.lang,))
        for href, tag, text in page.links:
            if url_article(href, base_url, urls) == other.id and (
                tag.lower().startswith(other.lang) or any(n == text or n in text for n in names)
            ):
                translations.append(other.lang)
                break
    notes = page.count("ZQNOTEZ")
    return {
        "title": plain(art.title) if page.count(f"ZQTIT{art.id}Z") else None,
        "surtitle": plain(art.surtitle) if page.count(f"ZQSUR{art.id}Z") else None,
        "subtitle": plain(art.subtitle) if page.count(f"ZQSUB{art.id}Z") else None,
        "lang": art.lang if art.lang in page.langs else None,
        "section": site.rubriques[art.rubrique].title if art.rubrique in shown_rubrics else None,
        "section_path": [site.rubriques[r].title for r in shown_rubrics],
        "authors": sorted(
            site.authors[i - 1].name for i in _own(page, "AUT", authors, other_authors, True)
        ),
        "published": art.date.strftime("%Y-%m-%d")
        if page.count(str(PUBLISHED_YEAR + art.id), extras=True)
        else None,
        "written": art.date_redac.strftime("%Y-%m-%d")
        if art.date_redac and page.count(str(WRITTEN_YEAR + art.id), extras=True)
        else None,
        "lead": plain(art.chapo) if page.count(f"ZQCHAPO{art.id}Z") else None,
        "postscript": plain(art.ps) if page.count(f"ZQPS{art.id}Z") else None,
        "keywords": sorted(
            site.keywords[k].title for k in _own(page, "MOT", keywords, other_keywords, True)
        ),
        "translations": sorted(translations),
        "footnotes": notes,
        "body": plain(art.texte) if text_shown else None,
    }
