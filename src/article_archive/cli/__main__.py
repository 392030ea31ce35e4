"""``python -m article_archive.cli``: the same entry point as the console script."""

from article_archive.cli.app import main

main()
