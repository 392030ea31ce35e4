"""Page latencies on one large archive served by ``article-archive serve``.

Our search page over 200 requests of ``search_latency``'s query mix against the bare FTS5
query of the same stemmed expression (``article_stems``, ranked, top 20) run in-process right
after each request; Datasette's ``?_search=`` (``datasette_search``'s queries and timing); the
front page, reader pages, section lists, Datasette's facets and our CSV export; and the peak
memory (VmHWM) of the server process when all is done.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import datasette_search
import search_latency
from search_latency import percentile, timed_get

BARE = "SELECT rowid FROM article_stems WHERE article_stems MATCH ? ORDER BY rank LIMIT 20"


def cpu_ms(pid: int | None) -> float:
    """CPU milliseconds a process has run, all threads (``/proc/PID/task/*/schedstat``, ns).

    On a machine shared with other jobs, wall times grow with the load; the server's CPU time
    per request does not (much), so both are reported.
    """
    if pid is None:
        return 0.0
    total = 0
    for stat in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(stat.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue  # a thread that just ended
    return total / 1e6


class Timer:
    """GETs timed in wall milliseconds and in the server's CPU milliseconds."""

    def __init__(self, client: httpx.Client, pid: int | None) -> None:
        self.client, self.pid = client, pid

    def get(self, url: str) -> tuple[float, float, httpx.Response]:
        """(wall ms, server CPU ms, response) of one GET, body read."""
        before = cpu_ms(self.pid)
        ms, response = timed_get(self.client, url)
        return ms, cpu_ms(self.pid) - before, response


def summary(values: list[float]) -> dict[str, float]:
    """p50, p95 and max of milliseconds, rounded."""
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 1),
        "p95": round(percentile(values, 95), 1),
        "max": round(max(values), 1),
    }


def bare_ms(conn: sqlite3.Connection, langs: list[str], q: str) -> float | None:
    """The bare FTS5 query for the stemmed form of ``q`` (None when it is no FTS5 query)."""
    from article_archive.search.stemmed_match import stemmed_match

    try:
        expr = stemmed_match(q, langs)
        if not expr:
            return None
        started = time.perf_counter()
        conn.execute(BARE, [expr]).fetchall()
    except (sqlite3.Error, ValueError):
        return None
    return (time.perf_counter() - started) * 1000


def search_vs_bare(
    timer: Timer, base: str, path: Path, requests: int, seed: int = 14
) -> dict[str, Any]:
    """Our search page and the bare FTS5 query, request by request, over the query mix."""
    from article_archive.search import archive_facts

    mix = search_latency.query_mix(path)
    variants = [(shape, params) for shape, group in mix.items() for params in group]
    plan = [variants[i % len(variants)] for i in range(requests)]
    random.Random(seed).shuffle(plan)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    langs = archive_facts.languages(conn)
    ours, ours_cpu, bare, bare_cpu, problems = [], [], [], [], []
    for _, params in variants:  # warm the page cache and the per-archive facts once
        timer.get(f"{base}/search?{urlencode(params)}")
    for shape, params in plan:
        ms, cpu, response = timer.get(f"{base}/search?{urlencode(params)}")
        ours.append(ms)
        ours_cpu.append(cpu)
        problem, _ = search_latency.check(params, response.status_code, response.text)
        if problem and not (shape == "garbage" and response.status_code == 200):
            problems.append(f"{shape} {params}: {problem}")
        cpu = time.thread_time()
        if (b := bare_ms(conn, langs, str(params.get("q", "")))) is not None:
            bare.append(b)
            bare_cpu.append((time.thread_time() - cpu) * 1000)
    conn.close()
    return {
        "ours": summary(ours),
        "ours_cpu": summary(ours_cpu),
        "bare": summary(bare),
        "bare_cpu": summary(bare_cpu),
        "problems": problems[:10],
    }


def datasette_table_search(path: Path, count: int) -> dict[str, Any]:
    """Datasette's ``articles?_search=`` (HTML and JSON) against bare FTS5, in-process."""
    import asyncio

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    qs = datasette_search.queries(conn)[:count]
    conn.close()
    result = asyncio.run(datasette_search.time_search(path, qs))
    stats = {k: {m: round(v, 1) for m, v in s.items()} for k, s in result["stats"].items()}
    return {"stats": stats, "problems": result["problems"][:10], "queries": len(qs)}


def page_urls(path: Path, count: int, seed: int = 7) -> dict[str, list[str]]:
    """The pages to time, by kind: 20 addresses each (drawn once, the same for a seed)."""
    rng = random.Random(seed)
    db = path.stem
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sections = [r[0] for r in conn.execute("SELECT DISTINCT section FROM articles")]
    years = [r[0] for r in conn.execute("SELECT DISTINCT year FROM articles WHERE year > 0")]
    conn.close()
    rare = search_latency.rare_words(path, corpus.build_model()) or ["grève"]
    deep = max(1, min(50, count // 1000))
    return {
        "front page": ["/"] * 20,
        "reader page": [f"/{db}/articles/{rng.randint(1, count)}/read" for _ in range(20)],
        "section list": [
            f"/{db}/section/{quote(rng.choice(sections), safe='')}"
            + (f"?page={rng.randint(2, deep)}" if i % 2 and deep > 1 else "")
            for i in range(20)
        ],
        "year list": [f"/{db}/year/{rng.choice(years)}" for _ in range(20)],
        "Datasette facets": [
            f"/{db}/articles?_facet=section&_facet=lang&section={quote(rng.choice(sections))}"
            for _ in range(20)
        ],
        "Datasette table": [f"/{db}/articles"] * 20,
        "CSV export (rare word)": [
            f"/{db}/export.csv?{urlencode({'q': rng.choice(rare)})}" for _ in range(20)
        ],
    }


def time_pages(timer: Timer, base: str, urls: dict[str, list[str]]) -> dict[str, Any]:
    """p50/p95 per kind of page (wall, and the server's CPU); any answer but 200 is a problem."""
    out: dict[str, Any] = {}
    for kind, group in urls.items():
        timer.get(base + group[0])  # warm
        times, cpus, problems = [], [], []
        for url in group:
            ms, cpu, response = timer.get(base + url)
            times.append(ms)
            cpus.append(cpu)
            if response.status_code != 200:
                problems.append(f"{url}: HTTP {response.status_code}")
        out[kind] = {**summary(times), "cpu": summary(cpus), "problems": problems[:3]}
    return out


def csv_rate(client: httpx.Client, base: str, db: str, q: str) -> dict[str, Any]:
    """Rows/s of our whole-result CSV export for a common word (streamed)."""
    started = time.perf_counter()
    lines = 0
    with client.stream("GET", f"{base}/{db}/export.csv?{urlencode({'q': q})}") as response:
        for text in response.iter_text():
            lines += text.count("\n")
    seconds = time.perf_counter() - started
    return {
        "q": q,
        "lines": lines,
        "seconds": round(seconds, 1),
        "lines_per_s": round(lines / seconds),
    }


def measure(path: Path, count: int, requests: int, ds_queries: int) -> dict[str, Any]:
    """Every latency of one archive, with the server's peak memory at the end."""
    port = search_latency.free_port()
    started = time.perf_counter()
    proc = search_latency.start_server(path, port)
    base = f"http://127.0.0.1:{port}"
    result: dict[str, Any] = {"serve_start_s": round(time.perf_counter() - started, 1)}
    try:
        with httpx.Client(timeout=120) as client:
            timer = Timer(client, proc.pid)
            print(f"  [{count:,}] search page vs bare FTS5", file=sys.stderr, flush=True)
            result["search"] = search_vs_bare(timer, f"{base}/{path.stem}", path, requests)
            print(f"  [{count:,}] other pages", file=sys.stderr, flush=True)
            result["pages"] = time_pages(timer, base, page_urls(path, count))
            result["csv"] = csv_rate(client, base, path.stem, "syndicat")
        result["serve_mb"] = round(datasette_search.peak_kb(proc.pid) / 1024)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"  [{count:,}] Datasette ?_search=", file=sys.stderr, flush=True)
    result["datasette"] = datasette_table_search(path, ds_queries)
    return result
