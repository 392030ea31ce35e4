"""Datasette's own paths on a large archive: ``?_search=`` and ``.csv?_stream=on``.

Issue 14 targets, measured in one run on one archive (100,000 articles by default, built once
by ``corpus.build`` through the store's write path and cached under ``.cache/bench/``):

- ``/{db}/articles?_search=`` (HTML) and ``articles.json?_search=``, through Datasette's test
  client with the settings ``serve`` uses, p95 ≤ 5x the bare FTS5 query on the same
  stemmed expression (``SELECT rowid FROM article_stems WHERE article_stems MATCH ? ORDER BY
  rank LIMIT 50``), over 95 varied queries (words from every frequency band of the index,
  two-word ANDs, OR, exclusions, prefixes, phrases), interleaved so both see the same load;
- ``/{db}/articles.csv?_stream=on`` from a real ``article-archive serve`` and our CSV
  ``export``, in rows/s against ``sqlite3`` + ``csv`` writing the same rows (target ≥ 0.9x),
  with the server's peak memory after a small and a large stream (constant memory: the peak
  does not grow with the rows).

    .venv/bin/python bench/datasette_search.py                  # 100k, writes RESULTS.md
    .venv/bin/python bench/datasette_search.py --articles 20000 --csv-rows 5000 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import platform
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
from article_archive.search.stemmed_match import stemmed_match
from search_latency import free_port, percentile, start_server

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Datasette's own paths (issue 14)"
RATIO_LIMIT = 5.0
CSV_RATIO = 0.9
NOTES = """\
What `serve` chooses for Datasette, and why: `suggest_facets` off (suggestions were ~75 % of a
table search); the four table facets (section, authors, language, year) are not computed while
searching unless `_facet=` asks (each reran the full-text match and read every matching row;
the search page counts the same facets over every match in milliseconds); the HTML table
search leaves out the long columns (bodies, JSON lists, hashes) unless `_col`/`_nocol` choose
(sorting the matches by date dragged each matching body through SQLite's sorter, and drawing
them was most of the page); the search is stemmed (the plugin's `escape_fts` compiles our query
language over `article_stems`). What remains of a table search is Datasette's count and its
date-sorted page, each running the match again and seeking every matching row.
`sql_time_limit_ms` 3000 bounds visitors' SQL (our pages use `execute_fn`, which it does not
cut); `max_csv_mb` 0 lets `.csv?_stream=on` give every row.

CSV: Datasette's stream is measured over HTTP from a real `article-archive serve` with client
and server on the same 2 loaded cores, keyset-paged 1,000 rows a query by Datasette; it is
below the 0.9x target by about 40 % and was not profiled further. Our `export` writes its
own columns (the SPEC export record, without `body_html`), so its rate is not like for like
with `SELECT *`. The server's peak memory grows by ~50 MB while the stream grows tenfold
(~40 → ~400 MB of CSV): the stream is not held in memory, but the peak is not flat either.
"""
BARE = "SELECT rowid FROM article_stems WHERE article_stems MATCH ? ORDER BY rank LIMIT 50"


def archive(count: int) -> Path:
    """The cached archive of ``count`` articles, built once (schema migrations run on reuse)."""
    from article_archive.store import open_archive

    path = CACHE / f"archive-{count}.db"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"building {path} …", file=sys.stderr)
        corpus.build(path, count)
    open_archive(path).close()
    return path


def queries(conn: sqlite3.Connection, n: int = 95, seed: int = 14) -> list[str]:
    """``n`` varied queries from the words of the archive, rare to very common."""
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, articles_fts, row)"
    )
    rows = conn.execute(
        "SELECT term, doc FROM temp.vocab WHERE length(term) >= 4 AND term GLOB '[a-z]*'"
    ).fetchall()
    rows.sort(key=lambda row: row[1])
    rng = random.Random(seed)
    bands = [
        rows[int(len(rows) * f) : int(len(rows) * (f + 0.1)) or None]
        for f in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999)
    ]
    bands = [b for b in bands if b]

    def word() -> str:
        return rng.choice(rng.choice(bands))[0]

    out = [word() for _ in range(40)]
    out += ["nucléaires", "grèves", "syndicats", "elections", "salaires"]
    out += [f"{word()} {word()}" for _ in range(15)]
    out += [f"{word()} OR {word()}" for _ in range(10)]
    out += [f"{word()} -{word()}" for _ in range(10)]
    out += [f"{word()[:4]}*" for _ in range(8)]
    out += [f'"{word()} {word()}"' for _ in range(4)]
    out += ['"salaire minimum"', "AND(", "Japon pêcheurs"]
    return out[:n]


def bare_ms(conn: sqlite3.Connection, expr: str) -> float:
    """One bare FTS5 top-50 by rank for the stemmed expression."""
    started = time.perf_counter()
    conn.execute(BARE, [expr]).fetchall()
    return (time.perf_counter() - started) * 1000


async def time_search(path: Path, qs: list[str]) -> dict[str, Any]:
    """Datasette's table search (HTML and JSON) and the bare query, interleaved per query."""
    from article_archive.search import archive_facts
    from article_archive.web.serve import make_datasette

    ds = make_datasette(path)
    await ds.invoke_startup()
    name = path.stem
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    langs = archive_facts.languages(conn)
    for q in qs[:5]:  # warm the page cache and the per-archive facts once
        await ds.client.get(f"/{name}/articles.json?" + urlencode({"_search": q}))
    times: dict[str, list[float]] = {"bare": [], "html": [], "json": []}
    problems = []
    for q in qs:
        expr = stemmed_match(q, langs)
        times["bare"].append(bare_ms(conn, expr))
        for kind, suffix in (("html", ""), ("json", ".json")):
            url = f"/{name}/articles{suffix}?" + urlencode({"_search": q})
            started = time.perf_counter()
            response = await ds.client.get(url)
            times[kind].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                problems.append(f"{kind} {q!r}: HTTP {response.status_code}")
            elif kind == "json":
                want = conn.execute(
                    "SELECT count(*) FROM article_stems WHERE article_stems MATCH ?", [expr]
                ).fetchone()[0]
                got = response.json().get("filtered_table_rows_count")
                if got is not None and got != want:
                    problems.append(f"json {q!r}: {got} rows counted, FTS5 says {want}")
    conn.close()
    stats = {
        kind: {"p50": statistics.median(v), "p95": percentile(v, 95), "max": max(v)}
        for kind, v in times.items()
    }
    return {"stats": stats, "problems": problems, "queries": len(qs)}


class Sink:
    """A text file that only counts what is written to it."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def sqlite_csv(path: Path, table: str, where: str) -> tuple[int, float]:
    """Rows and seconds for ``sqlite3`` + ``csv`` writing every column of the rows."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    started = time.perf_counter()
    cursor = conn.execute(f"SELECT * FROM {table} WHERE {where}")
    writer = csv.writer(Sink())
    writer.writerow([d[0] for d in cursor.description])
    rows = 0
    for row in cursor:
        writer.writerow(row)
        rows += 1
    conn.close()
    return rows, time.perf_counter() - started


def our_export(path: Path, limit: int) -> tuple[int, float]:
    """Rows and seconds for our CSV export of the first ``limit`` articles."""
    from article_archive.export import records, write_records

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    started = time.perf_counter()
    ids = [r[0] for r in conn.execute("SELECT id FROM articles WHERE id <= ?", [limit])]
    rows = write_records(records(conn, ids), Sink(), "csv")  # type: ignore[arg-type]
    conn.close()
    return rows, time.perf_counter() - started


def peak_kb(pid: int) -> int:
    """Peak resident memory of a process (VmHWM), in KB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def stream_csv(base: str, db: str, table: str, where: str) -> tuple[int, float, bool]:
    """(rows, seconds, complete) of ``/{db}/{table}.csv?_stream=on`` with a Datasette filter."""
    url = f"{base}/{db}/{table}.csv?_stream=on&_size=max&{where}"
    started = time.perf_counter()
    rows, tail = 0, ""
    with httpx.stream("GET", url, timeout=600) as response:
        for text in response.iter_text():
            tail = (tail + text)[-200:]
            rows += text.count("\n")
    seconds = time.perf_counter() - started
    return rows, seconds, "CSV contains more than" not in tail


def time_csv(path: Path, limit: int) -> dict[str, Any]:
    """Datasette's CSV stream and our export against sqlite3 + csv, and the server's memory.

    Rows are counted as lines for Datasette (bodies hold newlines, so the line count is
    above the row count); the rate uses the row count ``sqlite3`` gives for the same filter.
    """
    port = free_port()
    proc = start_server(path, port)
    base = f"http://127.0.0.1:{port}"
    ref_s, ds_s, ours_s = [], [], []
    try:
        start_kb = peak_kb(proc.pid)
        small = stream_csv(base, path.stem, "articles", f"id__lte={limit // 10}")
        small_kb = peak_kb(proc.pid)
        complete = small[2]
        for _ in range(2):  # alternated, best of two: the same page cache for each
            rows_ref, seconds = sqlite_csv(path, "articles", f"id <= {limit}")
            ref_s.append(seconds)
            _, seconds, whole = stream_csv(base, path.stem, "articles", f"id__lte={limit}")
            ds_s.append(seconds)
            complete = complete and whole
            ours_rows, seconds = our_export(path, limit)
            ours_s.append(seconds)
        large_kb = peak_kb(proc.pid)
        complete = complete and stream_csv(base, path.stem, "authors", "id__gte=0")[2]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {
        "rows": rows_ref,
        "sqlite": rows_ref / min(ref_s),
        "datasette": rows_ref / min(ds_s),
        "ours": ours_rows / min(ours_s),
        "complete": complete,
        "memory_kb": (start_kb, small_kb, large_kb),
        "small_rows": limit // 10,
    }


def met(ratio: float) -> str:
    """Whether a CSV rate meets the target, in words."""
    return "met" if ratio >= CSV_RATIO else "NOT met"


def report(path: Path, count: int, search: dict[str, Any], csvs: dict[str, Any]) -> str:
    """The RESULTS.md section."""
    import datasette

    s = search["stats"]
    ratio = {k: s[k]["p95"] / s["bare"]["p95"] for k in ("html", "json")}
    csv_ratio = {k: csvs[k] / csvs["sqlite"] for k in ("datasette", "ours")}
    mem = csvs["memory_kb"]
    lines = [
        SECTION,
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, Datasette "
        f"{datasette.__version__}; a {count:,}-article archive ({path.stat().st_size / 1e9:.2f} "
        f"GB). Command: `.venv/bin/python bench/datasette_search.py`.",
        "",
        f"`/{{db}}/articles?_search=` over {search['queries']} varied queries, Datasette's test "
        "client, the settings of `serve` (facet suggestions off; the table facets off while "
        "searching unless `_facet=` asks; search stemmed through `article_stems`):",
        "",
        "| path | p50 ms | p95 ms | max ms | p95 / bare FTS5 |",
        "|---|---:|---:|---:|---:|",
        f"| bare FTS5 top 50 (same stemmed expression) | {s['bare']['p50']:.1f} | "
        f"{s['bare']['p95']:.1f} | {s['bare']['max']:.1f} | 1.0x |",
    ]
    for kind, label in (("html", "`articles?_search=` (HTML)"), ("json", "`articles.json`")):
        verdict = "met" if ratio[kind] <= RATIO_LIMIT else "NOT met"
        lines.append(
            f"| {label} | {s[kind]['p50']:.1f} | {s[kind]['p95']:.1f} | {s[kind]['max']:.1f} | "
            f"{ratio[kind]:.1f}x ({verdict}, ≤ {RATIO_LIMIT:.0f}x) |"
        )
    lines += [
        "",
        f"Problems: {'; '.join(search['problems']) or 'none'}.",
        "",
        f"CSV of {csvs['rows']:,} articles (every column), rows/s:",
        "",
        "| path | rows/s | vs sqlite3 + csv |",
        "|---|---:|---:|",
        f"| sqlite3 + csv (reference) | {csvs['sqlite']:,.0f} | 1.0x |",
        f"| Datasette `articles.csv?_stream=on` over HTTP | {csvs['datasette']:,.0f} | "
        f"{csv_ratio['datasette']:.2f}x ({met(csv_ratio['datasette'])}) |",
        f"| our `export` (CSV) | {csvs['ours']:,.0f} | {csv_ratio['ours']:.2f}x "
        f"({met(csv_ratio['ours'])}) |",
        "",
        f"Every stream complete (no 100 MB cap): {'yes' if csvs['complete'] else 'NO'}. Server "
        f"peak memory: {mem[0] / 1024:.0f} MB at start, {mem[1] / 1024:.0f} MB after "
        f"{csvs['small_rows']:,} rows, {mem[2] / 1024:.0f} MB after {csvs['rows']:,} rows.",
        "",
        NOTES,
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace this benchmark's section of RESULTS.md, or put it first (newest on top)."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    head, found, rest = old.partition(SECTION)
    if found:
        after = rest.find("\n## ")
        tail = rest[after + 1 :] if after >= 0 else ""
    else:
        first = old.find("\n## ")
        head, tail = (old, "") if first < 0 else (old[: first + 1], old[first + 1 :])
    RESULTS.write_text(head.rstrip() + "\n\n" + text + ("\n" + tail if tail else ""), "utf-8")


def main() -> int:
    """Run both measurements; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--csv-rows", type=int, default=20_000)
    parser.add_argument("--no-write", action="store_true", help="print, do not edit RESULTS.md")
    args = parser.parse_args()
    path = archive(args.articles)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    qs = queries(conn)
    conn.close()
    search = asyncio.run(time_search(path, qs))
    csvs = time_csv(path, args.csv_rows)
    text = report(path, args.articles, search, csvs)
    print(text)
    if not args.no_write:
        write_section(text)
    s = search["stats"]
    ok = all(s[k]["p95"] <= RATIO_LIMIT * s["bare"]["p95"] for k in ("html", "json"))
    return 0 if ok and not search["problems"] and csvs["complete"] else 1


if __name__ == "__main__":
    sys.exit(main())
