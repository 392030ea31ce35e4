"""Page metadata from the ``<head>``: JSON-LD, OpenGraph, Dublin Core and plain ``<meta>`` tags.

Each field is taken from the first source that has it, in this order: JSON-LD (what publishers
curate for search engines), OpenGraph, Dublin Core, ``citation_*`` (scholarly sites such as
laviedesidees.fr), then the standard ``<meta>`` names and the document itself (``<title>``,
``<html lang>``, ``<link rel=canonical>``). Sources are not merged: two spellings of the same
author ("Roy, Didier" and "Didier Roy") would otherwise both end up in the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from article_archive.extract.dates import parse_date
from article_archive.extract.jsonld import clean_value as _clean
from article_archive.extract.jsonld import first_value as _first
from article_archive.extract.jsonld import from_jsonld

_LANG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]+)*$")
_SLASHED_ISO = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_TITLE_SEPARATORS = (" - ", " | ", " — ", " – ", " :: ", " · ")


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


# ------------------------------------------------------------------------- <meta> and <link>


def _meta_key(token: str) -> str:
    """One spelling per meta family: ``DC:date`` is ``dc.date``, bepress citations are citations."""
    for variant, canonical in (("dc:", "dc."), ("dcterms:", "dcterms."), ("bepress_", "")):
        if token.startswith(variant):
            return canonical + token[len(variant) :]
    return token


MetaRow = tuple[str | None, str | None, str | None, str | None, str | None]


def meta_rows(tree) -> list[MetaRow]:
    """Every ``<meta>`` of the page in order: (content, name, property, itemprop, http-equiv)."""
    return [
        (
            meta.get("content"),
            meta.get("name"),
            meta.get("property"),
            meta.get("itemprop"),
            meta.get("http-equiv"),
        )
        for meta in tree.iter("meta")
    ]


def _metas(rows: list[MetaRow]) -> dict[str, list[str]]:
    """``<meta>`` contents (``meta_rows``) by lower-cased name/property/itemprop, in page order."""
    found: dict[str, list[str]] = {}
    for content, *keys in rows:
        if content is None:
            continue
        for key in keys:  # name, property, itemprop, http-equiv
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
    title = _clean("".join(title_el.itertext())) if title_el is not None else None
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


class _Sources:
    """What the fields are read from, each parsed on first use: JSON-LD, metas, site name."""

    def __init__(self, tree, url: str | None):
        self.tree, self.url = tree, url

    @cached_property
    def ld(self) -> dict:
        return from_jsonld(self.tree)

    @cached_property
    def rows(self) -> list[MetaRow]:
        return meta_rows(self.tree)

    @cached_property
    def metas(self) -> dict[str, list[str]]:
        return _metas(self.rows)

    @cached_property
    def site_name(self) -> str | None:
        metas = self.metas
        return _first(
            _meta(metas, "og:site_name"),
            self.ld.get("site_name"),
            _meta(metas, "dc.publisher", "dcterms.publisher", "citation_publisher"),
            _meta(metas, "application-name"),
        )


def _lang(src: _Sources) -> str | None:
    root = src.tree.getroottree().getroot()
    return _normalise_lang(
        _first(
            src.ld.get("lang"),
            root.get("lang"),
            root.get("{http://www.w3.org/XML/1998/namespace}lang"),
            root.get("xml:lang"),
            _meta(src.metas, "og:locale", "dc.language", "dcterms.language", "citation_language"),
            _meta(src.metas, "content-language", "language"),
        )
    )


# Each field from its sources, in the order of preference described in the module docstring.
_FIELDS: dict[str, Callable[[_Sources], Any]] = {
    "title": lambda src: _first(
        src.ld.get("title"),
        _meta(src.metas, "og:title", "dc.title", "dcterms.title", "citation_title"),
        _meta(src.metas, "twitter:title"),
        _title_tag(src.tree, src.site_name),
    ),
    "authors": lambda src: _unique(src.ld.get("authors") or _meta_authors(src.metas)),
    "published": lambda src: _date(
        src.ld.get("published"),
        _meta(src.metas, "article:published_time", "og:published_time"),
        _meta(src.metas, "dc.date", "dcterms.date", "dcterms.issued", "dcterms.created"),
        _meta(src.metas, "citation_publication_date", "citation_date", "citation_online_date"),
        _meta(src.metas, "date", "pubdate", "publishdate", "datepublished", "sailthru.date"),
    ),
    "updated": lambda src: _date(
        src.ld.get("updated"),
        _meta(src.metas, "article:modified_time", "og:updated_time", "dcterms.modified"),
        _meta(src.metas, "datemodified", "last-modified"),
    ),
    "lang": _lang,
    "description": lambda src: _first(
        src.ld.get("description"),
        _meta(src.metas, "og:description", "dc.description", "dcterms.description"),
        _meta(src.metas, "citation_abstract", "description", "twitter:description"),
    ),
    "canonical": lambda src: (
        _canonical(src.tree, src.url)
        or http_url(_first(_meta(src.metas, "og:url"), src.ld.get("canonical")), src.url)
    ),
    "site_name": lambda src: src.site_name,
    "keywords": lambda src: _unique(src.ld.get("keywords") or _keywords(src.metas)),
    "section": lambda src: _first(src.ld.get("section"), _meta(src.metas, "article:section")),
    "image": lambda src: _first(src.ld.get("image"), _meta(src.metas, "og:image", "twitter:image")),
}


def page_metadata(tree, url: str | None) -> dict:
    """Title, authors, dates, lang, description, canonical, site name, keywords, section, image."""
    src = _Sources(tree, url)
    return {name: field(src) for name, field in _FIELDS.items()}


class LazyMetadata(Mapping):
    """``page_metadata(tree, url)``, each field computed on its first read only.

    The SPIP extractor reads the page's own markup first and falls back on this metadata for
    a missing field only; most SPIP pages never need most of it, and JSON-LD is not free.
    """

    def __init__(self, tree, url: str | None):
        self._src = _Sources(tree, url)
        self._data: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._data:
            self._data[key] = _FIELDS[key](self._src)  # KeyError for an unknown field
        return self._data[key]

    def meta_rows(self) -> list[MetaRow]:
        """The page's ``<meta>`` elements as ``meta_rows`` gives them, read once."""
        return self._src.rows

    def jsonld(self, key: str) -> Any:
        """One field of the page's JSON-LD article alone (``from_jsonld``), metas left unread."""
        return self._src.ld.get(key)

    def __iter__(self) -> Iterator[str]:
        return iter(_FIELDS)

    def __len__(self) -> int:
        return len(_FIELDS)
