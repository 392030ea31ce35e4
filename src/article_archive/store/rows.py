"""Plain statements for the rows the crawl writes per page: insert, update, read as dicts.

sqlite-utils wraps every ``query`` in a savepoint and looks the table up in
``sqlite_master`` on every ``insert`` and ``update``: four statements around each one the
crawl means, several times per archived page. These helpers send the one statement.
Values are stored as given (text, numbers, bytes, None); lists and dicts as JSON text, as
sqlite-utils stores them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils


def _value(value: Any) -> Any:
    """A value SQLite takes: lists, tuples and dicts as JSON text (as sqlite-utils does)."""
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=repr, ensure_ascii=False)
    return value


def insert_id(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> int:
    """Insert ``row`` into ``table``; the new row's integer id."""
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" for _ in row)
    cursor = db.execute(
        f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', [_value(v) for v in row.values()]
    )
    pk = cursor.lastrowid
    if not isinstance(pk, int):
        raise TypeError(f"{table} has no integer id (got {pk!r})")
    return pk


def update_row(db: sqlite_utils.Database, table: str, row_id: int, values: dict[str, Any]) -> None:
    """Set ``values`` on the row ``row_id`` (its ``id``) of ``table``."""
    if not values:
        return
    assignments = ", ".join(f'"{name}" = ?' for name in values)
    db.execute(
        f'UPDATE "{table}" SET {assignments} WHERE id = ?',
        [*(_value(v) for v in values.values()), row_id],
    )


def dict_rows(
    db: sqlite_utils.Database, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> list[dict[str, Any]]:
    """The rows of a SELECT as dicts keyed by column name."""
    cursor = db.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def dict_row(
    db: sqlite_utils.Database, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> dict[str, Any] | None:
    """The first row of a SELECT as a dict, or None."""
    cursor = db.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([column[0] for column in cursor.description], row, strict=True))
