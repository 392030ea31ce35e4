"""JSON-LD, the metadata publishers curate for search engines: the first article object's fields.

``from_jsonld(tree)`` reads every ``application/ld+json`` script of a page, opens lists,
``@graph`` and ``mainEntity``, and returns the fields of the first object typed as an article
(``NewsArticle``, ``BlogPosting``…), with the publisher's name.
"""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

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


def clean_value(value: Any) -> str | None:
    """A metadata string with entities decoded and whitespace collapsed; None when empty."""
    if not isinstance(value, str):
        return None
    if "&" in value:  # some CMSs escape twice: the parsed attribute still holds "&#233;"
        value = html.unescape(value)
    value = _SPACES.sub(" ", value).strip()
    return value or None


def first_value(*values: Any) -> str | None:
    """The first non-empty cleaned string among ``values``."""
    for value in values:
        cleaned = clean_value(value)
        if cleaned:
            return cleaned
    return None


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
        name = clean_value(value)
        return [name] if name and not name.startswith(("http://", "https://")) else []
    if isinstance(value, dict):
        if "name" not in value and isinstance(value.get("@id"), str):
            value = by_id.get(value["@id"], value)
        name = value.get("name")
        if isinstance(name, list):
            name = name[0] if name else None
        cleaned = clean_value(name)
        if not cleaned:
            parts = [clean_value(value.get(k)) for k in ("givenName", "familyName")]
            cleaned = " ".join(p for p in parts if p) or None
        return [cleaned] if cleaned else []
    return []


def _strings(value: Any) -> list[str]:
    """A JSON-LD value that may be a string, a comma-separated string or a list of strings."""
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, str):
        return [s for s in (clean_value(part) for part in value.split(",")) if s]
    return []


def _image(value: Any) -> str | None:
    """The URL of a JSON-LD image value (string, ImageObject or list)."""
    if isinstance(value, list):
        return _image(value[0]) if value else None
    if isinstance(value, dict):
        return first_value(value.get("url"), value.get("contentUrl"))
    return clean_value(value)


def from_jsonld(tree) -> dict:
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
        "title": first_value(article.get("headline"), article.get("name")),
        "authors": _names(article.get("author"), by_id) or _names(article.get("creator"), by_id),
        "published": first_value(article.get("datePublished"), article.get("dateCreated")),
        "updated": first_value(article.get("dateModified")),
        "description": first_value(article.get("description"), article.get("abstract")),
        "lang": first_value(language),
        "keywords": _strings(article.get("keywords")),
        "section": next(iter(_strings(article.get("articleSection"))), None),
        "image": _image(article.get("image")),
        "site_name": first_value(publisher.get("name")) if isinstance(publisher, dict) else None,
        "canonical": first_value(article.get("url")),
    }
