"""Datasette's ``.csv?_stream=on`` and our CSV export against ``sqlite3`` + ``csv`` (issue 14).

On a cached archive of ``--articles`` articles (20,000 by default, built once by
``corpus.build`` through the store's write path under ``.cache/bench/``), in one run and
alternated (best of ``--repeat``), so every path sees the same page cache and load:

- ``sqlite3`` + ``csv`` writing every column of the same rows in the same order (the
  reference), once in the table's order (``ORDER BY id``) and once in the default order of
  Datasette's pages (the ``articles`` table sorts by ``published`` descending, then ``id``);
- ``/{db}/articles.csv?_stream=on`` from a real ``article-archive serve``, read by ``curl``
  (a C client, so the client's own cost stays out of the server's rate), in both orders;
- Datasette's own view for the same stream (``&_timelimit=…`` is an option the plugin's
  stream leaves to Datasette), for the before/after;
- our ``export`` CSV of every article (its own SPEC columns, without ``body_html``).

Then every table's stream is read and parsed (rows = ``SELECT count(*)``), and the server's
peak memory (VmHWM) is read at start, after a 2,000-row stream and after every stream.

    .venv/bin/python bench/csv_speed.py                 # prints a RESULTS-style table
    .venv/bin/python bench/csv_speed.py --articles 100000 --repeat 2
"""

from __future__ import annotations

import argparse
import csv
import io
import platform
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from datasette_search import Sink, archive, our_export, peak_kb
from search_latency import free_port, start_server

TARGET = 0.9
ORDERS = {"table order": ("id", "_sort=id"), "default order": ("published DESC, id", "")}


def reference(path: Path, order: str) -> tuple[int, float]:
    """Rows and seconds for ``sqlite3`` + ``csv`` writing ``SELECT *`` of articles."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    started = time.perf_counter()
    cursor = conn.execute(f"SELECT * FROM articles ORDER BY {order}")
    writer = csv.writer(Sink())
    writer.writerow([d[0] for d in cursor.description])
    rows = 0
    for row in cursor:
        writer.writerow(row)
        rows += 1
    conn.close()
    return rows, time.perf_counter() - started


def fetch(url: str) -> tuple[int, float]:
    """Bytes and seconds of one GET read to the end (``curl`` when there is one)."""
    started = time.perf_counter()
    if shutil.which("curl"):
        out = subprocess.run(
            ["curl", "-sS", "-o", "/dev/null", "-w", "%{size_download}", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        size = int(float(out))
    else:
        size = 0
        with httpx.stream("GET", url, timeout=600) as response:
            for chunk in response.iter_raw():
                size += len(chunk)
    return size, time.perf_counter() - started


def complete(base: str, path: Path) -> list[str]:
    """Problems: tables whose stream does not parse to ``SELECT count(*)`` rows."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    names = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    ]
    problems = []
    for name in names:
        want = conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
        response = httpx.get(f"{base}/{path.stem}/{name}.csv?_stream=on&_size=max", timeout=600)
        got = len(list(csv.reader(io.StringIO(response.text)))) - 1
        if response.status_code != 200 or got != want:
            problems.append(f"{name}: HTTP {response.status_code}, {got} of {want} rows")
    conn.close()
    return problems


def measure(path: Path, repeat: int, own_view: bool) -> dict[str, Any]:
    """Every rate, the completeness check and the server's memory."""
    port = free_port()
    proc = start_server(path, port)
    base = f"http://127.0.0.1:{port}/{path.stem}/articles.csv?_stream=on&_size=max"
    best: dict[str, float] = {}
    sizes: dict[str, set[int]] = {}

    def keep(key: str, seconds: float, size: int | None = None) -> None:
        best[key] = min(best.get(key, seconds), seconds)
        if size is not None:
            sizes.setdefault(key, set()).add(size)

    try:
        memory = [peak_kb(proc.pid)]
        fetch(f"{base}&_sort=id&id__lte=2000")
        memory.append(peak_kb(proc.pid))
        for _ in range(repeat):
            for label, (order, query) in ORDERS.items():
                rows, seconds = reference(path, order)
                keep(f"sqlite {label}", seconds)
                size, seconds = fetch(f"{base}&{query}")
                keep(f"stream {label}", seconds, size)
            ours_rows, seconds = our_export(path, rows)
            keep("export", seconds)
        problems = complete(f"http://127.0.0.1:{port}", path)
        memory.append(peak_kb(proc.pid))
        if own_view:  # last: its memory does not count in ours
            for _ in range(repeat):
                rows, seconds = reference(path, "id")
                keep("sqlite view run", seconds)
                size, seconds = fetch(f"{base}&_sort=id&_timelimit=1000000")
                keep("datasette view", seconds, size)
            memory.append(peak_kb(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    same = sizes.get("stream table order", set()) | sizes.get("datasette view", set())
    if len(same) > 1:
        problems.append(f"the two streams differ in size: {sorted(same)}")
    rates = {key: (ours_rows if key == "export" else rows) / s for key, s in best.items()}
    return {"rows": rows, "rates": rates, "memory": memory, "problems": problems}


def report(path: Path, count: int, found: dict[str, Any], repeat: int) -> str:
    """The RESULTS-style section."""
    import datasette

    r, mem = found["rates"], [kb / 1024 for kb in found["memory"]]

    def row(label: str, key: str, ref: str) -> str:
        ratio = r[key] / r[ref]
        verdict = "met" if ratio >= TARGET else "NOT met"
        return f"| {label} | {r[key]:,.0f} | {ratio:.2f}x ({verdict}, ≥ {TARGET}x) |"

    lines = [
        "## Datasette's CSV stream and our export (issue 14)",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, Datasette "
        f"{datasette.__version__}; a {count:,}-article archive "
        f"({path.stat().st_size / 1e6:,.0f} MB), {found['rows']:,} rows of every column, best "
        f"of {repeat}, alternated. Command: `.venv/bin/python bench/csv_speed.py`.",
        "",
        "| path | rows/s | vs sqlite3 + csv, same rows and order |",
        "|---|---:|---:|",
    ]
    for key in ORDERS:
        lines.append(f"| sqlite3 + csv, {key} (reference) | {r['sqlite ' + key]:,.0f} | 1.0x |")
        lines.append(row(f"`articles.csv?_stream=on`, {key}", f"stream {key}", f"sqlite {key}"))
    if "datasette view" in r:
        lines.append(row("Datasette's own view, table order", "datasette view", "sqlite view run"))
    lines.append(row("our `export` CSV", "export", "sqlite table order"))
    after = f", {mem[3]:.0f} MB after Datasette's own view" if len(mem) > 3 else ""
    lines += [
        "",
        f"Server peak memory (VmHWM): {mem[0]:.0f} MB at start, {mem[1]:.0f} MB after 2,000 "
        f"rows, {mem[2]:.0f} MB after every stream above and every table{after}.",
        f"Every table and view streamed whole: {'; '.join(found['problems']) or 'yes'}.",
    ]
    return "\n".join(lines)


def main() -> int:
    """Measure and print; exit 1 when a target is missed or a stream is incomplete."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-datasette-view", action="store_true", help="skip the old path")
    args = parser.parse_args()
    path = archive(args.articles)
    found = measure(path, args.repeat, not args.no_datasette_view)
    print(report(path, args.articles, found, args.repeat))
    r = found["rates"]
    ok = (
        all(r[f"stream {key}"] >= TARGET * r[f"sqlite {key}"] for key in ORDERS)
        and r["export"] >= TARGET * r["sqlite table order"]
    )
    return 0 if ok and not found["problems"] else 1


if __name__ == "__main__":
    sys.exit(main())
