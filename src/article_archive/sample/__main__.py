"""``python -m article_archive.sample [PORT] [SITE_DIR]``: browse the sample site by hand."""

from __future__ import annotations

import sys

from article_archive.sample.server import serve_forever


def main(argv: list[str] | None = None) -> None:
    """Parse the optional port and folder, then serve until Ctrl-C."""
    args = sys.argv[1:] if argv is None else argv
    port = int(args[0]) if args else 8002
    serve_forever(args[1] if len(args) > 1 else None, port=port)


if __name__ == "__main__":
    main()
