"""What the sample site's sources say an article is: the expected values of end-to-end tests.

Expected values come from what the editor typed in `data/sample-site/`, never from our extractor.
"""

from __future__ import annotations

import re

from article_archive_sample.site import ArticleSource


def norm(text: str | None) -> str:
    """Compare texts as a reader would: typographic spaces and quotes made plain."""
    text = (text or "").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("’", "'").replace("<<", "«").replace(">>", "»")
    return re.sub(r"\s+", " ", text).strip()


def plain(shortcuts: str) -> str:
    """The reader-visible text of SPIP shortcuts, without notes."""
    text = re.sub(r"\[\[.*?\]\]", "", shortcuts, flags=re.S)
    text = re.sub(r"\[([^\[\]]*?)->[^\]]*\]", r"\1", text)
    text = re.sub(r"<(img|doc)\d+\|[^>]*>", "", text)
    text = text.replace("{", "").replace("}", "").replace("<quote>", "").replace("</quote>", "")
    text = re.sub(r"^\s*(-\*|-#|_ )", "", text, flags=re.M)
    return norm(text)


def headings(texte: str) -> list[tuple[int, str]]:
    """(level, title) of the section headings typed in ``texte``."""
    found = []
    for match in re.finditer(r"\{\{\{(\*?)\s*(.*?)\}\}\}", texte):
        found.append((3 if match.group(1) else 2, plain(match.group(2))))
    return found


def note_count(art: ArticleSource) -> int:
    """How many footnotes the article has (chapo, texte and P.-S. together)."""
    return sum(part.count("[[") for part in (art.chapo, art.texte, art.ps))
