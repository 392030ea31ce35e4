"""Schema version 5: Chinese, Japanese and Korean text indexed as pairs of characters.

``stem_text`` now writes each CJK run of an article as its overlapping character pairs (see
``stemming``), so that a word is found inside a run. Articles saved before hold their runs as
whole tokens; this re-stems those (and only those) once.
"""

from __future__ import annotations

import sqlite_utils

from article_archive.store.stemming import has_cjk, stem_text

# Articles whose stored text might hold CJK: read in full only when one of these says so.
CANDIDATES = """SELECT id, lang, title, lead, body_text, authors_text FROM articles
    WHERE aa_has_cjk(title) OR aa_has_cjk(lead) OR aa_has_cjk(authors_text)
    OR lower(substr(lang, 1, 2)) IN ('zh', 'ja', 'ko') OR aa_has_cjk(body_text)"""


def restem_cjk(db: sqlite_utils.Database) -> int:
    """Rewrite the ``article_stems`` row of every article holding CJK text; how many."""
    db.conn.create_function("aa_has_cjk", 1, has_cjk, deterministic=True)
    rows = db.execute(CANDIDATES).fetchall()
    for article_id, lang, title, lead, body, authors in rows:
        db.execute("DELETE FROM article_stems WHERE rowid = ?", [article_id])
        db.execute(
            "INSERT INTO article_stems (rowid, title, lead, body, authors) VALUES (?, ?, ?, ?, ?)",
            [
                article_id,
                stem_text(title or "", lang),
                stem_text(lead or "", lang),
                stem_text(body or "", lang),
                stem_text(authors or "", None),
            ],
        )
    return len(rows)
