"""The interface's words in the reader's language: one gettext catalogue per language.

Each language is one file, ``web/locale/<lang>/LC_MESSAGES/messages.po``, read at run time with
Babel (no compile step, so the editable install and the wheel behave alike). Templates use
Jinja's i18n extension (``{% trans %}``, ``_()``); the language of a page is its context's
``ui_lang``, so one Datasette serves French and English pages side by side.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import pass_context

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT = "en"


def catalogue_path(lang: str) -> Path:
    """Where the catalogue of ``lang`` lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """The languages the interface speaks (those with a catalogue)."""
    return frozenset(p.parent.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


@lru_cache(maxsize=16)
def translations(lang: str) -> NullTranslations:
    """The catalogue of ``lang`` as gettext translations (English words when there is none)."""
    path = catalogue_path(lang)
    if lang not in languages():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def ui_language(*candidates: str | None) -> str:
    """The first of ``candidates`` (language codes such as ``fr`` or ``pt-BR``) we speak."""
    for code in candidates:
        base = (code or "").replace("_", "-").split("-")[0].lower()
        if base in languages():
            return base
    return DEFAULT


def preferred(header: str | None) -> list[str]:
    """The languages of an ``Accept-Language`` header, most wanted first."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        code, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if code and code != "*" and weight > 0:
            ranked.append((-weight, position, code))
    return [code for _, _, code in sorted(ranked)]


@pass_context
def _gettext(context: Any, message: str) -> str:
    return translations(context.get("ui_lang") or DEFAULT).gettext(message)


@pass_context
def _ngettext(context: Any, singular: str, plural: str, n: int) -> str:
    return translations(context.get("ui_lang") or DEFAULT).ngettext(singular, plural, n)


@pass_context
def _pgettext(context: Any, where: str, message: str) -> str:
    return str(translations(context.get("ui_lang") or DEFAULT).pgettext(where, message))


@pass_context
def _npgettext(context: Any, where: str, singular: str, plural: str, n: int) -> str:
    found = translations(context.get("ui_lang") or DEFAULT)
    return found.npgettext(where, singular, plural, n)


def install(env: Any) -> None:
    """Add the i18n extension to Datasette's Jinja environment, reading each page's language."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )


def _locale(lang: str | None) -> Locale:
    try:
        return Locale.parse((lang or DEFAULT).replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse(DEFAULT)


def long_date(value: str | None, lang: str | None = None) -> str:
    """``2022-12-28`` as people write it: "28 décembre 2022", "December 28, 2022".

    The day and the month are tied by a no-break space; French writes the first "1er".
    Anything that is not a date is returned as given.
    """
    if not value or len(value) < 10:
        return value or ""
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    locale = _locale(lang)
    text = format_date(day, format="long", locale=locale)
    if locale.language == "fr" and day.day == 1:
        text = text.replace("1 ", "1er ", 1)
    return text.replace(" ", "\u00a0", 1)


def number(value: Any, lang: str | None = None) -> str:
    """A count with the language's digit grouping ("12 345", "12,345")."""
    return format_decimal(value or 0, locale=_locale(lang))
