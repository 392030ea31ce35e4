"""``python -m article_archive_sample [PORT] [SITE_DIR]``: browse the sample site by hand."""

from __future__ import annotations

import argparse
from pathlib import Path

from article_archive_sample.server import serve_forever


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The optional port and site folder; ``--help`` says what they default to."""
    parser = argparse.ArgumentParser(
        prog="python -m article_archive_sample",
        description="Serve the fake SPIP sample site on 127.0.0.1 until Ctrl-C.",
    )
    parser.add_argument(
        "port", nargs="?", type=int, default=8002, help="port on 127.0.0.1 (default: 8002)"
    )
    parser.add_argument(
        "site_dir",
        nargs="?",
        type=Path,
        default=None,
        help="a folder in the sample-site format (default: the bundled site)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Parse the optional port and folder, then serve until Ctrl-C."""
    args = parse_args(argv)
    serve_forever(args.site_dir, port=args.port)


if __name__ == "__main__":
    main()
