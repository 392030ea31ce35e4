"""Body-text quality of the generic extractor against trafilatura, readability and jusText.

Two page sets, each scored the way it can be scored honestly:

- **own**: the pages of ``tests/fixtures/generic/`` (written for the project, in our own
  words), each with its expected body next to it in ``<name>.expected.txt``. Scored on
  tokens, as the article-extraction benchmarks do: the words of the extracted text and of the
  expected text are compared as bags (case folded), precision = shared / extracted,
  recall = shared / expected; the figures are summed over pages (micro average).
- **spip**: the real pages of ``../shared/spip-pages/`` (or ``$ARTICLE_ARCHIVE_SHARED``), with
  trafilatura's own annotations (``trafilatura-evaldata-spip.json``), scored as trafilatura's
  ``tests/comparison.py`` does: each ``with`` snippet found is a true positive (missing: a false
  negative), each ``without`` snippet found a false positive. Read at run time, never copied.

Methods: ``ours`` (``extract_generic``, whatever the page: SPIP pages too), ``trafilatura``
(``trafilatura.extract`` with its defaults), ``readability`` (readability-lxml's summary),
``justext`` (its non-boilerplate paragraphs, stop list of the page's language) and ``ours, no
vote`` (``extract_generic`` with the vote of ``extract/vote.py`` switched off: trafilatura
alone in our wrapping).

Times are per page, the fastest of ``--rounds`` runs of each method on each page (the machine
is shared: a single run can be twice as slow as the next).

    .venv/bin/python bench/eval_generic.py [--write bench/RESULTS.md] [--rounds 3] [-v]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from article_archive.extract import _as_text, _parse, generic  # noqa: E402
from article_archive.extract.generic import extract_generic  # noqa: E402
from article_archive.extract.html import html_to_text  # noqa: E402
from article_archive.extract.metadata import page_metadata  # noqa: E402

OWN = ROOT / "tests" / "fixtures" / "generic"
SHARED = Path(os.environ.get("ARTICLE_ARCHIVE_SHARED", ROOT.parent.parent / "shared"))
# trafilatura's file names for the shared pages (its annotations name them so)
SPIP_FILES = {
    "sauvonsluniversite.com.spip.html": "sauvonsluniversite.fr.article8532.html",
    "regards.fr.enquetes.html": "regards.fr.enquetes.html",
    "laviedesidees.fr.evaluation.html": "laviedesidees.fr.evaluation.html",
    "blog.mondediplo.net.turpitude.html": "blog.mondediplo.net.turpitude.html",
    "france.attc.org-privatisations.html": "france.attac.org.privatisations.html",
}
_JUSTEXT_LANGUAGES = {"en": "English", "fr": "French", "de": "German", "es": "Spanish"}
_WORD = re.compile(r"\w+")


@dataclass
class Page:
    """One page to score: its HTML, its address, and what it should give."""

    name: str
    html: bytes
    url: str
    expected: str = ""  # the whole body (own pages)
    with_: list[str] = field(default_factory=list)  # snippets (shared pages)
    without: list[str] = field(default_factory=list)


@dataclass
class Score:
    """Counts summed over pages, and the time spent."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    seconds: float = 0.0
    failures: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def own_pages() -> list[Page]:
    """The fixture pages that have an expected body."""
    pages = []
    for expected in sorted(OWN.glob("*.expected.txt")):
        html = expected.with_name(expected.name.replace(".expected.txt", ".html"))
        url = f"https://{html.stem}.example/article"
        pages.append(Page(html.stem, html.read_bytes(), url, expected.read_text("utf-8")))
    return pages


def spip_pages() -> list[Page]:
    """The shared real pages with trafilatura's snippets; empty when ../shared is absent."""
    folder = SHARED / "spip-pages"
    annotations = folder / "trafilatura-evaldata-spip.json"
    if not annotations.exists():
        return []
    pages = []
    for url, entry in json.loads(annotations.read_text("utf-8")).items():
        name = SPIP_FILES[entry["file"]]
        html = (folder / name).read_bytes()
        pages.append(Page(name, html, url, with_=entry["with"], without=entry["without"]))
    return pages


def _tree(page: Page):
    text = _as_text(page.html, None)
    return text, _parse(text, page.url)


def run_ours(page: Page) -> str:
    text, tree = _tree(page)
    return extract_generic(text, tree, page.url, metadata=page_metadata(tree, page.url)).body_text


def run_trafilatura(page: Page) -> str:
    import trafilatura

    return trafilatura.extract(_as_text(page.html, None)) or ""


def run_readability(page: Page) -> str:
    from readability import Document

    summary = Document(_as_text(page.html, None)).summary(html_partial=True)
    return html_to_text(lxml.html.fragment_fromstring(summary, create_parent="div"))


def run_justext(page: Page) -> str:
    import justext

    text, tree = _tree(page)
    lang = (page_metadata(tree, page.url).get("lang") or "en")[:2]
    stoplist = justext.get_stoplist(_JUSTEXT_LANGUAGES.get(lang, "English"))
    paragraphs = justext.justext(text.encode("utf-8"), stoplist, encoding="utf-8")
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def run_ours_without_vote(page: Page) -> str:
    vote = generic.vote
    generic.vote = lambda body, tree, lang, title: body
    try:
        return run_ours(page)
    finally:
        generic.vote = vote


METHODS: dict[str, Callable[[Page], str]] = {
    "ours": run_ours,
    "trafilatura": run_trafilatura,
    "readability": run_readability,
    "justext": run_justext,
    "ours, no vote": run_ours_without_vote,
}


def _normal(text: str) -> str:
    return " ".join(text.split())


def token_counts(result: str, expected: str) -> tuple[int, int, int]:
    """(shared, extra, missing) words between two texts, compared as case-folded bags."""
    got = Counter(_WORD.findall(result.casefold()))
    want = Counter(_WORD.findall(expected.casefold()))
    shared = sum((got & want).values())
    return shared, sum(got.values()) - shared, sum(want.values()) - shared


def snippet_counts(result: str, page: Page) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of trafilatura's snippet scoring."""
    text = _normal(result)
    found = sum(1 for s in page.with_ if _normal(s) in text)
    leaked = sum(1 for s in page.without if _normal(s) in text)
    return found, leaked, len(page.with_) - found


def _timed(method: Callable[[Page], str], page: Page, rounds: int) -> tuple[str, float]:
    """The method's text for the page, and its fastest time over ``rounds`` runs."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        result = method(page)
        best = min(best, time.perf_counter() - start)
    return result, best


def evaluate(pages: list[Page], tokens: bool, verbose: bool, rounds: int) -> dict[str, Score]:
    """Every method over every page, scored on tokens or on snippets."""
    scores = {name: Score() for name in METHODS}
    for page in pages:
        for name, method in METHODS.items():
            try:
                result, seconds = _timed(method, page, rounds)
            except Exception as error:  # a method failing on a page scores it as empty
                result, seconds = "", 0.0
                scores[name].failures += 1
                print(f"  {name} failed on {page.name}: {error!r}", file=sys.stderr)
            scores[name].seconds += seconds
            counts = token_counts(result, page.expected) if tokens else snippet_counts(result, page)
            scores[name].add(*counts)
            if verbose:
                print(f"  {page.name:45} {name:14} tp={counts[0]} fp={counts[1]} fn={counts[2]}")
    return scores


def table(title: str, pages: list[Page], scores: dict[str, Score]) -> str:
    """A Markdown table of one set's scores."""
    lines = [
        f"### {title}: {len(pages)} pages",
        "",
        "| method | precision | recall | F1 | ms/page | failures |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in scores.items():
        ms = 1000 * s.seconds / max(len(pages), 1)
        figures = f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {ms:.1f}"
        lines.append(f"| {name} | {figures} | {s.failures} |")
    return "\n".join(lines)


def main() -> int:
    """Score every method on both sets, print the tables, optionally append them to a file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", type=Path, help="append the tables to this Markdown file")
    parser.add_argument("-v", "--verbose", action="store_true", help="per-page counts")
    parser.add_argument("--rounds", type=int, default=3, help="runs per page, fastest kept")
    args = parser.parse_args()
    for method in METHODS.values():  # warm-up: imports and caches out of the timings
        method(Page("warm-up", (OWN / "news-jsonld.html").read_bytes(), "https://w.example/"))
    sets = [("own pages (tokens)", own_pages(), True)]
    shared = spip_pages()
    if shared:
        sets.append(("shared/spip-pages (trafilatura's snippets)", shared, False))
    else:
        print("../shared/spip-pages not found: own pages only", file=sys.stderr)
    out = [
        table(title, pages, evaluate(pages, tokens, args.verbose, args.rounds))
        for title, pages, tokens in sets
    ]
    report = "\n\n".join(out)
    print(report)
    if args.write:
        with args.write.open("a", encoding="utf-8") as handle:
            handle.write("\n\n" + report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
