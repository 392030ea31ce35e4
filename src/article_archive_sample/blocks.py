"""SPIP block shortcuts (paragraphs, intertitres, lists, quotes, tables, documents) to HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from article_archive_sample.site import Document, Site
from article_archive_sample.typo import InlineContext, Notes, attr, inline, typo_title

__all__ = ["RenderContext", "document_html", "propre"]

PUCE_SPIP3 = "<img src='squelettes-dist/puce.gif' width='8' height='11' class='puce' alt='-' />"
PUCE_SPIP4 = '<span class="spip-puce ltr"><b>–</b></span>'
BR = '<br class="autobr" />'


@dataclass
class RenderContext:
    """Everything block rendering needs for one page."""

    site: Site
    lang: str = "fr"
    template: str = "spip3"
    notes: Notes | None = None

    def inline_context(self) -> InlineContext:
        """The matching inline context (texte mode, same notes, links and documents)."""
        return InlineContext(
            lang=self.lang,
            mode="texte",
            notes=self.notes,
            resolve=self.resolve,
            document=lambda n, align: document_html(self, n, align, alone=False),
        )

    def resolve(self, kind: str, number: int) -> str | None:
        """Readable URL of a linked object, None when it is not published."""
        site = self.site
        if kind == "article":
            art = site.article(number)
            return art.url if art else None
        table: dict[str, dict[int, Any]] = {
            "rubrique": site.rubriques,
            "auteur": site.authors,
            "mot": site.keywords,
        }
        obj = table.get(kind, {}).get(number)
        return obj.url if obj is not None else None


def _img(doc: Document) -> str:
    size = f" width='{doc.width}' height='{doc.height}'" if doc.width else ""
    return f"<img src='{attr(doc.file)}'{size} alt='' />"


def document_html(ctx: RenderContext, number: int, align: str, *, alone: bool) -> str:
    """A document as SPIP 3 (``span``/``dl``) or SPIP 4 (``div > figure``) dist renders it."""
    doc = ctx.site.documents.get(number)
    if doc is None:
        return ""
    align = align or "center"
    title = typo_title(doc.title, ctx.lang) if doc.title else ""
    desc = inline(doc.descriptif, InlineContext(ctx.lang, "texte")) if doc.descriptif else ""
    credits = typo_title(doc.credits, ctx.lang) if doc.credits else ""
    n = doc.id
    if ctx.template == "spip4":
        legend = ""
        if title or desc or credits:
            parts = []
            if title:
                parts.append(
                    f'<div class="spip_doc_titre crayon document-titre-{n}">'
                    f"<strong>{title}</strong></div>"
                )
            if desc:
                parts.append(
                    f'<div class="spip_doc_descriptif crayon document-descriptif-{n}">{desc}</div>'
                )
            if credits:
                parts.append(
                    f'<div class="spip_doc_credits crayon document-credits-{n}">{credits}</div>'
                )
            legend = (
                '\n<figcaption class="spip_doc_legende">\n' + "\n".join(parts) + "\n</figcaption>"
            )
        avec = " spip_document_avec_legende" if legend else ""
        return (
            f'<div class="spip_document_{n} spip_document spip_documents spip_document_image '
            f'spip_documents_{align} spip_document_{align}{avec}">\n'
            f'<figure class="spip_doc_inner">\n{_img(doc)}{legend}\n</figure>\n</div>'
        )
    if not (title or desc):
        classes = f"spip_document_{n} spip_documents spip_documents_{align}"
        span = f"<span class='{classes}'>{_img(doc)}</span>"
        return f"<p>{span}</p>" if alone else span
    width = f" style='width:{doc.width}px;'" if doc.width else ""
    out = [f"<dl class='spip_document_{n} spip_documents spip_documents_{align}'{width}>"]
    out.append(f"<dt>{_img(doc)}</dt>")
    if title:
        out.append(
            f"<dt class='crayon document-titre-{n} spip_doc_titre'{width}>"
            f"<strong>{title}</strong></dt>"
        )
    if desc:
        out.append(
            f"<dd class='crayon document-descriptif-{n} spip_doc_descriptif'{width}>{desc}</dd>"
        )
    if credits:
        out.append(f"<dd class='crayon document-credits-{n} spip_doc_credits'>{credits}</dd>")
    out.append("</dl>")
    return "\n".join(out)


_HEADING = re.compile(r"^\{\{\{(\*?)\s*(.+?)\s*\}\}\}$")
_LIST = re.compile(r"^-([*#]+)\s*(.*)$")
_DOC_ALONE = re.compile(r"^<(?:img|doc|emb)(\d+)(?:\|(left|right|center))?\s*/?>$")
_NUMERIC = re.compile(r"^[-+]?[\d\s.,]+%?$")


def _line_kind(line: str) -> str:
    stripped = line.strip()
    if _HEADING.match(stripped):
        return "heading"
    if _LIST.match(stripped):
        return "list"
    if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
        return "table"
    if re.fullmatch(r"-{4,}|_{4,}", stripped):
        return "hr"
    if _DOC_ALONE.match(stripped):
        return "doc"
    return "text"


def _paragraph(lines: list[str], ctx: RenderContext) -> str:
    puce = PUCE_SPIP4 if ctx.template == "spip4" else PUCE_SPIP3
    pieces: list[str] = []
    for i, raw in enumerate(lines):
        line = raw.strip()
        if line.startswith("_ ") or line == "_":
            pieces.append(BR + "\n" + inline(line[1:].strip(), ctx.inline_context()))
        elif line.startswith("- ") and not line.startswith("- -"):
            sep = BR + "\n" if i else ""
            pieces.append(f"{sep}{puce}&nbsp;{inline(line[2:].strip(), ctx.inline_context())}")
        else:
            pieces.append(inline(line, ctx.inline_context()))
    body = "\n".join(pieces).strip()
    return f"<p>{body}</p>" if body else ""


def _list(lines: list[str], ctx: RenderContext) -> str:
    items: list[tuple[str, int, str]] = []  # (kind, depth, source)
    for raw in lines:
        m = _LIST.match(raw.strip())
        if m:
            marks = m.group(1)
            items.append(("ol" if marks[-1] == "#" else "ul", len(marks), m.group(2)))
        elif items:
            kind, depth, src = items[-1]
            items[-1] = (kind, depth, f"{src} {raw.strip()}")
    out: list[str] = []
    stack: list[str] = []
    for kind, depth, src in items:
        while len(stack) > depth:
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == depth:
            out.append("</li>")
        while len(stack) < depth:
            stack.append(kind)
            out.append(f'<{kind} class="spip">')
        out.append(f"<li>{inline(src, ctx.inline_context())}")
    while stack:
        out.append(f"</li></{stack.pop()}>")
    return "\n".join(out).replace("\n</li>", "</li>")


def _table(lines: list[str], ctx: RenderContext, counter: list[int]) -> str:
    rows = [ln.strip() for ln in lines]
    caption = ""
    if rows[0].startswith("||") and rows[0].endswith("||"):
        caption = rows.pop(0)[2:-2].split("|")[0].strip()
    cells = [[c.strip() for c in row[1:-1].split("|")] for row in rows]
    counter[0] += 1
    tid = f"id{counter[0]:03d}"
    out = ['<table class="spip">']
    if caption:
        out.append(f"<caption>{inline(caption, ctx.inline_context())}</caption>")
    header = cells and all(re.fullmatch(r"\{\{.*\}\}", c) for c in cells[0] if c)
    if header:
        ths = "".join(
            f"<th id='{tid}_c{i}'>{inline(c[2:-2], ctx.inline_context())}</th>"
            for i, c in enumerate(cells.pop(0))
        )
        out.append(f"<thead><tr class='row_first'>{ths}</tr></thead>")
    out.append("<tbody>")
    for r, row in enumerate(cells):
        cls = "row_odd odd" if r % 2 == 0 else "row_even even"
        tds = []
        for i, c in enumerate(row):
            numeric = " class='numeric '" if c and _NUMERIC.match(c) else ""
            heads = f" headers='{tid}_c{i}'" if header else ""
            tds.append(f"<td{numeric}{heads}>{inline(c, ctx.inline_context())}</td>")
        out.append(f"<tr class='{cls}'>\n" + "\n".join(tds) + "</tr>")
    out.append("</tbody>\n</table>")
    return "\n".join(out)


def _blocks(text: str, ctx: RenderContext, counter: list[int]) -> list[str]:
    out: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        lines = [ln for ln in chunk.split("\n") if ln.strip()]
        group: list[str] = []
        kind = ""
        for line in [*lines, None]:
            this = _line_kind(line) if line is not None else "end"
            continues = this == kind and kind in ("text", "list", "table")
            continues = continues or (kind == "list" and this == "text")
            if group and not continues:
                out.append(_render_group(kind, group, ctx, counter))
                group = []
            if line is not None:
                kind = this if not continues else kind
                group.append(line)
    return [b for b in out if b]


def _render_group(kind: str, group: list[str], ctx: RenderContext, counter: list[int]) -> str:
    if kind == "heading":
        m = _HEADING.match(group[0].strip())
        assert m is not None
        tag = "h3" if m.group(1) else "h2"
        return f'<{tag} class="spip">{inline(m.group(2), ctx.inline_context())}</{tag}>'
    if kind == "list":
        return _list(group, ctx)
    if kind == "table":
        return _table(group, ctx, counter)
    if kind == "hr":
        return '<hr class="spip" />'
    if kind == "doc":
        m = _DOC_ALONE.match(group[0].strip())
        assert m is not None
        return document_html(ctx, int(m.group(1)), m.group(2) or "", alone=True)
    return _paragraph(group, ctx)


def propre(text: str, ctx: RenderContext) -> str:
    """Render a SPIP text field (texte, chapo, P.-S.) to HTML, collecting notes in ``ctx``."""
    text = text.replace("\r\n", "\n").strip("\n")
    if not text.strip():
        return ""
    counter = [0]
    out: list[str] = []
    pos = 0
    for m in re.finditer(r"<quote>(.*?)</quote>", text, flags=re.S):
        out.extend(_blocks(text[pos : m.start()], ctx, counter))
        inner = "\n".join(_blocks(m.group(1).strip("\n"), ctx, counter))
        out.append(f'<blockquote class="spip">\n{inner}\n</blockquote>')
        pos = m.end()
    out.extend(_blocks(text[pos:], ctx, counter))
    return "\n\n".join(out)
