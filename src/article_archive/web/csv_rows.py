"""The rows of one CSV stream, read from SQLite and written as Datasette writes them.

Most of the cost of a CSV of articles is the text: Python's ``csv`` module copies every
character of every body through its quoting loop, and each text is decoded from UTF-8 and
encoded back. So when the stream needs nothing Python must decide (no ``_label`` columns,
no ``max_csv_mb``, a UTF-8 database), SQLite writes each cell itself: a text cell quoted by
the ``csv`` module's own rule (double quotes around a text holding a comma, a quote, CR or
LF, quotes doubled), an integer as its digits, ``NULL`` as nothing, all as bytes that are
joined and sent without being decoded. A real or a blob is left to Python (a real is
written as Python writes it, a blob as the link to its download), and invalid UTF-8 is
replaced as Datasette's connection replaces it. Otherwise the rows go through ``csv``
exactly as in Datasette's view.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from datasette.utils import escape_sqlite, path_from_row_pks

#: Rows read from SQLite per batch (a worker thread reads the next while one is sent).
BATCH = 200
#: Characters of CSV gathered before they are sent.
CHUNK = 256 * 1024
NEEDS_QUOTES = frozenset(',"\r\n')

Send = Callable[[bytes], Awaitable[None]]


@dataclass
class Plan:
    """What one stream reads and how it writes it."""

    database: str  # the route of the database, as Datasette's CSV uses it for blob links
    name: str  # the database's name
    table: str
    columns: list[str]  # selected, in order (``rowid`` first on a rowid table)
    source: str  # FROM … WHERE … ORDER BY …
    params: dict[str, Any]
    pks: list[str]
    expanded: list[str] = field(default_factory=list)  # columns followed by a ``_label``

    def headings(self) -> list[str]:
        """The header row: each column, and ``{column}_label`` after an expanded one."""
        out = []
        for column in self.columns:
            out.append(column)
            if column in self.expanded:
                out.append(f"{column}_label")
        return out

    def plain_sql(self) -> str:
        """The query of Datasette's pages, without their LIMIT."""
        return f"select {', '.join(map(escape_sqlite, self.columns))} {self.source}"

    def cells_sql(self) -> str:
        """The same rows with SQLite writing each text, integer and null cell, then the raw
        value of each real or blob cell, then the key (for blob links; one column at most)."""
        cells, raws = [], []
        for column in map(escape_sqlite, self.columns):
            cells.append(
                f"CASE typeof({column}) WHEN 'text' THEN CAST(CASE WHEN instr({column}, ',') "
                f"OR instr({column}, '\"') OR instr({column}, char(10)) "
                f"OR instr({column}, char(13)) THEN '\"' || replace({column}, '\"', '\"\"') "
                f"|| '\"' ELSE {column} END AS BLOB) WHEN 'integer' THEN "
                f"CAST(CAST({column} AS TEXT) AS BLOB) WHEN 'null' THEN x'' END"
            )
            raws.append(f"CASE WHEN typeof({column}) IN ('real', 'blob') THEN {column} END")
        key = escape_sqlite(self.pks[0]) if self.pks else "rowid"
        keys = [key if self.pks or "rowid" in self.columns else "NULL"]
        return f"select {', '.join(cells + raws + keys)} {self.source}"


def quoted(text: str) -> str:
    """One cell as the ``csv`` module writes it (minimal quoting)."""
    if NEEDS_QUOTES.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def connect(datasette: Any, name: str) -> sqlite3.Connection:
    """A read-only connection like Datasette's own (same URI, same prepare_connection hooks,
    so ``escape_fts`` stems), returning rows as tuples."""
    database = datasette.get_database(name)
    qs = "?mode=ro" + ("&nolock=1" if datasette.nolock else "")
    uri = f"file:{database.path}{qs if database.is_mutable else '?immutable=1'}"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    datasette._prepare_connection(conn, name)
    conn.row_factory = None
    return conn


async def _disconnected(receive: Callable[[], Awaitable[dict]]) -> None:
    """Returns when the client has gone."""
    while (await receive())["type"] != "http.disconnect":
        pass


class Stream:
    """One CSV stream: the cursor, the rows read ahead, the text not yet sent."""

    def __init__(self, datasette: Any, request: Any, plan: Plan):
        self.datasette, self.request, self.plan = datasette, request, plan
        self.conn = connect(datasette, plan.name)
        self.cursor: sqlite3.Cursor | None = None
        self.limit = int(datasette.setting("max_csv_mb") or 0) * 1024 * 1024
        self.fast = False
        self.out = io.StringIO()
        self.writer = csv.writer(self.out)
        self.sent = 0  # characters sent, for max_csv_mb

    async def start(self) -> None:
        """Run the query (raises ``sqlite3.Error`` before any byte is sent)."""
        encoding = self.conn.execute("PRAGMA encoding").fetchone()[0]
        plan = self.plan
        self.fast = not (plan.expanded or self.limit or len(plan.pks) > 1) and encoding == "UTF-8"
        sql = self.plan.cells_sql() if self.fast else self.plan.plain_sql()
        try:
            self.cursor = await asyncio.to_thread(self.conn.execute, sql, self.plan.params)
        except sqlite3.Error:
            self.conn.close()
            raise

    def _read(self) -> asyncio.Future[list]:
        assert self.cursor is not None
        return asyncio.ensure_future(asyncio.to_thread(self.cursor.fetchmany, BATCH))

    def _blob_link(self, keys: dict[str, Any], column: str) -> str:
        path = path_from_row_pks(keys, self.plan.pks, not self.plan.pks)
        url = self.datasette.urls.row_blob(self.plan.database, self.plan.table, path, column)
        return str(self.datasette.absolute_url(self.request, url))

    def _python_cells(self, row: tuple) -> list:
        """A row for ``csv``: Datasette names a blob cell by zipping its headings (``_label``
        ones too) with the values, so the column it names can be shifted; so here."""
        if bytes not in map(type, row):
            return list(row)
        keys = dict(zip(self.plan.columns, row, strict=True))
        if not self.plan.pks and "rowid" not in keys:
            raise IndexError("No item with that key")  # sqlite3.Row's, in Datasette's view
        headings = self.plan.headings()
        return [
            self._blob_link(keys, column) if isinstance(cell, bytes) else cell
            for column, cell in zip(headings, row, strict=False)
        ]

    def _fast_line(self, row: tuple) -> bytes:
        n = len(self.plan.columns)
        cells = row[:n]
        if None in cells:  # a real or a blob, written by Python
            key = self.plan.pks[0] if self.plan.pks else "rowid"
            keys = {key: row[-1]} if self.plan.pks or "rowid" in self.plan.columns else {}
            out = list(cells)
            for i, cell in enumerate(cells):
                if cell is None:
                    raw = row[n + i]
                    if isinstance(raw, bytes):
                        if not keys:
                            raise IndexError("No item with that key")
                        text = quoted(self._blob_link(keys, self.plan.columns[i]))
                    else:
                        text = str(raw)
                    out[i] = text.encode()
            cells = tuple(out)
        if n == 1 and cells[0] == b"":
            return b'""'  # csv's only way to write a row of one empty cell
        return b",".join(cells)

    async def _fast_batch(self, rows: list, send: Send) -> None:
        """Send a batch written by SQLite; on an error, the rows before it, then raise."""
        lines = []
        try:
            for row in rows:
                lines.append(self._fast_line(row))
        finally:
            if lines:
                chunk = b"\r\n".join(lines) + b"\r\n"
                try:
                    chunk.decode("utf-8")
                except UnicodeDecodeError:  # as Datasette's text_factory decodes it
                    chunk = chunk.decode("utf-8", "replace").encode("utf-8")
                await send(chunk)

    async def _labels(self, rows: list) -> dict:
        """Labels of this batch's foreign keys: (column, value) -> label, as Datasette's."""
        found: dict = {}
        for column in self.plan.expanded:
            at = self.plan.columns.index(column)
            values = [row[at] for row in rows]
            found.update(
                await self.datasette.expand_foreign_keys(
                    self.plan.name, self.plan.table, column, values
                )
            )
        return found

    def _add(self, cells: list) -> bool:
        """Write one row; False when it would pass ``max_csv_mb`` (it is then left out)."""
        before = self.out.tell()
        self.writer.writerow(cells)
        if not self.limit or self.sent + self.out.tell() <= self.limit:
            return True
        self.out.seek(before)
        self.out.truncate()
        return False

    async def _python_batch(self, rows: list) -> bool:
        """Write a batch through ``csv``; False when the size limit stopped the stream."""
        labels = await self._labels(rows) if self.plan.expanded else {}
        for row in rows:
            cells = self._python_cells(row)
            if self.plan.expanded:
                with_labels: list = []
                for column, cell in zip(self.plan.columns, cells, strict=False):
                    with_labels.append(cell)
                    if column in self.plan.expanded:
                        with_labels.append(None if cell is None else labels.get((column, cell)))
                cells = with_labels
            if not self._add(cells):
                return False
        return True

    async def _flush(self, send: Send, extra: str = "") -> None:
        text = self.out.getvalue() + extra
        self.sent += len(text)
        self.out.seek(0)
        self.out.truncate()
        if text:
            await send(text.encode("utf-8"))

    async def run(self, send: Send) -> None:
        """Send every row; on an error, what was written and then the error, as Datasette."""
        too_big = f"CSV contains more than {self.limit} bytes"
        if self.request.args.get("_header") != "off" and not self._add(self.plan.headings()):
            await self._flush(send, too_big)
            return
        await self._flush(send)
        gone = asyncio.ensure_future(_disconnected(self.request.receive))
        ahead = self._read()
        try:
            while True:
                rows = await ahead
                if not rows or gone.done():
                    break
                ahead = self._read()
                if self.fast:
                    await self._fast_batch(rows, send)
                    continue
                if not await self._python_batch(rows):
                    await self._flush(send, too_big)
                    return
                if self.out.tell() >= CHUNK:
                    await self._flush(send)
            await self._flush(send)
        except (sqlite3.Error, IndexError, ValueError) as error:
            await self._flush(send, str(error))
        finally:
            gone.cancel()
            self._close_after(ahead)

    def _close_after(self, ahead: asyncio.Future[list]) -> None:
        """Close the connection once no worker thread is reading from it."""
        if ahead.done():
            if not ahead.cancelled():
                ahead.exception()  # retrieved, so asyncio does not log it
            self.conn.close()
        else:
            ahead.add_done_callback(lambda _: self._close_after(ahead))
