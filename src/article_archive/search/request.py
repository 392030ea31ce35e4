"""The arguments of one search (query text, filters, sort), validated from a request."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SORTS = ("relevance", "newest", "oldest")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass
class SearchRequest:
    """The search page's arguments, validated."""

    q: str = ""
    site: str | None = None
    section: str | None = None
    author: int | None = None
    keyword: int | None = None
    lang: str | None = None
    year: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    messages: list[str] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Any) -> SearchRequest:
        """Build from request arguments; bad values are dropped with a message."""
        req = cls(q=(args.get("q") or "").strip())
        req.site = args.get("site") or None
        req.section = args.get("section") or None
        req.lang = args.get("lang") or None
        for name in ("author", "keyword", "year"):
            raw = (args.get(name) or "").strip()
            if raw.isdigit() and len(raw) < 10:
                setattr(req, name, int(raw))
            elif raw:
                req.messages.append(f"Ignored {name}={raw!r}: it should be a number.")
        for name, arg in (("date_from", "from"), ("date_to", "to")):
            raw = (args.get(arg) or "").strip()
            if DATE.match(raw):
                setattr(req, name, raw)
            elif raw:
                req.messages.append(
                    f"Ignored the date {raw!r}: write it as 2023, 2023-10 or 2023-10-12."
                )
        sort = args.get("sort") or ("relevance" if req.q else "newest")
        req.sort = sort if sort in SORTS else "relevance"
        return req

    def args(self) -> dict[str, Any]:
        """The arguments that reproduce this search (for links)."""
        return {
            "q": self.q,
            "site": self.site,
            "section": self.section,
            "author": self.author,
            "keyword": self.keyword,
            "lang": self.lang,
            "year": self.year,
            "from": self.date_from,
            "to": self.date_to,
            "sort": None if self.sort == ("relevance" if self.q else "newest") else self.sort,
        }
