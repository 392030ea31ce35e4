"""SPIP's #INTRODUCTION: the short plain-text summary of an article.

The article page's description, the feeds, the listings and the aside all show it; it lives
apart from ``render`` (the article page) so the aside, which ``render`` imports, can use it too.
"""

from __future__ import annotations

import re

from article_archive_sample.blocks import RenderContext, propre
from article_archive_sample.site import ArticleSource, Site
from article_archive_sample.typo import couper, escape_text, plain_text

__all__ = ["introduction"]


def introduction(site: Site, art: ArticleSource, length: int = 500) -> str:
    """SPIP's #INTRODUCTION: descriptif, else chapo + texte without notes, cut with (...)."""
    if art.descriptif:
        source = art.descriptif
    else:
        source = f"{art.chapo}\n\n{art.texte}"
        source = re.sub(r"\[\[.*?\]\]", "", source, flags=re.S)
    ctx = RenderContext(site=site, lang=art.lang, template="spip3", notes=None)
    html_text = propre(source, ctx)
    html_text = re.sub(r"<(dl|table)\b.*?</\1>", " ", html_text, flags=re.S)
    html_text = re.sub(r"<img[^>]*class='puce'[^>]*/>&nbsp;", "", html_text)
    return escape_text(couper(plain_text(html_text), length)).replace("&amp;nbsp;", "&nbsp;")
