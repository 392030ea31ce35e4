"""Anchors for headings: the one rule shared by extraction (the TOC) and the reader's page."""

from __future__ import annotations

import re
import unicodedata


def slug(text: str) -> str:
    """An anchor made of a heading's words (ASCII, lower case, dashes), at most 60 characters.

    Extraction writes these into an article's TOC and the reader adds them to headings that have
    none: the same rule on both sides keeps every TOC link pointing at its heading.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "section"
