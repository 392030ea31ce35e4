"""Article dates stored in one clock: UTC, so that ``+01:00`` and ``Z`` rows sort together.

Pages give their dates as they like: ``2024-01-02T03:04:05+01:00``, ``2024-01-02T02:04:05Z``,
``2024-01-02``. ``published``, ``updated`` and ``written`` are stored in UTC
(``YYYY-MM-DDTHH:MM:SSZ``) when the page gave a time with an offset; a date alone, or a time
without an offset (whose clock nobody knows), is stored as given. The page's own text of every
date that was changed is kept in ``articles.dates_as_given`` (a JSON object, field -> text).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import sqlite_utils

DATE_FIELDS = ("published", "updated", "written")

# A date, a time, and an offset: Z, +01:00, +0100 or +01.
_WITH_OFFSET = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$", re.I
)


def utc_date(value: str | None) -> str | None:
    """``value`` in UTC when it is a time with an offset; otherwise ``value`` itself."""
    if not value or not _WITH_OFFSET.match(value.strip()):
        return value
    text = value.strip().replace(" ", "T", 1).replace(" ", "")
    text = re.sub(r"z$", "+00:00", text, flags=re.I)
    text = re.sub(r"([+-]\d{2})$", r"\1:00", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:  # 2024-02-30T10:00Z and the like: kept as the page wrote it
        return value
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_dates(row: dict) -> dict:
    """Put ``row``'s date fields in UTC, keeping the texts changed in ``dates_as_given``."""
    given = {}
    for name in DATE_FIELDS:
        value = row.get(name)
        if not isinstance(value, str):
            continue
        normal = utc_date(value)
        if normal != value:
            given[name] = value
            row[name] = normal
    row["dates_as_given"] = json.dumps(given, ensure_ascii=False) if given else None
    return row


def normalize_stored_dates(db: sqlite_utils.Database) -> None:
    """Schema version 5: the dates of the articles already archived put in UTC."""
    columns = ", ".join(DATE_FIELDS)
    changed = []
    for article_id, *values in db.execute(f"SELECT id, {columns} FROM articles").fetchall():
        row = normalize_dates(dict(zip(DATE_FIELDS, values, strict=True)))
        if row["dates_as_given"]:
            values = [row[name] for name in DATE_FIELDS]
            year_text = re.match(r"\d{4}", row["published"] or "")
            year = int(year_text.group()) if year_text else None
            changed.append([*values, row["dates_as_given"], year, article_id])
    # The year follows the UTC date (as ``store.articles`` computes it for new rows).
    assignments = ", ".join(f"{name} = ?" for name in DATE_FIELDS)
    sql = f"UPDATE articles SET {assignments}, dates_as_given = ?, year = ? WHERE id = ?"
    db.conn.executemany(sql, changed)
