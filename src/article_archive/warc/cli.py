"""The command line's side of ``export --format warc|wacz`` (kept out of cli/)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from article_archive.errors import UserError
from article_archive.store.identity import open_for_reading
from article_archive.warc.write import write_wacz, write_warc


def export_captures(
    db_path: Path, fmt: str, output: Path | None, *, echo: Callable[..., Any]
) -> None:
    """Write every capture of the archive at ``db_path`` as WARC or WACZ to ``output``.

    A WARC goes to stdout without ``--output`` (gzipped unless the file is named ``.warc``);
    a WACZ is a zip and needs a file.
    """
    db = open_for_reading(db_path)
    try:
        if fmt == "wacz":
            if output is None:
                raise UserError("--format wacz needs --output FILE.wacz")
            stats = write_wacz(db, output)
        elif output is None:
            stats = write_warc(db, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                stats = write_warc(db, out, gzip=not output.name.lower().endswith(".warc"))
    finally:
        db.close()
    where = output if output is not None else "stdout"
    echo(f"{stats.responses} captures ({stats.records} WARC records) written to {where}", err=True)
