"""Dates as SPIP sites print them (French and English words, ISO, d/m/y) turned into ISO 8601.

Only full dates count: a month and a year without a day give ``None`` — we never guess a
missing part. A time is kept when the text gives one ("à 14h30", "14:30").
"""

from __future__ import annotations

import re
from datetime import date

# One character for one character, so that spans found in the folded text fit the original.
_FOLD = str.maketrans(
    "àâäáãåéèêëíìîïóòôöõúùûüçñÀÂÄÁÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÇÑ\u00a0\u202f\u2009",
    "aaaaaaeeeeiiiiooooouuuucnaaaaaaeeeeiiiiooooouuuucn   ",
)

_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "january": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "february": 2,
    "feb": 2,
    "mars": 3,
    "march": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juin": 6,
    "june": 6,
    "jun": 6,
    "juillet": 7,
    "juil": 7,
    "july": 7,
    "jul": 7,
    "aout": 8,
    "august": 8,
    "aug": 8,
    "septembre": 9,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "october": 10,
    "oct": 10,
    "novembre": 11,
    "november": 11,
    "nov": 11,
    "decembre": 12,
    "december": 12,
    "dec": 12,
}
# Longest names first so that "septembre" wins over "sept".
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))

_TIME = (
    r"(?:\s*(?:,|a|at|-|vers)?\s*(?P<hour>[01]?\d|2[0-3])\s*(?:h|:)\s*"
    r"(?P<minute>[0-5]\d)?(?::(?P<second>[0-5]\d))?(?![\d:]))?"
)
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>[0-3]?\d)\s*(?:er|st|nd|rd|th|e)?\s+(?:de\s+|of\s+)?"
    rf"(?P<month>{_MONTH})\b\.?,?\s+(?P<year>\d{{4}})\b" + _TIME,
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_MONTH})\b\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"
    + _TIME,
    re.IGNORECASE,
)
_ISO = re.compile(
    r"\b(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)"
    r"(?:[T ](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?(?:[.,]\d+)?"
    r"\s*(?P<tz>Z|[+-][01]\d:?[0-5]\d)?)?(?![\d])"
)
_NUMERIC = re.compile(
    r"(?<![\d/.])(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>\d{4})(?![\d/])" + _TIME,
    re.IGNORECASE,
)


def _iso(match: re.Match, month: int) -> str | None:
    """ISO text for a date match, or None when the day does not exist."""
    year, day = int(match["year"]), int(match["day"])
    try:
        date(year, month, day)
    except ValueError:
        return None
    out = f"{year:04d}-{month:02d}-{day:02d}"
    hour = match["hour"]  # every pattern may end with a time
    if hour is None:
        return out
    out += f"T{int(hour):02d}:{match['minute'] or '00'}:{match['second'] or '00'}"
    tz = match["tz"] if match.re is _ISO else None
    if tz:
        out += "Z" if tz == "Z" else f"{tz[:3]}:{tz[-2:]}"
    return out


def _month_of(match: re.Match) -> int:
    """The month number of a match (name or digits)."""
    value = match["month"]
    if value.isdigit():
        return int(value)
    return _MONTHS[value.lower()]


# Each pattern with a character its matches always hold: a quick test that skips the regex.
_PATTERNS = ((_ISO, "-"), (_DAY_MONTH_YEAR, ""), (_MONTH_DAY_YEAR, ""), (_NUMERIC, "/."))
_YEAR = re.compile(r"\d{4}")  # every form holds one


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first full date inside ``text``: (ISO text, start, end) in the original string."""
    if not text or _YEAR.search(text) is None:
        return None
    folded = text if text.isascii() else text.translate(_FOLD)
    best: tuple[str, int, int] | None = None
    for pattern, needed in _PATTERNS:
        if best is not None and best[1] == 0:
            break  # nothing starts before the start
        if needed and not any(c in folded for c in needed):
            continue
        for match in pattern.finditer(folded):
            if best is not None and match.start() >= best[1]:
                break
            month = _month_of(match)
            if not 1 <= month <= 12:
                continue
            iso = _iso(match, month)
            if iso:
                end = match.end()
                while end > match.start() and folded[end - 1] in " ,":
                    end -= 1
                best = (iso, match.start(), end)
                break
    return best


def parse_date(text: str, lang: str | None = None) -> str | None:
    """ISO 8601 text for a French, English, ISO or d/m/y date; None without a full date."""
    # ``lang`` is accepted for callers that know it; both languages' month names are always
    # tried, since SPIP sites mix them (an English page on a French site keeps French dates).
    found = find_date(text)
    return found[0] if found else None
