"""One million articles (issue 14): build, size, latency and memory at 10k, 100k and 1M.

    .venv/bin/python bench/million_bench.py                  # 10k, 100k, 1M; writes RESULTS.md
    .venv/bin/python bench/million_bench.py --sizes 10000 --no-write

Each archive is built once by ``bench/million_load.py`` (bulk inserts, FTS after the load) and
cached in ``.cache/bench/``; the store's write path and ``import`` are measured on a sample
and their per-article cost extrapolated; the frontier's claim is timed at 10k and 1M rows.
The section "One million articles" of ``bench/RESULTS.md`` is replaced, nothing else.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import million_costs
import million_load
import million_pages

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## One million articles (issue 14)"
SIZES = (10_000, 100_000, 1_000_000)
SEARCH_P95_MS, SEARCH_RATIO, PAGE_P95_MS, SERVE_MB = 200.0, 1.5, 300.0, 500


def machine() -> str:
    """Cores, CPU model, memory, Python, SQLite, Datasette, and the load while measuring."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = Path("/proc/meminfo").read_text().split()[1]
    return (
        f"{os.cpu_count()} cores ({cpu}), {int(memory) / 2**20:.0f} GB RAM, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"Datasette {version('datasette')}, load average {os.getloadavg()[0]:.1f} at the end"
    )


def run(sizes: list[int], args: argparse.Namespace) -> dict[str, Any]:
    """Every measurement; the archives built (or reused) first.

    With ``--merge``, the sizes and samples a saved run (``--json``) measured are kept and
    only the others measured now.
    """
    out: dict[str, Any] = {"sizes": {}}
    if args.merge:
        out = json.loads(Path(args.merge).read_text(encoding="utf-8"))
        out["sizes"] = {int(k): v for k, v in out["sizes"].items()}
    out["when"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for count in sizes:
        if count in out["sizes"]:
            continue
        path, stats = million_load.ensure(count)
        print(f"measuring {count:,} articles ({path.name})", file=sys.stderr, flush=True)
        latency = million_pages.measure(path, count, args.requests, args.datasette_queries)
        out["sizes"][count] = {"build": stats, **latency}
        out["sizes"] = dict(sorted(out["sizes"].items()))
    print("write path and import samples", file=sys.stderr, flush=True)
    if "write_path" not in out:
        out["write_path"] = million_costs.write_path(args.write_sample)
    if "import" not in out:
        out["import"] = million_costs.import_cost(args.import_sample)
    if "frontier" not in out:
        out["frontier"] = [million_costs.frontier_claims(n) for n in (10_000, 1_000_000)]
    out["machine"] = machine()
    return out


def _cell(results: dict[str, Any], size: int, pick: Any) -> str:
    data = results["sizes"].get(size)
    if data is None:
        return "–"
    try:
        return pick(data)
    except (KeyError, TypeError):
        return "–"


def _ms(d: dict[str, Any]) -> str:
    return f"{d['p50']:.0f} / {d['p95']:.0f}"


def _ratio(d: dict[str, Any], ours: str, bare: str) -> str:
    return f"{d['search'][ours]['p95'] / max(d['search'][bare]['p95'], 0.1):.1f}x"


def table(results: dict[str, Any]) -> list[str]:
    """The Markdown table: one row per measure, one column per archive size."""
    sizes = list(results["sizes"])
    rows: list[tuple[str, Any]] = [
        ("build by bulk load, s (measured)", lambda d: f"{d['build']['seconds']:,.0f}"),
        (
            "  of which load / indexes, s",
            lambda d: f"{d['build']['load_seconds']:,.0f} / {d['build']['index_seconds']:,.0f}",
        ),
        (
            "  articles_fts / article_stems build, s",
            lambda d: (
                f"{d['build']['articles_fts_seconds']:,.0f} / "
                f"{d['build']['article_stems_seconds']:,.0f}"
            ),
        ),
        ("database, GB", lambda d: f"{d['build']['bytes'] / 1e9:.2f}"),
        ("database per article, KB", lambda d: f"{d['build']['bytes_per_article'] / 1000:.1f}"),
        (
            "articles_fts / article_stems size, MB",
            lambda d: " / ".join(f"{v / 1e6:,.0f}" for v in d["build"]["fts_bytes"].values()),
        ),
        ("our search page p50 / p95, ms", lambda d: _ms(d["search"]["ours"])),
        ("  server CPU per request p50 / p95, ms", lambda d: _ms(d["search"]["ours_cpu"])),
        ("bare FTS5 (same queries) p50 / p95, ms", lambda d: _ms(d["search"]["bare"])),
        ("  its CPU p50 / p95, ms", lambda d: _ms(d["search"]["bare_cpu"])),
        ("search p95 ÷ bare p95 (wall)", lambda d: _ratio(d, "ours", "bare")),
        ("search p95 ÷ bare p95 (CPU)", lambda d: _ratio(d, "ours_cpu", "bare_cpu")),
        ("Datasette ?_search= HTML p50 / p95, ms", lambda d: _ms(d["datasette"]["stats"]["html"])),
        ("Datasette ?_search= JSON p50 / p95, ms", lambda d: _ms(d["datasette"]["stats"]["json"])),
    ]
    first = results["sizes"][sizes[0]]
    for kind in first["pages"]:
        rows.append((f"{kind} p50 / p95, ms", lambda d, k=kind: _ms(d["pages"][k])))
        rows.append(("  server CPU p50 / p95, ms", lambda d, k=kind: _ms(d["pages"][k]["cpu"])))
    rows += [
        ("CSV export, lines/s (q=syndicat)", lambda d: f"{d['csv']['lines_per_s']:,}"),
        ("serve peak memory (VmHWM), MB", lambda d: f"{d['serve_mb']:,}"),
        ("serve start, s", lambda d: f"{d['serve_start_s']}"),
    ]
    head = "| measure | " + " | ".join(f"{s:,}" for s in sizes) + " |"
    lines = [head, "|---|" + "---:|" * len(sizes)]
    for name, pick in rows:
        lines.append(f"| {name} | " + " | ".join(_cell(results, s, pick) for s in sizes) + " |")
    return lines


def _verdict(name: str, wall: float, cpu: float | None, limit: float) -> str:
    """One target on wall time, and on the server's CPU time (what an idle machine shows)."""

    def word(value: float) -> str:
        return "met" if value < limit else f"missed by {value - limit:.0f} ms"

    text = f"- {name} p95 {wall:.0f} ms wall: {word(wall)}"
    if cpu is not None:
        text += f"; {cpu:.0f} ms server CPU: {word(cpu)}"
    return f"{text} (target < {limit:.0f} ms)"


def verdicts(results: dict[str, Any]) -> list[str]:
    """Each target at the largest size measured: met or not, by how much."""
    size = max(results["sizes"])
    d = results["sizes"][size]
    search = d["search"]
    ours, bare = search["ours"]["p95"], search["bare"]["p95"]
    ours_cpu, bare_cpu = search["ours_cpu"]["p95"], search["bare_cpu"]["p95"]
    ratio, ratio_cpu = ours / max(bare, 0.1), ours_cpu / max(bare_cpu, 0.1)
    out = [
        _verdict("search page", ours, ours_cpu, SEARCH_P95_MS),
        f"- search page ÷ bare FTS5 at p95: {ratio:.2f}x wall, {ratio_cpu:.2f}x CPU "
        f"(target ≤ {SEARCH_RATIO}x): "
        + ("met" if max(ratio, ratio_cpu) <= SEARCH_RATIO else "missed"),
    ]
    for kind, page in d["pages"].items():
        line = _verdict(kind, page["p95"], page["cpu"]["p95"], PAGE_P95_MS)
        out.append(line + (f"; {page['problems'][0]}" if page["problems"] else ""))
    for kind in ("html", "json"):
        p95 = d["datasette"]["stats"][kind]["p95"]
        out.append(_verdict(f"Datasette ?_search= {kind} (in-process)", p95, None, PAGE_P95_MS))
    mb = d["serve_mb"]
    out.append(
        f"- serve peak memory {mb} MB (target < {SERVE_MB}): "
        + ("met" if mb < SERVE_MB else "missed")
    )
    return [f"At {size:,} articles:", *out]


def section(results: dict[str, Any], command: str, note: str | None = None) -> str:
    """The RESULTS.md section of a run (``note``: a paragraph on what this run left out)."""
    wp, imp = results["write_path"], results["import"]
    if max(results["sizes"]) < max(SIZES):
        missing = f"The {max(SIZES):,}-article archive was not measured in this run."
        note = f"{missing} {note or ''}".strip()
    lines = [
        f"{SECTION} — {results['when']}",
        "",
        f"Machine: {results['machine']} (shared with other jobs: wall times are upper bounds).",
        f"Command: `{command}` (archives cached in `.cache/bench/`; `make bench` runs it).",
        "",
        "Archives made by `bench/million_load.py`: the store's schema and row shapes (articles,",
        "article_stems, pages, captures, authors, keywords, footnotes) bulk-inserted, secondary",
        "indexes and both FTS indexes built after the load. Every number below is measured at",
        "the size of its column; nothing in this table is extrapolated.",
        *(["", note] if note else []),
        "",
        *table(results),
        "",
        *verdicts(results),
        "",
        "Per-article cost of the real write paths, measured on a sample and extrapolated:",
        "",
        f"- `store.archive` (page + capture + article + stems, one transaction each, as a crawl "
        f"saves): {wp['cpu_ms']} ms CPU, {wp['wall_ms']} ms wall per article on "
        f"{wp['articles']:,} articles → 1M ≈ {wp['cpu_ms'] * 1e6 / 3.6e6:.1f} h CPU "
        f"(extrapolated, linear; ≈ {wp['wall_ms'] * 1e6 / 3.6e6:.1f} h wall at this run's load).",
        f"- `article-archive import` of saved pages (extraction included): {imp['cpu_ms']} ms CPU, "
        f"{imp['wall_ms']} ms wall per article on {imp['articles']:,} files → 1M ≈ "
        f"{imp['cpu_ms'] * 1e6 / 3.6e6:.1f} h CPU (extrapolated). {' '.join(imp['summary'])}",
        "",
        "Crawl frontier, `frontier.claim` of one site (20 % pending), "
        f"{million_costs.FRONTIER_CLAIMS} claims:",
        "",
        *[
            f"- {f['rows']:,} rows: p50 {f['claim_ms_p50']} ms wall, "
            f"{f['claim_cpu_ms_p50']} ms CPU, max {f['claim_ms_max']} ms; "
            f"plan: `{'; '.join(f['plan'])}`"
            for f in results["frontier"]
        ],
    ]
    problems = [
        f"- {size:,}: {p}"
        for size, d in results["sizes"].items()
        for p in d["search"]["problems"] + d["datasette"]["problems"]
    ]
    if problems:
        lines += ["", "Wrong answers seen:", "", *problems]
    return "\n".join(lines)


def write_results(text: str) -> None:
    """Replace this section of bench/RESULTS.md (or put it first), leaving the others."""
    old = RESULTS.read_text(encoding="utf-8")
    start = old.find(SECTION)
    if start >= 0:
        end = old.find("\n## ", start + len(SECTION))
        old = old[:start] + (old[end + 1 :] if end >= 0 else "")
    first = old.find("\n## ")
    first = len(old) if first < 0 else first + 1
    RESULTS.write_text(f"{old[:first]}{text}\n\n{old[first:]}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Measure, print the section, write it to RESULTS.md unless --no-write."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="archive sizes")
    parser.add_argument("--requests", type=int, default=200, help="search page requests")
    parser.add_argument("--datasette-queries", type=int, default=40, help="?_search= queries")
    parser.add_argument("--write-sample", type=int, default=2_000, help="articles, write path")
    parser.add_argument("--import-sample", type=int, default=1_000, help="files, import")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", help="also save the raw results to this file")
    parser.add_argument("--merge", help="keep what this saved run (--json) measured")
    parser.add_argument("--note", help="a paragraph for the section (what was left out, why)")
    parser.add_argument(
        "--rewrite", help="only write the section again from this saved run (--json)"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.rewrite:
        results = json.loads(Path(args.rewrite).read_text(encoding="utf-8"))
        results["sizes"] = {int(k): v for k, v in results["sizes"].items()}
    else:
        results = run(sizes, args)
    command = "python bench/million_bench.py " + " ".join(argv or sys.argv[1:])
    command = results.setdefault("command", command.strip())
    text = section(results, command, args.note)
    print(text)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    if not args.no_write:
        write_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
