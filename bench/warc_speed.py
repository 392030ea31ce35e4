"""WARC/WACZ export and WARC import speed on the sample site's archive, copied N times.

Crawls the bundled sample site once on loopback (backfill), then times, in this process:
``write_warc`` (gzipped), ``write_wacz``, and ``import_warc`` of the export into a fresh
archive; ``--copies N`` writes the WARC N times over with the host renamed (so every copy
is new to the importer; the pages' canonical links still name the one site, so the copies
update the same articles), to measure more than a few hundred records.

    .venv/bin/python bench/warc_speed.py
    .venv/bin/python bench/warc_speed.py --copies 10
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive.crawl.options import CrawlSummary
from article_archive.store import open_archive
from article_archive.warc import import_warc, write_wacz, write_warc
from article_archive.warc.records import StoredResponse, stored_responses
from article_archive.warc.write import write_records
from article_archive_sample.server import SampleSite


def _timed(label: str, count: int, size: int, work) -> None:
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(
        f"{label:<28} {count:>6} answers {size / 1e6:>7.1f} MB  {seconds:>6.2f} s"
        f"  {count / seconds:>7.0f} answers/s"
    )


def _moved(answer: StoredResponse, host: str, name: str) -> StoredResponse:
    """The same answer as if served by host ``name`` (a new address for the importer)."""
    url, final = answer.url.replace(host, name), answer.final_url.replace(host, name)
    return replace(answer, url=url, final_url=final)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1, help="copies of the site in the WARC")
    copies = parser.parse_args().copies
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with SampleSite() as site:
            fast = CrawlOptions(backfill=True, delay=0, retries=1, backoff=0.01, id_gap=10)
            run_crawl(root / "crawled.db", [site.base_url], fast)
            host = site.base_url.split("//")[1].rstrip("/")
        db = open_archive(root / "crawled.db")
        answers = list(stored_responses(db))
        size = sum(len(a.body) for a in answers)
        warc = root / "site.warc.gz"
        with warc.open("wb") as out:
            _timed("export warc (1 copy)", len(answers), size, lambda: write_warc(db, out))
        _timed("export wacz (1 copy)", len(answers), size, lambda: write_wacz(db, root / "s.wacz"))
        if copies > 1:
            with warc.open("wb") as out:
                for number in range(copies):
                    name = f"copy{number}.example"
                    renamed = [
                        replace(
                            a,
                            url=a.url.replace(host, name),
                            final_url=a.final_url.replace(host, name),
                        )
                        for a in answers
                    ]
                    write_records(renamed, out, gzip=True)
        db.close()
        fresh = open_archive(root / "fresh.db")
        summary = CrawlSummary()
        total = len(answers) * copies
        _timed(
            f"import warc ({copies} copies)",
            total,
            size * copies,
            lambda: import_warc(fresh, warc, summary),
        )
        fresh.close()
        print(f"  {summary.line()}; WARC {warc.stat().st_size / 1e6:.1f} MB gzipped")


if __name__ == "__main__":
    main()
