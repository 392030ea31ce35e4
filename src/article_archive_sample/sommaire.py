"""Tables of contents: Couteau Suisse's "Sommaire" (SPIP 3) and the *sommaire* plugin (SPIP 4)."""

from __future__ import annotations

import re

from article_archive_sample.site import propre_slug
from article_archive_sample.typo import attr, couper, plain_text

__all__ = ["add_sommaire"]

_HEADING = re.compile(r'<(h[23]) class="spip">(.*?)</\1>', re.S)
CUT = 30  # Couteau Suisse's _sommaire_NB_CARACTERES


def _heading_text(fragment: str) -> str:
    """Plain text of a heading, without footnote calls."""
    return plain_text(re.sub(r'<span class="spip_note_ref">.*?</span>', "", fragment, flags=re.S))


def _couteau_suisse(texte: str, url: str) -> str:
    entries: list[str] = []

    def anchor(m: re.Match[str]) -> str:
        n = len(entries)
        full = _heading_text(m.group(2))
        short = couper(full, CUT)
        suite = "&nbsp;(...)"
        label = attr(short[: -len(suite)]) + suite if short.endswith(suite) else attr(short)
        entries.append(
            f'<li><a title="{attr(full)}" href="{attr(url)}#outil_sommaire_{n}">{label}</a></li>'
        )
        return (
            f'<{m.group(1)} class="spip" id="outil_sommaire_{n}">'
            '<a class="sommaire_ancre" '
            f'href="#outil_sommaire">&nbsp;</a>{m.group(2)}</{m.group(1)}>'
        )

    body = _HEADING.sub(anchor, texte)
    if len(entries) < 2:
        return texte
    box = (
        '<div class="cs_sommaire cs_sommaire_avec_fond" id="outil_sommaire">'
        '<div class="cs_sommaire_inner"><div class="cs_sommaire_titre_avec_fond"> Sommaire </div>'
        "<ul>" + "".join(entries) + "</ul></div></div>"
    )
    return box + "\n" + body


def _plugin(texte: str) -> str:
    entries: list[str] = []
    used: set[str] = set()

    def anchor(m: re.Match[str]) -> str:
        full = _heading_text(m.group(2))
        base = propre_slug(full, 40).lower() or "titre"
        slug = base
        k = 2
        while slug in used:
            slug = f"{base}-{k}"
            k += 1
        used.add(slug)
        entries.append(f'<li><a id="s-{slug}" href="#{slug}">{attr(full)}</a></li>')
        n = len(entries)
        back = (
            f"<a class='sommaire-back sommaire-back-{n}' href='#s-{slug}' "
            "title='Retour au sommaire'></a>"
        )
        return f'<{m.group(1)} class="spip" id="{slug}">{m.group(2)}{back}</{m.group(1)}>'

    body = _HEADING.sub(anchor, texte)
    if len(entries) < 2:
        return texte
    box = (
        f'<!--sommaire--><div class="well nav-sommaire nav-sommaire-{len(entries)}">'
        '<h2>Sommaire</h2><ul class="spip">' + "".join(entries) + "</ul></div><!--/sommaire-->"
    )
    return box + "\n" + body


def add_sommaire(texte: str, url: str, template: str = "spip3") -> str:
    """Put a table of contents atop ``texte`` and anchors on its headings (≥2 headings only)."""
    if template == "spip4":
        return _plugin(texte)
    return _couteau_suisse(texte, url)
