"""Extraction quality on real third-party SPIP themes (../shared/spip-themes/, read at run time).

For each theme, a real SPIP 4.4 (tests/real_spip.py: Debian's package under PHP's server)
serves the sample site's articles with the theme as its ``squelettes/``; ``article-archive
crawl --backfill`` archives the site from its home page into a fresh archive, and every field of
every stored article is scored against what the editor typed, as far as the theme shows it (see
bench/theme_truth.py: a field the theme never prints must come out empty; bench/theme_score.py
compares). Pages stored as
articles that are none of the published articles (home, listings, absent ids, duplicates) are
counted as non-articles. Themes run one after another on one SPIP, each with a time limit.

The themes' plugin manifests (paquet.xml) all declare a compatibility range ending at SPIP 3.3
at most, and SPIP checks that range before it activates a plugin; every theme is therefore
served as ``squelettes/``, with the options and functions files its manifest declares included
(as the themes' README says). A theme without an article.html of its own is not measured:
SPIP would answer with its own article page.

    .venv/bin/python bench/eval_themes.py [--themes a,b] [--timeout 300] [--write] [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import sqlite_utils

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from article_archive_sample import default_site_dir, load_site  # noqa: E402
from real_spip import DIST, RealSpip, missing, theme_root  # noqa: E402
from sample_truth import norm, plain  # noqa: E402
from theme_score import FIELDS, failure, got_fields, verdicts  # noqa: E402
from theme_truth import (  # noqa: E402
    article_urls,
    expected,
    fetch_article,
    mark_site,
    read_page,
    url_article,
)

SHORT = {"section_path": "path", "postscript": "ps", "translations": "trans", "footnotes": "notes"}
BAR = 98.0  # % right a field must reach on a theme for the theme to pass
RESULTS = REPO / "bench" / "RESULTS.md"
LEGEND = (
    "`make eval-themes` (bench/eval_themes.py): SPIP 4.4 serving the sample site with each theme"
    " of ../shared/spip-themes as its squelettes/, crawled with `article-archive crawl"
    " --backfill`. Each field column is the % of the published articles whose stored field is"
    " right, where right means equal to what the editor typed when the theme's article page"
    " shows it, and empty when it does not (an article not archived counts as wrong)."
    " *stored*: published articles archived; *non-art.*: other pages stored as articles"
    " (home, listings, absent ids, duplicates); a crawl stops at 150 articles. dist is SPIP's"
    " own templates, for reference."
)
SECTION = "## Extraction on real SPIP themes"


def shared_dir() -> Path | None:
    """The shared folder: from the environment, else beside the repository or its worktrees."""
    env = os.environ.get("ARTICLE_ARCHIVE_SHARED")
    candidates = [Path(env)] if env else [REPO.parent / "shared", REPO.parent.parent / "shared"]
    return next((c for c in candidates if (c / "spip-themes").is_dir()), None)


def available_plugins() -> set[str]:
    """Prefixes of the plugins Debian's SPIP ships (plugins-dist), lower-cased."""
    found = {"spip"}
    for paquet in (DIST / "usr/share/spip/plugins-dist").glob("*/paquet.xml"):
        match = re.search(r'prefix="([^"]+)"', paquet.read_text(errors="replace"))
        if match:
            found.add(match.group(1).lower())
    return found


def needed_plugins(folder: Path) -> list[str]:
    """Plugins the theme's manifest requires that SPIP 4.4 does not ship."""
    names: list[str] = []
    for manifest in ("paquet.xml", "plugin.xml"):
        path = folder / manifest
        if path.exists():
            text = path.read_text(errors="replace")
            names += re.findall(r'<necessite\s+(?:nom|id)="([^"]+)"', text)
    have = available_plugins()
    return [n for n in names if n.lower() not in have]


def page_problem(client: httpx.Client, path: str, title: str | None = None) -> str | None:
    """Why the page at ``path`` is not a rendered page (showing ``title``), or None."""
    try:
        answer = client.get(path)
    except httpx.HTTPError as error:
        return type(error).__name__
    text = " ".join(read_page(answer.text).text.split())
    if answer.status_code != 200:
        return f"HTTP {answer.status_code}"
    if len(text) < 200:
        return f"{text[:80]!r} ({len(answer.text)} bytes)"
    if title and norm(plain(title)) not in norm(text):
        return "the article's title is not on it"
    return None


def spip_errors(spip: RealSpip, since: int, limit: int = 2) -> list[str]:
    """The distinct errors SPIP and PHP logged since the theme was installed, first ones first."""
    found: list[str] = []
    texts = [(spip.root / "tmp" / "log" / "spip.log", 0), (spip.workdir / "php.log", since)]
    for log, start in texts:
        if not log.exists():
            continue
        with log.open("rb") as stream:
            stream.seek(start)
            text = stream.read().decode("utf-8", errors="replace")
        for line in text.splitlines():
            match = re.search(r"(?:ERREUR|PHP (?:Fatal|Parse) error):?\s*(.*)", line)
            if match:
                message = re.sub(r"<[^>]+>", "", html.unescape(match.group(1)))
                message = message.replace(str(spip.workdir), "[…]")
                message = re.sub(r"\s+", " ", message).strip()[:220]
                if message not in found:
                    found.append(message)
    return found[:limit]


def crawl(base_url: str, db_path: Path, timeout: float) -> str:
    """Archive the site through the real crawl path (the CLI); '' or why it stopped early."""
    command = [
        str(REPO / ".venv" / "bin" / "article-archive"),
        "crawl",
        base_url,
        "--backfill",
        "--db",
        str(db_path),
        "--delay",
        "0",
        "--max-articles",
        "150",  # an id walk that stores every absent id stops here (4 times the site)
        "-q",
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"crawl stopped after {timeout:.0f}s"
    if done.returncode != 0:
        return f"crawl exit {done.returncode}: {(done.stderr or done.stdout).strip()[-200:]}"
    return ""


def crawl_failures(db: sqlite_utils.Database) -> str:
    """The crawl's failed addresses, counted by reason (the commonest first)."""
    if not db["frontier"].exists():
        return "nothing crawled"
    reasons = db.execute(
        "select count(*), last_error from frontier where state = 'failed'"
        " group by last_error order by count(*) desc"
    ).fetchall()
    return "; ".join(f"{n} pages failed: {(why or '?')[:100]}" for n, why in reasons[:2])


def _unmarked(ids: list[int]) -> str:
    if not ids:
        return ""
    return f"{len(ids)} marked article pages did not render (e.g. {ids[0]})"


def evaluate(spip: RealSpip, theme: Path | None, timeout: float) -> dict:
    """Install, render-check, crawl and score one theme (None: SPIP's own); a table row."""
    site = spip.site
    started = time.monotonic()
    included = spip.use_theme(theme)
    since = (spip.workdir / "php.log").stat().st_size
    needs = needed_plugins(theme_root(theme)) if theme else []
    name = theme.name if theme else "dist"
    result: dict = {"theme": name, "needs": needs, "included": included}
    with httpx.Client(base_url=spip.base_url, timeout=60) as client:
        sample = site.articles[50]
        home = page_problem(client, "")
        article_page = f"spip.php?page=article&id_article={sample.id}"
        problem = page_problem(client, article_page, sample.title)
        if problem:
            problem = f"article page: {problem}"
        elif theme and not (theme_root(theme) / "article.html").exists():
            # SPIP falls back to its own article.html: what is measured would be dist again
            problem = "no article.html of its own: SPIP's dist article page would be measured"
        if problem:
            result["status"] = "; ".join([problem, *spip_errors(spip, since)])
            return result
        db_path = spip.workdir / f"archive-{name}.db"
        db_path.unlink(missing_ok=True)
        stopped = crawl(spip.base_url, db_path, timeout)
        urls = article_urls(spip)
        mark_site(spip)
        pages = {a.id: fetch_article(client, a.id) for a in site.published()}
    urls.update(article_urls(spip))
    db = sqlite_utils.Database(db_path)
    rows = list(db.query("select * from articles")) if db["articles"].exists() else []
    published = {a.id for a in site.published()}
    by_id: dict[int, dict] = {}
    non_articles = 0
    for row in rows:
        found = url_article(row["url"], spip.base_url, urls) or row["spip_id"]
        if found in published and found not in by_id:
            by_id[found] = row
        else:
            non_articles += 1
    unmarked = [i for i, (_, text) in pages.items() if f"ZQTIT{i}Z" not in text]
    right: Counter = Counter()
    shown: Counter = Counter()
    failures: dict[str, list[str]] = {}
    for art in site.published():
        want = expected(site, art, read_page(pages[art.id][1]), spip.base_url, urls)
        shown.update(field for field in FIELDS if want[field])
        row = by_id.get(art.id)
        if row is None:
            continue  # not archived: every field of it counts as wrong
        got = got_fields(db, row)
        for field, ok in verdicts(want, got).items():
            right[field] += ok
            if not ok:
                failures.setdefault(field, []).append(failure(field, art.id, want, got))
    refused = crawl_failures(db)
    db.close()
    result.update(
        status="; ".join(
            filter(
                None,
                [
                    stopped or "renders",
                    home and f"home page: {home}",
                    refused,
                    _unmarked(unmarked),
                ],
            )
        ),
        errors=spip_errors(spip, since, 3),
        stored=len(by_id),
        published=len(published),
        non_articles=non_articles,
        rates={field: 100 * right[field] / len(published) for field in FIELDS},
        shown={field: shown[field] for field in FIELDS},
        failures=failures,
        seconds=time.monotonic() - started,
    )
    return result


def meets_bar(result: dict) -> bool:
    """The issue's bar for a theme: every article archived, every field >= 98%, no non-article."""
    rates = result.get("rates")
    return bool(rates) and result["non_articles"] == 0 and min(rates.values()) >= BAR


def table(results: list[dict]) -> str:
    """The theme × field table (% right over the published articles), as Markdown."""
    head = ["theme", "stored", "non-art."] + [SHORT.get(f, f) for f in FIELDS] + ["status"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        if "rates" in r:
            cells = [r["theme"], f"{r['stored']}/{r['published']}", str(r["non_articles"])]
            cells += [f"{r['rates'][f]:.0f}" for f in FIELDS]
        else:
            cells = [r["theme"], "-", "-"] + ["-"] * len(FIELDS)
        lines.append("| " + " | ".join([*cells, r["status"].replace("|", "/")]) + " |")
    lines += ["", "How many of the published articles' pages show each field, by theme:", ""]
    lines += ["| theme | " + " | ".join(SHORT.get(f, f) for f in FIELDS) + " |"]
    lines.append("|" + "---|" * (len(FIELDS) + 1))
    for r in results:
        if "shown" in r:
            counts = " | ".join(str(r["shown"][f]) for f in FIELDS)
            lines.append(f"| {r['theme']} | {counts} |")
    lines.append("")
    for r in results:
        notes = [f"needs plugins SPIP 4.4 lacks: {', '.join(r['needs'])}"] if r["needs"] else []
        notes += [f"SPIP logged: {e}" for e in r.get("errors", [])]
        if notes:
            lines.append(f"- {r['theme']}: " + "; ".join(notes).replace("|", "/"))
    return "\n".join(lines)


def write_results(text: str) -> None:
    """Put the section before the other results of bench/RESULTS.md, replacing an earlier run's."""
    old = RESULTS.read_text(encoding="utf-8")
    start = old.find(SECTION)
    if start >= 0:
        end = old.find("\n## ", start)
        old = old[:start] + (old[end + 1 :] if end >= 0 else "")
    first = old.find("\n## ")
    first = len(old) if first < 0 else first + 1
    RESULTS.write_text(f"{old[:first]}{text}\n\n{old[first:]}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Evaluate the themes; print the table and each theme's failures; write RESULTS.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--themes", help="comma-separated theme folders (default: SPIP's own 'dist', then all)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds per theme's crawl")
    parser.add_argument("--write", action="store_true", help="write the table to RESULTS.md")
    parser.add_argument("--keep", help="work in this folder (SPIP, archives) and keep it")
    parser.add_argument(
        "--check", type=int, metavar="N", help="exit 1 unless N themes meet the bar (98%%, 0)"
    )
    parser.add_argument("--verbose", action="store_true", help="every failing article")
    args = parser.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("eval_themes: no shared folder (set ARTICLE_ARCHIVE_SHARED or create ../shared).")
        return 0
    if missing():
        print(f"eval_themes: {missing()}")
        return 1
    folders: list[Path | None] = sorted(p for p in (shared / "spip-themes").iterdir() if p.is_dir())
    if args.themes:
        wanted = set(args.themes.split(","))
        folders = [None] * ("dist" in wanted) + [p for p in folders if p and p.name in wanted]
    else:
        folders.insert(0, None)  # SPIP's own templates first, for reference
    results = []
    keep = Path(args.keep) if args.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    folder_cm = contextlib.nullcontext(str(keep)) if keep else tempfile.TemporaryDirectory()
    with folder_cm as work, RealSpip(Path(work), load_site(default_site_dir())) as spip:
        for folder in folders:
            result = evaluate(spip, folder, args.timeout)
            results.append(result)
            print(f"{result['theme']}: {result['status']}", flush=True)
            for name, lines in result.get("failures", {}).items():
                shown = lines if args.verbose else lines[:2]
                print(f"  {name}: {len(lines)} wrong; " + "; ".join(shown), flush=True)
    if keep:
        (keep / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    rendered = sum(1 for r in results if "rates" in r)
    passing = [r["theme"] for r in results if meets_bar(r) and r["theme"] != "dist"]
    text = (
        f"{SECTION} — {when} ({rendered} of {len(results)} render;"
        f" {len(passing)} meet the bar: {', '.join(passing) or 'none'})\n\n{LEGEND}\n\n"
    )
    text += table(results)
    print("\n" + text)
    if args.write:
        write_results(text)
    if args.check and len(passing) < args.check:
        print(f"eval_themes: {len(passing)} themes meet the bar, fewer than {args.check}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
