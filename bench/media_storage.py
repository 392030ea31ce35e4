"""Storage per article with and without media: the sample site crawled both ways.

Crawls the bundled sample site (``--backfill``, served on loopback) into two fresh archives,
one with the default media archiving and one with ``--no-media``, vacuums both, and prints the
file sizes, the bytes of each table (SQLite's ``dbstat``) and the bytes per article.

The sample's drawings are small (0.6–4.5 KB PNGs, under 1 KB PDFs); real SPIP sites carry
photos of 50–300 KB. ``--image-kb N`` crawls a copy of the site whose PNGs are replaced by
noise PNGs of about N KB each (incompressible, like photos), to see where the bytes go then.

    .venv/bin/python bench/media_storage.py
    .venv/bin/python bench/media_storage.py --image-kb 150
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import struct
import tempfile
import zlib
from pathlib import Path

from article_archive.crawl import CrawlOptions, run_crawl
from article_archive_sample.server import SampleSite, default_site_dir

FAST = {"delay": 0, "retries": 1, "backoff": 0.01, "id_gap": 10, "backfill": True}
TABLES = ("pages", "articles", "articles_fts", "article_stems", "media", "frontier")


def noise_png(kilobytes: int, seed: int) -> bytes:
    """A valid greyscale PNG of random pixels, about ``kilobytes`` KB (noise does not compress)."""
    side = max(8, int((kilobytes * 1024) ** 0.5))
    rng = random.Random(seed)
    rows = b"".join(b"\x00" + rng.randbytes(side) for _ in range(side))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def site_copy(root: Path, image_kb: int | None) -> Path:
    """The sample site, or a copy whose PNGs weigh about ``image_kb`` KB each."""
    if not image_kb:
        return default_site_dir()
    target = root / "site"
    shutil.copytree(default_site_dir(), target)
    for seed, png in enumerate(sorted((target / "IMG").glob("*.png"))):
        png.write_bytes(noise_png(image_kb, seed))
    return target


def crawl(site_dir: Path, db_path: Path, *, media: bool) -> None:
    with SampleSite(site_dir=site_dir) as site:
        run_crawl(db_path, [site.base_url], CrawlOptions(media=media, **FAST))
    conn = sqlite3.connect(db_path)
    conn.execute("VACUUM")
    conn.close()


def measure(db_path: Path) -> dict[str, int]:
    """File size, articles, media and the bytes of the tables that matter."""
    conn = sqlite3.connect(db_path)
    sizes = dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))
    figures = {
        "file": db_path.stat().st_size,
        "articles": conn.execute("SELECT count(*) FROM articles").fetchone()[0],
        "with_media": conn.execute(
            "SELECT count(DISTINCT article_id) FROM article_media WHERE media_id IS NOT NULL"
        ).fetchone()[0],
        "media_rows": conn.execute("SELECT count(*) FROM media").fetchone()[0],
        "media_bytes": conn.execute("SELECT coalesce(sum(size), 0) FROM media").fetchone()[0],
        "links": conn.execute("SELECT count(*) FROM article_media").fetchone()[0],
    }
    for table in TABLES:
        figures[f"table:{table}"] = sum(v for k, v in sizes.items() if k.startswith(table))
    conn.close()
    return figures


def report(without: dict[str, int], with_: dict[str, int]) -> str:
    """The Markdown table of the two archives."""
    n = with_["articles"]
    extra = with_["file"] - without["file"]
    lines = [
        "| | `--no-media` | with media (default) |",
        "| --- | ---: | ---: |",
        f"| archive file (vacuumed) | {without['file']:,} B | {with_['file']:,} B |",
        f"| articles | {without['articles']} | {n} |",
        f"| bytes per article | {without['file'] // n:,} | {with_['file'] // n:,} |",
        f"| media rows (distinct bodies) / article links | 0 / 0 | "
        f"{with_['media_rows']} / {with_['links']} |",
        f"| media bodies | 0 B | {with_['media_bytes']:,} B |",
    ]
    for table in TABLES:
        key = f"table:{table}"
        lines.append(f"| tables `{table}*` (and indexes) | {without[key]:,} B | {with_[key]:,} B |")
    lines.append(
        f"\nMedia add {extra:,} B to the archive ({extra / without['file']:.1%}): "
        f"{extra // n:,} B per article on average, "
        f"{extra // max(1, with_['with_media']):,} B per article that has media "
        f"({with_['with_media']} of {n})."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--image-kb", type=int, help="replace the PNGs by ~N KB noise PNGs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site_dir = site_copy(root, args.image_kb)
        crawl(site_dir, root / "without.db", media=False)
        crawl(site_dir, root / "with.db", media=True)
        print(report(measure(root / "without.db"), measure(root / "with.db")))


if __name__ == "__main__":
    main()
