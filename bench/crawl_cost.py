"""What a crawl costs per archived article, where it goes, and how ``reparse`` scales.

The sample site (``data/sample-site``) is copied into a larger generated site: each article
again ``--copies`` times under new ids, titles and slugs, so the crawl archives a few hundred
articles. Each of ``--hosts`` loopback hosts (127.0.0.1, 127.0.0.2, …) serves one copy from
its own process, so what the crawl process spends is the crawl's alone: fetching, extraction
and the save path.

Measured, in one run:

- **CPU per article**: process CPU time of ``run_crawl`` (backfill, no delay) / articles.
  Split with per-thread CPU clocks around ``extract_article`` (worker threads) and around
  ``OutcomeWriter.store`` (the engine's thread, i.e. the save path); the rest is fetching,
  discovery and claiming.
- **SQL statements per article**: a second crawl with ``sqlite3``'s trace callback, counted
  inside the save path and elsewhere, with the most frequent statement shapes (those SQLite
  runs itself for FTS5, and the trace's repeat of a statement for each trigger it fires,
  not counted).
- **Save-path pieces**: stemming, zlib at levels 1–6 (time and size on the crawled bodies).
- **reparse**: wall time with 1 and 2 workers on the crawled archive, ``--rounds`` times each,
  best and median; the speed-up is 1-worker time / 2-worker time. On a loaded machine the wall
  times say little, so the CPU of the parent (serial) and of the workers per page is measured
  too, and the speed-up two idle cores would give from it.

Run it with ``PYTHONPATH=/path/to/other/src`` to measure another checkout's code (a
reference) with the same bench.

    .venv/bin/python bench/crawl_cost.py [--copies 8] [--hosts 2] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample-site"

# Values in traced statements (the trace shows them bound): strings, blobs, numbers.
LITERALS = re.compile(r"'(?:[^']|'')*'|\bX'[0-9A-F]*'|\b\d+(?:\.\d+)?\b")

SERVER = """
import sys, time
from article_archive_sample import SampleSite
site = SampleSite(sys.argv[1], host=sys.argv[2], port=0).start()
print(site.base_url, flush=True)
while True:
    time.sleep(3600)
"""


def generate_site(target: Path, copies: int) -> int:
    """The sample site with every article ``copies`` times more; how many articles it has."""
    shutil.copytree(SAMPLE, target)
    sources = sorted((SAMPLE / "articles").glob("*.txt"))
    # copy k of article n gets id n + k * step: ids stay as dense as the sample site's
    step = max(int(p.name.split("-")[0]) for p in sources)
    for copy in range(1, copies + 1):
        for path in sources:
            text = path.read_text(encoding="utf-8")
            old_id = int(re.search(r"^id = (\d+)$", text, re.M).group(1))  # type: ignore[union-attr]
            new_id = old_id + copy * step
            text = re.sub(r"^id = \d+$", f"id = {new_id}", text, count=1, flags=re.M)
            text = re.sub(r'^slug = "(.*)"$', rf'slug = "\1-{copy}"', text, count=1, flags=re.M)
            text = re.sub(r'^title = "(.*)"$', rf'title = "\1 ({copy})"', text, count=1, flags=re.M)
            text = re.sub(r"^translation_of = \d+\n", "", text, flags=re.M)
            (target / "articles" / f"{new_id:05d}-copy.txt").write_text(text, encoding="utf-8")
    return len(sources) * (copies + 1)


@contextmanager
def served(site_dir: Path, hosts: int) -> Iterator[list[str]]:
    """The site served by one process per loopback host; their base URLs."""
    procs, urls = [], []
    try:
        for n in range(hosts):
            proc = subprocess.Popen(
                [sys.executable, "-c", SERVER, str(site_dir), f"127.0.0.{n + 1}"],
                stdout=subprocess.PIPE,
                text=True,
            )
            procs.append(proc)
            assert proc.stdout is not None
            urls.append(proc.stdout.readline().strip())
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait()


class Clock:
    """Per-thread CPU time spent inside the wrapped functions, summed over threads."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.thread_time() - start
                self.calls += 1

        return timed


@contextmanager
def patched(obj: Any, name: str, value: Any) -> Iterator[None]:
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def crawl(db_path: Path, seeds: list[str], *, trace: bool = False) -> dict[str, Any]:
    """One backfill crawl of ``seeds``; CPU split, and SQL counts when ``trace``."""
    import article_archive.extract as extract_pkg
    from article_archive.crawl import CrawlOptions, engine, outcomes, run_crawl

    extraction, saving = Clock(), Clock()
    statements: Counter[str] = Counter()
    in_save: Counter[str] = Counter()
    state = {"saving": False}
    last = [""]

    def open_traced(path: str | Path) -> Any:
        db = opener(path)
        if trace:

            def seen(sql: str) -> None:
                if sql.startswith("--") or sql == last[0]:
                    return  # run by SQLite itself (FTS5), or a trigger of the same statement
                last[0] = sql
                shape = LITERALS.sub("?", re.sub(r"\s+", " ", sql.strip()))[:90]
                statements[shape] += 1
                if state["saving"]:
                    in_save[shape] += 1

            db.conn.set_trace_callback(seen)
        return db

    original_store = outcomes.OutcomeWriter.store

    def store(self: Any, outcome: Any) -> None:
        state["saving"] = True
        try:
            original_store(self, outcome)
        finally:
            state["saving"] = False

    opener = engine.open_archive
    options = CrawlOptions(backfill=True, delay=0.0, progress=False, id_gap=10, concurrency=4)
    with (
        patched(extract_pkg, "extract_article", extraction.wrap(extract_pkg.extract_article)),
        patched(outcomes.OutcomeWriter, "store", saving.wrap(store)),
        patched(engine, "open_archive", open_traced),
    ):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        summary = run_crawl(db_path, seeds, options)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    articles = summary.new + summary.updated + summary.unchanged
    return {
        "articles": articles,
        "fetched": summary.fetched,
        "cpu": cpu,
        "wall": wall,
        "extract": extraction.seconds,
        "save": saving.seconds,
        "statements": statements,
        "in_save": in_save,
    }


def stored_bodies(db_path: Path) -> list[bytes]:
    """The raw bodies of the archived article pages."""
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT body FROM pages WHERE article_id IS NOT NULL").fetchall()
    finally:
        conn.close()
    return [zlib.decompress(row[0]) for row in rows]


def compression(bodies: list[bytes]) -> list[tuple[int, float, int]]:
    """(level, ms per body, total compressed bytes) for zlib levels 1–6 and 9."""
    rows = []
    for level in (1, 3, 6, 9):
        start = time.process_time()
        size = sum(len(zlib.compress(body, level)) for body in bodies)
        rows.append((level, (time.process_time() - start) * 1000 / len(bodies), size))
    return rows


def stemming_ms(db_path: Path) -> float:
    """CPU ms per article to stem its title, lead, body and authors as the save path does."""
    from article_archive.store.stemming import stem_text

    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT title, lead, body_text, authors_text, lang FROM articles")
        rows = rows.fetchall()
    finally:
        conn.close()
    start = time.process_time()
    for title, lead, body, authors, lang in rows:
        for text in (title, lead, body):
            stem_text(text or "", lang)
        stem_text(authors or "", None)
    return (time.process_time() - start) * 1000 / len(rows)


def reparse_times(db_path: Path, rounds: int) -> dict[Any, Any]:
    """Wall seconds of ``reparse`` with 1 and 2 workers, alternating, ``rounds`` each.

    With 2 workers, also the CPU seconds of the parent (the serial part) and of the workers.
    """
    from article_archive.reparse import reparse

    times: dict[Any, Any] = {1: [], 2: [], "one": [], "parent": [], "workers": [], "pages": 0}
    for _ in range(rounds):
        for workers in (1, 2):
            cpu, children = time.process_time(), _children_cpu()
            start = time.perf_counter()
            counts = reparse(db_path, workers=workers)
            times[workers].append(time.perf_counter() - start)
            assert counts["failed"] == 0, counts
            times["pages"] = counts["pages"]
            if workers == 1:
                times["one"].append(time.process_time() - cpu)
            else:
                times["parent"].append(time.process_time() - cpu)
                times["workers"].append(_children_cpu() - children)
    return times


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (reparse's workers, once joined)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def report(run: dict[str, Any], traced: dict[str, Any], extra: dict[str, Any]) -> None:
    n = run["articles"]
    ms = {k: run[k] * 1000 / n for k in ("cpu", "extract", "save")}
    other = ms["cpu"] - ms["extract"] - ms["save"]
    total_sql = sum(traced["statements"].values())
    save_sql = sum(traced["in_save"].values())
    nt = traced["articles"]
    print(
        f"\n## Crawl and reparse cost ({n} articles, {run['fetched']} fetches, "
        f"{extra['hosts']} hosts, load {extra['load']})\n"
    )
    print("| measure | value |")
    print("| --- | ---: |")
    print(f"| CPU per article, end to end | {ms['cpu']:.2f} ms |")
    print(f"| of which extraction (worker threads) | {ms['extract']:.2f} ms |")
    print(f"| of which save path (OutcomeWriter.store) | {ms['save']:.2f} ms |")
    print(f"| of which fetch, discovery, claims | {other:.2f} ms |")
    print(f"| save / extraction | {ms['save'] / ms['extract']:.2f}x |")
    print(f"| wall per article | {run['wall'] * 1000 / n:.2f} ms |")
    print(f"| SQL statements per article, all | {total_sql / nt:.1f} |")
    print(f"| SQL statements per article, save path | {save_sql / nt:.1f} |")
    print(f"| stemming per article | {extra['stem']:.2f} ms |")
    for level, per, size in extra["zlib"]:
        print(f"| zlib level {level}: ms per page, total size | {per:.2f} ms, {size:,} B |")
    t1, t2 = extra["reparse"][1], extra["reparse"][2]
    best, med = min(t1) / min(t2), statistics.median(t1) / statistics.median(t2)
    print(f"| reparse 1 worker: best / median | {min(t1):.2f} s / {statistics.median(t1):.2f} s |")
    print(f"| reparse 2 workers: best / median | {min(t2):.2f} s / {statistics.median(t2):.2f} s |")
    print(f"| reparse speed-up 1 → 2 workers: best / median | {best:.2f}x / {med:.2f}x |")
    pages = extra["reparse"]["pages"]
    parent = min(extra["reparse"]["parent"]) * 1000 / pages
    work = min(extra["reparse"]["workers"]) * 1000 / pages
    one = min(extra["reparse"]["one"]) * 1000 / pages
    # 1 worker's CPU over the longer of the two lanes of 2 workers: the parent's serial
    # part, or half the workers' CPU
    bound = one / max(parent, work / 2)
    print(f"| reparse 2 workers: parent CPU per page (serial) | {parent:.2f} ms |")
    print(f"| reparse 2 workers: workers' CPU per page | {work:.2f} ms |")
    print(f"| reparse 1 worker: CPU per page | {one:.2f} ms |")
    print(f"| reparse speed-up two idle cores would give, from CPU | {bound:.2f}x |")
    print("\nMost frequent SQL statements (per article, whole crawl):\n")
    for shape, count in traced["statements"].most_common(15):
        print(f"  {count / nt:5.2f}  {shape}")
    print("\nMost frequent SQL statements of the save path (per article):\n")
    for shape, count in traced["in_save"].most_common(25):
        print(f"  {count / nt:5.2f}  {shape}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=8, help="extra copies of each article")
    parser.add_argument("--hosts", type=int, default=2, help="loopback hosts serving the site")
    parser.add_argument("--rounds", type=int, default=3, help="reparse runs per worker count")
    parser.add_argument("--keep", type=Path, help="keep the site and archives in this folder")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="crawl-cost-"))
    folder.mkdir(parents=True, exist_ok=True)
    site_dir = folder / "site"
    if not site_dir.exists():
        generate_site(site_dir, args.copies)
    load = "/".join(f"{x:.1f}" for x in os.getloadavg())
    try:
        with served(site_dir, args.hosts) as urls:
            for name in ("archive.db", "traced.db"):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{folder / name}{suffix}").unlink(missing_ok=True)
            run = crawl(folder / "archive.db", urls)
            traced = crawl(folder / "traced.db", urls, trace=True)
        extra = {
            "hosts": args.hosts,
            "load": load,
            "stem": stemming_ms(folder / "archive.db"),
            "zlib": compression(stored_bodies(folder / "archive.db")),
            "reparse": reparse_times(folder / "archive.db", args.rounds),
        }
        report(run, traced, extra)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
