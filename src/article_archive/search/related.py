"""Related articles: the article's most telling stems, searched in ``article_stems``."""

from __future__ import annotations

import math
import sqlite3
from collections import Counter

from article_archive.search import archive_facts
from article_archive.search.compiler import WEIGHTS
from article_archive.store.stemming import stem_text

TOP_TERMS = 12
CANDIDATES = 40
MATCH_BUDGET = 5_000  # articles the related search may rank, at most
MAX_REMEMBERED = 100_000  # stems whose article counts are kept (a few MB)
MIN_LENGTH = 4  # shorter stems are mostly function words ("les", "the", "dan")


def top_terms(conn: sqlite3.Connection, text: str, lang: str | None) -> list[str]:
    """The stems of ``text`` that best tell it apart: frequent here, rare in the archive."""
    counts = Counter(s for s in stem_text(text, lang).split() if len(s) >= MIN_LENGTH)
    # Not count(*) of article_stems: that reads every stemmed text (~40 s cold at 1M articles).
    total = archive_facts.article_count(conn) or 1
    scored = []
    for stem, tf in counts.most_common(CANDIDATES):
        df = _doc_freq(conn, stem)
        if df <= 1 or (df >= total and total > 2):  # only here, or everywhere: no help
            continue
        scored.append((tf * math.log(1 + total / df), stem, df))
    scored.sort(reverse=True)
    # The search ranks every article holding any of the terms: terms are taken, most telling
    # first, while their articles add up to MATCH_BUDGET, so its cost does not grow with the
    # archive (at 100k articles, 12 terms of a long article matched ~85 % of a reader page).
    terms, matched = [], 0
    for _, stem, df in scored:
        if matched + df <= MATCH_BUDGET:
            terms.append(stem)
            matched += df
        if len(terms) == TOP_TERMS:
            break
    return terms


def _doc_freq(conn: sqlite3.Connection, stem: str) -> int:
    """In how many articles ``stem`` occurs, remembered while the archive is unchanged.

    Counting reads the stem's whole list of articles: for a common stem at 100k articles and
    more, that is most of a reader page's time, and the same common stems come back page
    after page.
    """
    known: dict[str, int] = archive_facts.remembered(conn, "stem_doc_freq", lambda _: {})
    df = known.get(stem)
    if df is None:
        if len(known) >= MAX_REMEMBERED:
            known.clear()
        sql = "SELECT count(*) FROM article_stems WHERE article_stems MATCH ?"
        df = known[stem] = int(conn.execute(sql, ['"' + stem + '"']).fetchone()[0])
    return df


def related_ids(conn: sqlite3.Connection, art: dict, limit: int = 5) -> list[int]:
    """Ids of up to ``limit`` articles most similar to ``art`` (itself excluded)."""
    text = " ".join(filter(None, [art.get("title"), art.get("lead"), art.get("body_text")]))
    terms = top_terms(conn, text, art.get("lang"))
    if not terms:
        return []
    expr = " OR ".join('"' + t + '"' for t in terms)
    rows = conn.execute(
        f"""SELECT rowid FROM article_stems WHERE article_stems MATCH ? AND rowid != ?
        ORDER BY bm25(article_stems, {WEIGHTS}) LIMIT ?""",
        [expr, art["id"], limit],
    )
    return [row[0] for row in rows]
