"""Inserting a row and getting its id back, typed (sqlite-utils types ``last_pk`` as Any)."""

from __future__ import annotations

from typing import Any

import sqlite_utils


def insert_id(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> int:
    """Insert ``row`` into ``table``; the new row's integer id."""
    pk = db.table(table).insert(row).last_pk
    if not isinstance(pk, int):
        raise TypeError(f"{table} has no integer id (got {pk!r})")
    return pk
