"""Writing articles out as CSV, JSON or JSONL, streamed batch by batch from the database.

Which articles: those the search engine (``article_archive.search``) finds for a request, so
``export --search Q`` holds exactly what the search page finds for Q. What each holds: the
record of ``store.read`` — JSON and JSONL write it whole, CSV flattens it into ``COLUMNS``
(lists as readable text). The web exports use the same functions, with a link to the reader.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from typing import Any, BinaryIO, TextIO

from article_archive.search import SearchRequest, matching_ids
from article_archive.store.read import load_articles

FORMATS = ("csv", "json", "jsonl")
COLUMNS = [
    "id",
    "url",
    "title",
    "subtitle",
    "surtitle",
    "section",
    "section_path",
    "authors",
    "published",
    "written",
    "updated",
    "lang",
    "lead",
    "keywords",
    "word_count",
    "body_text",
    "footnotes",
    "postscript",
    "translations",
    "site",
    "spip_id",
    "extractor",
    "first_seen",
    "last_fetched",
]
# Lists joined with this separator; chosen because names and keywords contain commas.
SEPARATOR = "; "
BATCH = 200
# Spreadsheets run a cell starting with one of these as a formula; the Excel CSV quotes them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record flattened for CSV: "Monde > Asie", "A; B", "[1] note", "en: https://…"."""
    row = {name: record.get(name) for name in COLUMNS}
    row["section_path"] = " > ".join(record["section_path"])
    row["authors"] = SEPARATOR.join(a["name"] for a in record["authors"])
    row["keywords"] = SEPARATOR.join(record["keywords"])
    row["footnotes"] = "\n".join(f"[{n['number']}] {n['text']}" for n in record["footnotes"])
    row["translations"] = SEPARATOR.join(f"{t['lang']}: {t['url']}" for t in record["translations"])
    return row


def neutralized(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with every text cell that a spreadsheet would run as a formula made plain text."""
    return {
        name: "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
        for name, value in row.items()
    }


def records(conn: sqlite3.Connection, ids: list[int]) -> Iterator[dict[str, Any]]:
    """The records of ``ids`` in that order, read a batch at a time."""
    for start in range(0, len(ids), BATCH):
        yield from load_articles(conn, ids[start : start + BATCH])


def export_articles(
    db: Any,
    out: TextIO | BinaryIO,
    *,
    fmt: str = "csv",
    search: str | None = None,
    request: SearchRequest | None = None,
    excel: bool = False,
) -> int:
    """Write the articles (those matching ``search`` or ``request``) to ``out``; the count.

    ``db``: a ``sqlite_utils.Database`` or ``sqlite3.Connection``. ``search`` is a query text
    (newest first); ``request`` a whole search with filters and sort. ``out`` may be a text
    stream (open it with ``newline=""`` for CSV) or a binary one (written as UTF-8).
    ``excel=True`` starts a CSV with a byte-order mark so spreadsheet programs read it as UTF-8,
    and neutralizes the cells they would run as formulas. Without a search: every article,
    newest first.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if request is None and search is not None:
        request = SearchRequest(q=search.strip(), sort="newest")
        if not request.q:
            return _write(iter(()), out, fmt, excel)
    conn: sqlite3.Connection = getattr(db, "conn", db)
    ids = matching_ids(conn, request or SearchRequest(sort="newest"))
    return _write(records(conn, ids), out, fmt, excel)


def _write(rows: Iterator[dict[str, Any]], out: TextIO | BinaryIO, fmt: str, excel: bool) -> int:
    """Write ``rows`` to a text or binary stream, leaving it open."""
    binary = isinstance(out, io.RawIOBase | io.BufferedIOBase) or "b" in getattr(out, "mode", "")
    text: Any = io.TextIOWrapper(out, encoding="utf-8", newline="") if binary else out
    try:
        return write_records(rows, text, fmt, excel=excel)
    finally:
        if binary:
            text.flush()
            text.detach()


def write_records(
    rows: Iterator[dict[str, Any]],
    text: TextIO,
    fmt: str,
    *,
    excel: bool = False,
    extra: tuple[str, ...] = (),
) -> int:
    """Serialize records as CSV (``COLUMNS`` then ``extra``), a JSON array or JSON lines.

    Returns how many were written. JSON keeps each record whole (``extra`` keys included).
    """
    count = 0
    if fmt == "csv":
        text.write(("\ufeff" if excel else "") + csv_text([], header=True, extra=extra))
        for record in rows:
            text.write(csv_text([record], extra=extra, excel=excel))
            count += 1
    elif fmt == "jsonl":
        for record in rows:
            text.write(json_text(record, first=False, lines=True))
            count += 1
    else:
        text.write("[")
        for record in rows:
            text.write(json_text(record, first=not count, lines=False))
            count += 1
        text.write("\n]\n" if count else "]\n")
    return count


def csv_text(
    rows: list[dict[str, Any]],
    *,
    header: bool = False,
    extra: tuple[str, ...] = (),
    excel: bool = False,
) -> str:
    """CSV lines (CRLF) of records flattened by ``csv_row``, plus their ``extra`` columns.

    ``excel``: for spreadsheet programs, cells that would run as formulas are neutralized.
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *extra], lineterminator="\r\n")
    if header:
        writer.writeheader()
    for record in rows:
        row = {**csv_row(record), **{name: record.get(name) for name in extra}}
        writer.writerow(neutralized(row) if excel else row)
    return out.getvalue()


def json_text(record: dict[str, Any], *, first: bool, lines: bool) -> str:
    """One record as a JSON line, or as the next item of a JSON array (``first``: no comma)."""
    encoded = json.dumps(record, ensure_ascii=False)
    if lines:
        return encoded + "\n"
    return ("\n" if first else ",\n") + encoded
