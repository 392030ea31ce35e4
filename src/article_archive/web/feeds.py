"""Atom 1.0 documents for the newest articles of a search, section, author or keyword."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
# What XML 1.0 allows in a document (its ``Char`` production); anything else makes the whole
# feed unreadable to every reader, so it is dropped from text and attribute values.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (``&#1;`` in a title, a lone surrogate)."""
    return _NOT_XML.sub("", text)


def rfc3339(value: str | None) -> str:
    """An ISO date or datetime as an RFC 3339 timestamp (UTC assumed when no offset)."""
    if not value:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = xml_safe(text)
    return el


def atom_feed(
    *,
    title: str,
    feed_url: str,
    page_url: str,
    entries: list[dict[str, Any]],
) -> bytes:
    """An Atom document; each entry has id, title, url (reader), original, dates, authors, html."""
    feed = ET.Element("feed", {"xmlns": ATOM})
    _sub(feed, "id", feed_url)
    _sub(feed, "title", title)
    stamps = [rfc3339(e.get("updated") or e.get("published")) for e in entries]
    _sub(feed, "updated", max(stamps) if stamps else rfc3339(None))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    _sub(feed, "generator", "article-archive")
    if not any(e.get("authors") for e in entries):
        _sub(_sub(feed, "author"), "name", "article-archive")
    for e, stamp in zip(entries, stamps, strict=True):
        entry = _sub(feed, "entry")
        _sub(entry, "id", e["original"] or e["url"])
        _sub(entry, "title", e["title"])
        _sub(entry, "updated", stamp)
        if e.get("published"):
            _sub(entry, "published", rfc3339(e["published"]))
        _sub(entry, "link", rel="alternate", type="text/html", href=e["url"])
        if e.get("original"):
            _sub(entry, "link", rel="related", type="text/html", href=e["original"])
        for author in e.get("authors") or []:
            _sub(_sub(entry, "author"), "name", author)
        if e.get("section"):
            _sub(entry, "category", term=e["section"])
        if e.get("summary"):
            _sub(entry, "summary", e["summary"])
        if e.get("html"):
            _sub(entry, "content", e["html"], type="html")
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
