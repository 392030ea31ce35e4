"""``/{db}/{table}.csv?_stream=on`` on an archive: every row, one query, constant memory.

Datasette 0.65 streams a CSV by running its whole table view again for each page (the
``_size`` of the request, or the table's page size: 50 rows for ``articles``), each page a new
keyset query under the SQL time limit, each row sent as its own ASGI message; on a large
archive that is about half the speed of reading the table with ``sqlite3`` and the server's
memory grows with the pages it has been through. This route answers the same requests with
one ``SELECT`` on a read-only connection of its own, read a batch at a time in a worker
thread (the next batch is read while the last one is sent; the server's flow control holds
the reader back when the client is slow), so memory holds at most two batches and no time
limit cuts the stream.

The CSV is Datasette's, byte for byte: the same columns and order (``rowid`` first on a rowid
table, ``_col``/``_nocol``), the same filters (Datasette's own ``Filters`` and its
``filters_from_request`` hooks, so ``?_search=`` goes through the archive's stemmed
``escape_fts``), the order of Datasette's pages (``_sort``/``_sort_desc`` or the table's
default sort, then the primary key), ``_labels``/``_label`` columns, ``_header=off``, ``_dl``,
blobs as links, ``None`` as an empty cell, ``max_csv_mb`` when it is set. A request using
anything else (``_where``, ``_through``, ``_facet…``, ``_trace``, a canned query, a
``_size`` Datasette refuses, a non-archive database…) goes to Datasette's own view unchanged.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from datasette.utils import (
    add_cors_headers,
    await_me_maybe,
    escape_sqlite,
    tilde_decode,
    value_as_boolean,
)
from datasette.utils.asgi import AsgiStream

from article_archive.web.csv_rows import Plan, Stream
from article_archive.web.integration import is_archive

if TYPE_CHECKING:
    from datasette.views.table import TableView

#: Query string keys this route answers itself; any other ``_…`` key goes to Datasette.
OWN_KEYS = frozenset(
    (
        "_stream",
        "_dl",
        "_header",
        "_size",
        "_nofacet",
        "_nocount",
        "_nosuggest",
        "_col",
        "_nocol",
        "_sort",
        "_sort_desc",
        "_search",
        "_searchmode",
        "_fts_table",
        "_fts_pk",
        "_labels",
        "_label",
    )
)
ROUTE = r"^/(?P<database>[^/.]+)/(?P<table>[^/.]+)\.(?P<format>csv)$"


def _own_request(datasette: Any, request: Any) -> bool:
    """Whether the request is a stream this route knows how to give exactly."""
    if request.method != "GET" or not request.args.get("_stream"):
        return False
    if not datasette.setting("allow_csv_stream"):
        return False
    for key in request.args:
        special = key.startswith("_") and "__" not in key
        if special and key not in OWN_KEYS and not key.startswith("_search_"):
            return False
    return True


def _page_size_taken(datasette: Any, request: Any, db: str, table: str) -> bool:
    """Whether Datasette takes the page size (its pages would fail on any other, or, for 0,
    give one row)."""
    size = request.args.get("_size") or datasette.table_metadata(db, table).get("size")
    return size in (None, "max") or (
        str(size).isdigit() and 0 < int(size) <= datasette.max_returned_rows
    )


async def _where(datasette: Any, request: Any, db: str, table: str) -> tuple[list[str], dict]:
    """Datasette's filters for the request: column filters, then every plugin's (search…)."""
    from datasette.filters import Filters
    from datasette.plugins import pm
    from datasette.views.base import ureg

    args = [
        (key, value)
        for key in request.args
        if not (key.startswith("_") and "__" not in key)
        for value in request.args.getlist(key)
    ]
    units = datasette.table_metadata(db, table).get("units", {})
    where, params = Filters(sorted(args), units, ureg).build_where_clauses(table)
    for hook in pm.hook.filters_from_request(
        request=request, table=table, database=db, datasette=datasette
    ):
        found = await await_me_maybe(hook)
        if found:
            where.extend(found.where_clauses)
            params.update(found.params)
    return where, params


async def _order(
    datasette: Any, view: TableView, request: Any, names: tuple[str, str], keys: list[str]
) -> str | None:
    """The ORDER BY of Datasette's pages put end to end (None: Datasette would refuse it).

    A table's pages follow the sort column, then the primary key (or rowid); a view has no
    key (Datasette pages it by offset), so only the sort column, or no order at all.
    """
    db, table = names
    meta = datasette.table_metadata(db, table)
    sort, sort_desc = request.args.get("_sort"), request.args.get("_sort_desc")
    if not sort and not sort_desc:
        sort, sort_desc = meta.get("sort"), meta.get("sort_desc")
    if sort and sort_desc:
        return None
    chosen = sort or sort_desc
    if chosen:
        sortable = await view.sortable_columns_for_table(db, table, keys == ["rowid"])
        if chosen not in sortable:
            return None
        first = escape_sqlite(chosen) + (" desc" if sort_desc else "")
        return ", ".join([first, *map(escape_sqlite, keys)])
    return ", ".join(map(escape_sqlite, keys))


async def _labelled(datasette: Any, view: TableView, request: Any, db: str, table: str) -> list:
    """The foreign key columns Datasette would follow with a ``_label`` column."""
    try:
        wanted_all = value_as_boolean(request.args.get("_labels", ""))
    except ValueError:
        wanted_all = False  # the CSV's default: no labels
    expandable = await view.expandable_columns(db, table)
    wanted = request.args.getlist("_label") if "_label" in request.args else None
    if wanted is None and wanted_all:
        wanted = [fk["column"] for fk, _ in expandable]
    return [fk["column"] for fk, _ in expandable if wanted and fk["column"] in wanted]


async def make_plan(datasette: Any, request: Any) -> Plan | None:
    """The query and CSV shape of Datasette's stream for this request (None: leave it to
    Datasette, which knows what to answer)."""
    route = tilde_decode(request.url_vars["database"])
    table = tilde_decode(request.url_vars["table"])
    try:
        database = datasette.get_database(route=route)
    except KeyError:
        return None
    name = database.name
    if database.is_memory or not is_archive(datasette, name):
        return None
    if await datasette.get_canned_query(name, table, request.actor):
        return None
    is_view = bool(await database.get_view_definition(table))
    if not is_view and not await database.table_exists(table):
        return None
    visible, _ = await datasette.check_visibility(
        request.actor,
        permissions=[("view-table", (name, table)), ("view-database", name), "view-instance"],
    )
    if not visible or not _page_size_taken(datasette, request, name, table):
        return None
    from datasette.views.base import DatasetteError  # not at import: Datasette loads us first
    from datasette.views.table import TableView

    view = TableView(datasette)
    pks = await database.primary_keys(table)
    try:
        columns = await view.columns_to_select(await database.table_columns(table), pks, request)
    except DatasetteError:  # a bad _col/_nocol: Datasette's view says so
        return None
    use_rowid = not pks and not is_view
    selected = ["rowid", *columns] if use_rowid else columns
    keys = ["rowid"] if use_rowid else pks
    order = await _order(datasette, view, request, (name, table), keys)
    if order is None:
        return None
    where, params = await _where(datasette, request, name, table)
    source = "from {}{}{}".format(
        escape_sqlite(table),
        f" where {' and '.join(where)}" if where else "",
        f" order by {order}" if order else "",
    )
    plan = Plan(route, name, table, selected, source, params, pks)
    plan.expanded = await _labelled(datasette, view, request, name, table)
    return plan


async def _response(datasette: Any, request: Any, plan: Plan) -> AsgiStream | None:
    """The streaming response, or None when the query fails (Datasette then says why)."""
    stream = Stream(datasette, request, plan)
    try:
        await stream.start()
    except sqlite3.Error:
        return None
    headers: dict[str, str] = {}
    if datasette.cors:
        add_cors_headers(headers)
    content_type = "text/plain; charset=utf-8"
    if request.args.get("_dl"):
        content_type = "text/csv; charset=utf-8"
        filename = request.url_vars.get("table", plan.database)
        headers["content-disposition"] = f'attachment; filename="{filename}.csv"'

    async def stream_fn(writer: Any) -> None:
        async def send(body: bytes) -> None:
            await writer.send({"type": "http.response.body", "body": body, "more_body": True})

        await stream.run(send)

    return AsgiStream(stream_fn, headers=headers, content_type=content_type)


async def table_csv(datasette: Any, request: Any, send: Any) -> Any:
    """``/{db}/{table}.csv``: our stream when we can give Datasette's exactly, else its view."""
    if _own_request(datasette, request):
        await datasette.refresh_schemas()
        plan = await make_plan(datasette, request)
        response = await _response(datasette, request, plan) if plan else None
        if response is not None:
            return response
    from datasette.views.table import TableView

    return await TableView.as_view(datasette)(request, send)


ROUTES = [(ROUTE, table_csv)]
