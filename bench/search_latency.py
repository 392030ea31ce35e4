"""Search latency on a large synthetic archive, over HTTP, with the real server.

Requirement: a search on a 100k-article archive answers in under 150 ms at the 95th
percentile. This builds (or reuses, see ``corpus.py``) an archive of ``--articles`` synthetic
articles saved through ``save_article``, serves it with ``article-archive serve`` on loopback,
times ``--requests`` GETs of ``/{db}/search`` over a mix of query shapes, and compares, in the
same run, with Datasette's own ``articles.json?_search=`` and a raw in-process FTS5 query for
the same words. Exits 1 when the overall p95 reaches the limit or an answer is wrong.

    .venv/bin/python bench/search_latency.py                      # 100k articles
    .venv/bin/python bench/search_latency.py --articles 5000 --requests 200
    .venv/bin/python bench/search_latency.py --profile            # + per-stage SQL timings
"""

from __future__ import annotations

import argparse
import math
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

LIMIT_MS = 150.0
TOTAL = re.compile(r'class="aa-total">([\d,\s\u202f]+)<')
NOTHING = ("Nothing to search for", "holds no word")
Params = dict[str, Any]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def rare_words(db_path: Path, model: corpus.Model) -> list[str]:
    """Invented names from the long tail that a few (1–200) articles contain."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    found = []
    for rank in (800, 2000, 4000, 8000, 15000, 25000):
        for name in model.names[rank : rank + 40]:
            sql = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
            if 1 <= conn.execute(sql, [f'"{name}"']).fetchone()[0] <= 200:
                found.append(name)
                break
    conn.close()
    return found[:4]


def query_mix(db_path: Path) -> dict[str, list[Params]]:
    """The query shapes and their variants (search page arguments)."""
    model = corpus.build_model()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    authors = [
        r[0]
        for r in conn.execute(
            "SELECT author_id FROM article_authors GROUP BY author_id ORDER BY count(*) DESC"
        )
    ]
    conn.close()
    busy, quiet = authors[0], authors[len(authors) // 2]
    return {
        "common word": [{"q": "grève"}, {"q": "nucléaire"}, {"q": "syndicat"}, {"q": "workers"}],
        "rare word": [{"q": w} for w in rare_words(db_path, model)],
        "stemmed form": [{"q": "nucléaires"}, {"q": "elections"}, {"q": "syndicats"}],
        "accents folded": [{"q": "nucleaire"}, {"q": "greve"}, {"q": "coree"}],
        "two words (AND)": [{"q": "grève salaires"}, {"q": "Japon pêcheurs"}],
        "phrase": [{"q": '"salaire minimum"'}, {"q": '"la grève"'}],
        "exclusion -word": [{"q": "grève -retraites"}, {"q": "syndicat -Japon"}],
        "OR": [{"q": "Japon OR Corée"}, {"q": "cheminots OR soignants"}],
        "prefix*": [{"q": "syndic*"}, {"q": "nucl*"}],
        "facet section": [{"q": "grève", "section": model.sections[4]}],
        "facet author": [{"q": "grève", "author": busy}, {"q": "syndicat", "author": quiet}],
        "facet year": [{"q": "syndicat", "year": 2015}, {"q": "grève", "year": 2003}],
        "sort by date": [{"q": "grève", "sort": "newest"}, {"q": "Japon", "sort": "oldest"}],
        "page 3": [{"q": "syndicat", "page": 3}, {"q": "nucléaire", "page": 3}],
        "date range": [
            {"q": "grève", "from": "2005", "to": "2010"},
            {"q": "Japon", "from": "2020"},
        ],
        "garbage": [{"q": "AND("}, {"q": "*"}, {"q": '"grève'}, {"q": "((( ) -"}],
    }


def label(params: Params) -> str:
    """A readable form of search arguments: ``q=grève year=2015``."""
    return " ".join(f"{k}={v}" for k, v in params.items())


def free_port() -> int:
    """A TCP port free on loopback right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path: Path, port: int) -> subprocess.Popen[bytes]:
    """``article-archive serve DB --port PORT`` on 127.0.0.1, once it answers."""
    command = Path(sys.executable).with_name("article-archive")
    args = [str(command), "serve", str(db_path), "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            raise SystemExit(f"the server stopped (exit {proc.returncode}):\n{err[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code < 500:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the server did not answer within 120 s")


def check(params: Params, status: int, text: str) -> tuple[str | None, int | None]:
    """(problem or None, result count shown) of one search page."""
    if status != 200:
        return f"HTTP {status}", None
    match = TOTAL.search(text)
    total = int(re.sub(r"\D", "", match.group(1))) if match else None
    if any(marker in text for marker in NOTHING):
        return None, 0
    if total is None:
        return "no result count on the page", None
    if total == 0:
        return "no result", 0
    return None, total


def timed_get(client: httpx.Client, url: str) -> tuple[float, httpx.Response]:
    """One GET, body read, in milliseconds."""
    started = time.perf_counter()
    response = client.get(url)
    _ = response.text
    return (time.perf_counter() - started) * 1000, response


def run_mix(
    client: httpx.Client, base: str, mix: dict[str, list[Params]], count: int, seed: int
) -> tuple[dict[str, list[float]], dict[str, list[int]], list[str]]:
    """Time ``count`` search requests drawn round-robin over every variant, shuffled."""
    variants = [(shape, params) for shape, group in mix.items() for params in group]
    plan = [variants[i % len(variants)] for i in range(count)]
    random.Random(seed).shuffle(plan)
    times: dict[str, list[float]] = {shape: [] for shape in mix}
    hits: dict[str, list[int]] = defaultdict(list)
    problems: list[str] = []
    for n, (shape, params) in enumerate(plan, 1):
        url = f"{base}/search?{urlencode(params)}"
        ms, response = timed_get(client, url)
        times[shape].append(ms)
        problem, total = check(params, response.status_code, response.text)
        if problem and not (shape == "garbage" and response.status_code == 200):
            problems.append(f"{shape}: {url}: {problem}")
        if total is not None:
            hits[shape].append(total)
        if n % 50 == 0:
            print(f"  {n}/{count} requests", file=sys.stderr, flush=True)
    return times, hits, problems


def raw_fts_ms(db_path: Path, word: str, reps: int) -> float:
    """Median in-process time of the top 20 of ``articles_fts`` for ``word`` (bm25)."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    sql = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT 20"
    expr = '"' + word.replace('"', '""') + '"'
    out = []
    for _ in range(reps):
        started = time.perf_counter()
        conn.execute(sql, [expr]).fetchall()
        out.append((time.perf_counter() - started) * 1000)
    conn.close()
    return statistics.median(out)


def run_reference(
    client: httpx.Client, base: str, db_path: Path, words: list[str], reps: int
) -> list[dict[str, Any]]:
    """Ours vs Datasette's ``articles.json?_search=`` vs raw FTS5, interleaved, per word."""
    rows = []
    for word in words:
        ours, theirs = [], []
        for _ in range(reps):
            ours.append(timed_get(client, f"{base}/search?{urlencode({'q': word})}")[0])
            # Only the card columns: with every column (the ~10 KB bodies), Datasette reads each
            # matching row whole before sorting by date and a common word at 100k articles
            # runs past its 3 s time limit (HTTP 400) — a known limit of the raw table view.
            query = [("_search", word), ("_size", 20), ("_col", "title"), ("_col", "published")]
            url = f"{base}/articles.json?{urlencode(query)}"
            ms, response = timed_get(client, url)
            if response.status_code != 200:
                raise SystemExit(f"reference {url} answered HTTP {response.status_code}")
            theirs.append(ms)
        rows.append(
            {
                "word": word,
                "ours": statistics.median(ours),
                "datasette": statistics.median(theirs),
                "fts": raw_fts_ms(db_path, word, reps),
            }
        )
    return rows


def profile(db_path: Path, mix: dict[str, list[Params]], reps: int = 3) -> list[tuple[str, ...]]:
    """In-process milliseconds of each stage of the search page, per variant.

    ``matches``: every matching id (their number is the total); ``facets``: counted over
    them in memory; ``page``: the ranked or dated page of 20; ``snippets``; ``cards``.
    """
    from article_archive.search import archive_facts, compiler, engine, language, request
    from article_archive.search.facets import facets
    from article_archive.web import queries
    from article_archive.web.routes.common import PAGE_SIZE

    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    langs = archive_facts.languages(conn)
    state: dict[str, list[int]] = {}
    stages: dict[str, Callable[[Any, compiler.Compiled, request.SearchRequest, int], Any]] = {
        "matches": lambda c, comp, req, page: state.__setitem__(
            "matches", engine.match_ids(c, comp)
        ),
        "facets": lambda c, comp, req, page: facets(c, state["matches"]),
        "page": lambda c, comp, req, page: state.__setitem__(
            "ids",
            engine.ordered_ids(c, comp, req.sort, PAGE_SIZE, (page - 1) * PAGE_SIZE),
        ),
        "snippets": lambda c, comp, req, page: engine.snippets(c, comp, state["ids"]),
        "cards": lambda c, comp, req, page: queries.cards(c, state["ids"]),
    }
    facets(conn, [])  # builds the archive's facet data once, as the server does
    rows = [("query", *stages, "total")]
    for shape, group in mix.items():
        for params in group:
            req = request.SearchRequest.from_args({k: str(v) for k, v in params.items()})
            query = language.parse_query(req.q)
            if query.empty:
                continue
            tree = archive_facts.section_tree(conn) if req.section else None
            comp = compiler.compile_search(req, query, langs, tree)
            cells, total = [], 0.0
            for fn in stages.values():
                started = time.perf_counter()
                for _ in range(reps):
                    fn(conn, comp, req, int(params.get("page", 1)))
                ms = (time.perf_counter() - started) * 1000 / reps
                total += ms
                cells.append(f"{ms:.0f}")
            rows.append((f"{shape}: {label(params)}", *cells, f"{total:.0f}"))
    conn.close()
    return rows


def table(rows: list[tuple[Any, ...]], markdown: bool = False) -> str:
    """A plain or Markdown table; the first row is the header."""
    cells = [[str(c) for c in row] for row in rows]
    if markdown:
        lines = ["| " + " | ".join(r) + " |" for r in cells]
        lines.insert(1, "|" + "---|" * len(cells[0]))
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]))]
    fmt = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in cells
    ]
    fmt.insert(1, "-" * len(fmt[0]))
    return "\n".join(fmt)


def latency_rows(times: dict[str, list[float]], hits: dict[str, list[int]]) -> list[tuple]:
    """Header, one row per shape, then the overall row (milliseconds)."""
    rows: list[tuple] = [("shape", "n", "hits (median)", "p50", "p95", "p99", "max")]
    every = [t for ts in times.values() for t in ts]
    for shape, ts in [*times.items(), ("OVERALL", every)]:
        found = hits.get(shape)
        rows.append(
            (
                shape,
                len(ts),
                f"{statistics.median(found):,.0f}" if found else "-",
                *(f"{percentile(ts, p):.1f}" for p in (50, 95, 99, 100)),
            )
        )
    return rows


def reference_rows(ref: list[dict[str, Any]]) -> list[tuple]:
    """Header and one row per word: p50 of ours, Datasette's, raw FTS5, and ratios."""
    rows: list[tuple] = [("word", "ours p50", "datasette p50", "ours/datasette", "raw FTS5")]
    for r in ref:
        ratio = r["ours"] / r["datasette"]
        rows.append(
            (
                r["word"],
                f"{r['ours']:.1f}",
                f"{r['datasette']:.1f}",
                f"{ratio:.2f}",
                f"{r['fts']:.1f}",
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the archive, serve it, time the searches, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="archive size")
    parser.add_argument("--requests", type=int, default=320, help="timed search requests")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached archive")
    parser.add_argument("--port", type=int, default=0, help="server port (0: a free one)")
    parser.add_argument("--reps", type=int, default=7, help="repeats per reference word")
    parser.add_argument("--seed", type=int, default=1, help="order of the requests")
    parser.add_argument("--profile", action="store_true", help="per-stage in-process timings")
    parser.add_argument("--markdown", action="store_true", help="tables in Markdown")
    args = parser.parse_args(argv)
    if args.requests < 1 or args.articles < 100:
        parser.error("--requests must be ≥ 1 and --articles ≥ 100")

    db_path, stats = corpus.ensure_archive(args.articles, rebuild=args.rebuild)
    mix = query_mix(db_path)
    port = args.port or free_port()
    server = start_server(db_path, port)
    base = f"http://127.0.0.1:{port}/{db_path.stem}"
    try:
        with httpx.Client(timeout=60) as client:
            cold, _ = timed_get(client, f"{base}/search?q=gr%C3%A8ve")
            for shape_params in mix.values():  # one warm-up pass, not timed
                for params in shape_params:
                    client.get(f"{base}/search?{urlencode(params)}")
            times, hits, problems = run_mix(client, base, mix, args.requests, args.seed)
            words = [p["q"] for s in ("common word", "rare word", "stemmed form") for p in mix[s]]
            ref = run_reference(client, base, db_path, words, args.reps)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()

    every = [t for ts in times.values() for t in ts]
    p95 = percentile(every, 95)
    print(
        f"\nSearch latency — {stats['articles']:,} articles, {os.cpu_count()} cores, "
        f"DB {stats['bytes'] / 2**30:.2f} GiB, built at {stats['rate']:,.0f} articles/s "
        f"({stats['seconds']:,.0f} s); first (cold) search {cold:.0f} ms; times in ms\n"
    )
    print(table(latency_rows(times, hits), args.markdown))
    print("\nReference, same run (median of", args.reps, "each, ms):\n")
    print(table(reference_rows(ref), args.markdown))
    ratio = statistics.median(r["ours"] / r["datasette"] for r in ref)
    print(f"\nmedian ratio ours/datasette: {ratio:.2f}")
    if args.profile:
        print("\nIn-process stage timings (ms, mean of 3):\n")
        try:
            print(table(profile(db_path, mix), args.markdown))
        except (ImportError, AttributeError, sqlite3.Error) as exc:  # the plugin moved on
            print(f"profile unavailable: {exc!r}")
    for problem in problems:
        print("WRONG ANSWER:", problem)
    verdict = "PASS" if p95 < LIMIT_MS and not problems else "FAIL"
    print(f"\n{verdict}: overall p95 {p95:.1f} ms (limit {LIMIT_MS:.0f} ms), {len(problems)} wrong")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
