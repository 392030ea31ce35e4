"""Scoring one stored article against what its theme shows (bench/theme_truth.py's expected)."""

from __future__ import annotations

import json
import re
from collections import Counter

import sqlite_utils

from sample_truth import norm

FIELDS = [
    "title",
    "surtitle",
    "subtitle",
    "lang",
    "section",
    "section_path",
    "authors",
    "published",
    "written",
    "lead",
    "postscript",
    "keywords",
    "translations",
    "footnotes",
    "body",
]
BODY_F1 = 0.95  # word-bag F1 a body must reach against the typed texte to count as right


def word_f1(want: str, got: str) -> float:
    """F1 of the two texts' word bags (1.0 when both empty), punctuation and table bars aside."""
    a = Counter(re.findall(r"\w+", norm(want).casefold()))
    b = Counter(re.findall(r"\w+", norm(got).casefold()))
    if not a and not b:
        return 1.0
    common = sum((a & b).values())
    if not common:
        return 0.0
    precision, recall = common / sum(b.values()), common / sum(a.values())
    return 2 * precision * recall / (precision + recall)


def got_fields(db: sqlite_utils.Database, row: dict) -> dict:
    """The stored article's fields, in the form of theme_truth.expected's."""
    authors = [norm(n) for n in json.loads(row["author_names"] or "[]")]
    keywords = [
        norm(name)
        for (name,) in db.execute(
            "select k.name from article_keywords ak join keywords k on k.id = ak.keyword_id"
            " where ak.article_id = ?",
            [row["id"]],
        )
    ]
    notes = db.execute("select count(*) from footnotes where article_id = ?", [row["id"]])
    return {
        "title": norm(row["title"]) or None,
        "surtitle": norm(row["surtitle"]) or None,
        "subtitle": norm(row["subtitle"]) or None,
        "lang": row["lang"] or None,
        "section": norm(row["section"]) or None,
        "section_path": [norm(s) for s in json.loads(row["section_path"] or "[]")],
        "authors": sorted(authors),
        "published": (row["published"] or "")[:10] or None,
        "written": (row["written"] or "")[:10] or None,
        "lead": norm(re.sub(r"\s*\[\d+\]", "", row["lead"] or "")) or None,
        "postscript": norm(row["postscript"]) or None,
        "keywords": sorted(keywords),
        "translations": sorted(t["lang"] for t in json.loads(row["translations"] or "[]")),
        "footnotes": notes.fetchone()[0],
        "body": row["body_text"] or None,
    }


def verdicts(want: dict, got: dict) -> dict[str, bool]:
    """Right or wrong for every field (the body by word F1, the others exactly)."""
    out = {}
    for name in FIELDS:
        w, g = want[name], got[name]
        if name == "body":
            out[name] = (not g) if w is None else bool(g) and word_f1(w, g) >= BODY_F1
        elif isinstance(w, list):
            out[name] = sorted(norm(x) for x in w) == g
        elif isinstance(w, str):
            out[name] = norm(w) == g
        else:
            out[name] = w == g
    return out


def failure(name: str, art_id: int, want: dict, got: dict) -> str:
    """One wrong field, told briefly (the body by its word F1)."""
    if name == "body" and want[name] and got[name]:
        return f"{art_id}: word F1 {word_f1(want[name], got[name]):.3f}"
    return f"{art_id}: want {str(want[name])[:70]!r}, got {str(got[name])[:70]!r}"
