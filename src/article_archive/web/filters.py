"""Jinja filters of our templates: dates in words, language names, the reader's labels."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from article_archive.web.render import without_calls

MONTHS = {
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
}
LANGUAGES = {
    "fr": "Français", "en": "English", "es": "Español", "de": "Deutsch", "it": "Italiano",
    "pt": "Português", "ja": "日本語", "zh": "中文", "ar": "العربية", "ru": "Русский",
    "nl": "Nederlands", "ca": "Català", "el": "Ελληνικά", "tr": "Türkçe", "pl": "Polski",
}  # fmt: skip
LABELS = {
    "fr": {
        "by": "par",
        "written": "Date de rédaction antérieure",
        "toc": "Sommaire",
        "notes": "Notes",
        "back": "Retour à l’appel de note",
        "ps": "P.-S.",
        "keywords": "Mots-clés",
    },
    "en": {
        "by": "by",
        "written": "Written earlier",
        "toc": "Contents",
        "notes": "Notes",
        "back": "Back to the text",
        "ps": "P.S.",
        "keywords": "Keywords",
    },
}


def longdate(value: str | None, lang: str | None = None) -> str:
    """``2023-10-12`` as "12 octobre 2023" (French) or "12 October 2023" (other languages)."""
    if not value or len(value) < 10 or not value[:4].isdigit():
        return value or ""
    months = MONTHS.get((lang or "en")[:2], MONTHS["en"]).split()
    try:
        year, month, day = int(value[:4]), int(value[5:7]), int(value[8:10])
        name = months[month - 1]
    except (ValueError, IndexError):
        return value[:10]
    first = "1er" if day == 1 and (lang or "")[:2] == "fr" else str(day)
    return f"{first}\u00a0{name} {year}"


def langname(code: Any) -> str:
    """A language code as its own name ("fr" → "Français"); unknown codes unchanged."""
    text = str(code or "")
    return LANGUAGES.get(text[:2].lower(), text or "unknown")


def labels(lang: str | None) -> dict[str, str]:
    """The reader's fixed words in the article's language (English when we lack it)."""
    return LABELS.get((lang or "")[:2], LABELS["en"])


FILTERS = {
    "longdate": longdate,
    "langname": langname,
    "labels": labels,
    "pathquote": lambda value: quote(str(value), safe=""),
    "day": lambda value: (value or "")[:10],
    "nocalls": without_calls,
}
