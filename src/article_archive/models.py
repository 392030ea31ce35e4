"""Plain records that flow through the pipeline: discover → fetch → extract → store."""

from __future__ import annotations

from dataclasses import dataclass, field, is_dataclass
from typing import Any


def _plain(value: Any) -> Any:
    """Records as dicts and lists as new lists, all the way down; other values as they are.

    What ``dataclasses.asdict`` gives for these records, without its deep copy of every
    string and number (immutable), which costs more than the rest of the JSON's making.
    """
    if value is None or isinstance(value, str | int):  # most values: said first
        return value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if is_dataclass(value):
        return {name: _plain(item) for name, item in vars(value).items()}
    return value


@dataclass
class Author:
    name: str
    url: str | None = None


@dataclass
class TocEntry:
    level: int
    title: str
    anchor: str


@dataclass
class Footnote:
    number: str
    text: str
    html: str


@dataclass
class Translation:
    lang: str
    url: str


@dataclass
class Article:
    """One extracted article, fields in SPEC.md's order; ``to_dict()`` gives its JSON."""

    url: str
    site: str
    spip_id: int | None = None
    lang: str | None = None
    title: str = ""
    surtitle: str | None = None
    subtitle: str | None = None
    section: str | None = None
    section_path: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    published: str | None = None
    written: str | None = None
    updated: str | None = None
    lead: str | None = None
    toc: list[TocEntry] = field(default_factory=list)
    body_html: str = ""
    body_text: str = ""
    footnotes: list[Footnote] = field(default_factory=list)
    postscript: str | None = None
    keywords: list[str] = field(default_factory=list)
    translations: list[Translation] = field(default_factory=list)
    word_count: int = 0
    extractor: str = ""

    def to_dict(self) -> dict:
        """The SPEC.md field dict (nested records become dicts, lists are copied)."""
        return _plain(self)


@dataclass
class FetchResult:
    """One HTTP exchange as the crawler keeps it (the raw body stays bytes)."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: str
    elapsed: float = 0.0
    content_type: str | None = None
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    redirects: list[str] = field(default_factory=list)
    #: What went wrong without failing the page (bytes that did not decode…): kept on its row.
    warnings: list[str] = field(default_factory=list)


@dataclass
class FeedEntry:
    """An article link found in a feed, a sitemap or a listing page."""

    url: str
    title: str | None = None
    published: str | None = None
    updated: str | None = None
    source: str | None = None
