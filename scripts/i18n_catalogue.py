"""Bring the interface catalogues up to date with the templates' words.

    .venv/bin/python scripts/i18n_catalogue.py          # add new words, drop gone ones
    .venv/bin/python scripts/i18n_catalogue.py --check  # exit 1 if a catalogue is behind

Words are extracted from ``web/templates`` with Jinja's Babel extractor; each language's
``web/locale/<lang>/LC_MESSAGES/messages.po`` keeps its translations. A new language is a new
folder with an empty ``messages.po`` and one run of this script.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "article_archive" / "web"
METHODS = [("**.html", "jinja2")]
OPTIONS = {"**.html": {"extensions": "jinja2.ext.i18n"}}


def template_catalog() -> Catalog:
    """Every message of the templates, as a catalogue without translations."""
    catalog = Catalog(project="article-archive", charset="utf-8")
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(WEB / "templates"), METHODS, options_map=OPTIONS
    ):
        catalog.add(message, None, [(f"templates/{filename}", lineno)], context=context)
    return catalog


def _keys(catalog: Catalog) -> set[tuple[object, object]]:
    return {(m.id, m.context) for m in catalog if m.id}


def read(lang: str) -> Catalog:
    """One language's catalogue (an empty one when the file is new)."""
    path = WEB / "locale" / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists() or not path.read_bytes().strip():
        return Catalog(locale=lang, project="article-archive", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def update(lang: str, template: Catalog) -> None:
    """Add the template's new messages to one language's catalogue and drop the gone ones."""
    catalog = read(lang)
    template.creation_date = catalog.creation_date  # the header changes only with the words
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path = WEB / "locale" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, include_lineno=False)


def main() -> int:
    """Update (or with --check, only compare) every catalogue."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    template = template_catalog()
    langs = sorted(p.parent.parent.name for p in (WEB / "locale").glob("*/LC_MESSAGES/messages.po"))
    stale = [lang for lang in langs if _keys(read(lang)) != _keys(template)]
    if args.check:
        if stale:
            print("behind the templates: " + ", ".join(stale))
        return 1 if stale else 0
    for lang in langs:
        update(lang, template)
    return 0


if __name__ == "__main__":
    sys.exit(main())
