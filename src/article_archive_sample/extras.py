"""The site's extra objects from site.toml: forum messages, syndicated sites, agenda events.

They only feed the page chrome (forum threads under articles, the "Sur le web" and agenda
boxes of the aside); none of them is an article. See ``data/sample-site/FORMAT.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from article_archive_sample.site_format import SiteFormatError, propre_slug

__all__ = ["Event", "ForumMessage", "SyndicatedSite", "load_extras"]


@dataclass
class ForumMessage:
    """A public comment on an article (SPIP ``spip_forum``); ``parent`` 0 answers the article."""

    id: int
    article: int
    date: datetime
    author: str
    text: str
    parent: int = 0
    title: str = ""
    url: str = ""  # the author's site, optional


@dataclass
class SyndicatedSite:
    """A site referenced in "Sur le web" (SPIP ``spip_syndic``) and its latest titles."""

    id: int
    name: str
    url: str
    descriptif: str = ""
    latest: list[tuple[str, str]] = field(default_factory=list)  # (title, url)


@dataclass
class Event:
    """An agenda event (the agenda plugin's ``spip_evenements``)."""

    id: int
    date: datetime
    title: str
    place: str = ""
    descriptif: str = ""


def _when(value: Any, where: str) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    except ValueError as exc:
        raise SiteFormatError(f"{where}: bad date {value!r}") from exc


def _latest(value: Any, base: str) -> list[tuple[str, str]]:
    """``latest`` entries: a title (linked to a slug made from it) or ``{title, url}``."""
    out = []
    for item in value or []:
        if isinstance(item, dict):
            out.append((str(item["title"]), str(item.get("url") or "")))
        else:
            out.append((str(item), base.rstrip("/") + "/" + propre_slug(str(item)).lower()))
    return out


def load_extras(data: dict[str, Any]) -> tuple[dict[int, list[ForumMessage]], list, list]:
    """(forum messages by article, syndicated sites, events by date) from parsed site.toml."""
    forum: dict[int, list[ForumMessage]] = {}
    try:
        for m in data.get("forum", []):
            msg = ForumMessage(
                id=int(m["id"]),
                article=int(m["article"]),
                date=_when(m["date"], f"forum {m.get('id')}"),
                author=str(m["author"]),
                text=str(m["text"]).strip(),
                parent=int(m.get("parent", 0)),
                title=str(m.get("title", "")),
                url=str(m.get("url", "")),
            )
            forum.setdefault(msg.article, []).append(msg)
        syndic = [
            SyndicatedSite(
                id=int(s["id"]),
                name=str(s["name"]),
                url=str(s["url"]),
                descriptif=str(s.get("descriptif", "")),
                latest=_latest(s.get("latest"), str(s["url"])),
            )
            for s in data.get("syndic", [])
        ]
        events = [
            Event(
                id=int(e["id"]),
                date=_when(e["date"], f"agenda {e.get('id')}"),
                title=str(e["title"]),
                place=str(e.get("place", "")),
                descriptif=str(e.get("descriptif", "")),
            )
            for e in data.get("agenda", [])
        ]
    except KeyError as exc:
        raise SiteFormatError(f"site.toml: missing field {exc.args[0]!r}") from exc
    for messages in forum.values():
        messages.sort(key=lambda m: (m.date, m.id))
        ids = {m.id for m in messages}
        for m in messages:
            if m.parent and m.parent not in ids:
                raise SiteFormatError(f"forum {m.id}: parent {m.parent} not on the same article")
    return forum, sorted(syndic, key=lambda s: s.id), sorted(events, key=lambda e: (e.date, e.id))
