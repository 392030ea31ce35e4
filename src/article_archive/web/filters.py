"""Jinja filters of our templates: dates and numbers in the page's language, language names."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from jinja2 import pass_context

from article_archive.web.i18n import long_date, number
from article_archive.web.render import without_calls

LANGUAGES = {
    "fr": "Français", "en": "English", "es": "Español", "de": "Deutsch", "it": "Italiano",
    "pt": "Português", "ja": "日本語", "zh": "中文", "ar": "العربية", "ru": "Русский",
    "nl": "Nederlands", "ca": "Català", "el": "Ελληνικά", "tr": "Türkçe", "pl": "Polski",
}  # fmt: skip


def longdate(value: str | None, lang: str | None = None) -> str:
    """``2023-10-12`` as "12 octobre 2023" (French), "October 12, 2023" (English)…"""
    return long_date(value, lang)


def langname(code: Any) -> str:
    """A language code as its own name ("fr" → "Français"); unknown codes unchanged."""
    text = str(code or "")
    return LANGUAGES.get(text[:2].lower(), text or "unknown")


@pass_context
def num(context: Any, value: Any) -> str:
    """A count written the way the page's language groups digits."""
    return number(value, context.get("ui_lang"))


FILTERS = {
    "longdate": longdate,
    "langname": langname,
    "num": num,
    "pathquote": lambda value: quote(str(value), safe=""),
    "day": lambda value: (value or "")[:10],
    "nocalls": without_calls,
}
