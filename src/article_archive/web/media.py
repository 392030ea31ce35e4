"""The reader's article, kept inside the archive: its images, documents and links rewritten.

Reading an archived article must send no request to another host (the site may be gone, or
hostile: a tracking pixel tells it who reads what). So, in the cleaned body and notes:

- an ``<img>`` whose address the archive holds is served from it (``/{db}/-/media/{sha256}``);
  any other is replaced by a ``span.aa-missing`` naming it: never loaded (the
  Content-Security-Policy's ``img-src 'self' data:`` would block it anyway);
- a link to an archived image or document goes to the archived bytes (``a.aa-media``);
- a link to an archived article goes to its reader page (``a.aa-internal``);
- a link to any other page stays the original's, marked as leaving the archive
  (``a.aa-external``, ``rel="external noopener noreferrer"``, a title and a visible ``↗``).

Pure functions over HTML (``linked_urls``, ``rewrite``) and the lookups that feed them
(``lookups``), so the rules can be tested on strings.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import lxml.html
from lxml import etree
from markupsafe import Markup, escape

from article_archive.discover.links import resolve
from article_archive.discover.spip import spip_id_from_url
from article_archive.store.media import archived_media

MEDIA_PATH = "/-/media/"
EXTERNAL_REL = "external noopener noreferrer"
MARKER = "\u2197"  # ↗


@dataclass
class Targets:
    """What the archive holds of an article's addresses: media by URL, articles by URL."""

    media: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: dict[str, int] = field(default_factory=dict)


def _fragment(html: str) -> etree._Element:
    return lxml.html.fragment_fromstring(html or "", create_parent="div")


def _absolute(base: str, value: str | None) -> str | None:
    """The http(s) address of an attribute, fragment dropped; None for anything else."""
    if not value:
        return None
    return resolve(base, value)


def linked_urls(html: str, base: str) -> list[str]:
    """Every http(s) address an HTML fragment shows (``img``) or links to (``a``)."""
    if not html:
        return []
    root = _fragment(html)
    found = []
    for el in root.iter("img", "a"):
        url = _absolute(base, el.get("src" if el.tag == "img" else "href"))
        if url:
            found.append(url)
    return list(dict.fromkeys(found))


def archived_articles(conn: sqlite3.Connection, urls: list[str]) -> dict[str, int]:
    """The archived articles among ``urls``: by address, or by SPIP id on the same site."""
    found: dict[str, int] = {}
    for start in range(0, len(urls), 500):
        chunk = urls[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        sql = f"SELECT url, id FROM articles WHERE url IN ({marks})"
        found.update({url: id_ for url, id_ in conn.execute(sql, chunk)})
    for url in urls:
        spip_id = spip_id_from_url(url)
        if url in found or spip_id is None:
            continue
        row = conn.execute(
            "SELECT id FROM articles WHERE site = ? AND spip_id = ? LIMIT 1",
            [urlsplit(url).hostname or "", spip_id],
        ).fetchone()
        if row:
            found[url] = row[0]
    return found


def lookups(conn: sqlite3.Connection, htmls: list[str], base: str) -> Targets:
    """What the archive holds of the addresses in ``htmls`` (one query per kind)."""
    urls = list(dict.fromkeys(u for html in htmls for u in linked_urls(html, base)))
    media = archived_media(conn, urls)
    others = [u for u in urls if u not in media]
    return Targets(media, archived_articles(conn, others))


def rewrite(html: str, base: str, targets: Targets, prefix: str) -> Markup:
    """``html`` with its images, documents and links kept inside the archive at ``prefix``.

    ``prefix`` is the database's path (``/archive``); ``base`` the article's address.
    """
    if not html:
        return Markup("")
    root = _fragment(html)
    for img in list(root.iter("img")):
        _image(img, base, targets, prefix)
    for link in root.iter("a"):
        _link(link, base, targets, prefix)
    parts = [str(escape(root.text)) if root.text else ""]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in root]
    return Markup("".join(parts))


def media_url(prefix: str, sha256: str) -> str:
    """The archive's address of a media body."""
    return f"{prefix}{MEDIA_PATH}{sha256}"


def _image(img: etree._Element, base: str, targets: Targets, prefix: str) -> None:
    src = (img.get("src") or "").strip()
    img.attrib.pop("srcset", None)
    if src.startswith("data:"):
        return
    url = _absolute(base, src)
    held = targets.media.get(url or "")
    if held is not None:
        img.set("src", media_url(prefix, held["sha256"]))
        return
    missing = etree.Element("span")
    missing.set("class", "aa-missing")
    missing.set("title", f"Image not archived: {_printable(url or src)}")
    missing.text = f"[{img.get('alt') or 'image not archived'}]"
    missing.tail = img.tail
    img.getparent().replace(img, missing)


def _link(link: etree._Element, base: str, targets: Targets, prefix: str) -> None:
    href = (link.get("href") or "").strip()
    url = _absolute(base, href)
    if url is None or href.startswith("#"):
        return  # an anchor in the page, mailto:, or no address at all
    held = targets.media.get(url)
    if held is not None:
        link.set("href", media_url(prefix, held["sha256"]))
        _add_class(link, "aa-media")
        return
    article_id = targets.articles.get(url)
    if article_id is not None:
        anchor = _printable(urlsplit(href).fragment)
        link.set("href", f"{prefix}/articles/{article_id}/read" + (f"#{anchor}" if anchor else ""))
        _add_class(link, "aa-internal")
        return
    _add_class(link, "aa-external")
    link.set("rel", EXTERNAL_REL)
    host = _printable(urlsplit(url).hostname or url)
    title = (link.get("title") or "").strip()
    leaves = f"leaves the archive for {host}"
    link.set("title", f"{title} ({leaves})" if title else leaves[0].upper() + leaves[1:])
    marker = etree.SubElement(link, "span")
    marker.set("class", "aa-leaves")
    marker.set("aria-label", "(leaves the archive)")
    marker.text = MARKER


def _printable(text: str) -> str:
    """``text`` without the control characters an attribute cannot hold (a malformed src)."""
    return "".join(c for c in text if c.isprintable() or c == " ")


def _add_class(el: etree._Element, name: str) -> None:
    classes = (el.get("class") or "").split()
    if name not in classes:
        el.set("class", " ".join([*classes, name]))
