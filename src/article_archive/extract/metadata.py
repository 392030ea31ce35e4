"""Page metadata from the ``<head>``: JSON-LD, OpenGraph, Dublin Core and plain ``<meta>`` tags.

Each field is taken from the first source that has it, in this order: JSON-LD (what publishers
curate for search engines), OpenGraph, Dublin Core, ``citation_*`` (scholarly sites such as
laviedesidees.fr), then the standard ``<meta>`` names and the document itself (``<title>``,
``<html lang>``, ``<link rel=canonical>``). Sources are not merged: two spellings of the same
author ("Roy, Didier" and "Didier Roy") would otherwise both end up in the list.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from article_archive.extract.dates import parse_date

log = logging.getLogger(__name__)

ARTICLE_TYPES = {
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "OpinionNewsArticle",
    "AnalysisNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "ScholarlyArticle",
    "TechArticle",
    "SocialMediaPosting",
    "LiveBlogPosting",
}
_MAX_JSONLD_CHARS = 500_000  # a JSON-LD block larger than this is a data dump, not page metadata
_SPACES = re.compile(r"\s+")
_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")
_SLASHED_ISO = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_TITLE_SEPARATORS = (" - ", " | ", " — ", " – ", " :: ", " · ")


def _clean(value: Any) -> str | None:
    """A metadata string with entities decoded and whitespace collapsed; None when empty."""
    if not isinstance(value, str):
        return None
    if "&" in value:  # some CMSs escape twice: the parsed attribute still holds "&#233;"
        value = html.unescape(value)
    value = _SPACES.sub(" ", value).strip()
    return value or None


def _first(*values: Any) -> str | None:
    """The first non-empty cleaned string among ``values``."""
    for value in values:
        cleaned = _clean(value)
        if cleaned:
            return cleaned
    return None


def _unique(values: list[str]) -> list[str]:
    """Values without duplicates (case-insensitive), in first-seen order."""
    seen: set[str] = set()
    kept = []
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


# ------------------------------------------------------------------------------- JSON-LD


def _json_objects(tree) -> Iterator[dict]:
    """Every JSON object of the page's ``application/ld+json`` scripts, @graph flattened."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > _MAX_JSONLD_CHARS:
            continue
        # Some templates wrap the block in an HTML comment or a CDATA section.
        raw = re.sub(r"^\s*(<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)|(-->|//\s*]]>|]]>)\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            log.debug("unreadable JSON-LD block skipped")
            continue
        yield from _flatten(data, depth=0)


def _flatten(data: Any, depth: int) -> Iterator[dict]:
    """Objects of a JSON-LD value: lists and @graph opened, mainEntity followed (bounded)."""
    if depth > 6:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)
        yield data
        for key in ("mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), dict | list):
                yield from _flatten(data[key], depth + 1)


def _types(obj: dict) -> set[str]:
    """The schema.org types of an object, without any ``schema:`` / URL prefix."""
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].rsplit(":", 1)[-1] for v in values if isinstance(v, str)}


def _names(value: Any, by_id: dict[str, dict]) -> list[str]:
    """Names of author-like values: strings, Person/Organization objects, lists, @id links."""
    if isinstance(value, list):
        return [name for item in value for name in _names(item, by_id)]
    if isinstance(value, str):
        name = _clean(value)
        return [name] if name and not name.startswith(("http://", "https://")) else []
    if isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = by_id.get(value["@id"], value)
        name = value.get("name")
        if isinstance(name, list):
            name = name[0] if name else None
        cleaned = _clean(name)
        if not cleaned:
            parts = [_clean(value.get(k)) for k in ("givenName", "familyName")]
            cleaned = " ".join(p for p in parts if p) or None
        return [cleaned] if cleaned else []
    return []


def _strings(value: Any) -> list[str]:
    """A JSON-LD value that may be a string, a comma-separated string or a list of strings."""
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, str):
        return [s for s in (_clean(part) for part in value.split(",")) if s]
    return []


def _image(value: Any) -> str | None:
    """The URL of a JSON-LD image value (string, ImageObject or list)."""
    if isinstance(value, list):
        return _image(value[0]) if value else None
    if isinstance(value, dict):
        return _first(value.get("url"), value.get("contentUrl"))
    return _clean(value)


def _from_jsonld(tree) -> dict:
    """Fields of the page's first article-typed JSON-LD object (plus the publisher name)."""
    objects = list(_json_objects(tree))
    by_id = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str)}
    article = next((o for o in objects if _types(o) & ARTICLE_TYPES), None)
    if article is None:
        return {}
    publisher = article.get("publisher")
    if isinstance(publisher, dict) and "name" not in publisher:
        publisher = by_id.get(publisher.get("@id", ""), publisher)
    language = article.get("inLanguage")
    if isinstance(language, dict):
        language = language.get("name") or language.get("alternateName")
    return {
        "title": _first(article.get("headline"), article.get("name")),
        "authors": _names(article.get("author"), by_id) or _names(article.get("creator"), by_id),
        "published": _first(article.get("datePublished"), article.get("dateCreated")),
        "updated": _first(article.get("dateModified")),
        "description": _first(article.get("description"), article.get("abstract")),
        "lang": _first(language),
        "keywords": _strings(article.get("keywords")),
        "section": (_strings(article.get("articleSection")) or [None])[0],
        "image": _image(article.get("image")),
        "site_name": _first(publisher.get("name")) if isinstance(publisher, dict) else None,
        "canonical": _first(article.get("url")),
    }


# ------------------------------------------------------------------------- <meta> and <link>


def _meta_key(token: str) -> str:
    """One spelling per meta family: ``DC:date`` is ``dc.date``, bepress citations are citations."""
    for variant, canonical in (("dc:", "dc."), ("dcterms:", "dcterms."), ("bepress_", "")):
        if token.startswith(variant):
            return canonical + token[len(variant) :]
    return token


def _metas(tree) -> dict[str, list[str]]:
    """``<meta>`` contents by lower-cased name/property/itemprop, in page order."""
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        for attr in ("name", "property", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                for token in key.lower().split():  # property="og:title twitter:title"
                    found.setdefault(_meta_key(token), []).append(content)
    return found


def _meta(metas: dict[str, list[str]], *keys: str) -> str | None:
    """The first non-empty content among the named metas."""
    return _first(*(value for key in keys for value in metas.get(key, ())))


def _meta_all(metas: dict[str, list[str]], *keys: str) -> list[str]:
    """Every non-empty content of the first named meta that has any."""
    for key in keys:
        values = [v for v in (_clean(x) for x in metas.get(key, ())) if v]
        if values:
            return values
    return []


def _split_people(value: str) -> list[str]:
    """Split an author meta on ``;`` and on commas between multi-word names ("A B, C D")."""
    parts = [p.strip() for p in value.split(";") if p.strip()]
    people = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        # "Roy, Didier" is one name written family-first; "Didier Roy, Ana Lopes" is two.
        if len(pieces) > 1 and all(" " in p for p in pieces):
            people.extend(pieces)
        else:
            people.append(part)
    return people


def _meta_authors(metas: dict[str, list[str]]) -> list[str]:
    """Author names from OpenGraph, Dublin Core, citation and standard metas (first source)."""
    for key in ("article:author", "dc.creator", "dcterms.creator", "citation_author", "author"):
        names = []
        for value in metas.get(key, ()):
            cleaned = _clean(value)
            # article:author is often a profile URL rather than a name.
            if cleaned and not cleaned.startswith(("http://", "https://", "/")):
                names.extend(_split_people(cleaned))
        if names:
            return names
    return []


def _keywords(metas: dict[str, list[str]]) -> list[str]:
    """Tags from ``article:tag``, Dublin Core subjects or the ``keywords`` meta (first source)."""
    for key in ("article:tag", "dc.subject", "dcterms.subject", "citation_keywords", "keywords"):
        values = _meta_all(metas, key)
        if values:
            return [k for v in values for k in (s.strip() for s in re.split(r"[,;]", v)) if k]
    return []


def _normalise_lang(value: str | None) -> str | None:
    """ISO 639 primary subtag of a language tag (``fr_FR`` → ``fr``), or None."""
    if not value:
        return None
    match = _LANG.match(value.strip())
    return match.group(1).lower() if match else None


def _title_tag(tree, site_name: str | None) -> str | None:
    """The ``<title>`` text, without a trailing or leading " - Site name"."""
    title_el = next(tree.iter("title"), None)
    title = _clean(title_el.text_content()) if title_el is not None else None
    if not title or not site_name:
        return title
    for sep in _TITLE_SEPARATORS:
        if title.endswith(sep + site_name):
            return title[: -len(sep + site_name)].strip() or title
        if title.startswith(site_name + sep):
            return title[len(site_name + sep) :].strip() or title
    return title


def http_url(href: str | None, base: str | None = None) -> str | None:
    """``href`` made absolute against ``base`` if it is a well-formed http(s) URL, else None."""
    if not href:
        return None
    try:
        absolute = urljoin(base, href.strip()) if base else href.strip()
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.hostname:
            return absolute
    except ValueError:  # "http://[broken" and other unparseable hosts
        pass
    return None


def _canonical(tree, url: str | None) -> str | None:
    """The absolute ``<link rel=canonical>`` address, if the page gives one."""
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            absolute = http_url(link.get("href"), url)
            if absolute:
                return absolute
    return None


def _date(*values: str | None) -> str | None:
    """The first value that parses as a full date, in ISO 8601."""
    for value in values:
        if value:
            # citation_* metas (Google Scholar's format) write dates as 2009/09/15.
            value = _SLASHED_ISO.sub(r"\1-\2-\3", value)
            parsed = parse_date(value)
            if parsed:
                return parsed
    return None


def page_metadata(tree, url: str | None) -> dict:
    """Title, authors, dates, lang, description, canonical, site name, keywords, section, image."""
    ld = _from_jsonld(tree)
    metas = _metas(tree)
    site_name = _first(
        _meta(metas, "og:site_name"),
        ld.get("site_name"),
        _meta(metas, "dc.publisher", "dcterms.publisher", "citation_publisher"),
        _meta(metas, "application-name"),
    )
    root = tree.getroottree().getroot()
    lang = _first(
        ld.get("lang"),
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        root.get("xml:lang"),
        _meta(metas, "og:locale", "dc.language", "dcterms.language", "citation_language"),
        _meta(metas, "content-language", "language"),
    )
    return {
        "title": _first(
            ld.get("title"),
            _meta(metas, "og:title", "dc.title", "dcterms.title", "citation_title"),
            _meta(metas, "twitter:title"),
            _title_tag(tree, site_name),
        ),
        "authors": _unique(ld.get("authors") or _meta_authors(metas)),
        "published": _date(
            ld.get("published"),
            _meta(metas, "article:published_time", "og:published_time"),
            _meta(metas, "dc.date", "dcterms.date", "dcterms.issued", "dcterms.created"),
            _meta(metas, "citation_publication_date", "citation_date", "citation_online_date"),
            _meta(metas, "date", "pubdate", "publishdate", "datepublished", "sailthru.date"),
        ),
        "updated": _date(
            ld.get("updated"),
            _meta(metas, "article:modified_time", "og:updated_time", "dcterms.modified"),
            _meta(metas, "datemodified", "last-modified"),
        ),
        "lang": _normalise_lang(lang),
        "description": _first(
            ld.get("description"),
            _meta(metas, "og:description", "dc.description", "dcterms.description"),
            _meta(metas, "citation_abstract", "description", "twitter:description"),
        ),
        "canonical": _canonical(tree, url)
        or http_url(_first(_meta(metas, "og:url"), ld.get("canonical")), url),
        "site_name": site_name,
        "keywords": _unique(ld.get("keywords") or _keywords(metas)),
        "section": _first(ld.get("section"), _meta(metas, "article:section")),
        "image": _first(ld.get("image"), _meta(metas, "og:image", "twitter:image")),
    }
