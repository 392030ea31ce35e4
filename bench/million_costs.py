"""Per-article build costs on a sample, and the crawl frontier's claim at 10k and 1M rows.

- the store's write path: ``store.archive`` of each generated article with its page, one
  transaction each, ``synchronous = NORMAL`` as a crawl runs it (no fetch, no extraction);
- ``article-archive import`` of the same pages saved as HTML files (extraction included);
- the frontier: a crawl's pending rows bulk-inserted, then ``frontier.claim`` timed (one
  site, as a crawl claims) with the ``EXPLAIN QUERY PLAN`` of its query.
"""

from __future__ import annotations

import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import million

FRONTIER_CLAIMS = 300


def write_path(count: int, seed: int = million.SEED) -> dict[str, Any]:
    """Wall and CPU milliseconds per article through ``store.archive`` (page + article)."""
    from article_archive.models import FetchResult
    from article_archive.store import open_archive
    from article_archive.store.archive import Capture, archive
    from article_archive.store.schema import sync_per_checkpoint

    pools = million.build_pools(seed)
    records = []
    for number in range(1, count + 1):
        article = million.make_article(pools, number, seed)
        records.append((article, million.page_html(article).encode("utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        db = open_archive(Path(tmp) / "write.db")
        sync_per_checkpoint(db)
        wall, cpu = time.perf_counter(), time.process_time()
        for article, body in records:
            result = FetchResult(
                url=article["url"],
                final_url=article["url"],
                status=200,
                headers={"content-type": "text/html; charset=utf-8"},
                body=body,
                fetched_at=million.FETCHED_AT,
                content_type="text/html",
                charset="utf-8",
            )
            archive(db, Capture(result, "article"), article=article)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        db.close()
    return {
        "articles": count,
        "wall_ms": round(wall * 1000 / count, 2),
        "cpu_ms": round(cpu * 1000 / count, 2),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def import_cost(count: int, seed: int = million.SEED) -> dict[str, Any]:
    """Wall and CPU milliseconds per article of ``article-archive import`` of saved pages.

    The CPU time includes the command's start (~1 s), spread over the sample.
    """
    pools = million.build_pools(seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "site"
        folder.mkdir()
        for number in range(1, count + 1):
            article = million.make_article(pools, number, seed)
            (folder / f"article{number}.html").write_text(million.page_html(article), "utf-8")
        command = Path(sys.executable).with_name("article-archive")
        args = [str(command), "import", str(folder), "--base-url", f"https://{million.SITE}/"]
        started, before = time.perf_counter(), _children_cpu()
        done = subprocess.run(
            [*args, "--db", str(Path(tmp) / "import.db")], capture_output=True, text=True
        )
        seconds, cpu = time.perf_counter() - started, _children_cpu() - before
        shutil.rmtree(folder)
    if done.returncode != 0:
        raise SystemExit(f"import failed: {done.stderr[-2000:]}")
    return {
        "articles": count,
        "wall_ms": round(seconds * 1000 / count, 2),
        "cpu_ms": round(cpu * 1000 / count, 2),
        "summary": done.stdout.strip().splitlines()[-1:],
    }


def _frontier_db(path: Path, rows: int) -> None:
    """An archive whose frontier holds ``rows`` article URLs of one site (most done)."""
    from article_archive.store import frontier, open_archive

    db = open_archive(path)
    frontier.ensure_indexes(db)
    db.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")
    rng = random.Random(rows)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO frontier (url, site, kind, state, attempts, next_try, added_at, "
        "updated_at) VALUES (?, ?, 'article', ?, 0, ?, ?, ?)",
        (
            (
                f"https://{million.SITE}/spip.php?article{i}",
                million.SITE,
                "done" if rng.random() < 0.8 else "pending",
                million.FETCHED_AT if rng.random() < 0.05 else None,
                million.FETCHED_AT,
                million.FETCHED_AT,
            )
            for i in range(1, rows + 1)
        ),
    )
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def claim_plan(db: Any) -> list[str]:
    """``EXPLAIN QUERY PLAN`` of the claim query of one kind and site (``_claim_on``)."""
    sql = (
        "EXPLAIN QUERY PLAN SELECT * FROM frontier WHERE state = 'pending' AND kind = ? "
        "AND site = ? AND next_try IS NULL ORDER BY id LIMIT 1"
    )
    return [row[-1] for row in db.execute(sql, ["article", million.SITE]).fetchall()]


def frontier_claims(rows: int) -> dict[str, Any]:
    """Milliseconds per ``frontier.claim`` (one site) on a frontier of ``rows`` URLs."""
    from article_archive.store import frontier, open_archive

    million.CACHE.mkdir(parents=True, exist_ok=True)
    path = million.CACHE / f"frontier-{rows}.db"
    path.unlink(missing_ok=True)
    _frontier_db(path, rows)
    from article_archive.store.schema import sync_per_checkpoint

    db = open_archive(path)
    sync_per_checkpoint(db)  # as the crawl runs
    times, cpus = [], []
    for _ in range(FRONTIER_CLAIMS):
        started, cpu = time.perf_counter(), time.thread_time()
        with db.atomic():
            row = frontier.claim(db, sites=[million.SITE])
        times.append((time.perf_counter() - started) * 1000)
        cpus.append((time.thread_time() - cpu) * 1000)
        if row is None:
            raise SystemExit("the frontier ran out of pending rows")
    plan = claim_plan(db)
    db.close()
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    return {
        "rows": rows,
        "claim_ms_p50": round(statistics.median(times), 3),
        "claim_ms_max": round(max(times), 3),
        "claim_cpu_ms_p50": round(statistics.median(cpus), 3),
        "plan": plan,
    }
