"""Extraction quality on the real SPIP pages of ../shared/spip-pages/ (read at run time).

Scores our extract() against trafilatura's annotations (trafilatura-evaldata-spip.json: title,
author, date, categories, tags, "with" snippets that must be in the lead or body_text,
"without" snippets that must not) plus our own checks: a lead when the page has a chapo, the
footnote count when the page has notes, and no site chrome ("Répondre", "Dans la même
rubrique", …; case-sensitive, as the chrome is capitalised) in the body.

The shared folder is ``$ARTICLE_ARCHIVE_SHARED`` or ``../shared`` beside the repository; when
it is absent the script says so and exits 0. It prints a per-field table, then per-page details.

    .venv/bin/python bench/eval_spip.py [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

from article_archive.errors import ExtractionError
from article_archive.extract import _as_text, _parse, extract
from article_archive.extract.generic import extract_generic
from article_archive.extract.metadata import page_metadata

REPO = Path(__file__).resolve().parent.parent
# trafilatura's file names (the "file" values) → the names in spip-pages/ (see its README).
FILES = {
    "sauvonsluniversite.com.spip.html": ["sauvonsluniversite.fr.article8532.html"],
    "regards.fr.enquetes.html": ["regards.fr.enquetes.html"],
    "laviedesidees.fr.evaluation.html": ["laviedesidees.fr.evaluation.html"],
    "blog.mondediplo.net.turpitude.html": [
        "blog.mondediplo.net.turpitude.html",
        "blog.mondediplo.net.turpitude.2020-01.html",  # same article, earlier save
    ],
    "france.attc.org-privatisations.html": ["france.attac.org.privatisations.html"],
}
# Pages whose article has a chapo (checked by eye: .chapo / .cap blocks in the markup).
HAS_CHAPO = {
    "laviedesidees.fr.evaluation.html",
    "regards.fr.enquetes.html",
    "blog.mondediplo.net.turpitude.html",
    "blog.mondediplo.net.turpitude.2020-01.html",
    "france.attac.org.privatisations.html",
}
CHROME = [
    "Répondre",
    "Dans la même rubrique",
    "Mots-clés",
    "Sur le même sujet",
    "Écrire un commentaire",
    "Version imprimable",
    "Pour citer cet article",
]
FIELDS = ["title", "author", "date", "categories", "tags", "with", "without"]
OUR_FIELDS = ["lead", "footnotes", "no chrome"]
_NOTE_IDS = re.compile(r"""id=['"](nb\d+(?:-\d+)?)['"]""")


def shared_dir() -> Path | None:
    """The shared folder, from the environment or beside the repository."""
    env = os.environ.get("ARTICLE_ARCHIVE_SHARED")
    candidate = Path(env) if env else REPO.parent / "shared"
    return candidate if (candidate / "spip-pages").is_dir() else None


def norm(text: str | None) -> str:
    """Text compared loosely: NFKC, typographic quotes and spaces unified, case folded."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("’", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return " ".join(text.split()).casefold()


def check_page(result: dict | None, expected: dict, name: str, raw: bytes) -> dict:
    """Each field's verdict for one page: True, False, or None when not applicable."""
    verdicts: dict[str, tuple[bool | None, str]] = {}
    if result is None:
        return {field: (False, "no result") for field in FIELDS + OUR_FIELDS}
    # trafilatura's main text includes the chapo, which we keep apart as the lead.
    text = norm(f"{result['lead'] or ''} {result['body_text']}")
    authors = [a["name"] for a in result["authors"]]
    # the section is the last item of the path; the section alone when the page shows no path
    sections = result["section_path"] or ([result["section"]] if result["section"] else [])

    def verdict(field, wanted, ok, got):
        verdicts[field] = (None, "") if not wanted else (ok, f"want {wanted!r}, got {got!r}")

    want = expected.get("title")
    verdict("title", want, norm(want) == norm(result["title"]), result["title"])
    want = expected.get("author")
    verdict("author", want, norm(want) in [norm(a) for a in authors], authors)
    want = expected.get("date")
    verdict("date", want, (result["published"] or "").startswith(want or "-"), result["published"])
    want = expected.get("categories")
    got = {norm(s) for s in sections}
    verdict("categories", want, all(norm(c) in got for c in want or []), sections)
    want = expected.get("tags")
    got = {norm(k) for k in result["keywords"]}
    verdict("tags", want, all(norm(t) in got for t in want or []), result["keywords"])
    want = expected.get("with")
    missing = [s for s in want or [] if norm(s) not in text]
    verdict("with", want, not missing, f"missing {missing}")
    want = expected.get("without")
    present = [s for s in want or [] if norm(s) in text]
    verdict("without", want, not present, f"present {present}")

    lead = result["lead"]
    if name in HAS_CHAPO:
        verdicts["lead"] = (bool(lead), f"lead {lead[:60] + '…' if lead else lead!r}")
    else:
        verdicts["lead"] = (None, "")
    notes = len(set(_NOTE_IDS.findall(raw.decode("utf-8", "replace"))))
    verdicts["footnotes"] = (
        (len(result["footnotes"]) == notes, f"want {notes}, got {len(result['footnotes'])}")
        if notes
        else (None, "")
    )
    plain = " ".join(result["body_text"].replace("\u00a0", " ").split())
    chrome = [c for c in CHROME if c in plain]
    verdicts["no chrome"] = (not chrome, f"found {chrome}" if chrome else "")
    return verdicts


def extract_generic_only(raw: bytes, url: str) -> dict:
    """The generic (trafilatura) extractor on a SPIP page, for comparison."""
    text = _as_text(raw, None)
    tree = _parse(text, url)
    return extract_generic(text, tree, url, metadata=page_metadata(tree, url)).to_dict()


def score(evaldata: dict, pages_dir: Path, extractor) -> dict[str, dict]:
    """Verdicts by page name for one extractor function."""
    per_page: dict[str, dict] = {}
    for url, expected in evaldata.items():
        for name in FILES.get(expected["file"], []):
            raw = (pages_dir / name).read_bytes()
            try:
                result = extractor(raw, url)
                label = result["extractor"]
            except ExtractionError as error:
                result, label = None, f"ExtractionError: {error}"
            per_page[name] = {"extractor": label, **check_page(result, expected, name, raw)}
    return per_page


def print_table(title: str, per_page: dict[str, dict]) -> None:
    """How often each field is right, over the pages where it is scored."""
    print(f"## {title} ({len(per_page)} pages)\n")
    print(f"{'field':<12}{'right':>7}{'scored':>8}{'rate':>8}")
    for field in FIELDS + OUR_FIELDS:
        scored = [v[0] for p in per_page.values() if (v := p[field])[0] is not None]
        right = sum(scored)
        rate = f"{100 * right / len(scored):.0f}%" if scored else "-"
        print(f"{field:<12}{right:>7}{len(scored):>8}{rate:>8}")
    print()


def main(argv: list[str] | None = None) -> int:
    """Score every page; print the per-field table and the per-page details."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="show passing checks too")
    args = parser.parse_args(argv)
    shared = shared_dir()
    if shared is None:
        print("eval_spip: no shared folder (set ARTICLE_ARCHIVE_SHARED or create ../shared);")
        print("nothing to evaluate.")
        return 0
    pages_dir = shared / "spip-pages"
    evaldata = json.loads((pages_dir / "trafilatura-evaldata-spip.json").read_text("utf-8"))
    per_page = score(evaldata, pages_dir, extract)
    print_table("extract(): per field", per_page)
    print_table(
        "generic extractor alone, same pages", score(evaldata, pages_dir, extract_generic_only)
    )
    print("## extract(): per page\n")
    for name, verdicts in per_page.items():
        print(f"{name}  [{verdicts['extractor']}]")
        for field in FIELDS + OUR_FIELDS:
            ok, detail = verdicts[field]
            if ok is None or (ok and not args.verbose):
                continue
            print(f"  {'ok  ' if ok else 'FAIL'} {field:<11} {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
