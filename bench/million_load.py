"""Loading ``bench/million.py``'s rows into an archive: bulk inserts, indexes and FTS after.

``python bench/million_load.py 1000000`` builds (or reuses) ``.cache/bench/million-1000000-*.db``
and prints its build statistics (also kept beside it as ``.json``): seconds for the load, the
indexes, each full-text index, bytes per article, the size of each FTS index.
"""

from __future__ import annotations

import argparse
import calendar
import json
import multiprocessing
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import million
import million_rows

COMMIT_EVERY = 10_000  # articles per transaction


def _stderr(message: str) -> None:
    print(time.strftime("%H:%M:%S"), message, file=sys.stderr, flush=True)


def _dropped(conn: sqlite3.Connection) -> list[str]:
    """Drop the secondary indexes and the triggers; their SQL, to create them again after."""
    rows = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND ((type = 'index' AND tbl_name IN ('articles', 'pages', 'captures', "
        "'article_authors', 'article_keywords')) OR type = 'trigger')"
    ).fetchall()
    for kind, name, _ in rows:
        conn.execute(f"DROP {kind.upper()} {name}")
    return [sql for kind, _, sql in sorted(rows, key=lambda r: r[0] != "index")]


def _insert(
    conn: sqlite3.Connection, table: str, rows: list[tuple[Any, ...]], columns: list[str]
) -> None:
    if rows:
        names, marks = ", ".join(columns), ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _people(conn: sqlite3.Connection, model: million.corpus.Model) -> None:
    """The authors and keywords rows (ids as ``million_rows.article_rows`` links them)."""
    conn.executemany(
        "INSERT INTO authors (id, name, url) VALUES (?, ?, ?)",
        [
            (i, name, f"https://{million.SITE}/spip.php?auteur{i}")
            for i, name in enumerate(model.authors, 1)
        ],
    )
    conn.executemany(
        "INSERT INTO keywords (id, name) VALUES (?, ?)", list(enumerate(model.keywords, 1))
    )


def _load(
    conn: sqlite3.Connection,
    count: int,
    seed: int,
    workers: int,
    progress: Callable[[str], None],
    until: float | None = None,
) -> int:
    """Insert the rows; the stems go to ``load.stems`` (an attached side file); how many.

    ``until`` (a ``time.time()``): stop at the first chunk past it, with fewer articles.
    """
    started = last = time.perf_counter()
    done = 0
    conn.execute("BEGIN")
    for rows in million_rows.chunks(count, seed, workers):
        for table, columns in million_rows.COLUMNS.items():
            _insert(conn, table, getattr(rows, table.split(".")[-1]), columns)
        done += len(rows.articles)
        if done % COMMIT_EVERY < million_rows.CHUNK or done == count:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
        now = time.perf_counter()
        if now - last > 30 or done == count:
            rate = done / (now - started)
            progress(
                f"loaded {done:,}/{count:,}, {rate:,.0f}/s, ~{(count - done) / rate:,.0f} s left"
            )
            last = now
        if until is not None and time.time() > until and done < count:
            progress(f"stopping at {done:,} articles (--until)")
            break
    conn.execute("COMMIT")
    return done


def _timed(conn: sqlite3.Connection, sqls: list[str]) -> float:
    started = time.perf_counter()
    for sql in sqls:
        conn.execute(sql)
    conn.commit()
    return round(time.perf_counter() - started, 1)


def fts_sizes(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes of each full-text index (its shadow tables), from SQLite's ``dbstat``."""
    sizes = {}
    for fts in ("articles_fts", "article_stems"):
        row = conn.execute(
            "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE ? || '%'", [fts]
        ).fetchone()
        sizes[fts] = int(row[0] or 0)
    return sizes


def build(
    path: Path,
    count: int,
    seed: int = million.SEED,
    progress: Callable[[str], None] = _stderr,
    workers: int | None = None,
    until: float | None = None,
) -> dict[str, Any]:
    """Build the archive of ``count`` articles at ``path``; its build statistics.

    ``workers``: processes making the rows (default: one per core; 1: in this process).
    ``until``: a time (``time.time()``) past which the load stops: the archive then holds the
    articles loaded so far (the first ones of the full archive) and is named by that number.
    """
    workers = workers or max(1, multiprocessing.cpu_count() or 2)
    from article_archive.store import open_archive

    partial = path.with_name(path.name + ".partial")
    side = path.with_name(path.name + ".stems")
    for leftover in [*path.parent.glob(partial.name + "*"), side]:
        leftover.unlink(missing_ok=True)
    open_archive(partial).close()  # the store's schema, every migration applied
    conn = sqlite3.connect(partial, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")  # a failed build is thrown away whole
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -1000000")
    conn.execute(f"ATTACH '{side}' AS load")
    conn.execute("PRAGMA load.journal_mode = OFF")
    conn.execute("CREATE TABLE load.stems (rowid INTEGER PRIMARY KEY, t, l, b, a)")
    later = _dropped(conn)
    million_rows.ARTICLE_COLUMNS[:] = million_rows._columns()
    started = time.perf_counter()
    conn.execute("BEGIN")
    _people(conn, million._model())
    conn.execute("COMMIT")
    target, count = count, _load(conn, count, seed, workers, progress, until)
    if count < target:
        path = million.archive_path(count, seed)
    stats: dict[str, Any] = {
        "articles": count,
        "load_seconds": round(time.perf_counter() - started, 1),
    }
    progress("creating the indexes")
    conn.isolation_level = ""
    stats["index_seconds"] = _timed(
        conn,
        [
            s
            for s in later
            if s.upper().startswith("CREATE INDEX") or s.upper().startswith("CREATE UNIQUE")
        ],
    )
    progress("building articles_fts")
    stats["articles_fts_seconds"] = _timed(
        conn, ["INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')"]
    )
    progress("building article_stems")
    stats["article_stems_seconds"] = _timed(
        conn,
        [
            "INSERT INTO article_stems (rowid, title, lead, body, authors) "
            "SELECT rowid, t, l, b, a FROM load.stems ORDER BY rowid",
        ],
    )
    _timed(conn, [s for s in later if s.upper().startswith("CREATE TRIGGER")])
    conn.isolation_level = None
    conn.execute("DETACH load")
    side.unlink()
    stats["seconds"] = round(time.perf_counter() - started, 1)
    stats.update(fts_bytes=fts_sizes(conn))
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    open_archive(partial).close()  # the store opens it as any archive
    partial.rename(path)
    stats.update(
        bytes=path.stat().st_size,
        bytes_per_article=round(path.stat().st_size / count),
        stamp=million.stamp(seed),
        built=time.strftime("%Y-%m-%d %H:%M:%S"),
        cpus=multiprocessing.cpu_count(),
    )
    path.with_suffix(".json").write_text(json.dumps(stats, indent=2), encoding="utf-8")
    return stats


def _utc_today(hhmm: str) -> float:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    now = time.gmtime()
    return calendar.timegm((now.tm_year, now.tm_mon, now.tm_mday, hours, minutes, 0))


def ensure(
    count: int,
    *,
    rebuild: bool = False,
    until: float | None = None,
    seed: int = million.SEED,
    progress: Callable[[str], None] = _stderr,
) -> tuple[Path, dict[str, Any]]:
    """The cached archive of ``count`` articles (built when missing or stale), its stats."""
    million.CACHE.mkdir(parents=True, exist_ok=True)
    path = million.archive_path(count, seed)
    info = path.with_suffix(".json")
    if rebuild or not path.exists() or not info.exists():
        for old in million.CACHE.glob(f"million-{count}-*"):
            if not old.name.endswith(".partial"):
                old.unlink()
        progress(f"building a {count:,}-article archive at {path}")
        stats = build(path, count, seed, progress, until=until)
        return million.archive_path(stats["articles"], seed), stats
    progress(f"reusing {path}")
    from article_archive.store import open_archive

    open_archive(path).close()  # a newer schema's indexes and migrations, as for any archive
    return path, json.loads(info.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the archive of the size given; print its statistics."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=int, help="how many articles")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--until", help="HH:MM (UTC): stop loading then and build the archive of what is loaded"
    )
    args = parser.parse_args(argv)
    until = _utc_today(args.until) if args.until else None
    path, stats = ensure(args.articles, rebuild=args.rebuild, until=until)
    print(path)
    print(json.dumps(stats, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
